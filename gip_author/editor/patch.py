"""Write the page's values back into the clerk's YAML by changing only what changed.

Every value the page edits has a place in the file (the loader records where each value starts); the
composed YAML gives where it ends.  A changed number, row or text replaces exactly that span, so the clerk's
comments, blank lines, key spellings and order all stay as they were.  A value the file does not have yet
(a row left out, a 说明 never written) is added as a new key in its section.  Only a file whose shape leaves
no such place (a section that is not a mapping) is written out anew in the template's layout (`rewritten`).
"""
from __future__ import annotations

import json
import re
import unicodedata

import yaml

from .. import cells as C
from ..model import Report
from ..yaml_writer import _scalar
from .fields import KINDS, ROWS, SINGLE, TEXT_IDS

_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_DATE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ufeff]")
_SECTION_OF = {"t2": "disclosure", "t3": "requests", "t4": "appeals"}
_LABELS = {
    **{C.t2(r.key): r.label for r in C.T2_ROWS},
    **{C.t3(r.key): r.label for r in C.T3_ROWS},
    **{C.t4(g): label for g, label in C.T4_GROUPS},
    **{f"general.{k}": h for k, h, _ in C.GENERAL_PARTS},
    "disclosure.note": "说明", "requests.note": "说明", "appeals.note": "说明",
    "intro": "引言", "improvements": C.SECTION_HEADINGS["improvements"], "other": C.SECTION_HEADINGS["other"],
    "agency": "机关", "kind": "机关类型", "year": "年度", "published": "发布日期",
}


class NoPlace(Exception):
    """The file has no place for a value (its section is missing or not a mapping)."""


def number_token(value: str) -> str:
    """A cell as YAML: a number as typed (full-width digits folded), anything else quoted so that it can
    never change the file's structure; the loader then reports it as not a number, at its cell."""
    text = unicodedata.normalize("NFKC", value).strip()
    return text if _NUMBER.fullmatch(text) else json.dumps(text, ensure_ascii=False)


def clean_text(value: str) -> str:
    return _CONTROL.sub("", value.replace("\r\n", "\n").replace("\r", "\n")).strip()


class _Index:
    """The composed YAML: value nodes by where they start, and each value's key node."""

    def __init__(self, text: str):
        self.text = text
        self.at: dict[tuple[int, int], yaml.Node] = {}
        self.key_of: dict[int, yaml.Node] = {}
        self._walk(yaml.compose(text, Loader=yaml.CSafeLoader))

    def _walk(self, node) -> None:
        if node is None:
            return
        self.at.setdefault((node.start_mark.line, node.start_mark.column), node)
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                self.key_of[id(v)] = k
                self._walk(v)
        elif isinstance(node, yaml.SequenceNode):
            for v in node.value:
                self._walk(v)

    def node(self, report: Report, key: str):
        loc = report.locations.get(key)
        if loc is None or loc.line is None:
            return None
        return self.at.get((loc.line - 1, (loc.column or 1) - 1))

    def span(self, node) -> tuple[int, int]:
        """Where a value is, without the line breaks and indentation that follow a block value."""
        start, end = node.start_mark.index, node.end_mark.index
        while end > start and self.text[end - 1] in " \t\r\n":
            end -= 1
        return start, end


def patch(text: str, report: Report, old: dict[str, str], new: dict[str, str]) -> str:
    """`text` (the file `report` was loaded from) with the values that differ between `old` and `new`."""
    changed = {k for k in new if k in old and new[k] != old[k]}
    if not changed:
        return text
    ix = _Index(text)
    edits: list[tuple[int, int, str]] = []
    inserts: dict[str, list[str]] = {}   # section or mapping key -> lines of new keys
    appended: list[str] = []
    for row_key, cids, optional_total in ROWS:
        if not changed & set(cids):
            continue
        node = ix.node(report, row_key)
        values = [new[c] for c in cids]
        if optional_total and isinstance(node, yaml.SequenceNode) and len(node.value) == len(cids) - 1 \
                and _adds_up(values):
            values = values[:-1]   # the clerk left the total out and it still adds up: keep it out
        row = "[" + ", ".join(number_token(v) for v in values) + "]"
        if node is None:
            inserts.setdefault(_SECTION_OF[row_key[:2]], []).append(f"{_LABELS[row_key]}: {row}")
        else:
            edits.append((*ix.span(node), row))
    for cid in SINGLE:
        if cid in changed:
            _replace_or_insert(ix, report, cid, number_token(new[cid]), edits, inserts, appended)
    for key in TEXT_IDS:
        if key in changed:
            _text(ix, report, key, clean_text(new[key]), edits, inserts, appended)
    for key in ("agency", "kind", "year", "published"):
        if key in changed:
            _replace_or_insert(ix, report, key, _meta(key, new[key].strip()), edits, inserts, appended)
    for section, lines in inserts.items():
        node = ix.node(report, section)
        if not isinstance(node, yaml.MappingNode) or node.flow_style:
            raise NoPlace(section)
        indent = " " * node.start_mark.column
        block = "".join(line.replace("\n", "\n" + indent) + "\n" + indent for line in lines)
        edits.append((node.start_mark.index, node.start_mark.index, block))
    for start, end, new_text in sorted(edits, key=lambda e: (e[0], e[1]), reverse=True):
        text = text[:start] + new_text + text[end:]
    if appended:
        text = text.rstrip("\n") + "\n" + "\n".join(appended) + "\n"
    return text


