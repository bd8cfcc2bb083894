"""The DOCX renderer: reopened with python-docx, every merge, label, number, font and page setting is where
the official format and GB/T 9704 put it; drafts carry a watermark; equal input gives equal bytes."""
import datetime as dt
import io
import re
import zipfile
from decimal import Decimal

import docx
import pytest
from docx.oxml.ns import qn

from gip_author import cells as C
from gip_author.loader import load
from gip_author.model import export_cells
from gip_author.render.docx import render_docx

from reports import SAMPLES, distinct_report  # noqa: E402  (tests/ is on sys.path)
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"




@pytest.fixture(scope="module")
def report():
    return distinct_report()


@pytest.fixture(scope="module")
def data(report):
    return render_docx(report)


@pytest.fixture(scope="module")
def doc(data):
    return docx.Document(io.BytesIO(data))


def part_xml(data: bytes, name: str) -> str:
    return zipfile.ZipFile(io.BytesIO(data)).read(name).decode("utf-8")


def grid(table) -> list[list[str]]:
    """Text at every grid position (a merged cell's text repeats over its span)."""
    return [[cell.text for cell in row.cells] for row in table.rows]


def unique_cells(table):
    seen, out = set(), []
    for row in table.rows:
        for cell in row.cells:
            if id(cell._tc) not in seen:
                seen.add(id(cell._tc))
                out.append(cell)
    return out


def tc_props(tc):
    span = tc.find(f"{W}tcPr/{W}gridSpan")
    vmerge = tc.find(f"{W}tcPr/{W}vMerge")
    return (int(span.get(qn("w:val"))) if span is not None else 1,
            None if vmerge is None else (vmerge.get(qn("w:val")) or "continue"))


# ---------------------------------------------------------------------------------------------- tables


def test_three_tables_in_official_shape(doc):
    t2, t3, t4 = doc.tables
    assert (len(t2.rows), len(t2.columns)) == (14, 4)
    assert (len(t3.rows), len(t3.columns)) == (28, 10)
    assert (len(t4.rows), len(t4.columns)) == (4, 15)


def test_table3_header_merges(doc):
    t3 = doc.tables[1]
    row0 = t3.rows[0]._tr.tc_lst
    assert [tc_props(tc) for tc in row0] == [(3, "restart"), (7, None)]
    assert t3.cell(0, 0).text == C.T3_CORNER
    assert t3.cell(0, 5).text == C.T3_APPLICANTS
    row1 = t3.rows[1]._tr.tc_lst
    assert [tc_props(tc) for tc in row1] == [(3, "continue"), (1, "restart"), (5, None), (1, "restart")]
    assert [t3.cell(1, c).text for c in (3, 4, 9)] == ["自然人", C.T3_LEGAL_PERSONS, "总计"]
    assert grid(t3)[2][3:] == ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"]
    # the corner and the spanning headers are one cell each, not copies
    assert t3.cell(0, 0)._tc is t3.cell(2, 2)._tc
    assert t3.cell(1, 4)._tc is t3.cell(1, 8)._tc


def test_table3_row_labels_and_vertical_spans(doc):
    t3 = doc.tables[1]
    g = grid(t3)
    for i, row in enumerate(C.T3_ROWS):
        assert g[3 + i][2] == row.label, row.key
        if not row.group:
            assert g[3 + i][0] == g[3 + i][1] == row.label
        elif row.group == C.T3_RESULTS:
            assert g[3 + i][0] == C.T3_RESULTS and g[3 + i][1] == row.label
        else:
            assert g[3 + i][1] == row.group
    results = t3.cell(5, 0)._tc
    assert tc_props(results) == (1, "restart") and t3.cell(5, 0).text == C.T3_RESULTS
    assert sum(t3.cell(r, 0)._tc is results for r in range(28)) == 22  # （一） … （七）总计
    spans = {group: sum(1 for r in C.T3_ROWS if r.group == group) for group in C.T3_SUBGROUPS}
    assert spans == {"（三）不予公开": 8, "（四）无法提供": 3, "（五）不予处理": 5, "（六）其他处理": 3}
    for group, n in spans.items():
        first = next(i for i, r in enumerate(C.T3_ROWS) if r.group == group) + 3
        tc = t3.cell(first, 1)._tc
        assert tc_props(tc) == (1, "restart") and t3.cell(first, 1).text == group
        assert [t3.cell(first + k, 1)._tc is tc for k in range(n + 1)] == [True] * n + [False]


