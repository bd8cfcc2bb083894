"""This year's report against last year's: the year itself, 上年结转, and Table 2's documents in force."""
from __future__ import annotations

from typing import Iterator

from .. import cells as C
from ..model import Report
from ..problems import Problem
from .registry import check_for, rule
from .registry import problem_at as _problem

PREV_YEAR = rule("prev.year", "warning", "“上年报告”应是上一年度的报告（否则不做跨年度核对）",
                 "the previous report must be for the year before (else the cross-year checks are skipped)")
PREV_CARRIED_IN = rule("prev.carried-in", "error", "表三“二、上年结转”每一列须等于上年报告的“四、结转下年度继续办理”",
                       "Table 3 carried in, every column, must equal last year's carried out")
PREV_IN_FORCE = rule("prev.in-force", "warning",
                     "表二现行有效件数 = 上年现行有效件数 + 本年制发 − 本年废止（废止他机关文件时可能不同）",
                     "Table 2 in force = last year's in force + issued − repealed (may differ when "
                     "documents of other agencies were repealed)")


def last_year(report: Report, previous: Report | None) -> Report | None:
    """The previous report when it is the year before; cross-year rules check nothing otherwise."""
    return previous if previous is not None and previous.year == report.year - 1 else None


@check_for(PREV_YEAR)
def previous_is_last_year(report: Report, previous: Report | None) -> Iterator[Problem]:
    if previous is not None and previous.year != report.year - 1:
        yield _problem(PREV_YEAR, report, "year",
                       f"用来对照的上年报告是 {previous.year} 年度的，不是 {report.year - 1} 年度的，"
                       "跨年度核对（上年结转、现行有效件数、重复率）未进行。请给出上一年度的报告。",
                       f"the previous report is for {previous.year}, not {report.year - 1}; cross-year checks skipped.",
                       expected=report.year - 1, actual=previous.year)


@check_for(PREV_CARRIED_IN)
def carried_in_matches_last_year(report: Report, previous: Report | None) -> Iterator[Problem]:
    last = last_year(report, previous)
    if last is None:
        return
    for col, label in C.T3_COLUMNS:
        now, then = report.cell(C.t3("carried_in", col)), last.cell(C.t3("carried_out", col))
        if now is not None and then is not None and now != then:
            yield _problem(PREV_CARRIED_IN, report, C.t3("carried_in", col),
                           f"表三“二、上年结转”的“{label}”列是 {now}，但 {last.year} 年报告“四、结转下年度继续办理”"
                           f"是 {then}，两者应相等。请核对本年或上年的数字。",
                           f"Table 3 carried in ({col}) is {now}, but the {last.year} report carried out {then}.",
                           expected=then, actual=now)


@check_for(PREV_IN_FORCE)
def in_force_follows_last_year(report: Report, previous: Report | None) -> Iterator[Problem]:
    last = last_year(report, previous)
    if last is None:
        return
    for row in C.T2_ROWS[:2]:  # 规章, 行政规范性文件: the rows with 制发/废止/现行有效
        before, issued, repealed, now = (last.cell(C.t2(row.key, "in_force")), report.cell(C.t2(row.key, "issued")),
                                         report.cell(C.t2(row.key, "repealed")), report.cell(C.t2(row.key, "in_force")))
        if None in (before, issued, repealed, now):
            continue
        expected = before + issued - repealed
        if now != expected:
            yield _problem(PREV_IN_FORCE, report, C.t2(row.key, "in_force"),
                           f"表二“{row.label}”现行有效件数是 {now}，但按上年 {before} + 本年制发 {issued} − 本年废止 "
                           f"{repealed} 应为 {expected}。请核对；如因废止其他机关文件等原因确实不同，可在说明中写明。",
                           f"Table 2 {row.key} in force is {now}; last year's {before} + {issued} − {repealed} "
                           f"= {expected}.",
                           expected=expected, actual=now)
