"""The PDF's text on the GB/T 9704 grid: 28 characters a line in the 156 mm block, flush on both sides.

Every paragraph the PDF prints is broken into lines here (by `linebreak.grid_lines`, measuring each character
with the shipped fonts' advances) and each line is printed as its own block with the letter spacing that ends
it at the right edge.  WeasyPrint cannot do this itself: its `text-align: justify` stretches spaces only, so
Chinese lines stay ragged, and 28 characters of 16 pt do not fit 156 mm without the grid's tighter pitch.
The HTML page keeps ordinary paragraphs (a browser reflows them to the reader's window).
"""
from __future__ import annotations

import dataclasses
import math

from . import fonts
from .layout import Paragraph
from .linebreak import grid_lines, grid_pitch

MM = 72 / 25.4
WIDTH = 156 * MM            # the text block
CHARS = 28
SIZE = 16                   # 3号
PITCH = grid_pitch(WIDTH, CHARS, SIZE)   # 15.79 pt: 28 characters from edge to edge
LINE = 28.95                # 22 lines in 225 mm
TITLE_LINE = 36             # 2号 title lines (22 pt)


def _advance(char: str, role: str) -> float:
    return fonts.advance(char, role) * SIZE


def on_grid(p: Paragraph) -> Paragraph:
    """The paragraph with its lines decided."""
    runs = [(p.text, "subheading")] if p.heading else [(p.lead, "subheading"), (p.text, "body")]
    runs = [(t, r) for t, r in runs if t]
    if not runs:
        return p
    lines = grid_lines(runs, _advance, width=WIDTH, chars=CHARS, size=SIZE)
    return dataclasses.replace(p, lines=tuple(lines))


def set_document(doc: dict) -> None:
    """Break every paragraph of a template document (html.document) into grid lines, in place."""
    doc["intro"] = [on_grid(p) for p in doc["intro"]]
    doc["sections"] = [dataclasses.replace(s, parts=[dataclasses.replace(part, paragraphs=[on_grid(p) for p in
                                                                                          part.paragraphs])
                                                     for part in s.parts])
                       for s in doc["sections"]]


def context(title_lines: int) -> dict:
    """The grid's numbers for pdf.css: the title block is padded to whole lines of the grid plus one empty line,
    so the body below it stays on the grid."""
    title = title_lines * TITLE_LINE
    return {"width": round(WIDTH, 3), "pitch": round(PITCH, 4), "line": LINE, "indent": round(2 * PITCH, 3),
            "spacing": round(PITCH - SIZE, 4), "title_line": TITLE_LINE,
            "title_gap": round((math.ceil(title / LINE - 0.01) + 1) * LINE - title, 3)}
