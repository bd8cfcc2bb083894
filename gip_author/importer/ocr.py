"""Scanned pages (a picture, no text layer) -> the same characters and ruling lines a text PDF gives.

Offline and deterministic: the page is rendered by PDFium (pypdfium2) at its scan's own resolution, the
table's ruling lines are found in the pixels (long runs of dark pixels, numpy), and the grid they make is cut
into cells with the table code `pdf.py` uses (`grid.py`), so merged cells come out as in a text PDF.  Text is read by
Tesseract (Debian's `tesseract-ocr` and `tesseract-ocr-chi-sim`, run as a program: no network, no model
download): the cells of a page are pasted one under another into one strip and read in one run, in Chinese,
and the cells that hold a number are read again with a digits-only model, so each number has up to two
readings (`Cell.alts`, best first).  Which reading stands is decided afterwards by the table's arithmetic
(`arith.py`).  The page's other text (title, headings, narrative) is read with the tables blanked out.

Bounded: at most MAX_PAGES pages, each at most MAX_PIXELS, every Tesseract run with a time limit, two pages
at a time.
"""
from __future__ import annotations

import bisect
import io
import os
import re
import shutil
import subprocess
import threading
from concurrent.futures import ThreadPoolExecutor
from functools import lru_cache

from ..problems import CannotRead
from .grid import Char as OcrChar
from .grid import grids
from .scan import DARK as _DARK
from .scan import render, rulings
from .variants import nearest_label

