"""Word (.docx) -> blocks: body paragraphs and tables in document order, merged cells read once.

python-docx opens the package; the body is then walked as XML, which is both faster than python-docx's
cell grid and exact about merges: a horizontally merged cell is one `w:tc` with `w:gridSpan`, and the
continuation of a vertical merge (`w:vMerge` without "restart") is skipped, so each cell's text comes once.
"""
from __future__ import annotations

import io

from ..location import Location
from ..problems import CannotRead
from .blocks import Block, Cell, Paragraph, Table

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_blocks(data: bytes, path: str) -> list[Block]:
    try:
        import docx
        document = docx.Document(io.BytesIO(data))
        body = document.element.body
    except Exception as e:  # python-docx raises zip, KeyError, lxml and ValueError errors alike
        raise CannotRead(f"{path}：Word 文件已损坏或不是 .docx 格式，无法打开（{type(e).__name__}）。"
                         "请用 Word 或 WPS 打开后重新“另存为”.docx 再导入。") from None
    styles = _heading_styles(document)
    blocks: list[Block] = []
    counter = {"p": 0, "t": 0}
    _walk(body, blocks, path, styles, counter)
    return blocks


def _walk(parent, blocks: list[Block], path: str, styles: set[str], counter: dict) -> None:
    for el in parent.iterchildren():
        tag = el.tag
        if tag == f"{_W}p":
            counter["p"] += 1
            text = _text(el)
            if text.strip():
                blocks.append(Paragraph(text, Location(path, where=f"第{counter['p']}段"), _is_heading(el, styles)))
        elif tag == f"{_W}tbl":
            counter["t"] += 1
            blocks.append(_table(el, path, counter["t"]))
        elif tag == f"{_W}sdt":
            content = el.find(f"{_W}sdtContent")
            if content is not None:
                _walk(content, blocks, path, styles, counter)


def _table(tbl, path: str, number: int) -> Table:
    table = Table(where=Location(path, where=f"表{number}"))
    for r, tr in enumerate(tbl.iter(f"{_W}tr"), 1):
        if tr.getparent() is not tbl:
            continue                                   # a row of a nested table
        row: list[Cell] = []
        col = 0
        for tc in tr.iterchildren(f"{_W}tc"):
            pr = tc.find(f"{_W}tcPr")
            span = 1
            if pr is not None:
                gs = pr.find(f"{_W}gridSpan")
                if gs is not None:
                    span = int(gs.get(f"{_W}val", "1") or 1)
                vm = pr.find(f"{_W}vMerge")
                if vm is not None and vm.get(f"{_W}val", "continue") != "restart":
                    col += span
                    continue                           # covered by the cell above
            col += span
            text = "\n".join(_text(p) for p in tc.iter(f"{_W}p")).strip()
            row.append(Cell(text, Location(path, where=f"表{number} 第{r}行 第{col - span + 1}列")))
        table.rows.append(row)
    return table


def _text(p) -> str:
    out = []
    for node in p.iter(f"{_W}t", f"{_W}tab", f"{_W}br", f"{_W}cr"):
        if node.tag == f"{_W}t":
            out.append(node.text or "")
        elif node.tag == f"{_W}tab":
            out.append(" ")
        else:
            out.append("\n")
    return "".join(out)


def _heading_styles(document) -> set[str]:
    ids = set()
    try:
        for style in document.styles.element.iter(f"{_W}style"):
            name = style.find(f"{_W}name")
            value = (name.get(f"{_W}val") if name is not None else "") or ""
            if value.lower().startswith(("heading", "title")) or value.startswith(("标题", "题目")):
                ids.add(style.get(f"{_W}styleId"))
    except Exception:
        pass
    return ids


def _is_heading(p, styles: set[str]) -> bool:
    pr = p.find(f"{_W}pPr")
    if pr is not None:
        st = pr.find(f"{_W}pStyle")
        if st is not None and st.get(f"{_W}val") in styles:
            return True
        if pr.find(f"{_W}outlineLvl") is not None:
            return True
    runs = [r for r in p.iter(f"{_W}r") if "".join(t.text or "" for t in r.iter(f"{_W}t")).strip()]
    return bool(runs) and all(_bold(r) for r in runs)


def _bold(r) -> bool:
    pr = r.find(f"{_W}rPr")
    b = pr.find(f"{_W}b") if pr is not None else None
    return b is not None and b.get(f"{_W}val", "true") not in ("0", "false")
