"""Published report (PDF, DOCX, HTML, plain text or Markdown) -> Report, and what could not be recovered.

Every format is first cut into the same blocks (`blocks.py`: paragraphs and tables in reading order) by
its reader (`text.py`, `html.py`, `docx.py`, `pdf.py`); one parser (`parse.py`, with `tables.py` for
Tables 2–4) turns blocks into a Report.  The notes (`notes.py`: cells it could not read, parts it could
not find, guesses, an outdated template) are returned and also kept in `report.load_problems`, so
`gip-author check FILE.pdf` reports them with the rest.  The format is told by the file's content, not
only its name.  Readers of the heavy formats are imported only when such a file comes.
"""
from __future__ import annotations

import os
import re
from pathlib import Path

from ..loader import read_bytes
from ..model import Report
from ..problems import CannotRead, GipError, Problem

MAX_BYTES = 64 * 2**20
_HTML = re.compile(rb"<(?:!doctype\s+html|html|body|table|div|p|h[1-6])\b", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


def import_report(path: str | os.PathLike) -> tuple[Report, list[Problem]]:
    """Read a published report; returns it and the list of what could not be recovered or was guessed."""
    p = Path(path)
    data = _read(p)
    kind = _kind(p, data)
    try:
        from ..compare import import_with_data
        return import_with_data(str(p), kind, data, lambda: _import(p, data, kind))
    except GipError:
        raise
    except RecursionError:
        raise CannotRead(f"{p}：文件结构嵌套太深，无法读取。") from None
    except Exception as e:  # a file no reader foresaw must still give a message, never a traceback
        raise CannotRead(f"{p}：导入时遇到无法处理的内容（{type(e).__name__}: {str(e)[:120]}）。"
                         "请换用该报告的其他格式（PDF、Word 或网页）再试，或把文件发给维护人员。") from e


def _import(p: Path, data: bytes, kind: str) -> tuple[Report, list[Problem]]:
    from .parse import Parser
    from .simplified import to_simplified
    if kind == "pdf":
        from .pdf import pdf_blocks
        blocks = pdf_blocks(data, str(p))
    elif kind == "docx":
        from .docx import docx_blocks
        blocks = docx_blocks(data, str(p))
    elif kind == "html":
        from .html import html_blocks
        blocks = html_blocks(data, str(p))
    else:
        from .text import text_blocks
        blocks = text_blocks(decode(data, str(p)), str(p))
    to_simplified(blocks)
    report = Parser(blocks, str(p)).report()
    return report, list(report.load_problems)


def _read(p: Path) -> bytes:
    data = read_bytes(p, MAX_BYTES)
    if not data.strip():
        raise CannotRead(f"{p}：文件是空的。")
    return data


def _kind(p: Path, data: bytes) -> str:
    suffix = p.suffix.lower()
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:200000] or suffix == ".docx":
            return "docx"
        raise CannotRead(f"{p}：这是一个压缩包（可能是 Excel、WPS 或 ODT 文件），不是 Word（.docx）文件。"
                         "请用 Word 或 WPS 打开后“另存为”.docx 再导入。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CannotRead(f"{p}：这是旧版 Word（.doc）或 WPS 文件，无法直接读取。请用 Word 或 WPS 打开后“另存为”"
                         ".docx 格式再导入。")
    if suffix == ".pdf":
        raise CannotRead(f"{p}：不是有效的 PDF 文件（文件可能已损坏，或只是改了扩展名）。请重新下载或导出 PDF。")
    if suffix == ".docx":
        raise CannotRead(f"{p}：不是有效的 Word（.docx）文件（文件可能已损坏，或只是改了扩展名）。")
    if b"\x00" in head and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise CannotRead(f"{p}：这不是文本、网页、Word 或 PDF 文件，无法导入。")
    if suffix in (".html", ".htm", ".xhtml") or _HTML.search(head):
        return "html"
    return "text"


def decode(data: bytes, path: str, charset: str | None = None) -> str:
    """Bytes -> text: UTF-8 (with or without BOM), UTF-16 with BOM, the declared charset, else GB18030."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    names = [charset, m.group(1).decode("ascii", "replace") if m else None, "gb18030"]
    for name in names:
        if not name:
            continue
        name = "gb18030" if name.lower() in ("gbk", "gb2312", "gb_2312-80", "x-gbk") else name
        try:
            return data.decode(name)
        except (UnicodeDecodeError, LookupError):
            continue
    raise CannotRead(f"{path}：无法识别文件的文字编码。请用记事本打开，“另存为”时编码选“UTF-8”后再导入。")
