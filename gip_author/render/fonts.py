"""The fonts shipped for the PDF (gip_author/fonts/) and the check that they can draw every character.

WeasyPrint draws a character no font has as a blank or drops it without a word, so the PDF path checks the
report's text against the fonts' coverage (recorded in fonts.json by tools/make_fonts.py, verified by the
tests) before rendering, and names each missing character, where it is and what to do.
"""
from __future__ import annotations

import bisect
import json
import unicodedata
from functools import lru_cache
from importlib.resources import files
from pathlib import Path
from typing import TYPE_CHECKING

from ..problems import GipError

if TYPE_CHECKING:                   # the PDF worker imports this module and never the model
    from ..model import Report

#: CSS role -> font families, first choice first.  GipSong (a 宋体 with every GBK hanzi beyond GB2312) follows
#: each first choice, then the rest, so a rare character is drawn in a face of the body's style, never in 黑体.
ROLES = {
    "title": "GipSerif",
    "body": "GipFang",
    "heading": "GipHei",
    "subheading": "GipKai",
    "table": "GipFang",     # 仿宋, the same in the DOCX
    "folio": "GipSong",
}
FALLBACK = "GipSong"


class MissingGlyphs(GipError):
    """Characters that none of the shipped PDF fonts can draw."""


@lru_cache(maxsize=1)
def font_table() -> tuple[dict, ...]:
    return tuple(json.loads((files("gip_author.fonts") / "fonts.json").read_text(encoding="utf-8")))


def font_dir() -> Path:
    """The folder of the font files (a real folder: the package is installed unzipped)."""
    return Path(str(files("gip_author.fonts")))


def families(role: str) -> list[str]:
    """The fonts of a role, first choice first: its font, then the GBK fallback, then every other shipped font."""
    first = ROLES[role]
    rest = [f["family"] for f in font_table() if f["family"] not in (first, FALLBACK)]
    return list(dict.fromkeys([first, FALLBACK, *rest]))


def stack(role: str) -> str:
    """CSS font-family list for a role."""
    return ", ".join(families(role))


@lru_cache(maxsize=None)
def _font_metrics(family: str) -> tuple[tuple[list[int], list[int]], dict[int, int]]:
    """A font's coverage runs (starts, ends) and its advances that are not 1 em (per mille of the size)."""
    entry = next(f for f in font_table() if f["family"] == family)
    return ([a for a, _ in entry["ranges"]], [b for _, b in entry["ranges"]]), dict(map(tuple, entry["widths"]))


def _has(runs: tuple[list[int], list[int]], cp: int) -> bool:
    i = bisect.bisect_right(runs[0], cp) - 1
    return i >= 0 and cp <= runs[1][i]


@lru_cache(maxsize=None)
def _advancer(role: str):
    stack_metrics = [_font_metrics(f) for f in families(role)]

    @lru_cache(maxsize=None)
    def advance(char: str) -> float:
        cp = ord(char)
        for runs, widths in stack_metrics:
            if _has(runs, cp):
                return widths.get(cp, 1000) / 1000
        return 1.0
    return advance


def advance(char: str, role: str) -> float:
    """The advance of `char` in ems as the PDF draws it in `role`'s fonts (the first font that has it)."""
    return _advancer(role)(char)


@lru_cache(maxsize=1)
def _coverage() -> tuple[list[int], list[int]]:
    """The union of every font's code point runs, merged into disjoint sorted runs."""
    merged: list[list[int]] = []
    for a, b in sorted((a, b) for f in font_table() for a, b in f["ranges"]):
        if merged and a <= merged[-1][1] + 1:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([a, b])
    return [a for a, _ in merged], [b for _, b in merged]


def covered(char: str) -> bool:
    starts, ends = _coverage()
    i = bisect.bisect_right(starts, ord(char)) - 1
    return i >= 0 and ord(char) <= ends[i]


def has(family: str, char: str) -> bool:
    """Whether the shipped font `family` has a glyph for `char`."""
    return _has(_font_metrics(family)[0], ord(char))


def invisible(char: str) -> bool:
    return _invisible(char)


def _invisible(char: str) -> bool:
    # Spaces, line breaks and format characters (zero-width joiners, BOM) are laid out, not drawn.
    return char.isspace() or unicodedata.category(char) in ("Cc", "Cf")


def check_coverage(report: Report) -> None:
    """Raise MissingGlyphs naming every character the PDF fonts lack, with where it is written."""
    from ..report_texts import texts   # not at the top: the PDF worker imports this module, never the model
    missing: dict[str, tuple[str, str]] = {}
    for key, section, text in texts(report):
        for char in text or "":
            if char not in missing and not _invisible(char) and not covered(char):
                loc = report.where(key)
                missing[char] = (f"{loc}（{section}）" if loc else section, key)
    if not missing:
        return
    lines = [f"{where}：字符“{char}”（U+{ord(char):04X}）在随附的 PDF 字体中没有字形，印出来会是空白。"
             for char, (where, _) in missing.items()]
    lines.append("请改用规范汉字或常用符号（生僻字可改为同音常用字并加注说明，表情符号请删去），"
                 "或只生成不受影响的格式：--format docx,html。")
    raise MissingGlyphs("\n".join(lines))
