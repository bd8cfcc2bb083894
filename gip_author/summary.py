"""The audit's summary: the total row and the CSV, JSON and HTML files a supervising office opens.

A row (the JSON form; the CSV and HTML show the same columns, `rules` joined by spaces):

    file              the path as found
    agency, year      from the report (null when the file could not be read)
    errors, warnings  how many problems `gip-author check` reports of each severity
    unreadable_cells  how many of the 200 cells had no readable number: those count as missing, not as 0
    error             why the file could not be read (null when it could)
    rules             the ids of the rules that fired, each once, in order of first appearance
    previous          the file used as last year's report, if any
    cells             every canonical cell id (cells.CELL_IDS order) -> its number, or null when unreadable

The total (`total_row`) sums every cell over the readable reports (the 万元 amount as an exact decimal, rounded
to 4 places, i.e. to the yuan); its `unreadable_cells` counts the missing cells the sums leave out, and in JSON
`missing` says, per cell, how many reports lacked it.  Reports of several years, or one agency's report found
twice for the same year (its PDF and its DOCX, say), are all summed; `years` and `duplicates` (JSON, and the
head of the HTML page) point them out so that the office can remove the extra files.

`write_summary(rows, out)` writes by the suffix of `out`:

- **.csv** — UTF-8 with a BOM, so Excel on a Chinese Windows opens it without mojibake.  One header row, each
  heading "中文名称 id" (e.g. "表三 （一）予以公开 自然人 t3.granted.natural"): a supervising office reads the
  Chinese, and Excel's sort and filter work because there is exactly one header row; a program splits off the
  id after the last space.  One row per report, then a last row whose file is "合计" with the totals.  Text that
  Excel would take for a formula (starting with = + - @) is prefixed with an apostrophe.
- **.json** — `{"format": "gip-author-audit", "version": 1, "columns": [{"id", "label"}…],
  "reports": [row…], "total": {"reports", "unreadable_files", "errors", "warnings", "unreadable_cells",
  "cells", "missing", "years", "duplicates": [{"agency", "year", "files"}…]}}`, one report per line.  The
  万元 amount is a JSON number; the CSV writes every number in plain decimal notation.
- **.html** — one self-contained page (lang zh-CN, no external loads): counts, then the table; click a column
  heading to sort; unreadable rows red, rows with errors orange, rows with only warnings yellow.
"""
from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Callable, TypedDict

from .cells import CELL_IDS, CELL_LABELS, DECIMAL_CELLS, normalize
from .model import number_text
from .problems import GipError

class AuditRow(TypedDict):
    """One file of an audit, as described above (the roll-up adds keys of its own to the rows it annotates)."""

    file: str
    agency: str | None
    year: int | None
    errors: int | None
    warnings: int | None
    unreadable_cells: int | None
    error: str | None
    rules: list[str]
    previous: str | None
    cells: dict[str, int | float | None]


GENERATOR = "gip-author audit"   # marks our own HTML summaries so a re-run does not audit them
#: The columns before the cells: (key, Chinese heading).
META_COLUMNS: tuple[tuple[str, str], ...] = (
    ("file", "文件"),
    ("agency", "机关"),
    ("year", "年度"),
    ("errors", "错误数"),
    ("warnings", "警告数"),
    ("unreadable_cells", "缺失的数"),
    ("error", "无法读取的原因"),
    ("rules", "触发的规则"),
    ("previous", "上年报告"),
)
TOTAL_LABEL = "合计"
#: A column shown only when rows carry it: how `rollup` treated each unit (计入合计, 未计入合计：…, 未报送).
NOTE_COLUMN = ("note", "合计说明")


def meta_columns(rows: list[dict]) -> tuple[tuple[str, str], ...]:
    return META_COLUMNS + ((NOTE_COLUMN,) if any(r.get("note") for r in rows) else ())


class SummaryRefused(GipError):
    """The summary cannot be written there (it would overwrite an audited report, or the folder is not writable)."""

    exit_code = 2


class UnknownSummaryFormat(GipError):
    """The summary's file name does not end in .csv, .json or .html."""

    exit_code = 2


# ------------------------------------------------------------------------------------------ totals


