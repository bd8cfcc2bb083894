"""`gip-author build`: check the report, render the formats asked for, write them atomically.

A report with check errors is refused (nothing written) unless it is a draft, which renders anyway with
a 草稿 watermark on every page.  Every format is rendered in memory before the first file is written, so
a failure leaves the output folder as it was.  When the PDF is one of several formats it is rendered in a
forked child process on the second core while this one renders the others (WeasyPrint's import and layout
are most of a build's time).
"""
from __future__ import annotations

import os
from functools import partial
from pathlib import Path

from .model import Report
from .output import CannotWrite, refuse_input, write_all
from .pdf_worker import PdfWorker
from .problems import GipError, Problem
from .render import RENDERERS, renderer
from .safe_names import safe_stem

__all__ = ["BuildRefused", "CannotWrite", "PdfWorker", "UnknownFormat", "build_report", "output_name"]


class BuildRefused(GipError):
    """The report has errors; it is published only once they are fixed (or built as a --draft)."""

    def __init__(self, problems: list[Problem]):
        n = len(problems)
        super().__init__(f"报告有 {n} 个错误，未生成文件。请改正后再生成；如只需内部传阅的草稿，加 --draft"
                         f"（每页带“草稿”水印）。", problems)


class UnknownFormat(GipError):
    """A format name that is not one of RENDERERS."""

    exit_code = 2


def output_name(report: Report) -> str:
    """File name stem: the report's title, made safe for every file system (see safe_names)."""
    return safe_stem(report.display_title, fallback=f"report{report.year}")


def build_report(report: Report, outdir: str | os.PathLike, formats, draft: bool = False,
                 templates_dir: str | os.PathLike | None = None, protect=(),
                 worker: PdfWorker | None = None, data: bool = True,
                 problems: list[Problem] | None = None) -> list[Path]:
    """Render `report` in each of `formats` (docx, pdf, html) into `outdir`; return the paths written.

    `data`: each file carries the report's own data (embedded.py); False for agencies that must attach nothing.

    `worker`: a PdfWorker started earlier (see `PdfWorker.start`); it is used or cancelled.
    `problems`: check(report), when the caller has it already (it shows the warnings after the build).
    """
    from .rules import check

    try:
        wanted = list(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
        unknown = [f for f in wanted if f not in RENDERERS]
        if unknown or not wanted:
            raise UnknownFormat(f"不支持的输出格式：{'、'.join(unknown) or '（空）'}。可选：{','.join(RENDERERS)}。")
        if not draft:
            errors = [p for p in (check(report) if problems is None else problems) if p.severity == "error"]
            if errors:
                raise BuildRefused(errors)
    except BaseException:
        if worker:
            worker.cancel()
        raise
    outdir = Path(outdir)
    paths = {fmt: outdir / (output_name(report) + RENDERERS[fmt].suffix) for fmt in wanted}
    protect = tuple(Path(p) for p in protect)
    try:
        refuse_input(paths.values(), protect)          # before any rendering, let alone writing
    except BaseException:
        if worker:
            worker.cancel()
        raise
    files = _render_all(report, wanted, draft, templates_dir, worker, data)
    # all or nothing: every format rendered, then every file written to a temp file, then all renamed
    return write_all([(paths[fmt], files[fmt]) for fmt in wanted], protect)


def _job(fmt: str, report: Report, draft: bool, templates_dir, data: bool = True):
    spec = RENDERERS[fmt]
    try:
        render = renderer(fmt)
    except ImportError as e:
        raise GipError(f"无法生成 {fmt.upper()}：{e}。请重新安装 gip-author。") from None
    kwargs = {"templates_dir": templates_dir} if spec.templated and templates_dir else {}
    return partial(render, report, draft=draft, data=data, **kwargs)


def _render_all(report: Report, wanted: list[str], draft: bool, templates_dir,
                worker: "PdfWorker | None" = None, data: bool = True) -> dict[str, bytes | str]:
    jobs = {fmt: _job(fmt, report, draft, templates_dir, data) for fmt in wanted}
    if "pdf" in jobs and len(jobs) > 1 and worker is None:
        worker = PdfWorker.start()
    if "pdf" not in jobs or worker is None:
        if worker:
            worker.cancel()
        return {fmt: job() for fmt, job in jobs.items()}
    try:
        worker.submit(report, draft, templates_dir, data)
        del jobs["pdf"]
        results = {fmt: job() for fmt, job in jobs.items()}
    except BaseException:
        worker.cancel()
        raise
    results["pdf"] = worker.result()
    return results
