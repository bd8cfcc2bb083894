"""`gip-author rollup`, the roster, `check --children` and the swing rule against last year."""
import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner

from gip_author import cells as C
from gip_author.cli import main
from gip_author.loader import load, loads
from gip_author.model import export_cells
from gip_author.render.html import render_html
from gip_author.roster import match, read_roster
from gip_author.rules import check
from reports import SAMPLES

UNITS_2024 = [s for s in SAMPLES if "2024" in s.name]   # three 2024 samples of three agencies
OTHER_YEAR = next(s for s in SAMPLES if "2023" in s.name)


def run(*args: str):
    result = CliRunner().invoke(main, [str(a) for a in args])
    assert "Traceback" not in result.output, result.output
    return result


def expected_sums(paths) -> dict:
    sums = dict.fromkeys(C.CELL_IDS, 0)
    for p in paths:
        for cell_id, value in export_cells(load(p)).items():
            sums[cell_id] += Decimal(str(value)) if cell_id in C.DECIMAL_CELLS else value
    return sums


@pytest.fixture
def units(tmp_path) -> Path:
    """The three 2024 samples (one as its HTML page only), last year's sample, a copy and a broken file."""
    d = tmp_path / "units"
    d.mkdir()
    for s in UNITS_2024[:2]:
        (d / s.name).write_bytes(s.read_bytes())
    (d / (UNITS_2024[2].stem + ".html")).write_text(render_html(load(UNITS_2024[2])), encoding="utf-8")
    (d / "last-year.yaml").write_bytes(OTHER_YEAR.read_bytes())
    (d / "sub").mkdir()
    (d / "sub" / "copy.yaml").write_bytes(UNITS_2024[0].read_bytes())  # the same unit twice: counted once
    (d / "broken.yaml").write_text("机关: [\n", encoding="utf-8")
    return d


def agencies():
    return [load(s).agency for s in UNITS_2024]


def test_rollup_sums_every_cell_and_names_what_it_left_out(units, tmp_path):
    out = tmp_path / "gov.yaml"
    result = run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out)
    assert result.exit_code == 1  # a file could not be read: the sums may lack a unit
    report = load(out)
    assert (report.agency, report.year, report.scope, report.kind) == ("某某区人民政府", 2024, "region", "government")
    want = expected_sums(UNITS_2024)
    got = export_cells(report)
    assert {c: Decimal(str(v)) for c, v in got.items()} == {c: Decimal(str(v)) for c, v in want.items()}
    assert [p for p in check(report) if p.severity == "error"] == []
    assert "last-year.yaml：未计入合计：是 2023 年度的报告，不是 2024 年度的" in result.output
    assert "broken.yaml：未计入合计：无法读取" in result.output
    assert "同一单位的同一年度报告，只计一次" in result.output
    text = out.read_text(encoding="utf-8")
    for agency in agencies():
        line = next(line for line in text.splitlines() if line.startswith(f"#   {agency}（"))
        unit = export_cells(next(load(s) for s in UNITS_2024 if load(s).agency == agency))
        assert f"行政许可 {unit['t2.licensing']}，" in line and f"本年新收申请 {unit['t3.new.total']}，" in line
    assert "# 未计入合计的文件：" in text and "last-year.yaml" in text
    assert report.general.proactive == "" and "# 总体情况：按主动公开" in text  # empty, with its guide


def test_roster_names_the_unit_that_did_not_report(units, tmp_path):
    roster = tmp_path / "名单.txt"
    first, second, third = agencies()
    # the roster writes names its own way: full-width space, no place prefix
    roster.write_text(f"{first}\n\u3000{second}\n{third[3:]}\n某某区司法局\n", encoding="utf-8")
    out = tmp_path / "gov.yaml"
    summary = tmp_path / "summary.csv"
    result = run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out, "--roster", roster,
                 "--summary", summary, "--skip-errors")
    assert "未报送（名单中有、但没有找到报告）：某某区司法局。合计不完整。" in result.output
    text = out.read_text(encoding="utf-8")
    assert "# 注意：合计不完整。以下 1 个单位未报送" in text and "#   未报送：某某区司法局" in text
    raw = summary.read_bytes().decode("utf-8-sig")
    table = list(csv.reader(io.StringIO(raw)))
    ids = [h.rsplit(" ", 1)[1] for h in table[0]]
    rows = [dict(zip(ids, line)) for line in table[1:]]
    *units_rows, total = rows
    assert total["file"] == "合计" and "1 个单位未报送" in total["agency"]
    missing = next(r for r in units_rows if r["agency"] == "某某区司法局")
    assert missing["note"] == "未报送" and missing["t3.new.total"] == ""
    counted = [r for r in units_rows if r["note"].startswith("计入合计")]
    assert sorted(r["agency"] for r in counted) == sorted(agencies())
    sums = expected_sums(UNITS_2024)
    for cell_id in C.CELL_IDS:
        assert Decimal(total[cell_id]) == sums[cell_id], cell_id
    assert export_cells(load(out))["t2.licensing"] == int(total["t2.licensing"])


