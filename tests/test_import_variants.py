"""Every sample, and a report whose numbers are all different and add up, rendered by us and then re-published
the ways real reports reach a clerk (tests/layouts.py), imports back with all 200 cells right."""
from decimal import Decimal

import pytest

from gip_author import cells as C
from gip_author.readers import import_report
from gip_author.importer.arith import settle
from gip_author.importer.blocks import Cell, Table
from gip_author.location import Location
from gip_author.loader import load
from gip_author.model import export_cells
from gip_author.problems import CannotRead
from gip_author.render.docx import render_docx
from gip_author.render.pdf import render_pdf

import layouts
from reports import SAMPLES

TEXT_LAYOUTS = {
    "layout": lambda pdf, dx: layouts.pdftotext(pdf, "-layout"),
    "raw": lambda pdf, dx: layouts.pdftotext(pdf),
    "-raw": lambda pdf, dx: layouts.pdftotext(pdf, "-raw"),
    "cells": lambda pdf, dx: layouts.one_cell_per_line(dx),
    "pipes": lambda pdf, dx: layouts.pipe_rows(dx),
    "traditional": lambda pdf, dx: layouts.traditional(layouts.pdftotext(pdf, "-layout")),
    "pagebreak": lambda pdf, dx: layouts.page_break_in_table3(layouts.pdftotext(pdf, "-layout")),
    "traditional-raw": lambda pdf, dx: layouts.traditional(layouts.pdftotext(pdf)),
}
REPORTS = {s.stem: (lambda s=s: load(s)) for s in SAMPLES} | {"balanced": layouts.balanced_report}


@pytest.fixture(scope="module")
def rendered(tmp_path_factory):
    """name -> (report, its PDF, its DOCX), rendered once."""
    out, made = tmp_path_factory.mktemp("rendered"), {}

    def get(name):
        if name not in made:
            report = REPORTS[name]()
            pdf, dx = out / f"{name}.pdf", out / f"{name}.docx"
            pdf.write_bytes(render_pdf(report))
            dx.write_bytes(render_docx(report))
            made[name] = (report, pdf, dx)
        return made[name]
    return get


def _differences(got, want):
    got = export_cells(got)
    return {k: (got[k], v) for k, v in export_cells(want).items() if got[k] != v}


@pytest.mark.parametrize("layout", TEXT_LAYOUTS)
@pytest.mark.parametrize("name", REPORTS)
def test_text_layouts_import_all_200_cells(rendered, tmp_path, name, layout):
    report, pdf, dx = rendered(name)
    path = tmp_path / f"{name}.{'md' if layout == 'pipes' else 'txt'}"
    path.write_text(TEXT_LAYOUTS[layout](pdf, dx), encoding="utf-8")
    got, notes = import_report(path)
    assert _differences(got, report) == {}
    assert (got.agency, got.year) == (report.agency, report.year)
    assert not [n for n in notes if n.rule.startswith("import.")]


def test_plain_pdftotext_gives_table2_labels_first_then_its_numbers(rendered, tmp_path):
    report, pdf, _ = rendered("balanced")
    text = layouts.pdftotext(pdf)
    labels = text.index("行政规范性文件")
    assert str(report.cells["t2.regulations.issued"]) not in text[labels - 40:labels]   # the layout this reads
    # the 第二十条 rows set left (as in the official template) make pdftotext give Table 2 column by column
    issued = text[text.index("本年制发件数") + len("本年制发件数"):text.index("本年废止件数")].split()
    assert issued == [str(report.cells[f"t2.{key}.issued"]) for key in ("regulations", "normative_docs")]
    path = tmp_path / "raw.txt"
    path.write_text(text, encoding="utf-8")
    got, _ = import_report(path)
    assert [got.cells[f"t2.normative_docs.{c}"] for c, _ in C.T2_ART1_COLUMNS] == \
        [report.cells[f"t2.normative_docs.{c}"] for c, _ in C.T2_ART1_COLUMNS]
    assert got.cells["t2.fees"] == Decimal("4068.208")


