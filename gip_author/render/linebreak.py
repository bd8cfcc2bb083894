"""Where lines break: the title by meaning (every renderer), body lines on the GB/T 9704 grid (the PDF).

`title_lines` is the one place that decides how a title wraps; DOCX, PDF and HTML all print its lines, so the
three formats break the title at the same place.  GB/T 9704 7.3.1 asks for 词意完整、排列对称: the break comes
after the agency's name (the year starts the next line); a name too long for one line breaks after one of its
unit words (市/区/县/人民政府/办公室 …); no line is left with one or two characters.

`grid_lines` sets a paragraph on the 28-characters-a-line grid, flush on both sides, the way Word's 两端对齐
with a document grid does.  It is needed because WeasyPrint's `text-align: justify` stretches only spaces
(U+0020/U+00A0), so Chinese lines, which have none, stay ragged; and because the grid's character pitch
(156 mm / 28 = 15.79 pt) is a little narrower than the 16 pt characters.  The breaker measures every character
with the advance widths of the font that draws it (given by the caller), obeys 避头尾 (no 。，、）》” … at the start
of a line, no （《“ at the end), never splits a run of digits or Latin letters, and gives each line the letter
spacing that makes it end exactly at the right edge; a paragraph's last line keeps the grid's own pitch.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Callable

#: May not begin a line (避头).
CLOSERS = frozenset("，。、；：？！）》」』】〕〉”’…·—%,.;:?!)]}'\"")
#: May not end a line (避尾).
OPENERS = frozenset("（《「『【〔〈“‘([{")
#: Where a too-long agency name may break: right after one of these (longest first).
UNIT_WORDS = ("人民政府", "办公室", "委员会", "自治区", "自治州", "自治县", "街道", "中心",
              "省", "市", "州", "盟", "区", "县", "旗", "镇", "乡", "局", "厅")

TITLE_EMS = 20            # 22 pt characters in the 156 mm block


def ems(text: str) -> float:
    """Width in ems: ideographs and full-width marks 1, anything else about half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.55 for c in text)


# ---------------------------------------------------------------------------------------------- titles

def _balanced(parts: list[str], width: float) -> list[str]:
    """Group consecutive `parts` into lines of at most `width` ems, the fewest lines, then the most even."""
    n = len(parts)
    best: dict[int, tuple] = {n: (0, 0.0, [])}     # from part i: (lines, sum of squared slack, groups)
    for i in range(n - 1, -1, -1):
        options = []
        for j in range(i + 1, n + 1):
            line = "".join(parts[i:j])
            if ems(line) > width and j > i + 1:
                break
            rest = best[j]
            options.append((rest[0] + 1, rest[1] + (width - ems(line)) ** 2, [line] + rest[2]))
        best[i] = min(options, key=lambda o: (o[0], o[1]))
    return best[0][2]


def _name_parts(name: str) -> list[str]:
    """The agency's name cut after each unit word (never leaving a piece of one or two characters alone)."""
    cuts = []
    i = 0
    while i < len(name):
        for word in UNIT_WORDS:
            if name.startswith(word, i):
                i += len(word)
                if 3 <= i <= len(name) - 3 or i == len(name):
                    cuts.append(i)
                break
        else:
            i += 1
    parts, start = [], 0
    for cut in cuts:
        parts.append(name[start:cut])
        start = cut
    if start < len(name):
        parts.append(name[start:])
    return [p for p in parts if p]


