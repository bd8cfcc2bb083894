"""Raw WordprocessingML for the DOCX renderer: what python-docx has no API for.

Fonts with their East Asian attribute, styles, page set-up (GB/T 9704), odd/even page-number footers, the
draft watermark, tables with real merges built from a span layout, and a reproducible zip.  Only lxml and
python-docx's XML helpers are used here; nothing in this module decides what the report says.
"""
from __future__ import annotations

import io
import re
import zipfile
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = f"{{{W_NS}}}"
NSDECL = (f'xmlns:w="{W_NS}" xmlns:v="urn:schemas-microsoft-com:vml" '
          'xmlns:o="urn:schemas-microsoft-com:office:office" xmlns:w10="urn:schemas-microsoft-com:office:word"')

# Official fonts (TYPESETTING.md): names as government PCs have them, with the font Word falls back to.
TITLE_FONT, HEI, KAI, FANG, SONG = "方正小标宋简体", "黑体", "楷体_GB2312", "仿宋_GB2312", "宋体"
FONT_TABLE = {  # name -> (altName, family, pitch); charset 86 = GB2312
    TITLE_FONT: ("华文中宋", "script", "variable"),
    HEI: ("SimHei", "modern", "fixed"),
    KAI: ("楷体", "modern", "fixed"),
    FANG: ("仿宋", "modern", "fixed"),
    SONG: ("SimSun", "auto", "variable"),
}

# GB/T 9704-2012 page: A4, margins in twentieths of a point (1 mm = 56.7 twips).
PAGE = {"w": 11906, "h": 16838, "top": 2098, "bottom": 1984, "left": 1588, "right": 1474,
        "header": 851, "footer": 1304}
TEXT_WIDTH = PAGE["w"] - PAGE["left"] - PAGE["right"]  # 8844 twips = 156 mm
LINE_PITCH = 579  # 22 lines in the 225 mm text block
CHARS = 28        # characters a line
CHAR_PITCH = TEXT_WIDTH / CHARS  # 315.9 twips = 15.79 pt
BODY_PT = 16      # 3号
#: The document grid's character pitch is the Normal style's size plus charSpace/4096 pt: 16 - 0.207 pt.
CHAR_SPACE = round((CHAR_PITCH / 20 - BODY_PT) * 4096)
#: Word sets 16 pt characters on the 15.79 pt grid by itself.  LibreOffice 7.4 gives a character wider than a
#: grid cell two cells (14 a line) and reads the pitch as 15.75 pt (it truncates charSpace's fraction): at 98 %
#: width (15.68 pt) the characters fit one cell each, and both lay out 28 a line.
BODY_SCALE = 98


def _theme_free(rfonts) -> None:
    for attr in list(rfonts.attrib):
        if attr.endswith("Theme") or attr.endswith("theme"):
            del rfonts.attrib[attr]


def rfonts_xml(font: str) -> str:
    f = quoteattr(font)
    return f'<w:rFonts w:ascii={f} w:hAnsi={f} w:eastAsia={f} w:cs={f} w:hint="eastAsia"/>'


#: Characters XML 1.0 cannot hold (control characters, lone surrogates): dropped rather than failing the render.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def run_xml(text: str, font: str, size_pt: float | None = None, bold: bool = False) -> str:
    """One run with its fonts named explicitly (ascii, hAnsi, eastAsia, cs)."""
    text = _NOT_XML.sub("", text)
    props = rfonts_xml(font) + ("<w:b/><w:bCs/>" if bold else "")
    if size_pt:
        half = round(size_pt * 2)
        props += f'<w:sz w:val="{half}"/><w:szCs w:val="{half}"/>'
    return f'<w:r><w:rPr>{props}</w:rPr><w:t xml:space="preserve">{escape(text)}</w:t></w:r>'