def test_plain_pdftotext_with_a_number_missing_leaves_table2_unread_rather_than_shifted(rendered, tmp_path):
    report, pdf, _ = rendered("balanced")
    text = layouts.pdftotext(pdf)
    fees = text.index("本年收费金额")
    value = str(report.cells["t2.fees"])
    cut = text.index(value, fees)
    path = tmp_path / "raw.txt"
    path.write_text(text[:cut] + text[cut + len(value):], encoding="utf-8")
    got, notes = import_report(path)
    assert all(got.cells[cid] is None for cid in C.CELL_IDS if cid.startswith("t2."))
    assert any(n.rule == "import.unreadable-cell" and "表二" in n.zh and n.location.line for n in notes)


def test_scanned_pdf_is_read_by_ocr_every_number_right_and_flagged(rendered, tmp_path):
    report, pdf, _ = rendered("balanced")
    scan = layouts.scanned(pdf, tmp_path / "scan", dpi=150)
    got, notes = import_report(scan)
    assert _differences(got, report) == {}
    assert (got.agency, got.year) == (report.agency, report.year)
    ocr = [n for n in notes if n.rule == "import.ocr"]
    assert len(ocr) == 1 and ocr[0].severity == "warning" and "200 个数" in ocr[0].zh and "文字识别" in ocr[0].zh
    assert "合计关系都已核对相符" in ocr[0].zh and ocr[0].location.where.startswith("第")
    assert not [n for n in notes if n.severity == "error"]


def test_a_scan_askew_on_grey_noisy_paper_gives_no_wrong_number(rendered, tmp_path):
    report, pdf, _ = rendered("balanced")
    scan = layouts.scanned(pdf, tmp_path / "scan", dpi=200, angle=0.7, noise=12, jpeg=70)
    got, notes = import_report(scan)
    wrong = {k: v for k, v in _differences(got, report).items() if v[0] is not None}
    assert wrong == {}
    assert sum(v is not None for v in export_cells(got).values()) >= 190
    assert got.year == report.year and got.agency.endswith("县自然资源局")    # one character of it may be misread


def test_scanned_pdf_without_the_ocr_engine_says_what_to_install(rendered, tmp_path, monkeypatch):
    from gip_author.importer import ocr
    _, pdf, _ = rendered("balanced")
    scan = layouts.scanned(pdf, tmp_path / "scan", pages="1-1")
    monkeypatch.setattr(ocr, "_engine", lambda: "本机没有安装文字识别程序 Tesseract（请运行 scripts/setup.sh）")
    with pytest.raises(CannotRead) as e:
        import_report(scan)
    assert "扫描件" in str(e.value) and "Tesseract" in str(e.value) and "setup.sh" in str(e.value)


# ---- the arithmetic as a check on OCR readings (settle), on a report whose sums hold


def _ocr_report(readings: dict[str, tuple[str, ...]]):
    """A balanced report whose cells in `readings` come from OCR with those readings (first = taken)."""
    report = layouts.balanced_report(3)
    row = []
    for cid, alts in readings.items():
        where = Location("scan.pdf", where=f"第2页 表1 第{len(row) + 1}行 第2列")
        row.append(Cell(alts[0], where, alts))
        report.locations[cid] = where
        report.cells[cid] = int(alts[0]) if alts[0].isdigit() else None
    report.source = "scan.pdf"
    return report, [Table([row])]


def test_arithmetic_takes_the_other_ocr_reading_when_only_it_makes_the_sums_hold():
    truth = layouts.balanced_report(3)
    cid = "t3.denied_4.natural"
    right = truth.cells[cid]
    report, blocks = _ocr_report({cid: (str(right + 5), str(right)), "t3.new.natural": (str(truth.cells["t3.new.natural"]),)})
    settle(report, blocks)
    assert report.cells[cid] == right
    fixed = [n for n in report.load_problems if n.rule == "import.ocr-corrected"]
    assert len(fixed) == 1 and f"取 {right}" in fixed[0].zh and str(right + 5) in fixed[0].zh
    assert fixed[0].location.where == "第2页 表1 第1行 第2列"


