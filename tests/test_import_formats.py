"""Importing published HTML, DOCX and PDF: the real samples, and every sample rendered by our renderers back again."""
from decimal import Decimal
from pathlib import Path

import pytest

from gip_author.readers import import_report
from gip_author.loader import load
from gip_author.model import export_cells
from gip_author.problems import CannotRead

ROOT = Path(__file__).resolve().parent.parent
REAL = Path(__file__).resolve().parent / "data" / "real"
SAMPLES = sorted((ROOT / "sample_inputs").glob("*.yaml"))


def test_real_html_page_imports_without_the_site_around_it():
    report, notes = import_report(REAL / "pingtan-2023.html")
    assert (report.agency, report.year) == ("平潭综合实验区", 2023)
    c = report.cells
    # figures read by eye from the page's tables
    assert (c["t2.normative_docs.issued"], c["t2.normative_docs.repealed"], c["t2.normative_docs.in_force"]) == (77, 132, 470)
    assert (c["t2.licensing"], c["t2.penalties"], c["t2.coercive_measures"]) == (2629, 1330, 54)
    assert c["t2.fees"] == Decimal("5949.088667")
    assert (c["t3.new.natural"], c["t3.new.business"], c["t3.new.total"]) == (80, 1, 81)
    assert (c["t3.unable_1.natural"], c["t3.denied_8.total"], c["t3.total.total"]) == (31, 2, 81)
    assert [c[f"t4.review.{k}"] for k in ("upheld", "corrected", "other", "pending", "total")] == [1, 1, 0, 0, 2]
    assert [c[f"t4.litigation_direct.{k}"] for k in ("upheld", "pending", "total")] == [4, 1, 5]
    assert all(v is not None for v in c.values())
    assert report.start.isoformat() == "2023-01-01" and "统计期限" not in report.intro
    assert report.general.proactive.startswith("平潭综合实验区切实落实国务院办公厅")
    assert report.other == "2023年，无收取信息处理费情况。"
    assert "网站标识码" not in (report.other + report.improvements) and "首页" not in report.intro
    assert not [n for n in notes if n.severity == "error"]


def test_blank_official_template_reports_blank_cells_instead_of_zeros():
    report, notes = import_report(REAL / "official-template.docx")
    assert all(v is None for v in export_cells(report).values())
    blank = [n for n in notes if n.rule == "import.unreadable-cell"]
    assert {n.zh[:2] for n in blank} == {"表二", "表三", "表四"}
    assert all("表" in n.location.where for n in blank)
    assert any(n.rule == "import.not-found" and "年度" in n.zh for n in notes)


