"""The HTML renderer: parsed back with lxml, every official label, span and number is where the format puts
it; the page is self-contained, escaped, reproducible, and an agency's templates are sandboxed."""
import os
import re
import shutil
import subprocess
from importlib.resources import files
from pathlib import Path

import lxml.html
import pytest

from gip_author import cells as C
from gip_author.loader import load
from gip_author.render.html import TemplateProblem, render_html

from reports import SAMPLES, distinct_report  # noqa: E402  (tests/ is on sys.path)


def grid(table) -> list[list]:
    """The table expanded to a rectangle: grid[r][c] is the <th>/<td> element covering that slot."""
    rows = table.xpath("./thead/tr | ./tbody/tr")
    out: list[list] = [[] for _ in rows]
    for r, tr in enumerate(rows):
        c = 0
        for cell in tr.xpath("./th | ./td"):
            while c < len(out[r]) and out[r][c] is not None:
                c += 1
            for dr in range(int(cell.get("rowspan", 1))):
                for dc in range(int(cell.get("colspan", 1))):
                    row = out[r + dr]
                    row.extend([None] * (c + dc + 1 - len(row)))
                    row[c + dc] = cell
            c += int(cell.get("colspan", 1))
    return out


def text(el) -> str:
    return el.text_content().strip()


@pytest.fixture(scope="module")
def page():
    html = render_html(distinct_report())
    return html, lxml.html.fromstring(html)


def test_page_head_title_period_signature(page):
    html, doc = page
    assert html.startswith("<!DOCTYPE html>\n<html lang=\"zh-CN\">")
    assert doc.findtext(".//title") == "某某区卫生健康局2024年政府信息公开工作年度报告"
    assert text(doc.find(".//h1")) == "某某区卫生健康局2024年政府信息公开工作年度报告"
    paras = [text(p) for p in doc.xpath("//main/p")]
    assert paras[:2] == ["本年报由某某区卫生健康局编制。", "本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"]
    assert [text(p) for p in doc.xpath("//div[@class='signature']/p")] == ["某某区卫生健康局", "2025年1月20日"]
    assert doc.xpath("//meta[@name='author']/@content") == ["某某区卫生健康局"]


def test_six_sections_and_five_parts(page):
    _, doc = page
    assert [text(h) for h in doc.xpath("//h2")] == [h for _, h in C.SECTIONS]
    assert [text(h) for h in doc.xpath("//section[@id='general']/h3")] == [h for k, h, _ in C.GENERAL_PARTS[1:]]
    general = [text(p) for p in doc.xpath("//section[@id='general']/p")]
    assert general[:2] == ["2024年，我局认真贯彻条例。", "全面推进政务公开。"]   # overview: no heading of its own
    lead = doc.xpath("//section[@id='general']/p/span[@class='lead']")
    assert [text(s) for s in lead] == ["（一）加强源头管理。"]
    assert "严格执行“三审三校”制度。" in text(lead[0].getparent())
    problems = doc.xpath("//section[@id='improvements']/p")
    assert [p.get("class") for p in problems] == ["subheading", None, None]
    assert [text(p) for p in problems] == ["（一）存在的问题", "一是公开内容不够全面。", "（二）改进措施。2025年，我局将加强培训。"]


def test_narrative_is_escaped(page):
    html, doc = page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    # the only scripts are the two data blocks, which browsers never run; the narrative's tag is text in them too
    scripts = doc.xpath("//script")
    assert [(s.get("type"), s.get("id")) for s in scripts] == [("application/json", "gip-data"),
                                                               ("application/json", "gip-report")]
    assert "<script>alert" not in html and "\\u003cscript\\u003ealert(1)\\u003c/script\\u003e" in html
    assert "申请<script>alert(1)</script>均已办结。" in text(doc.xpath("//section[@id='requests']/p")[0])


def test_self_contained(page):
    html, doc = page
    assert not doc.xpath("//script[not(@type='application/json')] | //link | //img | //iframe | //object")
    assert not doc.xpath("//@src | //@href")
    assert "url(" not in html and "@import" not in html and "@font-face" not in html


def test_table2_labels_and_numbers(page):
    _, doc = page
    table = doc.xpath("//section[@id='disclosure']//table")[0]
    assert text(table.find("caption")) == "表二　主动公开政府信息情况"
    bodies = table.findall("tbody")
    assert [text(b.xpath("./tr/th")[0]) for b in bodies] == [b for b, _ in C.T2_BLOCKS]
    g = grid(table)
    assert all(len(row) == 4 for row in g)
    rows = {text(row[0]): [text(c) for c in row[1:]] for row in g}
    report = distinct_report()
    for row in C.T2_ROWS:
        if row.columns:
            assert rows[row.label] == [str(report.cells[f"t2.{row.key}.{c}"]) for c, _ in row.columns]
        else:   # one number spanning the three columns
            assert rows[row.label] == [str(report.cells[f"t2.{row.key}"])] * 3
    assert rows["行政事业性收费"][0] == "12.34"
    heads = [[text(c) for c in row] for row in g if text(row[0]) == "信息内容"]
    assert heads[0] == ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
    assert heads[3] == ["信息内容"] + ["本年收费金额（单位：万元）"] * 3


