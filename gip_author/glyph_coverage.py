"""Which characters the shipped fonts draw, compact, for `gip-author check` (no font table, no render imports).

Facts from gip_author/fonts/fonts.json (tests/test_glyph_coverage.py derives them again and compares, so a
font change that breaks them fails the tests; print new values with `python tests/test_glyph_coverage.py`):
- the body's 仿宋 (GipFang) has every GB2312 character from U+2E80 on, plus BODY_EXTRA;
- from U+2E80 on, the fonts together draw exactly the code points of COVERED_RUNS.
Characters below U+2E80 (Latin, digits, punctuation) are not looked at by the glyph rules.
"""
from __future__ import annotations

import bisect
import codecs
import unicodedata

FIRST = 0x2E80          # CJK radicals onwards: below this the glyph rules look at nothing

#: Characters from U+2E80 on that GipFang has beyond GB2312.
BODY_EXTRA = frozenset("\u3007\u303e")

#: (first, last) code point runs, from U+2E80 on, that some shipped font draws.
COVERED_RUNS = (
    (0x3000, 0x303F), (0x3041, 0x3093), (0x309B, 0x309E), (0x30A1, 0x30F6), (0x30FB, 0x30FE), (0x3105, 0x3129),
    (0x3200, 0x321E), (0x3220, 0x325F), (0x32A3, 0x32A3), (0x338E, 0x338F), (0x339C, 0x339E), (0x33A1, 0x33A1),
    (0x33C4, 0x33C4), (0x33CE, 0x33CE), (0x33D1, 0x33D2), (0x33D5, 0x33D5), (0x4E00, 0x9FA5), (0xF92C, 0xF92C),
    (0xF979, 0xF979), (0xF995, 0xF995), (0xF9E7, 0xF9E7), (0xF9F1, 0xF9F1), (0xFA0C, 0xFA0F), (0xFA11, 0xFA11),
    (0xFA13, 0xFA14), (0xFA18, 0xFA18), (0xFA1F, 0xFA21), (0xFA23, 0xFA24), (0xFA27, 0xFA29), (0xFE30, 0xFE31),
    (0xFE33, 0xFE44), (0xFE49, 0xFE52), (0xFE54, 0xFE57), (0xFE59, 0xFE66), (0xFE68, 0xFE6B), (0xFF01, 0xFFBE),
    (0xFFC2, 0xFFC7), (0xFFCA, 0xFFCF), (0xFFD2, 0xFFD7), (0xFFDA, 0xFFDC), (0xFFE0, 0xFFE6), (0xFFE8, 0xFFEE),
)
_STARTS = [a for a, _ in COVERED_RUNS]


def _skip_below_first(e: UnicodeEncodeError) -> tuple[str, int]:
    """Encoding error handler: characters below U+2E80 (an em dash, a Latin letter) are not the rules' business."""
    if all(ord(c) < FIRST for c in e.object[e.start:e.end]):
        return "", e.end
    raise e


codecs.register_error("gip-below-cjk", _skip_below_first)


def plain(text: str) -> bool:
    """Whether every character of `text` from U+2E80 on is in GB2312, so the body font draws it: fast."""
    if text.isascii():
        return True
    try:
        text.encode("gb2312", "gip-below-cjk")
    except UnicodeEncodeError:
        return False
    return True


def beyond_body(char: str) -> bool:
    """Whether `char` (from U+2E80 on) is a drawn character the body's 仿宋 lacks."""
    if char in BODY_EXTRA or char.isspace() or unicodedata.category(char) in ("Cc", "Cf"):
        return False
    try:
        char.encode("gb2312")
    except UnicodeEncodeError:
        return True
    return False


def covered(char: str) -> bool:
    """Whether some shipped font draws `char` (from U+2E80 on)."""
    cp = ord(char)
    i = bisect.bisect_right(_STARTS, cp) - 1
    return i >= 0 and cp <= COVERED_RUNS[i][1]
