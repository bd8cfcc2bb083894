"""`gip-author audit`: rows, totals, unreadable files, --previous-dir matching, and the CSV/JSON/HTML summaries."""
from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
import threading
import time
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from gip_author import audit, rules, summary
from gip_author.cells import CELL_IDS, DECIMAL_CELLS
from gip_author.cli import main
from gip_author.loader import load
from gip_author.model import export_cells
from gip_author.problems import Problem, Rule
from gip_author.yaml_writer import init_yaml

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = sorted((ROOT / "sample_inputs").glob("*.yaml"))

ROW_NEW = "一、本年新收政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]"
ROW_CARRIED_IN = "二、上年结转政府信息公开申请数量: [0, 0, 0, 0, 0, 0, 0]"
ROW_GRANTED = "（一）予以公开: [0, 0, 0, 0, 0, 0, 0]"
ROW_PARTLY = "（二）部分公开（区分处理的，只计这一情形，不计其他情形）: [0, 0, 0, 0, 0, 0, 0]"
ROW_CARRIED_OUT = "四、结转下年度继续办理: [0, 0, 0, 0, 0, 0, 0]"
ROW_RESULTS_TOTAL = "（七）总计: [0, 0, 0, 0, 0, 0, 0]"


def report_yaml(agency: str, year: int, edits: dict[str, str]) -> str:
    """The template of `gip-author init` with some lines edited: {exact text of a line: its new text}."""
    text = init_yaml(agency, year)
    for old, new in edits.items():
        assert old in text, old
        text = text.replace(old, new, 1)
    return text


# 甲: balanced tables, last year's report in the previous folder (agency written with a space there)
JIA = {ROW_NEW: "一、本年新收政府信息公开申请数量: [5, 2, 0, 0, 0, 0]",
       ROW_CARRIED_IN: "二、上年结转政府信息公开申请数量: [1, 0, 0, 0, 0, 0]",
       ROW_GRANTED: "（一）予以公开: [4, 1, 0, 0, 0, 0]",
       ROW_PARTLY: "（二）部分公开（区分处理的，只计这一情形，不计其他情形）: [0, 1, 0, 0, 0, 0]",
       ROW_RESULTS_TOTAL: "（七）总计: [4, 2, 0, 0, 0, 0, 6]",
       ROW_CARRIED_OUT: "四、结转下年度继续办理: [2, 0, 0, 0, 0, 0]",
       "行政许可: 0": "行政许可: 10", "行政事业性收费: 0": "行政事业性收费: 0.1"}
# 乙: a row total written wrong (3 + 0 ≠ 4), so the row and the balance of the total column fail
YI = {ROW_NEW: "一、本年新收政府信息公开申请数量: [3, 0, 0, 0, 0, 0, 4]",
      ROW_GRANTED: "（一）予以公开: [3, 0, 0, 0, 0, 0]",
      ROW_RESULTS_TOTAL: "（七）总计: [3, 0, 0, 0, 0, 0]",
      "行政许可: 0": "行政许可: 7", "行政事业性收费: 0": "行政事业性收费: 0.2"}
# 丙: one count left blank, which is missing (not 0) in the summary
BING = {"行政许可: 0": "行政许可:", "行政处罚: 0": "行政处罚: 3"}


@pytest.fixture
def folders(tmp_path: Path) -> tuple[Path, Path]:
    reports, previous = tmp_path / "reports", tmp_path / "previous"
    (reports / "乡镇").mkdir(parents=True)
    previous.mkdir()
    (reports / "jia.yaml").write_text(report_yaml("甲区教育局", 2024, JIA), encoding="utf-8")
    (reports / "乡镇" / "yi.yml").write_text(report_yaml("乙区民政局", 2024, YI), encoding="utf-8")
    (reports / "bing.yaml").write_text(report_yaml("丙区司法局", 2024, BING), encoding="utf-8")
    (reports / "broken.yaml").write_text("机关: 丁区\n年度: [2024,\n", encoding="utf-8")
    (reports / "corrupt.pdf").write_bytes(b"%PDF-1.7\n" + bytes(range(256)) * 8)
    for sample in SAMPLES:
        shutil.copy(sample, reports / sample.name)
    # not reports: hidden, Word's lock file, other suffixes
    (reports / ".hidden.yaml").write_text("机关: 隐藏\n", encoding="utf-8")
    (reports / "~$jia.docx").write_bytes(b"lock")
    (reports / "notes.csv").write_text("a,b\n", encoding="utf-8")
    prev_jia = {ROW_CARRIED_OUT: "四、结转下年度继续办理: [1, 0, 0, 0, 0, 0]",  # balanced: 1 new, 1 carried out
                ROW_NEW: "一、本年新收政府信息公开申请数量: [1, 0, 0, 0, 0, 0]"}
    (previous / "jia-2023.yaml").write_text(report_yaml("甲区 教育局", 2023, prev_jia), encoding="utf-8")
    (previous / "yi-2022.yaml").write_text(report_yaml("乙区民政局", 2022, {}), encoding="utf-8")
    (previous / "broken.yaml").write_text(":\n  - [", encoding="utf-8")
    return reports, previous


