"""The report PDF is PDF/A-3u and PDF/UA-1 with its data attached; checked with pikepdf, since veraPDF (Java) is in
none of the registries this project installs from.  What is read here is what a validator reads first: the XMP
claims and the extension schema, /AF with relationships and MIME types, the output intent, the tags (structure
tree, tables with TH and headers, /Lang, the title shown), every font embedded with a Unicode map, and the page
numbers marked as artifacts.  An edit of what the PDF shows is named against its data."""
import io
import json
import zlib
from decimal import Decimal

import pikepdf
import pytest
from lxml import etree

from gip_author import import_report
from gip_author.export import cells_json
from gip_author.loader import loads
from gip_author.render.pdf import render_pdf
from gip_author.yaml_writer import report_yaml
from reports import distinct_report

PDFAID, PDFUAID = "http://www.aiim.org/pdfa/ns/id/", "http://www.aiim.org/pdfua/ns/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"


@pytest.fixture(scope="module")
def report():
    return distinct_report()


@pytest.fixture(scope="module")
def pdf_bytes(report):
    return render_pdf(report)


@pytest.fixture()
def pdf(pdf_bytes):
    with pikepdf.open(io.BytesIO(pdf_bytes)) as p:
        yield p


def _xmp_values(pdf) -> dict[str, str]:
    root = etree.fromstring(pdf.Root.Metadata.read_bytes())
    out = {}
    for el in root.iter(f"{{{RDF}}}Description"):
        for name, value in el.attrib.items():
            out[name] = value
        for child in el:
            out[child.tag] = "".join(child.itertext()).strip()
    return out


def test_xmp_claims_pdfa3u_and_pdfua1_with_the_extension_schema(pdf, report):
    xmp = _xmp_values(pdf)
    assert (xmp[f"{{{PDFAID}}}part"], xmp[f"{{{PDFAID}}}conformance"]) == ("3", "U")
    assert xmp[f"{{{PDFUAID}}}part"] == "1"
    assert xmp["{http://purl.org/dc/elements/1.1/}title"] == report.display_title
    # PDF/A-3 predefines no pdfuaid schema: the XMP must describe it
    schema = xmp["{http://www.aiim.org/pdfa/ns/extension/}schemas"]
    assert PDFUAID in schema and "pdfuaid" in schema and "part" in schema and "Integer" in schema
    assert pdf.pdf_version == "1.7" and str(pdf.docinfo["/Title"]) == report.display_title


def test_both_files_attached_and_associated(pdf, report):
    af = {str(spec["/UF"]): spec for spec in pdf.Root.AF}
    assert set(af) == {"cells.json", "report.yaml"}
    assert str(af["cells.json"]["/AFRelationship"]) == "/Data"
    assert str(af["report.yaml"]["/AFRelationship"]) == "/Source"
    streams = {name: spec["/EF"]["/F"] for name, spec in af.items()}
    assert str(streams["cells.json"]["/Subtype"]) == "/application/json"
    assert str(streams["report.yaml"]["/Subtype"]) == "/application/yaml"
    assert all("/ModDate" in s["/Params"] and "/Desc" in af[n] for n, s in streams.items())
    files = {name: spec.get_file().read_bytes().decode("utf-8") for name, spec in pdf.attachments.items()}
    assert files["cells.json"] == cells_json(report)
    assert json.loads(files["cells.json"])["cells"]["t2.fees"] == 12.34
    assert files["report.yaml"] == report_yaml(report)
    again = loads(files["report.yaml"])
    assert again.model_dump() == report.model_dump()


def test_archival_basics(pdf):
    intent = pdf.Root.OutputIntents[0]
    assert str(intent["/S"]) == "/GTS_PDFA1" and "/DestOutputProfile" in intent
    assert "sRGB" in str(intent["/OutputConditionIdentifier"])
    assert "/Encrypt" not in pdf.trailer and "/JavaScript" not in pdf.Root.get("/Names", {})
    fonts = {}
    for page in pdf.pages:
        for name, font in page.Resources.Font.items():
            fonts[str(font.get("/BaseFont"))] = font
    assert fonts
    for name, font in fonts.items():
        for descendant in font.get("/DescendantFonts", [font]):
            descriptor = descendant["/FontDescriptor"]
            assert any(k in descriptor for k in ("/FontFile", "/FontFile2", "/FontFile3")), name
        assert "/ToUnicode" in font, name          # level "u": every character maps to Unicode


def _elements(pdf):
    """Every structure element reachable from the root, as (tag, element)."""
    todo, seen = [pdf.Root.StructTreeRoot], []
    while todo:
        node = todo.pop()
        kids = node.get("/K")
        for kid in kids if isinstance(kids, pikepdf.Array) else [kids] if kids is not None else []:
            if isinstance(kid, pikepdf.Dictionary) and "/S" in kid:
                seen.append((str(kid["/S"]), kid))
                todo.append(kid)
    return seen