def test_arithmetic_leaves_a_misread_number_empty_where_two_broken_sums_cross():
    truth = layouts.balanced_report(3)
    cid = "t3.unable_1.legal"
    report, blocks = _ocr_report({cid: (str(truth.cells[cid] + 30),)})
    settle(report, blocks)
    assert report.cells[cid] is None
    assert all(report.cells[k] == v for k, v in truth.cells.items() if k != cid)
    blank = [n for n in report.load_problems if n.rule == "import.unreadable-cell"]
    assert len(blank) == 1 and str(truth.cells[cid] + 30) in blank[0].zh and "合计" in blank[0].zh
    assert blank[0].location.where == "第2页 表1 第1行 第2列"


def test_two_different_readings_of_a_table2_number_are_not_settled_by_a_guess():
    report, blocks = _ocr_report({"t2.licensing": ("318", "818")})
    settle(report, blocks)
    assert report.cells["t2.licensing"] is None
    assert any("318" in n.zh and "818" in n.zh for n in report.load_problems if n.rule == "import.unreadable-cell")


def test_traditional_copy_with_pinyin_glosses_notes_in_cells_and_half_width_brackets(rendered, tmp_path):
    report, pdf, _ = rendered("balanced")
    text = layouts.pdftotext(pdf, "-layout")
    issued, repealed, in_force = (report.cells[f"t2.regulations.{c}"] for c, _ in C.T2_ART1_COLUMNS)
    line = next(ln for ln in text.split("\n") if ln.strip().startswith("规章"))
    noted = f"    规章      {issued}（其中修订16件）    {repealed}     {in_force}(含自然失效29件)"
    text = text.replace(line, noted).replace("第二十条第（一）项", "第二十条第(一)项")
    text = layouts.traditional(text).replace("規章", "規(guī)章")
    assert "(guī)" in text and "（其中修訂16件）" in text
    path = tmp_path / "trad.txt"
    path.write_text(text, encoding="utf-8")
    got, notes = import_report(path)
    assert _differences(got, report) == {}
    assert not [n for n in notes if n.rule.startswith("import.")]


@pytest.mark.parametrize("how", ["document.write", "innerHTML", "escaped"])
def test_web_page_that_writes_the_report_from_a_javascript_string(rendered, tmp_path, how):
    import json
    from gip_author.render.html import render_html
    report = layouts.balanced_report(5)
    page = render_html(report, data=False)          # a site's page: no data blocks of ours
    body = page[page.index("<body"):page.rindex("</body>")]
    body = body[body.index(">") + 1:]
    if how == "document.write":
        script = "document.write(" + " +\n".join(json.dumps(line, ensure_ascii=False)
                                                for line in body.split("\n")) + ");"
    elif how == "innerHTML":
        script = "var html = '" + body.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + \
                 "';\ndocument.getElementById('content').innerHTML = html;"
    else:
        script = "document.write(" + json.dumps(body) + ");"          # every Chinese character as \\uXXXX
    html = (f"<html><head><meta charset='utf-8'><title>{report.agency}2024年政府信息公开工作年度报告</title>"
            f"</head><body><div id='content'></div><script>{script}</script></body></html>")
    assert "本年新收" not in html.replace(script, "")
    path = tmp_path / "page.html"
    path.write_text(html, encoding="utf-8")
    got, notes = import_report(path)
    assert _differences(got, report) == {}
    assert (got.agency, got.year) == (report.agency, report.year)


@pytest.mark.parametrize("by_columns", [False, True])
def test_table3_labels_first_then_numbers_by_rows_or_by_columns_the_sums_tell_which(rendered, tmp_path, by_columns):
    report, pdf, _ = rendered("balanced")
    text = layouts.table3_labels_then(report, layouts.pdftotext(pdf), by_columns)
    path = tmp_path / "t3.txt"
    path.write_text(text, encoding="utf-8")
    got, notes = import_report(path)
    assert _differences(got, report) == {}
    assert not [n for n in notes if n.rule.startswith("import.")]