def readable_files(reports: Path) -> list[Path]:
    return sorted([reports / "jia.yaml", reports / "乡镇" / "yi.yml", reports / "bing.yaml",
                   *(reports / s.name for s in SAMPLES)], key=str)


def expected_totals(files: list[Path]) -> tuple[dict[str, object], int]:
    """Sum every cell over the reports, loaded and exported independently of audit.py."""
    sums: dict[str, object] = {c: Decimal(0) if c in DECIMAL_CELLS else 0 for c in CELL_IDS}
    missing = 0
    for f in files:
        for cell_id, value in export_cells(load(f)).items():
            if value is None:
                missing += 1
            elif cell_id in DECIMAL_CELLS:
                sums[cell_id] += Decimal(str(value))
            else:
                sums[cell_id] += value
    return sums, missing


def by_name(rows: list[dict]) -> dict[str, dict]:
    return {Path(r["file"]).name: r for r in rows}


# ------------------------------------------------------------------------------------------ finding files


def test_finds_reports_recursively_and_skips_hidden_locks_and_other_files(folders):
    reports, _ = folders
    files = audit.find_reports([reports])
    assert files == sorted(files, key=str)
    assert {p.name for p in files} == {"jia.yaml", "yi.yml", "bing.yaml", "broken.yaml", "corrupt.pdf", *(s.name for s in SAMPLES)}


def test_a_file_given_twice_or_inside_a_given_folder_is_audited_once(folders):
    reports, _ = folders
    files = audit.find_reports([reports / "jia.yaml", reports, reports / "jia.yaml"])
    assert [p.name for p in files].count("jia.yaml") == 1


def test_our_own_html_summary_is_not_audited_again(folders, tmp_path):
    reports, _ = folders
    summary.write_summary(audit.audit_paths([reports], jobs=1), reports / "汇总.html")
    assert "汇总.html" not in [p.name for p in audit.find_reports([reports])]


# ------------------------------------------------------------------------------------------ rows


def test_one_row_per_report_with_counts_and_rules(folders):
    reports, _ = folders
    rows = audit.audit_paths([reports], jobs=1)
    assert [r["file"] for r in rows] == sorted(r["file"] for r in rows)
    assert len(rows) == 5 + len(SAMPLES)
    for f in readable_files(reports):
        row = by_name(rows)[f.name]
        problems = rules.check(load(f))
        assert row["errors"] == sum(p.severity == "error" for p in problems)
        assert row["warnings"] == sum(p.severity == "warning" for p in problems)
        assert row["cells"] == export_cells(load(f))
        assert row["error"] is None
    jia, yi, bing = (by_name(rows)[n] for n in ("jia.yaml", "yi.yml", "bing.yaml"))
    assert (jia["agency"], jia["year"], jia["errors"]) == ("甲区教育局", 2024, 0)
    assert not any(r.startswith(("t3.", "t4.")) for r in jia["rules"])
    assert jia["cells"]["t3.new.total"] == 7 and jia["cells"]["t2.licensing"] == 10
    assert yi["errors"] >= 2 and yi["rules"][0] == "t3.row-total" and "t3.balance" in yi["rules"]
    assert len(yi["rules"]) == len(set(yi["rules"]))
    assert bing["cells"]["t2.licensing"] is None and bing["unreadable_cells"] == 1
    assert "input.bad-number" in bing["rules"]


