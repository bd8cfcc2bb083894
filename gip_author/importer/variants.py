"""The layouts real reports reach us in, described as data that the table reader (`tables.py`) consults.

Two kinds of variation are described here rather than coded as branches:

* **Spellings** (`SPELLINGS`): other ways a row's label is written — the 2019 template's words in a 2021
  table, short forms, what OCR and Traditional-to-Simplified conversion leave — tried after the official
  label of `cells.py`.  `GLOSSES` are marks inside words that a copy leaves (pinyin after a character).
* **Reading orders** (`READING_ORDERS`): how a table's numbers follow its labels in the text.  Each order is
  a function that, given a run of rows whose labels were found one after another and the value tokens found
  after each label, returns the values of every row of the run, or None when the text is not in that order.
  `choose` keeps the order that accounts for every number exactly; when two do and give different numbers,
  the one whose sums hold; when none does, or the sums cannot tell, the rows stay unread and are reported —
  a number is never moved to a row on a guess.  Before them, `under_headers` reads numbers that follow their
  column heading (plain pdftotext gives Table 2 column by column when its 第二十条 rows are set left, as in the
  official template and our PDF).
* **Labels for OCR** (`nearest_label`): a label cell read by OCR is snapped to the tables' own label it is
  clearly nearest to ("岗章" -> "规章").
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from difflib import SequenceMatcher
from functools import lru_cache
from typing import Callable, Sequence

from ..cells import fold

#: Row key ("t3.total", "t2.normative_docs") -> other spellings of its label, tried after the official one.
SPELLINGS: dict[str, tuple[str, ...]] = {
    "t3.total": ("七总计", "总计"),
    "t3.other_3": ("3其他", "其他"),
    "t3.granted": ("一予以公开",),
    "t3.partly_granted": ("二部分公开",),
    "t2.normative_docs": ("规范性文件",),          # the 2019 template's word, often kept in 2021 tables
}

#: Row key -> spellings that only the 2019 template uses (their presence is evidence of the old layout).
SPELLINGS_2019: dict[str, tuple[str, ...]] = {
    "t2.normative_docs": ("规范性文件",),
}

#: Pinyin glosses a copy leaves inside words: 規(guī)章 -> 規章.
GLOSSES = re.compile(r"[（(]\s*[a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]{1,7}\s*[）)]")

#: A note after a cell's number: 22（其中修订16件）, 55(含自然失效29件) -> the number alone.
NOTE_IN_CELL = re.compile(r"(?<=\d)\s*[（(](?=[^（）()]*[\u4e00-\u9fff])[^（）()]{1,40}[）)]")


def without_notes(text: str) -> str:
    """A cell's or line's text with glosses and notes after numbers removed."""
    if "(" not in text and "（" not in text:
        return text
    return NOTE_IN_CELL.sub("", GLOSSES.sub("", text))


@dataclass(frozen=True)
class ReadingOrder:
    name: str
    zh: str                      # what it looks like, for the docs
    read: Callable[[Sequence[int], Sequence[list]], list[list] | None]


def _content(tokens: list) -> list:
    return [t for t in tokens if t.kind != "blank"]


def rows_in_turn(widths: Sequence[int], vals: Sequence[list]) -> list[list] | None:
    """Each label followed by its own numbers (a real table, pdftotext -layout, pipes, one cell per line)."""
    return None      # the reader's own row-by-row assignment; listed for completeness of the table below


def labels_then_numbers(widths: Sequence[int], vals: Sequence[list]) -> list[list] | None:
    """The run's numbers in row order, wherever its labels fall: all the labels first, then every number
    (plain pdftotext writes Table 2 so), or a row's numbers before its label (a label cell centred on a tall
    merged cell comes after them).  Only when the numbers are exactly as many as the run's cells and come in
    whole rows: each label has none, or the numbers of whole rows, after it."""
    counts = [len(_content(v)) for v in vals]
    if len(widths) < 2 or sum(counts) != sum(widths):
        return None
    pure = not any(counts[:-1])
    if not pure and any(c % w for c, w in zip(counts, widths)):
        return None
    numbers = [t for v in vals for t in _content(v)]
    out, k = [], 0
    for w in widths:
        out.append(numbers[k:k + w])
        k += w
    return out


def labels_then_columns(widths: Sequence[int], vals: Sequence[list]) -> list[list] | None:
    """All the labels of a run first, then the numbers column by column (every row's first number, then every
    row's second …), as text copied out of some PDFs gives Table 3.  Rows of equal width only."""
    if len(widths) < 2 or len(set(widths)) != 1 or any(_content(v) for v in vals[:-1]):
        return None
    numbers = _content(vals[-1])
    rows, width = len(widths), widths[0]
    if len(numbers) != rows * width:
        return None
    return [[numbers[c * rows + r] for c in range(width)] for r in range(rows)]


READING_ORDERS: tuple[ReadingOrder, ...] = (
    ReadingOrder("rows", "每行标签后紧跟本行的数", rows_in_turn),
    ReadingOrder("labels-then-numbers", "先列出一组行标签，再按行依次列出这些行的数（PDF 按列复制出的文字）",
                 labels_then_numbers),
    ReadingOrder("labels-then-columns", "先列出一组行标签，再一列一列列出数（第一列各行的数，再第二列……）",
                 labels_then_columns),
)


def under_headers(columns: Sequence[tuple[str, ...]], tokens: list) -> list[list] | None:
    """The numbers under each column heading, given column by column (本年制发件数 0 0 本年废止件数 78 9128 …, as
    plain pdftotext writes Table 2): after each heading, the next rows that have that column take the numbers
    that follow it, in row order.  Only when every heading seen is one of the run's and every cell is filled."""
    queues: dict[str, list[tuple[int, int]]] = {}
    for r, cols in enumerate(columns):
        for c, label in enumerate(cols):
            queues.setdefault(fold(label), []).append((r, c))
    if len(queues) < 2 or not any(len(q) > 1 for q in queues.values()):
        return None
    out: list[list] = [[None] * len(cols) for cols in columns]
    current = None
    for t in tokens:
        if t.kind == "text":
            f = fold(t.value)
            at = max(((f.rfind(h[:6]), h) for h in queues), default=(-1, None))
            current = queues[at[1]] if at[0] >= 0 else current       # the heading nearest the numbers
        elif t.kind != "blank":
            if current is None or not current:
                return None
            r, c = current.pop(0)
            out[r][c] = t
    if any(v is None for row in out for v in row):
        return None
    return out


def choose(ids: Sequence[tuple[str, ...]], vals: Sequence[list], columns: Sequence[tuple[str, ...]] = (),
           tokens: list = ()) -> list[list] | None:
    """The values of a run of rows (their cell ids, the value tokens after each label) by the other reading
    orders: the numbers found under their column headings when the headings come between them; else the only
    order that accounts for every number exactly, or, when several do and give different numbers, the one
    whose sums hold (`sums.py`, at most 3 failing: one misprinted cell); else None."""
    from .sums import holding
    if columns and tokens:
        got = under_headers(columns, tokens)
        if got is not None:
            return got
    widths = [len(row) for row in ids]
    scored = []
    for order in READING_ORDERS[1:]:
        rows = order.read(widths, vals)
        if rows is not None:
            cells = {cid: t.value for row, toks in zip(ids, rows) for cid, t in zip(row, toks) if t.kind == "num"}
            good, bad = holding(cells)
            scored.append((good - bad, bad, cells, rows))
    if not scored:
        return None
    scored.sort(key=lambda s: -s[0])
    best = scored[0]
    others = [s for s in scored[1:] if s[2] != best[2]]
    if others and (best[1] > 3 or any(s[0] == best[0] for s in others)):
        return None
    return best[3]


def rejoined(ids: tuple[str, ...], vals: list) -> list | None:
    """A row with one number too many, as OCR'd text gives it when one number was split in two ("1 1" for 11):
    the two neighbouring whole numbers joined, when exactly one such joining makes the row's sum hold (rows with
    a sum only, `sums.py`); else None."""
    from .sums import BY_CELL, holding
    nums = [t for t in vals if t.kind != "blank"]
    if len(nums) != len(ids) + 1 or not all(cid in BY_CELL for cid in ids):
        return None
    found = []
    for k in range(len(nums) - 1):
        a, b = nums[k], nums[k + 1]
        if not (a.kind == b.kind == "num" and isinstance(a.value, int) and isinstance(b.value, int)) or b.value < 0:
            continue
        row = nums[:k] + [replace(a, value=int(f"{a.value}{b.value}"))] + nums[k + 2:]  # a stream Token
        good, bad = holding({cid: t.value for cid, t in zip(ids, row) if t.kind == "num"})
        if good and not bad:
            found.append(row)
    return found[0] if len(found) == 1 else None


# ------------------------------------------------------------------------------------------- OCR

@lru_cache(maxsize=1)
def _vocabulary() -> tuple[tuple[str, str], ...]:
    """(folded, as printed) for every label and heading the three tables print (from `cells.py`)."""
    from .. import cells as C
    words = [r.label for r in C.T2_ROWS] + [b for b, _ in C.T2_BLOCKS] + [lbl for _, lbl in C.T2_ART1_COLUMNS]
    words += [C.T2_BLOCKS[0][1], C.T2_DECISIONS, C.T2_FEES_LABEL, C.T3_CORNER, C.T3_APPLICANTS, C.T3_LEGAL_PERSONS,
              C.T3_RESULTS, *C.T3_SUBGROUPS, *(r.label for r in C.T3_ROWS), *(lbl for _, lbl in C.T3_COLUMNS),
              C.T4_REVIEW, C.T4_LITIGATION, *(lbl for _, lbl in C.T4_GROUPS), *(lbl for _, lbl in C.T4_COLUMNS)]
    return tuple(dict.fromkeys((fold(w), w) for w in words if fold(w)))


def nearest_label(text: str) -> str | None:
    """The table label an OCR reading of a label cell stands for ("岗章" -> "规章"), when one label is clearly
    nearer than any other; None when the reading is that label already or none is near enough."""
    folded = fold(text)
    if not folded:
        return None
    scored = []
    for key, label in _vocabulary():
        if key == folded:
            return None
        m = SequenceMatcher(None, folded, key, autojunk=False)
        if m.real_quick_ratio() >= 0.5 and m.quick_ratio() >= 0.5:
            scored.append((m.ratio(), label))
    scored.sort(reverse=True)
    if not scored:
        return None
    best, label = scored[0]
    need = 0.5 if len(folded) <= 3 else 0.6
    if best >= need and (len(scored) == 1 or best - scored[1][0] >= 0.1):
        return label
    return None
