"""Audit many published reports at once: read and check each in parallel, one summary row per report, plus totals.

`audit_paths(paths, previous_dir, jobs)` finds every report under the paths (suffixes in `REPORT_SUFFIXES`,
folders recursed; hidden files, Word's `~$` lock files and our own HTML summaries skipped), opens each with
`load.open_report` (YAML directly, published files through the importer) and checks it with `rules.check`,
against last year's report of the same agency when `--previous-dir` holds one (matched by agency name, after
full/half-width folding, and year − 1).  Files are processed on all cores in chunks; rows come back sorted by
path, so the summary is the same on every run.  A file that cannot be read gets a row whose `error` says why in
plain Chinese; nothing about one file (bad YAML, corrupt PDF, a crash or a hang in a worker) stops the run.

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

import contextlib
import csv
import io
import json
import math
import multiprocessing
import os
import re
import signal
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from decimal import Decimal
from pathlib import Path
from typing import Callable, ContextManager, Iterable

from .cells import CELL_IDS, CELL_LABELS, DECIMAL_CELLS, normalize
from .loader import PUBLISHED_SUFFIXES, YAML_SUFFIXES
from .problems import RULES, GipError

REPORT_SUFFIXES = frozenset(YAML_SUFFIXES | PUBLISHED_SUFFIXES)
GENERATOR = "gip-author audit"   # marks our own HTML summaries so a re-run does not audit them
FILE_TIMEOUT = 120               # seconds one file may take in a worker before it is given up
MAX_CHUNK = 32                   # files per task: enough to amortise IPC, small enough to keep cores busy

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

Progress = Callable[[int, str], ContextManager]  # (length, label) -> a bar with .update(n), e.g. click.progressbar


class NoReports(GipError):
    """Nothing under the given paths looks like a report."""

    exit_code = 2


class SummaryRefused(GipError):
    """The summary cannot be written there (it would overwrite an audited report, or the folder is not writable)."""

    exit_code = 2


class UnknownSummaryFormat(GipError):
    """The summary's file name does not end in .csv, .json or .html."""

    exit_code = 2


# ------------------------------------------------------------------------------------------ finding files


def find_reports(paths: Iterable[Path]) -> list[Path]:
    """Every report file under `paths`, sorted and without duplicates.  A file named explicitly is always taken."""
    found: dict[Path, Path] = {}
    for root in paths:
        root = Path(root)
        if root.is_file():
            found.setdefault(root.resolve(), root)
            continue
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(d for d in dirs if not d.startswith("."))
            for name in files:
                path = Path(folder) / name
                if _is_report(path):
                    found.setdefault(path.resolve(), path)
    return sorted(found.values(), key=lambda p: str(p))


def _is_report(path: Path) -> bool:
    name = path.name
    if name.startswith((".", "~$")) or path.suffix.lower() not in REPORT_SUFFIXES:
        return False
    if path.suffix.lower() in (".html", ".htm"):
        try:
            with path.open("rb") as f:
                head = f.read(2048)
        except OSError:
            return True  # let the worker say why it cannot be read
        return GENERATOR.encode() not in head
    return True


def agency_key(name: str) -> str:
    """An agency name folded for matching across years (full/half width, spaces)."""
    return normalize(name)


# ------------------------------------------------------------------------------------------ one file (in a worker)

_PREVIOUS: dict[tuple[str, int], tuple[str, object]] = {}
_IN_WORKER = False


class _Timeout(BaseException):
    """Raised by SIGALRM; a BaseException so that no `except Exception` in an importer swallows it."""


def _init_worker(previous: dict, in_worker: bool = True) -> None:
    global _PREVIOUS, _IN_WORKER
    _PREVIOUS, _IN_WORKER = previous, in_worker
    if in_worker:  # Ctrl-C is the main process's to handle; a worker would print a traceback
        signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextlib.contextmanager