def test_summary_json_and_html(units, tmp_path):
    roster = tmp_path / "名单.csv"
    roster.write_text("序号,单位名称,联系人\n1,某某区司法局,张三\n" +
                      "".join(f"{i},{a},李四\n" for i, a in enumerate(agencies(), 2)), encoding="gbk")
    out = tmp_path / "gov.yaml"
    run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out, "--roster", roster,
        "--summary", tmp_path / "s.json")
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    assert doc["total"]["not_reported"] == ["某某区司法局"]
    assert doc["total"]["cells"]["t2.licensing"] == export_cells(load(out))["t2.licensing"]
    assert doc["total"]["reports"] == 3 and doc["total"]["excluded"] == 2
    run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out, "--force", "--roster", roster,
        "--summary", tmp_path / "s.html")
    html = (tmp_path / "s.html").read_text(encoding="utf-8")
    assert "<h1>政府信息公开工作年度报告所属单位汇总</h1>" in html
    assert "未报送：1 个单位（某某区司法局），合计不完整" in html and "<th scope=\"col\" data-key=\"note\">" in html


def test_rollup_refuses_to_overwrite_and_reads_no_roster_it_cannot(units, tmp_path):
    out = tmp_path / "gov.yaml"
    out.write_text("机关: 已写好的\n", encoding="utf-8")
    result = run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out)
    assert result.exit_code == 2 and "已存在" in result.output
    assert out.read_text(encoding="utf-8") == "机关: 已写好的\n"
    empty = tmp_path / "empty.txt"
    empty.write_text("\n# 只有注释\n", encoding="utf-8")
    result = run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", tmp_path / "x.yaml",
                 "--roster", empty)
    assert result.exit_code == 2 and "单位名单里没有找到单位名称" in result.output
    nothing = tmp_path / "nothing"
    nothing.mkdir()
    result = run("rollup", nothing, "--agency", "某某区人民政府", "--year", 2024, "-o", tmp_path / "y.yaml")
    assert result.exit_code == 2 and "没有找到报告文件" in result.output


def test_last_runs_output_in_the_folder_is_not_summed_again(units, tmp_path):
    out = units / "gov.yaml"
    run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out, "--skip-errors")
    again = tmp_path / "again.yaml"
    result = run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", again, "--skip-errors")
    assert "gov.yaml：未计入合计：是汇总报告本身" in result.output
    assert export_cells(load(again)) == export_cells(load(out))


def test_skip_errors_leaves_a_unit_with_errors_out(tmp_path):
    d = tmp_path / "u"
    d.mkdir()
    good, bad = UNITS_2024[:2]
    (d / good.name).write_bytes(good.read_bytes())
    text = bad.read_text(encoding="utf-8")
    broken = text.replace("一、本年新收政府信息公开申请数量: [", "一、本年新收政府信息公开申请数量: [1", 1)
    assert broken != text
    (d / bad.name).write_text(broken, encoding="utf-8")
    out = tmp_path / "a.yaml"
    result = run("rollup", d, "--agency", "某某区人民政府", "--year", 2024, "-o", out)
    assert result.exit_code == 1 and "个错误，已计入合计。" in result.output and "--skip-errors" in result.output
    result = run("rollup", d, "--agency", "某某区人民政府", "--year", 2024, "-o", out, "--force", "--skip-errors")
    assert result.exit_code == 0 and "按 --skip-errors 未计入" in result.output
    assert export_cells(load(out)) == export_cells(load(good))


# ------------------------------------------------------------------------------------------ roster


def test_roster_files_in_three_forms(tmp_path):
    lines = tmp_path / "r.txt"
    lines.write_text("# 应报送单位\n某某区教育局\n\n某某区 民政局\n某某区教育局\n", encoding="utf-8")
    assert read_roster(lines) == ["某某区教育局", "某某区 民政局"]
    yaml_list = tmp_path / "r.yaml"
    yaml_list.write_text("单位:\n  - 名称: 某某区教育局\n    联系人: 张三\n  - 名称: 某某区民政局\n", encoding="utf-8")
    assert read_roster(yaml_list) == ["某某区教育局", "某某区民政局"]
    bare = tmp_path / "b.yml"
    bare.write_text("- 某某区教育局\n- 某某区民政局\n", encoding="utf-8")
    assert read_roster(bare) == ["某某区教育局", "某某区民政局"]
    plain_csv = tmp_path / "r.csv"
    plain_csv.write_text("某某区教育局,1\n某某区民政局,2\n", encoding="utf-8")
    assert read_roster(plain_csv) == ["某某区教育局", "某某区民政局"]


