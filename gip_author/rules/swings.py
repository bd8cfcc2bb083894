"""The swing rule: a key figure that jumps or collapses against last year's report (assessors' 5× / 0.2× rule).

Compared: 本年新收, the 办理结果 total, 行政许可, 行政处罚 and the three Table 4 totals (cells.KEY_CELLS).  A figure
is flagged when it is more than five times last year's or less than a fifth of it, and only when last year's
was at least `MIN_LAST` — so that 0 → 1 or 2 → 11 is not called implausible — and only once the tables are
filled in (a template `init --from` has just written holds zeros, not a collapse).
"""
from __future__ import annotations

from typing import Iterator

from .. import cells as C
from ..model import Report
from ..problems import Problem
from .cross_year import last_year
from .registry import check_for, rule

GROWTH = 5          # more than this many times last year's
MIN_LAST = 10       # last year's figure must be at least this for a swing to mean anything

SWING = rule("prev.swing", "warning",
             f"主要数字与上年相比变化过大：本年新收、办理结果总计、行政许可、行政处罚、表四各项总计超过上年的 {GROWTH} 倍"
             f"或不足上年的五分之一（上年不少于 {MIN_LAST} 时才比较），请核对是否填错",
             f"a key figure (new applications, results total, licensing, penalties, Table 4 totals) is more than "
             f"{GROWTH}× or less than 1/{GROWTH} of last year's (compared when last year's was at least {MIN_LAST})")


def swing(now, then) -> str | None:
    """"up" or "down" when `now` is implausibly far from last year's `then`; None otherwise."""
    if now is None or then is None or then < MIN_LAST:
        return None
    if now > GROWTH * then:
        return "up"
    if now * GROWTH < then:
        return "down"
    return None


@check_for(SWING)
def swings_against_last_year(report: Report, previous: Report | None) -> Iterator[Problem]:
    last = last_year(report, previous)
    if last is None or not any(report.cell(c) for c, _ in C.KEY_CELLS):
        return  # every figure still 0: a template not filled in yet (init --from), not a collapse
    for cell_id, label in C.KEY_CELLS:
        now, then = report.cell(cell_id), last.cell(cell_id)
        way = swing(now, then)
        if way is None:
            continue
        ratio = f"是上年的 {now / then:.1f} 倍" if way == "up" else f"只有上年的 {now / then:.0%}"
        yield Problem.of(SWING, f"{C.CELL_LABELS[cell_id]}：本年 {now}，上年（{last.year} 年）{then}，{ratio}。"
                         "变化这么大，请核对是否多填或漏填（如把条数当件数、漏了一个单位）；确实如此的，可在文字中说明原因。",
                         f"{cell_id}: {now} this year against {then} in {last.year} ({now / then:.2f}×); check it.",
                         report.where(cell_id), expected=f"{then / GROWTH:g}–{then * GROWTH:g}", actual=now)