def set_rpr(rpr, font: str, size_pt: float | None = None, bold: bool | None = None) -> None:
    """Give an existing w:rPr explicit fonts (no theme fonts), a size, and bold on or off."""
    from docx.oxml import parse_xml

    for tag in ("rFonts", "b", "bCs", "color", "sz", "szCs", "kern", "spacing", "i", "iCs"):
        for old in rpr.findall(W + tag):
            rpr.remove(old)
    children = [parse_xml(f"<w:x {NSDECL}>{rfonts_xml(font)}</w:x>")[0]]
    if bold:
        children += [parse_xml(f"<w:b {NSDECL}/>"), parse_xml(f"<w:bCs {NSDECL}/>")]
    elif bold is False:
        children += [parse_xml(f'<w:b {NSDECL} w:val="0"/>'), parse_xml(f'<w:bCs {NSDECL} w:val="0"/>')]
    for child in reversed(children):
        rpr.insert(0, child)
    if size_pt:
        half = str(round(size_pt * 2))
        for tag in ("sz", "szCs"):
            el = parse_xml(f'<w:{tag} {NSDECL} w:val="{half}"/>')
            rpr.append(el)
    _order(rpr, RPR_ORDER)


RPR_ORDER = ("rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
             "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
             "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
             "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath")
PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
             "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
             "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
             "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
             "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
             "sectPr", "pPrChange")


def _order(parent, order: tuple[str, ...]) -> None:
    """Re-sort children into the schema order Word insists on."""
    rank = {W + name: i for i, name in enumerate(order)}
    kids = sorted(parent, key=lambda el: rank.get(el.tag, len(order)))
    for kid in kids:
        parent.append(kid)


# ---------------------------------------------------------------------------------------------- styles

@dataclass(frozen=True)
class ParaStyle:
    style_id: str
    name: str
    font: str
    size_pt: float
    ppr: str                      # inner XML of w:pPr (without rPr)
    bold: bool = False
    scale: int = 100              # character width, per cent (w:w)


# w:overflowPunct stated (Word's default, "允许标点溢出边界"): LibreOffice 7.4 reads the attribute inverted
# (hanging punctuation only when it is 0) and, when it is absent, hangs marks past the right edge (29 a line).
BODY_PPR = ('<w:overflowPunct w:val="1"/>'
            f'<w:spacing w:before="0" w:after="0" w:line="{LINE_PITCH}" w:lineRule="exact"/>'
            '<w:ind w:firstLine="640" w:firstLineChars="200"/><w:jc w:val="both"/>')
NO_INDENT = '<w:ind w:left="0" w:right="0" w:firstLine="0" w:firstLineChars="0"/>'

STYLES = (
    ParaStyle("Normal", "Normal", FANG, BODY_PT, BODY_PPR, scale=BODY_SCALE),
    # the title stays off the character grid (22 pt characters would take two cells each), at full width
    ParaStyle("Title", "Title", TITLE_FONT, 22,
              '<w:keepNext/><w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="579" w:line="720" '
              'w:lineRule="exact"/>' + NO_INDENT + '<w:jc w:val="center"/><w:outlineLvl w:val="9"/>', scale=100),
    ParaStyle("Heading1", "heading 1", HEI, 16,
              f'<w:keepNext/><w:keepLines/>{BODY_PPR}<w:outlineLvl w:val="0"/>', scale=BODY_SCALE),
    ParaStyle("Heading2", "heading 2", KAI, 16,
              f'<w:keepNext/><w:keepLines/>{BODY_PPR}<w:outlineLvl w:val="1"/>', scale=BODY_SCALE),
    ParaStyle("TableText", "Table Text", FANG, 10.5,
              '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
              + NO_INDENT + '<w:jc w:val="center"/>'),
    ParaStyle("Footer", "footer", SONG, 14,
              '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
              + NO_INDENT),
    ParaStyle("Header", "header", SONG, 10.5,
              '<w:snapToGrid w:val="0"/><w:spacing w:before="0" w:after="0" w:line="240" w:lineRule="auto"/>'
              + NO_INDENT + '<w:jc w:val="center"/>'),
)