def test_table3_header_spans_and_every_number(page):
    _, doc = page
    table = doc.xpath("//section[@id='requests']//table")[0]
    head = table.xpath("./thead/tr")
    assert len(head) == 3
    corner = head[0][0]
    assert (text(corner), corner.get("rowspan"), corner.get("colspan")) == (C.T3_CORNER, "3", "3")
    assert (text(head[0][1]), head[0][1].get("colspan"), head[0][1].get("scope")) == ("申请人情况", "7", "colgroup")
    assert [(text(c), c.get("rowspan"), c.get("colspan")) for c in head[1]] == [
        ("自然人", "2", None), ("法人或其他组织", None, "5"), ("总计", "2", None)]
    assert [text(c) for c in head[2]] == [label for _, label in C.T3_COLUMNS[1:-1]]
    g = grid(table)
    assert all(len(row) == 10 for row in g)
    body = g[3:]
    assert len(body) == len(C.T3_ROWS) == 25
    report = distinct_report()
    for row, cells in zip(C.T3_ROWS, body):
        assert text(cells[2]) == row.label
        if not row.group:
            assert cells[0] is cells[1] is cells[2]
        else:
            assert text(cells[0]) == C.T3_RESULTS
            assert text(cells[1]) == (row.group if row.group in C.T3_SUBGROUPS else row.label)
        assert [text(c) for c in cells[3:]] == [str(report.cells[C.t3(row.key, c)]) for c, _ in C.T3_COLUMNS]
        assert all(c.tag == "td" and c.get("class") == "number" for c in cells[3:])
    results = table.xpath(".//th[text()='三、本年度办理结果']")[0]
    assert (results.get("rowspan"), results.get("scope")) == ("22", "rowgroup")
    spans = {text(th): th.get("rowspan") for th in table.xpath(".//th[@scope='rowgroup']")}
    assert spans == {C.T3_RESULTS: "22", "（三）不予公开": "8", "（四）无法提供": "3", "（五）不予处理": "5",
                     "（六）其他处理": "3"}


def test_table4_spans_and_numbers(page):
    _, doc = page
    table = doc.xpath("//section[@id='appeals']//table")[0]
    head = table.xpath("./thead/tr")
    assert [(text(c), c.get("colspan")) for c in head[0]] == [("行政复议", "5"), ("行政诉讼", "10")]
    assert [text(c) for c in head[1]] == [label for _, label in C.T4_COLUMNS] + ["未经复议直接起诉", "复议后起诉"]
    assert all(c.get("rowspan") == "2" for c in head[1][:5])
    assert [c.get("colspan") for c in head[1][5:]] == ["5", "5"]
    assert [text(c) for c in head[2]] == [label for _, label in C.T4_COLUMNS] * 2
    g = grid(table)
    assert all(len(row) == 15 for row in g)
    report = distinct_report()
    want = [str(report.cells[C.t4(g_, c)]) for g_, _ in C.T4_GROUPS for c, _ in C.T4_COLUMNS]
    assert [text(c) for c in g[3]] == want


def test_every_header_cell_has_a_scope_and_every_table_a_caption(page):
    _, doc = page
    tables = doc.xpath("//table")
    assert len(tables) == 3 and all(t.find("caption") is not None for t in tables)
    unscoped = [text(th) for th in doc.xpath("//th[not(@scope)]")]
    assert unscoped == [C.T3_CORNER]


def test_blank_cell_prints_blank_not_zero():
    report = distinct_report()
    report.cells["t3.new.natural"] = None
    doc = lxml.html.fromstring(render_html(report, draft=True))
    table = doc.xpath("//section[@id='requests']//table")[0]
    assert text(grid(table)[3][3]) == ""


def test_reproducible_bytes():
    report = distinct_report()
    assert render_html(report) == render_html(distinct_report())
    if SAMPLES:
        assert render_html(load(SAMPLES[0])) == render_html(load(SAMPLES[0]))


def test_draft_watermark():
    assert not lxml.html.fromstring(render_html(distinct_report())).xpath("//div[@class='watermark']")
    doc = lxml.html.fromstring(render_html(distinct_report(), draft=True))
    assert [text(w) for w in doc.xpath("//div[@class='watermark']")] == ["草稿"]


