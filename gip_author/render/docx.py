"""Report -> DOCX: the editable Word file an office keeps, typeset as a 公文 (GB/T 9704-2012).

Content in reading order: title, intro and statistical period, the six official sections with their
narrative, Tables 2–4 in the official layout (real merged cells, as in the official blank template), then
the agency and the date.  The XML python-docx has no API for lives in `docx_xml`.
"""
from __future__ import annotations

import datetime as dt
import os
import re
from decimal import Decimal

from .. import cells as C
from ..model import Report
from . import docx_xml as X

DRAFT_MARK = "草稿"
PERIOD_SENTENCE = "本报告中所列数据的统计期限自{start}起至{end}止。"
#: A narrative line that opens with its own sub-heading: （一）… in 楷体.
_SUBHEADING = re.compile(r"^[（(][一二三四五六七八九十]+[）)]")
_SUBHEADING_END = re.compile(r"[。：:]")


def zh_date(day: dt.date) -> str:
    """2025年1月20日: full year, no zero padding (GB/T 9704)."""
    return f"{day.year}年{day.month}月{day.day}日"


def number_text(value) -> str:
    """A cell's number as it is printed: nothing else in the cell, blank when unreadable."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)


# ---------------------------------------------------------------------------------------------- tables


def table2_layout(report: Report) -> tuple[list[X.Cell], int]:
    """Table 2 as the official template draws it: four blocks, each a title row, a header row, its rows."""
    cells: list[X.Cell] = []
    r = 0
    for block, content_label in C.T2_BLOCKS:
        cells.append(X.Cell(r, 0, block, cols=4))
        headers = C.T2_BLOCK_HEADERS[block]
        cells.append(X.Cell(r + 1, 0, content_label))
        if len(headers) == 3:
            cells += [X.Cell(r + 1, 1 + i, h) for i, h in enumerate(headers)]
        else:
            cells.append(X.Cell(r + 1, 1, headers[0], cols=3))
        r += 2
        for row in (row for row in C.T2_ROWS if row.block == block):
            cells.append(X.Cell(r, 0, row.label))
            if row.columns:
                cells += [X.Cell(r, 1 + i, number_text(report.cell(f"t2.{row.key}.{col}")))
                          for i, (col, _) in enumerate(row.columns)]
            else:
                cells.append(X.Cell(r, 1, number_text(report.cell(f"t2.{row.key}")), cols=3))
            r += 1
    return cells, r


T3_HEAD_ROWS = 3
T3_LABEL_COLS = 3


def table3_layout(report: Report) -> tuple[list[X.Cell], int]:
    """Table 3: the 勾稽 corner, 申请人情况 over 7 columns, and the row spans of 三、本年度办理结果 and （三）…（六）."""
    names = dict(C.T3_COLUMNS)
    n = T3_LABEL_COLS
    cells = [
        X.Cell(0, 0, C.T3_CORNER, rows=3, cols=n),
        X.Cell(0, n, C.T3_APPLICANTS, cols=7),
        X.Cell(1, n, names["natural"], rows=2),
        X.Cell(1, n + 1, C.T3_LEGAL_PERSONS, cols=5),
        X.Cell(1, n + 6, names["total"], rows=2),
    ]
    cells += [X.Cell(2, n + 1 + i, names[col]) for i, col in enumerate(C.T3_PART_COLUMNS[1:])]

    rows_of: dict[str, list[int]] = {}
    for i, row in enumerate(C.T3_ROWS):
        r = T3_HEAD_ROWS + i
        if row.group:
            rows_of.setdefault(row.group, []).append(r)
            if row.group != C.T3_RESULTS:
                rows_of[C.T3_RESULTS].append(r)
        if not row.group:
            cells.append(X.Cell(r, 0, row.label, cols=3, align="left"))
        elif row.group == C.T3_RESULTS:
            cells.append(X.Cell(r, 1, row.label, cols=2, align="left"))
        else:
            cells.append(X.Cell(r, 2, row.label, align="left"))
        cells += [X.Cell(r, n + j, number_text(report.cell(C.t3(row.key, col))))
                  for j, (col, _) in enumerate(C.T3_COLUMNS)]
    for group, rows in rows_of.items():
        col = 0 if group == C.T3_RESULTS else 1
        cells.append(X.Cell(rows[0], col, group, rows=len(rows)))
    return cells, T3_HEAD_ROWS + len(C.T3_ROWS)


def table4_layout(report: Report) -> tuple[list[X.Cell], int]:
    """Table 4: 行政复议 (5) | 行政诉讼 (10) = 未经复议直接起诉 (5) + 复议后起诉 (5), one row of numbers."""
    cells = [X.Cell(0, 0, C.T4_REVIEW, cols=5), X.Cell(0, 5, C.T4_LITIGATION, cols=10)]
    for g, (group, label) in enumerate(C.T4_GROUPS):
        base = 5 * g
        if g:
            cells.append(X.Cell(1, base, label, cols=5))
        for j, (col, col_label) in enumerate(C.T4_COLUMNS):
            if g:
                cells.append(X.Cell(2, base + j, col_label))
            else:
                cells.append(X.Cell(1, base + j, col_label, rows=2))
            cells.append(X.Cell(3, base + j, number_text(report.cell(C.t4(group, col)))))
    return cells, 4


T3_WIDTHS = [560, 900, X.TEXT_WIDTH - 560 - 900 - 7 * 620] + [620] * 7

#: table id -> (layout, column widths, header rows repeated on a new page, font size in pt)
TABLES = {
    "disclosure": (table2_layout, X.spread(X.TEXT_WIDTH, 4), 0, 12),
    "requests": (table3_layout, T3_WIDTHS, T3_HEAD_ROWS, 10.5),
    "appeals": (table4_layout, X.spread(X.TEXT_WIDTH, 15), 3, 10.5),
}


# ---------------------------------------------------------------------------------------------- document


class _Writer:
    """Collects the body as WordprocessingML (one parse at the end: python-docx's style lookups are slow)."""

    def __init__(self):
        self.parts: list[str] = []

    def para(self, text: str, style: str = "", font: str = X.FANG, *, align: str | None = None,
             right_indent_chars: int = 0, lead: str = "", lead_font: str = X.KAI, keep_next: bool = False) -> None:
        ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep_next else "")
        if right_indent_chars:
            ppr += (f'<w:ind w:left="0" w:right="{320 * right_indent_chars}" '
                    f'w:rightChars="{100 * right_indent_chars}" w:firstLine="0" w:firstLineChars="0"/>')
        if align:
            ppr += f'<w:jc w:val="{align}"/>'
        runs = (X.run_xml(lead, lead_font) if lead else "") + (X.run_xml(text, font) if text else "")
        self.parts.append(f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>")

    def keep_last_with_next(self) -> None:
        last = self.parts[-1]
        if last.startswith("<w:p>") and "<w:keepNext/>" not in last:
            if last.startswith("<w:p><w:pPr>"):
                at = last.find("/>", last.find("<w:pStyle")) + 2 if "<w:pStyle" in last else len("<w:p><w:pPr>")
                self.parts[-1] = last[:at] + "<w:keepNext/>" + last[at:]
            else:
                self.parts[-1] = "<w:p><w:pPr><w:keepNext/></w:pPr>" + last[len("<w:p>"):]

    def heading(self, text: str, level: int) -> None:
        self.para(text, f"Heading{level}", X.HEI if level == 1 else X.KAI)

    def narrative(self, text: str | None) -> None:
        """Paragraph per line; a line opening with （一）… is a 楷体 sub-heading (or starts with one)."""
        for line in (text or "").splitlines():
            line = line.strip()
            if not line:
                continue
            if _SUBHEADING.match(line):
                end = _SUBHEADING_END.search(line)
                if end is None or end.end() == len(line):
                    self.heading(line, 2)
                    continue
                self.para(line[end.end():], lead=line[:end.end()])
                continue
            self.para(line)

    def table(self, key: str, report: Report) -> None:
        layout, widths, header_rows, size = TABLES[key]
        cells, n_rows = layout(report)
        self.parts.append(X.table_xml(cells, widths, n_rows, header_rows=header_rows, size_pt=size))
        # An empty line after the table, in table-sized type, keeps the next heading off its border.
        self.para("", "TableText")

    def write_to(self, document) -> None:
        from docx.oxml import parse_xml

        body = document.element.body
        sect_pr = body.sectPr
        for el in parse_xml(f"<w:body {X.NSDECL}>{''.join(self.parts)}</w:body>"):
            sect_pr.addprevious(el)


def _write_report(w: _Writer, report: Report) -> None:
    w.para(report.display_title, "Title", X.TITLE_FONT)
    for line in report.intro.splitlines():
        if line.strip():
            w.para(line.strip())
    if "统计期限" not in report.intro:
        w.para(PERIOD_SENTENCE.format(start=zh_date(report.start), end=zh_date(report.end)))

    for key, heading in C.SECTIONS:
        w.heading(heading, 1)
        if key == "general":
            general = report.general
            for part, part_heading, _ in C.GENERAL_PARTS:
                text = getattr(general, part) if general is not None else None
                if part == "overview":
                    w.narrative(text)
                    continue
                if text is None:
                    continue
                lines = [line.strip() for line in text.splitlines() if line.strip()]
                if not (lines and lines[0].startswith(part_heading[:3])):  # the text brings its own heading
                    w.heading(part_heading, 2)
                w.narrative(text)
        else:
            w.narrative(getattr(report, key))
            if key in TABLES:
                w.table(key, report)

    # The signature never stands alone on a page: it keeps the last line of text with it.
    w.keep_last_with_next()
    w.para("", keep_next=True)  # one blank line before the signature
    w.para(report.agency, align="right", right_indent_chars=2, keep_next=bool(report.published))
    if report.published:
        w.para(zh_date(report.published), align="right", right_indent_chars=2)


def _setup(document, report: Report, draft: bool) -> None:
    """Styles, settings, page, footers (and the draft watermark), dropping the template's leftovers."""
    X.setup_styles(document.styles.element)
    X.setup_settings(document.settings.element)
    document.settings.odd_and_even_pages_header_footer = True
    section = document.sections[0]
    X.setup_page(section._sectPr)
    section.footer.is_linked_to_previous = False
    X.replace_content(section.footer._element, X.page_number_xml(odd=True))
    X.replace_content(section.even_page_footer._element, X.page_number_xml(odd=False))
    if draft:
        X.replace_content(section.header._element, X.watermark_xml(DRAFT_MARK, 1))
        X.replace_content(section.even_page_header._element, X.watermark_xml(DRAFT_MARK, 2))

    part = document.part
    for rel_id, rel in list(part.rels.items()):
        if rel.reltype.endswith("/stylesWithEffects"):
            part.drop_rel(rel_id)
        elif rel.reltype.endswith("/fontTable"):
            rel.target_part._blob = X.font_table_xml(rel.target_part.blob)
    package = part.package
    for rel_id, rel in list(package.rels.items()):
        if rel.reltype.endswith("/thumbnail"):
            del package.rels[rel_id]
        elif rel.reltype.endswith("/extended-properties"):
            rel.target_part._blob = rel.target_part.blob.replace(b"Microsoft Macintosh Word", b"gip-author")


def build_time(report: Report) -> dt.datetime:
    """The document's timestamp: SOURCE_DATE_EPOCH when set, else the publication date (never "now")."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), dt.timezone.utc).replace(tzinfo=None)
    day = report.published or dt.date(report.year + 1, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _metadata(document, report: Report, when: dt.datetime) -> None:
    props = document.core_properties
    props.title = report.display_title
    props.author = report.agency
    props.last_modified_by = report.agency
    props.subject = "政府信息公开工作年度报告"
    props.comments = ""
    props.keywords = f"政府信息公开;{report.year}"
    props.language = "zh-CN"
    props.revision = 1
    props.created = when
    props.modified = when


def render_docx(report: Report, draft: bool = False) -> bytes:
    """The report as DOCX bytes; `draft` puts a 草稿 watermark on every page.  Same report, same bytes."""
    import io

    import docx

    document = docx.Document()
    body = document.element.body
    for p in body.findall(X.W + "p"):  # the template's empty first paragraph
        body.remove(p)
    _setup(document, report, draft)
    writer = _Writer()
    _write_report(writer, report)
    writer.write_to(document)
    when = build_time(report)
    _metadata(document, report, when)
    out = io.BytesIO()
    document.save(out)
    stamp = max(when, dt.datetime(1980, 1, 1))
    return X.repack(out.getvalue(), stamp.timetuple()[:6])
