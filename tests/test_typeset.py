"""GB/T 9704 typesetting: titles broken by meaning (linebreak.title_lines, the same in every format), the PDF's
body on the 28-character grid flush on both sides (measured in the PDF), the signature and date placement."""
import io
import re
import unicodedata

import pytest

from gip_author.render import fonts
from gip_author.render.grid import LINE, PITCH, SIZE, WIDTH
from gip_author.render.linebreak import (CLOSERS, OPENERS, UNIT_WORDS, cells, ems, grid_lines,
                                         signature_indents, title_lines)

from reports import distinct_report

TAIL = "2025年政府信息公开工作年度报告"
MM = 72 / 25.4


@pytest.mark.parametrize("agency, want", [
    ("临淄区卫生健康局", ["临淄区卫生健康局", TAIL]),
    ("淮安市人民政府", ["淮安市人民政府", TAIL]),
    ("乌鲁木齐市沙依巴克区人民政府办公室", ["乌鲁木齐市沙依巴克区人民政府办公室", TAIL]),
    # longer than a line: broken after a unit word, the two pieces as even as they can be
    ("内蒙古自治区鄂尔多斯市伊金霍洛旗人民政府办公室", ["内蒙古自治区鄂尔多斯市", "伊金霍洛旗人民政府办公室", TAIL]),
    ("海关", ["海关" + TAIL]),                                   # fits on one line
])
def test_title_breaks_after_the_agency(agency, want):
    lines = title_lines(agency + TAIL, agency)
    assert lines == want
    assert all(ems(line) <= 20 and len(line) > 2 for line in lines)


def test_title_break_inside_a_long_name_comes_after_a_unit_word():
    agency = "新疆维吾尔自治区伊犁哈萨克自治州霍城县清水河镇人民政府办公室"
    lines = title_lines(agency + TAIL, agency)
    assert "".join(lines) == agency + TAIL and lines[-1] == TAIL
    for line in lines[:-1]:
        assert line.endswith(UNIT_WORDS) and ems(line) <= 20


def test_a_typed_line_break_is_the_break():
    assert title_lines("某某区卫生健康局关于\n2025年政府信息公开工作的年度报告\n", "某某区卫生健康局") == [
        "某某区卫生健康局关于", "2025年政府信息公开工作的年度报告"]


def test_title_without_the_agency_breaks_before_its_year():
    assert title_lines("关于本单位信息公开的2025年政府信息公开工作年度报告") == [
        "关于本单位信息公开的", "2025年政府信息公开工作年度报告"]


def _advance(char, role):
    return fonts.advance(char, role) * SIZE


TEXT = ("2024年，在县委、县政府的正确领导下，我局坚持以习近平新时代中国特色社会主义思想为指导，认真贯彻落实《中华人民共和国"
        "政府信息公开条例》（以下简称《条例》），全年主动公开信息1035条，办理依申请公开12件。网站www.example.gov.cn"
        "全年访问量达到123456人次，“三审三校”制度全面落实。")


def test_grid_lines_fill_the_line_and_keep_the_text():
    lines = grid_lines([("（一）主动公开。", "subheading"), (TEXT, "body")], _advance, width=WIDTH, chars=28, size=SIZE)
    assert "".join(l.text for l in lines) == "（一）主动公开。" + TEXT
    assert lines[0].first and lines[-1].last and not any(l.last for l in lines[:-1])
    for l in lines[:-1]:
        n = len(l.text)
        width = sum(_advance(c, role) for text, role in l.runs for c in text) + (n - 1) * l.spacing
        room = WIDTH - (2 * PITCH if l.first else 0)
        assert width == pytest.approx(room, abs=0.03), l.text   # spacing rounded to 1/1000 pt
        assert l.text[-1] not in OPENERS and l.text[0] not in CLOSERS
    assert lines[-1].spacing == pytest.approx(PITCH - SIZE, abs=1e-3)
    # numbers and words are never cut
    for a, b in zip(lines, lines[1:]):
        assert not (a.text[-1].isdigit() and b.text[0].isdigit())


def test_all_chinese_lines_hold_28_characters():
    text = "政府信息公开工作年度报告依法依规做好主动公开和依申请公开工作" * 8
    lines = grid_lines([(text, "body")], _advance, width=WIDTH, chars=28, size=SIZE)
    assert [len(l.text) for l in lines[1:-1]] == [28] * (len(lines) - 2)
    assert len(lines[0].text) == 26                     # two cells of indent
    assert all(l.on_pitch for l in lines[:-1])