def test_table4_merges(doc):
    t4 = doc.tables[2]
    assert [tc_props(tc) for tc in t4.rows[0]._tr.tc_lst] == [(5, None), (10, None)]
    assert [c.text for c in unique_cells(t4)][:2] == [C.T4_REVIEW, C.T4_LITIGATION]
    assert [tc_props(tc) for tc in t4.rows[1]._tr.tc_lst] == [(1, "restart")] * 5 + [(5, None)] * 2
    g = grid(t4)
    labels = [label for _, label in C.T4_COLUMNS]
    assert g[1][5] == "未经复议直接起诉" and g[1][10] == "复议后起诉"
    assert g[2] == labels * 3
    assert t4.cell(1, 0)._tc is t4.cell(2, 0)._tc


def test_table2_blocks(doc):
    g = grid(doc.tables[1 - 1])
    assert [row[0] for row in g] == [
        "第二十条第（一）项", "信息内容", "规章", "行政规范性文件",
        "第二十条第（五）项", "信息内容", "行政许可",
        "第二十条第（六）项", "信息内容", "行政处罚", "行政强制",
        "第二十条第（八）项", "信息内容", "行政事业性收费"]
    assert g[0] == ["第二十条第（一）项"] * 4
    assert g[1] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert g[5] == ["信息内容"] + ["本年处理决定数量"] * 3
    assert g[12] == ["信息内容"] + ["本年收费金额（单位：万元）"] * 3
    # as in the official template: the 第二十条 rows shaded C6D9F1 and set left; the tables in 仿宋 as in the PDF
    for row in doc.tables[0].rows:
        tc = row.cells[0]._tc
        shaded = tc.tcPr.find(qn("w:shd")) is not None and tc.tcPr.find(qn("w:shd")).get(qn("w:fill")) == "C6D9F1"
        assert shaded == row.cells[0].text.startswith("第二十条"), row.cells[0].text
        if shaded:
            assert row.cells[0].paragraphs[0].paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.LEFT
        run = row.cells[0].paragraphs[0].runs[0]._r
        assert run.rPr.find(qn("w:rFonts")).get(qn("w:eastAsia")) == "仿宋_GB2312"


def expected_positions():
    """Canonical cell id -> (table, row, column), written out from the official template's grid."""
    pos = {}
    t2 = {"regulations": 2, "normative_docs": 3}
    for key, r in t2.items():
        for c, col in enumerate(("issued", "repealed", "in_force")):
            pos[f"t2.{key}.{col}"] = (0, r, 1 + c)
    for key, r in {"licensing": 6, "penalties": 9, "coercive_measures": 10, "fees": 13}.items():
        pos[f"t2.{key}"] = (0, r, 1)
    for i, row in enumerate(C.T3_ROWS):
        for j, (col, _) in enumerate(C.T3_COLUMNS):
            pos[C.t3(row.key, col)] = (1, 3 + i, 3 + j)
    for g, (group, _) in enumerate(C.T4_GROUPS):
        for j, (col, _) in enumerate(C.T4_COLUMNS):
            pos[C.t4(group, col)] = (2, 3, 5 * g + j)
    assert len(pos) == 200
    return pos


def test_every_number_in_its_cell(doc, report):
    grids = [grid(t) for t in doc.tables]
    for cell_id, (t, r, c) in expected_positions().items():
        expected = "12.34" if cell_id == "t2.fees" else str(report.cells[cell_id])
        assert grids[t][r][c] == expected, cell_id
    numbers = sorted(int(c.text) for t in doc.tables for c in unique_cells(t) if c.text.isdigit())
    assert numbers == [n for n in range(1000, 1200) if n != 1009]  # each once; 1009 is the 万元 cell


def test_merged_cells_hold_only_their_label(doc):
    for table in doc.tables:
        for cell in unique_cells(table):
            assert len(cell.paragraphs) == 1, cell.text
    for tc in doc.element.body.iter(f"{W}tc"):
        if tc_props(tc)[1] == "continue":
            assert "".join(tc.itertext()) == ""


