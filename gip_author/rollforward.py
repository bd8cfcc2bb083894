"""Next year's report from last year's (`gip-author init --from LAST`).

The new template carries over what does not change between years (agency, kind, the contact paragraph of the
introduction), starts Table 3's 二、上年结转 from last year's 四、结转下年度继续办理 and Table 2's 现行有效件数 from
last year's, and leaves every other number at 0 and every section empty.  Last year's text stands beside each
section as YAML comments, for reference only: a comment is never published, so last year's wording is not
repeated by accident (assessors deduct points when more than half of the text repeats the year before).
"""
from __future__ import annotations

import datetime as dt
import re

from . import cells as C
from .model import General, Report
from .yaml_writer import report_yaml

#: A paragraph of the introduction that gives contact details (kept), as opposed to one about the year (not).
_CONTACT = re.compile(r"电话|传真|邮箱|邮编|邮政编码|地址|联系|咨询|\d{3,4}-\d{7,8}|@")

#: Cells whose value passes from last year's report to this year's: this year's cell <- last year's cell.
CARRIED = {
    **{C.t3("carried_in", col): C.t3("carried_out", col) for col, _ in C.T3_COLUMNS},
    **{C.t2(row.key, "in_force"): C.t2(row.key, "in_force") for row in C.T2_ROWS if row.columns},
}


def contact_paragraphs(intro: str) -> str:
    """The paragraphs of an introduction that give contact details (address, phone, e-mail)."""
    return "\n".join(p.strip() for p in intro.splitlines() if p.strip() and _CONTACT.search(p))


def next_year(last: Report, year: int | None = None) -> Report:
    """The blank report for the year after `last` (or for `year`), with what carries over filled in."""
    year = year or last.year + 1
    cells = dict.fromkeys(C.CELL_IDS, 0)
    for now, then in CARRIED.items():
        cells[now] = last.cells.get(then)  # None (unreadable last year) is written 待填: check asks for it
    return Report(agency=last.agency, kind=last.kind, scope=last.scope, year=year, published=dt.date(year + 1, 1, 20),
                  intro=contact_paragraphs(last.intro or ""),
                  general=General(**{k: "" for k, _, _ in C.GENERAL_PARTS}),
                  disclosure=None, requests=None, appeals=None, improvements="", other="", cells=cells)


def _comment(indent: str, last: Report, text: str) -> list[str]:
    lines = [p.strip() for p in text.splitlines() if p.strip()]
    if not lines:
        return []
    head = (f"{indent}# ↓ {last.year}年报告此处原文，仅供参考（注释不会发布）。请按本年实际情况重写，"
            "与上年重复超过一半的考核扣分：")
    return [head] + [f"{indent}#   {line}" for line in lines]


def rollforward_yaml(last: Report, year: int | None = None, source: str = "") -> str:
    """The commented YAML of `next_year(last, year)`, last year's text as comments before each section."""
    new = next_year(last, year)
    lines = report_yaml(new).split("\n")
    H = C.SECTION_HEADINGS
    before: dict[str, str] = {}  # the exact line report_yaml writes for a key -> last year's text
    intro_rest = "\n".join(p for p in (last.intro or "").splitlines() if p.strip() and not _CONTACT.search(p))
    before["引言: |"] = intro_rest
    for key, heading, _ in C.GENERAL_PARTS:
        before[f"  {heading}: |"] = getattr(last.general, key, None) or "" if last.general else ""
    for key in ("disclosure", "requests", "appeals"):
        before[f"{H[key]}:"] = getattr(last, key) or ""
    for key in ("improvements", "other"):
        before[f"{H[key]}: |"] = getattr(last, key) or ""
    out: list[str] = []
    for i, line in enumerate(lines):
        if i == 2:
            carried = "、".join(str(last.cells.get(C.t3("carried_out", c))) for c, _ in C.T3_COLUMNS)
            out.append(f"# 由{last.year}年度报告{('（' + source + '）') if source else ''}生成："
                       f"表三“上年结转”= 上年“结转下年度继续办理”（{carried}），表二“现行有效件数”沿用上年，其余数字为 0。")
        key = next((k for k in before if line == k or line.startswith(k + " ")), None)
        if key is not None:
            out += _comment(line[: len(line) - len(line.lstrip())], last, before.pop(key))
        out.append(line)
    return "\n".join(out)
