"""The arithmetic of Tables 3 and 4: row totals, the results total, the balance of every column."""
from __future__ import annotations

from typing import Iterator

from .. import cells as C
from ..model import Report, add_up
from ..problems import Problem
from .registry import check_for, rule
from .registry import problem_at as _problem

T3_ROW_TOTAL = rule("t3.row-total", "error", "表三每一行：总计 = 自然人 + 五类法人或其他组织之和",
                    "Table 3, every row: 总计 = natural persons + the five kinds of organisation")
T3_RESULTS_TOTAL = rule("t3.results-total", "error", "表三每一列：（七）总计 = （一）至（六）各项之和",
                        "Table 3, every column: （七）总计 = the sum of results （一）–（六）")
T3_BALANCE = rule("t3.balance", "error", "表三勾稽关系（每一列）：一 + 二 = 三（七）总计 + 四",
                  "Table 3 balance, every column: new + carried in = results total + carried out")
T4_TOTAL = rule("t4.total", "error", "表四每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                "Table 4, each group: 总计 = upheld + corrected + other + pending")


@check_for(T3_ROW_TOTAL)
def t3_row_totals(report: Report, previous: Report | None) -> Iterator[Problem]:
    for row in C.T3_ROWS:
        parts = add_up(report.cell(C.t3(row.key, c)) for c in C.T3_PART_COLUMNS)
        total = report.cell(C.t3(row.key, "total"))
        if parts is not None and total is not None and parts != total:
            yield _problem(T3_ROW_TOTAL, report, C.t3(row.key, "total"),
                           f"表三“{row.label}”一行的总计是 {total}，但各类申请人之和是 {parts}。",
                           f"Table 3 row {row.key}: total is {total} but the applicants add up to {parts}.",
                           expected=parts, actual=total)


@check_for(T3_RESULTS_TOTAL)
def t3_results_total(report: Report, previous: Report | None) -> Iterator[Problem]:
    for col, label in C.T3_COLUMNS:
        parts = add_up(report.cell(C.t3(r, col)) for r in C.T3_RESULT_ROWS)
        total = report.cell(C.t3("total", col))
        if parts is not None and total is not None and parts != total:
            yield _problem(T3_RESULTS_TOTAL, report, C.t3("total", col),
                           f"表三“（七）总计”的“{label}”列是 {total}，但（一）至（六）各项之和是 {parts}。",
                           f"Table 3 results total, column {col}: {total}, but results （一）–（六） add up to {parts}.",
                           expected=parts, actual=total)


@check_for(T3_BALANCE)
def t3_balance(report: Report, previous: Report | None) -> Iterator[Problem]:
    for col, label in C.T3_COLUMNS:
        new, carried_in = report.cell(C.t3("new", col)), report.cell(C.t3("carried_in", col))
        done, carried_out = report.cell(C.t3("total", col)), report.cell(C.t3("carried_out", col))
        if None in (new, carried_in, done, carried_out):
            continue
        if new + carried_in != done + carried_out:
            yield _problem(T3_BALANCE, report, C.t3("carried_out", col),
                           f"表三“{label}”列不平衡：新收 {new} + 上年结转 {carried_in} = {new + carried_in}，"
                           f"而办理结果总计 {done} + 结转下年度 {carried_out} = {done + carried_out}。",
                           f"Table 3 column {col} does not balance: {new} + {carried_in} = {new + carried_in}, "
                           f"but {done} + {carried_out} = {done + carried_out}.",
                           expected=new + carried_in, actual=done + carried_out)


T3_SHORT_ROW = rule("t3.short-row", "warning",
                    "表三某行只写了 6 个数（按“总计省略”读取）而表三算术对不上：可能漏填了中间某一列",
                    "a Table 3 row of 6 numbers (read as 'total omitted') while Table 3 does not add up: "
                    "a column may have been dropped")


@check_for(T3_SHORT_ROW)
def t3_short_rows(report: Report, previous: Report | None) -> Iterator[Problem]:
    """A row written with 6 numbers has its own line but no place for its total: if the table then does not
    add up, the clerk more likely dropped a column than left out the total."""
    if not any(True for fn in (t3_balance, t3_results_total) for _ in fn(report, previous)):
        return
    for row in C.T3_ROWS:
        at, first = report.locations.get(C.t3(row.key)), report.locations.get(C.t3(row.key, "natural"))
        if at and first and at.line and first.line == at.line and C.t3(row.key, "total") not in report.locations:
            cols = "、".join(label for _, label in C.T3_COLUMNS)
            yield _problem(T3_SHORT_ROW, report, C.t3(row.key),
                           f"表三“{row.label}”这一行只有 6 个数，按“总计省略”读取，表三的算术因此对不上；"
                           f"如果漏填了某一列，请补上（每行依次为：{cols}）。",
                           f"Table 3 row {row.key} has 6 numbers, read as 'total omitted'; if a column was "
                           "dropped, add it.", expected=7, actual=6)


@check_for(T4_TOTAL)
def t4_totals(report: Report, previous: Report | None) -> Iterator[Problem]:
    for group, label in C.T4_GROUPS:
        parts = add_up(report.cell(C.t4(group, c)) for c in C.T4_PART_COLUMNS)
        total = report.cell(C.t4(group, "total"))
        if parts is not None and total is not None and parts != total:
            yield _problem(T4_TOTAL, report, C.t4(group, "total"),
                           f"表四“{label}”的总计是 {total}，但结果维持、结果纠正、其他结果、尚未审结之和是 {parts}。",
                           f"Table 4 {group}: total is {total} but its parts add up to {parts}.",
                           expected=parts, actual=total)
