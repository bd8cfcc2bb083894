"""The rules: pure functions Report -> problems (arithmetic, compliance, lints).

Each check function is registered with `@check_for(RULE)`; `check()` runs them all and returns every
problem at once, load problems first.  Rule ids and descriptions live in the catalogue of problems.py.
"""
from __future__ import annotations

from typing import Callable, Iterator

from . import cells as C
from .model import Report
from .problems import Problem, Rule, rule

CheckFn = Callable[[Report, Report | None], Iterator[Problem]]
CHECKS: list[tuple[Rule, CheckFn]] = []


def check_for(r: Rule):
    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append((r, fn))
        return fn
    return register


def _fmt(value) -> str:
    return "空" if value is None else f"{value}"


def _problem(r: Rule, report: Report, key: str, zh: str, en: str, expected=None, actual=None) -> Problem:
    return Problem.of(r, zh, en, report.where(key), expected, actual)


# ------------------------------------------------------------------------------------ arithmetic

T3_ROW_TOTAL = rule("t3.row-total", "error", "表三每一行：总计 = 自然人 + 五类法人或其他组织之和",
                    "Table 3, every row: 总计 = natural persons + the five kinds of organisation")
T3_RESULTS_TOTAL = rule("t3.results-total", "error", "表三每一列：（七）总计 = （一）至（六）各项之和",
                        "Table 3, every column: （七）总计 = the sum of results （一）–（六）")
T3_BALANCE = rule("t3.balance", "error", "表三勾稽关系（每一列）：一 + 二 = 三（七）总计 + 四",
                  "Table 3 balance, every column: new + carried in = results total + carried out")
T4_TOTAL = rule("t4.total", "error", "表四每组：总计 = 结果维持 + 结果纠正 + 其他结果 + 尚未审结",
                "Table 4, each group: 总计 = upheld + corrected + other + pending")


def _sum(values):
    values = list(values)
    return None if any(v is None for v in values) else sum(values)


@check_for(T3_ROW_TOTAL)
def t3_row_totals(report: Report, previous: Report | None) -> Iterator[Problem]:
    for row in C.T3_ROWS:
        parts = _sum(report.cell(C.t3(row.key, c)) for c in C.T3_PART_COLUMNS)
        total = report.cell(C.t3(row.key, "total"))
        if parts is not None and total is not None and parts != total:
            yield _problem(T3_ROW_TOTAL, report, C.t3(row.key, "total"),
                           f"表三“{row.label}”一行的总计是 {total}，但各类申请人之和是 {parts}。",
                           f"Table 3 row {row.key}: total is {total} but the applicants add up to {parts}.",
                           expected=parts, actual=total)


@check_for(T3_RESULTS_TOTAL)
def t3_results_total(report: Report, previous: Report | None) -> Iterator[Problem]:
    for col, label in C.T3_COLUMNS:
        parts = _sum(report.cell(C.t3(r, col)) for r in C.T3_RESULT_ROWS)
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


@check_for(T4_TOTAL)
def t4_totals(report: Report, previous: Report | None) -> Iterator[Problem]:
    for group, label in C.T4_GROUPS:
        parts = _sum(report.cell(C.t4(group, c)) for c in C.T4_PART_COLUMNS)
        total = report.cell(C.t4(group, "total"))
        if parts is not None and total is not None and parts != total:
            yield _problem(T4_TOTAL, report, C.t4(group, "total"),
                           f"表四“{label}”的总计是 {total}，但结果维持、结果纠正、其他结果、尚未审结之和是 {parts}。",
                           f"Table 4 {group}: total is {total} but its parts add up to {parts}.",
                           expected=parts, actual=total)


# ------------------------------------------------------------------------------------ running


def check(report: Report, previous: Report | None = None) -> list[Problem]:
    """Every problem of the report (and against last year's, when given), load problems first."""
    problems = list(report.load_problems)
    for _, fn in CHECKS:
        problems.extend(fn(report, previous))
    return problems


def catalogue(fmt: str = "text", lang: str = "zh") -> str:
    """The rule reference: every rule's id, severity and description (README's table comes from here)."""
    from .problems import RULES
    rules = sorted(RULES.values(), key=lambda r: (r.severity != "error", r.id))
    if fmt == "json":
        import json
        return json.dumps([{"id": r.id, "severity": r.severity, "zh": r.zh, "en": r.en} for r in rules],
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| 规则 rule | 级别 severity | 检查什么 | what it checks |", "|---|---|---|---|"]
        lines += [f"| `{r.id}` | {r.severity} | {r.zh} | {r.en} |" for r in rules]
        return "\n".join(lines) + "\n"
    sev = {"zh": {"error": "错误", "warning": "警告"}, "en": {"error": "error", "warning": "warning"}}[lang]
    return "".join(f"{r.id:<24} {sev[r.severity]:<8} {r.en if lang == 'en' else r.zh}\n" for r in rules)
