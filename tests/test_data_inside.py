"""Data inside the HTML and DOCX: the JSON blocks and the custom XML part carry exactly the export and the YAML;
`import`/`check` read them first and name every place the file was edited; `--no-data` leaves them out; data
that is damaged, too big or inconsistent is refused with a warning and the file is read as shown."""
import io
import json
import re
import shutil
import subprocess
import zipfile
from decimal import Decimal

import lxml.html
import pikepdf
import pytest
from click.testing import CliRunner
from lxml import etree

from gip_author import import_report, load
from gip_author.cli import main
from gip_author.embedded import DOCX_NS
from gip_author.export import cells_json
from gip_author.render.docx import render_docx
from gip_author.render.html import render_html
from gip_author.yaml_writer import report_yaml
from reports import SAMPLES, distinct_report

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


@pytest.fixture(scope="module")
def report():
    r = distinct_report()
    r.disclosure = "规范性文件</script><!-- 见附件 -->&amp; 3件。"    # everything a data block must survive
    return r


def _same(a, b):
    assert a.model_dump() == b.model_dump()


def _data_part(docx: bytes) -> tuple[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        for name in z.namelist():
            data = z.read(name)
            if name.startswith("customXml/item") and DOCX_NS.encode() in data:
                return name, data
    raise AssertionError("no data part")


def test_html_carries_the_export_and_the_yaml(report):
    page = render_html(report)
    doc = lxml.html.fromstring(page)
    scripts = doc.xpath("//script")
    assert [(s.get("type"), s.get("id")) for s in scripts] == [("application/json", "gip-data"),
                                                               ("application/json", "gip-report")]
    assert json.loads(scripts[0].text) == json.loads(cells_json(report))
    assert json.loads(scripts[1].text) == report_yaml(report)
    assert page.count("</script") == 2 and page.count("<!--") == 0      # the narrative's tags stay inside strings
    # the tables are still what readers read: the same number in the cell and in the data
    assert "1100" in [c.text_content().strip() for c in doc.xpath("//td")]


def test_docx_carries_a_custom_xml_part(report):
    docx = render_docx(report)
    name, xml = _data_part(docx)
    root = etree.fromstring(xml)
    files = {f.get("name"): f.text for f in root}
    assert json.loads(files["cells.json"]) == json.loads(cells_json(report))
    assert files["report.yaml"] == report_yaml(report)
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        rels = z.read("word/_rels/document.xml.rels").decode()
        props = z.read(name.replace("item", "itemProps")).decode()
        types = z.read("[Content_Types].xml").decode()
    assert f'relationships/customXml" Target="../{name}"' in rels
    assert DOCX_NS in props and "datastoreItem" in props and "customXmlProperties+xml" in types
    assert render_docx(report) == docx                                   # same report, same bytes


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice is not installed (bash scripts/setup.sh --test)")
def test_docx_data_survives_an_office_save(tmp_path, report):
    """Word keeps the Custom XML Data Store when a file is edited and saved; LibreOffice, the office here, too."""
    src = tmp_path / "in.docx"
    src.write_bytes(render_docx(report))
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/lo", "--convert-to",
                    "docx:MS Word 2007 XML", "--outdir", str(tmp_path / "out"), str(src)],
                   capture_output=True, timeout=180, check=True)
    saved = tmp_path / "out" / "in.docx"
    assert _data_part(saved.read_bytes())
    imported, notes = import_report(saved)
    _same(imported, report)
    assert not [n for n in notes if n.rule.startswith("data.")]


@pytest.mark.parametrize("fmt", ["html", "docx"])
def test_import_reads_the_data_exactly(tmp_path, report, fmt):
    path = tmp_path / f"r.{fmt}"
    if fmt == "html":
        path.write_text(render_html(report), encoding="utf-8")
    else:
        path.write_bytes(render_docx(report))
    imported, notes = import_report(path)
    _same(imported, report)
    assert imported.cells["t2.fees"] == Decimal("12.34") and notes == []


