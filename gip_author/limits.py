"""The bounds every input is held to, and the errors and timer that enforce them.

A real report is < 100 pages, < 200,000 characters, its tables < 100 × 20 cells and its YAML ~10 KB; every
limit below is far above that, and far below what would exhaust the machine (the aim: < 500 MB and < 30 s
for any file of at most 64 MB).  Readers check them as the data streams in, not after: a zip member is
inflated with a running count, a PDF's compressed streams are inflated to the limit and no further, an HTML
table's spans are clamped to the table's real size.
"""
from __future__ import annotations

import contextlib
import threading
import time

from .problems import CannotRead

MB = 2**20

# --------------------------------------------------------------------------------------- files on disk
MAX_FILE_BYTES = 64 * MB          # any published file (PDF, DOCX, HTML) read by `import`, `check` or `audit`
MAX_TEXT_FILE_BYTES = 8 * MB      # a plain-text/Markdown report (a real one is < 1 MB)
MAX_YAML_BYTES = 2 * MB           # a report's YAML (a real one is ~10 KB)

# --------------------------------------------------------------------------------------- inside them
MAX_UNZIPPED_BYTES = 256 * MB     # all members of a DOCX together, inflated (images included)
MAX_XML_PART_BYTES = 32 * MB      # one XML part of a DOCX, inflated (document.xml of a real report: < 1 MB)
MAX_MARKUP_NODES = 1_000_000      # "<" in a DOCX's XML parts (a real report's: ~10,000)
MAX_HTML_TAGS = 300_000           # "<" in an HTML page (a real report's page: ~2,000–30,000); lxml and the
                                  # reader spend ~1 KB and ~40 µs on each element
MAX_INFLATED_BYTES = 256 * MB     # a PDF's compressed streams, inflated, all together
MAX_PDF_STREAM_BYTES = 64 * MB    # one PDF font or object stream, inflated (a full CJK font: ~20 MB)
MAX_PDF_CONTENT_BYTES = 4 * MB    # one page's content stream, inflated (a real page: < 0.5 MB)
MAX_PDF_CONTENTS_BYTES = 24 * MB  # all content streams together (a 100-page report: ~10 MB); PDFium makes an
                                  # object of every ~13 bytes of them, at ~300 bytes and ~10 µs each
MAX_PAGES = 2_000                 # pages of a PDF
MAX_PDF_OBJECTS = 500_000         # text and path objects of all pages (a real page: ~500; 100 pages: 50,000)
MAX_CHARS = 2_000_000             # characters of text in one file
MAX_TABLE_ROWS = 2_000            # rows of one table
MAX_TABLE_COLS = 100              # columns of one table (a span is clamped to these and to the rows left)
MAX_TABLE_CELLS = 50_000          # cells of all tables of one file
MAX_PARAGRAPHS = 20_000           # paragraphs of one file (a 100-page report: ~2,000); each is matched
                                  # against the section headings (~0.2 ms)

# --------------------------------------------------------------------------------------- values
MAX_COUNT = 10**9                 # a count or an amount in a table cell
MAX_AGENCY_CHARS = 100            # 机关 (the longest real names are ~40 characters)
MAX_TITLE_CHARS = 200             # 标题
MAX_FIELD_CHARS = 200_000         # one piece of narrative

# --------------------------------------------------------------------------------------- time
FILE_SECONDS = 30                 # one file in `audit` (read and check)
TEMPLATE_SECONDS = 10             # rendering an agency's own templates
TEMPLATE_OUTPUT_CHARS = 20 * MB   # the page an agency's template prints
TEMPLATE_LOOP_STEPS = 1_000_000   # items all `range()` calls of one render may give
TEMPLATE_BYTES = 1 * MB           # one template file


class TooBig(CannotRead):
    """An input past one of the limits above: not a report, or a hostile file."""


def too_big(path: str, what: str) -> TooBig:
    """The message for a file past a limit: what is too large, and what to do."""
    return TooBig(f"{path}：{what}，远超任何一份年度报告，可能已损坏或不是年度报告，未继续读取。请检查是否选错了文件。")


class TimeUp(BaseException):
    """Raised by `deadline` when the time is up; a BaseException so that no `except Exception` swallows it."""


@contextlib.contextmanager
def deadline(seconds: float):
    """Raise TimeUp in this block once `seconds` have passed (SIGALRM; a no-op off the main thread or where
    there is no setitimer).  Nests: an outer deadline that ends sooner still ends the inner block."""
    import signal   # here, not at the top: `check` of a YAML file never sets a deadline
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum, frame):
        raise TimeUp()

    start = time.monotonic()
    outer_left, _ = signal.getitimer(signal.ITIMER_REAL)
    old = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, min(seconds, outer_left) if outer_left else seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)
        if outer_left:   # the outer block's timer goes on with what it had left (at least a moment)
            signal.setitimer(signal.ITIMER_REAL, max(outer_left - (time.monotonic() - start), 0.001))