def test_unreadable_files_get_a_plain_reason_and_never_stop_the_run(folders):
    reports, _ = folders
    rows = by_name(audit.audit_paths([reports], jobs=1))
    broken, corrupt = rows["broken.yaml"], rows["corrupt.pdf"]
    assert re.match(r"第 \d+ 行第 \d+ 列：", broken["error"]) and "YAML" in broken["error"]
    assert str(reports) not in broken["error"]  # the file column already names it
    assert corrupt["error"] and "Traceback" not in corrupt["error"]
    for row in (broken, corrupt):
        assert row["agency"] is None and row["errors"] is None and set(row["cells"]) == set(CELL_IDS)
        assert all(v is None for v in row["cells"].values())


def test_an_unexpected_exception_becomes_the_row_error(folders, monkeypatch):
    reports, _ = folders
    from gip_author import readers as load_module
    real = load_module.open_report

    def flaky(path):
        if Path(path).name == "jia.yaml":
            raise ValueError("boom")
        return real(path)

    monkeypatch.setattr(load_module, "open_report", flaky)
    rows = by_name(audit.audit_paths([reports], jobs=1))
    assert "意外错误" in rows["jia.yaml"]["error"] and "ValueError: boom" in rows["jia.yaml"]["error"]
    assert rows["bing.yaml"]["error"] is None


def test_parallel_run_gives_the_same_rows_as_a_serial_one(folders):
    reports, previous = folders
    assert audit.audit_paths([reports], previous, jobs=2) == audit.audit_paths([reports], previous, jobs=1)


def _crash_on_boom(path: Path) -> dict:
    if path.name == "boom.yaml":
        os._exit(3)  # a worker dying outright, as a crash in a C library would
    return audit._audit_one(path)


def test_a_crashing_worker_costs_only_its_own_file(folders):
    reports, _ = folders
    shutil.copy(reports / "jia.yaml", reports / "boom.yaml")
    files = audit.find_reports([reports])
    rows = by_name(audit._map(_crash_on_boom, files, 2, audit._NoBar(), {}, audit._error_row))
    assert "意外退出" in rows["boom.yaml"]["error"]
    assert rows["jia.yaml"]["error"] is None and rows["jia.yaml"]["cells"]["t2.licensing"] == 10
    assert len(rows) == len(files)


@pytest.fixture
def forking():
    """Workers forked from this process, so that a monkeypatch reaches them (skip where fork is not used)."""
    for thread in threading.enumerate():  # a pool's manager thread may still be ending
        if thread is not threading.main_thread():
            thread.join(timeout=5)
    if audit._context().get_start_method() != "fork":
        pytest.skip("the patch reaches workers only by fork")


def test_a_file_that_hangs_is_given_up_after_the_timeout(folders, monkeypatch, forking):
    reports, _ = folders
    from gip_author import readers as load_module
    real = load_module.open_report

    def slow(path):
        if Path(path).name == "jia.yaml":
            time.sleep(30)
        return real(path)

    monkeypatch.setattr(load_module, "open_report", slow)
    monkeypatch.setattr(audit, "FILE_TIMEOUT", 1)
    t0 = time.perf_counter()
    rows = by_name(audit.audit_paths([reports], jobs=2))
    assert time.perf_counter() - t0 < 20
    assert "超过 1 秒" in rows["jia.yaml"]["error"]
    assert rows["bing.yaml"]["error"] is None


# ------------------------------------------------------------------------------------------ --previous-dir


def test_previous_year_report_is_matched_by_agency_and_year_and_passed_to_check(folders, monkeypatch, forking):
    reports, previous = folders
    seen = Rule("test.previous-seen", "warning", "上年报告已传入", "previous report passed")

    def record(report, last):
        if last is not None:
            carried = last.cell("t3.carried_out.total")
            yield Problem.of(seen, f"{last.agency} {last.year} {carried}", "", None)

    monkeypatch.setattr(rules, "CHECKS", [*rules.CHECKS, (seen, record)])
    for jobs in (1, 2):  # in-process and in workers
        rows = by_name(audit.audit_paths([reports], previous, jobs=jobs))
        assert rows["jia.yaml"]["previous"] == str(previous / "jia-2023.yaml")
        assert "test.previous-seen" in rows["jia.yaml"]["rules"]
        assert rows["yi.yml"]["previous"] is None  # only a 2022 report of 乙 there: not last year's
        assert "test.previous-seen" not in rows["yi.yml"]["rules"]


def test_previous_index_skips_unreadable_files_and_folds_agency_names(folders):
    _, previous = folders
    index = audit.load_previous(previous, jobs=1)
    assert set(index) == {("甲区教育局", 2023), ("乙区民政局", 2022)}
    assert index[("甲区教育局", 2023)][1].cell("t3.carried_out.total") == 1


