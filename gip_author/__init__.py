"""gip-author: write, check and publish 政府信息公开工作年度报告 in the national format (国办公开办函〔2021〕30号).

The stages: `load(path)` reads a YAML file into a `Report`; `check(report)` lists its problems;
`export_cells(report)` gives its 200 numbers by canonical cell id; `render_html/pdf/docx(report)` produce
the publishable files; `import_report(path)` reads a published PDF/DOCX/HTML/text report back.
Names are imported on first use, so `gip-author --help` and the check path stay fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

#: public name -> the module that defines it
_API = {
    "load": "loader", "loads": "loader", "open_report": "readers",
    "check": "rules",
    "Report": "model", "export_cells": "model",
    "Location": "location",
    "Problem": "problems", "GipError": "problems", "CannotRead": "problems", "InvalidReport": "problems",
    "render_html": "render.html", "render_pdf": "render.pdf", "render_docx": "render.docx",
    "import_report": "readers",
}
__all__ = list(_API)


def __getattr__(name: str):
    if name not in _API:
        raise AttributeError(f"module 'gip_author' has no attribute {name!r}")
    value = getattr(importlib.import_module(f".{_API[name]}", __name__), name)
    globals()[name] = value
    return value
