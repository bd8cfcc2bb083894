"""Renderers: Report -> HTML / PDF / DOCX.  Each module is imported only when its format is asked for.

`RENDERERS` is the one table of output formats: format -> (module, function, file suffix, takes templates_dir).  Every
renderer takes `(report, draft=False)` (HTML and PDF also `templates_dir=`) and returns str (HTML) or bytes.
"""
from __future__ import annotations

import importlib
from typing import Callable, NamedTuple


class Renderer(NamedTuple):
    module: str
    function: str
    suffix: str
    templated: bool   # takes templates_dir= (the Jinja renderers)


RENDERERS: dict[str, Renderer] = {
    "docx": Renderer("docx", "render_docx", ".docx", False),
    "pdf": Renderer("pdf", "render_pdf", ".pdf", True),
    "html": Renderer("html", "render_html", ".html", True),
}


def renderer(fmt: str) -> Callable:
    """The render function of a format, imported on first use."""
    spec = RENDERERS[fmt]
    return getattr(importlib.import_module(f".{spec.module}", __name__), spec.function)