def test_table3_numbers_whose_order_the_sums_cannot_tell_stay_unread(rendered, tmp_path):
    import random
    report, rnd = layouts.balanced_report(5), random.Random(1)
    for cid in C.CELL_IDS:
        if cid.startswith("t3."):
            report.cells[cid] = rnd.randint(0, 50)            # a table whose sums hold neither way
    _, pdf, _ = rendered("balanced")
    text = layouts.table3_labels_then(report, layouts.pdftotext(pdf), by_columns=True)
    path = tmp_path / "t3.txt"
    path.write_text(text, encoding="utf-8")
    got, notes = import_report(path)
    assert all(got.cells[cid] is None for cid in C.CELL_IDS if cid.startswith("t3."))
    assert [n for n in notes if n.rule in ("import.unreadable-cell", "import.not-found") and "表三" in n.zh]


def _pipes(rendered, name="balanced"):
    report, _, dx = rendered(name)
    return report, layouts.pipe_rows(dx).split("\n")


def test_markdown_from_someone_elses_ocr_columns_named_data_1_to_7_and_a_stray_header_row(rendered, tmp_path):
    report, lines = _pipes(rendered)
    first = next(i for i, ln in enumerate(lines) if "本年新收" in ln)
    head = next(i for i in range(first, 0, -1) if lines[i].startswith("|---"))
    generic = "| 项目 |  |  | " + " | ".join(f"数据{k}" for k in range(1, 8)) + " |"
    other = next(i for i, ln in enumerate(lines) if "2.申请人逾期未按收费通知" in ln)
    lines = lines[:head - 1] + [generic, "|---" * 10 + "|"] + lines[first:other] + [generic] + lines[other:]
    path = tmp_path / "ocr.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    got, notes = import_report(path)
    assert _differences(got, report) == {}
    assert not [n for n in notes if n.rule.startswith("import.")]


def test_blank_cells_of_a_scraped_page_are_reported_where_they_are_never_read_as_numbers(rendered, tmp_path):
    report, lines = _pipes(rendered)
    out = []
    for ln in lines:
        cells = ln.split("|")
        if any(r.label[:6] in ln for r in C.T3_ROWS[:2] + C.T3_ROWS[4:]) and len(cells) == 12:
            cells[5:10] = [" "] * 5                      # the five 法人或其他组织 columns left empty
        out.append("|".join(cells))
    path = tmp_path / "scraped.md"
    path.write_text("\n".join(out), encoding="utf-8")
    got, notes = import_report(path)
    legal = [c for c, _ in C.T3_COLUMNS[1:6]]
    blanked = {C.t3(r.key, c) for r in C.T3_ROWS[:2] + C.T3_ROWS[4:] for c in legal}
    assert all(got.cells[cid] is None for cid in blanked)
    assert all(got.cells[cid] == v for cid, v in report.cells.items() if cid not in blanked)
    blank = [n for n in notes if n.rule == "import.unreadable-cell"]
    assert blank and all(n.location and n.location.line for n in blank)
    assert "商业企业" in blank[0].zh and "空白" in blank[0].zh


def test_two_misread_cells_of_one_sum_are_corrected_together_when_only_that_pair_makes_it_hold():
    truth = layouts.balanced_report(3)
    a, b = "t4.review.upheld", "t4.review.pending"
    report, blocks = _ocr_report({a: (str(truth.cells[a] + 1), str(truth.cells[a])),
                                  b: (str(truth.cells[b] + 1), str(truth.cells[b]))})
    settle(report, blocks)
    assert (report.cells[a], report.cells[b]) == (truth.cells[a], truth.cells[b])
    assert len([n for n in report.load_problems if n.rule == "import.ocr-corrected"]) == 2


def test_a_sum_two_readings_could_each_repair_is_left_empty_at_the_unsure_cells_only():
    truth = layouts.balanced_report(3)
    a, b, c = "t4.review.upheld", "t4.review.pending", "t4.review.corrected"
    report, blocks = _ocr_report({a: (str(truth.cells[a] + 1), str(truth.cells[a])),
                                  b: (str(truth.cells[b]), str(truth.cells[b] - 1)),
                                  c: (str(truth.cells[c]),)})
    settle(report, blocks)       # a -> right, or b -> one less: both make the sum hold, so neither is taken
    assert report.cells[a] is None and report.cells[b] is None and report.cells[c] == truth.cells[c]
    assert not [n for n in report.load_problems if n.rule == "import.ocr-corrected"]