def test_templates_are_package_resources():
    folder = files("gip_author.templates")
    for name in ("report.html.j2", "tables.html.j2", "report.css", "pdf.css"):
        assert (folder / name).is_file(), name


def test_agency_templates_override_and_fall_back(tmp_path):
    (tmp_path / "report.css").write_text("h1 { color: #c00; }\n", encoding="utf-8")
    html = render_html(distinct_report(), templates_dir=tmp_path)
    assert "h1 { color: #c00; }" in html
    assert "font-size: 16px" not in html           # the package's report.css is replaced …
    assert "<h2>一、总体情况</h2>" in html            # … and its report.html.j2 still used
    letterhead = (files("gip_author.templates") / "report.html.j2").read_text(encoding="utf-8").replace(
        "{% block letterhead %}{% endblock %}", '<p class="letterhead">{{ doc.agency }}文件</p>')
    (tmp_path / "report.html.j2").write_text(letterhead, encoding="utf-8")
    html = render_html(distinct_report(), templates_dir=tmp_path)
    assert '<p class="letterhead">某某区卫生健康局文件</p>' in html


@pytest.mark.parametrize("source, words", [
    ("{{ doc.title.__class__.__mro__ }}", "模板无法生成报告"),
    ("{{ doc.nonexistent }}", "模板无法生成报告"),
    ("{% if %}", "第 1 行有语法错误"),
])
def test_agency_template_errors_are_explained(tmp_path, source, words):
    (tmp_path / "report.html.j2").write_text(source, encoding="utf-8")
    with pytest.raises(TemplateProblem) as e:
        render_html(distinct_report(), templates_dir=tmp_path)
    assert words in str(e.value)


def test_sandbox_blocks_unsafe_calls(tmp_path):
    (tmp_path / "report.html.j2").write_text("{{ doc.sections.__class__.__subclasses__() }}", encoding="utf-8")
    with pytest.raises(TemplateProblem):
        render_html(distinct_report(), templates_dir=tmp_path)


@pytest.mark.parametrize("sample", SAMPLES, ids=lambda p: p.stem)
def test_samples_render_every_number(sample):
    report = load(sample)
    doc = lxml.html.fromstring(render_html(report))
    assert text(doc.find(".//h1")) == report.display_title
    g = grid(doc.xpath("//section[@id='requests']//table")[0])
    for row, cells in zip(C.T3_ROWS, g[3:]):
        assert [text(c) for c in cells[3:]] == [str(report.cells[C.t3(row.key, c)]) for c, _ in C.T3_COLUMNS]


VNU = Path(os.environ.get("VNU_JAR", Path(__file__).parent.parent / ".venv/vnu/node_modules/vnu-jar/build/dist/vnu.jar"))


@pytest.mark.skipif(not (VNU.exists() and shutil.which("java")),
                    reason="W3C Nu checker not installed (bash scripts/setup.sh --test)")
def test_nu_checker_finds_no_error(tmp_path):
    path = tmp_path / "r.html"
    path.write_text(render_html(distinct_report(), draft=True), encoding="utf-8")
    p = subprocess.run(["java", "-jar", str(VNU), "--errors-only", str(path)], capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert not re.search(r"error", p.stderr, re.I)


@pytest.mark.skipif(not (shutil.which("chromium") or shutil.which("chromium-browser")),
                    reason="needs the system's chromium (scripts/setup.sh installs it)")
def test_table2_article_rows_shaded_and_set_left_in_a_browser(tmp_path):
    """Seen in Chromium: the 第二十条第（X）项 rows are left-set on C6D9F1, as in the DOCX and the PDF (one style)."""
    from playwright.sync_api import sync_playwright
    page_file = tmp_path / "report.html"
    page_file.write_text(render_html(distinct_report()), encoding="utf-8")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=shutil.which("chromium") or shutil.which("chromium-browser"),
                                     args=["--no-sandbox"])
        try:
            page = browser.new_page(viewport={"width": 1000, "height": 800})
            page.goto(page_file.as_uri())
            got = page.eval_on_selector_all("table.t2 th", """ths => ths.map(th => {
                const r = document.createRange(); r.selectNodeContents(th);
                const s = getComputedStyle(th);
                return [th.textContent.trim(), s.textAlign, s.backgroundColor,
                        r.getBoundingClientRect().left - th.getBoundingClientRect().left]; })""")
        finally:
            browser.close()
    blocks = [g for g in got if g[0].startswith("第二十条")]
    assert [g[0] for g in blocks] == [block for block, _ in C.T2_BLOCKS]
    assert all(g[1:3] == ["left", "rgb(198, 217, 241)"] and g[3] < 10 for g in blocks), blocks
    assert all(g[2] != "rgb(198, 217, 241)" for g in got if not g[0].startswith("第二十条"))