def setup_styles(styles_el) -> None:
    """Chinese defaults and the report's paragraph styles; no theme font left anywhere."""
    from docx.oxml import parse_xml

    for rfonts in styles_el.iter(W + "rFonts"):
        _theme_free(rfonts)
    defaults = styles_el.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr")
    set_rpr(defaults, FANG, 16)
    for lang in defaults.findall(W + "lang"):
        defaults.remove(lang)
    defaults.append(parse_xml(f'<w:lang {NSDECL} w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/>'))
    ppr_default = styles_el.find(f"{W}docDefaults/{W}pPrDefault/{W}pPr")
    for child in list(ppr_default):
        ppr_default.remove(child)
    ppr_default.append(parse_xml(f'<w:spacing {NSDECL} w:after="0" w:line="240" w:lineRule="auto"/>'))

    by_id = {s.get(W + "styleId"): s for s in styles_el.findall(W + "style")}
    for spec in STYLES:
        style = by_id.get(spec.style_id)
        if style is None:
            style = parse_xml(f'<w:style {NSDECL} w:type="paragraph" w:customStyle="1" w:styleId="{spec.style_id}">'
                              f'<w:name w:val="{spec.name}"/><w:basedOn w:val="Normal"/><w:qFormat/></w:style>')
            styles_el.append(style)
        for tag in ("pPr", "rPr"):
            for old in style.findall(W + tag):
                style.remove(old)
        style.append(parse_xml(f"<w:pPr {NSDECL}>{spec.ppr}</w:pPr>"))
        rpr = parse_xml(f"<w:rPr {NSDECL}/>")
        set_rpr(rpr, spec.font, spec.size_pt, spec.bold)
        if spec.scale != BODY_SCALE or spec.style_id == "Normal":
            rpr.append(parse_xml(f'<w:w {NSDECL} w:val="{spec.scale}"/>'))
            _order(rpr, RPR_ORDER)
        style.append(rpr)
    # Character styles linked to the headings/title carry theme fonts and colours of their own.
    for sid in ("TitleChar", "Heading1Char", "Heading2Char"):
        style = by_id.get(sid)
        if style is not None:
            for old in style.findall(W + "rPr"):
                style.remove(old)


def setup_settings(settings_el) -> None:
    """zh-CN theme font language, no preview picture (odd/even footers: python-docx's own setter)."""
    for el in settings_el.findall(W + "savePreviewPicture"):
        settings_el.remove(el)
    lang = settings_el.find(W + "themeFontLang")
    if lang is not None:
        lang.set(W + "val", "en-US")
        lang.set(W + "eastAsia", "zh-CN")
    tab = settings_el.find(W + "defaultTabStop")
    if tab is not None:
        tab.set(W + "val", "420")


def font_table_xml(blob: bytes) -> bytes:
    """Declare the official fonts (GB2312 charset, with the font Word may substitute) in fontTable.xml."""
    entries = "".join(
        f'<w:font w:name={quoteattr(name)}><w:altName w:val={quoteattr(alt)}/><w:charset w:val="86"/>'
        f'<w:family w:val="{family}"/><w:pitch w:val="{pitch}"/></w:font>'
        for name, (alt, family, pitch) in FONT_TABLE.items())
    text = blob.decode("utf-8")
    return text.replace("</w:fonts>", entries + "</w:fonts>", 1).encode("utf-8")


def setup_page(sect_pr) -> None:
    """A4, GB/T 9704 margins and the document grid of 22 lines × 28 characters."""
    from docx.oxml import parse_xml

    for tag in ("pgSz", "pgMar", "cols", "docGrid"):
        for el in sect_pr.findall(W + tag):
            sect_pr.remove(el)
    p = PAGE
    for xml in (f'<w:pgSz {NSDECL} w:w="{p["w"]}" w:h="{p["h"]}"/>',
                f'<w:pgMar {NSDECL} w:top="{p["top"]}" w:right="{p["right"]}" w:bottom="{p["bottom"]}" '
                f'w:left="{p["left"]}" w:header="{p["header"]}" w:footer="{p["footer"]}" w:gutter="0"/>',
                f'<w:cols {NSDECL} w:space="425"/>',
                f'<w:docGrid {NSDECL} w:type="linesAndChars" w:linePitch="{LINE_PITCH}" w:charSpace="{CHAR_SPACE}"/>'):
        sect_pr.append(parse_xml(xml))
    _order(sect_pr, ("headerReference", "footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar",
                     "paperSrc", "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote",
                     "titlePg", "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings"))