# ------------------------------------------------------------------------------------------ totals


def test_total_sums_every_cell_over_readable_reports_and_counts_missing_cells(folders):
    reports, _ = folders
    rows = audit.audit_paths([reports], jobs=1)
    total = summary.total_row(rows)
    sums, missing = expected_totals(readable_files(reports))
    assert total["cells"] == sums
    assert total["cells"]["t2.fees"] == sum((Decimal(str(r["cells"]["t2.fees"])) for r in rows if not r["error"]),
                                            Decimal(0))
    assert (total["reports"], total["unreadable_files"]) == (3 + len(SAMPLES), 2)
    assert total["unreadable_cells"] == missing == 1 and total["missing"] == {"t2.licensing": 1}
    assert total["errors"] == sum(r["errors"] for r in rows if not r["error"])


def test_amounts_are_summed_exactly():
    rows = [{"file": f"{i}.yaml", "agency": f"{i}局", "year": 2024, "error": None, "errors": 0, "warnings": 0,
             "cells": {**dict.fromkeys(CELL_IDS, 0), "t2.fees": v}} for i, v in enumerate((0.1, 0.2, 1.23456))]
    assert summary.total_row(rows)["cells"]["t2.fees"] == Decimal("1.5346")


# ------------------------------------------------------------------------------------------ the summaries


def read_csv(path: Path) -> tuple[list[str], list[dict[str, str]]]:
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # BOM for Excel
    table = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    ids = [heading.rsplit(" ", 1)[1] for heading in table[0]]
    return table[0], [dict(zip(ids, line)) for line in table[1:]]


def test_cli_writes_the_csv_summary(folders, tmp_path):
    reports, previous = folders
    out = tmp_path / "summary.csv"
    result = CliRunner().invoke(main, ["audit", str(reports), "--previous-dir", str(previous), "-o", str(out),
                                       "-j", "2"])
    assert result.exit_code == 0, result.output
    assert "Traceback" not in result.output
    n = 5 + len(SAMPLES)
    assert f"已审核 {n} 份报告：2 份有错误，2 份无法读取" in result.output
    headings, lines = read_csv(out)
    assert headings[:3] == ["文件 file", "机关 agency", "年度 year"]
    assert "表三 （一）予以公开 自然人 t3.granted.natural" in headings
    assert [h.rsplit(" ", 1)[1] for h in headings[9:]] == list(CELL_IDS)
    *rows, total = lines
    assert len(rows) == n and total["file"] == "合计"
    sums, missing = expected_totals(readable_files(reports))
    for cell_id in CELL_IDS:
        assert Decimal(total[cell_id]) == sums[cell_id], cell_id
        column = [Decimal(r[cell_id]) for r in rows if not r["error"] and r[cell_id] != ""]
        assert sum(column, Decimal(0)) == Decimal(total[cell_id]), cell_id
    assert total["unreadable_cells"] == "1"
    named = {Path(r["file"]).name: r for r in rows}
    assert "YAML" in named["broken.yaml"]["error"] and named["broken.yaml"]["t3.new.total"] == ""
    assert named["corrupt.pdf"]["error"]
    assert named["yi.yml"]["rules"].split()[0] == "t3.row-total" and int(named["yi.yml"]["errors"]) >= 2
    assert named["jia.yaml"]["previous"] == str(previous / "jia-2023.yaml")
    assert named["bing.yaml"]["t2.licensing"] == "" and named["bing.yaml"]["unreadable_cells"] == "1"
    assert total["errors"] == str(sum(int(r["errors"]) for r in rows if r["errors"]))


def test_csv_neutralises_formulas_in_names(tmp_path):
    reports = tmp_path / "r"
    reports.mkdir()
    (reports / "a.yaml").write_text(report_yaml("=HYPERLINK(\"x\")局", 2024, {}), encoding="utf-8")
    summary.write_summary(audit.audit_paths([reports], jobs=1), tmp_path / "s.csv")
    _, lines = read_csv(tmp_path / "s.csv")
    assert lines[0]["agency"] == "'=HYPERLINK(\"x\")局"


