"""Bounds a published file is held to before its reader opens it (the limits live in `limits.py`).

A DOCX is a zip: its members are inflated here in steps with a running count (the sizes a zip declares
are checked first, and not trusted), and the tags of its XML parts are counted.  A PDF's compressed
streams are inflated the same way, so a "flate bomb" is refused before PDFium would inflate it whole.
An HTML page's tags are counted before lxml builds a tree of them.  Past a limit: `limits.TooBig`.
"""
from __future__ import annotations

import io
import re
import zipfile
import zlib

from .. import limits as L
from ..problems import CannotRead

_STEP = 4 * L.MB   # inflate at most this much at a time: memory stays small whatever the file holds


def check_zip(data: bytes, path: str) -> None:
    """Refuse a zip whose members inflate past the limits, or whose XML holds too many tags."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except (zipfile.BadZipFile, OSError, ValueError):
        return                                            # the reader says it is damaged
    with archive:
        infos = archive.infolist()
        if len(infos) > 10_000:
            raise L.too_big(path, f"压缩包里有 {len(infos)} 个文件")
        if sum(i.file_size for i in infos) > L.MAX_UNZIPPED_BYTES:
            raise L.too_big(path, f"解压后超过 {L.MAX_UNZIPPED_BYTES // L.MB} MB")
        total = tags = 0
        for info in infos:
            xml = info.filename.lower().endswith((".xml", ".rels"))
            if xml and info.file_size > L.MAX_XML_PART_BYTES:
                raise L.too_big(path, f"其中的 {info.filename} 解压后超过 {L.MAX_XML_PART_BYTES // L.MB} MB")
            size = 0
            try:
                with archive.open(info) as member:
                    while chunk := member.read(_STEP):
                        size += len(chunk)
                        total += len(chunk)
                        if xml:
                            tags += chunk.count(b"<")
                        if xml and size > L.MAX_XML_PART_BYTES or total > L.MAX_UNZIPPED_BYTES:
                            raise L.too_big(path, f"解压后超过 {L.MAX_UNZIPPED_BYTES // L.MB} MB")
                        if tags > L.MAX_MARKUP_NODES:
                            raise L.too_big(path, f"文档标记超过 {L.MAX_MARKUP_NODES:,} 个")
            except (zipfile.BadZipFile, zlib.error, OSError, NotImplementedError, EOFError, RuntimeError):
                return                                    # damaged or encrypted: the reader says so


_STREAM = re.compile(rb"(?<!end)stream\r?\n")
_IMAGE = re.compile(rb"/Subtype\s*/Image")
_DATA = re.compile(rb"/Length[123]\b|/Subtype\s*/(?:Type1C|CIDFontType0C|OpenType)|/Type\s*/(?:ObjStm|XRef|Metadata|EmbeddedFile)")


def check_pdf_streams(data: bytes, path: str) -> None:
    """Inflate every Flate stream of a PDF with a running count and refuse the file past a limit.

    Images are skipped (never decoded on import).  Fonts and object streams may inflate to
    MAX_PDF_STREAM_BYTES each; page content (what PDFium parses into objects, ~13 bytes a rectangle) to
    MAX_PDF_CONTENT_BYTES each and MAX_PDF_CONTENTS_BYTES together; everything to MAX_INFLATED_BYTES.
    """
    view = memoryview(data)
    total = contents = 0
    for m in _STREAM.finditer(data):
        start = m.end()
        if start + 2 > len(data) or (data[start] & 0x0F) != 8 or (data[start] * 256 + data[start + 1]) % 31:
            continue                                      # no zlib header: not a Flate stream
        head = data[max(0, start - 600):m.start()]
        head = head[head.rfind(b"obj") + 1:]
        if _IMAGE.search(head):
            continue
        content = not _DATA.search(head)
        limit = L.MAX_PDF_CONTENT_BYTES if content else L.MAX_PDF_STREAM_BYTES
        size = _inflated_size(view, start, limit)
        if size > limit:
            what = "一页的内容" if content else "一段压缩内容"
            raise L.too_big(path, f"PDF 中{what}解压后超过 {limit // L.MB} MB")
        total += size
        contents += size if content else 0
        if contents > L.MAX_PDF_CONTENTS_BYTES:
            raise L.too_big(path, f"PDF 各页的内容解压后共超过 {L.MAX_PDF_CONTENTS_BYTES // L.MB} MB")
        if total > L.MAX_INFLATED_BYTES:
            raise L.too_big(path, f"PDF 的压缩内容解压后共超过 {L.MAX_INFLATED_BYTES // L.MB} MB")


def _inflated_size(view: memoryview, start: int, limit: int) -> int:
    """How many bytes the zlib stream at `start` inflates to, stopping once past `limit`."""
    d = zlib.decompressobj()
    size, pos = 0, start
    try:
        while not d.eof and pos < len(view):
            pending = view[pos:pos + _STEP]
            pos += _STEP
            while pending and not d.eof:
                size += len(d.decompress(pending, _STEP))
                if size > limit:
                    return size
                pending = d.unconsumed_tail
    except zlib.error:
        pass                                              # damaged: PDFium decides what it can read
    return size


def check_markup(data: bytes, path: str) -> None:
    """Refuse a page with more tags than any report (lxml would build a node for each)."""
    tags = data.count(b"<")
    if tags > L.MAX_HTML_TAGS:
        raise L.too_big(path, f"网页有 {tags:,} 个标记")


def check_blocks(blocks: list, path: str) -> None:
    """Refuse what a reader made of a file when it holds more text or table cells than any report."""
    chars = cells = paragraphs = 0
    for block in blocks:
        rows = getattr(block, "rows", None)
        if rows is None:
            chars += len(block.text)
            paragraphs += 1
            continue
        for row in rows:
            cells += len(row)
            chars += sum(len(c.text) for c in row)
    if cells > L.MAX_TABLE_CELLS:
        raise L.too_big(path, f"表格共有 {cells:,} 个单元格")
    if chars > L.MAX_CHARS:
        raise L.too_big(path, f"文字超过 {L.MAX_CHARS:,} 个字")
    if paragraphs > L.MAX_PARAGRAPHS:
        raise L.too_big(path, f"有 {paragraphs:,} 个段落")


def check_text(data: bytes, path: str) -> None:
    """Refuse a plain-text file far bigger than any report's text, before it is decoded and parsed."""
    if len(data) > L.MAX_TEXT_FILE_BYTES:
        raise L.too_big(path, f"文本超过 {L.MAX_TEXT_FILE_BYTES // L.MB} MB")


#: file kind (files.published_kind) -> the bounds checked on its bytes before its reader runs
BY_KIND = {"pdf": check_pdf_streams, "docx": check_zip, "html": check_markup, "text": check_text}


def check_file(kind: str, data: bytes, path: str) -> None:
    BY_KIND[kind](data, path)


_FIRST_SECTION = re.compile(r"^[一1][、.．]\s*总\s*体\s*情\s*况$")


def check_one_report(blocks: list, path: str) -> None:
    """Refuse a file holding several reports one after another (a PDF of 72 reports is not one clean report)."""
    starts = sum(1 for b in blocks if getattr(b, "rows", None) is None and _FIRST_SECTION.match(b.text.strip()))
    if starts > 1:
        raise CannotRead(f"{path}：文件里似乎有 {starts} 份报告（“一、总体情况”出现了 {starts} 次）。"
                         "一个文件只能放一份报告，请拆成单独的文件后再检查或导入。")