def test_table_borders_header_rows_and_unsplittable_rows(doc):
    for table, header_rows in zip(doc.tables, (0, 3, 3)):
        tbl = table._tbl
        borders = tbl.find(f"{W}tblPr/{W}tblBorders")
        assert [b.tag.removeprefix(W) for b in borders] == ["top", "left", "bottom", "right", "insideH", "insideV"]
        assert all(b.get(qn("w:val")) == "single" for b in borders)
        assert tbl.find(f"{W}tblPr/{W}tblLayout").get(qn("w:type")) == "fixed"
        for i, tr in enumerate(tbl.tr_lst):
            assert tr.find(f"{W}trPr/{W}cantSplit") is not None
            assert (tr.find(f"{W}trPr/{W}tblHeader") is not None) == (i < header_rows)
        widths = [int(c.get(qn("w:w"))) for c in tbl.tblGrid.gridCol_lst]
        assert sum(widths) == 8844  # the 156 mm text block
        tbl_w = tbl.find(f"{W}tblPr/{W}tblW")
        assert (tbl_w.get(qn("w:w")), tbl_w.get(qn("w:type"))) == ("8844", "dxa")
        for tr in tbl.tr_lst:  # every cell as wide as the grid columns it spans
            assert sum(int(tc.find(f"{W}tcPr/{W}tcW").get(qn("w:w"))) for tc in tr.tc_lst) == 8844


def test_blank_and_decimal_numbers():
    report = distinct_report()
    report.cells["t3.new.natural"] = None
    report.cells["t2.fees"] = Decimal("0.5")
    g = [grid(t) for t in docx.Document(io.BytesIO(render_docx(report))).tables]
    assert g[1][3][3] == "" and g[1][3][4] == str(report.cells["t3.new.business"])
    assert g[0][13][1] == "0.5"


# ---------------------------------------------------------------------------------------------- text


def paragraphs(doc):
    return [(p.style.name, p.text) for p in doc.paragraphs if p.text]


def test_title_period_headings_and_signature(doc, report):
    paras = paragraphs(doc)
    # broken after the agency's name (GB/T 9704 7.3.1), a line break inside the one title paragraph
    assert paras[0] == ("Title", "某某区卫生健康局\n2024年政府信息公开工作年度报告")
    assert ("Normal", "本年报由某某区卫生健康局编制。") in paras
    assert ("Normal", "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。") in paras
    assert [t for s, t in paras if s == "Heading 1"] == [heading for _, heading in C.SECTIONS]
    heading2 = [t for s, t in paras if s == "Heading 2"]
    assert heading2[:5] == [heading for key, heading, _ in C.GENERAL_PARTS if key != "overview"]
    assert "概述" not in [t for _, t in paras]
    assert heading2[5:] == ["（一）存在的问题"]
    ends = [p for p in doc.paragraphs if p.text][-2:]
    assert [p.text for p in ends] == ["某某区卫生健康局", "2025年1月20日"]
    assert all(p.paragraph_format.alignment == docx.enum.text.WD_ALIGN_PARAGRAPH.RIGHT for p in ends)
    # keep-with-next only from the empty line to the 署名 and from the 署名 to its date, not from the text above
    last_text = [p for p in doc.paragraphs if p.text][-3]
    assert last_text.text == report.other and not last_text.paragraph_format.keep_with_next
    blank = doc.paragraphs[-3]
    assert blank.text == "" and blank.paragraph_format.keep_with_next
    assert ends[0].paragraph_format.keep_with_next and not ends[1].paragraph_format.keep_with_next
    # GB/T 9704 7.3.5.3: the date (6.5 cells) starts 2 cells right of the 署名 (8 cells); right-indented 2 cells
    pitch = 8844 / 28
    name_right, date_right = (p.paragraph_format.right_indent.twips / pitch for p in ends)
    assert round(date_right, 2) == 2 and round(name_right, 2) == 2.5
    assert round((28 - name_right - 8) + 2, 2) == round(28 - date_right - 6.5, 2)


def test_narrative_split_into_paragraphs_in_order(doc):
    texts = [t for _, t in paragraphs(doc)]
    i = texts.index("一、总体情况")
    assert texts[i + 1:i + 4] == ["2024年，我局认真贯彻条例。", "全面推进政务公开。", "（一）主动公开"]
    assert "申请<script>alert(1)</script>均已办结。" in texts
    j = texts.index("五、存在的主要问题及改进情况")
    assert texts[j + 1:j + 4] == ["（一）存在的问题", "一是公开内容不够全面。", "（二）改进措施。2025年，我局将加强培训。"]
    lead = doc.paragraphs[[p.text for p in doc.paragraphs].index(texts[j + 3])].runs
    assert [r.text for r in lead] == ["（二）改进措施。", "2025年，我局将加强培训。"]
    assert [r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in lead] == ["楷体_GB2312", "仿宋_GB2312"]


