"""`gip-author build`: check the report, render the formats asked for, write them atomically.

A report with check errors is refused (nothing written) unless it is a draft, which renders anyway with
a 草稿 watermark on every page.  Every format is rendered in memory before the first file is written, so
a failure leaves the output folder as it was.  When the PDF is one of several formats it is rendered in a
forked child process on the second core while this one renders the others (WeasyPrint's import and layout
are most of a build's time).
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
from functools import partial
from pathlib import Path

from .model import Report
from .output import Refused, write_atomic
from .problems import GipError, Problem
from .render import RENDERERS, renderer


class BuildRefused(GipError):
    """The report has errors; it is published only once they are fixed (or built as a --draft)."""

    def __init__(self, problems: list[Problem]):
        n = len(problems)
        super().__init__(f"报告有 {n} 个错误，未生成文件。请改正后再生成；如只需内部传阅的草稿，加 --draft"
                         f"（每页带“草稿”水印）。", problems)


class CannotWrite(GipError):
    """An output file cannot be written (it is the input, or the folder is not writable)."""

    exit_code = 2


class UnknownFormat(GipError):
    """A format name that is not one of RENDERERS."""

    exit_code = 2


def output_name(report: Report) -> str:
    """File name stem: the report's title, made safe for every file system."""
    stem = report.display_title
    for ch in '<>:"/\\|?*\0':
        stem = stem.replace(ch, "_")
    return stem.strip(" .") or f"report{report.year}"


def build_report(report: Report, outdir: str | os.PathLike, formats, draft: bool = False,
                 templates_dir: str | os.PathLike | None = None, protect=()) -> list[Path]:
    """Render `report` in each of `formats` (docx, pdf, html) into `outdir`; return the paths written."""
    from .rules import check

    wanted = list(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
    unknown = [f for f in wanted if f not in RENDERERS]
    if unknown or not wanted:
        raise UnknownFormat(f"不支持的输出格式：{'、'.join(unknown) or '（空）'}。可选：{','.join(RENDERERS)}。")
    if not draft:
        errors = [p for p in check(report) if p.severity == "error"]
        if errors:
            raise BuildRefused(errors)
    outdir = Path(outdir)
    files = _render_all(report, wanted, draft, templates_dir)
    rendered = [(outdir / (output_name(report) + RENDERERS[fmt].suffix), files[fmt]) for fmt in wanted]
    written = []
    for path, data in rendered:
        try:
            written.append(write_atomic(path, data, protect=tuple(Path(p) for p in protect)))
        except Refused as e:
            raise CannotWrite(str(e)) from None
        except OSError as e:
            raise CannotWrite(f"无法写入 {path}：{e.strerror or e}。请检查输出文件夹（-o）是否存在且可写。") from None
    return written


def _job(fmt: str, report: Report, draft: bool, templates_dir):
    spec = RENDERERS[fmt]
    try:
        render = renderer(fmt)
    except ImportError as e:
        raise GipError(f"无法生成 {fmt.upper()}：{e}。请重新安装 gip-author。") from None
    kwargs = {"templates_dir": templates_dir} if spec.templated and templates_dir else {}
    return partial(render, report, draft=draft, **kwargs)


def _render_all(report: Report, wanted: list[str], draft: bool, templates_dir) -> dict[str, bytes | str]:
    jobs = {fmt: _job(fmt, report, draft, templates_dir) for fmt in wanted}
    background = None
    if "pdf" in jobs and len(jobs) > 1 and hasattr(os, "fork") and sys.platform == "linux":
        from .render.fonts import check_coverage
        check_coverage(report)          # refuse here, with the full message, before forking
        background = _Forked(jobs.pop("pdf"))
    try:
        results = {fmt: job() for fmt, job in jobs.items()}
    except BaseException:
        if background:
            background.cancel()
        raise
    if background:
        results["pdf"] = background.result()
    return results


class _Forked:
    """Run one render function in a forked child; its bytes (or its error message) come back through a pipe."""

    def __init__(self, fn):
        read, write = os.pipe()
        self.pid = os.fork()
        if self.pid == 0:                                   # the child: render, send, leave at once
            os.close(read)
            try:
                payload = pickle.dumps(("ok", fn()))
            except BaseException as e:                      # noqa: BLE001 - everything goes back to the parent
                payload = pickle.dumps(("error", str(e), getattr(e, "exit_code", 1)))
            with os.fdopen(write, "wb") as out:
                out.write(payload)
            os._exit(0)
        os.close(write)
        self.read = read

    def result(self):
        with os.fdopen(self.read, "rb") as pipe:
            payload = pipe.read()
        _, status = os.waitpid(self.pid, 0)
        if not payload:
            raise GipError(f"生成 PDF 的子进程意外退出（状态 {status}）。请重试，或先生成其他格式：--format docx,html。")
        kind, *rest = pickle.loads(payload)
        if kind == "ok":
            return rest[0]
        error = GipError(rest[0])
        error.exit_code = rest[1]
        raise error

    def cancel(self) -> None:
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        os.close(self.read)
