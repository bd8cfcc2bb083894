"""A file's bytes and text: the one bounded reader, the one decoder, and which kind of report a file is.

Every reader starts here: `read_bytes` never reads more than its limit (a 100 MB file or a device that never
ends costs nothing), `decode` knows the encodings clerks' files come in (UTF-8 with or without BOM, Notepad's
UTF-16, GBK/GB18030, a page's declared charset), and the suffix and content tables say whether a file is the
YAML a clerk writes or a published report (PDF, DOCX, HTML, text) to import.
"""
from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from .limits import MAX_FILE_BYTES, MAX_YAML_BYTES  # noqa: F401 - the bounds of what is read (limits.py)
from .os_messages import reason
from .problems import CannotRead

YAML_SUFFIXES = frozenset({".yaml", ".yml"})
PUBLISHED_SUFFIXES = frozenset({".pdf", ".docx", ".html", ".htm", ".txt", ".md", ".text"})

_BOMS_UTF16 = (b"\xff\xfe", b"\xfe\xff")
_GBK_NAMES = ("gbk", "gb2312", "gb_2312-80", "x-gbk")
_HTML = re.compile(rb"<(?:!doctype\s+html|html|body|table|div|p|h[1-6])\b", re.I)
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?([\w-]+)""", re.I)


class _NotAFile(OSError):
    pass


def _no_wait(path, flags: int) -> int:
    """os.open that never waits for a writer: a named pipe or socket is refused instead of read forever."""
    fd = os.open(path, flags | getattr(os, "O_NONBLOCK", 0))
    mode = os.fstat(fd).st_mode
    if stat.S_ISFIFO(mode) or stat.S_ISSOCK(mode):
        os.close(fd)
        raise _NotAFile("命名管道（FIFO）" if stat.S_ISFIFO(mode) else "套接字")
    if hasattr(os, "set_blocking"):
        os.set_blocking(fd, True)
    return fd


def read_bytes(path: Path, limit: int) -> bytes:
    """The file's bytes, reading at most `limit` + 1 of them: a 100 MB file (or a device that never
    ends) costs no memory and no time.  Every failure is a CannotRead that says what to do."""
    try:
        with open(path, "rb", opener=_no_wait) as f:
            data = f.read(limit + 1)
    except _NotAFile as e:
        raise CannotRead(f"{path}：这是{e}，不是普通文件，未读取。请给出报告文件。") from None
    except FileNotFoundError:
        raise CannotRead(f"{path}：找不到这个文件，请检查文件名和所在文件夹。") from None
    except IsADirectoryError:
        raise CannotRead(f"{path}：这是一个文件夹，请给出报告文件。") from None
    except OSError as e:
        raise CannotRead(f"{path}：无法读取（{reason(e)}）。") from None
    if len(data) > limit:
        raise CannotRead(f"{path}：文件超过 {limit // 2**20} MB，太大了，不像一份年度报告，未读取。"
                         "请检查是否选错了文件。")
    return data


def decode(data: bytes, path: str, declared: str | None = None, then: str = "再导入") -> tuple[str, str]:
    """Bytes -> (text, encoding): UTF-16 with a BOM, UTF-8 (BOM or not), the declared charset (a web page's
    `<meta charset>` or `declared`), else GB18030.  `then` ends the message when nothing fits."""
    if data.startswith(_BOMS_UTF16):  # Notepad's "Unicode": UTF-16 with a byte-order mark
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("utf-8-sig"), "UTF-8"
    except UnicodeDecodeError:
        pass
    m = _CHARSET.search(data[:4096])
    for name in (declared, m.group(1).decode("ascii", "replace") if m else None, "gb18030"):
        if not name:
            continue
        name = "gb18030" if name.lower() in _GBK_NAMES else name
        try:
            return data.decode(name), "GBK/GB18030" if name == "gb18030" else name
        except (UnicodeDecodeError, LookupError):
            continue
    raise CannotRead(f"{path}：无法识别文件的文字编码（既不是 UTF-8，也不是 GBK/GB18030）。请用记事本打开，"
                     f"“另存为”时编码选“UTF-8”后保存，{then}。")


def read_yaml_text(path: Path) -> tuple[str, str]:
    """A YAML report's text and its encoding ("UTF-8", "UTF-16", "GBK/GB18030").  Refuses binary and huge files."""
    data = read_bytes(path, MAX_YAML_BYTES)
    if b"\x00" in data and not _utf16(data):
        raise CannotRead(f"{path}：这不是文本文件（可能是 Word、PDF 或压缩文件）。请给出 .yaml 报告文件；"
                         "已发布的报告可先用 gip-author import 转换。")
    return decode(data, str(path), then="再重新检查")


def _utf16(data: bytes) -> bool:
    if not data.startswith(_BOMS_UTF16):
        return False
    try:
        data.decode("utf-16")
    except UnicodeDecodeError:
        return False
    return True


def is_published(path: str | Path) -> bool:
    """A published report (imported on the fly) rather than a clerk's YAML, by the file's name."""
    return Path(path).suffix.lower() in PUBLISHED_SUFFIXES


def published_kind(path: Path, data: bytes) -> str:
    """"pdf", "docx", "html" or "text", told by the content first (a renamed file is still read right);
    an Office or archive file that is none of these is refused with what to do."""
    suffix = path.suffix.lower()
    head = data[:2048]
    if head.startswith(b"%PDF") or b"%PDF-" in data[:1024]:
        return "pdf"
    if head.startswith(b"PK\x03\x04"):
        if b"word/" in data[:200000] or suffix == ".docx":
            return "docx"
        raise CannotRead(f"{path}：这是一个压缩包（可能是 Excel、WPS 或 ODT 文件），不是 Word（.docx）文件。"
                         "请用 Word 或 WPS 打开后“另存为”.docx 再导入。")
    if head.startswith(b"\xd0\xcf\x11\xe0"):
        raise CannotRead(f"{path}：这是旧版 Word（.doc）或 WPS 文件，无法直接读取。请用 Word 或 WPS 打开后“另存为”"
                         ".docx 格式再导入。")
    if suffix == ".pdf":
        raise CannotRead(f"{path}：不是有效的 PDF 文件（文件可能已损坏，或只是改了扩展名）。请重新下载或导出 PDF。")
    if suffix == ".docx":
        raise CannotRead(f"{path}：不是有效的 Word（.docx）文件（文件可能已损坏，或只是改了扩展名）。")
    if b"\x00" in head and not head.startswith(_BOMS_UTF16):
        raise CannotRead(f"{path}：这不是文本、网页、Word 或 PDF 文件，无法导入。")
    if suffix in (".html", ".htm", ".xhtml") or _HTML.search(head):
        return "html"
    return "text"
