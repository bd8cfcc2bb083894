"""The sections of a parsed report YAML read into Report values: section 一's parts, the narratives, and the
rows of Tables 2–4 into cells, each with the line and column it was written at.

Forgiving where a clerk would be (labels with or without their numbering, full- or half-width forms, English
keys, a row as a list or as a mapping of column labels, a total left out) and strict where data could be lost
(a field given twice, counts written as words or with units, blank cells, rows of the wrong length).  Every
problem is collected with its location, never raised, so that one run reports them all.
"""
from __future__ import annotations

import difflib
from decimal import Decimal

from . import cells as C
from . import yaml_hints
from . import yaml_keys as K
from .model import General, Location, add_up
from .limits import MAX_COUNT
from .number_forms import number_refusal
from .problems import Problem
from .rules.input import BAD_NUMBER, BAD_SHAPE, DUPLICATE_KEY, UNKNOWN_KEY
from .yaml_positions import BlockText, YamlList, YamlMap


class SectionReader:
    """Walks the parsed mapping into Report fields, collecting problems with locations."""

    def __init__(self, path: str):
        self.path = path
        self.problems: list[Problem] = []
        self.locations: dict[str, Location] = {}
        self.cells: dict[str, object] = dict.fromkeys(C.CELL_IDS, 0)
        self.claimed: set[str] = set()

    # ---- locations and problems

    def loc(self, parent, key) -> Location:
        try:
            line, col = parent.pos.value(key)
            return Location(self.path, line + 1, col + 1)
        except (AttributeError, KeyError, TypeError, IndexError):
            return Location(self.path)

    def key_loc(self, parent, key) -> Location:
        try:
            line, col = parent.pos.key(key)
            return Location(self.path, line + 1, col + 1)
        except (AttributeError, KeyError, TypeError):
            return Location(self.path)

    def problem(self, rule, zh, en, loc, expected=None, actual=None):
        self.problems.append(Problem.of(rule, zh, en, loc, expected, actual))

    def claim(self, field: str, parent, key) -> bool:
        """Note that `field` is given by `key`; a second key for the same field (e.g. "规章" and
        "regulations", or "（一）主动公开" and "主动公开") would silently replace the first: say so (False)."""
        first = self.locations.get(field)
        if field not in self.claimed:
            self.claimed.add(field)
            return True
        where = f"第 {first.line} 行" if first and first.line else "前面"
        self.problem(DUPLICATE_KEY, f"“{key}”与{where}的键是同一项，写了两次（后写的会覆盖先写的）。"
                     "请删掉或合并其中一处。",
                     f"'{key}' names the same item as the key on line {first.line if first else '?'}; "
                     "the later would replace the earlier.", self.key_loc(parent, key), actual=str(key))
        return False

    def unknown(self, parent, key, choices: dict[str, tuple[str, ...]], where: str):
        official = [aliases[0] for aliases in choices.values()]
        guess = difflib.get_close_matches(C.normalize(str(key)), official, n=1, cutoff=0.4)
        hint_zh = f"是不是“{guess[0]}”？" if guess else f"这里可用的键：{'、'.join(official)}。"
        hint_en = f"did you mean '{guess[0]}'?" if guess else f"expected one of: {', '.join(official)}."
        self.problem(UNKNOWN_KEY, f"{where}里有无法识别的键“{key}”。{hint_zh}",
                     f"unknown key '{key}' in {where}; {hint_en}", self.key_loc(parent, key),
                     expected=guess[0] if guess else None, actual=str(key))

    # ---- scalars

    def text(self, parent, key, field: str) -> str:
        value = parent[key]
        self.claim(field, parent, key)
        loc = self.locations[field] = self.loc(parent, key)
        if value is None:
            return ""
        if isinstance(value, (list, dict)):
            self.problem(BAD_SHAPE, "这里应填写文字，不是列表或下级键。多段文字请用“|”开头、每段一行。",
                         "text expected here, not a list or mapping", loc)
            return ""
        text = str(value)
        if isinstance(value, BlockText) and loc.line:
            # In a `|` block every line of the text is a line of the file: remember where the first one
            # is, so that a rule can point at the very line of a sentence ("<field>.text").
            skipped = text[: len(text) - len(text.lstrip())].count("\n")
            key_col = self.key_loc(parent, key).column or 1
            self.locations[f"{field}.text"] = Location(self.path, loc.line + 1 + skipped, key_col + 2)
        return text.strip()

    def number(self, parent, key, cell_id: str, label: str):
        """A count (non-negative integer) or, for the 万元 amount, a non-negative decimal; else a problem."""
        value = parent[key]
        loc = self.loc(parent, key)
        self.claim(cell_id, parent, key)
        self.locations[cell_id] = loc
        decimal = cell_id in C.DECIMAL_CELLS
        if type(value) is int and 0 <= value <= MAX_COUNT:   # the usual cell: nothing below can object
            return Decimal(str(value)) if decimal else value
        kind = "（万元，可有小数）" if decimal else "整数"
        refused = number_refusal(value, label, kind, _shown(value))   # 1:30, 0x1A, 1_000, > 10^9
        if refused:
            self.problem(BAD_NUMBER, *refused[:2], loc, *refused[2:])
            return None
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            shown = "空白" if value is None or str(value).strip() == "" else f"“{_shown(value)}”"
            self.problem(BAD_NUMBER, f"{label} 填的是{shown}，应填阿拉伯数字{kind}，没有就填 0，不要写汉字或单位。",
                         f"{label} is {_shown(value)!r}; write an Arabic number (0 if none), no words or units.",
                         loc, expected="数字", actual=None if value is None else _shown(value))
            return None
        if isinstance(value, float) and (value != value or value in (float("inf"), float("-inf"))):
            self.problem(BAD_NUMBER, f"{label} 填的是“{value}”，应填阿拉伯数字{kind}，没有就填 0。",
                         f"{label} is {value}; write an Arabic number.", loc, expected="数字", actual=str(value))
            return None
        if isinstance(value, float) and not decimal:
            if value != int(value):
                self.problem(BAD_NUMBER, f"{label} 填的是 {value}，件数必须是整数。",
                             f"{label} is {value}; counts are whole numbers.", loc, expected="整数", actual=value)
                return None
            value = int(value)
        if value < 0:
            self.problem(BAD_NUMBER, f"{label} 填的是 {value}，不能为负数。没有就填 0。",
                         f"{label} is {value}; it cannot be negative.", loc, expected="≥ 0", actual=value)
            return None
        return Decimal(str(value)) if decimal else int(value)

    def row(self, parent, key, cell_ids: list[str], labels: list[str], where: str, optional_last: bool):
        """A table row written as a list (or a mapping of column labels) into its cells."""
        value = parent[key]
        if not self.claim(cell_ids[0].rpartition(".")[0], parent, key):
            self.claimed.difference_update(cell_ids)   # a row written twice is said once, not once per cell
        self.locations[cell_ids[0].rpartition(".")[0]] = self.loc(parent, key)
        if isinstance(value, YamlMap):
            index = {C.normalize(lbl): cid for cid, lbl in zip(cell_ids, labels)}
            index.update({cid.rpartition(".")[2]: cid for cid in cell_ids})
            given = {}
            for k in value:
                cid = index.get(C.normalize(str(k)))
                if cid is None:
                    self.unknown(value, k, {lbl: (lbl,) for lbl in labels}, where)
                else:
                    given[cid] = self.number(value, k, cid, f"{where} {labels[cell_ids.index(cid)]}")
            for cid in cell_ids:
                self.cells[cid] = given.get(cid, 0)
            if cell_ids[-1] not in given and optional_last:
                self.cells[cell_ids[-1]] = add_up(self.cells[c] for c in cell_ids[:-1])
            return
        if not isinstance(value, YamlList):
            value_seq = [value]
        else:
            value_seq = value
        n = len(cell_ids)
        if len(value_seq) not in ((n - 1, n) if optional_last else (n,)):
            cols = "、".join(labels)
            loc = self.loc(parent, key)
            slip = yaml_hints.row_hint(value, loc.line)
            self.problem(BAD_SHAPE, slip or f"{where} 应有 {n} 个数（{cols}）{'，总计可省略' if optional_last else ''}，"
                         f"现在有 {len(value_seq)} 个。",
                         f"{where} needs {n} numbers ({', '.join(cell_ids)}), got {len(value_seq)}.",
                         self.loc(parent, key), expected=n, actual=len(value_seq))
            for cid in cell_ids:
                self.cells[cid] = None
            return
        for i, cid in enumerate(cell_ids[: len(value_seq)]):
            if isinstance(value, YamlList):
                self.cells[cid] = self.number(value, i, cid, f"{where} {labels[i]}")
            else:
                self.cells[cid] = self.number(parent, key, cid, f"{where} {labels[i]}")
        if len(value_seq) == n - 1:
            self.cells[cell_ids[-1]] = add_up(self.cells[c] for c in cell_ids[:-1])

    # ---- sections

    def general(self, value, parent, key) -> General:
        self.locations["general"] = self.loc(parent, key)
        if value is None or isinstance(value, str):
            return General(overview=(value or "").strip())
        if not isinstance(value, YamlMap):
            self.problem(BAD_SHAPE, "“一、总体情况”应按（一）至（五）分项填写文字。", "section 一 expects its parts as text.",
                         self.loc(parent, key))
            return General()
        parts: dict[str, str] = {}
        for k in value:
            part = K.match(k, K.PART_INDEX)
            if part is None:
                self.unknown(value, k, K.PART_KEYS, "“一、总体情况”")
            else:
                parts[part] = self.text(value, k, f"general.{part}")
        return General(**parts)

    def table2(self, value: YamlMap) -> str:
        note = ""
        for k in value:
            field = K.match(k, K.T2_INDEX)
            if field == "note":
                note = self.text(value, k, "disclosure.note")
            elif field is None:
                self.unknown(value, k, K.T2_KEYS, C.TABLE_NAMES["t2"])
            else:
                row = C.T2_ROW_BY_KEY[field]
                if row.columns:
                    self.row(value, k, list(C.t2_cells(row)),
                             [lbl for _, lbl in row.columns], f"表二 {row.label}", optional_last=False)
                else:
                    self.cells[C.t2(row.key)] = self.number(value, k, C.t2(row.key), f"表二 {row.label}")
        return note

    def table3(self, value: YamlMap, group: str = "") -> str:
        note = ""
        for k in value:
            g = K.match(k, K.T3_GROUP_INDEX)
            if g == "note":
                note = self.text(value, k, "requests.note")
                continue
            if g is not None and isinstance(value[k], YamlMap):
                self.table3(value[k], g)
                continue
            if g is not None and value[k] is None:
                continue  # a group with no rows under it: its rows are zero, like any omitted row
            if g is not None:
                rows_in = [r.label for r in C.T3_ROWS if r.group == g] or [r.label for r in C.T3_ROWS if r.group]
                self.problem(BAD_SHAPE, f"表三“{k}”下应逐行填写：{'、'.join(rows_in[:3])}……，每行 7 个数"
                             "（2021 年格式），不能只写一行或一段文字。可对照 gip-author init 生成的模板。",
                             f"Table 3 '{k}' expects its rows, one list of 7 numbers each.", self.loc(value, k))
                continue
            row_key = K.t3_row(k, group)
            if row_key is None:
                choices = {r.key: (r.label,) for r in C.T3_ROWS if not group or r.group == group}
                self.unknown(value, k, choices | ({} if group else K.T3_GROUP_KEYS), C.TABLE_NAMES["t3"])
                continue
            row = C.T3_ROW_BY_KEY[row_key]
            self.row(value, k, [C.t3(row_key, c) for c, _ in C.T3_COLUMNS], [lbl for _, lbl in C.T3_COLUMNS],
                     f"表三 {row.group + ' ' if row.group and row.group != C.T3_RESULTS else ''}{row.label}",
                     optional_last=True)
        return note

    def table4(self, value: YamlMap) -> str:
        note = ""
        for k in value:
            field = K.match(k, K.T4_INDEX)
            if field == "note":
                note = self.text(value, k, "appeals.note")
            elif field == "litigation" and isinstance(value[k], YamlMap):
                self.table4(value[k])
            elif field in K.T4_KEYS:
                label = dict(C.T4_GROUPS)[field]
                self.row(value, k, [C.t4(field, c) for c, _ in C.T4_COLUMNS], [lbl for _, lbl in C.T4_COLUMNS],
                         f"表四 {label}", optional_last=True)
            else:
                self.unknown(value, k, K.T4_KEYS, C.TABLE_NAMES["t4"])
        return note


def _shown(value: object) -> str:
    """A value as the clerk wrote it (a list or mapping shown briefly), for messages."""
    if type(value) is int or type(value) is float:  # every cell passes here: no ABC checks for a plain number
        text = str(value)
        return text if len(text) <= 40 else text[:40] + "…"
    from collections.abc import Mapping, Sequence, Set
    if isinstance(value, (Mapping, Set)) or (isinstance(value, Sequence) and not isinstance(value, str)):
        return "列表或下级键"
    tag = getattr(getattr(value, "tag", None), "value", None)
    text = str(getattr(value, "value", value))
    if tag and not str(tag).startswith("tag:yaml.org"):
        text = f"{tag} {text}"
    return text if len(text) <= 40 else text[:40] + "…"
