"""Importing published reports given as text: the four seed layouts, Traditional Chinese, the 2019 layout, bad files."""
import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from gip_author.readers import import_report
from gip_author.loader import load
from gip_author.model import export_cells
from gip_author.cli import main
from gip_author.problems import CannotRead, InvalidReport
from gip_author.rules import check

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"
SEEDS = DATA / "seeds"
TRUTH = DATA / "seeds-truth.json"

# seed file -> (agency, year, key figures verified by eye in the seed, the sample YAML re-authored from it)
SEED_FACTS = {
    "000_df4223baeb548da3.txt": ("平湖市卫生健康局", 2024, {"t2.licensing": 13, "t2.penalties": 1, "t3.new.natural": 1,
                                                         "t3.granted.total": 1, "t3.total.total": 1}, "pinghu-health-2024"),
    "001_70186e5739fffa45.txt": ("前进区卫生健康局", 2023, {"t2.licensing": 86, "t2.penalties": 0, "t3.new.total": 0,
                                                         "t4.review.total": 0}, "qianjin-health-2023"),
    "002_422783bed8123fac.txt": ("临淄区卫生健康局", 2024, {"t2.licensing": 39, "t2.penalties": 62, "t3.new.natural": 1,
                                                         "t3.granted.natural": 1, "t3.new.total": 1}, "linzi-health-2024"),
    "003_d9d52685c3ee3a90.txt": ("互助县卫生健康局", 2024, {"t2.licensing": 88, "t2.penalties": 8, "t2.fees": 0,
                                                         "t3.new.total": 0}, "huzhu-health-2024"),
}


@pytest.mark.parametrize("name", sorted(SEED_FACTS))
def test_seed_imports_with_agency_year_and_figures(name):
    agency, year, figures, _ = SEED_FACTS[name]
    report, notes = import_report(SEEDS / name)
    assert (report.agency, report.year) == (agency, year)
    cells = export_cells(report)
    assert {k: cells[k] for k in figures} == figures
    assert all(v is not None for v in cells.values())
    assert not [n for n in notes if n.severity == "error"]
    truth = next(e for e in json.loads(TRUTH.read_text(encoding="utf-8")).values() if e["input"].endswith(name))
    wrong = {k: (cells.get(k), v) for k, v in truth["cells"].items() if cells.get(k) != v}
    assert not wrong


@pytest.mark.parametrize("name", sorted(SEED_FACTS))
def test_seed_narrative_matches_the_hand_authored_yaml(name):
    """Section text, period and date come back as the sample author wrote them from the same seed."""
    report, _ = import_report(SEEDS / name)
    sample = load(ROOT / "sample_inputs" / f"{SEED_FACTS[name][3]}.yaml")
    assert export_cells(report) == export_cells(sample)
    for field in ("intro", "disclosure", "requests", "appeals", "improvements", "other", "published", "start", "end"):
        assert getattr(report, field) == getattr(sample, field), field
    for part in ("overview", "proactive", "management", "platform", "oversight"):
        assert getattr(report.general, part) == getattr(sample.general, part), part


def test_inline_part_headings_are_split_from_their_text():
    report, _ = import_report(SEEDS / "002_422783bed8123fac.txt")
    assert report.general.proactive.startswith("2024年，主动公开政府信息1680条")
    assert report.general.on_request.startswith("2024年，收到政府信息公开申请1件")
    assert report.published.isoformat() == "2025-01-20"
    assert not report.other.endswith("2025年1月20日") and "临淄区卫生健康局\n" not in report.other[-20:]


def test_markdown_layout_guesses_an_untitled_part_and_says_so():
    report, notes = import_report(SEEDS / "003_d9d52685c3ee3a90.txt")
    assert report.general.proactive.startswith("2024年主动公开水质检测报告4次")
    assert report.general.management.startswith("严格执行“分级审核、先审后发”")
    assert "大美互助融媒体" in report.general.platform           # a paragraph broken by a blank line, joined
    assert any(n.rule == "import.guessed" and "主动公开" in n.zh for n in notes)


def test_traditional_chinese_imports_the_same_cells(tmp_path):
    import opencc
    text = (SEEDS / "002_422783bed8123fac.txt").read_text(encoding="utf-8")
    traditional = opencc.OpenCC("s2t").convert(text)
    assert "規章" in traditional and "行政許可" in traditional and "總計" in traditional
    path = tmp_path / "traditional.txt"
    path.write_text(traditional, encoding="utf-8")
    report, _ = import_report(path)
    simplified, _ = import_report(SEEDS / "002_422783bed8123fac.txt")
    assert report.agency == "临淄区卫生健康局" and report.year == 2024
    assert export_cells(report) == export_cells(simplified)


def test_gbk_text_is_read(tmp_path):
    path = tmp_path / "gbk.txt"
    path.write_bytes((SEEDS / "001_70186e5739fffa45.txt").read_text(encoding="utf-8").encode("gb18030"))
    report, _ = import_report(path)
    assert report.agency == "前进区卫生健康局" and report.cells["t2.licensing"] == 86


def test_2019_layout_is_reported_as_outdated_not_misread():
    report, notes = import_report(DATA / "outdated-2019.txt")
    assert report.template == "2019"
    outdated = [n for n in notes if n.rule == "template.outdated"]
    assert outdated and outdated[0].severity == "error" and "本年新制作数量" in outdated[0].zh
    assert "（六）其他处理只有一行" in outdated[0].zh
    # 处理决定数量 means the same in both layouts; the 2019 counts of documents do not
    assert (report.cells["t2.licensing"], report.cells["t2.penalties"], report.cells["t2.coercive_measures"]) == (45, 33, 4)
    assert report.cells["t2.normative_docs.issued"] is None and report.cells["t2.fees"] is None
    assert report.cells["t3.other_3.total"] == 1 and report.cells["t3.other_1.total"] is None
    assert report.cells["t3.total.total"] == 3 and report.cells["t4.review.upheld"] == 1
    assert outdated[0] in check(report)