def test_a_closing_mark_never_starts_a_line():
    text = "政" * 27 + "，" + "府" * 30 + "。"             # the comma falls on the 29th cell of the first line
    for indent in (0, 2):
        lines = grid_lines([(text, "body")], _advance, width=WIDTH, chars=28, size=SIZE, indent_cells=indent)
        assert all(l.text[0] not in CLOSERS for l in lines)
        assert "".join(l.text for l in lines) == text


def test_signature_and_date_per_gbt_9704():
    # date shorter than the name by 2 cells or more: the name 2 cells from the edge, the date starts 2 cells right
    name, date = "某某市人民政府办公室", "2025年1月20日"
    right_name, right_date = signature_indents(name, date)
    assert right_name == 2
    assert (28 - right_name - cells(name)) + 2 == 28 - right_date - cells(date)
    # a date as long as the name: the date 2 cells from the edge, the name moves left
    right_name, right_date = signature_indents("某某局", date)
    assert right_date == 2 and (28 - right_name - cells("某某局")) + 2 == 28 - 2 - cells(date)


# ---------------------------------------------------------------------------------------------- the PDF itself

def _pdf_lines(data: bytes):
    import pdfplumber
    with pdfplumber.open(io.BytesIO(data)) as pdf:
        for page in pdf.pages:
            rows: dict[float, list] = {}
            for ch in page.chars:
                if 15 <= ch["size"] <= 17 and ch["top"] < page.height - 35 * MM:
                    ch["base"] = page.height - ch["matrix"][5]       # the baseline, whatever the font
                    key = next((k for k in rows if abs(k - ch["base"]) < 3), ch["base"])
                    rows.setdefault(key, []).append(ch)
            yield [sorted(rows[k], key=lambda c: c["x0"]) for k in sorted(rows)]


@pytest.fixture(scope="module")
def pdf_pages():
    from gip_author.render.pdf import render_pdf
    report = distinct_report()
    report.general.overview = TEXT * 3 + "\n" + "政府信息公开工作年度报告依法依规做好主动公开和依申请公开工作" * 5
    return list(_pdf_lines(render_pdf(report)))


def test_pdf_body_lines_are_flush_and_28_characters(pdf_pages):
    left, right = 28 * MM, 210 * MM - 26 * MM
    full = wide = 0
    for page in pdf_pages:
        for a, b in zip(page, page[1:]):
            next_at_left = abs(b[0]["x0"] - left) < 2
            step = b[0]["base"] - a[0]["base"]
            if not (next_at_left and 0 < step < 1.5 * LINE and abs(a[0]["x0"] - left) < 2 * PITCH + 2):
                continue                                  # `a` ends its paragraph
            full += 1
            text = "".join(c["text"] for c in a)
            assert abs(a[-1]["x1"] - right) <= 1.5, text
            if all(unicodedata.east_asian_width(c) in "WF" for c in text):
                wide += 1
                assert len(text) + round((a[0]["x0"] - left) / PITCH) == 28, text
    assert full >= 10 and wide >= 5


def test_pdf_lines_sit_on_the_line_grid(pdf_pages):
    """Lines one or more grid lines apart (22 a page).  Between lines of one font the baselines are exactly on
    the grid; a 黑体/楷体 heading's line box is centred like the body's, so its baseline may sit up to 2 pt off
    (the fonts' ideographs sit differently on their baselines: centred boxes keep them in line)."""
    pairs = [(a[0], b[0]) for page in pdf_pages for a, b in zip(page, page[1:])]
    pairs = [(a, b, b["base"] - a["base"]) for a, b in pairs if b["base"] - a["base"] < 3 * LINE]
    assert len(pairs) > 20
    for a, b, step in pairs:          # tables between lines are not measured here
        off = abs(step / LINE - round(step / LINE)) * LINE
        body = "GipFang" in a["fontname"] and "GipFang" in b["fontname"]
        assert off < (0.1 if body else 2.0), (a["text"], b["text"], step)


