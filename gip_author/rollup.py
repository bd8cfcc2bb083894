"""A government's report from its units' reports: which reports count, their sums, who has not reported.

`collect()` reads every report under the inputs exactly as `audit` does (same file finding, same parallel
reading and checking, the same rows) and decides, unit by unit, what counts toward the sum:

- a file that cannot be read: named, not summed (its figures are unknown);
- a report of another year: named, not summed;
- the same unit twice (its PDF and its DOCX): counted once — the one with fewest errors, YAML before a
  published file, then the first by path; if the copies' figures differ, that is said;
- a report with errors: summed but named, or left out with `skip_errors`;
- a report of the government itself that declares 本级及所属单位 (last run's output, say): not summed; its
  own-office report (本机关) is summed like any unit.

The rows keep audit's shape, plus `note` (how the unit was treated) and `excluded` / `not_reported`, so
`summary.write_summary` writes the rollup's summary as it writes the audit's.  `rollup_yaml()` writes the
government's report: the sums in every cell, empty sections with their guides, and comments naming the units.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from . import cells as C
from .audit import Progress, agency_key, audit_paths
from .files import YAML_SUFFIXES
from .problems import GipError

SHOWN = 8  # names listed in one message before "等 N 个"


@dataclass
class Collection:
    agency: str
    year: int
    rows: list[dict]                     # every report found (audit rows, annotated), then the 未报送 rows
    roster: list[str] | None = None
    missing: list[str] = field(default_factory=list)        # roster names with no report
    not_on_roster: list[str] = field(default_factory=list)  # agencies counted that the roster does not list

    @property
    def counted(self) -> list[dict]:
        return [r for r in self.rows if not r["error"] and not r.get("excluded")]

    def total(self) -> dict:
        from .summary import total_row
        return total_row(self.rows)

    def excluded(self) -> list[dict]:
        return [r for r in self.rows if (r["error"] or r.get("excluded")) and not r.get("not_reported")]

    def with_errors(self) -> list[dict]:
        return [r for r in self.counted if r["errors"] or r["unreadable_cells"]]


def names(items: list[str], limit: int = SHOWN) -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} 个" if len(items) > limit else "")


def collect(paths: list[Path], agency: str, year: int, roster: list[str] | None = None, skip_errors: bool = False,
            ignore: tuple[Path, ...] = (), jobs: int | None = None, progress: Progress | None = None) -> Collection:
    """Read and sort out the units' reports (see the module docstring).  Raises audit.NoReports."""
    ignored = {Path(p).resolve() for p in ignore}
    rows = [r for r in audit_paths(paths, jobs=jobs, progress=progress) if Path(r["file"]).resolve() not in ignored]
    parent = agency_key(agency)
    by_unit: dict[str, list[dict]] = {}
    for r in rows:
        if r["error"]:
            r["note"] = "无法读取，未计入合计"
        elif r["year"] != year:
            _exclude(r, f"是 {r['year']} 年度的报告，不是 {year} 年度的")
        elif agency_key(r["agency"]) == parent and _scope(r["file"]) == "region":
            _exclude(r, "是汇总报告本身（机关与 --agency 相同，范围为本级及所属单位）")
        else:  # a report whose agency the importer could not find is a unit of its own, never a duplicate
            unknown = r["agency"] == C.UNKNOWN_AGENCY
            by_unit.setdefault(r["file"] if unknown else agency_key(r["agency"]), []).append(r)
    for copies in by_unit.values():
        kept = min(copies, key=_preference)
        for r in copies:
            if r is not kept:
                differ = sum(r["cells"][c] != kept["cells"][c] for c in C.CELL_IDS)
                _exclude(r, f"与 {kept['file']} 是同一单位的同一年度报告，只计一次" +
                         (f"（但两份有 {differ} 个数不同，计入的是 {Path(kept['file']).name}，请核对）" if differ else ""))
        if kept["errors"] and skip_errors:
            _exclude(kept, f"有 {kept['errors']} 个错误，按 --skip-errors 未计入")
        elif kept["errors"] or kept["unreadable_cells"]:
            kept["note"] = f"计入合计，但有 {kept['errors']} 个错误，请该单位改正"
        else:
            kept["note"] = "计入合计"
    out = Collection(agency, year, rows, roster)
    if roster is not None:
        from .roster import match
        agencies = [r["agency"] for r in out.counted if r["agency"] != C.UNKNOWN_AGENCY]
        _, out.missing, out.not_on_roster = match(roster, agencies)
        left_out = {r["agency"]: r for r in rows if r.get("excluded") and r["agency"]}
        instead, _, _ = match(out.missing, list(left_out))
        for name in out.missing:
            other = left_out.get(instead.get(name))
            why = "未报送" + (f"（只找到 {Path(other['file']).name}：{other['excluded']}）" if other else "")
            rows.append({"file": "", "agency": name, "year": year, "errors": None, "warnings": None, "rules": [],
                         "error": None, "unreadable_cells": None, "previous": None,
                         "cells": dict.fromkeys(C.CELL_IDS), "note": why, "excluded": why, "not_reported": True})
        for r in out.counted:
            if r["agency"] in out.not_on_roster:
                r["note"] += "（不在单位名单中）"
    return out


class NothingToSum(GipError):
    """Reports were found, but none of them counts toward the sum (all of another year, unreadable…)."""


