"""Any report file -> Report: the one dispatcher.

A clerk's YAML goes to `loader.load`; a published report (PDF, DOCX, HTML, plain text or Markdown, told by its
content: `files.published_kind`) is cut into blocks by the reader in `READERS`, then `importer.parse` turns the
blocks into a Report.  Adding a format = one reader module `bytes, path -> list[Block]` and one row here (and
its signature in `files.published_kind`).  Readers are imported only when such a file comes, so the heavy
libraries (pypdfium2, python-docx, lxml) stay off the YAML path.
"""
from __future__ import annotations

import importlib
import os
from pathlib import Path

from .files import MAX_FILE_BYTES, is_published, published_kind, read_bytes
from .model import Report
from .problems import CannotRead, GipError, Problem
from .text_guard import clean_blocks

#: file kind -> "module:function" cutting the file's bytes into blocks: (data: bytes, path: str) -> list[Block]
READERS = {
    "pdf": "gip_author.importer.pdf:pdf_blocks",
    "docx": "gip_author.importer.docx:docx_blocks",
    "html": "gip_author.importer.html:html_blocks",
    "text": "gip_author.importer.text:text_file_blocks",
}


def open_report(path: str | os.PathLike) -> Report:
    """A YAML report, or a published one (PDF, DOCX, HTML, text) imported on the fly."""
    if is_published(path):
        return import_report(path)[0]
    from .loader import load
    return load(path)


def import_report(path: str | os.PathLike) -> tuple[Report, list[Problem]]:
    """Read a published report; returns it and the list of what could not be recovered or was guessed
    (also kept in `report.load_problems`, so `check FILE.pdf` reports them with the rest)."""
    p = Path(path)
    data = read_bytes(p, MAX_FILE_BYTES)
    if not data.strip():
        raise CannotRead(f"{p}：文件是空的。")
    kind = published_kind(p, data)
    try:
        from .compare import import_with_data      # the data a file built by gip-author carries comes first
        return import_with_data(str(p), kind, data, lambda: _import(p, data, kind))
    except GipError:
        raise
    except RecursionError:
        raise CannotRead(f"{p}：文件结构嵌套太深，无法读取。") from None
    except Exception as e:  # a file no reader foresaw must still give a message, never a traceback
        raise CannotRead(f"{p}：导入时遇到无法处理的内容（{type(e).__name__}: {str(e)[:120]}）。"
                         "请换用该报告的其他格式（PDF、Word 或网页）再试，或把文件发给维护人员。") from e


def _import(p: Path, data: bytes, kind: str) -> tuple[Report, list[Problem]]:
    from .importer import bounds
    from .importer.parse import Parser
    from .importer.simplified import to_simplified
    bounds.check_file(kind, data, str(p))          # a bomb is refused before its reader inflates it
    module, _, function = READERS[kind].partition(":")
    blocks = getattr(importlib.import_module(module), function)(data, str(p))
    bounds.check_blocks(blocks, str(p))
    bounds.check_one_report(blocks, str(p))
    clean_blocks(blocks)                          # no NUL or ESC carried into the YAML `import` writes
    to_simplified(blocks)
    report = Parser(blocks, str(p)).report()
    from .importer.arith import settle
    settle(report, blocks)                   # numbers read by OCR (scans): the tables' sums confirm or choose
    return report, list(report.load_problems)