def test_pdf_title_is_broken_after_the_agency():
    import pdfplumber
    from gip_author.render.pdf import render_pdf
    report = distinct_report()
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        words = pdf.pages[0].extract_text_lines()
    big = [w["text"].replace(" ", "") for w in words if w["chars"][0]["size"] > 20]
    assert big == [report.agency, f"{report.year}年政府信息公开工作年度报告"]


def test_html_title_has_the_same_break():
    from gip_author.render.html import render_html
    report = distinct_report()
    h1 = re.search(r"<h1>(.*?)</h1>", render_html(report), re.S).group(1)
    assert h1.split("<br>") == [report.agency, f"{report.year}年政府信息公开工作年度报告"]


# ---------------------------------------------------------------------------------------------- characters

def test_characters_the_fonts_lack_are_named_with_their_line():
    from gip_author.loader import loads
    from gip_author.rules import check
    from gip_author.yaml_writer import init_yaml
    lines = init_yaml("某某区卫生健康局", 2024).splitlines()
    at = next(i for i, l in enumerate(lines) if l.startswith("  （四）平台建设:"))
    lines[at + 1] = "    网站运行正常。负责人王堃，面积100㎡，😀"
    text = "\n".join(lines) + "\n"
    report = loads(text, "report.yaml")
    line = next(i for i, l in enumerate(text.splitlines(), 1) if "王堃" in l)
    found = {(p.rule, p.location.line) for p in check(report) if p.rule in ("text.rare-char", "text.no-glyph")}
    assert found == {("text.rare-char", line), ("text.no-glyph", line)}
    rare = [p.zh for p in check(report) if p.rule == "text.rare-char"]
    assert len(rare) == 2 and "“堃”" in rare[0] and "“㎡”" in rare[1]


def test_a_rare_character_is_drawn_in_the_song_fallback_never_in_hei():
    import pdfplumber
    from gip_author.render.pdf import render_pdf
    report = distinct_report()
    report.general.platform = "负责人王堃、李喆、张珺。"
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        chars = [c for page in pdf.pages for c in page.chars]
    drawn = {c["text"]: c["fontname"].split("+")[-1] for c in chars if c["text"] in "堃喆珺"}
    assert set(drawn) == set("堃喆珺") and all(f.startswith("GipSong") for f in drawn.values()), drawn
    # the tables are set in the same 仿宋 as the DOCX's
    label = [c for c in chars if c["text"] == "规" and c["size"] < 12]
    assert label and all(c["fontname"].split("+")[-1].startswith("GipFang") for c in label)


def test_a_title_typed_over_two_lines_breaks_there_everywhere_and_not_in_the_file_name(tmp_path):
    import docx
    from gip_author.build import build_report
    report = distinct_report()
    report.title = "某某区卫生健康局2024年\n政府信息公开工作年度报告\n"
    written = build_report(report, tmp_path, ["docx", "html"], draft=True)   # its numbers do not add up
    assert sorted(p.name for p in written) == ["某某区卫生健康局2024年政府信息公开工作年度报告.docx",
                                               "某某区卫生健康局2024年政府信息公开工作年度报告.html"]
    first = docx.Document(str(tmp_path / written[0].name)).paragraphs[0].text
    assert first == "某某区卫生健康局2024年\n政府信息公开工作年度报告"
    html = (tmp_path / written[1].name).read_text(encoding="utf-8")
    assert "<h1>某某区卫生健康局2024年<br>政府信息公开工作年度报告</h1>" in html
    assert "<title>某某区卫生健康局2024年政府信息公开工作年度报告</title>" in html


def test_pdf_date_starts_two_characters_right_of_the_signature():
    import pdfplumber
    from gip_author.render.pdf import render_pdf
    report = distinct_report()                 # 某某区卫生健康局 (8 cells) / 2025年1月20日 (6.5 cells)
    with pdfplumber.open(io.BytesIO(render_pdf(report))) as pdf:
        lines = pdf.pages[-1].extract_text_lines()
    name = next(l for l in lines if l["text"].replace(" ", "") == report.agency)
    date = next(l for l in lines if l["text"].replace(" ", "") == "2025年1月20日")
    assert date["top"] > name["top"]
    assert abs(date["x0"] - name["x0"] - 2 * 16) < 1.5
    assert abs((210 - 26) * MM - date["x1"] - 2 * 16) < 1.5        # the date 2 characters from the right edge