def test_empty_overview_has_no_heading_and_empty_parts_keep_theirs():
    report = distinct_report()
    report.general.overview = ""
    report.general.platform = None
    texts = [p.text for p in docx.Document(io.BytesIO(render_docx(report))).paragraphs]
    assert texts[texts.index("一、总体情况") + 1] == "（一）主动公开"
    i = texts.index("（四）平台建设")  # the official five parts stay, even when one is left empty
    assert texts[i + 1] == "（五）监督保障"


def test_characters_xml_cannot_hold_are_dropped_not_fatal():
    report = distinct_report()
    report.other = "未收取\x07信息处理费\x00。"
    texts = [p.text for p in docx.Document(io.BytesIO(render_docx(report))).paragraphs]
    assert "未收取信息处理费。" in texts


# ---------------------------------------------------------------------------------------------- typesetting


def style_font(doc, name):
    rpr = doc.styles[name].element.rPr
    return rpr.rFonts.get(qn("w:eastAsia")), rpr.rFonts.get(qn("w:ascii")), rpr.sz.val.pt


def test_official_fonts_with_east_asian_attribute(doc):
    assert style_font(doc, "Normal") == ("仿宋_GB2312", "仿宋_GB2312", 16)
    assert style_font(doc, "Title") == ("方正小标宋简体", "方正小标宋简体", 22)
    assert style_font(doc, "Heading 1") == ("黑体", "黑体", 16)
    assert style_font(doc, "Heading 2") == ("楷体_GB2312", "楷体_GB2312", 16)
    assert 10.5 <= style_font(doc, "Table Text")[2] <= 12
    for style in ("Heading 1", "Heading 2"):
        rpr = doc.styles[style].element.rPr
        assert rpr.find(qn("w:color")) is None and rpr.b.val is False
    # every run names its East Asian font explicitly
    for r in doc.element.body.iter(qn("w:r")):
        if r.find(qn("w:t")) is not None and r.find(qn("w:t")).text:
            assert r.rPr.rFonts.get(qn("w:eastAsia")), r.xpath("string(.)")


def test_no_theme_fonts_and_chinese_language(data):
    for name in ("word/document.xml", "word/styles.xml", "word/footer1.xml", "word/footer2.xml"):
        assert not re.search(r'w:(ascii|hAnsi|eastAsia|cs)Theme=|w:cstheme=', part_xml(data, name)), name
    styles = part_xml(data, "word/styles.xml")
    assert re.search(r'<w:lang [^>]*w:eastAsia="zh-CN"', styles)
    settings = part_xml(data, "word/settings.xml")
    assert re.search(r'<w:themeFontLang [^>]*w:eastAsia="zh-CN"', settings)
    assert "ja-JP" not in settings and "ja-JP" not in styles
    fonts = part_xml(data, "word/fontTable.xml")
    assert '<w:font w:name="仿宋_GB2312"><w:altName w:val="仿宋"/><w:charset w:val="86"/>' in fonts


def test_gb9704_page(doc):
    section = doc.sections[0]
    mm = lambda length: round(length.mm)  # noqa: E731
    assert (mm(section.page_width), mm(section.page_height)) == (210, 297)
    assert [mm(m) for m in (section.top_margin, section.bottom_margin, section.left_margin,
                            section.right_margin)] == [37, 35, 28, 26]
    grid_el = section._sectPr.find(qn("w:docGrid"))
    assert (grid_el.get(qn("w:type")), grid_el.get(qn("w:linePitch"))) == ("linesAndChars", "579")
    # 28 characters a line: the grid's pitch is the Normal style's 16 pt plus charSpace / 4096 pt
    normal = doc.styles["Normal"]
    assert normal.font.size.pt == 16
    pitch = 16 + int(grid_el.get(qn("w:charSpace"))) / 4096
    assert int((210 - 28 - 26) / 25.4 * 72 / pitch + 0.02) == 28
    # at 98 % width LibreOffice, too, puts one character in each cell of the grid (at 100 % it takes two)
    assert normal.element.rPr.find(qn("w:w")).get(qn("w:val")) == "98"
    assert normal.element.pPr.find(qn("w:ind")).get(qn("w:firstLineChars")) == "200"
    assert normal.element.pPr.find(qn("w:jc")).get(qn("w:val")) == "both"