def test_json_summary_is_the_documented_document(folders, tmp_path):
    reports, _ = folders
    out = tmp_path / "summary.json"
    result = CliRunner().invoke(main, ["audit", str(reports), "-o", str(out)])
    assert result.exit_code == 0, result.output
    doc = json.loads(out.read_text(encoding="utf-8"))
    assert (doc["format"], doc["version"]) == ("gip-author-audit", 1)
    assert [c["id"] for c in doc["columns"]] == list(CELL_IDS)
    assert set(doc) == {"format", "version", "columns", "reports", "total"}
    sums, _ = expected_totals(readable_files(reports))
    assert {c: Decimal(str(v)) for c, v in doc["total"]["cells"].items()} == sums
    readable = [r for r in doc["reports"] if not r["error"]]
    for cell_id in CELL_IDS:
        values = [r["cells"][cell_id] for r in readable if r["cells"][cell_id] is not None]
        assert sum(Decimal(str(v)) for v in values) == Decimal(str(doc["total"]["cells"][cell_id]))
    assert doc["total"]["missing"] == {"t2.licensing": 1}
    broken = next(r for r in doc["reports"] if r["file"].endswith("broken.yaml"))
    assert re.match(r"第 \d+ 行第 \d+ 列：", broken["error"]) and broken["cells"]["t3.new.total"] is None
    assert set(doc["reports"][0]) == {"file", "agency", "year", "errors", "warnings", "rules", "error",
                                      "unreadable_cells", "previous", "cells"}


class _Table(HTMLParser):
    """Collects <html lang>, the generator, external references and the table rows with their class."""

    def __init__(self):
        super().__init__()
        self.lang = self.generator = None
        self.external: list[str] = []
        self.rows: list[tuple[str, str, list[str]]] = []  # (section, class, cells)
        self.section = ""
        self._cell: list[str] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "html":
            self.lang = a.get("lang")
        if tag == "meta" and a.get("name") == "generator":
            self.generator = a.get("content")
        for attr in ("src", "href"):
            if a.get(attr):
                self.external.append(a[attr])
        if tag in ("thead", "tbody", "tfoot"):
            self.section = tag
        if tag == "tr":
            self.rows.append((self.section, a.get("class") or "", []))
        if tag in ("td", "th"):
            self._cell = []

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self.rows[-1][2].append("".join(self._cell).strip())
            self._cell = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_html_summary_is_one_sortable_page_with_problem_rows_marked(folders, tmp_path):
    reports, _ = folders
    out = tmp_path / "summary.html"
    result = CliRunner().invoke(main, ["audit", str(reports), "-o", str(out)])
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    page = _Table()
    page.feed(text)
    assert text.startswith("<!DOCTYPE html>") and page.lang == "zh-CN" and page.generator == audit.GENERATOR
    assert page.external == [] and "<script>" in text and "addEventListener(\"click\"" in text
    (head,) = [cells for section, _, cells in page.rows if section == "thead"]
    assert head[0] == "文件" and head[9] == "表二 规章 本年制发件数t2.regulations.issued"
    body = {Path(cells[0]).name: (cls, cells) for section, cls, cells in page.rows if section == "tbody"}
    assert len(body) == 5 + len(SAMPLES)
    assert body["broken.yaml"][0] == "unreadable" and "YAML" in body["broken.yaml"][1][6]
    assert body["corrupt.pdf"][0] == "unreadable"
    assert body["yi.yml"][0] == "errors"
    for row in audit.audit_paths([reports], jobs=1):
        expected = "unreadable" if row["error"] else "errors" if row["errors"] else "warnings" if row["warnings"] else ""
        assert body[Path(row["file"]).name][0] == expected
    (foot,) = [cells for section, _, cells in page.rows if section == "tfoot"]
    sums, _ = expected_totals(readable_files(reports))
    assert foot[0] == "合计"
    assert [Decimal(v) for v in foot[9:]] == [sums[c] for c in CELL_IDS]


def test_html_escapes_names_from_the_reports(tmp_path):
    reports = tmp_path / "r"
    reports.mkdir()
    (reports / "a.yaml").write_text(report_yaml("<script>alert(1)</script>局", 2024, {}), encoding="utf-8")
    html = summary.summary_html(audit.audit_paths([reports], jobs=1))
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in html and "<script>alert" not in html


# ------------------------------------------------------------------------------------------ CLI refusals


def test_unknown_summary_suffix_is_refused_before_any_work(folders, tmp_path):
    reports, _ = folders
    result = CliRunner().invoke(main, ["audit", str(reports), "-o", str(tmp_path / "s.xlsx")])
    assert result.exit_code == 2 and ".csv、.json 或 .html" in result.output
    assert "Traceback" not in result.output and not (tmp_path / "s.xlsx").exists()