def _deadline(seconds: int):
    """Give up on a file that takes too long (a pathological PDF); only in worker processes, which own signals."""
    if not _IN_WORKER or not hasattr(signal, "setitimer"):
        yield
        return

    def expire(signum, frame):
        raise _Timeout()

    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _read(path: Path):
    """open_report with every failure turned into a plain-Chinese reason: (report, None) or (None, why)."""
    from .loader import open_report
    try:
        with _deadline(FILE_TIMEOUT):
            return open_report(path), None
    except GipError as e:
        return None, _plain_reason(str(e), path)
    except _Timeout:
        return None, f"处理超过 {FILE_TIMEOUT} 秒仍未完成，已跳过（文件可能过大或已损坏）。"
    except MemoryError:
        return None, "文件过大，内存不足，无法读取。"
    except RecursionError:
        return None, "文件结构异常（嵌套过深），无法读取，可能已损坏。"
    except Exception as e:  # noqa: BLE001 - one bad file must never stop the run
        return None, _unexpected(e)


def _unexpected(e: BaseException) -> str:
    detail = f"{type(e).__name__}: {e}"[:200]
    return f"读取时出现意外错误（{detail}），已跳过此文件，其他文件不受影响。请把此文件发给维护人员。"


def _plain_reason(message: str, path: Path) -> str:
    """The error message without the file name the row already shows; `path:3:5：…` becomes `第 3 行第 5 列：…`."""
    lines = []
    for line in message.splitlines():
        if line.startswith(str(path)):
            rest = line[len(str(path)):]
            m = re.match(r"^:(\d+):(\d+)[：:]?\s*", rest)
            if m:
                line = f"第 {m[1]} 行第 {m[2]} 列：{rest[m.end():]}"
            else:
                line = rest.lstrip("：: ")
        if line.strip():
            lines.append(line.strip())
    return "；".join(lines) or "无法读取。"


def _load_previous(path: Path):
    """A previous-year report for the index, or None when it cannot be read (it is then just not matched)."""
    report, _ = _read(path)
    if report is None:
        return None
    report.load_problems.clear()  # not needed for comparison; keeps what is sent to the workers small
    return report


def _audit_one(path: Path) -> dict:
    from .rules import check
    report, why = _read(path)
    if report is None:
        return _error_row(path, why)
    try:
        with _deadline(FILE_TIMEOUT):
            found = _PREVIOUS.get((agency_key(report.agency), report.year - 1))
            problems = check(report, found[1] if found else None)
    except _Timeout:
        return _error_row(path, f"检查超过 {FILE_TIMEOUT} 秒仍未完成，已跳过。")
    except Exception as e:  # noqa: BLE001
        return _error_row(path, _unexpected(e).replace("读取时", "检查时"))
    from .model import export_cells
    cells = export_cells(report)
    rules: dict[str, None] = {}
    for p in problems:
        rules.setdefault(p.rule)
    errors = sum(p.severity == "error" for p in problems)
    return {
        "file": str(path), "agency": report.agency, "year": report.year,
        "errors": errors, "warnings": len(problems) - errors, "rules": list(rules), "error": None,
        "unreadable_cells": sum(v is None for v in cells.values()),
        "previous": found[0] if found else None, "cells": cells,
    }


def _error_row(path: Path, why: str) -> dict:
    return {"file": str(path), "agency": None, "year": None, "errors": None, "warnings": None, "rules": [],
            "error": why, "unreadable_cells": None, "previous": None, "cells": dict.fromkeys(CELL_IDS)}


def _chunk(fn, items: list) -> list:
    return [fn(x) for x in items]


# ------------------------------------------------------------------------------------------ running in parallel


class _NoBar:
    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def update(self, n: int) -> None:
        pass


