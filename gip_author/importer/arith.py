"""The tables' arithmetic as an error-correcting check over numbers read by OCR.

Tables 3 and 4 are bound by 42 equations (each row's 总计, （七）总计 of every column, the 勾稽 balance of every
column, each Table 4 group's 总计).  A scanned cell may have two readings (`Cell.alts`: the digits-only OCR
and the Chinese OCR, `ocr.py`).  `settle` keeps the first reading where every equation holds; where one
fails, it takes the other reading of a cell when that, and only that, makes the cell's equations hold; a cell
it still cannot vouch for is left empty with a located note saying what was read.  It never computes a
number from the others: a value always comes from what was read on the page.  Every number read by OCR is
flagged for confirmation (`import.ocr`).
"""
from __future__ import annotations

import re
from collections import Counter
from itertools import combinations, product

from .. import cells as C
from ..location import Location
from ..problems import Problem
from .blocks import Block, Table
from .notes import OCR, OCR_CORRECTED, UNREADABLE_CELL, Notes
from .sums import BY_CELL, EQUATIONS, holds
from .stream import number


_PAGE = re.compile(r"第(\d+)页")


def settle(report, blocks: list[Block]) -> None:
    """Check, choose among and flag the numbers of `report` read by OCR (in place; notes appended)."""
    alts_at = {c.where: c.alts for b in blocks if isinstance(b, Table) for row in b.rows for c in row if c.alts}
    scanned = getattr(blocks, "ocr_pages", [])
    if not alts_at:
        if scanned:                                  # a scan whose tables had no ruling lines to find
            report.load_problems = [Problem.of(
                OCR, f"这是扫描件（图片），第 {_pages(scanned)} 页的文字由文字识别（OCR）读出。没有找到表格线，"
                "表格中的数是从整页文字中识别的，没有经过逐格核对，请对照原件逐一确认每个数和文字。",
                f"a scan (pages {_pages(scanned)} read by OCR); no table rulings found, so the numbers were read "
                "from the page's text unchecked: confirm every one.",
                Location(report.source or "", where=f"第{scanned[0]}页")), *report.load_problems]
        return
    pages = sorted({int(m.group(1)) for loc in alts_at if (m := _PAGE.match(loc.where or ""))})
    read = {cid: alts_at[loc] for cid, loc in report.locations.items() if loc in alts_at and cid in C.CELL_LABELS}
    notes = Notes()
    cells = report.cells
    options = {cid: [v for v in map(number, alts) if v is not None] for cid, alts in read.items()}
    for cid, values in options.items():
        if cells.get(cid) is None and values:       # read as "?" first: the table reader left it empty
            cells[cid] = values[0]
    for cid, old, value in _correct(cells, options):
        notes.add(OCR_CORRECTED, f"{C.CELL_LABELS[cid]}：文字识别有两种读法（{_show(read[cid])}），"
                  f"按表内合计关系取 {value}（另一读法 {old} 使合计不符），请对照原件确认。",
                  f"{cid}: OCR read {old} or {value}; the table's sums take {value}.",
                  report.locations.get(cid), expected=value, actual=old)
    broken = [i for i in range(len(EQUATIONS)) if holds(cells, i) is False]
    doubtful = {cid: next(EQUATIONS[i][0] for i in broken if cid in EQUATIONS[i][1] + EQUATIONS[i][2])
                for cid in _suspects(broken, read, options)}
    for cid in sorted(set(read) - set(BY_CELL)):
        if len(options[cid]) > 1:                    # no sum to decide between two readings (Table 2)
            doubtful[cid] = None
    for cid in sorted(doubtful, key=C.CELL_IDS.index):
        eq = doubtful[cid]
        why = f"与表内合计关系（{eq}）不符" if eq else "两种读法不一致，表内没有合计可以核对"
        notes.add(UNREADABLE_CELL, f"{C.CELL_LABELS[cid]}：文字识别读作 {_show(read[cid])}，{why}，无法确定。"
                  "已留空（不当作 0），请对照原件填写。",
                  f"{cid}: OCR read {_show(read[cid])}, which the table's sums do not bear out; left empty.",
                  report.locations.get(cid), actual=_show(read[cid]))
        cells[cid] = None
    kept = sum(1 for cid in read if cells.get(cid) is not None)
    if read:
        shown = _pages(pages)
        notes.insert(0, Problem.of(
            OCR, f"这是扫描件（图片），表格中的 {kept} 个数（第 {shown} 页）和文字都由文字识别（OCR）读出"
            f"{'，表三、表四的合计关系都已核对相符' if not doubtful and _all_hold(cells) else ''}。"
            "文字识别可能认错字，请对照原件逐一确认这些数和文字。",
            f"a scan: its text and the {kept} numbers of its tables (pages {shown}) were read by OCR: confirm them.",
            Location(report.source or "", where=f"第{pages[0]}页" if pages else None)))
    report.load_problems = [*report.load_problems, *notes]


def _correct(cells: dict, options: dict) -> list[tuple[str, object, object]]:
    """Other readings taken where, and only where, they make a broken sum hold: for each broken equation, the
    fewest cells (up to 3) whose other readings make every sum they are in hold, when that set is unique."""
    done: list[tuple[str, object, object]] = []
    changed = True
    while changed:
        changed = False
        for i in range(len(EQUATIONS)):
            if holds(cells, i) is not False:
                continue
            _, plus, minus = EQUATIONS[i]
            cands = [c for c in plus + minus if len(options.get(c, ())) > 1 and cells.get(c) == options[c][0]]
            hits = []
            for size in range(1, min(3 if len(cands) <= 12 else 2, len(cands)) + 1):
                for combo in combinations(cands, size):
                    for values in product(*(options[c][1:] for c in combo)):
                        old = [cells[c] for c in combo]
                        for c, v in zip(combo, values):
                            cells[c] = v
                        if all(holds(cells, j) is not False for c in combo for j in BY_CELL[c]):
                            hits.append(tuple(zip(combo, old, values)))
                        for c, v in zip(combo, old):
                            cells[c] = v
                if hits:
                    break
            if len(hits) == 1:
                for c, old, value in hits[0]:
                    cells[c] = value
                    done.append((c, old, value))
                changed = True
    return done


def _suspects(broken: list[int], read: dict, options: dict) -> set[str]:
    """The OCR cells to leave empty because of broken sums: where two broken sums cross, those cells; else in
    each broken sum the cells OCR read two ways, or all its OCR cells when none was."""
    shared = Counter(c for i in broken for c in EQUATIONS[i][1] + EQUATIONS[i][2] if c in read)
    if shared and max(shared.values()) > 1:
        top = max(shared.values())
        return {c for c, n in shared.items() if n == top}
    out: set[str] = set()
    for i in broken:
        mine = [c for c in EQUATIONS[i][1] + EQUATIONS[i][2] if c in read]
        unsure = [c for c in mine if len(options.get(c, ())) > 1]
        out |= set(unsure or mine)
    return out


def _pages(pages: list[int]) -> str:
    return "、".join(map(str, pages[:6])) + ("等" if len(pages) > 6 else "")


def _all_hold(cells: dict) -> bool:
    return all(holds(cells, i) is True for i in range(len(EQUATIONS)))


def _show(alts: tuple[str, ...]) -> str:
    return " 或 ".join(f"“{a}”" for a in alts)