def test_no_reports_found_is_a_clear_message(tmp_path):
    result = CliRunner().invoke(main, ["audit", str(tmp_path), "-o", str(tmp_path / "s.csv")])
    assert result.exit_code == 2 and "没有找到报告文件" in result.output
    assert not (tmp_path / "s.csv").exists()


def test_summary_never_overwrites_an_audited_report(tmp_path):
    reports = tmp_path / "r"
    reports.mkdir()
    page = reports / "published.html"
    page.write_text("<html><body>某局2024年政府信息公开工作年度报告</body></html>", encoding="utf-8")
    (reports / "a.yaml").write_text(report_yaml("甲局", 2024, {}), encoding="utf-8")
    result = CliRunner().invoke(main, ["audit", str(reports), "-o", str(page)])
    assert result.exit_code == 2 and "不会被覆盖" in result.output
    assert page.read_text(encoding="utf-8").startswith("<html><body>某局")


def test_same_agency_twice_and_several_years_are_pointed_out(folders):
    reports, _ = folders
    shutil.copy(reports / "jia.yaml", reports / "jia-again.yaml")
    (reports / "old.yaml").write_text(report_yaml("戊区财政局", 2023, {}), encoding="utf-8")
    rows = audit.audit_paths([reports], jobs=1)
    total = summary.total_row(rows)
    assert total["years"] == [2023, 2024]
    assert {"agency": "甲区教育局", "year": 2024,
            "files": [str(reports / "jia-again.yaml"), str(reports / "jia.yaml")]} in total["duplicates"]
    page = summary.summary_html(rows)
    assert "甲区教育局（2024年，2 份）" in page and "多个年度" in page


# ------------------------------------------------------------------------------------------ published files


def _rendered(folder: Path, fmt: str) -> list[Path]:
    """The samples rendered to `fmt` into `folder`."""
    from gip_author.render import renderer
    render = renderer(fmt)
    out = []
    for sample in SAMPLES:
        data = render(load(sample))
        path = folder / f"{sample.stem}.{fmt}"
        path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        out.append(path)
    return out


@pytest.mark.parametrize("fmt", ["html", "docx", "pdf"])
def test_audit_of_published_files_gives_the_cells_of_their_yaml(tmp_path, fmt):
    folder = tmp_path / fmt
    folder.mkdir()
    files = _rendered(folder, fmt)
    (folder / f"corrupt.{fmt}").write_bytes(b"\x00\x01 not a report " * 50)
    rows = by_name(audit.audit_paths([folder], jobs=2))
    for sample, path in zip(SAMPLES, files):
        row, report = rows[path.name], load(sample)
        assert row["error"] is None, row["error"]
        assert (row["agency"], row["year"]) == (report.agency, report.year)
        assert row["cells"] == export_cells(report)
        assert row["errors"] == 0
    assert rows[f"corrupt.{fmt}"]["error"] and "Traceback" not in rows[f"corrupt.{fmt}"]["error"]


def test_audit_of_the_seeds_reads_every_one(tmp_path):
    seeds = sorted((Path(__file__).resolve().parent / "data" / "seeds").glob("*.txt"))
    assert len(seeds) == 4
    for seed in seeds:
        shutil.copy(seed, tmp_path / seed.name)
    rows = audit.audit_paths([tmp_path], jobs=2)
    assert [r["error"] for r in rows] == [None] * len(seeds)
    assert [(r["agency"], r["year"]) for r in rows] == [("平湖市卫生健康局", 2024), ("前进区卫生健康局", 2023),
                                                     ("临淄区卫生健康局", 2024), ("互助县卫生健康局", 2024)]
    assert [r["unreadable_cells"] for r in rows] == [0] * len(seeds)


def test_two_crashing_files_cost_only_themselves(folders):
    reports, _ = folders
    shutil.copy(reports / "jia.yaml", reports / "boom.yaml")
    shutil.copy(reports / "jia.yaml", reports / "乡镇" / "boom.yaml")
    files = audit.find_reports([reports])
    rows = audit._map(_crash_on_boom, files, 2, audit._NoBar(), {}, audit._error_row)
    assert [r["file"] for r in rows] == [str(f) for f in files]
    crashed = [Path(r["file"]).name for r in rows if r["error"] and "意外退出" in r["error"]]
    assert crashed == ["boom.yaml", "boom.yaml"]
