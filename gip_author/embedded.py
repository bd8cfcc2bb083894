"""The report's own data inside every file built from it: what is carried, how it is written, how it is found.

The payload is two texts: `report.yaml`, the report as `gip-author init`/`import` write YAML (so `load` gives
back the same report, text included), and `cells.json`, the 200 cells with agency and year exactly as
`gip-author export --format json` prints them.  Where each format carries them:

- PDF: two embedded files associated with the document (/AF, PDF/A-3); written by render/archival.py.
- HTML: `<script type="application/json" id="gip-data">` holds cells.json and `id="gip-report"` the YAML as one
  JSON string.  `<`, `>` and `&` are written as JSON \\u escapes (they occur only inside JSON strings), so the
  block can never hold `</script` or `<!--`; browsers do not run a JSON block and the page stays Nu-valid.
- DOCX: one custom XML part (`customXml/itemN.xml` with its `itemPropsN.xml`, related from the document): the
  Custom XML Data Store that Word keeps when the file is edited and saved.

Reading is bounded and strict: data found in a file is input like any other.  Each reader takes at most
`MAX_YAML`/`MAX_CELLS` bytes of a text (after decompression), never follows anything outside the file, and
says what is wrong with a `BadData` instead of guessing.
"""
from __future__ import annotations

import io
import json
import re
import uuid
import zlib
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:                   # the PDF worker imports this module and never the model
    from .model import Report

CELLS_NAME, REPORT_NAME = "cells.json", "report.yaml"
MAX_YAML = 2 * 2**20        # as loader.MAX_BYTES: a real report's YAML is ~10 KB
MAX_CELLS = 256 * 2**10     # cells.json is ~8 KB
DOCX_NS = "urn:gip-author:data:1"
_DOCX_ITEM = re.compile(r"customXml/item\d{1,3}\.xml")


@dataclass(frozen=True)
class Payload:
    """The texts found in (or to be put into) a file; either may be missing in a file from elsewhere."""

    report_yaml: str | None
    cells_json: str | None


class BadData(Exception):
    """The file carries data under our name that cannot be used (too large, damaged, not what we write)."""


def payload(report: Report) -> Payload:
    """The two texts, of the report as the files show it (control characters dropped, as the renderers do)."""
    from .export import cells_json
    from .yaml_writer import report_yaml
    report = _as_shown(report)
    return Payload(report_yaml(report), cells_json(report))


def _as_shown(report: Report) -> Report:
    from .text_guard import clean
    fields = ("agency", "title", "intro", "disclosure", "requests", "appeals", "improvements", "other")
    update = {f: clean(getattr(report, f)) for f in fields if isinstance(getattr(report, f), str)}
    if report.general is not None:
        update["general"] = report.general.model_copy(update={k: clean(v) for k, v in report.general
                                                              if isinstance(v, str)})
    changed = any(update[f] != getattr(report, f) for f in update if f != "general") or \
        (report.general is not None and update["general"] != report.general)
    return report.model_copy(update=update) if changed else report


# ------------------------------------------------------------------------------------------------- HTML


def _script_safe(json_text: str) -> str:
    """JSON that may stand inside <script>: the three characters HTML cares about as JSON escapes."""
    return json_text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def html_blocks(p: Payload) -> str:
    return (f'<script type="application/json" id="gip-data">\n{_script_safe(p.cells_json.strip())}\n</script>\n'
            f'<script type="application/json" id="gip-report">'
            f'{_script_safe(json.dumps(p.report_yaml, ensure_ascii=False))}</script>\n')


def into_html(page: str, p: Payload) -> str:
    """The page with the two data blocks at the end of its body (or at its end when it has no </body>)."""
    at = page.lower().rfind("</body>")
    at = len(page) if at < 0 else at
    return page[:at] + html_blocks(p) + page[at:]


