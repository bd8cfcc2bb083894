"""YAML text -> Report, keeping the line and column of every value for messages.

The reader is forgiving where a clerk would be (GBK files, a BOM, labels with or without their numbering,
full- or half-width brackets, English keys) and strict where data could be lost (duplicate keys, counts
written as words or with units, blank cells).  Value problems are collected, not raised, so that one run
reports them all; only a file that cannot be read as a mapping stops the load.
"""
from __future__ import annotations

import difflib
import os
from decimal import Decimal
from pathlib import Path

from . import cells as C
from . import yaml_hints
from . import yaml_keys as K
from .dates import DATE, parse_date
from .files import read_yaml_text
from .model import General, Location, Report, add_up
from .number_forms import number_refusal
from .problems import InvalidReport, Problem
from .rules.input import BAD_NUMBER, BAD_SHAPE, DUPLICATE_KEY, ENCODING, MISSING, UNKNOWN_KEY
from .text_guard import overlong, scrub_tree
from .yaml_errors import only_own_errors
from .yaml_positions import BlockText, YamlList, YamlMap, parse_yaml

# -------------------------------------------------------------------------------- tree -> Report


class _Reader:
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


def _results_total(cells: dict[str, object]) -> None:
    for col, _ in C.T3_COLUMNS:
        cells[C.t3("total", col)] = add_up(cells[C.t3(r, col)] for r in C.T3_RESULT_ROWS)


