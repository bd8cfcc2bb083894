"""gip-author: write, check and publish 政府信息公开工作年度报告 in the national format (国办公开办函〔2021〕30号).

The stages: `load(path)` reads a YAML file into a `Report`; `check(report)` lists its problems;
`export_cells(report)` gives its 200 numbers by canonical cell id; `render_html/pdf/docx(report)` produce
the publishable files; `import_report(path)` reads a published PDF/DOCX/HTML/text report back
(`open_report(path)` takes either kind of file).
"""
from __future__ import annotations

import importlib
from typing import TYPE_CHECKING

from .location import Location
from .problems import CannotRead, GipError, InvalidReport, Problem
from .version import __version__

if TYPE_CHECKING:  # the same names, for editors and type checkers; at run time each comes on first use (_LAZY)
    from .loader import load, loads
    from .model import Report, export_cells
    from .readers import import_report, open_report
    from .render.docx import render_docx
    from .render.html import render_html
    from .render.pdf import render_pdf
    from .rules import check

#: Public name -> the module it is imported from when first used.  pydantic, the rules, the importers and the
#: renderers take ~0.4 s to import, while `gip-author --help` (which imports this package) takes ~0.1 s.
_LAZY = {
    "load": "loader", "loads": "loader",
    "Report": "model", "export_cells": "model",
    "import_report": "readers", "open_report": "readers",
    "render_docx": "render.docx", "render_html": "render.html", "render_pdf": "render.pdf",
    "check": "rules",
}
__all__ = ["CannotRead", "GipError", "InvalidReport", "Location", "Problem", "Report", "__version__", "check",
           "export_cells", "import_report", "load", "loads", "open_report", "render_docx", "render_html", "render_pdf"]


def __getattr__(name: str):
    if name not in _LAZY:
        raise AttributeError(f"module 'gip_author' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_LAZY[name]}", __name__), name)
    globals()[name] = value
    return value