def _edit_docx_cell(docx: bytes, row_label: str, column: int, new: str) -> bytes:
    """Change the text of one cell of the visible table in word/document.xml, nothing else."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w") as zout:
        for info in zin.infolist():
            data = zin.read(info)
            if info.filename == "word/document.xml":
                root = etree.fromstring(data)
                row = next(tr for tr in root.iter(f"{W}tr")
                           if "".join(tr.iter(f"{W}tc").__next__().itertext()).startswith(row_label))
                cell = list(row.iter(f"{W}tc"))[column]
                texts = list(cell.iter(f"{W}t"))
                texts[0].text = new
                data = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
            zout.writestr(info, data)
    return out.getvalue()


def test_check_names_a_number_changed_in_the_docx(tmp_path):
    report = load(SAMPLES[0])                           # a sound report: its own arithmetic holds
    was = report.cells["t3.new.natural"]
    path = tmp_path / "edited.docx"
    path.write_bytes(_edit_docx_cell(render_docx(report), "一、本年新收", 1, str(was + 1)))
    result = CliRunner().invoke(main, ["check", str(path), "--format", "json"])
    assert result.exit_code == 1
    problems = json.loads(result.output)["problems"]
    differ = [p for p in problems if p["rule"] == "data.differs"]
    assert len(differ) == 1
    p = differ[0]
    assert p["message"].startswith(f"文件中第 1 处与生成时的数据不一致：表三 一、本年新收政府信息公开申请数量 自然人，"
                                   f"生成时为 {was}，现在为 {was + 1}。")
    assert "t3.new.natural" in p["message_en"] and p["where"] == "表2 第4行 第4列"
    # the numbers checked are the built ones: the edit does not also show up as broken arithmetic
    assert not [q for q in problems if q["rule"].startswith("t3.")]


def test_import_names_a_sentence_changed_in_the_html(tmp_path, report):
    page = render_html(report).replace("收到政府信息公开申请1件。", "收到政府信息公开申请2件。", 1)
    path = tmp_path / "edited.html"
    path.write_text(page, encoding="utf-8")
    imported, notes = import_report(path)
    assert imported.general.on_request == "收到政府信息公开申请1件。"
    assert [n.rule for n in notes] == ["data.differs"]
    assert notes[0].zh.startswith("文件中第 1 处与生成时的数据不一致：“一、总体情况”（二）依申请公开的文字，"
                                  "生成时为“收到政府信息公开申请1件。”，现在为“收到政府信息公开申请2件。”")


def test_a_blanked_cell_and_many_differences(tmp_path, report):
    page = render_html(report)
    page = re.sub(r"<td([^>]*)>1100</td>", r"<td\1></td>", page, count=1)     # a number removed
    path = tmp_path / "blank.html"
    path.write_text(page, encoding="utf-8")
    _, notes = import_report(path)
    assert "现在为 空（读不出数字）" in notes[0].zh
    # another report's page carrying this report's data: every differing place counts, 30 are listed
    other = render_html(distinct_report().model_copy(update={"cells": dict.fromkeys(report.cells, 0)}), data=False)
    blocks = page[page.index('<script type="application/json" id="gip-data">'):page.rindex("</script>") + 9]
    path.write_text(other.replace("</body>", blocks + "</body>"), encoding="utf-8")
    _, notes = import_report(path)
    differ = [n for n in notes if n.rule == "data.differs"]
    assert len(differ) == 31 and differ[-1].zh.startswith("文件中另有 ")


def test_no_data_flag(tmp_path):
    sample = SAMPLES[0]
    result = CliRunner().invoke(main, ["build", str(sample), "-o", str(tmp_path), "--no-data"])
    assert result.exit_code == 0, result.output
    html = next(tmp_path.glob("*.html")).read_text(encoding="utf-8")
    assert "<script" not in html
    docx = next(tmp_path.glob("*.docx")).read_bytes()
    with zipfile.ZipFile(io.BytesIO(docx)) as z:
        assert not any(DOCX_NS.encode() in z.read(n) for n in z.namelist() if n.startswith("customXml/"))
    with pikepdf.open(next(tmp_path.glob("*.pdf"))) as pdf:
        assert not pdf.attachments and "/AF" not in pdf.Root and "/StructTreeRoot" in pdf.Root
    imported, notes = import_report(next(tmp_path.glob("*.html")))      # read as shown, as before
    assert imported.agency and not [n for n in notes if n.rule.startswith("data.")]


# ------------------------------------------------------------------------------------- hostile data


def _page_with(report, data_block: str, report_block: str | None = None) -> str:
    page = render_html(report, data=False)
    blocks = f'<script type="application/json" id="gip-data">{data_block}</script>'
    if report_block is not None:
        blocks += f'<script type="application/json" id="gip-report">{report_block}</script>'
    return page.replace("</body>", blocks + "</body>")


@pytest.mark.parametrize("case, why", [
    ("yaml-not-string", "应是一段文字"),
    ("yaml-broken", "YAML"),
    ("cells-disagree", "数字不一致"),
    ("cells-not-json", "不是合法的 JSON"),
    ("cells-nested", "不是合法的 JSON"),
    ("no-end", "没有结尾"),
    ("only-cells", "缺少 report.yaml"),
    ("yaml-comments-only", "report.yaml"),
])
def test_unusable_data_is_refused_and_the_page_read_as_shown(tmp_path, report, case, why):
    cells = cells_json(report)
    yaml_text = json.dumps(report_yaml(report), ensure_ascii=False).replace("<", "\\u003c")
    page = {
        "yaml-not-string": lambda: _page_with(report, cells, "[1, 2]"),
        "yaml-broken": lambda: _page_with(report, cells, json.dumps("机关: [未闭合\n年度: 2024")),
        "cells-disagree": lambda: _page_with(report, cells.replace('"t3.new.natural": 1', '"t3.new.natural": 9', 1),
                                             yaml_text),
        "cells-not-json": lambda: _page_with(report, "{not json", yaml_text),
        "cells-nested": lambda: _page_with(report, "[" * 100000 + "]" * 100000, yaml_text),
        "no-end": lambda: render_html(report, data=False).replace(
            "</body>", '<script type="application/json" id="gip-report">"' + "x" * (13 * 2**20)),
        "only-cells": lambda: _page_with(report, cells),
        "yaml-comments-only": lambda: _page_with(report, cells, json.dumps("# 只有注释")),
    }[case]()
    path = tmp_path / "hostile.html"
    path.write_text(page, encoding="utf-8")
    imported, notes = import_report(path)
    assert notes[0].rule == "data.invalid" and notes[0].severity == "warning" and why in notes[0].zh, notes[0].zh
    assert imported.cells["t3.new.natural"] == report.cells["t3.new.natural"]      # from the visible table


def test_docx_data_part_too_big_or_broken(tmp_path, report):
    docx = render_docx(report)
    name, _ = _data_part(docx)
    for payload, why in ((f'<gip-author xmlns="{DOCX_NS}"><file name="report.yaml">'.encode() + b"x" * (5 * 2**20)
                          + b"</file></gip-author>", None),
                         (f'<gip-author xmlns="{DOCX_NS}"><file name="report.yaml">'.encode(), "已损坏")):
        out = io.BytesIO()
        with zipfile.ZipFile(io.BytesIO(docx)) as zin, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            for info in zin.infolist():
                zout.writestr(info, payload if info.filename == name else zin.read(info))
        path = tmp_path / "hostile.docx"
        path.write_bytes(out.getvalue())
        imported, notes = import_report(path)
        data_notes = [n for n in notes if n.rule.startswith("data.")]
        if why is None:
            assert data_notes == []                       # a part beyond the bound is not read: a file without data
        else:
            assert data_notes[0].rule == "data.invalid" and why in data_notes[0].zh
        assert imported.cells["t3.new.natural"] == report.cells["t3.new.natural"]


def test_data_with_an_unreadable_page(tmp_path, report):
    """The data is there but the page shows no report at all: imported from the data, with a warning."""
    page = render_html(report)
    start, end = page.index("<main"), page.index("</main>") + len("</main>")
    path = tmp_path / "stripped.html"
    path.write_text(page[:start] + "<p>已删除</p>" + page[end:], encoding="utf-8")
    imported, notes = import_report(path)
    _same(imported, report)
    assert [n.rule for n in notes] == ["data.unchecked"]


def test_a_draft_pdf_and_a_letterhead_page_agree_with_their_data(tmp_path):
    """The draft's 草稿 watermark and an agency's letterhead are part of what the file shows, not edits."""
    from gip_author.render.pdf import render_pdf
    report = load(SAMPLES[0])
    draft = tmp_path / "draft.pdf"
    draft.write_bytes(render_pdf(report, draft=True))
    tpl = tmp_path / "tpl"
    tpl.mkdir()
    (tpl / "report.html.j2").write_text("{% extends 'report.html.j2' %}{% block letterhead %}"
                                        "<p class=\"letterhead\">{{ doc.agency }}文件</p>{% endblock %}",
                                        encoding="utf-8")
    page = tmp_path / "letterhead.html"
    page.write_text(render_html(report, templates_dir=tpl), encoding="utf-8")
    assert "文件</p>" in page.read_text(encoding="utf-8")
    for path in (draft, page):
        imported, notes = import_report(path)
        _same(imported, report)
        assert not [n for n in notes if n.rule.startswith("data.")], path.name
