"""Audit many published reports at once: read and check each in parallel, one summary row per report, plus totals.

`audit_paths(paths, previous_dir, jobs)` finds every report under the paths (suffixes in `REPORT_SUFFIXES`,
folders recursed; hidden files, Word's `~$` lock files and our own HTML summaries skipped), opens each with
`readers.open_report` (YAML directly, published files through the importer) and checks it with `rules.check`,
against last year's report of the same agency when `--previous-dir` holds one (matched by agency name, after
full/half-width folding, and year − 1).  Files are processed on all cores in chunks; rows come back sorted by
path, so the summary is the same on every run.  A file that cannot be read gets a row whose `error` says why in
plain Chinese; nothing about one file (bad YAML, corrupt PDF, a crash or a hang in a worker) stops the run.

The rows and their totals are written by `summary.py`; its docstring documents every column and format.
"""
from __future__ import annotations

import math
import multiprocessing
import os
import re
import signal
import threading
from concurrent.futures import ProcessPoolExecutor, as_completed
from pathlib import Path
from typing import Callable, ContextManager, Iterable

from .audit_scan import scan_reports
from .cells import CELL_IDS, normalize
from .files import PUBLISHED_SUFFIXES, YAML_SUFFIXES
from .limits import FILE_SECONDS, TimeUp, deadline
from .problems import GipError, tally
from .summary import GENERATOR, AuditRow

REPORT_SUFFIXES = frozenset(YAML_SUFFIXES | PUBLISHED_SUFFIXES)
FILE_TIMEOUT = FILE_SECONDS      # seconds one file may take (read, then check) before it is given up
MAX_CHUNK = 32                   # files per task: enough to amortise IPC, small enough to keep cores busy

Progress = Callable[[int, str], ContextManager]  # (length, label) -> a bar with .update(n), e.g. click.progressbar


class NoReports(GipError):
    """Nothing under the given paths looks like a report."""

    exit_code = 2


# ------------------------------------------------------------------------------------------ finding files


def find_reports(paths: Iterable[Path]) -> list[Path]:
    """Every report file under `paths`, sorted and without duplicates.  A file named explicitly is always taken."""
    return scan_reports(paths, _named_like_report, _not_our_summary)[0]


def _named_like_report(path: Path) -> bool:
    name = path.name
    return not name.startswith((".", "~$")) and path.suffix.lower() in REPORT_SUFFIXES


def _not_our_summary(path: Path) -> bool:
    """False for an HTML summary this program wrote (a regular file: reading its head cannot block)."""
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


_Timeout = TimeUp   # raised by SIGALRM; a BaseException so that no `except Exception` in an importer swallows it


def _init_worker(previous: dict, in_worker: bool = True) -> None:
    global _PREVIOUS, _IN_WORKER
    _PREVIOUS, _IN_WORKER = previous, in_worker
    if in_worker:  # Ctrl-C is the main process's to handle; a worker would print a traceback
        signal.signal(signal.SIGINT, signal.SIG_IGN)


def _deadline(seconds: int):
    """Give up on a file that takes too long (a pathological PDF): in workers and, on the main thread, in
    the calling process too (`-j 1`, small folders)."""
    return deadline(seconds)


def _read(path: Path):
    """open_report with every failure turned into a plain-Chinese reason: (report, None) or (None, why)."""
    from .readers import open_report
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


def _audit_one(path: Path) -> AuditRow:
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
    errors, warnings = tally(problems)
    return {
        "file": str(path), "agency": report.agency, "year": report.year,
        "errors": errors, "warnings": warnings, "rules": list(rules), "error": None,
        "unreadable_cells": sum(v is None for v in cells.values()),
        "previous": found[0] if found else None, "cells": cells,
    }


def _error_row(path: Path, why: str) -> AuditRow:
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
    except BaseException:  # Ctrl-C: stop the workers now, not after the files they are on
        _stop(pool)
        raise
    pool.shutdown()
    for i in sorted(crashed):
        results[i] = _one_by_one(fn, chunks[i], previous, on_crash, bar)
    return [r for chunk in results for r in chunk]


def _stop(pool: ProcessPoolExecutor) -> None:
    """End a pool at once: its workers killed mid-file, its queue dropped (Ctrl-C)."""
    for process in list((getattr(pool, "_processes", None) or {}).values()):
        process.terminate()
    pool.shutdown(wait=False, cancel_futures=True)


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
    except BaseException:
        if pool:
            _stop(pool)
            pool = None
        raise
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
                progress: Progress | None = None) -> list[AuditRow]:
    """One row per report found under `paths` (see the module docstring), sorted by file."""
    files, skipped = scan_reports(paths, _named_like_report, _not_our_summary)
    if not files and not skipped:
        shown = "、".join(str(p) for p in paths)
        raise NoReports(f"在 {shown} 下没有找到报告文件（{'、'.join(sorted(REPORT_SUFFIXES))}）。请检查路径。")
    previous = load_previous(previous_dir, jobs, progress) if previous_dir else {}
    with (progress(len(files), "审核报告") if progress else _NoBar()) as bar:
        rows = _map(_audit_one, files, jobs, bar, previous, _error_row) if files else []
    rows += [_error_row(path, why) for path, why in skipped]   # a FIFO, a symlink loop, a locked folder
    return sorted(rows, key=lambda r: r["file"])