def _split_middle(text: str, width: float) -> list[str]:
    """A title with no agency to break after: before its year if it has one, else near the middle."""
    year = re.search(r"(19|20)\d{2}年", text)
    if year and 3 <= year.start() and ems(text[:year.start()]) <= width and ems(text[year.start():]) <= width:
        return [text[:year.start()], text[year.start():]]
    lines = []
    while ems(text) > width:
        n = max(3, min(len(text) - 3, round(len(text) / -(-ems(text) // width))))
        while 0 < n < len(text) and (text[n] in CLOSERS or text[n - 1] in OPENERS):
            n -= 1
        lines.append(text[:n])
        text = text[n:]
    return lines + [text]


def title_lines(title: str, agency: str = "", width: float = TITLE_EMS) -> list[str]:
    """The lines a title is set in (one line when it fits).

    Line breaks typed in the title (a YAML block scalar) are the breaks.  Otherwise a title that starts with
    the agency's name breaks right after it, the name itself after unit words if it is longer than a line.
    """
    typed = [line.strip() for line in title.splitlines() if line.strip()]
    if len(typed) > 1:
        return typed
    title = "".join(typed)
    if ems(title) <= width:
        return [title]
    if agency and title.startswith(agency) and len(title) - len(agency) >= 3:
        rest = title[len(agency):]
        head = [agency] if ems(agency) <= width else _balanced(_name_parts(agency), width)
        return head + (_split_middle(rest, width) if ems(rest) > width else [rest])
    return _split_middle(title, width)


# ---------------------------------------------------------------------------------------------- body grid

@dataclass(frozen=True)
class Line:
    """One line of a paragraph: its pieces of text (each in a font role), and the letter spacing in pt that
    makes it end at the right edge (the grid's own spacing for a paragraph's last line)."""
    runs: tuple[tuple[str, str], ...]
    spacing: float
    first: bool = False
    last: bool = False
    on_pitch: bool = False    # the spacing is the grid's own (the page's default: no need to state it)

    @property
    def text(self) -> str:
        return "".join(t for t, _ in self.runs)


#: A run of half-width letters, digits and their joiners: never split (unless longer than a line).
_WORD = re.compile(r"[0-9A-Za-z\u00C0-\u024F.,:/%@&_+\-]+")
#: Of any extra or missing room on a line, at most this much per gap is taken by squeezing a mark or a number
#: in rather than stretching the line without it.
MAX_SQUEEZE = 0.6


def _units(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    """Unbreakable pieces (text, role): one ideograph or mark, a Latin/digit word, or a space."""
    out = []
    for text, role in runs:
        text = re.sub(r"\s+", " ", text)
        i = 0
        while i < len(text):
            m = _WORD.match(text, i)
            if m:
                out.append((m.group(), role))
                i = m.end()
            else:
                out.append((text[i], role))
                i += 1
    return out


def grid_pitch(width: float, chars: int, size: float) -> float:
    """The grid's character pitch: `chars` ideographs of `size` from the left edge to the right edge."""
    return size + (width - chars * size) / (chars - 1)


def grid_lines(runs: list[tuple[str, str]], advance: Callable[[str, str], float], *, width: float,
               chars: int, size: float, indent_cells: int = 2) -> list[Line]:
    """Break a paragraph (pieces of text with their font role) into lines of the grid.

    `advance(char, role)` is a character's advance in pt at `size`; `width` the text block, which holds `chars`
    ideographs a line.  The first line is indented `indent_cells` cells.  Every line but the last gets the
    spacing that brings its last character to the right edge; at the grid's own spacing (grid_pitch - size)
    `chars` ideographs fill a line exactly.
    """
    pitch = grid_pitch(width, chars, size)
    base = pitch - size
    units = _units(runs)
    widths = [sum(advance(c, role) for c in text) for text, role in units]
    counts = [len(text) for text, _ in units]
    lines: list[Line] = []
    start, first = 0, True
    while start < len(units) and units[start][0] == " ":
        start += 1
    while start < len(units):
        room = width - (indent_cells * pitch if first else 0)

        def spacing(end: int) -> float:
            """The letter spacing that makes units[start:end] (trailing space dropped) fill the line."""
            while end > start + 1 and units[end - 1][0] == " ":
                end -= 1
            n = sum(counts[start:end])
            natural = sum(widths[start:end])
            return (room - natural) / (n - 1) if n > 1 else 0.0

        # the most units that fit at the grid's spacing
        end = start + 1
        while end < len(units) and spacing(end + 1) >= base - 1e-6:
            end += 1
        if end >= len(units):
            lines.append(_line(units[start:], base, first, True, base))
            break
        if counts[start:end] == [counts[start]] and widths[start] > room:   # one word longer than a line
            end = _split_word(units, widths, start, room, base)
            widths = [sum(advance(c, r) for c in t) for t, r in units]
            counts = [len(t) for t, _ in units]
        end = _legal_break(units, start, end, spacing, base)
        if end >= len(units):
            lines.append(_line(units[start:], min(base, spacing(end)), first, True, base))
            break
        lines.append(_line(units[start:end], spacing(end), first, False, base))
        start, first = end, False
        while start < len(units) and units[start][0] == " ":
            start += 1
    return lines


def _split_word(units, widths, start, room, base) -> int:
    """Cut a word longer than the line (a long URL) where the line ends; the rest becomes the next unit."""
    text, role = units[start]
    used, cut = 0.0, 0
    for i, c in enumerate(text):
        used += widths[start] / len(text) + base
        if used > room:
            cut = max(1, i)
            break
    units[start:start + 1] = [(text[:cut], role), (text[cut:], role)]
    return start + 1


def _legal_break(units, start, end, spacing, base) -> int:
    """Where the line really ends, near `end`: squeeze in a mark or a short word that would otherwise start
    the next line when that costs less than stretching; then step back over 避头尾 violations."""
    def ok(e: int) -> bool:
        if e <= start:
            return False
        if e >= len(units):
            return True
        return units[e][0][0] not in CLOSERS and units[e - 1][0][-1] not in OPENERS

    stretch = spacing(end) - base                  # >= 0: room left at the grid's spacing
    squeeze = end + 1
    while squeeze < len(units) and units[squeeze][0][0] in CLOSERS and units[squeeze - 1][0] not in (" ",):
        squeeze += 1                               # a closing mark after the squeezed-in piece comes along
    if (squeeze - end <= 2 and ok(squeeze) and base - spacing(squeeze) <= MAX_SQUEEZE
            and (base - spacing(squeeze) < stretch or units[end][0][0] in CLOSERS or not ok(end))):
        return squeeze
    e = end
    while not ok(e) and e > start + 1:
        e -= 1
    return e if ok(e) else end


def _line(units, spacing: float, first: bool, last: bool, base: float) -> Line:
    while units and units[-1][0] == " ":
        units = units[:-1]
    runs: list[tuple[str, str]] = []
    for text, role in units:
        if runs and runs[-1][1] == role:
            runs[-1] = (runs[-1][0] + text, role)
        else:
            runs.append((text, role))
    return Line(tuple(runs), round(spacing, 3), first, last, abs(spacing - base) < 5e-4)


def report_title_lines(report) -> list[str]:
    """The lines of a report's title, the same in every format."""
    return title_lines(report.title or report.official_title, report.agency)


def cells(text: str) -> float:
    """Width in grid cells: an ideograph or full-width mark one, a digit or Latin letter half."""
    return sum(1 if unicodedata.east_asian_width(c) in "WFA" else 0.5 for c in text)


def signature_indents(agency: str, date: str) -> tuple[float, float]:
    """Right indents, in cells, of the 署名 and of the 成文日期 below it (GB/T 9704 7.3.5.3, no seal).

    The 署名 is right-indented 2 cells and the date starts 2 cells right of the 署名's first character; when that
    would bring the date nearer than 2 cells to the edge (a date as long as the name or longer), the date is
    right-indented 2 cells and the 署名 moves left so that the date still starts 2 cells right of it.
    """
    name, day = cells(agency), cells(date)
    if not date or name - day >= 2:
        return 2.0, name - day
    return day + 4 - name, 2.0
