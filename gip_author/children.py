"""`check PARENT --children DIR`: a report that declares 本级及所属单位 against the sum of its units' reports.

The units are read and sorted out exactly as `rollup` does (another year, duplicates, unreadable files); every
cell of Tables 2–4 whose figure differs from the units' sum is a warning at that cell, with both numbers and
the units the sum lacks (未报送 by the roster, files left out).  A parent that covers only itself (本机关) is
not compared: it says so once.
"""
from __future__ import annotations

from pathlib import Path

from . import cells as C
from .model import Report
from .problems import Problem
from .rules.children import CHILDREN


def compare_children(parent: Report, children: list[Path], roster: list[str] | None = None,
                     jobs: int | None = None) -> list[Problem]:
    """Warnings for every cell where `parent` differs from its units' sum.  Raises audit.NoReports."""
    if parent.scope != "region":
        return [Problem.of(CHILDREN, "本报告的范围是“本机关”，未与所属单位的合计比较。如本报告汇总了所属单位的数字，"
                           "请在 YAML 中写“范围: 本级及所属单位”。",
                           "the report covers the agency alone (本机关); not compared with its units.",
                           parent.where("scope"))]
    from .rollup import collect, total_cells
    ignore = (Path(parent.source),) if parent.source else ()
    found = collect(children, parent.agency, parent.year, roster, ignore=ignore, jobs=jobs)
    sums = total_cells(found)
    lacking = _lacking(found)
    problems = []
    for cell_id in C.CELL_IDS:
        mine, theirs = parent.cell(cell_id), sums[cell_id]
        if mine is None or theirs is None or mine == theirs:
            continue
        problems.append(Problem.of(
            CHILDREN,
            f"{C.CELL_LABELS[cell_id]}：本报告是 {mine}，所属 {len(found.counted)} 个单位的报告合计是 {theirs}"
            f"（相差 {mine - theirs:+}）。{lacking}",
            f"{cell_id}: {mine} here, {theirs} summed over {len(found.counted)} units' reports.",
            parent.where(cell_id), expected=theirs, actual=mine))
    if not found.counted:
        problems.append(Problem.of(CHILDREN, f"所属单位中没有找到 {parent.year} 年度可计入的报告，无法比较。{lacking}",
                                   f"no unit report of {parent.year} could be summed.", parent.where("scope")))
    return problems


def _lacking(found) -> str:
    from .rollup import names
    parts = []
    if found.missing:
        parts.append(f"未报送的单位：{names(found.missing)}")
    unread = [Path(r["file"]).name for r in found.rows if r["error"]]  # duplicates and other years lack nothing
    if unread:
        parts.append(f"无法读取、未计入合计的文件：{names(unread)}")
    if not parts:
        return "所属单位的报告都已计入，请核对本报告或各单位的数字。"
    return "；".join(parts) + "。合计可能因此偏小；补齐后再核对。"