def test_page_numbers_odd_right_even_left(doc, data):
    assert re.search(r"<w:evenAndOddHeaders/>", part_xml(data, "word/settings.xml"))
    section = doc.sections[0]
    for footer, side in ((section.footer, "right"), (section.even_page_footer, "left")):
        assert not footer.is_linked_to_previous
        xml = footer._element.xml
        assert 'w:instrText xml:space="preserve"> PAGE </w:instrText>' in xml
        assert f'<w:jc w:val="{side}"/>' in xml
        p = footer.paragraphs[0]
        assert p.text == "— 1 —"
        assert {r._r.rPr.rFonts.get(qn("w:eastAsia")) for r in p.runs} == {"宋体"}
    assert doc.styles["Footer"].element.rPr.sz.val.pt == 14


# ---------------------------------------------------------------------------------------------- draft, metadata


def watermarks(data):
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    return [n for n in names if n.startswith("word/header") and 'string="草稿"' in part_xml(data, n)]


def test_draft_watermark_only_in_draft(data, report):
    assert watermarks(data) == []
    draft = render_docx(report, draft=True)
    assert len(watermarks(draft)) == 2  # odd and even pages
    doc = docx.Document(io.BytesIO(draft))
    for header in (doc.sections[0].header, doc.sections[0].even_page_header):
        xml = header._element.xml
        assert "PowerPlusWaterMarkObject" in xml and "rotation:315" in xml


def test_metadata(doc, report):
    props = doc.core_properties
    assert props.title == report.display_title
    assert props.author == "某某区卫生健康局"
    assert props.language == "zh-CN"
    assert props.created == dt.datetime(2025, 1, 20, tzinfo=dt.timezone.utc)


def test_template_leftovers_dropped(data):
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert not [n for n in names if "thumbnail" in n or "stylesWithEffects" in n]
    assert "python-docx" not in part_xml(data, "docProps/core.xml")


def test_reproducible_with_source_date_epoch(report, monkeypatch):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737331200")  # 2025-01-20 00:00 UTC
    first, second = render_docx(report), render_docx(report)
    assert first == second
    for info in zipfile.ZipFile(io.BytesIO(first)).infolist():
        assert info.date_time == (2025, 1, 20, 0, 0, 0)
    assert docx.Document(io.BytesIO(first)).core_properties.modified == dt.datetime(2025, 1, 20, tzinfo=dt.timezone.utc)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1737417600")
    assert render_docx(report) != first  # the timestamp is what it changes


@pytest.mark.parametrize("epoch, stamp", [("0", (1980, 1, 1, 0, 0, 0)), ("99999999999", (2107, 12, 31, 23, 59, 58))])
def test_source_date_epoch_outside_what_zip_can_date(report, monkeypatch, epoch, stamp):
    monkeypatch.setenv("SOURCE_DATE_EPOCH", epoch)
    assert {i.date_time for i in zipfile.ZipFile(io.BytesIO(render_docx(report))).infolist()} == {stamp}


def test_reproducible_without_source_date_epoch(report, monkeypatch):
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    assert render_docx(report) == render_docx(report)


# ---------------------------------------------------------------------------------------------- samples


@pytest.mark.parametrize("path", SAMPLES, ids=[p.stem for p in SAMPLES])
def test_samples_render_with_every_number(path):
    report = load(path)
    doc = docx.Document(io.BytesIO(render_docx(report)))
    grids = [grid(t) for t in doc.tables]
    for cell_id, value in export_cells(report).items():
        t, r, c = expected_positions()[cell_id]
        shown = grids[t][r][c]
        assert (Decimal(shown) if cell_id == "t2.fees" else int(shown)) == Decimal(str(value)), cell_id
    texts = [p.text for p in doc.paragraphs]
    assert texts[0].replace("\n", "") == report.display_title
    body = "\n".join(texts)
    for _, _, text in report.narrative():
        for line in text.splitlines():
            assert re.sub(r"\s", "", line) in re.sub(r"\s", "", body)


def test_samples_present():
    assert len(SAMPLES) >= 4
