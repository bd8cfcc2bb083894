"""YAML file -> Report, keeping the line and column of every value for messages.

The text is read by `files.py` (any encoding a clerk's file comes in), parsed with positions by
`yaml_positions.py`, and its top level read here: agency, year, kind, scope, dates, period and the six
sections, whose contents `yaml_sections.py` reads.  Value problems are collected, not raised, so that one run
reports them all; only a file that cannot be read as a mapping, or has no agency or year, stops the load.
"""
from __future__ import annotations

import os
from pathlib import Path

from . import cells as C
from . import yaml_keys as K
from .dates import DATE, parse_date
from .files import read_yaml_text
from .model import Location, Report, add_up
from .problems import InvalidReport, Problem
from .rules.input import BAD_SHAPE, ENCODING, MISSING
from .text_guard import overlong, scrub_tree
from .yaml_errors import only_own_errors
from .yaml_positions import YamlMap, parse_yaml
from .yaml_sections import SectionReader


def _results_total(cells: dict[str, object]) -> None:
    for col, _ in C.T3_COLUMNS:
        cells[C.t3("total", col)] = add_up(cells[C.t3(r, col)] for r in C.T3_RESULT_ROWS)


def read_report(data: YamlMap, path: str) -> Report:
    """Turn the parsed mapping into a Report; value problems go to `report.load_problems`."""
    r = SectionReader(path)
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
