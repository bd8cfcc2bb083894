"""YAML text -> dicts, lists and scalars that remember where each value was written (line and column).

libyaml (PyYAML's C parser) composes the node tree; `_plain` walks it once into `YamlMap` / `YamlList`,
each carrying the 0-based position of its keys and values in `.pos`, so the loader can say "报告.yaml:12:5".
Scalars get YAML 1.2 meanings: "010" is ten, yes/no/on/off are words, dates stay text.  Aliases and keys
written twice are refused while walking; every failure becomes one InvalidReport (`yaml_errors`).
"""
from __future__ import annotations

import yaml
from yaml.error import YAMLError

from . import yaml_errors
from .number_forms import keep_float, keep_int
from .yaml_errors import AliasFound, DuplicateKeyFound


class Positions:
    """0-based (line, column) of a mapping's keys and values or a sequence's items, for messages."""

    __slots__ = ("keys", "values")

    def __init__(self):
        self.keys: dict = {}
        self.values: dict = {}

    def key(self, key):
        return self.keys[key]

    def value(self, key):
        return self.values[key]


class YamlMap(dict):
    """A YAML mapping with the position of every key and value (`.pos`)."""

    pos: Positions


class YamlList(list):
    """A YAML sequence with the position of every item (`.pos.value(i)`)."""

    pos: Positions


class BlockText(str):
    """Text written as a `|` block: its lines are the file's lines."""


_FLOAT_TAG, _INT_TAG = "tag:yaml.org,2002:float", "tag:yaml.org,2002:int"
_constructor = yaml.constructor.SafeConstructor()


def _scalar(node: yaml.ScalarNode):
    """YAML 1.2 meanings on libyaml's 1.1 tags: "010" is ten, yes/no/on/off are words, dates and
    binary stay text (a clerk's "2025-02-30" becomes a message with a line, not a crash)."""
    tag, value = node.tag, node.value
    if tag == "tag:yaml.org,2002:null":
        return None
    if tag == "tag:yaml.org,2002:bool":
        return {"true": True, "false": False}.get(value.lower(), value)
    if tag == _INT_TAG:  # 1:30, 1_000, 0x1A, 0o7 stay text: numbers are what they look like (number_forms)
        return int(value) if keep_int(value) else value
    if tag == _FLOAT_TAG:
        return _constructor.construct_yaml_float(node) if keep_float(value) else value
    if not tag.startswith("tag:yaml.org,2002:"):
        return f"{tag} {value}"  # an application tag ("!foo 3") is shown as written
    return BlockText(value) if node.style == "|" else value


def _plain(node, seen: set[int]):
    """Node tree -> dicts, lists and scalars with positions.  An alias (a node met twice) is refused, so
    a "billion laughs" file costs nothing; a key written twice is refused, so nothing is lost silently."""
    if id(node) in seen:
        raise AliasFound(node.start_mark)
    seen.add(id(node))
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node)
    if isinstance(node, yaml.SequenceNode):
        out = YamlList()
        out.pos = Positions()
        for i, item in enumerate(node.value):
            out.pos.values[i] = (item.start_mark.line, item.start_mark.column)
            out.append(_plain(item, seen))
        return out
    out = YamlMap()
    out.pos = Positions()
    for key_node, value_node in node.value:
        key = _plain(key_node, seen)
        if isinstance(key, (dict, list)):
            key = _key_text(key_node)[:60]    # "[a, b]" as written, for the message
        if key in out.pos.keys:
            raise DuplicateKeyFound(key, out.pos.keys[key], key_node.start_mark)
        out.pos.keys[key] = (key_node.start_mark.line, key_node.start_mark.column)
        out.pos.values[key] = (value_node.start_mark.line, value_node.start_mark.column)
        out[key] = _plain(value_node, seen)
    return out


_ODD_BREAKS = {0x2028: " ", 0x2029: " ", 0x85: " "}


def _key_text(node) -> str:
    """A list or mapping used as a key, written back the way a clerk wrote it."""
    if isinstance(node, yaml.ScalarNode):
        return node.value
    if isinstance(node, yaml.SequenceNode):
        return "[" + ", ".join(_key_text(n) for n in node.value) + "]"
    return "{" + ", ".join(f"{_key_text(k)}: {_key_text(v)}" for k, v in node.value) + "}"


def parse_yaml(text: str, path: str) -> YamlMap:
    """Parse YAML keeping positions; every kind of unreadable text becomes one clear InvalidReport."""
    if not text.strip():
        raise yaml_errors.empty_file(path)
    # libyaml breaks lines at U+2028/U+2029/U+0085 (pasted from Word), editors do not: read them as spaces, so
    # that every line number in a message is the line the clerk sees (and a comment does not end mid-line)
    if any(ch in text for ch in "\u2028\u2029\x85"):   # str.translate walks every character: only when needed
        text = text.translate(_ODD_BREAKS)
    try:
        node = yaml.compose(text, Loader=yaml.CSafeLoader)
        if node is None:                       # comments only
            raise yaml_errors.only_comments(path)
        data = _plain(node, set())
    except (AliasFound, DuplicateKeyFound, YAMLError, RecursionError, ValueError, TypeError, OverflowError) as e:
        raise yaml_errors.unreadable(e, text, path) from None
    if not isinstance(data, YamlMap):
        raise yaml_errors.not_a_mapping(path)
    return data
