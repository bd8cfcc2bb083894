"""A scanned page's pixels: rendered, cleaned (paper and specks to white, ink to black), straightened, and its
table's ruling lines found.

The page is rendered by PDFium at its scan's own resolution (150–220 dpi, MAX_PIXELS at most).  Grey paper,
JPEG noise would slow Tesseract down and mislead it: below Otsu's threshold is ink (keeping its greys, which
help Tesseract at 150 dpi), above it paper, made white (no smoothing: at 150 dpi a rule is one pixel wide).  A page scanned a little askew (up to 3°) is turned straight by the angle at which the rows
of ink line up best.  Ruling lines are long runs of ink (short breaks closed), thin, horizontal or vertical,
given in PDF points with y up as `pdf._rulings` gives them, so `grid.grids` makes the table.
"""
from __future__ import annotations

MAX_PIXELS = 12_000_000
DPI_MIN, DPI_MAX = 150, 220          # a finer scan is read at 220 dpi: as right, a quarter less work
DARK = 128                       # after cleaning, ink is 0 and paper 255
MAX_SKEW = 3.0                   # degrees


def render(page):
    """The page as a clean, straight black-on-white numpy array, and its scale (pixels per PDF point)."""
    import numpy as np
    import pypdfium2.raw as raw
    w_pt, h_pt = page.get_size()
    dpi = DPI_MIN
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_IMAGE], max_depth=3):
        try:
            px_w, _ = obj.get_px_size()
            x0, _, x1, _ = obj.get_bounds()
        except Exception:  # noqa: BLE001 - an image PDFium cannot measure: keep the default
            continue
        if x1 - x0 > 0.5 * w_pt:
            dpi = max(dpi, px_w / (x1 - x0) * 72)
    dpi = min(max(dpi, DPI_MIN), DPI_MAX)
    scale = dpi / 72
    if w_pt * h_pt * scale * scale > MAX_PIXELS:
        scale = (MAX_PIXELS / (w_pt * h_pt)) ** 0.5
    gray = np.asarray(page.render(scale=scale, grayscale=True).to_pil().convert("L"))
    threshold = _otsu(gray)
    clean = np.where(gray < threshold, gray, 255).astype(np.uint8)      # paper white, ink keeps its greys
    angle = _skew(gray < threshold)
    if abs(angle) >= 0.05:
        from PIL import Image
        clean = np.asarray(Image.fromarray(clean).rotate(angle, resample=Image.BILINEAR, fillcolor=255))
    # ink is what is darker than the threshold, on a scale where DARK separates them
    return np.where(clean < threshold, np.minimum(clean, DARK - 1), 255).astype(np.uint8), scale


def _otsu(gray) -> int:
    """The grey level that best separates ink from paper (Otsu), never above 200."""
    import numpy as np
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    levels = np.arange(256)
    w0 = np.cumsum(hist)
    m0 = np.cumsum(hist * levels)
    w1 = total - w0
    mean = m0[-1]
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mean * w0 / total - m0) ** 2 / (w0 * w1)
    between = np.nan_to_num(between[:-1])
    return int(min(np.argmax(between) + 1, 200)) if between.any() else 128


def _skew(ink) -> float:
    """The angle (degrees, counter-clockwise) that makes the rows of ink most horizontal: the sharpest
    profile of row sums, first in steps of 0.25° on a quarter-size page, then of 0.05°."""
    import numpy as np
    from PIL import Image
    small = Image.fromarray(np.where(ink, 255, 0).astype(np.uint8)).reduce(4)

    def sharpness(angle: float) -> float:
        rows = np.asarray(small.rotate(angle, resample=Image.BILINEAR), dtype=np.float64).sum(axis=1)
        return float(np.square(np.diff(rows)).sum())

    best = max((a / 4 for a in range(int(-MAX_SKEW * 4), int(MAX_SKEW * 4) + 1)), key=sharpness)
    return max((best + a / 20 for a in range(-5, 6)), key=sharpness)


def _runs(mask, min_len: int) -> list[tuple[int, int, int]]:
    """Runs of ink along each row of `mask` at least min_len long: (row, start, end)."""
    import numpy as np
    pad = np.zeros((mask.shape[0], 1), np.int8)
    d = np.diff(np.concatenate([pad, mask.astype(np.int8), pad], axis=1), axis=1)
    rows, starts = np.nonzero(d == 1)
    _, ends = np.nonzero(d == -1)
    keep = (ends - starts) >= min_len
    return list(zip(rows[keep].tolist(), starts[keep].tolist(), ends[keep].tolist()))


def _segments(runs: list[tuple[int, int, int]], tol: int) -> list[list[int]]:
    """Runs on neighbouring rows with the same ends joined into one line: [first row, last row, start, end]."""
    segs: list[list[int]] = []
    open_: list[list[int]] = []
    for r, a, b in sorted(runs):
        open_ = [s for s in open_ if s[1] >= r - 1]
        for s in open_:
            if s[1] == r - 1 and abs(s[2] - a) <= tol and abs(s[3] - b) <= tol:
                s[1], s[2], s[3] = r, min(s[2], a), max(s[3], b)
                break
        else:
            s = [r, r, a, b]
            segs.append(s)
            open_.append(s)
    return [s for s in segs if s[1] - s[0] <= tol]          # thicker than a rule: a block of ink, not a line


def _closed(ink, gap: int):
    """Ink with breaks of up to `gap` pixels along each row filled (a scanned rule is often broken)."""
    import numpy as np
    left = np.zeros_like(ink)
    right = np.zeros_like(ink)
    for d in range(1, gap + 1):
        left[:, d:] |= ink[:, :-d]
        right[:, :-d] |= ink[:, d:]
    return ink | (left & right)


def rulings(gray, scale: float) -> tuple[list, list]:
    """Horizontal (y, x0, x1) and vertical (x, y0, y1) ruling lines in PDF points, y up, as pdf._rulings."""
    ink = gray < DARK
    gap = max(1, round(0.6 * scale))
    height = gray.shape[0]
    tol = max(2, round(1.5 * scale))
    # 24 pt: longer than any stroke of a 22 pt (2号) title character, whose box-like strokes (某, 国) would
    # otherwise make a one-cell table; shorter than the narrowest table cell (Table 4's, ~29 pt)
    hs = [((height - (a + b + 1) / 2) / scale, x0 / scale, x1 / scale)
          for a, b, x0, x1 in _segments(_runs(_closed(ink, gap), round(24 * scale)), tol)]
    vs = [((a + b + 1) / 2 / scale, (height - y1) / scale, (height - y0) / scale)
          for a, b, y0, y1 in _segments(_runs(_closed(ink.T, gap), round(12 * scale)), tol)]
    return hs, vs


