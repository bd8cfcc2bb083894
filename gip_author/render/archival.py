"""The report PDF as an archival and accessible file: PDF/A-3u and PDF/UA-1, with the report's data attached.

Why PDF/A-3u: part 3 is the PDF/A part that allows embedded files of any type (associated with the document by
/AF, each with its /AFRelationship), which is what carrying `report.yaml` and `cells.json` needs; part 2 allows
only PDF/A attachments.  Level "u" guarantees a Unicode value for every character, which is what `import`,
copy-paste and screen readers read.  Level "a" would add a tagged structure, but PDF/UA-1 (ISO 14289-1) asks
for more (tables with header cells, the language, the title shown, alt text), so the PDF is tagged and claims
PDF/UA-1 beside PDF/A-3u; the XMP declares the pdfuaid schema as a PDF/A extension schema, as part 3 requires
of any schema it does not predefine.  WeasyPrint writes the tags (structure tree, reading order, TH/TD with
headers, /Lang from `<html lang>`, /DisplayDocTitle), the sRGB output intent and the attachments.

WeasyPrint is imported only by the functions here, which run inside the PDF render.
"""
from __future__ import annotations

import datetime as dt
import io
import os
from typing import TYPE_CHECKING

from ..embedded import CELLS_NAME, REPORT_NAME

if TYPE_CHECKING:                   # the PDF worker never imports the model (pydantic): see pdf_worker.py
    from ..model import Report

VARIANT = "pdf/a-3u"
_MIME = {CELLS_NAME: b"/application#2fjson", REPORT_NAME: b"/application#2fyaml"}

_UA_XMP = b"""<rdf:Description rdf:about="" xmlns:pdfuaid="http://www.aiim.org/pdfua/ns/id/" pdfuaid:part="1"/>
<rdf:Description rdf:about="" xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/"
 xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">
<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">
<pdfaSchema:schema>PDF/UA Universal Accessibility Schema</pdfaSchema:schema>
<pdfaSchema:namespaceURI>http://www.aiim.org/pdfua/ns/id/</pdfaSchema:namespaceURI>
<pdfaSchema:prefix>pdfuaid</pdfaSchema:prefix>
<pdfaSchema:property><rdf:Seq><rdf:li rdf:parseType="Resource">
<pdfaProperty:name>part</pdfaProperty:name>
<pdfaProperty:valueType>Integer</pdfaProperty:valueType>
<pdfaProperty:category>internal</pdfaProperty:category>
<pdfaProperty:description>Indicates, which part of ISO 14289 standard is followed</pdfaProperty:description>
</rdf:li></rdf:Seq></pdfaSchema:property>
</rdf:li></rdf:Bag></pdfaExtension:schemas>
</rdf:Description>
"""


def stamp(report: Report) -> dt.datetime:
    """The attachments' dates: SOURCE_DATE_EPOCH when set, else the publication date (never "now")."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(min(int(epoch), 253402300799), dt.timezone.utc).replace(tzinfo=None)
    day = report.published or dt.date(report.year + 1, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def attachments(report: Report, data: bool = True) -> tuple[dict, ...]:
    """The files the PDF carries (none when `data` is False), as plain keyword arguments of WeasyPrint's Attachment:
    made where the report is, so that the PDF worker receives them and needs neither the model nor the YAML writer."""
    if not data:
        return ()
    from ..embedded import payload
    p, when = payload(report), stamp(report)
    return (
        dict(string=p.cells_json.encode("utf-8"), name=CELLS_NAME, created=when, modified=when,
             relationship="Data", description="表二至表四的全部 200 个数字（规范单元格编号），与 gip-author export 相同"),
        dict(string=p.report_yaml.encode("utf-8"), name=REPORT_NAME, created=when, modified=when,
             relationship="Source", description="生成本文件的报告 YAML（gip-author 格式）"),
    )


def pdf_options(files: tuple[dict, ...] = ()) -> dict:
    """Options of WeasyPrint's write_pdf: the variant, tags, the attachments (see `attachments`), the XMP."""
    options = {"pdf_variant": VARIANT, "pdf_tags": True, "finisher": _finish, **_output_intent()}
    if files:
        from weasyprint import Attachment
        options["attachments"] = [Attachment(**f) for f in files]
    return options


def _output_intent() -> dict:
    """WeasyPrint's own sRGB profile as the output intent, read here: its 'srgb' default leaves the file open."""
    from importlib.resources import files

    from weasyprint.css import ColorProfile
    icc = (files("weasyprint.pdf") / "sRGB2014.icc").read_bytes()
    profile = ColorProfile(io.BytesIO(icc), "sRGB2014.icc", "relative-colorimetric", (["r"], ["g"], ["b"]))
    return {"output_intent": "gip-srgb", "color_profiles": {"gip-srgb": profile}}


