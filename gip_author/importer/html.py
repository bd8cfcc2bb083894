"""HTML page -> blocks: the report's own container, its paragraphs and its real `<table>`s.

A published page carries the site around the report (navigation, header, footer, scripts, related links).
Scripts, styles, forms and navigation are dropped, then the report's container is the smallest element
holding its anchors (the "总体情况" heading, the tables, the "其他需要报告的事项" heading); a title outside it
(the page's `<h1>` or `<title>`) is taken when the container has none.  Table cells come once each, with the
row and column they start at (rowspan/colspan laid out on a grid) for messages.
"""
from __future__ import annotations

import re

from .. import limits as L
from ..files import decode
from ..location import Location
from ..problems import CannotRead
from .blocks import Block, Cell, Paragraph, Table

_BLOCK = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol section article blockquote dd dt dl center pre main "
                   "header footer aside form address figure figcaption caption tr td th tbody thead tfoot".split())
_DROP = ("script", "style", "noscript", "nav", "form", "iframe", "select", "button", "object", "embed", "svg",
         "template", "input", "textarea")
_BOLD = frozenset("b strong h1 h2 h3 h4 h5 h6".split())
_ANCHORS = ("总体情况", "總體情況", "本年新收", "其他需要报告", "其他需要報告", "主动公开政府信息情况", "主動公開政府資訊情況")
_TITLE_WORDS = re.compile(r"(?:19|20)\d{2}.*(?:政府信息|政府資訊|政务公开|政務公開).*(?:报告|報告)")
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_WS = re.compile(r"[ \t\r\n\f\v]+")


def html_blocks(data: bytes, path: str) -> list[Block]:
    import lxml.etree
    import lxml.html
    from .jsstrings import written_by_scripts
    text = written_by_scripts(_XML_DECL.sub("", decode(data, path)[0]))
    try:
        root = lxml.html.document_fromstring(text)
    except (lxml.etree.ParserError, ValueError) as e:
        raise CannotRead(f"{path}：网页无法解析（{e}）。请在浏览器中打开后“另存为”完整网页再导入。") from None
    for el in list(root.iter(*_DROP)):
        if el.getparent() is not None:
            el.drop_tree()
    for el in list(root.iter(lxml.etree.Comment, lxml.etree.ProcessingInstruction)):
        if el.getparent() is not None:
            el.drop_tree()
    container = _container(root)
    reader = _Reader(path)
    reader.walk(container)
    reader.flush()
    blocks = reader.blocks
    if not any(len(b.text) <= 60 and _TITLE_WORDS.search(b.text) for b in blocks[:3] if isinstance(b, Paragraph)):
        title = _page_title(root, container)
        if title:
            blocks.insert(0, Paragraph(title, Location(path, line=1), True))
    return blocks


def _container(root):
    """The deepest element holding every anchor of the report found on the page (else <body>)."""
    body = root.find("body")
    body = body if body is not None else root
    anchors = []
    for word in _ANCHORS:
        for el in body.xpath(f"//*[contains(text(), '{word}')]"):
            anchors.append(el)
            break
    anchors += [t for t in body.iter("table") if "本年新收" in t.text_content()][:1]
    if not anchors:
        return body
    chains = [list(a.iterancestors())[::-1] + [a] for a in anchors]
    common = body
    for level in zip(*chains):
        if all(x is level[0] for x in level):
            common = level[0]
        else:
            break
    while common.tag in ("p", "span", "strong", "b", "font", "td", "tr", "table", "tbody") and \
            common.getparent() is not None:
        common = common.getparent()
    return common


def _page_title(root, container) -> str | None:
    candidates = []
    for el in root.iter("h1", "h2", "h3", "h4"):
        candidates.append(el.text_content())
    for el in root.xpath("//*[contains(@class, 'title') or contains(@class, 'Title') or contains(@id, 'title')]"):
        candidates.append(el.text_content())
    t = root.find(".//title")
    if t is not None and t.text:
        candidates.append(re.split(r"[_|｜]| - | — ", t.text)[0])
    for c in candidates:
        c = _WS.sub(" ", c).strip()
        if len(c) <= 60 and _TITLE_WORDS.search(c):
            return c
    return None


class _Reader:
    def __init__(self, path: str):
        self.path = path
        self.blocks: list[Block] = []
        self.parts: list[str] = []
        self.bold: list[bool] = []
        self.line: int | None = None
        self.tables = 0

    def flush(self) -> None:
        text = _WS.sub(" ", "".join(self.parts)).strip()
        if text:
            heading = all(b for b, part in zip(self.bold, self.parts) if part.strip()) and len(text) <= 40
            self.blocks.append(Paragraph(text, Location(self.path, line=self.line), heading))
        self.parts, self.bold, self.line = [], [], None

    def add(self, text: str | None, bold: bool, line: int | None) -> None:
        if text:
            if self.line is None and text.strip():
                self.line = line
            self.parts.append(text)
            self.bold.append(bold)

    def walk(self, el, bold: bool = False) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag == "table" and not any(True for _ in el.iter("table") if _ is not el):
            self.flush()
            self.table(el)
            self.add(el.tail, bold, el.sourceline)
            return
        if tag == "br":
            self.flush()
            self.add(el.tail, bold, el.sourceline)
            return
        block = tag in _BLOCK
        if block:
            self.flush()
        inner_bold = bold or tag in _BOLD
        self.add(el.text, inner_bold, el.sourceline)
        for child in el:
            self.walk(child, inner_bold)
        if block:
            self.flush()
        self.add(el.tail, bold, el.sourceline)

    def table(self, el) -> None:
        self.tables += 1
        n = self.tables
        table = Table(where=Location(self.path, line=el.sourceline, where=f"表{n}"))
        covered: dict[int, int] = {}        # column -> the last row a cell above (or to the left) covers
        rows = [tr for tr in el.iter("tr")]
        if len(rows) > L.MAX_TABLE_ROWS:
            raise L.too_big(self.path, f"表{n}有 {len(rows):,} 行")
        for r, tr in enumerate(rows, 1):
            row: list[Cell] = []
            col = 1
            for td in tr:
                if td.tag not in ("td", "th"):
                    continue
                while covered.get(col, 0) >= r:
                    col += 1
                if col > L.MAX_TABLE_COLS:
                    raise L.too_big(self.path, f"表{n}第{r}行超过 {L.MAX_TABLE_COLS} 列")
                # spans clamped to the table's real size: a rowspan past the last row covers nothing more
                span = min(_int(td.get("colspan")), L.MAX_TABLE_COLS - col + 1)
                down = min(_int(td.get("rowspan")), len(rows) - r + 1)
                for dc in range(span):
                    covered[col + dc] = max(covered.get(col + dc, 0), r + down - 1)
                text = _WS.sub(" ", " ".join(t for t in td.itertext())).strip()
                row.append(Cell(text, Location(self.path, where=f"表{n} 第{r}行 第{col}列")))
                col += span
            table.rows.append(row)
        self.blocks.append(table)


def _int(value: str | None) -> int:
    try:
        return max(1, min(int(value or 1), 100))
    except ValueError:
        return 1
