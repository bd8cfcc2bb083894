"""Report -> DOCX: the editable Word file an office keeps, typeset as a 公文 (GB/T 9704-2012).

Content in reading order: title, intro and statistical period, the six official sections with their
narrative, Tables 2–4 in the official layout (real merged cells, as in the official blank template), then
the agency and the date.  The XML python-docx has no API for lives in `docx_xml`.
"""
from __future__ import annotations

import datetime as dt

from .. import cells as C
from ..dates import source_date_epoch
from ..model import Report
from ..text_guard import clean
from . import docx_xml as X
from . import layout
from .linebreak import report_title_lines, signature_indents

DRAFT_MARK = "草稿"

#: layout table id -> (column widths in twips, font size in pt).  Table 3 fits one page at 五号.
#: The official template's shading of Table 2's "第二十条第（X）项" rows (set left, as there).
SHADE = "C6D9F1"
T3_WIDTHS = [560, 900, X.TEXT_WIDTH - 560 - 900 - 7 * 620] + [620] * 7
TABLE_LOOK = {
    "t2": (X.spread(X.TEXT_WIDTH, 4), 12),
    "t3": (T3_WIDTHS, 10.5),
    "t4": (X.spread(X.TEXT_WIDTH, 15), 10.5),
}


def grid_cells(table: layout.Table) -> tuple[list[X.Cell], int]:
    """The layout's rows of spanning cells (HTML style) placed on the grid, as Word needs them."""
    rows = table.head + [row for body in table.bodies for row in body]
    taken: set[tuple[int, int]] = set()
    out = []
    for r, row in enumerate(rows):
        c = 0
        for cell in row:
            while (r, c) in taken:
                c += 1
            taken.update((r + i, c + j) for i in range(cell.rowspan) for j in range(cell.colspan))
            shaded = table.id == "t2" and cell.cls == "group"
            out.append(X.Cell(r, c, cell.text, rows=cell.rowspan, cols=cell.colspan,
                              align="left" if cell.scope == "row" or shaded else "center",
                              fill=SHADE if shaded else ""))
            c += cell.colspan
    return out, len(rows)


# ---------------------------------------------------------------------------------------------- document


class _Writer:
    """Collects the body as WordprocessingML (one parse at the end: python-docx's style lookups are slow)."""

    def __init__(self):
        self.parts: list[str] = []

    def para(self, text: str, style: str = "", font: str = X.FANG, *, align: str | None = None,
             right_indent_chars: float = 0, lead: str = "", lead_font: str = X.KAI, keep_next: bool = False) -> None:
        ppr = (f'<w:pStyle w:val="{style}"/>' if style else "") + ("<w:keepNext/>" if keep_next else "")
        if right_indent_chars:
            ppr += (f'<w:ind w:left="0" w:right="{round(X.CHAR_PITCH * right_indent_chars)}" '
                    f'w:rightChars="{round(100 * right_indent_chars)}" w:firstLine="0" w:firstLineChars="0"/>')
        if align:
            ppr += f'<w:jc w:val="{align}"/>'
        runs = (X.run_xml(lead, lead_font) if lead else "") + (X.run_xml(text, font) if text else "")
        self.parts.append(f"<w:p>{f'<w:pPr>{ppr}</w:pPr>' if ppr else ''}{runs}</w:p>")

    def title(self, lines: list[str]) -> None:
        """The title, its lines as linebreak.title_lines breaks them (line breaks in one paragraph)."""
        runs = '<w:r><w:br/></w:r>'.join(X.run_xml(line, X.TITLE_FONT) for line in lines)
        self.parts.append(f'<w:p><w:pPr><w:pStyle w:val="Title"/></w:pPr>{runs}</w:p>')

    def heading(self, text: str, level: int) -> None:
        self.para(text, f"Heading{level}", X.HEI if level == 1 else X.KAI)

    def paragraphs(self, paragraphs: list[layout.Paragraph]) -> None:
        """A （一）… line is a 楷体 heading; a paragraph opening with one has that phrase in 楷体."""
        for p in paragraphs:
            if p.heading:
                self.heading(p.text, 2)
            else:
                self.para(p.text, lead=p.lead)

    def table(self, table: layout.Table) -> None:
        widths, size = TABLE_LOOK[table.id]
        cells, n_rows = grid_cells(table)
        self.parts.append(X.table_xml(cells, widths, n_rows, header_rows=len(table.head), size_pt=size))
        # An empty line after the table, in table-sized type, keeps the next heading off its border.
        self.para("", "TableText")

    def write_to(self, document) -> None:
        from docx.oxml import parse_xml

        body = document.element.body
        sect_pr = body.sectPr
        for el in parse_xml(f"<w:body {X.NSDECL}>{''.join(self.parts)}</w:body>"):
            sect_pr.addprevious(el)


def _write_report(w: _Writer, report: Report) -> None:
    """Title, intro and period, the six sections as `layout` lays them out, the signature."""
    w.title(report_title_lines(report))
    w.paragraphs(layout.intro(report))
    for section in layout.sections(report):
        w.heading(section.heading, 1)
        for part in section.parts:
            if part.heading:
                w.heading(part.heading, 2)
            w.paragraphs(part.paragraphs)
        if section.table is not None:
            w.table(section.table)

    # One empty line, then the 署名 and the 成文日期 (GB/T 9704 7.3.5.3), kept together; the text above is not
    # chained to them (a keep-with-next there makes LibreOffice move a whole long paragraph to the next page).
    date = layout.cn_date(report.published) if report.published else ""
    name_right, date_right = signature_indents(report.agency, date)
    w.para("", keep_next=True)
    w.para(report.agency, align="right", right_indent_chars=name_right, keep_next=bool(date))
    if date:
        w.para(date, align="right", right_indent_chars=date_right)


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
    epoch = source_date_epoch()
    if epoch is not None:
        return min(epoch.replace(tzinfo=None), dt.datetime(2107, 12, 31, 23, 59, 59))  # a zip entry's last date
    day = report.published or dt.date(report.year + 1, 1, 1)
    return dt.datetime(day.year, day.month, day.day)


def _metadata(document, report: Report, when: dt.datetime) -> None:
    props = document.core_properties   # core properties hold at most 255 characters of XML-safe text
    props.title = clean(report.display_title)[:255]
    props.author = clean(report.agency)[:255]
    props.last_modified_by = clean(report.agency)[:255]
    props.subject = C.REPORT_NAME
    props.comments = ""
    props.keywords = f"政府信息公开;{report.year}"
    props.language = "zh-CN"
    props.revision = 1
    props.created = when
    props.modified = when


def render_docx(report: Report, draft: bool = False, data: bool = True) -> bytes:
    """The report as DOCX bytes; `draft` puts a 草稿 watermark on every page.  Same report, same bytes.

    `data`: the report's own data goes along in a custom XML part (embedded.py)."""
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
    if data:
        from ..embedded import attach_docx
        attach_docx(document, report)
    out = io.BytesIO()
    document.save(out)
    stamp = max(when, dt.datetime(1980, 1, 1))  # nor before 1980
    return X.repack(out.getvalue(), stamp.timetuple()[:6])
