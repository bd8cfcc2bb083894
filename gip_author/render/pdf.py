"""Report -> PDF: the HTML page printed by WeasyPrint with the fonts shipped in the package.

The text is checked against the fonts first (a missing glyph would print as a blank); fonts are loaded
from the package's files and nothing else may be fetched.  WeasyPrint is imported here only, since it
takes ~0.4 s.  With SOURCE_DATE_EPOCH unset the PDF carries no dates, so the same report gives the same bytes.
"""
from __future__ import annotations

import logging
import os
import sys
from pathlib import Path

from ..model import Report
from ..problems import GipError
from . import fonts
from .archival import pdf_options
from .html import render_html

SLOW_SUBSET = "Using fontTools instead of HarfBuzz-Subset"


class PdfFailed(GipError):
    """WeasyPrint could not produce the PDF."""


def _import_weasyprint():
    """Import WeasyPrint, looking its C libraries up in one `ldconfig -p` instead of ~50 subprocesses.

    WeasyPrint tries several names per library (libgobject-2.0-0, gobject-2.0-0, …) and cffi hands every
    miss to ctypes.util.find_library, which runs ldconfig, gcc and ld each time: 0.2 s of a 0.45 s import.
    During the import find_library answers from the ldconfig cache alone; if that leaves a library
    unfound, the import is simply repeated the ordinary way.
    """
    if "weasyprint" in sys.modules or sys.platform != "linux":
        import weasyprint
        return weasyprint
    import ctypes.util
    import re
    import struct
    import subprocess
    original = ctypes.util.find_library
    try:
        listing = subprocess.run(["ldconfig", "-p"], capture_output=True, text=True, timeout=10,
                                 env={**os.environ, "LC_ALL": "C"}).stdout
    except (OSError, subprocess.SubprocessError):
        listing = ""
    if not listing:
        import weasyprint
        return weasyprint
    machine = f"{os.uname().machine}-{struct.calcsize('l') * 8}"
    abi = {"x86_64-64": "libc6,x86-64", "ppc64-64": "libc6,64bit", "sparc64-64": "libc6,64bit",
           "s390x-64": "libc6,64bit", "ia64-64": "libc6,IA-64"}.get(machine, "libc6")   # as ctypes.util does

    def from_cache(name: str) -> str | None:
        found = re.search(rf"\s+(lib{re.escape(name)}\.[^\s]+)\s+\({re.escape(abi)}", listing)
        return found.group(1) if found else None

    ctypes.util.find_library = from_cache
    try:
        import weasyprint
    except OSError:
        for name in [m for m in sys.modules if m == "weasyprint" or m.startswith("weasyprint.")]:
            del sys.modules[name]
        ctypes.util.find_library = original
        import weasyprint
    finally:
        ctypes.util.find_library = original
    return weasyprint


def pdf_context() -> dict:
    """The template variables of pdf.css: @font-face sources (file URLs) and the font stack of each role."""
    folder = fonts.font_dir()
    faces = [{"family": f["family"], "url": (folder / f["file"]).as_uri(),
              "weight": "bold" if "-Bold" in f["file"] else "normal"} for f in fonts.font_table()]
    return {"fonts": faces, "stacks": {role: fonts.stack(role) for role in fonts.ROLES}}


def _fetcher(allowed: tuple[Path, ...]):
    """A URL fetcher that serves files from the font folder (and the agency's templates) and nothing else."""
    from urllib.parse import unquote, urlparse

    from weasyprint.urls import URLFetcher

    class LocalFetcher(URLFetcher):
        def fetch(self, url, headers=None):
            if url.startswith("file:"):
                path = Path(unquote(urlparse(url).path)).resolve()
                if any(path.is_relative_to(a) for a in allowed):
                    return super().fetch(url, headers)
            raise ValueError(f"refused to fetch {url}: a report PDF loads only its own fonts")

    return LocalFetcher(allowed_protocols={"file"})


class _SlowSubsetWatch(logging.Handler):
    """Notices WeasyPrint's warning that it fell back to fontTools for subsetting (seconds instead of tenths)."""

    def __init__(self):
        super().__init__(logging.WARNING)
        self.seen = False

    def emit(self, record: logging.LogRecord) -> None:
        if SLOW_SUBSET in record.getMessage():
            self.seen = True


def warm_up() -> None:
    """Import WeasyPrint and read the font table ahead of a render (a worker does this while it waits)."""
    _import_weasyprint()
    import weasyprint.text.fonts  # noqa: F401
    pdf_context()
    from .html import warm_up as compile_templates
    compile_templates()


#: Set after each render: True if WeasyPrint subset the fonts the slow way (no libharfbuzz-subset).
last_render_slow = False


def render_pdf(report: Report, draft: bool = False, templates_dir: str | os.PathLike | None = None, *,
               coverage_checked: bool = False, data: bool = True) -> bytes:
    """The report as an A4 PDF (GB/T 9704 layout), every font embedded: PDF/A-3u and PDF/UA-1 (archival.py),
    with the report's own data attached unless `data` is False.  Refuses a character no shipped font has
    (MissingGlyphs), unless the caller has just checked that itself (`coverage_checked`)."""
    global last_render_slow
    if not coverage_checked:
        fonts.check_coverage(report)
    html = render_html(report, draft, templates_dir, target="pdf", pdf_context=pdf_context())
    _import_weasyprint()
    from weasyprint import HTML
    from weasyprint.logger import LOGGER
    from weasyprint.text.fonts import FontConfiguration

    allowed = (fonts.font_dir().resolve(),) + ((Path(templates_dir).resolve(),) if templates_dir else ())
    base = Path(templates_dir).resolve() if templates_dir else fonts.font_dir()
    watch = _SlowSubsetWatch()
    LOGGER.addHandler(watch)
    try:
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=_fetcher(allowed))
        pdf = document.write_pdf(font_config=FontConfiguration(), **pdf_options(report, data))
    except GipError:
        raise
    except Exception as e:  # WeasyPrint's errors are many and undocumented: report, never a traceback
        raise PdfFailed(f"生成 PDF 失败：{type(e).__name__}: {e}。可先生成 DOCX/HTML：--format docx,html。") from e
    finally:
        LOGGER.removeHandler(watch)
    last_render_slow = watch.seen
    return pdf