_SCRIPT = re.compile(rb"""<script\b[^<>]{0,300}?\bid\s*=\s*["']?(gip-data|gip-report)["'\s>][^<>]{0,300}>""", re.I)


def _from_html(data: bytes) -> Payload | None:
    found: dict[str, str] = {}
    for m in _SCRIPT.finditer(data, 0, len(data)):
        name = m.group(1).decode().lower()
        if name in found:
            raise BadData(f"网页中有两个 id 为 {name} 的数据块")
        limit = MAX_CELLS if name == "gip-data" else 6 * MAX_YAML   # the YAML as JSON string, \\u escapes
        end = data.find(b"</script", m.end(), m.end() + limit + 1)
        if end < 0:
            raise BadData(f"网页中的数据块 {name} 没有结尾或超过 {limit // 1024} KB")
        try:
            found[name] = data[m.end():end].decode("utf-8")
        except UnicodeDecodeError:
            raise BadData(f"网页中的数据块 {name} 不是 UTF-8 文字") from None
        if len(found) == 2:
            break
    if not found:
        return None
    yaml_text = None
    if "gip-report" in found:
        try:
            yaml_text = json.loads(found["gip-report"])
        except (ValueError, RecursionError):
            raise BadData("网页中的数据块 gip-report 不是合法的 JSON") from None
        if not isinstance(yaml_text, str):
            raise BadData("网页中的数据块 gip-report 应是一段文字")
    return Payload(yaml_text, found.get("gip-data"))


# ------------------------------------------------------------------------------------------------- DOCX


def docx_item(p: Payload) -> bytes:
    """customXml/item1.xml: both texts as elements of one document in our namespace."""
    from xml.sax.saxutils import escape
    return ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
            f'<gip-author xmlns="{DOCX_NS}" version="1">\n'
            f'<file name="{CELLS_NAME}" type="application/json">{escape(p.cells_json)}</file>\n'
            f'<file name="{REPORT_NAME}" type="application/yaml">{escape(p.report_yaml)}</file>\n'
            '</gip-author>\n').encode("utf-8")


def docx_props(item_id: str) -> bytes:
    """customXml/itemProps1.xml: the data store item's id and the namespace its content uses."""
    ds = "http://schemas.openxmlformats.org/officeDocument/2006/customXml"
    return ('<?xml version="1.0" encoding="UTF-8" standalone="no"?>\n'
            f'<ds:datastoreItem ds:itemID="{{{item_id}}}" xmlns:ds="{ds}">'
            f'<ds:schemaRefs><ds:schemaRef ds:uri="{DOCX_NS}"/></ds:schemaRefs></ds:datastoreItem>').encode("utf-8")


def attach_docx(document, report: Report) -> None:
    """Add the payload to a python-docx Document as a custom XML part (same report, same item id)."""
    from docx.opc.constants import CONTENT_TYPE as CT
    from docx.opc.constants import RELATIONSHIP_TYPE as RT
    from docx.opc.packuri import PackURI
    from docx.opc.part import Part

    package = document.part.package
    item_id = str(uuid.uuid5(uuid.NAMESPACE_URL, f"gip-author:{report.year}:{report.agency}")).upper()
    name = package.next_partname("/customXml/item%d.xml")          # Word's own template has an item1 already
    item = Part(name, CT.XML, docx_item(payload(report)), package)
    props = Part(PackURI(f"/customXml/itemProps{name.idx}.xml"), CT.OFC_CUSTOM_XML_PROPERTIES,
                 docx_props(item_id), package)
    item.relate_to(props, RT.CUSTOM_XML_PROPS)
    document.part.relate_to(item, RT.CUSTOM_XML)