def _round_amount(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001")).normalize() + Decimal(0)  # + 0 turns 1E+2 back into 100


def total_row(rows: list[dict]) -> dict:
    """Sums over the readable reports; a missing cell is left out of its sum and counted, never taken as 0."""
    readable = [r for r in rows if not r["error"] and not r.get("excluded")]
    sums: dict[str, int | Decimal] = {}
    missing: dict[str, int] = {}
    for cell_id in CELL_IDS:
        values = [r["cells"][cell_id] for r in readable]
        present = [v for v in values if v is not None]
        if cell_id in DECIMAL_CELLS:
            sums[cell_id] = _round_amount(sum((Decimal(str(v)) for v in present), Decimal(0)))
        else:
            sums[cell_id] = sum(present)
        if len(present) < len(values):
            missing[cell_id] = len(values) - len(present)
    return {
        "reports": len(readable), "unreadable_files": sum(1 for r in rows if r["error"]),
        "excluded": sum(1 for r in rows if r.get("excluded") and not r.get("not_reported")),
        "not_reported": [r["agency"] for r in rows if r.get("not_reported")],
        "errors": sum(r["errors"] for r in readable), "warnings": sum(r["warnings"] for r in readable),
        "unreadable_cells": sum(missing.values()), "cells": sums, "missing": missing,
        "years": sorted({r["year"] for r in readable}), "duplicates": duplicates(readable),
    }


def duplicates(rows: list[dict]) -> list[dict]:
    """Agencies with more than one report for the same year (e.g. its PDF and its DOCX): the sums count each."""
    seen: dict[tuple[str, int], list[str]] = {}
    for r in rows:
        seen.setdefault((normalize(r["agency"]), r["year"]), []).append(r["file"])
    return [{"agency": agency, "year": year, "files": files}
            for (agency, year), files in seen.items() if len(files) > 1]


def _json_number(value):
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# ------------------------------------------------------------------------------------------ writing


def _heading(key: str, label: str) -> str:
    return f"{label} {key}"


def _cell_text(value) -> str:
    return number_text(value)


def _meta_text(key: str, value) -> str:
    if key == "rules":
        return " ".join(value or ())
    return _cell_text(value)


def _safe(text: str) -> str:
    """Text Excel must not evaluate as a formula (a file or agency name starting with =, +, -, @)."""
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def summary_csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    columns = meta_columns(rows)
    writer.writerow([_heading(k, label) for k, label in columns] +
                    [_heading(c, CELL_LABELS[c]) for c in CELL_IDS])
    for row in rows:
        writer.writerow([_safe(_meta_text(k, row.get(k))) for k, _ in columns] +
                        [_cell_text(row["cells"][c]) for c in CELL_IDS])
    total = total_row(rows)
    meta = {"file": TOTAL_LABEL, "agency": _total_words(total),
            "errors": total["errors"], "warnings": total["warnings"], "unreadable_cells": total["unreadable_cells"]}
    writer.writerow([_meta_text(k, meta.get(k)) for k, _ in columns] +
                    [_cell_text(total["cells"][c]) for c in CELL_IDS])
    return "\ufeff" + out.getvalue()


def _total_words(total: dict) -> str:
    words = f"{total['reports']} 份可读报告（另有 {total['unreadable_files']} 份无法读取"
    if total["excluded"]:
        words += f"，{total['excluded']} 份未计入合计"
    if total["not_reported"]:
        words += f"，{len(total['not_reported'])} 个单位未报送，合计不完整"
    return words + "）"


def summary_json(rows: list[dict]) -> str:
    total = total_row(rows)
    total["cells"] = {c: _json_number(v) for c, v in total["cells"].items()}
    def dump(value) -> str:
        return json.dumps(value, ensure_ascii=False)

    # one line per report: a thousand reports stay a few MB, and grep or a diff shows one report per line
    reports = ",\n".join(f"  {dump(r)}" for r in rows)
    columns = [{"id": c, "label": CELL_LABELS[c]} for c in CELL_IDS]
    return (f'{{"format": "gip-author-audit", "version": 1,\n "columns": {dump(columns)},\n'
            f' "reports": [\n{reports}\n ],\n "total": {dump(total)}\n}}\n')


def _row_class(row: dict) -> str:
    if row["error"] or row.get("not_reported"):
        return "unreadable"
    if row.get("excluded"):
        return "excluded"
    return "errors" if row["errors"] else "warnings" if row["warnings"] else ""


def summary_html(rows: list[dict]) -> str:
    import jinja2

    from .rules import RULES
    from importlib.resources import files
    source = files("gip_author.templates").joinpath("audit.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    total = total_row(rows)
    columns = meta_columns(rows)
    table = [{"cls": _row_class(r),
              "meta": [_meta_text(k, r.get(k)) for k, _ in columns],
              "cells": [_cell_text(r["cells"][c]) for c in CELL_IDS]} for r in rows]
    rule_counts: dict[str, int] = {}
    for r in rows:
        for rule_id in r["rules"]:
            rule_counts[rule_id] = rule_counts.get(rule_id, 0) + 1
    return env.from_string(source).render(
        generator=GENERATOR, meta_columns=columns,
        title="政府信息公开工作年度报告" + ("所属单位汇总" if NOTE_COLUMN in columns else "审核汇总"), cell_columns=[(c, CELL_LABELS[c]) for c in CELL_IDS],
        numeric_meta=("year", "errors", "warnings", "unreadable_cells"), rows=table, total=total,
        total_label=TOTAL_LABEL,
        total_cells=[_cell_text(total["cells"][c]) for c in CELL_IDS],
        with_errors=sum(1 for r in rows if r["errors"] and not r.get("excluded")),
        files=sum(1 for r in rows if not r.get("not_reported")),
        rule_counts=[(rule_id, n, RULES[rule_id].zh if rule_id in RULES else "")
                     for rule_id, n in sorted(rule_counts.items())])


SUMMARY_FORMATS: dict[str, Callable[[list[dict]], str]] = {
    ".csv": summary_csv, ".json": summary_json, ".html": summary_html, ".htm": summary_html,
}


def summary_writer(out: Path) -> Callable[[list[dict]], str]:
    """The writer for the summary's suffix; raises UnknownSummaryFormat (check it before a long run)."""
    try:
        return SUMMARY_FORMATS[Path(out).suffix.lower()]
    except KeyError:
        raise UnknownSummaryFormat(f"{out}：汇总表的文件名须以 .csv、.json 或 .html 结尾。") from None


def write_summary(rows: list[dict], out: Path) -> Path:
    """Write the summary (format by suffix of `out`) atomically, never over an audited file; returns its path."""
    from .output import CannotWrite, Refused, write_atomic
    from .safe_names import readable_path
    try:
        shown = [{**r, "file": readable_path(r["file"])} for r in rows]     # GBK-named files from a zip, too
        return write_atomic(out, summary_writer(out)(shown), protect=tuple(Path(r["file"]) for r in rows))
    except Refused:
        raise SummaryRefused(f"{out}：这是被审核的报告之一，不会被覆盖。请用 -o 指定另一个汇总表文件名。") from None
    except CannotWrite as e:
        raise SummaryRefused(f"{out}：无法写入汇总表（{getattr(e, 'reason', e)}）。请检查文件夹是否存在、是否有写入权限，"
                             "或文件是否正被 Excel 打开。") from None