def test_corrupt_docx_is_cannot_read(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04" + b"\x00" * 100)
    with pytest.raises(CannotRead, match="broken.docx"):
        import_report(path)


def _same(imported, original):
    assert export_cells(imported) == export_cells(original)
    assert (imported.agency, imported.year, imported.start, imported.end) == \
        (original.agency, original.year, original.start, original.end)
    for field in ("intro", "disclosure", "requests", "appeals", "improvements", "other"):
        assert (getattr(imported, field) or "") == (getattr(original, field) or ""), field
    for part in ("overview", "proactive", "on_request", "management", "platform", "oversight"):
        assert (getattr(imported.general, part) or "") == (getattr(original.general, part) or ""), part


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_rendered_html_and_docx_import_back_identically(tmp_path, sample):
    from gip_author import render_docx, render_html
    original = load(sample)
    html = tmp_path / "r.html"
    html.write_text(render_html(original), encoding="utf-8")
    docx = tmp_path / "r.docx"
    docx.write_bytes(render_docx(original))
    for path in (html, docx):
        imported, notes = import_report(path)
        _same(imported, original)      # read from the embedded data; any difference of what the file shows is an error
        assert not [n for n in notes if n.severity == "error"]


def test_real_pdf_imports_every_table_cell():
    report, notes = import_report(REAL / "huaian-city-2024.pdf")
    assert (report.agency, report.year, report.kind) == ("淮安市人民政府", 2024, "government")
    c = report.cells
    # figures read by eye from the PDF's pages 3–5
    assert [c[f"t2.normative_docs.{k}"] for k in ("issued", "repealed", "in_force")] == [8, 26, 66]
    assert (c["t2.regulations.issued"], c["t2.regulations.in_force"]) == (1, 11)
    assert (c["t2.licensing"], c["t2.penalties"], c["t2.coercive_measures"]) == (447228, 3985758, 88283)
    assert c["t2.fees"] == Decimal("96171.6")
    assert [c[f"t3.new.{k}"] for k in ("natural", "business", "research", "nonprofit", "legal", "other", "total")] == \
        [3001, 53, 0, 0, 61, 4, 3119]
    # rows whose labels the PDF breaks around their numbers
    assert (c["t3.partly_granted.natural"], c["t3.partly_granted.total"]) == (447, 454)
    assert (c["t3.other_1.natural"], c["t3.other_1.legal"], c["t3.other_1.total"]) == (67, 1, 71)
    assert (c["t3.other_2.total"], c["t3.other_3.total"], c["t3.not_processed_5.total"]) == (6, 110, 1)
    assert (c["t3.total.total"], c["t3.carried_out.natural"]) == (3050, 103)
    assert [c[f"t4.review.{k}"] for k in ("upheld", "corrected", "other", "pending", "total")] == [72, 64, 178, 37, 351]
    assert [c[f"t4.litigation_after_review.{k}"] for k in ("upheld", "pending", "total")] == [12, 6, 20]
    assert all(v is not None for v in c.values())
    assert report.general.platform.startswith("进一步优化政务公开专栏设置")      # heading split off, lines joined
    assert report.improvements.startswith("对照上级新要求和公众新期待") and report.appeals == ""
    assert report.other.endswith("全年收取政府信息公开信息处理费3940元。")
    assert "统计期限" not in report.intro and report.end.isoformat() == "2024-12-31"
    assert not notes


@pytest.mark.parametrize("sample", SAMPLES[:2], ids=lambda p: p.stem)
def test_rendered_pdf_imports_back_identically(tmp_path, sample):
    from gip_author.render.pdf import render_pdf
    original = load(sample)
    path = tmp_path / "r.pdf"
    path.write_bytes(render_pdf(original))
    imported, notes = import_report(path)
    _same(imported, original)
    assert not [n for n in notes if n.severity == "error"]
    assert all(loc.where.startswith("第") and "页" in loc.where for loc in imported.locations.values())


def test_corrupt_and_textless_pdfs_are_cannot_read(tmp_path):
    corrupt = tmp_path / "corrupt.pdf"
    corrupt.write_bytes(b"%PDF-1.4\n" + bytes(range(256)) * 4)
    with pytest.raises(CannotRead, match="corrupt.pdf"):
        import_report(corrupt)
    import pypdfium2 as pdfium
    blank = pdfium.PdfDocument.new()
    blank.new_page(595, 842)
    scanned = tmp_path / "scanned.pdf"
    blank.save(str(scanned))
    with pytest.raises(CannotRead, match="扫描件"):
        import_report(scanned)


def test_text_copied_out_of_a_pdf_reads_like_the_pdf(tmp_path):
    """Lines of space-separated numbers, labels broken around them, page numbers: the token-stream fallback."""
    import pdfplumber
    with pdfplumber.open(REAL / "huaian-city-2024.pdf") as pdf:
        text = "\n".join(page.extract_text() for page in pdf.pages)
    assert "- 3 -" in text and "形，不计其他情形）" in text
    path = tmp_path / "copied.txt"
    path.write_text(text, encoding="utf-8")
    copied, notes = import_report(path)
    original, _ = import_report(REAL / "huaian-city-2024.pdf")
    assert export_cells(copied) == export_cells(original)
    assert not notes
    assert copied.requests == "" and copied.general.platform == original.general.platform
    assert "- 2 -" not in copied.general.platform


def test_blank_cells_in_html_and_pdf_tables_are_reported_where_they_are(tmp_path):
    """A number cell left empty in a published table: None (never 0), reported with page, table, row, column."""
    import re

    import weasyprint

    from gip_author.render.html import render_html
    html = render_html(load(ROOT / "sample_inputs" / "linzi-health-2024.yaml"), data=False)   # a page from elsewhere
    i = html.index(">62<", html.index("行政处罚"))
    html = html[:i] + "><" + html[i + 4:]
    zero = re.compile(r">0<").search(html, html.index("2.重复申请"))
    html = html[:zero.start()] + "><" + html[zero.end():]
    (tmp_path / "blank.html").write_text(html, encoding="utf-8")
    (tmp_path / "blank.pdf").write_bytes(weasyprint.HTML(string=html).write_pdf())
    for name, page in (("blank.html", ""), ("blank.pdf", "第3页 ")):
        report, notes = import_report(tmp_path / name)
        assert report.cells["t2.penalties"] is None and report.cells["t2.licensing"] == 39
        assert report.cells["t3.not_processed_2.natural"] is None and report.cells["t3.not_processed_2.business"] == 0
        blank = [n for n in notes if n.rule == "import.unreadable-cell"]
        assert len(blank) == 2
        assert "行政处罚" in blank[0].zh and blank[0].location.where.startswith(page + "表1 第10行")
        assert "“自然人”是空白" in blank[1].zh and blank[1].location.where.endswith("第20行 第4列")
