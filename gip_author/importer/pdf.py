"""PDF -> blocks: tables rebuilt from their ruling lines (merged cells included), text lines into paragraphs.

Read with PDFium (`pypdfium2`, the engine pdfplumber itself ships with): every character with its box,
every path object with its bounds — about 10 ms a page, where pdfminer-based word extraction takes ~60.
A table is a cluster of thin ruling lines, rebuilt into a grid of merged cells by `grid.py`, so each cell's
text comes once and an empty cell is seen as a blank, as in a DOCX or HTML table.  Characters outside tables are grouped into lines and the
lines into paragraphs (a new paragraph at an indent, after a short line ending a sentence, after a heading line or a gap).
Page numbers ("— 1 —", "第1页") are dropped.  A PDF without rulings falls back to its lines, which the
parser reads as a stream of labels and numbers.
"""
from __future__ import annotations

import re

from .. import limits as L
from ..location import Location
from ..problems import CannotRead
from .blocks import Block, Cell, Paragraph, Table
from .grid import Char as _Char
from .grid import Grid, grids

_PAGE_NUMBER = re.compile(r"^[-—–－_\s]*(?:\d{1,3}|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?|\d+\s*/\s*\d+)[-—–－_\s]*$")
_HEADING_START = re.compile(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_SENTENCE_END = frozenset("。！？；…”’）)!?;.")
_THIN = 3.0        # a path this thin (pt) is a ruling line
_FEW = 16          # fewer characters than this over a full-page picture: a scan (a stamped page number), read by OCR
_WATERMARK = 60.0  # a glyph taller than this (pt) is a watermark such as a draft's 草稿, not text of the report


def pdf_blocks(data: bytes, path: str) -> list[Block]:
    try:
        import pypdfium2 as pdfium
        import pypdfium2.raw as raw
        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # PdfiumError, and anything a damaged file makes the engine raise
        raise CannotRead(f"{path}：PDF 文件已损坏或加了密码，无法打开（{e}）。请重新下载或导出 PDF 再导入。") from None
    reader = _Reader(path)
    try:
        if len(pdf) == 0:
            raise CannotRead(f"{path}：PDF 文件没有页面。")
        if len(pdf) > L.MAX_PAGES:
            raise L.too_big(path, f"PDF 有 {len(pdf):,} 页")
        pages, scanned, total, objects = [], [], 0, 0
        for number in range(len(pdf)):
            page = pdf[number]
            objects += raw.FPDFPage_CountObjects(page.raw)   # pages may share one content stream
            if objects > L.MAX_PDF_OBJECTS:
                raise L.too_big(path, f"PDF 的前 {number + 1} 页已有 {objects:,} 个图文对象")
            chars = _chars(page, raw)
            total += len(chars)
            if total > L.MAX_CHARS:
                raise L.too_big(path, f"PDF 的文字超过 {L.MAX_CHARS:,} 个字")
            if len(chars) < _FEW and _has_picture(page, raw):     # a scan (perhaps with a stamped page number)
                scanned.append(number)
            pages.append((chars, _rulings(page, raw), page.get_size()))
            page.close()
        if scanned:                  # pages that are only a picture: read by OCR (ocr.py)
            from . import ocr
            ocr.require(path, len(scanned))
            for number, read in ocr.read_pages(pdf, scanned).items():
                pages[number] = (*read, pages[number][2])
                reader.ocr_pages.append(number + 1)
        for number, (chars, lines, size) in enumerate(pages):
            reader.page(number + 1, chars, lines, size)
    finally:
        pdf.close()
    reader.finish()
    if not any(isinstance(b, Paragraph) or b.rows for b in reader.blocks):
        raise CannotRead(f"{path}：PDF 里没有可提取的文字（可能是扫描件或图片）。请找到文字版 PDF、Word 或网页版再导入。")
    return Scanned(reader.blocks, reader.ocr_pages) if reader.ocr_pages else reader.blocks


class Scanned(list):
    """The blocks of a PDF some of whose pages were read by OCR, and which pages (1-based)."""

    def __init__(self, blocks: list, pages: list[int]):
        super().__init__(blocks)
        self.ocr_pages = list(pages)


def _has_picture(page, raw) -> bool:
    """The page holds an image covering most of it (a scan)."""
    w, h = page.get_size()
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        x0, y0, x1, y1 = obj.get_bounds()
        if (x1 - x0) * (y1 - y0) > 0.25 * w * h:
            return True
    return False


def _chars(page, raw) -> list[_Char]:
    tp = page.get_textpage()
    out = []
    try:
        n = tp.count_chars()
        handle = tp.raw
        rect = raw.FS_RECTF()
        for i in range(n):
            code = raw.FPDFText_GetUnicode(handle, i)
            if code <= 32 or code in (0xFFFE, 0xFEFF, 0xA0, 0x3000):
                continue
            x0, x1, y0, y1 = _charbox(raw, handle, i, rect)
            if x1 <= x0 or y1 <= y0 or y1 - y0 > _WATERMARK:
                continue
            out.append(_Char(chr(code), x0, y0, x1, y1))
    finally:
        tp.close()
    return out


def _charbox(raw, handle, i, rect):
    """The loose box (font ascent to descent), so every character of a line has the same height."""
    raw.FPDFText_GetLooseCharBox(handle, i, rect)
    return rect.left, rect.right, rect.bottom, rect.top


def _rulings(page, raw) -> tuple[list, list]:
    """Thin path objects: horizontal (y, x0, x1) and vertical (x, y0, y1) ruling lines."""
    hs, vs = [], []
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=4):
        x0, y0, x1, y1 = obj.get_bounds()
        w, h = x1 - x0, y1 - y0
        if h <= _THIN and w > _THIN:
            hs.append(((y0 + y1) / 2, x0, x1))
        elif w <= _THIN and h > _THIN:
            vs.append(((x0 + x1) / 2, y0, y1))
    return hs, vs