MAX_PAGES = 40
TIMEOUT = 120                    # seconds, one Tesseract run
_GAP = 16                        # white pixels between two cells pasted into a strip
_SURE = 80                       # a digits-only reading this confident overrules a one-character Chinese one
_CJK = re.compile(r"[\u3400-\u9fff]")
_NUMBERISH = re.compile(r"^[0-9OoIl|.,，。·]+$")
_CONFUSED = str.maketrans({"O": "0", "o": "0", "I": "1", "l": "1", "|": "1", "，": ",", "。": ".", "·": "."})
_NUMBER = re.compile(r"^(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


# ------------------------------------------------------------------------------------------ the engine


@lru_cache(maxsize=1)
def _engine() -> str | None:
    """Why OCR cannot run here (in plain Chinese), or None when Tesseract and its Chinese model are there."""
    try:
        import numpy  # noqa: F401
    except ImportError:
        return "缺少 Python 组件 numpy（请运行 scripts/setup.sh，或 pip install 'gip-author[ocr]'）"
    exe = shutil.which("tesseract")
    if not exe:
        return ("本机没有安装文字识别程序 Tesseract（请运行 scripts/setup.sh，"
                "或 apt-get install tesseract-ocr tesseract-ocr-chi-sim）")
    try:
        langs = subprocess.run([exe, "--list-langs"], capture_output=True, text=True, timeout=30).stdout.split()
    except (OSError, subprocess.SubprocessError):
        return "文字识别程序 Tesseract 无法运行"
    if "chi_sim" not in langs:
        return "Tesseract 缺少简体中文模型（请 apt-get install tesseract-ocr-chi-sim）"
    if "eng" not in langs:
        return "Tesseract 缺少数字识别所需的英文模型（请 apt-get install tesseract-ocr-eng）"
    return None


def require(path: str, pages: int) -> None:
    why = _engine()
    if why:
        raise CannotRead(f"{path}：这是扫描件 PDF（每页是一张图片，没有文字层），需要文字识别才能读取，但{why}。"
                         "安装后再导入；或找到文字版 PDF、Word 或网页版。")
    if pages > MAX_PAGES:
        raise CannotRead(f"{path}：这是扫描件 PDF，共 {pages} 页需要文字识别，超过 {MAX_PAGES} 页的上限，"
                         "不像一份年度报告。请确认选对了文件。")


def _tesseract(image, lang: str, psm: int, *extra: str) -> list[tuple[int, int, int, int, int, float, str]]:
    """Words read from a PIL image: (line key, left, top, width, height, confidence, text)."""
    buf = io.BytesIO()
    image.save(buf, "PNG")
    env = dict(os.environ, OMP_THREAD_LIMIT="1")
    try:
        p = subprocess.run(["tesseract", "stdin", "stdout", "-l", lang, "--psm", str(psm), *extra, "tsv"],
                           input=buf.getvalue(), capture_output=True, env=env, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise CannotRead(f"文字识别超过 {TIMEOUT} 秒仍未完成，已停止。") from None
    words = []
    for line in p.stdout.decode("utf-8", "replace").splitlines()[1:]:
        f = line.split("\t")
        if len(f) == 12 and f[11].strip():
            key = int(f[2]) * 10**6 + int(f[3]) * 10**3 + int(f[4])
            words.append((key, int(f[6]), int(f[7]), int(f[8]), int(f[9]), float(f[10]), f[11].strip()))
    return words


# ------------------------------------------------------------------------------------------ reading a page


def read_pages(pdf, numbers: list[int]) -> dict[int, tuple[list[OcrChar], tuple[list, list]]]:
    """OCR the given pages (0-based) two at a time: page -> (pieces of text, ruling lines).  A page is rendered
    only when a worker takes it (PDFium is not thread-safe: one render at a time), so at most two pages'
    pixels are held at once."""
    lock = threading.Lock()

    def one(n: int):
        with lock:
            page = pdf[n]
            try:
                gray, scale = render(page)
            finally:
                page.close()
        return n, _read(gray, scale)

    workers = max(1, min(2, os.cpu_count() or 1, len(numbers)))
    with ThreadPoolExecutor(workers) as pool:
        return dict(pool.map(one, numbers))


def _read(gray, scale: float) -> tuple[list[OcrChar], tuple[list, list]]:
    hs, vs = rulings(gray, scale)
    tables = [g for g in grids(hs, vs) if g.x1 - g.x0 >= 60 and g.y1 - g.y0 >= 20]   # a table, not a glyph
    height = gray.shape[0]
    pieces: list[OcrChar] = []
    blank = gray.copy()
    for g in tables:
        pieces += _cells(gray, g, scale)
        top, bottom = int((height - g.y1 * scale)) - 4, int((height - g.y0 * scale)) + 5
        blank[max(top, 0):bottom, max(int(g.x0 * scale) - 4, 0):int(g.x1 * scale) + 5] = 255
    pieces += _text(blank, scale)
    return pieces, (hs, vs)


def _text(gray, scale: float) -> list[OcrChar]:
    """The words outside the tables, each with its box."""
    from PIL import Image
    if not (gray < _DARK).any():
        return []
    height = gray.shape[0]
    out = []
    for _, x, y, w, h, _, text in _tesseract(Image.fromarray(gray), "chi_sim", 6):
        if not text.strip("|_—-~ "):
            continue                                      # specks and leftovers of a ruling
        out.append(OcrChar(text, x / scale, (height - y - h) / scale, (x + w) / scale, (height - y) / scale))
    return out


def _cells(gray, grid, scale: float) -> list[OcrChar]:
    """One piece of text per non-blank cell of a table, placed at the cell's ink; numbers with their readings."""
    import numpy as np
    from PIL import Image
    height = gray.shape[0]
    boxes: dict[int, list[float]] = {}
    for k, root in enumerate(grid.cell_of):
        i, j = divmod(k, grid.cols)
        x0, x1, top, bottom = grid.xs[j], grid.xs[j + 1], grid.ys[i], grid.ys[i + 1]
        b = boxes.setdefault(root, [x0, x1, top, bottom])
        b[0], b[1], b[2], b[3] = min(b[0], x0), max(b[1], x1), max(b[2], top), min(b[3], bottom)
    inset = max(3, round(2 * scale))
    crops, places = [], []
    for x0, x1, top, bottom in boxes.values():
        px0, px1 = int(x0 * scale) + inset, int(x1 * scale) - inset
        py0, py1 = int(height - top * scale) + inset, int(height - bottom * scale) - inset
        if px1 <= px0 or py1 <= py0:
            continue
        crop = gray[py0:py1, px0:px1]
        ink = crop < _DARK
        if ink.sum() < 4:
            continue                                      # a blank cell: pdf.py's reader sees no text there
        ys, xs = np.nonzero(ink.any(1))[0], np.nonzero(ink.any(0))[0]
        crops.append(crop[ys[0]:ys[-1] + 1, xs[0]:xs[-1] + 1])
        places.append((px0 + xs[0], py0 + ys[0], px0 + xs[-1] + 1, py0 + ys[-1] + 1))
    if not crops:
        return []
    strip, spans = _strip(crops)
    chinese = [t for t, _ in _by_span(_tesseract(Image.fromarray(strip), "chi_sim", 6), spans)]
    # a number, or a digit the Chinese model took for a character ("1" as "又"): read again, digits only
    maybe = [k for k, t in enumerate(chinese) if not _CJK.search(t) or len(t.replace(" ", "")) <= 2]
    digits: dict[int, tuple[str, float]] = {}
    if maybe:
        strip2, spans2 = _strip([crops[k] for k in maybe])
        read = _by_span(_tesseract(Image.fromarray(strip2), "eng", 7 if len(maybe) == 1 else 6,
                                   "-c", "tessedit_char_whitelist=0123456789.,"), spans2, sep="")
        digits = dict(zip(maybe, read))
    out = []
    for k, (x0, y0, x1, y1) in enumerate(places):
        text, alts = chinese[k], ()
        if k in digits and (not _CJK.search(text) or digits[k][1] >= _SURE):
            alts = _readings(digits[k][0], text)
            text = alts[0] if alts else text
        elif _CJK.search(text):
            text = nearest_label(text) or text             # "岗章" -> "规章": the tables' own labels
        out.append(OcrChar(text, x0 / scale, (height - y1) / scale, x1 / scale, (height - y0) / scale, alts))
    return out


def _readings(digits: str, chinese: str) -> tuple[str, ...]:
    """The distinct numbers a cell was read as, the digits-only reading first."""
    found = []
    for t in (digits, chinese.replace(" ", "").translate(_CONFUSED)):
        t = t.strip(".,")
        if _NUMBER.match(t) and t not in found:
            found.append(t)
    return tuple(found) or (("?",) if _NUMBERISH.match(chinese.replace(" ", "")) else ())


def _strip(crops: list):
    """Crops pasted one under another on white, each on its own line: the image and each crop's rows."""
    import numpy as np
    width = max(c.shape[1] for c in crops) + 2 * _GAP
    height = sum(c.shape[0] + _GAP for c in crops) + _GAP
    canvas = np.full((height, width), 255, np.uint8)
    spans, y = [], _GAP
    for c in crops:
        canvas[y:y + c.shape[0], _GAP:_GAP + c.shape[1]] = c
        spans.append((y, y + c.shape[0]))
        y += c.shape[0] + _GAP
    return canvas, spans


def _by_span(words, spans, sep: str = " ") -> list[tuple[str, float]]:
    """The text of each crop (its words, line by line as Tesseract found them, left to right) and the
    lowest confidence among them (0–100; -1 when nothing was read)."""
    lines: dict[int, list] = {}
    for key, x, y, w, h, conf, text in words:
        lines.setdefault(key, []).append((x, y, h, conf, text))
    texts: list[list[tuple[int, str]]] = [[] for _ in spans]
    confs: list[list[float]] = [[] for _ in spans]
    starts = [a for a, _ in spans]
    for ws in lines.values():
        ws.sort()
        cy = sum(y + h / 2 for _, y, h, _, _ in ws) / len(ws)
        k = bisect.bisect_right(starts, cy + _GAP / 2) - 1
        if 0 <= k < len(spans) and cy <= spans[k][1] + _GAP / 2:
            texts[k].append((min(y for _, y, _, _, _ in ws), sep.join(t for *_, t in ws)))
            confs[k] += [c for _, _, _, c, _ in ws]
    return [(sep.join(t for _, t in sorted(parts)), min(c, default=-1.0)) for parts, c in zip(texts, confs)]
