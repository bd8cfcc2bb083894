"""Ruling lines -> tables: which lines touch (one table), the grid their positions make, and the merged cells.

A table is a cluster of thin ruling lines; its grid comes from the distinct line positions, and two grid cells
with no ruling between them are one merged cell.  Rulings come from a PDF's paths (`pdf.py`) or from a scanned
page's pixels (`ocr.py`); both then read the cells the same way.  A ruling is (position, from, to) in points.
"""
from __future__ import annotations

import bisect

TOL = 2.5         # positions this close are the same line


class Char:
    """A piece of text with its box in PDF points (y up): a glyph of a PDF page, or a word read from a scan with
    the other readings OCR gave for it (`alts`)."""

    __slots__ = ("ch", "x0", "x1", "y0", "y1", "alts")

    def __init__(self, ch, x0, y0, x1, y1, alts=()):
        self.ch, self.x0, self.y0, self.x1, self.y1, self.alts = ch, x0, y0, x1, y1, alts

    @property
    def cy(self) -> float:
        return (self.y0 + self.y1) / 2

    @property
    def h(self) -> float:
        return self.y1 - self.y0


class Grid:
    """One table: its ruling positions and the merged cells they make."""

    def __init__(self, hs: list, vs: list):
        self.ys = _cluster([h[0] for h in hs])[::-1]        # top to bottom
        self.xs = _cluster([v[0] for v in vs])
        self.hs, self.vs = hs, vs
        self.x0, self.x1 = self.xs[0], self.xs[-1]
        self.y0, self.y1 = self.ys[-1], self.ys[0]
        rows, cols = len(self.ys) - 1, len(self.xs) - 1
        parent = list(range(rows * cols))
        vspans = _spans(vs, self.xs)            # ruling position index -> the stretches it is drawn over
        hspans = _spans(hs, self.ys[::-1])
        hspans = {len(self.ys) - 1 - k: v for k, v in hspans.items()}

        for i in range(rows):
            ymid = (self.ys[i] + self.ys[i + 1]) / 2
            for j in range(cols - 1):
                if not _covered(vspans.get(j + 1, ()), ymid):
                    parent[_find(parent, i * cols + j + 1)] = _find(parent, i * cols + j)
        for j in range(cols):
            xmid = (self.xs[j] + self.xs[j + 1]) / 2
            for i in range(rows - 1):
                if not _covered(hspans.get(i + 1, ()), xmid):
                    parent[_find(parent, (i + 1) * cols + j)] = _find(parent, i * cols + j)
        self.cols = cols
        self.cell_of = [_find(parent, k) for k in range(rows * cols)]
        self.first: dict[int, tuple[int, int]] = {}
        for k in range(rows * cols):
            root = self.cell_of[k]
            if root not in self.first:
                self.first[root] = (k // cols, k % cols)

    def contains(self, c) -> bool:
        """Whether a character (anything with x0, x1 and cy) sits inside the table."""
        cx = (c.x0 + c.x1) / 2
        return self.x0 - 1 <= cx <= self.x1 + 1 and self.y0 - 1 <= c.cy <= self.y1 + 1

    def cell(self, c) -> int:
        """The merged cell a character sits in."""
        cx = (c.x0 + c.x1) / 2
        j = min(max(bisect.bisect_right(self.xs, cx) - 1, 0), self.cols - 1)
        neg = [-y for y in self.ys]
        i = min(max(bisect.bisect_right(neg, -c.cy) - 1, 0), len(self.ys) - 2)
        return self.cell_of[i * self.cols + j]


def _find(parent: list[int], a: int) -> int:
    """The representative of `a`'s group in a union-find forest (path halving)."""
    while parent[a] != a:
        parent[a] = parent[parent[a]]
        a = parent[a]
    return a


def _spans(segments: list, positions: list[float]) -> dict[int, list[tuple[float, float]]]:
    """Each ruling line filed under the index of its (clustered, ascending) position."""
    out: dict[int, list[tuple[float, float]]] = {}
    for at, lo, hi in segments:
        k = bisect.bisect_left(positions, at - TOL)
        if k < len(positions) and abs(positions[k] - at) <= TOL:
            out.setdefault(k, []).append((lo, hi))
    return out


def _covered(spans, mid: float) -> bool:
    return any(lo - TOL <= mid <= hi + TOL for lo, hi in spans)


def _cluster(values: list[float]) -> list[float]:
    out: list[float] = []
    for v in sorted(values):
        if out and v - out[-1] <= TOL:
            continue
        out.append(v)
    return out


def grids(hs: list, vs: list) -> list[Grid]:
    """Group ruling lines that touch into tables (each with at least 2 horizontal and 2 vertical lines)."""
    segs = [("h", *s) for s in hs] + [("v", *s) for s in vs]
    boxes = [(s[2] - TOL, s[1] - TOL, s[3] + TOL, s[1] + TOL) if s[0] == "h" else
             (s[1] - TOL, s[2] - TOL, s[1] + TOL, s[3] + TOL) for s in segs]
    parent = list(range(len(segs)))

    order = sorted(range(len(segs)), key=lambda k: boxes[k][0])
    for n, a in enumerate(order):
        ax0, ay0, ax1, ay1 = boxes[a]
        for b in order[n + 1:]:
            bx0, by0, bx1, by1 = boxes[b]
            if bx0 > ax1:
                break
            if by0 <= ay1 and ay0 <= by1:
                parent[_find(parent, b)] = _find(parent, a)
    groups: dict[int, tuple[list, list]] = {}
    for k, s in enumerate(segs):
        g = groups.setdefault(_find(parent, k), ([], []))
        (g[0] if s[0] == "h" else g[1]).append(s[1:])
    grids = []
    for h, v in groups.values():
        if len(_cluster([x[0] for x in h])) >= 2 and len(_cluster([x[0] for x in v])) >= 2:
            grids.append(Grid(h, v))
    return grids


# ------------------------------------------------------------------------------------------ lines