def test_a_scan_with_a_digital_page_number_stamped_on_each_page_is_still_read_by_ocr(rendered, tmp_path):
    import weasyprint
    from pypdf import PdfReader, PdfWriter
    report, pdf, _ = rendered("balanced")
    scan = layouts.scanned(pdf, tmp_path / "scan", pages="2-2")
    stamp_pdf = tmp_path / "stamp.pdf"
    weasyprint.HTML(string="<style>@page{size:A4;margin:0}</style><p style='margin-top:800pt;text-align:center'>"
                    "— 3 —</p>").write_pdf(stamp_pdf)
    stamp = PdfReader(stamp_pdf).pages[0]
    out = PdfWriter(clone_from=scan)
    for page in out.pages:
        page.merge_page(stamp)
    stamped = tmp_path / "stamped.pdf"
    with open(stamped, "wb") as f:
        out.write(f)
    assert "3" in layouts.pdftotext(stamped)                  # a text layer, but only the page number
    got, notes = import_report(stamped)
    assert any(n.rule == "import.ocr" for n in notes)
    assert got.cells["t3.new.total"] == report.cells["t3.new.total"]


def test_a_number_split_in_two_by_someone_elses_ocr_is_joined_only_when_the_row_total_says_so(rendered, tmp_path):
    report, lines = _pipes(rendered)
    key = next(r.key for r in C.T3_ROWS if report.cells[C.t3(r.key, "natural")] >= 10)
    value = report.cells[C.t3(key, "natural")]
    split = f"{str(value)[:1]} {str(value)[1:]}"
    label = C.T3_ROW_BY_KEY[key].label
    lines = [ln.replace(f"| {value} |", f"| {split} |", 1) if label in ln else ln for ln in lines]
    path = tmp_path / "split.md"
    path.write_text("\n".join(lines), encoding="utf-8")
    got, notes = import_report(path)
    assert _differences(got, report) == {}
    assert [n for n in notes if n.rule == "import.guessed" and str(value) in n.zh]


def test_a_text_page_over_a_full_page_picture_keeps_its_own_text_and_is_not_ocred(tmp_path, monkeypatch):
    import base64
    import io

    import weasyprint
    from PIL import Image

    from gip_author.importer import ocr
    from gip_author.importer.blocks import Paragraph
    from gip_author.importer.pdf import pdf_blocks
    buf = io.BytesIO()
    Image.new("RGB", (600, 850), (250, 240, 230)).save(buf, "PNG")
    picture = base64.b64encode(buf.getvalue()).decode()
    html = ("<style>@page{size:A4;margin:0} img{position:absolute;top:0;left:0;width:210mm;height:297mm}"
            "h1{position:relative;margin-top:300pt;text-align:center}</style>"
            f"<img src='data:image/png;base64,{picture}'><h1>某某县卫生健康局2024年政府信息公开工作年度报告</h1>")
    pdf = tmp_path / "cover.pdf"
    weasyprint.HTML(string=html).write_pdf(pdf)
    monkeypatch.setattr(ocr, "read_pages", lambda *a: pytest.fail("a page with its own text was sent to OCR"))
    blocks = pdf_blocks(pdf.read_bytes(), str(pdf))
    assert any("2024年政府信息公开工作年度报告" in b.text for b in blocks if isinstance(b, Paragraph))


def test_a_scan_whose_tables_have_no_ruling_lines_is_still_flagged_as_read_by_ocr(rendered, tmp_path, monkeypatch):
    from gip_author.importer import ocr
    _, pdf, _ = rendered("balanced")
    scan = layouts.scanned(pdf, tmp_path / "scan", pages="1-1")
    monkeypatch.setattr(ocr, "rulings", lambda gray, scale: ([], []))        # as if the table had no lines
    got, notes = import_report(scan)
    flagged = [n for n in notes if n.rule == "import.ocr"]
    assert len(flagged) == 1 and "没有找到表格线" in flagged[0].zh and flagged[0].location.where == "第1页"