# ---------------------------------------------------------------------------------------------- footers, watermark

def page_number_xml(odd: bool) -> str:
    """`— N —` in 宋体 四号: odd pages right, even pages left, one character in (GB/T 9704 7.5)."""
    side = '<w:ind w:right="280" w:rightChars="100"/><w:jc w:val="right"/>' if odd else \
        '<w:ind w:left="280" w:leftChars="100"/><w:jc w:val="left"/>'

    def fld(kind: str) -> str:
        return f'<w:r><w:rPr>{rfonts_xml(SONG)}</w:rPr><w:fldChar w:fldCharType="{kind}"/></w:r>'

    return (f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="Footer"/>{side}</w:pPr>'
            + run_xml("— ", SONG) + fld("begin")
            + f'<w:r><w:rPr>{rfonts_xml(SONG)}</w:rPr><w:instrText xml:space="preserve"> PAGE </w:instrText></w:r>'
            + fld("separate") + run_xml("1", SONG) + fld("end") + run_xml(" —", SONG) + "</w:p>")


_WORDART = (  # Word's own definition of the WordArt "plain text" shape its watermarks use
    '<v:shapetype id="_x0000_t136" coordsize="21600,21600" o:spt="136" adj="10800" '
    'path="m@7,l@8,m@5,21600l@6,21600e"><v:formulas>'
    + "".join(f'<v:f eqn="{e}"/>' for e in (
        "sum #0 0 10800", "prod #0 2 1", "sum 21600 0 @1", "sum 0 0 @2", "sum 21600 0 @3", "if @0 @3 0",
        "if @0 21600 @1", "if @0 0 @2", "if @0 @4 21600", "mid @5 @6", "mid @8 @5", "mid @7 @8", "mid @6 @7",
        "sum @6 0 @5"))
    + '</v:formulas><v:path textpathok="t" o:connecttype="custom" o:connectlocs="@9,0;@10,10800;@11,21600;@12,10800" '
    'o:connectangles="270,180,90,0"/><v:textpath on="t" fitshape="t"/><v:handles>'
    '<v:h position="#0,bottomRight" xrange="6629,14971"/></v:handles><o:lock v:ext="edit" text="t" shapetype="t"/>'
    '</v:shapetype>')


def watermark_xml(text: str, n: int) -> str:
    """A header paragraph holding a large light-grey diagonal WordArt text behind the page, as Word draws one."""
    return (f'<w:p {NSDECL}><w:pPr><w:pStyle w:val="Header"/></w:pPr><w:r><w:rPr><w:noProof/></w:rPr><w:pict>'
            + _WORDART
            + f'<v:shape id="PowerPlusWaterMarkObject{n}" o:spid="_x0000_s{2048 + n}" type="#_x0000_t136" '
            'style="position:absolute;margin-left:0;margin-top:0;width:360pt;height:180pt;rotation:315;'
            'z-index:-251657216;mso-position-horizontal:center;mso-position-horizontal-relative:margin;'
            'mso-position-vertical:center;mso-position-vertical-relative:margin" o:allowincell="f" '
            'fillcolor="#c8c8c8" stroked="f"><v:fill opacity=".5"/>'
            f'<v:textpath style="font-family:&quot;{SONG}&quot;;font-size:1pt" string={quoteattr(text)}/>'
            '<w10:wrap anchorx="margin" anchory="margin"/></v:shape></w:pict></w:r></w:p>')


def replace_content(part_el, xml: str) -> None:
    """Make a header/footer hold exactly the paragraph given."""
    from docx.oxml import parse_xml

    for child in list(part_el):
        part_el.remove(child)
    part_el.append(parse_xml(xml))


# ---------------------------------------------------------------------------------------------- tables

@dataclass(frozen=True)
class Cell:
    """One visible cell of a table layout: top-left grid position, spans, text and how it is set."""
    row: int
    col: int
    text: str
    rows: int = 1
    cols: int = 1
    align: str = "center"     # center | left
    bold: bool = False
    fill: str = ""            # background colour (hex RRGGBB), as the official template shades some rows


