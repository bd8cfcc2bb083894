"""The PDF worker of `gip-author build`: a forked child that prints the PDF on the second core.

It is its own small module so that `build` can fork it first thing, before the model (pydantic, ~0.07 s) and
the rest of the build path are imported: the child imports only WeasyPrint and the PDF renderer
(render/pdf.py, fonts.py, archival.py, none of which imports the model) and is sent plain data — the page to
print and the files to attach — so its import of WeasyPrint starts that much earlier.
"""
from __future__ import annotations

import os
import pickle
import signal
import sys
from typing import TYPE_CHECKING

from .problems import GipError

if TYPE_CHECKING:
    from .model import Report

__all__ = ["PdfWorker"]


class PdfWorker:
    """A forked child that imports WeasyPrint and warms it up at once, then prints the page it is sent.

    `gip-author build` starts it before reading the YAML, so WeasyPrint's import (~0.3 s) and first-use
    costs overlap the loading and checking; the main process makes the page to print (pdf.pdf_html) and the
    files to attach (archival.attachments), sends them and renders the DOCX and HTML while the child prints.
    Its PDF (or its error message) comes back through a pipe.
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
            html, files, templates_dir = pickle.loads(job)
            payload = pickle.dumps(("ok", html_to_pdf(html, files, templates_dir)))
        except BaseException as e:                          # noqa: BLE001 - everything goes back to the parent
            payload = pickle.dumps(("error", str(e), getattr(e, "exit_code", 1)))
        try:
            with os.fdopen(res_w, "wb") as out:
                out.write(payload)
        finally:
            os._exit(0)

    def submit(self, report: Report, draft: bool, templates_dir, data: bool = True) -> None:
        """Make the page to print here (pdf.pdf_html: Jinja is warm in this process for the HTML file, and the
        worker never imports it) and hand it over with the files to attach (plain bytes and text: the worker
        never imports the model); a character no shipped font has is refused here, with the full message."""
        from .render.archival import attachments
        from .render.pdf import pdf_html
        html = pdf_html(report, draft, templates_dir)
        with os.fdopen(self.jobs, "wb") as pipe:
            self.jobs = -1
            pipe.write(pickle.dumps((html, attachments(report, data), templates_dir)))

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