def _adds_up(values: list[str]) -> bool:
    try:
        return sum(float(v) for v in values[:-1]) == float(values[-1])
    except ValueError:
        return False


def _meta(key: str, value: str) -> str:
    if key == "agency":
        return _scalar(value) if value else '""'
    if key == "kind":
        return value if value in KINDS.values() else json.dumps(value, ensure_ascii=False)
    if key == "year":
        return value if value.isdigit() else json.dumps(value, ensure_ascii=False)
    return value if _DATE.fullmatch(value) else (json.dumps(value, ensure_ascii=False) if value else "")


def _parent(key: str) -> str | None:
    """The mapping a missing key goes into (None: the top level)."""
    if key.startswith("t2."):
        return "disclosure"
    if key.startswith("general."):
        return "general"
    if key.endswith(".note"):
        return key[:-5]
    return None


def _replace_or_insert(ix: _Index, report: Report, key: str, token: str, edits, inserts, appended) -> None:
    node = ix.node(report, key)
    if node is not None:
        start, end = ix.span(node)
        lead = " " if start == end and token and ix.text[start - 1:start] == ":" else ""
        edits.append((start, end, lead + token))
    elif _parent(key):
        inserts.setdefault(_parent(key), []).append(f"{_LABELS[key]}: {token}")
    else:
        appended.append(f"{_LABELS[key]}: {token}")


def _body(lines: list[str], indent: str) -> str:
    return "".join("\n" + (indent + line if line.strip() else "") for line in lines)


def _text(ix: _Index, report: Report, key: str, value: str, edits, inserts, appended) -> None:
    """A text as a literal block (`key: |` and its lines), in place of the old one."""
    lines = value.split("\n") if value else []
    node = ix.node(report, key)
    if node is None:
        if _parent(key):
            inserts.setdefault(_parent(key), []).append(f"{_LABELS[key]}: |" + _body(lines, "  "))
        else:
            appended.append(f"{_LABELS[key]}: |" + _body(lines, "  "))
        return
    key_node = ix.key_of.get(id(node))
    indent = " " * ((key_node.start_mark.column if key_node else 0) + 2)
    text = ix.text
    start, end = ix.span(node)
    if isinstance(node, yaml.ScalarNode) and node.style == "|":
        header_end = text.find("\n", start)
        if header_end == -1 or header_end >= end:   # an empty block: keep its header (and its comment)
            edits.append((end, end, _body(lines, indent)))
            return
        body = text[header_end + 1:end]
        first = next((ln for ln in body.split("\n") if ln.strip()), "")
        indent = first[: len(first) - len(first.lstrip(" "))] or indent
        edits.append((header_end, end, _body(lines, indent)))
        return
    # a plain or quoted scalar, or nothing: becomes a block, any comment after it kept on the header line
    eol = text.find("\n", end)
    eol = len(text) if eol == -1 else eol
    rest = text[end:eol]
    comment = rest if rest.strip().startswith("#") else ""
    if rest.strip() and not comment:
        raise NoPlace(key)
    lead = " " if ix.text[start - 1:start] == ":" else ""
    edits.append((start, eol, lead + "|" + comment + _body(lines, indent)))


def rewrite(report: Report, values: dict[str, str]) -> str:
    """The whole file anew in the template's layout, for a file `patch` found no place in."""
    from ..loader import loads
    from ..yaml_writer import report_yaml
    text = patch(report_yaml(report), loads(report_yaml(report)),
                 {k: "\0" for k in values}, values)  # every value differs: every value is written
    return text