def _context():
    # fork is fastest (workers inherit the imported package) but unsafe once threads exist
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _map(fn, items: list[Path], jobs: int | None, bar, previous: dict, on_crash) -> list:
    """fn over items, in order, on up to `jobs` processes; a crashed worker costs only its files."""
    workers = min(jobs or os.cpu_count() or 1, len(items))
    if workers <= 1 or len(items) < 4:
        saved = (_PREVIOUS, _IN_WORKER)
        _init_worker(previous, in_worker=False)
        try:
            out = []
            for x in items:
                out.append(fn(x))
                bar.update(1)
            return out
        finally:
            _init_worker(*saved)
    size = max(1, min(MAX_CHUNK, math.ceil(len(items) / (workers * 4))))
    chunks = [items[i:i + size] for i in range(0, len(items), size)]
    results: list[list | None] = [None] * len(chunks)
    crashed: list[int] = []
    pool = ProcessPoolExecutor(workers, mp_context=_context(), initializer=_init_worker, initargs=(previous,))
    try:
        futures = {pool.submit(_chunk, fn, chunk): i for i, chunk in enumerate(chunks)}
        for future in as_completed(futures):
            i = futures[future]
            try:
                results[i] = future.result()
            except Exception:  # noqa: BLE001 - a worker died (or its result would not pickle)
                crashed.append(i)
                continue
            bar.update(len(chunks[i]))
    except BaseException:  # Ctrl-C: do not wait for the files still queued
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    for i in sorted(crashed):
        results[i] = _one_by_one(fn, chunks[i], previous, on_crash, bar)
    return [r for chunk in results for r in chunk]


def _one_by_one(fn, items: list[Path], previous: dict, on_crash, bar) -> list:
    """fn over items one at a time in a worker process, so that a crash costs only the file that caused it."""
    out, pool = [], None
    try:
        for x in items:
            pool = pool or ProcessPoolExecutor(1, mp_context=_context(), initializer=_init_worker,
                                               initargs=(previous,))
            try:
                out.append(pool.submit(fn, x).result())
            except Exception:  # noqa: BLE001 - the worker died on this file: a new one for the next
                out.append(on_crash(x, "处理此文件时程序意外退出（文件可能已损坏或过大），已跳过，其他文件不受影响。"))
                pool.shutdown()  # waiting leaves no thread behind, so the next pool may still fork
                pool = None
            bar.update(1)
    finally:
        if pool:
            pool.shutdown()
    return out


def load_previous(previous_dir: Path, jobs: int | None = None, progress: Progress | None = None) -> dict:
    """(agency key, year) -> (file, Report) for every readable report under `previous_dir`; the first by path wins."""
    files = find_reports([previous_dir])
    with (progress(len(files), "读取上年报告") if progress and files else _NoBar()) as bar:
        reports = _map(_load_previous, files, jobs, bar, {}, lambda path, why: None)
    index: dict[tuple[str, int], tuple[str, object]] = {}
    for path, report in zip(files, reports):
        if report is not None:
            index.setdefault((agency_key(report.agency), report.year), (str(path), report))
    return index


def audit_paths(paths: list[Path], previous_dir: Path | None = None, jobs: int | None = None,
                progress: Progress | None = None) -> list[dict]:
    """One row per report found under `paths` (see the module docstring), sorted by file."""
    files = find_reports(paths)
    if not files:
        shown = "、".join(str(p) for p in paths)
        raise NoReports(f"在 {shown} 下没有找到报告文件（{'、'.join(sorted(REPORT_SUFFIXES))}）。请检查路径。")
    previous = load_previous(previous_dir, jobs, progress) if previous_dir else {}
    with (progress(len(files), "审核报告") if progress else _NoBar()) as bar:
        rows = _map(_audit_one, files, jobs, bar, previous, _error_row)
    return sorted(rows, key=lambda r: r["file"])


# ------------------------------------------------------------------------------------------ totals


def _round_amount(value: Decimal) -> Decimal:
    return value.quantize(Decimal("0.0001")).normalize() + Decimal(0)  # + 0 turns 1E+2 back into 100