# ------------------------------------------------------------------------------------------ tables


def _lines(chars: list[_Char]) -> list[list[_Char]]:
    """Characters grouped into lines (top to bottom), each sorted left to right."""
    lines: list[list[_Char]] = []
    for c in sorted(chars, key=lambda c: -c.cy):
        if lines:
            last = lines[-1]
            ref = last[0]
            if abs(c.cy - ref.cy) <= max(ref.h, c.h) * 0.45:
                last.append(c)
                continue
        lines.append([c])
    for line in lines:
        line.sort(key=lambda c: c.x0)
    return lines


def _line_text(line: list[_Char]) -> str:
    out = []
    prev = None
    for c in line:
        if prev is not None and c.x0 - prev.x1 > 0.45 * max(c.h, prev.h):
            out.append(" ")
        out.append(c.ch)
        prev = c
    return "".join(out)


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.blocks: list[Block] = []
        self.tables = 0
        self.open: list[str] | None = None       # the paragraph being built
        self.open_where: Location | None = None
        self.prev_line = None                    # (x1, right margin, bottom) of the paragraph's last line
        self.pages: list = []
        self.ocr_pages: list[int] = []           # pages read by OCR (1-based)

    def end_paragraph(self) -> None:
        if self.open:
            self.blocks.append(Paragraph("".join(self.open), self.open_where))
        self.open, self.prev_line = None, None

    def page(self, number: int, chars: list[_Char], rulings: tuple, size: tuple[float, float]) -> None:
        """Collect a page's tables and lines; `finish` turns them into blocks with the document's margins."""
        tables = grids(*rulings)
        loose, in_table = [], {id(g): [] for g in tables}
        for c in chars:
            g = next((g for g in tables if g.contains(c)), None)
            (in_table[id(g)] if g else loose).append(c)
        items = [("table", g.y1, (g, in_table[id(g)])) for g in tables]
        lines = [ln for ln in _lines(loose) if not self._page_furniture(ln, size)]
        items += [("line", ln[0].cy, ln) for ln in lines]
        items.sort(key=lambda it: -it[1])
        self.pages.append((number, items, size))

    def finish(self) -> None:
        body = [it[2] for _, items, _ in self.pages for it in items if it[0] == "line" and len(it[2]) >= 8]
        starts = sorted(round(ln[0].x0) for ln in body)
        ends = sorted(ln[-1].x1 for ln in body)
        left = starts[len(starts) // 10] if starts else 0          # the text's left edge (most lines start there)
        right = ends[len(ends) * 3 // 4] if ends else 0             # and its right edge (a few lines hang over)
        for number, items, _ in self.pages:
            n_line = 0
            for kind, _, item in items:
                if kind == "table":
                    self.end_paragraph()
                    self.table(number, *item)
                else:
                    n_line += 1
                    self.line(item, left, right, Location(self.path, where=f"第{number}页 第{n_line}行"))
        self.end_paragraph()

    def _page_furniture(self, line: list[_Char], size: tuple[float, float]) -> bool:
        y = line[0].cy
        edge = y < size[1] * 0.1 or y > size[1] * 0.93
        return edge and bool(_PAGE_NUMBER.match(_line_text(line)))

    def line(self, line: list[_Char], left: float, right: float, where: Location) -> None:
        text = _line_text(line).strip()
        if not text:
            return
        heights = sorted(c.h for c in line)
        size = heights[len(heights) // 2]     # the median: digits and brackets come from fonts of other heights
        x0, x1 = line[0].x0, line[-1].x1
        indented = x0 > left + 0.8 * size
        new = (self.open is None or indented or self.prev_line is None
               or (self.prev_line[0] < self.prev_line[1] - 1.5 * size and self.open[-1][-1] in _SENTENCE_END)
               or _HEADING_START.match(text) or self._heading_open()
               or (self.prev_line[2] is not None and self.prev_line[2] - line[0].y1 > 1.2 * size))
        if new:
            self.end_paragraph()
            self.open, self.open_where = [text], where
        else:
            if self.open[-1][-1:].isascii() and self.open[-1][-1:].isalnum() and text[:1].isascii() \
                    and text[:1].isalnum():
                self.open.append(" ")
            self.open.append(text)
        self.prev_line = (x1, right, line[0].y0)

    def _heading_open(self) -> bool:
        """The open paragraph is one heading line ("五、存在的主要问题及改进情况", "（一）主动公开"): end it."""
        return len(self.open) == 1 and len(self.open[0]) <= 30 and bool(_HEADING_START.match(self.open[0])) \
            and not any(p in self.open[0] for p in "。；")

    def table(self, page: int, grid: Grid, chars: list[_Char]) -> None:
        self.tables += 1
        by_cell: dict[int, list[_Char]] = {}
        for c in chars:
            by_cell.setdefault(grid.cell(c), []).append(c)
        table = Table(where=Location(self.path, where=f"第{page}页 表{self.tables}"))
        rows: dict[int, list[tuple[int, Cell]]] = {}
        for root, (i, j) in sorted(grid.first.items(), key=lambda kv: kv[1]):
            inside = by_cell.get(root, [])
            text = " ".join(_line_text(ln) for ln in _lines(inside))
            alts = inside[0].alts if len(inside) == 1 and getattr(inside[0], "alts", None) else ()
            rows.setdefault(i, []).append(
                (j, Cell(text, Location(self.path, where=f"第{page}页 表{self.tables} 第{i + 1}行 第{j + 1}列"),
                         alts)))
        table.rows = [[cell for _, cell in rows[i]] for i in sorted(rows)]
        self.blocks.append(table)
