"""Make the subset fonts shipped in gip_author/fonts/ from the Debian font packages (re-runnable).

    apt-get install -y fonts-noto-cjk fonts-lxgw-wenkai texlive-lang-chinese
    python -m venv /tmp/fontvenv && /tmp/fontvenv/bin/pip install fonttools cffsubr
    /tmp/fontvenv/bin/python tools/make_fonts.py          # or: tools/make_fonts.py GipFang-Regular.otf

Each stand-in font is cut down with fontTools to the characters a report can need: every GB2312 character
(6,763 hanzi plus its symbols), ASCII, Latin-1, general and CJK punctuation, full-width forms.  The 宋体
stand-in keeps every GBK character beyond GB2312 and follows the first font of every CSS stack, so a rare
character in a name (e.g. 堃, 珺, 喆) is drawn in a face of the same style (never in 黑体); it also has the
characters of the tables' labels, for a template that sets the tables in 宋体.  The subsets are renamed ("GipFang" …): the OFL forbids a modified
font to keep a Reserved Font Name, and renaming keeps WeasyPrint from confusing them with system fonts.
CFF fonts are re-subroutinized with cffsubr when it is installed (FandolFang ships without subroutines:
-10%).  Writes fonts.json (what each file is, where it came from, its licence) beside the fonts.
"""
from __future__ import annotations

import json
import sys
from pathlib import Path

from fontTools import subset
from fontTools.ttLib import TTFont

OUT = Path(__file__).resolve().parent.parent / "gip_author" / "fonts"
NOTO = "/usr/share/fonts/opentype/noto"
FANDOL = "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"
WENKAI = "/usr/share/fonts/truetype/lxgw-wenkai"

#: file -> (family, role, source path, TTC index, character set, licence file)
FONTS = {
    "GipSerif-Bold.otf": ("GipSerif", "标题（方正小标宋简体）的替代：Noto Serif CJK SC Bold",
                          f"{NOTO}/NotoSerifCJK-Bold.ttc", 2, "gb2312", "OFL-NotoCJK.txt"),
    "GipSong-Regular.otf": ("GipSong", "页码（宋体）的替代，兼作全部字体的后备（GBK 中 GB2312 以外的全部汉字，"
                            "另含表格用字）：Noto Serif CJK SC",
                            f"{NOTO}/NotoSerifCJK-Regular.ttc", 2, "song", "OFL-NotoCJK.txt"),
    "GipHei-Regular.otf": ("GipHei", "一级标题（黑体）的替代：Noto Sans CJK SC",
                           f"{NOTO}/NotoSansCJK-Regular.ttc", 2, "gb2312", "OFL-NotoCJK.txt"),
    "GipKai-Regular.ttf": ("GipKai", "二级标题（楷体_GB2312）的替代：LXGW WenKai（霞鹜文楷）",
                           f"{WENKAI}/LXGWWenKai-Regular.ttf", 0, "gb2312", "OFL-LXGWWenKai.txt"),
    "GipFang-Regular.otf": ("GipFang", "正文（仿宋_GB2312）的替代：FandolFang",
                            f"{FANDOL}/FandolFang-Regular.otf", 0, "gb2312", "GPL-FandolFang.txt"),
}

LATIN = [*range(0x20, 0x7F), *range(0xA0, 0x100), *range(0x2010, 0x2030), 0x2030, 0x2032, 0x2033,
         0x203B, 0x2103, 0x2116, 0x2160, 0x2161, 0x2162, 0x2163, 0x2164, 0x2165, 0x2166, 0x2167, 0x2168,
         0x2169, 0x3000, 0x3001, 0x3002, 0xFF08, 0xFF09]
PUNCTUATION = [*range(0x2000, 0x2070), *range(0x3000, 0x3040), *range(0xFF00, 0xFFF0), *range(0x2460, 0x24A0),
               *range(0x2150, 0x2190), *range(0x3200, 0x3260)]


def _double_byte(encoding: str) -> set[int]:
    chars = set()
    for lead in range(0x81, 0xFF):
        for trail in range(0x40, 0xFF):
            try:
                text = bytes([lead, trail]).decode(encoding)
            except UnicodeDecodeError:
                continue
            if len(text) == 1 and text != "\ufffd":
                chars.add(ord(text))
    return chars


def _table_characters() -> set[int]:
    """Every character the tables can print: the labels in gip_author/cells.py, digits and marks."""
    source = (Path(__file__).resolve().parent.parent / "gip_author" / "cells.py").read_text(encoding="utf-8")
    return {ord(c) for c in source if ord(c) > 0x2E7F}


def charset(name: str) -> set[int]:
    base = set(range(0x20, 0x7F)) | set(range(0xA0, 0x100)) | set(PUNCTUATION)
    if name == "latin":
        return set(LATIN)
    if name == "song":       # the 宋体 of the tables, and the 宋体 every other font falls back to beyond GB2312
        return base | set(LATIN) | (_double_byte("gbk") - _double_byte("gb2312")) | _table_characters()
    return base | _double_byte(name)