def total_row(rows: list[dict]) -> dict:
    """Sums over the readable reports; a missing cell is left out of its sum and counted, never taken as 0."""
    readable = [r for r in rows if not r["error"]]
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
        "reports": len(readable), "unreadable_files": len(rows) - len(readable),
        "errors": sum(r["errors"] for r in readable), "warnings": sum(r["warnings"] for r in readable),
        "unreadable_cells": sum(missing.values()), "cells": sums, "missing": missing,
        "years": sorted({r["year"] for r in readable}), "duplicates": duplicates(readable),
    }


def duplicates(rows: list[dict]) -> list[dict]:
    """Agencies with more than one report for the same year (e.g. its PDF and its DOCX): the sums count each."""
    seen: dict[tuple[str, int], list[str]] = {}
    for r in rows:
        seen.setdefault((agency_key(r["agency"]), r["year"]), []).append(r["file"])
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
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, float):
        return format(Decimal(str(value)), "f")
    return str(value)


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
    writer.writerow([_heading(k, label) for k, label in META_COLUMNS] +
                    [_heading(c, CELL_LABELS[c]) for c in CELL_IDS])
    for row in rows:
        writer.writerow([_safe(_meta_text(k, row[k])) for k, _ in META_COLUMNS] +
                        [_cell_text(row["cells"][c]) for c in CELL_IDS])
    total = total_row(rows)
    meta = {"file": TOTAL_LABEL, "agency": f"{total['reports']} 份可读报告（另有 {total['unreadable_files']} 份无法读取）",
            "errors": total["errors"], "warnings": total["warnings"], "unreadable_cells": total["unreadable_cells"]}
    writer.writerow([_meta_text(k, meta.get(k)) for k, _ in META_COLUMNS] +
                    [_cell_text(total["cells"][c]) for c in CELL_IDS])
    return "\ufeff" + out.getvalue()


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
    if row["error"]:
        return "unreadable"
    return "errors" if row["errors"] else "warnings" if row["warnings"] else ""


def summary_html(rows: list[dict]) -> str:
    import jinja2

    from . import rules  # noqa: F401 - registers the catalogue the rule descriptions come from
    from importlib.resources import files
    source = files("gip_author.templates").joinpath("audit.html.j2").read_text(encoding="utf-8")
    env = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True,
                             lstrip_blocks=True, keep_trailing_newline=True)
    total = total_row(rows)
    table = [{"cls": _row_class(r),
              "meta": [_meta_text(k, r[k]) for k, _ in META_COLUMNS],
              "cells": [_cell_text(r["cells"][c]) for c in CELL_IDS]} for r in rows]
    rule_counts: dict[str, int] = {}
    for r in rows:
        for rule_id in r["rules"]:
            rule_counts[rule_id] = rule_counts.get(rule_id, 0) + 1
    return env.from_string(source).render(
        generator=GENERATOR, meta_columns=META_COLUMNS, cell_columns=[(c, CELL_LABELS[c]) for c in CELL_IDS],
        numeric_meta=("year", "errors", "warnings", "unreadable_cells"), rows=table, total=total,
        total_label=TOTAL_LABEL,
        total_cells=[_cell_text(total["cells"][c]) for c in CELL_IDS],
        with_errors=sum(1 for r in rows if r["errors"]),
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
    from .output import Refused, write_atomic
    try:
        return write_atomic(out, summary_writer(out)(rows), protect=tuple(Path(r["file"]) for r in rows))
    except Refused:
        raise SummaryRefused(f"{out}：这是被审核的报告之一，不会被覆盖。请用 -o 指定另一个汇总表文件名。") from None
    except OSError as e:
        raise SummaryRefused(f"{out}：无法写入汇总表（{e.strerror or e}）。请检查文件夹是否存在、是否有写入权限，"
                             "或文件是否正被 Excel 打开。") from None
