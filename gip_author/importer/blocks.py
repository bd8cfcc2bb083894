"""The one intermediate form every format is read into: paragraphs and tables, in reading order.

A reader (text, HTML, DOCX, PDF) only has to cut its file into these blocks; `parse.py` does the rest.
A table's rows hold each cell once (a merged cell appears in the first row and column it covers), so a
number is never read twice; an empty cell is kept as "" because a blank where a number belongs must be
reported, not skipped.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from ..location import Location


@dataclass(slots=True)
class Cell:
    text: str
    where: Location
    alts: tuple[str, ...] = ()   # a scanned cell's readings by OCR, best first (ocr.py); the arithmetic chooses


@dataclass(slots=True)
class Paragraph:
    text: str
    where: Location
    heading: bool = False    # the markup says so (Markdown #, <h2>, a bold-only line, a Word heading style)


@dataclass(slots=True)
class Table:
    rows: list[list[Cell]] = field(default_factory=list)
    where: Location | None = None


Block = Paragraph | Table