def _finish(document, pdf) -> None:
    """After WeasyPrint's PDF/A-3u work: claim PDF/UA-1 in the XMP, give each attachment its MIME type, and mark
    the page numbers as pagination artifacts."""
    _page_numbers_as_artifacts(pdf)
    for table in [o for o in pdf.objects if isinstance(o, dict) and o.get("S") == "/Table"]:
        _table_headers(pdf, table)
    metadata = _obj(pdf, pdf.catalog["Metadata"])
    metadata.stream = [b"".join(metadata.stream).replace(b"</rdf:RDF>", _UA_XMP + b"</rdf:RDF>", 1)]
    for obj in pdf.objects:
        if isinstance(obj, dict) and obj.get("Type") == "/Filespec":
            name = getattr(obj.get("UF"), "string", None)
            stream = _obj(pdf, obj["EF"]["F"])
            if name in _MIME:
                stream.extra["Subtype"] = _MIME[name].decode()


def _ref(item) -> int | None:
    """The object number of a pydyf reference (b"12 0 R" or "12 0 R"), None for anything else."""
    if isinstance(item, str):
        item = item.encode()
    if isinstance(item, bytes) and item.endswith(b" R"):
        return int(item.split()[0])
    return None


def _obj(pdf, reference):
    return pdf.objects[_ref(reference)]


def _page_numbers_as_artifacts(pdf) -> None:
    """Text in the page margins (the folio "— 1 —") is tagged by WeasyPrint with structure elements that hang
    from nothing (it says so: PDF 1.7 has no artifacts in the tree).  PDF/UA-1 wants it marked as an artifact:
    each such marked-content sequence becomes `/Artifact <</Type /Pagination>> BDC` and leaves the parent tree."""
    import pydyf

    root = _obj(pdf, pdf.catalog["StructTreeRoot"])
    reachable, todo = set(), [root]
    while todo:
        kids = todo.pop().get("K", ())
        for kid in kids if isinstance(kids, list) else [kids]:
            number = _ref(kid)
            if number is not None and number not in reachable:
                reachable.add(number)
                todo.append(pdf.objects[number])
    nums = _obj(pdf, root["ParentTree"])["Nums"]
    for i, page in enumerate(pdf.page_references):
        if 2 * i + 1 >= len(nums) or nums[2 * i] != i:
            continue
        refs = nums[2 * i + 1]
        stray = {mcid for mcid, ref in enumerate(refs) if _ref(ref) not in reachable}
        if not stray:
            continue
        for mcid in stray:
            refs[mcid] = "null"
        stream = _obj(pdf, _obj(pdf, page)["Contents"]).stream
        for k, item in enumerate(stream):
            if isinstance(item, dict) and item.get("MCID") in stray and k and isinstance(stream[k - 1], str):
                stream[k - 1] = "/Artifact"
                stream[k] = pydyf.Dictionary({"Type": "/Pagination"})


def _kids(pdf, element, tags: tuple[str, ...]) -> list:
    kids = element.get("K", ())
    found = [pdf.objects[n] for n in map(_ref, kids if isinstance(kids, list) else [kids]) if n is not None]
    return [k for k in found if isinstance(k, dict) and k.get("S") in tags]


def _table_headers(pdf, table) -> None:
    """Each data cell's /Headers: the header cells straight above it and straight to its left.

    WeasyPrint's own mapping loses its place under header cells that span rows (Table 4's last five columns came
    out with no header at all); this one lays the cells on the grid first, as a screen reader does."""
    import pydyf

    rows = []
    for part in _kids(pdf, table, ("/THead", "/TBody", "/TFoot", "/TR")):
        rows += [part] if part["S"] == "/TR" else _kids(pdf, part, ("/TR",))
    grid: dict[tuple[int, int], dict] = {}
    placed = []
    for r, row in enumerate(rows):
        c = 0
        for cell in _kids(pdf, row, ("/TH", "/TD")):
            while (r, c) in grid:
                c += 1
            attributes = cell.get("A") or {}
            rs, cs = int(attributes.get("RowSpan", 1)), int(attributes.get("ColSpan", 1))
            for i in range(rs):
                for j in range(cs):
                    grid[r + i, c + j] = cell
            placed.append((cell, r, c, rs, cs))
            c += cs
    for n, (cell, r, c, rs, cs) in enumerate(placed):
        if cell["S"] == "/TH" and "ID" not in cell:
            cell["ID"] = pydyf.String(f"gip-{_ref(table.reference)}-{n}")
    for cell, r, c, rs, cs in placed:
        if cell["S"] != "/TD":
            continue
        headers: list = []
        for j in range(c, c + cs):                                  # up the column to the nearest header cells
            headers += _header_run(grid, [(q, j) for q in range(r - 1, -1, -1)])
        for i in range(r, r + rs):                                  # and left along the row
            headers += _header_run(grid, [(i, k) for k in range(c - 1, -1, -1)])
        unique = {id(h): h for h in headers}.values()
        cell.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Headers"] = pydyf.Array([h["ID"] for h in unique])


def _header_run(grid: dict, path: list[tuple[int, int]]) -> list:
    """Along `path`, past data cells, the first unbroken run of header cells."""
    run: list = []
    for place in path:
        cell = grid.get(place)
        if cell is not None and cell["S"] == "/TH":
            run.append(cell)
        elif run:
            break
    return run
