"""What a report's figures cover (范围: 本机关 / 本级及所属单位): read from YAML, said in the introduction, found again.

A department's report covers the department (本机关, the default).  A people's government's report may cover
only its own office or the whole region — the government with its departments, towns and streets
(本级及所属单位, what `gip-author rollup` writes).  The rendered introduction says so in the words reports
use ("统计范围为某某区人民政府本级及所属单位"); a report of the agency alone says nothing, as usual.
The importer finds the statement again, ours or a clerk's ("涵盖全区各级行政机关").
"""
from __future__ import annotations

import re

from .cells import SCOPE_LABELS, SCOPES, normalize

_VALUES = {normalize(label): key for key, label in SCOPES} | {key: key for key, _ in SCOPES} | {
    "本级": "self", "本单位": "self", "本部门": "self", "机关本级": "self",
    "本级及所属": "region", "本级及所属各单位": "region", "本级及下属单位": "region", "全区": "region",
    "全市": "region", "全县": "region", "本行政区域": "region", "所属单位": "region",
}


def parse_scope(value: object) -> str | None:
    """The scope id a YAML value names ("本机关", "本级及所属单位", "region"…), or None if it names none."""
    return _VALUES.get(normalize(str(value)).lower())


def choices() -> str:
    return "或".join(f"“{label}”" for _, label in SCOPES)


def clause(report) -> str:
    """The scope as said after the period ("，统计范围为…"), or "" when nothing needs saying."""
    if report.scope == "region":
        return f"统计范围为{report.agency}{SCOPE_LABELS['region']}"
    return ""  # the agency alone is what a report covers unless it says otherwise (上海's say nothing)


def sentence(report) -> str:
    """The scope as a sentence of its own (when the clerk's intro already states the period)."""
    said = clause(report)
    return f"本报告中所列数据的{said}。" if said else ""


# ------------------------------------------------------------------------------------------ reading it back

_OURS = re.compile(r"统计范围为(?P<who>.{1,60}?)(?P<scope>本级及所属单位|本机关)(?:，不含所属单位)?")
_OWN_SENTENCE = re.compile(r"本报告中所列数据的统计范围为[^。]{1,80}?(?:本级及所属单位|本机关(?:，不含所属单位)?)。")
_SCOPE_WORDS = ("统计范围", "范围为", "范围包括", "范围涵盖", "涵盖", "包括", "包含")
_REGION = re.compile(r"本级及(?:其)?(?:所属|下属)|所属各(?:部门|单位)|各部门、各|全(?:区|市|县|旗)各级(?:行政机关)?")
_SELF = re.compile(r"本机关|机关本级|本级(?!及)")


def find_scope(text: str) -> str | None:
    """The scope a published introduction states, or None when it states none."""
    text = re.sub(r"\s+", "", text or "")
    m = _OURS.search(text)
    if m:
        return "region" if m["scope"] == SCOPE_LABELS["region"] else "self"
    for s in re.findall(r"[^。；]*[。；]?", text):
        if not any(w in s for w in _SCOPE_WORDS) or "数据" not in s and "报告" not in s:
            continue
        if _REGION.search(s):
            return "region"
        if _SELF.search(s):
            return "self"
    return None


def strip_sentence(intro: str) -> str:
    """The introduction without the scope sentence `sentence()` wrote (a clerk's own wording stays)."""
    return "\n".join(line for line in (_OWN_SENTENCE.sub("", x).strip() for x in intro.splitlines()) if line)
