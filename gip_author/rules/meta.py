"""Title, statistical period and publication date against the report year and the legal deadline."""
from __future__ import annotations

import datetime as dt
import re
from typing import Iterator

from .. import cells as C
from ..files import is_published
from ..model import Report
from ..problems import Problem
from .registry import check_for, rule
from .registry import problem_at as _problem

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
    if report.published is None and report.source and not is_published(report.source):  # a published file may print no date
        yield _problem(PUBLISHED_MISSING, report, "published",
                       f"没有填写发布日期。请填写计划发布的日期，如“发布日期: {report.year + 1}-01-20”"
                       f"（{'人民政府本级报告须在次年3月31日前' if report.kind == 'government' else '部门须在次年1月31日前'}发布）。",
                       "the publication date is blank; write the planned date, e.g. "
                       f"{report.year + 1}-01-20.", expected=f"{report.year + 1}-01-20")


@check_for(PUBLISHED_EARLY)
def published_early(report: Report, previous: Report | None) -> Iterator[Problem]:
    if report.published and report.published.year <= report.year:
        yield _problem(PUBLISHED_EARLY, report, "published",
                       f"发布日期 {report.published:%Y-%m-%d} 在 {report.year} 年度之内或之前，但年度报告要在年度结束后"
                       f"（{report.year + 1} 年）发布。请核对发布日期或“年度”中写错的一处。",
                       f"published {report.published:%Y-%m-%d}, not after the report year {report.year}.",
                       expected=f"≥ {report.year + 1}-01-01", actual=f"{report.published:%Y-%m-%d}")
