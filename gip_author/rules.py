"""The rules: pure functions Report -> problems (arithmetic, compliance, lints).

Each check function is registered with `@check_for(RULE)`; `check()` runs them all and returns every
problem at once, load problems first.  Rule ids and descriptions live in the catalogue of problems.py.
"""
from __future__ import annotations

import datetime as dt
import re
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
        at, first = report.locations.get(f"t3.{row.key}"), report.locations.get(C.t3(row.key, "natural"))
        if at and first and at.line and first.line == at.line and C.t3(row.key, "total") not in report.locations:
            cols = "、".join(label for _, label in C.T3_COLUMNS)
            yield _problem(T3_SHORT_ROW, report, f"t3.{row.key}",
                           f"表三“{row.label}”这一行只有 6 个数，按“总计省略”读取，表三的算术因此对不上；"
                           f"如果漏填了某一列，请补上（每行依次为：{cols}）。",
                           f"Table 3 row {row.key} has 6 numbers, read as 'total omitted'; if a column was "
                           "dropped, add it.", expected=7, actual=6)


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


# ------------------------------------------------------------------------------------ title, period, date

TITLE_YEAR = rule("meta.title-year", "error", "标题中的年份与报告年度不一致",
                  "the year in the title differs from the report year")
PERIOD = rule("meta.period", "error", "统计期限须在报告年度之内（通常为该年1月1日至12月31日）",
              "the statistical period must lie within the report year (normally 1 January – 31 December)")
TITLE_FORMAT = rule("meta.title-format", "warning", "标题应为“{机关}{年度}年政府信息公开工作年度报告”",
                    "the title should be '{agency}{year}年政府信息公开工作年度报告'")
LATE = rule("meta.late", "warning",
            "发布日期晚于条例规定的时限（部门：次年1月31日；人民政府本级报告：次年3月31日）",
            "published after the legal deadline (departments: 31 January; a government's own report: 31 March)")

_YEAR_IN_TEXT = re.compile(r"(?<!\d)(\d{4})\s*年")


@check_for(TITLE_YEAR)
def title_year(report: Report, previous: Report | None) -> Iterator[Problem]:
    if not report.title:
        return
    for year in {int(y) for y in _YEAR_IN_TEXT.findall(report.title)} - {report.year}:
        yield _problem(TITLE_YEAR, report, "title",
                       f"标题写的是“{year}年”，但报告年度是 {report.year} 年。请改正标题或“年度”中写错的一处。",
                       f"the title says {year} but the report year is {report.year}; correct whichever is wrong.",
                       expected=report.year, actual=year)


@check_for(PERIOD)
def period_in_year(report: Report, previous: Report | None) -> Iterator[Problem]:
    start, end = report.period_start, report.period_end
    if start is None or end is None:
        return
    shown = f"{start:%Y-%m-%d} 至 {end:%Y-%m-%d}"
    if start.year != report.year or end.year != report.year or start > end:
        yield _problem(PERIOD, report, "period",
                       f"统计期限是 {shown}，不在报告年度 {report.year} 年之内。应为“{report.year}年1月1日至"
                       f"{report.year}年12月31日”，请改正统计期限或“年度”。",
                       f"the statistical period {shown} is not within {report.year}; "
                       f"it should be {report.year}-01-01 to {report.year}-12-31.",
                       expected=f"{report.year}-01-01 至 {report.year}-12-31", actual=shown)


@check_for(TITLE_FORMAT)
def title_format(report: Report, previous: Report | None) -> Iterator[Problem]:
    if report.title and C.normalize(report.title) != C.normalize(report.official_title):
        yield _problem(TITLE_FORMAT, report, "title",
                       f"标题“{report.title}”不符合规定格式，应为“{report.official_title}”。"
                       "可直接删掉“标题”一行，由程序按格式生成。",
                       f"the title '{report.title}' is not in the official form '{report.official_title}'; "
                       "delete the title line to have it generated.",
                       expected=report.official_title, actual=report.title)


