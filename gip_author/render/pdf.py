"""Report -> PDF: the HTML page printed by WeasyPrint with the fonts shipped in the package.

The text is checked against the fonts first (a missing glyph would print as a blank); fonts are loaded
from the package's files and nothing else may be fetched.  WeasyPrint is imported here only, since it
takes ~0.4 s.  With SOURCE_DATE_EPOCH unset the PDF carries no dates, so the same report gives the same bytes.
"""
from __future__ import annotations

import importlib
import logging
import os
import sys
import types
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import GipError
from . import fonts
from .archival import attachments, pdf_options

if TYPE_CHECKING:                   # the PDF worker never imports the model (pydantic): see pdf_worker.py
    from ..model import Report

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
    if "weasyprint" in sys.modules:
        import weasyprint
        return weasyprint
    _defer_font_tools()
    if sys.platform != "linux":
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


class _Deferred(types.ModuleType):
    """A module imported only when one of its attributes is first used."""

    def __init__(self, name: str, functions: tuple[str, ...] = ()):
        super().__init__(name)
        for attr in functions:                 # names taken by `from … import` at import time
            setattr(self, attr, lambda *a, _attr=attr, **k: getattr(self._real(), _attr)(*a, **k))

    def _real(self) -> types.ModuleType:
        if sys.modules.get(self.__name__) is self:
            del sys.modules[self.__name__]
        return importlib.import_module(self.__name__)

    def __getattr__(self, attr: str):
        if attr.startswith("__"):
            raise AttributeError(attr)
        return getattr(self._real(), attr)


def _defer_font_tools() -> None:
    """WeasyPrint imports fontTools' subsetter and variable-font instancer up front (0.15 s); with HarfBuzz
    subsetting and our static fonts neither is used, so they are imported only if WeasyPrint calls them."""
    for name, functions in (("fontTools.subset", ()), ("fontTools.varLib.instancer", ("instantiateVariableFont",))):
        if name not in sys.modules:
            sys.modules[name] = _Deferred(name, functions)


_font_config = None


def font_configuration(shared: bool = True):
    """WeasyPrint's font configuration with the shipped fonts' folder added to Fontconfig.

    Declared as @font-face, every font file would be read and copied to a temporary folder and parsed by
    Fontconfig on every build (21 MB; a tenth to a quarter of a second); as an application font folder,
    Fontconfig reads it from its own cache.  The configuration is made once per process (`shared`; an agency's
    templates get their own, since their @font-face rules would stay in it).  None if the folder could not be
    added: pdf.css then declares the fonts as @font-face.
    """
    global _font_config
    if shared and _font_config is not None:
        return _font_config or None
    _import_weasyprint()
    import ctypes
    from weasyprint.text.ffi import ffi, pangoft2
    from weasyprint.text.fonts import FontConfiguration
    config = FontConfiguration()
    try:
        lib = ctypes.CDLL("libfontconfig.so.1")
        lib.FcConfigAppFontAddDir.argtypes = [ctypes.c_void_p, ctypes.c_char_p]
        added = lib.FcConfigAppFontAddDir(int(ffi.cast("uintptr_t", config._config)),
                                          str(fonts.font_dir()).encode())
    except (OSError, AttributeError):
        added = 0
    if added:
        pangoft2.pango_fc_font_map_config_changed(ffi.cast("PangoFcFontMap *", config.font_map))
    if shared:
        _font_config = config if added else False
    return config if added else None


def pdf_context() -> dict:
    """The template variables of pdf.css: the font stack of each role (`fonts`, the @font-face list agencies'
    templates may loop over, stays empty: the fonts come from the folder, see font_configuration)."""
    return {"fonts": [], "stacks": {role: fonts.stack(role) for role in fonts.ROLES}}


def font_face_css() -> str:
    """@font-face rules for the shipped fonts: used only when their folder could not be given to Fontconfig."""
    folder = fonts.font_dir()
    return "".join(f'@font-face {{ font-family: {f["family"]}; src: url("{(folder / f["file"]).as_uri()}"); '
                   f'font-weight: {"bold" if "-Bold" in f["file"] else "normal"}; }}\n' for f in fonts.font_table())


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


