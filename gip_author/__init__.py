"""gip-author: write, check and publish 政府信息公开工作年度报告 in the national format (国办公开办函〔2021〕30号).

The stages: `load(path)` reads a YAML file into a `Report`; `check(report)` lists its problems;
`export_cells(report)` gives its 200 numbers by canonical cell id; `render_html/pdf/docx(report)` produce
the publishable files; `import_report(path)` reads a published PDF/DOCX/HTML/text report back.
Heavy renderers and importers are imported only when called.
"""
from __future__ import annotations

from .load import load, loads
from .model import Location, Report, export_cells
from .problems import CannotRead, GipError, InvalidReport, Problem
from .rules import check

__all__ = [
    "load", "loads", "check", "export_cells", "Report", "Location", "Problem",
    "GipError", "CannotRead", "InvalidReport",
    "render_html", "render_pdf", "render_docx", "import_report",
]
__version__ = "0.1.0"


def render_html(report: Report, **options) -> str:
    from .render.html import render_html as _render
    return _render(report, **options)


def render_pdf(report: Report, **options) -> bytes:
    from .render.pdf import render_pdf as _render
    return _render(report, **options)


def render_docx(report: Report, **options) -> bytes:
    from .render.docx import render_docx as _render
    return _render(report, **options)


def import_report(path):
    """A published report (PDF, DOCX, HTML, text) -> (Report, notes of what could not be recovered)."""
    from .importer import import_report as _import
    return _import(path)