def test_blank_cell_is_reported_not_zeroed(tmp_path):
    lines = (SEEDS / "000_df4223baeb548da3.txt").read_text(encoding="utf-8").splitlines()
    i = next(i for i, ln in enumerate(lines) if ln.startswith("2.其他法律行政法规禁止公开"))
    lines[i] = "2.其他法律行政法规禁止公开 | 0 |  | 0 | 0 | 0 | 0 | 0 | ||"
    j = next(i for i, ln in enumerate(lines) if ln.startswith("行政处罚"))
    lines[j] = "行政处罚 | — | ||"
    path = tmp_path / "blank.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    report, notes = import_report(path)
    assert report.cells["t3.denied_2.business"] is None
    assert report.cells["t3.denied_2.natural"] == 0 and report.cells["t3.denied_2.research"] == 0
    assert report.cells["t2.penalties"] is None and report.cells["t2.licensing"] == 13
    unreadable = [n for n in notes if n.rule == "import.unreadable-cell"]
    assert len(unreadable) == 2 and unreadable[0].location.line == j + 1 and unreadable[1].location.line == i + 1
    assert "商业企业" in unreadable[1].zh
    assert all(n in check(report) for n in unreadable)
    # The YAML the import writes keeps the blanks visible ("待填") and `check` asks for them again.
    from gip_author.loader import loads
    from gip_author.yaml_writer import report_yaml
    again = loads(report_yaml(report))
    assert again.cells["t3.denied_2.business"] is None and again.cells["t2.penalties"] is None
    asked = {p.location.line for p in check(again) if p.rule == "input.bad-number"}
    assert len(asked) == 2


def test_missing_row_label_is_recovered_and_flagged(tmp_path):
    text = (SEEDS / "000_df4223baeb548da3.txt").read_text(encoding="utf-8")
    path = tmp_path / "typo.txt"
    path.write_text(text.replace("4.保护第三方合法权益", "4.保护第三者权利"), encoding="utf-8")
    report, notes = import_report(path)
    assert report.cells["t3.denied_4.total"] == 0
    assert any(n.rule == "import.guessed" and "保护第三方合法权益" in n.zh for n in notes)


@pytest.mark.parametrize("content,error", [
    (b"PK\x03\x04 not really a docx", CannotRead),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1 old word", CannotRead),
    ("这是一段与年度报告无关的文字。\n今天天气很好。".encode(), InvalidReport),
    (b"", CannotRead),
])
def test_bad_files_give_a_clear_error(tmp_path, content, error):
    path = tmp_path / ("bad.pdf" if content.startswith(b"%PDF") else "bad.txt")
    path.write_bytes(content)
    with pytest.raises(error) as e:
        import_report(path)
    assert str(path) in str(e.value)


@pytest.mark.parametrize("name,head", [("corrupt.docx", b"PK\x03\x04"), ("corrupt.pdf", b"%PDF-1.4\n")])
def test_cli_on_a_corrupt_file_has_no_traceback(tmp_path, name, head):
    path = tmp_path / name
    path.write_bytes(head + bytes(range(256)) * 4)
    for args in (["import", str(path), "-o", str(tmp_path / "x.yaml")], ["check", str(path)]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, result.output
        assert "Traceback" not in result.output and name in result.output
    assert not (tmp_path / "x.yaml").exists()


@pytest.mark.parametrize("name", sorted(SEED_FACTS))
def test_written_yaml_is_accepted_unchanged(tmp_path, name):
    out = tmp_path / "r.yaml"
    result = CliRunner().invoke(main, ["import", str(SEEDS / name), "-o", str(out)])
    assert result.exit_code == 0, result.output
    again = load(out)
    report, _ = import_report(SEEDS / name)
    assert export_cells(again) == export_cells(report)
    assert (again.agency, again.year, again.intro, again.improvements) == (report.agency, report.year, report.intro,
                                                                       report.improvements)
    assert not [p for p in check(again) if p.severity == "error"]
    result = CliRunner().invoke(main, ["check", str(out)])
    assert result.exit_code == 0, result.output


def test_check_on_a_published_file_reports_import_notes_with_source_lines():
    result = CliRunner().invoke(main, ["check", str(SEEDS / "003_d9d52685c3ee3a90.txt")])
    assert result.exit_code == 0
    assert "003_d9d52685c3ee3a90.txt:21:1" in result.output and "[import.guessed]" in result.output


def test_a_narrative_warning_points_at_its_line_in_the_published_text(tmp_path):
    """Rules on imported text name the source line of the paragraph, not just the file."""
    from gip_author.yaml_writer import init_yaml
    from gip_author.loader import loads
    report = loads(init_yaml("测试区卫生健康局", 2024))
    report.improvements = "（一）存在的主要问题\n公开内容不够丰富。\n（二）改进措施\n2024年，我局将继续加强信息公开工作。"
    from gip_author import render_html
    page = tmp_path / "report.html"
    page.write_text(render_html(report), encoding="utf-8")
    imported, _ = import_report(page)
    (p,) = [p for p in check(imported) if p.rule == "text.year"]
    lines = page.read_text(encoding="utf-8").splitlines()
    assert p.location.line is not None
    assert "2024年，我局将" in lines[p.location.line - 1]