def read_report(data: YamlMap, path: str) -> Report:
    """Turn the parsed mapping into a Report; value problems go to `report.load_problems`."""
    r = _Reader(path)
    r.problems += scrub_tree(data, path)
    fields: dict[str, object] = {}
    seen_sections: set[str] = set()
    t3_totals_given = False
    for key in data:
        meta = K.match(key, K.META_INDEX)
        section = None if meta else K.match(key, K.SECTION_INDEX)
        value = data[key]
        if meta:
            r.claim(meta, data, key)
            r.locations[meta] = r.loc(data, key)
            if isinstance(value, (list, dict)):
                r.problem(BAD_SHAPE, f"“{key}”应填写一项文字或数字，不是列表或下级键。",
                          f"'{key}' expects one value, not a list or mapping.", r.loc(data, key))
                value = None
            fields[meta] = value
        elif section:
            seen_sections.add(section)
            if section not in ("improvements", "other"):  # text() claims those itself
                r.claim(section, data, key)
            r.locations[section] = r.loc(data, key)
            if section == "general":
                fields["general"] = r.general(value, data, key)
            elif section in ("improvements", "other"):
                fields[section] = r.text(data, key, section)
            elif value is None:
                fields[section] = ""
            elif isinstance(value, YamlMap):
                if section == "requests":
                    t3_totals_given = any(K.match(k, K.T3_TOTAL_INDEX) for k in _walk_keys(value))
                reader = {"disclosure": r.table2, "requests": r.table3, "appeals": r.table4}[section]
                fields[section] = reader(value)
            else:
                r.problem(BAD_SHAPE, f"“{C.SECTION_HEADINGS[section]}”下应按表格各行填写，见 gip-author init 生成的模板。",
                          f"section {section} expects the rows of its table.", r.loc(data, key))
                fields[section] = ""
        else:
            choices = {k: v for k, v in {**C.META_KEYS, **K.SECTION_KEYS}.items()}
            r.unknown(data, key, {k: (v[0],) for k, v in choices.items()}, "文件第一层")
    if not t3_totals_given:
        _results_total(r.cells)

    for key, heading in C.SECTIONS:
        if key not in seen_sections:
            r.problem(MISSING, f"缺少“{heading}”部分。请按模板补上（没有内容也要写明“无”）。",
                      f"section '{heading}' is missing.", Location(path), expected=heading)

    fatal = []
    agency = str(fields.get("agency") or "").strip()
    if not agency:
        fatal.append(("机关", "agency"))
    year = fields.get("year")
    if isinstance(year, str) and year.strip().rstrip("年").isdigit():
        year = int(year.strip().rstrip("年"))
    if not isinstance(year, int) or isinstance(year, bool) or not 2000 <= year <= 2100:
        fatal.append(("年度", "year"))
    for zh, en in fatal:
        loc = r.locations.get(en, Location(path))
        r.problem(MISSING, f"缺少或填错了“{zh}”（如 {'年度: 2024' if en == 'year' else '机关: 某某区卫生健康局'}）。",
                  f"'{en}' is missing or invalid.", loc)
    if fatal:
        raise InvalidReport("\n".join(f"{p.location}：{p.zh}" for p in r.problems), r.problems)

    kind = "department"
    if fields.get("kind") is not None:
        kind = C.KINDS.get(C.normalize(str(fields["kind"])).lower(), "")
        if not kind:
            r.problem(BAD_SHAPE, f"机关类型“{fields['kind']}”无法识别，应为“部门”或“人民政府”。",
                      f"kind '{fields['kind']}' must be 部门 or 人民政府.", r.locations["kind"])
            kind = "department"
    scope = "self"
    if fields.get("scope") is not None:
        from .scope import choices, parse_scope
        scope = parse_scope(fields["scope"]) or ""
        if not scope:
            r.problem(BAD_SHAPE, f"范围“{fields['scope']}”无法识别，应为{choices()}（汇总了所属单位数字的填后者）。",
                      f"scope '{fields['scope']}' must be 本机关 or 本级及所属单位.", r.locations["scope"])
            scope = "self"
    published = None
    if fields.get("published") is not None:
        published = parse_date(fields["published"])
        if published is None:
            r.problem(BAD_SHAPE, f"发布日期“{fields['published']}”无法识别，请写成 2025-01-20 或 2025年1月20日。",
                      f"date '{fields['published']}' not understood; write 2025-01-20.", r.locations["published"])
    start = end = None
    if fields.get("period") is not None:
        dates = [parse_date(m.group(0)) for m in DATE.finditer(str(fields["period"]))]
        if len(dates) == 2 and all(dates):
            start, end = dates
        else:
            r.problem(BAD_SHAPE, f"统计期限“{fields['period']}”无法识别，请写成“{year}年1月1日至{year}年12月31日”。",
                      "period not understood; write 2024年1月1日至2024年12月31日.", r.locations["period"])

    report = Report(
        agency=agency, kind=kind, scope=scope, year=year,
        title=str(fields["title"]).strip() if fields.get("title") else None,
        published=published, period_start=start, period_end=end,
        intro=str(fields.get("intro") or "").strip(),
        general=fields.get("general"),
        disclosure=fields.get("disclosure"), requests=fields.get("requests"), appeals=fields.get("appeals"),
        improvements=fields.get("improvements"), other=fields.get("other"),
        cells=r.cells, source=path, locations=r.locations,
    )
    report.load_problems.extend(r.problems)
    report.load_problems.extend(overlong(report))
    return report


def _walk_keys(value):
    for k, v in value.items():
        yield k
        if isinstance(v, YamlMap):
            yield from _walk_keys(v)


def read_text(path: Path) -> tuple[str, list[Problem]]:
    """A YAML report's text, and a note when it was not UTF-8.  Refuses binary and huge files."""
    text, encoding = read_yaml_text(path)
    if encoding == "UTF-8":
        return text, []
    return text, [Problem.of(
        ENCODING,
        f"文件是 {encoding} 编码，已正确读取。为避免在其他电脑上出现乱码，建议用记事本“另存为”，编码选“UTF-8”。",
        f"the file is {encoding}-encoded; it was read correctly, but re-save it as UTF-8.",
        Location(str(path)))]


def load(path: str | os.PathLike) -> Report:
    """Read a report from a YAML file.  Raises CannotRead / InvalidReport only; value problems ride along."""
    path = Path(path)
    text, problems = read_text(path)
    report = loads(text, str(path))
    report.load_problems[:0] = problems
    return report


def loads(text: str, path: str = "<string>") -> Report:
    """A report from YAML text.  Raises CannotRead / InvalidReport only, whatever the text holds."""
    with only_own_errors(path):
        return read_report(parse_yaml(text, path), path)
