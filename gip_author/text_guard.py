"""Text fit to publish: no invisible control or direction characters, no field longer than any real one.

A YAML double-quoted string can carry "\\v", "\\0" or "\\e"; text copied from a web page can carry a
right-to-left override (U+202E, which disguises file names) or a NEL.  `scrub_tree` finds them in the parsed
YAML, reports each with its line (`input.bad-text`) and removes them, so that `check` refuses the file and a
`--draft` build of it still renders clean text.  `overlong` reports an agency, title or text longer than the
limits of `limits.py`.  `clean` is what an importer applies to text read from a published file.
"""
from __future__ import annotations

import re

from . import limits as L
from .location import Location
from .problems import Problem
from .rules.input import BAD_TEXT

# C0 controls but tab, newline and carriage return; DEL; C1 controls (NEL included); the bidi embeddings,
# overrides and isolates; the BOM / zero-width no-break space inside text.
_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff]")


def clean(text: str) -> str:
    """`text` without the characters `input.bad-text` refuses."""
    return _BAD.sub("", text)


def printable(value):
    """Jinja's `finalize`: every printed value without control characters (escaped markup stays markup)."""
    if isinstance(value, str) and _BAD.search(value):
        return type(value)(clean(value)) if hasattr(value, "__html__") else clean(value)
    return value


def clean_blocks(blocks: list) -> None:
    """Remove control characters from the text an importer read (a PDF's or a page's stray bytes)."""
    for block in blocks:
        rows = getattr(block, "rows", None)
        if rows is None:
            block.text = clean(block.text)
            continue
        for row in rows:
            for cell in row:
                cell.text = clean(cell.text)


def _names(found: list[str]) -> str:
    return "、".join(f"U+{ord(ch):04X}" for ch in dict.fromkeys(found))


def scrub_tree(tree, path: str) -> list[Problem]:
    """Report and remove bad characters in every string value of a parsed YAML tree (positions kept)."""
    problems: list[Problem] = []

    def visit(node) -> None:
        items = node.items() if isinstance(node, dict) else enumerate(node)
        for key, value in list(items):
            if isinstance(value, (dict, list)):
                visit(value)
            elif isinstance(value, str) and _BAD.search(value):
                try:
                    line, column = node.pos.value(key)
                    loc = Location(path, line + 1, column + 1)
                except (AttributeError, KeyError, IndexError):
                    loc = Location(path)
                shown = _names(_BAD.findall(value))
                zh = (f"这里的文字中有不可见的控制字符（{shown}），常见于从网页或其他软件复制的文字，或引号里的"
                      "“\\v”“\\0”之类的转义。请删除这些字符后保存（生成草稿时已去掉）。")
                problems.append(Problem.of(BAD_TEXT, zh, f"invisible control characters ({shown}) in the text.",
                                           loc, actual=shown))
                node[key] = type(value)(clean(value)) if type(value) is not str else clean(value)

    if isinstance(tree, (dict, list)):
        visit(tree)
    return problems


def overlong(report) -> list[Problem]:
    """An agency, title or piece of narrative longer than any real one."""
    out = []
    fields = [("agency", "机关名称", report.agency, L.MAX_AGENCY_CHARS),
              ("title", "标题", report.title or "", L.MAX_TITLE_CHARS)]
    fields += [(key, heading, text, L.MAX_FIELD_CHARS) for key, heading, text in report.narrative()]
    for key, label, text, limit in fields:
        if len(text) > limit:
            zh = f"{label}有 {len(text):,} 个字，超过 {limit:,} 个字，不像真实内容。请核对后改短。"
            out.append(Problem.of(BAD_TEXT, zh, f"{key} is {len(text)} characters long (limit {limit}).",
                                  report.where(key), expected=f"≤ {limit}", actual=len(text)))
    return out


def agency_refusal(agency: str) -> str | None:
    """Why `init --agency` cannot take this name (None: it can)."""
    if not agency.strip():
        return "机关名称不能为空。请写全称，如：gip-author init --agency 某某区卫生健康局 --year 2025"
    if _BAD.search(agency):
        return f"机关名称中有不可见的控制字符（{_names(_BAD.findall(agency))}）。请重新输入机关名称。"
    if len(agency) > L.MAX_AGENCY_CHARS:
        return f"机关名称有 {len(agency)} 个字，超过 {L.MAX_AGENCY_CHARS} 个字。请写机关的正式全称。"
    return None
