"""Plain text (and Markdown) -> blocks, in every layout seen in published reports copied out as text.

Tables come in three layouts: rows of cells separated by `|` (Markdown tables too), rows separated by
tabs, and one cell per line (each line starting with a tab, rows separated by blank lines, a label broken
over two lines continuing on the next line without a tab).  Everything else is a paragraph, one per line;
a paragraph broken in the middle of a word ("…政府信息公开工作" / "年度报告") is joined again.
"""
from __future__ import annotations

import re

from ..files import decode
from ..location import Location
from .blocks import Block, Cell, Paragraph, Table

_ARTIFACT = re.compile(r"\[bookmark: [^\]]*\]")      # left behind by Word-to-text converters
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s*")
_MD_RULE = re.compile(r"^\s*\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?\s*$")
_BOLD = re.compile(r"\*\*|__")
_ONE_CELL = re.compile(r"^\t[^\t]*$")
_MID_PUNCT = frozenset("，、（“《‘")
_END_PUNCT = "。！？；：…”’）)」』.!?;:"
_NUMBERED = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)]|[一二三四五六七八九十]+[、.．]|\d+\s*[、.．])")
_DATE_LINE = re.compile(r"^\s*(\d{4}|[〇零一二三四五六七八九○Ｏ]{4})\s*年.{1,6}月.{1,6}日\s*$")
_WORDISH = re.compile(r"[\w\u4e00-\u9fff]")
_PAGE_NUMBER = re.compile(r"^\s*(?:[-—–－]\s*\d{1,3}\s*[-—–－]|第\s*\d+\s*页(?:\s*[,，/]?\s*共\s*\d+\s*页)?)\s*$")


def text_file_blocks(data: bytes, path: str) -> list[Block]:
    """A text file's bytes, decoded (`files.decode`), cut into blocks."""
    return text_blocks(decode(data, path)[0], path)


def text_blocks(text: str, path: str) -> list[Block]:
    """Cut a report's text into paragraphs and tables (line numbers kept for messages)."""
    text = _ARTIFACT.sub("", text.replace("\r\n", "\n").replace("\r", "\n"))
    lines = text.split("\n")
    one_cell = sum(1 for ln in lines if _ONE_CELL.match(ln)) >= 20 and \
        sum(1 for ln in lines if ln.count("\t") >= 2) < 10
    blocks: list[Block] = []
    table: Table | None = None
    row: list[Cell] | None = None
    last_blank = True
    for n, raw in enumerate(lines, 1):
        where = Location(path, line=n)
        line = raw.rstrip(" \u3000\u00a0")
        if not line.strip():
            if one_cell and row:
                table.rows.append(row)
                row = None
            last_blank = True
            continue
        if _PAGE_NUMBER.match(line):
            continue                               # "- 3 -" left by copying out of a PDF
        cells = _split_row(line, one_cell)
        if cells is not None:
            if table is None:
                table = Table(where=where)
                blocks.append(table)
            if one_cell:
                row = row if row is not None else []
                row.append(Cell(_clean(cells[0]), where))
            elif not _MD_RULE.match(line):
                table.rows.append([Cell(_clean(c), where) for c in cells])
            last_blank = False
            continue
        if one_cell and row and not last_blank and len(line.strip()) <= 40:
            row[-1].text += _clean(line)          # a label broken over two lines
            continue
        if one_cell and row:
            table.rows.append(row)
            row = None
        table = None
        heading = bool(_MD_HEADING.match(line))
        body = _MD_HEADING.sub("", line)
        stripped = body.strip()
        if stripped.startswith(("**", "__")) and stripped.endswith(("**", "__")) and len(stripped) > 4 \
                and "**" not in stripped[2:-2]:
            heading = True
        body = _clean(_BOLD.sub("", body))
        if body:
            blocks.append(Paragraph(body, where, heading))
        last_blank = False
    if one_cell and row:
        table.rows.append(row)
    return join_broken(blocks)


def _split_row(line: str, one_cell: bool) -> list[str] | None:
    if one_cell:
        return [line[1:]] if _ONE_CELL.match(line) else None
    if "\t" in line.strip(" ") or (line.startswith("\t") and len(line) > 1):
        cells = line.split("\t")
        return cells if len(cells) >= 2 else None
    if line.count("|") >= 2 or (line.count("|") == 1 and not line.strip().startswith(("|",)) and
                                re.search(r"\|\s*$", line)):
        cells = line.split("|")
        if cells and not cells[0].strip() and line.lstrip().startswith("|"):
            cells = cells[1:]
        if cells and not cells[-1].strip():
            cells = cells[:-1]                     # the row's closing bar
        return cells
    return None


def _clean(text: str) -> str:
    return text.replace("\u00a0", " ").replace("\u3000", " ").strip()


def join_broken(blocks: list[Block]) -> list[Block]:
    """Join a paragraph with the next when a line break fell inside a word (not after a sentence or heading)."""
    out: list[Block] = []
    for b in blocks:
        prev = out[-1] if out else None
        if (isinstance(b, Paragraph) and isinstance(prev, Paragraph) and _open_end(prev.text)
                and not prev.heading and not b.heading and not _NUMBERED.match(b.text)
                and not (_NUMBERED.match(prev.text) and len(prev.text) <= 25) and not _DATE_LINE.match(b.text)
                and _WORDISH.match(b.text[0])):
            # a digit at the seam: keep the numbers apart ("…0 31" + "年" is a table row and a stray label);
            # the parser's tidy() removes the space again beside Chinese text
            seam = " " if prev.text[-1].isdigit() or b.text[0].isdigit() else ""
            prev.text += seam + b.text
            continue
        out.append(b)
    return out


def _open_end(text: str) -> bool:
    """The text stops mid-sentence: after a word (not a heading's last word) or a comma-like mark."""
    if not text:
        return False
    if text[-1] in _MID_PUNCT:
        return True
    return text[-1] not in _END_PUNCT and bool(_WORDISH.match(text[-1])) and \
        not text.endswith(("情况", "方面", "措施", "问题", "事项", "工作要点", "报告"))