def _quick_array_types() -> None:
    """Let cffi make the C array types WeasyPrint asks for by length without parsing C for each length.

    Subsetting each font, WeasyPrint calls `ffi.new(f"hb_codepoint_t[{n}]", …)` with a new `n` every time, and
    cffi parses each such text with pycparser after all of Pango's and HarfBuzz's typedefs (about 2 ms each, a
    tenth of the PDF's subsetting).  "T[n]" is the array of `n` T: its element type is parsed once and the
    array type made from it, the very type cffi would have parsed.  Anything else goes to cffi's own parser;
    if cffi's internals are not as expected, nothing is changed."""
    import re
    try:
        from cffi import model
        from weasyprint.text.ffi import ffi
        parser = ffi._parser
        parse = parser.parse_type
    except (ImportError, AttributeError):
        return
    if getattr(parse, "gip_quick", False):
        return
    array = re.compile(r"([A-Za-z_][A-Za-z_0-9]*)\[([0-9]{1,9})\]")
    elements: dict[str, object] = {}

    def parse_type(cdecl):
        found = array.fullmatch(cdecl) if isinstance(cdecl, str) else None
        if found is None:
            return parse(cdecl)
        name, length = found.groups()
        if name not in elements:
            elements[name] = parse(name)
        return model.ArrayType(elements[name], int(length))

    parse_type.gip_quick = True
    parser.parse_type = parse_type


def warm_up() -> None:
    """Import WeasyPrint and give Fontconfig the fonts ahead of a render (a worker does this while it waits)."""
    _import_weasyprint()
    font_configuration()


#: Set after each render: True if WeasyPrint subset the fonts the slow way (no libharfbuzz-subset).
last_render_slow = False


def pdf_html(report: Report, draft: bool = False, templates_dir: str | os.PathLike | None = None, *,
             coverage_checked: bool = False) -> str:
    """The page WeasyPrint prints: the report's HTML with the print CSS and the body set on the grid.  Refuses a
    character no shipped font has (MissingGlyphs), unless the caller has just checked that (`coverage_checked`).

    Made apart from the printing so that `build` makes it in the main process (which has Jinja warm for the
    HTML file) while the PDF worker, which never imports Jinja, only prints it."""
    from .html import render_html          # not at the top: the PDF worker never needs Jinja
    if not coverage_checked:
        fonts.check_coverage(report)
    return render_html(report, draft, templates_dir, target="pdf", pdf_context=pdf_context())


def html_to_pdf(html: str, files: tuple[dict, ...] = (), templates_dir: str | os.PathLike | None = None) -> bytes:
    """Print a page made by pdf_html, every font embedded: PDF/A-3u and PDF/UA-1 (archival.py), with the
    report's own data attached (`files`, made by archival.attachments; empty for --no-data)."""
    global last_render_slow
    import gc
    _import_weasyprint()
    _quick_array_types()
    from weasyprint import CSS, HTML
    from weasyprint.logger import LOGGER
    from weasyprint.text.fonts import FontConfiguration

    config = font_configuration(shared=templates_dir is None)
    allowed = (fonts.font_dir().resolve(),) + ((Path(templates_dir).resolve(),) if templates_dir else ())
    base = Path(templates_dir).resolve() if templates_dir else fonts.font_dir()
    watch = _SlowSubsetWatch()
    LOGGER.addHandler(watch)
    collecting = gc.isenabled()
    gc.disable()   # WeasyPrint makes ~10^5 short-lived objects and no cycles worth collecting mid-render: -10 % CPU
    try:
        fetcher = _fetcher(allowed)
        extra = [] if config else [CSS(string=font_face_css(), url_fetcher=fetcher,
                                       font_config=(config := FontConfiguration()))]
        document = HTML(string=html, base_url=base.as_uri() + "/", url_fetcher=fetcher)
        pdf = document.write_pdf(font_config=config, stylesheets=extra, **pdf_options(files))
    except GipError:
        raise
    except Exception as e:  # WeasyPrint's errors are many and undocumented: report, never a traceback
        raise PdfFailed(f"生成 PDF 失败：{type(e).__name__}: {e}。可先生成 DOCX/HTML：--format docx,html。") from e
    finally:
        LOGGER.removeHandler(watch)
        if collecting:
            gc.enable()
    last_render_slow = watch.seen
    return pdf


def render_pdf(report: Report, draft: bool = False, templates_dir: str | os.PathLike | None = None, *,
               coverage_checked: bool = False, data: bool = True) -> bytes:
    """The report as an A4 PDF (GB/T 9704 layout), every font embedded: PDF/A-3u and PDF/UA-1 (archival.py),
    with the report's own data attached unless `data` is False.  Refuses a character no shipped font has
    (MissingGlyphs), unless the caller has just checked that itself (`coverage_checked`)."""
    html = pdf_html(report, draft, templates_dir, coverage_checked=coverage_checked)
    return html_to_pdf(html, attachments(report, data), templates_dir)