def test_roster_matching_folds_width_space_and_place_prefix():
    roster = ["教育局", "区民政局", "某某区财政局", "清河区人民政府", "ＡＢ区 司法局", "卫生健康局"]
    reports = ["某某区教育局", "某某区民政局", "某某区财政局", "淮安市清河区人民政府", "AB区司法局", "某某区审计局",
               "甲区卫生健康局", "乙区卫生健康局"]
    matched, missing, extra = match(roster, reports)
    assert matched == {"教育局": "某某区教育局", "区民政局": "某某区民政局", "某某区财政局": "某某区财政局",
                       "清河区人民政府": "淮安市清河区人民政府", "ＡＢ区 司法局": "AB区司法局"}
    assert missing == ["卫生健康局"]  # two reports would fit: neither is guessed
    assert extra == ["某某区审计局", "甲区卫生健康局", "乙区卫生健康局"]
    assert match(["社区服务中心"], ["某某区服务中心"])[1] == ["社区服务中心"]


# ------------------------------------------------------------------------------------------ check --children


def test_children_check_warns_at_the_cell_that_differs(units, tmp_path):
    out = tmp_path / "gov.yaml"
    run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out)
    text = out.read_text(encoding="utf-8")
    licensing = export_cells(load(out))["t2.licensing"]
    parent = tmp_path / "parent.yaml"
    parent.write_text(text.replace(f"  行政许可: {licensing}", f"  行政许可: {licensing + 1}"), encoding="utf-8")
    roster = tmp_path / "r.txt"
    roster.write_text("\n".join(agencies() + ["某某区司法局"]), encoding="utf-8")
    result = run("check", parent, "--children", units, "--roster", roster, "--format", "json")
    doc = json.loads(result.output)
    found = [p for p in doc["problems"] if p["rule"] == "rollup.children"]
    assert len(found) == 1
    [p] = found
    line = next(i for i, x in enumerate(text.splitlines(), 1) if x.startswith("  行政许可:"))
    assert (p["line"], p["expected"], p["actual"]) == (line, licensing, licensing + 1)
    assert f"本报告是 {licensing + 1}，所属 3 个单位的报告合计是 {licensing}（相差 +1）" in p["message"]
    assert "未报送的单位：某某区司法局；无法读取、未计入合计的文件：broken.yaml。" in p["message"]
    assert "last-year.yaml" not in p["message"] and "copy.yaml" not in p["message"]  # they lack nothing
    quiet = run("check", out, "--children", units, "--format", "json")
    assert not [p for p in json.loads(quiet.output)["problems"] if p["rule"] == "rollup.children"]


def test_children_check_of_a_report_of_the_agency_alone_says_so(units, tmp_path):
    own = tmp_path / "own.yaml"
    own.write_bytes(UNITS_2024[0].read_bytes())
    result = run("check", own, "--children", units)
    assert "本报告的范围是“本机关”，未与所属单位的合计比较" in result.output


# ------------------------------------------------------------------------------------------ swings


def swung(now: int, then: int, cell_id: str = "t2.licensing"):
    report, last = loads(SAMPLES[0].read_text(encoding="utf-8")), loads(SAMPLES[0].read_text(encoding="utf-8"))
    last.year = report.year - 1
    report.cells[cell_id], last.cells[cell_id] = now, then
    return [p for p in check(report, last) if p.rule == "prev.swing"]


def test_swing_rule_fires_beyond_five_fold_or_a_fifth():
    [up] = swung(51, 10)
    assert "本年 51，上年" in up.zh and "10，是上年的 5.1 倍" in up.zh and up.location.line
    [down] = swung(1, 10, "t4.review.total")
    assert "表四 行政复议 总计" in down.zh and "只有上年的 10%" in down.zh


def test_swing_rule_is_quiet_within_bounds_and_on_small_figures():
    assert swung(50, 10) == [] and swung(2, 10) == []
    assert swung(1, 0) == [] and swung(100, 9) == []  # last year under 10: 0 -> 1 is no swing


def test_swing_rule_waits_for_the_tables_to_be_filled_in():
    report, last = loads(SAMPLES[0].read_text(encoding="utf-8")), loads(SAMPLES[0].read_text(encoding="utf-8"))
    last.year = report.year - 1
    for cell_id, _ in C.KEY_CELLS:
        report.cells[cell_id], last.cells[cell_id] = 0, 100
    assert [p for p in check(report, last) if p.rule == "prev.swing"] == []
    report.cells["t2.licensing"] = 3
    assert len([p for p in check(report, last) if p.rule == "prev.swing"]) == len(C.KEY_CELLS)


