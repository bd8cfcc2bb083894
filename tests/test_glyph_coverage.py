"""gip_author/glyph_coverage.py (the check path's compact copy of the fonts' coverage) agrees with fonts.json
and decides each character exactly as render/fonts.py (the PDF path, reading fonts.json) does."""
from __future__ import annotations

import unicodedata

from gip_author import glyph_coverage as G
from gip_author.render import fonts


def _gb2312(cp: int) -> bool:
    try:
        chr(cp).encode("gb2312")
    except UnicodeEncodeError:
        return False
    return True


def _derived() -> tuple[frozenset[str], tuple[tuple[int, int], ...]]:
    """BODY_EXTRA and COVERED_RUNS as fonts.json gives them."""
    body = next(f for f in fonts.font_table() if f["family"] == "GipFang")
    extra = frozenset(chr(cp) for a, b in body["ranges"] for cp in range(max(a, G.FIRST), b + 1) if not _gb2312(cp))
    runs: list[list[int]] = []
    for a, b in sorted((max(a, G.FIRST), b) for f in fonts.font_table() for a, b in f["ranges"] if b >= G.FIRST):
        if runs and a <= runs[-1][1] + 1:
            runs[-1][1] = max(runs[-1][1], b)
        else:
            runs.append([a, b])
    return extra, tuple((a, b) for a, b in runs)


def test_compact_tables_match_fonts_json():
    extra, runs = _derived()
    assert G.BODY_EXTRA == extra
    assert G.COVERED_RUNS == runs


def test_body_font_has_every_gb2312_character():
    # the fast path: a GB2312 text needs no look-up
    missing = [hex(cp) for cp in range(G.FIRST, 0x10000) if _gb2312(cp) and not fonts.has("GipFang", chr(cp))
               and not fonts.invisible(chr(cp))]
    assert missing == []


def test_each_character_decided_as_the_pdf_path_decides():
    for cp in range(G.FIRST, 0x30000):
        char = chr(cp)
        if unicodedata.category(char) == "Cs":
            continue
        old = not fonts.invisible(char) and not fonts.has("GipFang", char)
        assert G.beyond_body(char) == old, hex(cp)
        if old:
            assert G.covered(char) == fonts.covered(char), hex(cp)


def test_plain_texts():
    assert G.plain("2024年本机关共收到申请128件。")
    assert G.plain("ASCII only")
    assert G.plain("依申请公开——办理情况（é，≠）")   # below U+2E80 nothing is looked at
    assert not G.plain("——王堃")
    assert not G.plain("王堃")          # 堃 is beyond GB2312
    assert not G.plain("面积120㎡")     # ㎡ too


if __name__ == "__main__":   # print the tables from fonts.json, to paste into glyph_coverage.py after a font change
    extra, runs = _derived()
    print("BODY_EXTRA =", "".join(sorted(extra)).encode("unicode_escape").decode())
    print("COVERED_RUNS =", ", ".join(f"(0x{a:04X}, 0x{b:04X})" for a, b in runs))
