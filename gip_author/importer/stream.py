"""The cells of Tables 2–4 (or the words of lines) as one stream of tokens over one folded text.

Text, numbers, blanks (an empty cell) and dashes ("—", "/") become tokens; the text tokens, folded
(`cells.fold`, notes and glosses removed), are concatenated into one string `S`, and every token knows its
place in `S`.  `tables.py` finds each row's label in `S` and takes the tokens placed after it.
"""
from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from ..cells import fold
from ..location import Location
from .blocks import Block, Paragraph, Table
from .variants import without_notes

_NUM = re.compile(r"^[+\-−]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")
_DASHES = frozenset({"—", "-", "－", "–", "/", "／", "\\", "——", "--", "—/", "无", "空", "×", "/-", "-/"})


def number(text: str) -> int | Decimal | None:
    """A cell's text as a number ("1,234", "３", "12.5"), or None when it is not one."""
    text = unicodedata.normalize("NFKC", text).strip().replace(",", "").replace("−", "-").lstrip("+")
    if not _NUM.match(text):
        return None
    return Decimal(text) if "." in text else int(text)


@dataclass(slots=True)
class Token:
    kind: str            # "text" | "num" | "blank" | "dash"
    pos: int             # where it sits in the folded text S
    value: object        # the number, or the raw text
    where: Location


class Stream:
    """Tokens of the tables (or lines) of a part of the document, and the folded text S they sit in."""

    def __init__(self) -> None:
        self.tokens: list[Token] = []
        self._parts: list[str] = []
        self.length = 0
        self.block_pos: list[int] = []      # S position at the start of each block added
        self._text_pos: list[int] = []
        self._text_tok: list[Token] = []

    @property
    def text(self) -> str:
        if len(self._parts) != 1:
            self._parts = ["".join(self._parts)]
        return self._parts[0]

    def add_text(self, text: str, where: Location) -> None:
        folded = fold(without_notes(text))
        if folded:
            tok = Token("text", self.length, text, where)
            self.tokens.append(tok)
            self._text_pos.append(self.length)
            self._text_tok.append(tok)
            self._parts.append(folded)
            self.length += len(folded)

    def add_value(self, kind: str, value: object, where: Location) -> None:
        self.tokens.append(Token(kind, self.length, value, where))

    def add_cell(self, text: str, where: Location) -> None:
        """A table cell: all numbers -> numbers; empty -> a blank; a dash -> a dash; else text."""
        stripped = without_notes(text).strip()
        pieces = stripped.split()
        if not pieces:
            self.add_value("blank", None, where)
        elif all(_NUM.match(unicodedata.normalize("NFKC", p)) for p in pieces):
            for p in pieces:
                self.add_value("num", number(p), where)
        elif stripped in _DASHES:
            self.add_value("dash", stripped, where)
        else:
            self.add_text(stripped, where)

    def add_line(self, text: str, where: Location) -> None:
        """A line of text that may hold a row: each word on its own."""
        for p in without_notes(text).split():
            value = number(p)
            if value is not None:
                self.add_value("num", value, where)
            elif p in _DASHES:
                self.add_value("dash", p, where)
            else:
                self.add_text(p, where)

    def add_blocks(self, blocks: list[Block], tables_only: bool) -> None:
        for b in blocks:
            self.block_pos.append(self.length)
            if isinstance(b, Table):
                for row in b.rows:
                    for cell in row:
                        self.add_cell(cell.text, cell.where)
            elif not tables_only and isinstance(b, Paragraph):
                self.add_line(b.text, b.where)

    def find(self, patterns: tuple[str, ...], lo: int, hi: int) -> tuple[int, int] | None:
        s = self.text
        for p in patterns:
            i = s.find(p, lo, hi)
            if i >= 0:
                return i, i + len(p)
        return None

    def values(self, lo: int, hi: int) -> list[Token]:
        """Number, blank and dash tokens placed after S position lo and up to hi."""
        return [t for t in self.tokens if t.kind != "text" and lo < t.pos <= hi]

    def between(self, lo: int, hi: int) -> list[Token]:
        """Every token placed after S position lo and up to hi, with a text token that reaches past lo."""
        return [t for t in self.tokens if t.pos <= hi and (lo < t.pos or (
            t.kind == "text" and t.pos + len(fold(without_notes(t.value))) > lo))]

    def where_at(self, pos: int) -> Location | None:
        i = bisect.bisect_right(self._text_pos, pos) - 1
        return self._text_tok[i].where if i >= 0 else (self.tokens[0].where if self.tokens else None)