def test_a_unit_with_only_last_years_report_is_not_reported_and_says_so(units, tmp_path):
    old = load(OTHER_YEAR).agency
    roster = tmp_path / "r.txt"
    roster.write_text("\n".join(agencies() + [old]), encoding="utf-8")
    out = tmp_path / "gov.yaml"
    result = run("rollup", units, "--agency", "某某区人民政府", "--year", 2024, "-o", out, "--roster", roster,
                 "--summary", tmp_path / "s.json")
    assert f"未报送（名单中有、但没有找到报告）：{old}。" in result.output
    doc = json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))
    row = next(r for r in doc["reports"] if r.get("not_reported"))
    assert row["agency"] == old and row["note"].startswith("未报送（只找到 last-year.yaml：是 2023 年度的报告")


def test_reports_whose_agency_is_unknown_are_never_taken_for_duplicates(tmp_path):
    seed = Path(__file__).resolve().parent / "data" / "seeds" / "000_df4223baeb548da3.txt"
    text = seed.read_text(encoding="utf-8")
    d = tmp_path / "u"
    d.mkdir()
    for name in ("a.txt", "b.txt"):  # names the importer cannot recognise as an agency
        (d / name).write_text(text.replace("平湖市卫生健康局", f"某某市第{name[0]}1局"), encoding="utf-8")
    out = tmp_path / "gov.yaml"
    result = run("rollup", d, "--agency", "某某市人民政府", "--year", 2024, "-o", out)
    assert f"“{C.UNKNOWN_AGENCY}”" not in result.output and "只计一次" not in result.output
    from gip_author.readers import import_report
    one = import_report(d / "a.txt")[0]
    assert one.agency == C.UNKNOWN_AGENCY
    assert load(out).cells["t3.new.total"] == 2 * one.cells["t3.new.total"]


def test_a_unit_published_twice_counts_once_and_a_difference_is_said(tmp_path):
    from gip_author.render.docx import render_docx
    d = tmp_path / "u"
    d.mkdir()
    unit = load(UNITS_2024[0])
    (d / "unit.docx").write_bytes(render_docx(unit))
    (d / "unit.html").write_text(render_html(unit), encoding="utf-8")
    other = load(UNITS_2024[1])
    (d / "other.html").write_text(render_html(other), encoding="utf-8")
    other.cells["t2.licensing"] += 5  # the same unit's second copy says something else
    (d / "other.docx").write_bytes(render_docx(other))
    out = tmp_path / "gov.yaml"
    result = run("rollup", d, "--agency", "某某区人民政府", "--year", 2024, "-o", out)
    assert result.output.count("是同一单位的同一年度报告，只计一次") == 2
    # neither copy has errors and neither is YAML: the first by path counts
    assert "other.html：未计入合计：与" in result.output and "有 1 个数不同，计入的是 other.docx，请核对" in result.output
    want = expected_sums(UNITS_2024[:2])
    got = export_cells(load(out))
    assert got["t3.new.total"] == want["t3.new.total"]
    assert got["t2.licensing"] == want["t2.licensing"] + 5


def test_audit_with_last_years_folder_warns_of_a_swing(tmp_path):
    from gip_author.audit import audit_paths
    this, last = tmp_path / "this", tmp_path / "last"
    this.mkdir()
    last.mkdir()
    sample = UNITS_2024[0]
    report = load(sample)
    text = sample.read_text(encoding="utf-8")
    (this / sample.name).write_text(text, encoding="utf-8")
    old = text.replace(f"年度: {report.year}", f"年度: {report.year - 1}").replace(
        f"{report.year}年", f"{report.year - 1}年")
    licensing = report.cells["t2.licensing"]
    old = old.replace(f"  行政许可: {licensing}", f"  行政许可: {licensing * 6 + 60}")
    (last / sample.name).write_text(old, encoding="utf-8")
    [row] = audit_paths([this], last, jobs=1)
    assert "prev.swing" in row["rules"]


def test_no_report_of_the_year_writes_nothing_and_says_what_was_found(units, tmp_path):
    out = tmp_path / "gov.yaml"
    result = run("rollup", units, "--agency", "某某区人民政府", "--year", 2025, "-o", out)
    assert result.exit_code == 1 and not out.exists()
    assert "6 个文件中没有 2025 年度可计入合计的报告，找到的是 2023、2024 年度的报告，1 个文件无法读取" in result.output