def require_units(collection: Collection) -> None:
    """Raise NothingToSum, saying what was found instead, when no report counts."""
    if collection.counted:
        return
    found = [r for r in collection.rows if not r.get("not_reported")]
    years = sorted({r["year"] for r in found if r["year"] and r["year"] != collection.year})
    unread = sum(1 for r in found if r["error"])
    said = [f"{len(found)} 个文件中没有 {collection.year} 年度可计入合计的报告"]
    if years:
        said.append(f"找到的是 {'、'.join(map(str, years))} 年度的报告")
    if unread:
        said.append(f"{unread} 个文件无法读取（运行 gip-author audit 查看原因）")
    raise NothingToSum("，".join(said) + f"。请检查 --year {collection.year} 和所给的文件夹；未写出汇总报告。")


def _scope(path: str) -> str | None:
    """The scope a report declares (read again: only the few reports of the government itself need it)."""
    from .audit import _read
    report, _ = _read(Path(path))
    return report.scope if report is not None else None


def _exclude(row: dict, why: str) -> None:
    row["excluded"] = why
    row["note"] = f"未计入合计：{why}"


def _preference(row: dict) -> tuple:
    return (row["errors"] + (row["unreadable_cells"] or 0) > 0, row["errors"],
            Path(row["file"]).suffix.lower() not in YAML_SUFFIXES, row["file"])


# ------------------------------------------------------------------------------------------ the report


def total_cells(collection: Collection) -> dict[str, object]:
    """The sums by cell; a cell some counted unit could not give is None (written 待填: the sum is unknown)."""
    total = collection.total()
    cells: dict[str, object] = {}
    for cell_id in C.CELL_IDS:
        value = total["cells"][cell_id]
        if cell_id in total["missing"]:
            value = None
        elif cell_id in C.DECIMAL_CELLS:
            value = Decimal(value)
        cells[cell_id] = value
    return cells


def rollup_report(collection: Collection):
    from .model import General, Report
    return Report(agency=collection.agency, year=collection.year, scope="region",
                  kind="government" if collection.agency.endswith("人民政府") else "department",
                  general=General(**{key: "" for key, _, _ in C.GENERAL_PARTS}), improvements="", other="",
                  cells=total_cells(collection))


def _figures(row: dict) -> str:
    return "，".join(f"{label} {_shown(row['cells'][c])}" for c, label in C.KEY_CELLS)


def _shown(value) -> str:
    return "—" if value is None else format(value, "f") if isinstance(value, Decimal) else str(value)


def comments(collection: Collection) -> list[str]:
    """The head of the rolled-up YAML: where the sums come from, what is missing, what was left out."""
    counted, total = collection.counted, collection.total()
    out = [f"# 本报告由 gip-author rollup 汇总 {len(counted)} 个单位的报告生成：表二、表三、表四每个数都是各单位之和",
           "# （表二“现行有效件数”也是各单位之和）。各部分文字须由本机关撰写，请按每部分上方的说明填写。"]
    if collection.missing:
        out += [f"# 注意：合计不完整。以下 {len(collection.missing)} 个单位未报送，数字未计入：",
                *(f"#   未报送：{n}" for n in collection.missing)]
    if total["missing"]:
        lacking = [f"{C.CELL_LABELS[c]}（{n} 个单位读不出）" for c, n in total["missing"].items()]
        out += ["# 注意：以下格子有单位的报告读不出数字，合计未知，已写作“待填”，请补齐该单位的数字后重新汇总：",
                *(f"#   {x}" for x in lacking)]
    out.append(f"# 计入合计的单位（文件；{'、'.join(label for _, label in C.KEY_CELLS)}）：")
    for r in counted:
        flag = f"  ← 有 {r['errors']} 个错误" if r["errors"] else ""
        out.append(f"#   {r['agency']}（{r['file']}）：{_figures(r)}{flag}")
    excluded = collection.excluded()
    if excluded:
        out.append("# 未计入合计的文件：")
        for r in excluded:
            why = r.get("excluded") or f"无法读取：{r['error']}"
            out.append(f"#   {r['file']}（{r['agency'] or '机关不明'}）：{' '.join(why.split())}")
    if collection.not_on_roster:
        out.append(f"# 不在单位名单中、但已计入的单位：{'、'.join(collection.not_on_roster)}")
    return [line[:2000] for line in out]


def rollup_yaml(collection: Collection) -> str:
    """The complete, commented report YAML of the government (see the module docstring)."""
    from .yaml_writer import report_yaml
    lines = report_yaml(rollup_report(collection)).split("\n")
    head = next((i for i, line in enumerate(lines) if not line.startswith("#")), 0)
    return "\n".join(lines[:head] + comments(collection) + lines[head:])


def messages(collection: Collection) -> list[str]:
    """What the clerk is told after a rollup, in plain Chinese, most important last."""
    out = []
    for r in collection.excluded():
        why = r.get("excluded") or f"无法读取（{r['error']}）"
        out.append(f"{r['file']}：未计入合计：{' '.join(why.split())}")
    with_errors = collection.with_errors()
    for r in with_errors:
        out.append(f"{r['file']}：{r['agency']}的报告有 {r['errors']} 个错误，已计入合计。")
    if with_errors:
        out.append(f"以上 {len(with_errors)} 个单位的报告有错误：请运行 gip-author check 文件名 查看，由该单位改正后重新汇总；"
                   "不想计入合计可加 --skip-errors。")
    if collection.not_on_roster:
        out.append(f"不在单位名单中、但已计入合计的单位：{names(collection.not_on_roster)}。请核对名单或单位名称。")
    if collection.missing:
        out.append(f"未报送（名单中有、但没有找到报告）：{names(collection.missing, 50)}。合计不完整。")
    return out


def exit_code(collection: Collection) -> int:
    """1 when the sums are known to be wrong or unknown (an unreadable file, a unit with errors), else 0."""
    if collection.total()["missing"] or any(r["error"] for r in collection.rows) or collection.with_errors():
        return 1
    return 0