def table_xml(cells: list[Cell], widths: list[int], n_rows: int, *, header_rows: int = 0,
              font: str = FANG, size_pt: float = 10.5) -> str:
    """A bordered, fixed-width table with real merges (gridSpan across, vMerge down).

    Every grid position must be covered by exactly one Cell.  A cell spanning rows becomes a
    `vMerge restart` cell holding the text and `vMerge` continuation cells holding one empty paragraph,
    the shape Word itself writes (and the official template has).  The XML declares no namespaces: it is
    parsed inside the body wrapper that does.
    """
    owner: dict[tuple[int, int], Cell] = {}
    for cell in cells:
        for r in range(cell.row, cell.row + cell.rows):
            for c in range(cell.col, cell.col + cell.cols):
                if (r, c) in owner:
                    raise ValueError(f"table layout overlaps at {(r, c)}")
                owner[(r, c)] = cell
    missing = [(r, c) for r in range(n_rows) for c in range(len(widths)) if (r, c) not in owner]
    if missing:
        raise ValueError(f"table layout leaves {missing[:3]} uncovered")

    border = 'w:val="single" w:sz="4" w:space="0" w:color="000000"'
    out = [f'<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="{sum(widths)}" w:type="dxa"/>'
           '<w:jc w:val="center"/><w:tblBorders>'
           + "".join(f"<w:{side} {border}/>" for side in ("top", "left", "bottom", "right", "insideH", "insideV"))
           + '</w:tblBorders><w:tblLayout w:type="fixed"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
           '<w:left w:w="57" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
           '</w:tblCellMar><w:tblLook w:val="0000" w:firstRow="0" w:lastRow="0" w:firstColumn="0" w:lastColumn="0" '
           'w:noHBand="0" w:noVBand="0"/></w:tblPr><w:tblGrid>'
           + "".join(f'<w:gridCol w:w="{w}"/>' for w in widths) + "</w:tblGrid>"]
    for r in range(n_rows):
        out.append("<w:tr><w:trPr><w:cantSplit/>" + ("<w:tblHeader/>" if r < header_rows else "") + "</w:trPr>")
        c = 0
        while c < len(widths):
            cell = owner[(r, c)]
            width = sum(widths[cell.col:cell.col + cell.cols])
            props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
            if cell.cols > 1:
                props += f'<w:gridSpan w:val="{cell.cols}"/>'
            first = cell.row == r
            if cell.rows > 1:
                props += '<w:vMerge w:val="restart"/>' if first else "<w:vMerge/>"
            if cell.fill:
                props += f'<w:shd w:val="clear" w:color="auto" w:fill="{cell.fill}"/>'
            props += '<w:vAlign w:val="center"/>'
            jc = "" if cell.align == "center" else f'<w:jc w:val="{cell.align}"/>'
            run = run_xml(cell.text, font, size_pt, cell.bold) if first and cell.text else ""
            out.append(f'<w:tc><w:tcPr>{props}</w:tcPr><w:p><w:pPr><w:pStyle w:val="TableText"/>{jc}'
                       f'<w:rPr>{rfonts_xml(font)}<w:sz w:val="{round(size_pt * 2)}"/></w:rPr></w:pPr>{run}</w:p></w:tc>')
            c += cell.cols
        out.append("</w:tr>")
    out.append("</w:tbl>")
    return "".join(out)


def spread(total: int, parts: int) -> list[int]:
    """`parts` column widths summing exactly to `total`."""
    base, extra = divmod(total, parts)
    return [base + (1 if i < extra else 0) for i in range(parts)]


# ---------------------------------------------------------------------------------------------- zip

def repack(data: bytes, date_time: tuple[int, int, int, int, int, int]) -> bytes:
    """The same package with every zip entry stamped `date_time`, so equal input gives equal bytes."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            entry = zipfile.ZipInfo(info.filename, date_time=date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            entry.create_system = 3
            dst.writestr(entry, src.read(info.filename))
    return out.getvalue()
