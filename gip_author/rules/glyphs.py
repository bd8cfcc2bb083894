"""Characters the fonts lack: one no shipped PDF font has (the PDF cannot be made), and one the body's 仿宋 lacks
(common in names and units: 堃, 喆, 珺, ㎡ …), which the PDF draws in the shipped 宋体 beside the 仿宋 and Word
draws in whatever font the reader's computer has.  Each is named once, with its line."""
from __future__ import annotations

from typing import Iterator

from ..glyph_coverage import FIRST, beyond_body, covered, plain
from ..model import Report
from ..problems import Problem
from ..report_texts import texts
from .registry import check_for, rule
from .text import text_where

NO_GLYPH = rule("text.no-glyph", "warning",
                "文字中有随附字体都没有的字符（生僻字、表情符号等）：生成 PDF 时会被拒绝（否则印成空白）",
                "a character no shipped font has (a rare ideograph, an emoji): the PDF build refuses it "
                "(it would print blank)")
RARE = rule("text.rare-char", "warning",
            "文字中有正文仿宋字体没有的字符（GB2312 以外的字，如人名中的“堃”“喆”“珺”、单位“㎡”）："
            "PDF 中用同风格的宋体印出，Word 中取决于电脑上的字体，请核对",
            "a character the body's 仿宋 lacks (beyond GB2312, e.g. 堃 喆 珺 in names, ㎡): the PDF draws it in "
            "the shipped 宋体, Word in whatever font the computer has; check it")


def _odd_characters(report: Report) -> Iterator[tuple[str, str, int, str, bool]]:
    """(key, text, offset, character, drawn by some shipped font) of each character the body font lacks,
    the first time it occurs.  A text of ASCII and GB2312 only (nearly all) is passed over whole."""
    seen: set[str] = set()
    for key, _, text in texts(report):
        if not text or plain(text):
            continue
        for i, char in enumerate(text):
            if char in seen or ord(char) < FIRST or not beyond_body(char):
                continue
            seen.add(char)
            yield key, text, i, char, covered(char)


@check_for(NO_GLYPH)
def no_glyph(report: Report, previous: Report | None) -> Iterator[Problem]:
    for key, text, i, char, drawn in _odd_characters(report):
        if not drawn:
            yield Problem.of(NO_GLYPH,
                             f"字符“{char}”（U+{ord(char):04X}）在随附的 PDF 字体中都没有，生成 PDF 时会被拒绝。"
                             "请改用规范汉字或常用符号（生僻字可改为同音常用字并加注说明，表情符号请删去）。",
                             f"no shipped font has '{char}' (U+{ord(char):04X}): the PDF build refuses it; use a "
                             "standard character.", text_where(report, key, text, i))


@check_for(RARE)
def rare_character(report: Report, previous: Report | None) -> Iterator[Problem]:
    for key, text, i, char, drawn in _odd_characters(report):
        if drawn:
            yield Problem.of(RARE,
                             f"字符“{char}”不在正文的仿宋字体（GB2312）中：PDF 中用宋体印出，Word 中取决于电脑上的字体。"
                             "请核对这个字（人名用字请保留）。",
                             f"the body's 仿宋 lacks '{char}': the PDF draws it in 宋体, Word in whatever font the "
                             "computer has; check it.", text_where(report, key, text, i))
