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
from .output import CannotWrite, refuse_input, write_all
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
                 worker: PdfWorker | None = None, data: bool = True) -> list[Path]:
    """Render `report` in each of `formats` (docx, pdf, html) into `outdir`; return the paths written.

    `data`: each file carries the report's own data (embedded.py); False for agencies that must attach nothing.

    `worker`: a PdfWorker started earlier (see `PdfWorker.start`); it is used or cancelled.
    """
    from .rules import check

    try:
        wanted = list(dict.fromkeys(f.strip().lower().lstrip(".") for f in formats if f.strip()))
        unknown = [f for f in wanted if f not in RENDERERS]
        if unknown or not wanted:
            raise UnknownFormat(f"不支持的输出格式：{'、'.join(unknown) or '（空）'}。可选：{','.join(RENDERERS)}。")
        if not draft:
            errors = [p for p in check(report) if p.severity == "error"]
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


class PdfWorker:
    """A forked child that imports WeasyPrint and warms it up at once, then prints the page it is sent.

    `gip-author build` starts it before reading the YAML, so WeasyPrint's import (~0.3 s) and first-use
    costs overlap the loading and checking; the main process makes the page to print (pdf.pdf_html), sends
    it and renders the DOCX and HTML while the child prints.  Its PDF (or its error message) comes back
    through a pipe.
    """

    def __init__(self, pid: int, jobs: int, results: int):
        self.pid, self.jobs, self.results = pid, jobs, results

    @classmethod
    def start(cls) -> "PdfWorker | None":
        """Fork the worker (Linux only; None where fork is unavailable: the PDF is then rendered in-process)."""
        if not hasattr(os, "fork") or sys.platform != "linux":
            return None
        job_r, job_w = os.pipe()
        res_r, res_w = os.pipe()
        pid = os.fork()
        if pid:
            os.close(job_r)
            os.close(res_w)
            return cls(pid, job_w, res_r)
        os.close(job_w)
        os.close(res_r)
        try:
            import gc
            gc.disable()                                    # a short-lived process: no collections
            from .render.pdf import html_to_pdf, warm_up
            warm_up()
            with os.fdopen(job_r, "rb") as pipe:
                job = pipe.read()
            if not job:                                     # cancelled
                os._exit(0)
            html, report, templates_dir, data = pickle.loads(job)
            payload = pickle.dumps(("ok", html_to_pdf(html, report, templates_dir, data)))
        except BaseException as e:                          # noqa: BLE001 - everything goes back to the parent
            payload = pickle.dumps(("error", str(e), getattr(e, "exit_code", 1)))
        try:
            with os.fdopen(res_w, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)

    def submit(self, report: Report, draft: bool, templates_dir, data: bool = True) -> None:
        """Make the page to print here (pdf.pdf_html: Jinja is warm in this process for the HTML file, and the
        worker never imports it) and hand it over with the report (for the attachments); a character no shipped
        font has is refused here, with the full message (once per build)."""
        from .render.pdf import pdf_html
        html = pdf_html(report, draft, templates_dir)
        with os.fdopen(self.jobs, "wb") as pipe:
            self.jobs = -1
            pipe.write(pickle.dumps((html, report, templates_dir, data)))

    def result(self) -> bytes:
        with os.fdopen(self.results, "rb") as pipe:
            self.results = -1
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
        """Stop the worker (it has nothing to do) and reap it."""
        for fd in (self.jobs, self.results):
            if fd >= 0:
                os.close(fd)
        self.jobs = self.results = -1
        try:
            os.kill(self.pid, signal.SIGKILL)
            os.waitpid(self.pid, 0)
        except ChildProcessError:
            pass