def rename(font: TTFont, family: str, style: str) -> None:
    """New family names (OFL Reserved Font Names may not stay on a modified font); copyright kept."""
    ps = f"{family}-{style}"
    names = font["name"]
    for rec in list(names.names):
        if rec.nameID in (1, 2, 3, 4, 6, 16, 17, 18, 21, 22):
            names.removeNames(nameID=rec.nameID)
    for nid, text in ((1, family), (2, style), (3, f"gip-author:{ps}"), (4, f"{family} {style}"), (6, ps)):
        names.setName(text, nid, 3, 1, 0x409)
        names.setName(text, nid, 1, 0, 0)
    if "CFF " in font:
        cff = font["CFF "].cff
        cff.fontNames = [ps]
        top = cff.topDictIndex[0]
        for attr in ("FullName", "FamilyName"):
            if hasattr(top, attr):
                setattr(top, attr, family if attr == "FamilyName" else f"{family} {style}")


def make(file: str) -> None:
    family, role, src, index, chars, licence = FONTS[file]
    font = TTFont(src, fontNumber=index, recalcTimestamp=False)
    opts = subset.Options()
    opts.layout_features = ["*"] if chars == "latin" else ["ccmp", "locl", "kern", "vert", "vrt2"]
    opts.name_IDs = [0, 1, 2, 3, 4, 5, 6, 13, 14]
    opts.hinting = False          # PDFs do not need TrueType/CFF hints; saves a fifth of the size
    opts.notdef_outline = True
    opts.glyph_names = False
    opts.recalc_timestamp = False
    sub = subset.Subsetter(opts)
    wanted = charset(chars) & set(font.getBestCmap())
    sub.populate(unicodes=wanted)
    sub.subset(font)
    rename(font, family, file.split("-")[1].split(".")[0])
    if "CFF " in font:
        try:
            import cffsubr
        except ImportError:
            print("cffsubr not installed: fonts left as subset (a little larger)", file=sys.stderr)
        else:
            cffsubr.subroutinize(font)
    font["head"].modified = font["head"].created   # reproducible bytes
    # written aside and renamed: the folder's time changes, so Fontconfig's cache of it (which the PDF renderer
    # reads, see render/pdf.py) is rebuilt; a file rewritten in place would leave the cache describing the old one
    font.save(OUT / f".{file}.new")
    (OUT / f".{file}.new").replace(OUT / file)


def ranges(codepoints) -> list[list[int]]:
    """[[first, last], …] runs of consecutive code points: the coverage table the renderer checks."""
    out: list[list[int]] = []
    for cp in sorted(codepoints):
        if out and cp == out[-1][1] + 1:
            out[-1][1] = cp
        else:
            out.append([cp, cp])
    return out


def widths(cmap: dict, metrics: dict, upm: int) -> list[list[int]]:
    """[[code point, advance in 1/1000 em], …] of the characters not 1 em wide (the line breaker's metrics)."""
    return [[cp, round(metrics[g][0] * 1000 / upm)] for cp, g in sorted(cmap.items())
            if round(metrics[g][0] * 1000 / upm) != 1000]


def describe() -> list[dict]:
    """fonts.json: what each shipped file is, its licence, and the characters it has (for the coverage check)."""
    table = []
    for file, (family, role, src, index, chars, licence) in FONTS.items():
        path = OUT / file
        font = TTFont(path, lazy=True)
        cmap = font.getBestCmap()
        upm, metrics = font["head"].unitsPerEm, font["hmtx"].metrics
        table.append({"file": file, "family": family, "role": role, "source": src,
                      "source_index": index, "licence": licence, "characters": len(cmap),
                      "bytes": path.stat().st_size, "ranges": ranges(cmap),
                      "widths": widths(cmap, metrics, upm)})
    return table


def main() -> None:
    """Subset the fonts named on the command line (all by default; `--describe` only rewrites fonts.json)."""
    OUT.mkdir(parents=True, exist_ok=True)
    names = [a for a in sys.argv[1:] if a != "--describe"]
    if "--describe" not in sys.argv:
        for file in names or FONTS:
            make(file)
    table = describe()
    # the runs of a font on one line: the rest of the file stays readable
    text = json.dumps([{**row, "ranges": "@", "widths": "@"} for row in table], ensure_ascii=False, indent=1)
    for row in table:
        text = text.replace('"@"', json.dumps(row["ranges"], separators=(",", ":")), 1)
        text = text.replace('"@"', json.dumps(row["widths"], separators=(",", ":")), 1)
    (OUT / "fonts.json").write_text(text + "\n", encoding="utf-8")
    for row in table:
        print(f"{row['file']:22} {row['characters']:6} chars {row['bytes'] / 1e6:6.2f} MB")
    print(f"total {sum(p.stat().st_size for p in OUT.iterdir()) / 1e6:.2f} MB")


if __name__ == "__main__":
    main()