def _from_docx(data: bytes) -> Payload | None:
    import zipfile
    try:
        z = zipfile.ZipFile(io.BytesIO(data))
        items = [i for i in z.infolist() if _DOCX_ITEM.fullmatch(i.filename)][:50]
    except (zipfile.BadZipFile, OSError, ValueError):
        return None                                    # the page reader says what is wrong with the file
    limit = 2 * (MAX_YAML + MAX_CELLS)                  # XML escapes may lengthen the texts
    for info in items:
        if info.file_size > limit:
            continue
        try:
            with z.open(info) as f:
                xml = f.read(limit + 1)
        except (zipfile.BadZipFile, OSError, ValueError, NotImplementedError, EOFError, zlib.error):
            continue
        if len(xml) > limit or DOCX_NS.encode() not in xml[:500]:
            continue
        return _docx_texts(xml, info.filename)
    return None


def _docx_texts(xml: bytes, name: str) -> Payload:
    from lxml import etree
    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(xml, parser)
    except etree.XMLSyntaxError as e:
        raise BadData(f"Word 文件中的数据部分 {name} 已损坏（{e}）") from None
    if root.tag != f"{{{DOCX_NS}}}gip-author":
        raise BadData(f"Word 文件中的数据部分 {name} 不是本软件写的格式")
    texts = {f.get("name"): f.text or "" for f in root.iter(f"{{{DOCX_NS}}}file")}
    return Payload(texts.get(REPORT_NAME), texts.get(CELLS_NAME))


# ------------------------------------------------------------------------------------------------- PDF


def _from_pdf(data: bytes) -> Payload | None:
    if b"/EmbeddedFile" not in data:                   # an embedded file's stream dictionary is never compressed
        return None
    import pikepdf
    try:
        pdf = pikepdf.open(io.BytesIO(data))
    except Exception:                                  # noqa: BLE001 - the page reader says what is wrong
        return None
    with pdf:
        try:
            specs = {str(name): spec for name, spec in pdf.attachments.items()}
        except Exception:                              # noqa: BLE001 - a damaged name tree: no usable data
            raise BadData("PDF 中的附件目录已损坏") from None
        texts = {}
        for name, limit in ((REPORT_NAME, MAX_YAML), (CELLS_NAME, MAX_CELLS)):
            if name in specs:
                texts[name] = _pdf_file(specs[name].obj, name, limit)
    if not texts:
        return None
    return Payload(texts.get(REPORT_NAME), texts.get(CELLS_NAME))


def _pdf_file(spec, name: str, limit: int) -> str:
    """An embedded file's text, inflated to at most `limit` bytes (a flate bomb stops there)."""
    import pikepdf
    try:
        stream = spec["/EF"]["/F"]
        raw = stream.read_raw_bytes()
        filters = stream.get("/Filter")
        filters = [] if filters is None else [filters] if isinstance(filters, pikepdf.Name) else list(filters)
        if [str(f) for f in filters] not in ([], ["/FlateDecode"]) or "/DecodeParms" in stream:
            raise BadData(f"PDF 附件 {name} 的压缩方式不是本软件写的")
        if filters:
            inflate = zlib.decompressobj()
            raw = inflate.decompress(raw, limit + 1)
            if inflate.unconsumed_tail:
                raw += b"x"                            # more than the limit
    except BadData:
        raise
    except Exception as e:                             # noqa: BLE001 - pikepdf and zlib errors alike
        raise BadData(f"PDF 附件 {name} 无法读出（{type(e).__name__}）") from None
    if len(raw) > limit:
        raise BadData(f"PDF 附件 {name} 超过 {limit // 1024} KB，不是本软件写的数据")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        raise BadData(f"PDF 附件 {name} 不是 UTF-8 文字") from None


# ------------------------------------------------------------------------------------------------- reading


def read_payload(kind: str, data: bytes) -> Payload | None:
    """The payload a published file carries (kind: pdf, docx, html, text), or None when it carries none.

    Raises BadData when there is data under our names that cannot be used."""
    reader = {"pdf": _from_pdf, "docx": _from_docx, "html": _from_html}.get(kind)
    return reader(data) if reader else None
