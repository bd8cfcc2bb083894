"""The report laid out for a page: paragraphs with their styles and Tables 2–4 as grids of spanning cells.

Renderers draw what this module decides, so HTML and PDF (and whoever else wants it) show the same words,
the same spans and the same numbers.  Labels come from cells.py; nothing here spells one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from .. import cells as C
from ..dates import cn_date
from ..model import Report, number_text

# A line that opens with （一）…（十） is a second-level heading (楷体); if it goes on after the heading's
# first full stop, only that opening phrase is the heading.
_SUBHEADING = re.compile(r"^（[一二三四五六七八九十]{1,3}）")
_LEAD_END = re.compile(r"[。：:]")


@dataclass(frozen=True)
class Paragraph:
    text: str                 # the body of the paragraph (after the lead)
    lead: str = ""            # a （一）… heading phrase that opens the paragraph, set in 楷体
    heading: bool = False     # the whole line is a （一）… heading
    lines: tuple = ()         # the PDF's lines on the grid (grid.on_grid), else empty: the reader's window wraps


@dataclass(frozen=True)
class Cell:
    text: str
    header: bool = False          # <th> (a label) or <td> (a number)
    rowspan: int = 1
    colspan: int = 1
    scope: str | None = None      # col, colgroup, row, rowgroup
    cls: str = ""                 # corner, label, group, number


@dataclass(frozen=True)
class Table:
    id: str                        # t2, t3, t4
    caption: str
    head: list[list[Cell]]
    bodies: list[list[list[Cell]]]  # one or more <tbody>, each a list of rows
    columns: int
    widths: tuple[str, ...] = ()   # CSS widths of the columns, for the fixed layout of print


@dataclass(frozen=True)
class Part:
    heading: str                   # "" for the untitled overview
    paragraphs: list[Paragraph]


@dataclass(frozen=True)
class Section:
    key: str
    heading: str
    parts: list[Part] = field(default_factory=list)
    table: Table | None = None


def period_sentence(report: Report) -> str:
    return f"本报告中所列数据的统计期限自{cn_date(report.start)}起至{cn_date(report.end)}止。"


def paragraphs(text: str | None) -> list[Paragraph]:
    """One paragraph per non-blank line; （一）… openings marked as headings."""
    out = []
    for line in (text or "").splitlines():
        line = line.strip()
        if not line:
            continue
        if _SUBHEADING.match(line):
            stop = _LEAD_END.search(line)
            if stop is None or stop.end() == len(line):
                out.append(Paragraph(line, heading=True))
            else:
                out.append(Paragraph(line[stop.end():], lead=line[:stop.end()]))
        else:
            out.append(Paragraph(line))
    return out


# ---------------------------------------------------------------------------------------------- tables

def _caption(table: str) -> str:
    """表二　主动公开政府信息情况 (a full-width space between name and title)."""
    return f"{C.TABLE_NAMES[table]}\u3000{C.TABLE_TITLES[table]}"


def _th(text: str, scope: str | None, rowspan: int = 1, colspan: int = 1, cls: str = "label") -> Cell:
    return Cell(text, True, rowspan, colspan, scope, cls)


def _td(value, colspan: int = 1) -> Cell:
    return Cell(number_text(value), False, 1, colspan, None, "number")


def table2(report: Report) -> Table:
    """Four blocks (第二十条第（一）（五）（六）（八）项), each a tbody: block title, column heads, rows."""
    bodies = []
    for block, content in C.T2_BLOCKS:
        heads = C.T2_BLOCK_HEADERS[block]
        rows = [[_th(block, "rowgroup", colspan=4, cls="group")],
                [_th(content, "col")] + [_th(h, "col", colspan=3 if len(heads) == 1 else 1)
                                         for h in heads]]
        for row in (r for r in C.T2_ROWS if r.block == block):
            if row.columns:
                rows.append([_th(row.label, "row")] + [_td(report.cell(cid)) for cid in C.t2_cells(row)])
            else:
                rows.append([_th(row.label, "row"), _td(report.cell(C.t2(row.key)), colspan=3)])
        bodies.append(rows)
    return Table("t2", _caption("t2"), [], bodies, 4,
                 ("34%", "22%", "22%", "22%"))


def table3(report: Report) -> Table:
    """The corner note, 申请人情况 over 自然人 | 法人或其他组织 (5) | 总计, and the 25 rows with their spans."""
    parts = C.T3_COLUMNS[1:-1]
    head = [
        [Cell(C.T3_CORNER, True, 3, 3, None, "corner"), _th(C.T3_APPLICANTS, "colgroup", colspan=7)],
        [_th(C.T3_COLUMNS[0][1], "col", rowspan=2), _th(C.T3_LEGAL_PERSONS, "colgroup", colspan=len(parts)),
         _th(C.T3_COLUMNS[-1][1], "col", rowspan=2)],
        [_th(label, "col") for _, label in parts],
    ]
    results = [r for r in C.T3_ROWS if r.group]
    body = []
    for row in C.T3_ROWS:
        tr: list[Cell] = []
        # c1..c3: the label column a cell starts in (the phone's CSS keeps them in view while numbers scroll)
        if not row.group:
            tr.append(_th(row.label, "row", colspan=3, cls="label c1"))
        else:
            if row is results[0]:
                tr.append(_th(C.T3_RESULTS, "rowgroup", rowspan=len(results), cls="group c1"))
            if row.group in C.T3_SUBGROUPS:
                members = [r for r in results if r.group == row.group]
                if row is members[0]:
                    tr.append(_th(row.group, "rowgroup", rowspan=len(members), cls="group c2"))
                tr.append(_th(row.label, "row", cls="label c3"))
            else:
                tr.append(_th(row.label, "row", colspan=2, cls="label c2"))
        tr += [_td(report.cell(C.t3(row.key, c))) for c, _ in C.T3_COLUMNS]
        body.append(tr)
    widths = ("5%", "9%", "37%") + ("7%",) * 7
    return Table("t3", _caption("t3"), head, [body], 10, widths)


def table4(report: Report) -> Table:
    """行政复议 (5) | 行政诉讼 (10) split into 未经复议直接起诉 (5) and 复议后起诉 (5); one row of 15 numbers."""
    cols = C.T4_COLUMNS
    (review, review_label), *litigation = C.T4_GROUPS
    head = [
        [_th(review_label, "colgroup", colspan=len(cols)), _th(C.T4_LITIGATION, "colgroup", colspan=2 * len(cols))],
        [_th(label, "col", rowspan=2) for _, label in cols] + [_th(label, "colgroup", colspan=len(cols))
                                                               for _, label in litigation],
        [_th(label, "col") for _ in litigation for _, label in cols],
    ]
    body = [[_td(report.cell(C.t4(group, c))) for group, _ in C.T4_GROUPS for c, _ in cols]]
    return Table("t4", _caption("t4"), head, [body], 15)


TABLES = {"disclosure": table2, "requests": table3, "appeals": table4}


# ---------------------------------------------------------------------------------------------- document

def sections(report: Report) -> list[Section]:
    """The six sections in order, each with its parts (section 一) or narrative, and its table."""
    out = []
    for key, heading in C.SECTIONS:
        if key == "general":
            general = report.general
            parts = []
            for part, part_heading, _ in C.GENERAL_PARTS:
                text = getattr(general, part) if general else None
                if part == "overview":
                    if text:
                        parts.append(Part("", paragraphs(text)))
                else:
                    parts.append(Part(part_heading, paragraphs(text)))
            out.append(Section(key, heading, parts))
        else:
            text = getattr(report, key)
            table = TABLES[key](report) if key in TABLES else None
            out.append(Section(key, heading, [Part("", paragraphs(text))] if text else [], table))
    return out


def intro(report: Report) -> list[Paragraph]:
    """The text under the title: the clerk's intro, then the statistical period (unless the intro states it)."""
    from ..scope import clause, sentence
    paras = paragraphs(report.intro)
    scope = clause(report) if "统计范围" not in (report.intro or "") else ""
    if "统计期限" not in (report.intro or ""):
        period = period_sentence(report)
        paras.append(Paragraph(f"{period[:-1]}，{scope}。" if scope else period))
    elif scope:
        paras.append(Paragraph(sentence(report)))
    return paras