def test_tagged_for_accessibility(pdf):
    assert bool(pdf.Root.MarkInfo.Marked) and str(pdf.Root.Lang) == "zh-CN"
    assert bool(pdf.Root.ViewerPreferences.DisplayDocTitle)
    tags = [t for t, _ in _elements(pdf)]
    assert tags.count("/Table") == 3 and tags.count("/H1") == 1 and tags.count("/H2") == 6
    assert tags.count("/TH") > 70 and tags.count("/P") >= 10    # on paper the heading names each table (no caption)
    cells = [el for t, el in _elements(pdf) if t == "/TD"]
    assert len(cells) >= 200 and all(len(el.A.Headers) >= 1 for el in cells)   # each number knows its headings
    assert all(str(p.Tabs) == "/S" for p in pdf.pages)


def test_page_numbers_are_artifacts_and_nothing_hangs_loose(pdf):
    reachable = {el.objgen for _, el in _elements(pdf)}
    nums = pdf.Root.StructTreeRoot.ParentTree.Nums
    for i, page in enumerate(pdf.pages):
        refs = nums[2 * i + 1]
        assert all(r is None or r.objgen in reachable for r in refs)
        artifacts = [ops for ops, op in pikepdf.parse_content_stream(page)
                     if str(op) == "BDC" and str(ops[0]) == "/Artifact"]
        assert any(str(ops[1].get("/Type")) == "/Pagination" for ops in artifacts)


def test_no_data_pdf_is_still_archival(report):
    with pikepdf.open(io.BytesIO(render_pdf(report, data=False))) as p:
        assert not p.attachments and "/AF" not in p.Root
        xmp = _xmp_values(p)
        assert xmp[f"{{{PDFAID}}}part"] == "3" and xmp[f"{{{PDFUAID}}}part"] == "1"


def _with_data_of(shown: bytes, source: bytes) -> bytes:
    """The PDF `shown` carrying the attachments of `source`: a PDF whose pages were changed after the build."""
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(shown)) as p, pikepdf.open(io.BytesIO(source)) as s:
        for name, spec in s.attachments.items():
            p.attachments[name] = pikepdf.AttachedFileSpec(p, spec.get_file().read_bytes(), filename=name)
        p.save(out)
    return out.getvalue()


def test_pdf_edited_after_build_is_named_place_by_place(tmp_path, report, pdf_bytes):
    edited = report.model_copy(deep=True)
    edited.cells["t3.new.natural"] += 1
    edited.general.proactive = "2024年度我局公布政府信息208条。"
    path = tmp_path / "edited.pdf"
    path.write_bytes(_with_data_of(render_pdf(edited, data=False), pdf_bytes))
    imported, notes = import_report(path)
    assert imported.cells["t3.new.natural"] == report.cells["t3.new.natural"]      # the data, not the page
    differ = [n for n in notes if n.rule == "data.differs"]
    assert [n.severity for n in differ] == ["error", "error"]
    first, second = differ
    assert first.zh.startswith("文件中第 1 处与生成时的数据不一致：“一、总体情况”（一）主动公开的文字，")
    assert "生成时为“……年度我局公布政府信息207条。”，现在为“……年度我局公布政府信息208条。”" in first.zh
    was = report.cells["t3.new.natural"]
    assert second.zh.startswith(f"文件中第 2 处与生成时的数据不一致：表三 一、本年新收政府信息公开申请数量 自然人，"
                                f"生成时为 {was}，现在为 {was + 1}。")
    assert "t3.new.natural" in second.en and (second.expected, second.actual) == (str(was), str(was + 1))
    assert second.location.where.startswith("第") and "表2" in second.location.where


def test_pdf_flate_bomb_in_an_attachment_is_refused_quickly(tmp_path, report):
    bomb = zlib.compress(b"\n" * (20 * 2**20), 9)           # 20 MB of newlines in ~20 KB
    out = io.BytesIO()
    with pikepdf.open(io.BytesIO(render_pdf(report, data=False))) as p:
        spec = pikepdf.AttachedFileSpec(p, b"x", filename="report.yaml")
        p.attachments["report.yaml"] = spec
        stream = p.attachments["report.yaml"].obj["/EF"]["/F"]
        stream.write(bomb, filter=pikepdf.Name.FlateDecode)
        p.save(out)
    path = tmp_path / "bomb.pdf"
    path.write_bytes(out.getvalue())
    imported, notes = import_report(path)
    assert notes[0].rule == "data.invalid" and "超过" in notes[0].zh
    assert imported.cells["t2.fees"] == Decimal("12.34")                       # read as shown


def test_same_report_same_pdf_and_dates_agree(report, monkeypatch):
    """Reproducible (the attachments are dated by SOURCE_DATE_EPOCH or the publication date, never "now"), and
    with a build date the Info dictionary and the XMP say the same, as PDF/A requires."""
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render_pdf(report) == render_pdf(report)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737331200")          # 2025-01-20 00:00 UTC
    data = render_pdf(report)
    with pikepdf.open(io.BytesIO(data)) as p:
        assert str(p.docinfo["/CreationDate"]).startswith("D:20250120000000")
        xmp = _xmp_values(p)
        assert xmp["{http://ns.adobe.com/xap/1.0/}CreateDate"].startswith("2025-01-20T00:00:00")
        assert xmp["{http://ns.adobe.com/xap/1.0/}ModifyDate"].startswith("2025-01-20T00:00:00")
        params = p.attachments["cells.json"].obj["/EF"]["/F"]["/Params"]
        assert str(params["/ModDate"]).startswith("D:20250120")