def deadline(report: Report) -> dt.date:
    """条例 第四十九条 (departments: 31 January) and 第五十条 (a people's government's own report: 31 March)."""
    return dt.date(report.year + 1, 3 if report.kind == "government" else 1, 31)


@check_for(LATE)
def published_late(report: Report, previous: Report | None) -> Iterator[Problem]:
    due = deadline(report)
    if report.published and report.published > due:
        who = "人民政府本级报告" if report.kind == "government" else "政府部门"
        yield _problem(LATE, report, "published",
                       f"发布日期 {report.published:%Y-%m-%d} 晚于规定时限：{who}须在 {due.year}年{due.month}月{due.day}日 前发布"
                       "（政府信息公开条例第四十九、五十条）。请核对日期；确已逾期的，考核会扣分。",
                       f"published {report.published:%Y-%m-%d}, after the deadline {due:%Y-%m-%d}.",
                       expected=f"≤ {due:%Y-%m-%d}", actual=f"{report.published:%Y-%m-%d}")


PUBLISHED_MISSING = rule("meta.published-missing", "warning", "没有填写发布日期（成文日期）",
                         "the publication date is blank")
PUBLISHED_EARLY = rule("meta.published-early", "error", "发布日期不能在报告年度之内（年度报告在次年发布）",
                       "the publication date lies within the report year (the report is published the year after)")


@check_for(PUBLISHED_MISSING)
def published_missing(report: Report, previous: Report | None) -> Iterator[Problem]:
    if report.published is None and report.source and not report.source.lower().endswith(_PUBLISHED):
        yield _problem(PUBLISHED_MISSING, report, "published",
                       f"没有填写发布日期。请填写计划发布的日期，如“发布日期: {report.year + 1}-01-20”"
                       f"（{'人民政府本级报告须在次年3月31日前' if report.kind == 'government' else '部门须在次年1月31日前'}发布）。",
                       "the publication date is blank; write the planned date, e.g. "
                       f"{report.year + 1}-01-20.", expected=f"{report.year + 1}-01-20")


_PUBLISHED = (".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".text")  # a published file may print no date


@check_for(PUBLISHED_EARLY)
def published_early(report: Report, previous: Report | None) -> Iterator[Problem]:
    if report.published and report.published.year <= report.year:
        yield _problem(PUBLISHED_EARLY, report, "published",
                       f"发布日期 {report.published:%Y-%m-%d} 在 {report.year} 年度之内或之前，但年度报告要在年度结束后"
                       f"（{report.year + 1} 年）发布。请核对发布日期或“年度”中写错的一处。",
                       f"published {report.published:%Y-%m-%d}, not after the report year {report.year}.",
                       expected=f"≥ {report.year + 1}-01-01", actual=f"{report.published:%Y-%m-%d}")


# ------------------------------------------------------------------------------------ against last year

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
        cid = f"t2.{row.key}."
        before, issued, repealed, now = (last.cell(cid + "in_force"), report.cell(cid + "issued"),
                                         report.cell(cid + "repealed"), report.cell(cid + "in_force"))
        if None in (before, issued, repealed, now):
            continue
        expected = before + issued - repealed
        if now != expected:
            yield _problem(PREV_IN_FORCE, report, cid + "in_force",
                           f"表二“{row.label}”现行有效件数是 {now}，但按上年 {before} + 本年制发 {issued} − 本年废止 "
                           f"{repealed} 应为 {expected}。请核对；如因废止其他机关文件等原因确实不同，可在说明中写明。",
                           f"Table 2 {row.key} in force is {now}; last year's {before} + {issued} − {repealed} "
                           f"= {expected}.",
                           expected=expected, actual=now)


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


# The narrative rules live in their own module; importing it registers them (after the rules above).
from . import text_rules  # noqa: E402,F401
from . import swings  # noqa: E402,F401
from . import children  # noqa: E402,F401
