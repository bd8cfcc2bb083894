"""A published file that carries its own data (embedded.py): read the data, then hold it against what the file shows.

The embedded `report.yaml` is loaded as any YAML report (the same bounded, strict loader) and checked against the
embedded `cells.json`; it is then the imported report: exact numbers and text, nothing parsed.  What the pages show
is still read as for any published file, and each place where it differs from the data becomes a located
`data.differs` problem: 「文件中第 2 处与生成时的数据不一致：表三 一、本年新收政府信息公开申请数量 自然人，生成时为 5，
现在为 6」.  Data that cannot be used is said so (`data.invalid`), and the file is read as one without data.
"""
from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Callable

from . import cells as C
from .embedded import MAX_YAML, BadData, Payload, read_payload
from .limits import TooBig
from .location import Location
from .model import Report, export_cells
from .problems import GipError, Problem
from .rules.data import DATA_DIFFERS, DATA_INVALID, DATA_UNCHECKED

MAX_LISTED = 30          # differences listed one by one; the rest are counted in one more problem
_WHAT_TO_DO = "如果是有意修改，请改 YAML 后用 gip-author build 重新生成；否则请换回生成时的文件。"

Imported = tuple[Report, list[Problem]]


def import_with_data(path: str, kind: str, data: bytes, visible: Callable[[], Imported]) -> Imported:
    """Import a published file: its embedded data when it has usable data (compared with `visible()`, the file
    read as shown), else `visible()` alone, with a note when there was data that could not be used."""
    try:
        found = read_payload(kind, data)
        report = data_report(found, path) if found else None
    except (BadData, GipError) as e:
        report, notes = visible()
        note = Problem.of(DATA_INVALID, f"文件中内嵌的生成数据无法使用：{e}。已按文件中显示的内容导入，请核对。",
                          f"the data embedded in the file cannot be used: {e}. The file was read as shown.",
                          Location(path))
        report.load_problems.insert(0, note)
        return report, [note, *notes]
    if report is None:
        return visible()
    try:
        shown, _ = visible()
    except TooBig:
        raise                                          # a file built to exhaust the reader is refused, data or not
    except GipError as e:
        report.load_problems.append(Problem.of(
            DATA_UNCHECKED, f"已按文件内嵌的生成数据导入，但文件中显示的内容读不出（{e}），无法核对两者是否一致。",
            f"imported from the embedded data; what the file shows could not be read ({e}) to compare.",
            Location(path)))
        return report, list(report.load_problems)
    report.locations = dict(shown.locations)          # messages point at the place in the file, not in the data
    report.load_problems.extend(differences(report, shown, path))
    return report, list(report.load_problems)


# ------------------------------------------------------------------------------------------------- the data


def data_report(found: Payload, path: str) -> Report:
    """The report the payload carries, validated as a YAML report and against cells.json; BadData if unusable."""
    from .loader import loads
    if found.report_yaml is None:
        raise BadData("缺少 report.yaml（只有表格数字，没有完整报告）")
    if len(found.report_yaml.encode("utf-8")) > MAX_YAML:
        raise BadData(f"report.yaml 超过 {MAX_YAML // 2**20} MB")
    if not found.report_yaml.strip():
        raise BadData("report.yaml 是空的")
    try:
        report = loads(found.report_yaml, f"{path}（内嵌 report.yaml）")
    except GipError:
        raise
    except Exception as e:                              # noqa: BLE001 - whatever the loader did not foresee
        raise BadData(f"report.yaml 无法读取（{type(e).__name__}）") from None
    report.source = path
    if found.cells_json is not None:
        _agree(report, found.cells_json)
    return report


def _agree(report: Report, text: str) -> None:
    """cells.json must be the export of report.yaml: same agency, year and 200 numbers."""
    try:
        doc = json.loads(text)
    except (ValueError, RecursionError):
        raise BadData("cells.json 不是合法的 JSON") from None
    if not isinstance(doc, dict) or not isinstance(doc.get("cells"), dict):
        raise BadData("cells.json 的结构不对（应有 agency、year、cells）")
    if doc.get("agency") != report.agency or doc.get("year") != report.year:
        raise BadData("cells.json 与 report.yaml 的机关或年度不一致")
    want = export_cells(report)
    if set(doc["cells"]) != set(want) or any(not _same_number(doc["cells"][k], v) for k, v in want.items()):
        raise BadData("cells.json 与 report.yaml 的数字不一致")


def _same_number(a: object, b: object) -> bool:
    if a is None or b is None or isinstance(a, bool) or not isinstance(a, (int, float)):
        return a is None and b is None
    return abs(float(a) - float(b)) < 1e-9


# ------------------------------------------------------------------------------------------------- differences


def differences(data: Report, shown: Report, path: str) -> list[Problem]:
    """Every place, in reading order, where what the file shows differs from its data."""
    found = [d for d in _fields(data, shown) if d]
    problems = []
    for n, (key, label, was, now) in enumerate(found[:MAX_LISTED], 1):
        problems.append(Problem.of(
            DATA_DIFFERS,
            f"文件中第 {n} 处与生成时的数据不一致：{label}，生成时为 {was}，现在为 {now}。{_WHAT_TO_DO}"
            .replace("为 “", "为“"),
            f"difference {n} from the data the file was built with: {key} was {was}, the file now shows {now}.",
            shown.where(key) or Location(path), expected=was, actual=now))
    if len(found) > MAX_LISTED:
        rest = len(found) - MAX_LISTED
        problems.append(Problem.of(
            DATA_DIFFERS, f"文件中另有 {rest} 处与生成时的数据不一致，未逐一列出。{_WHAT_TO_DO}",
            f"{rest} more differences from the built data are not listed.", Location(path)))
    return problems


def _fields(data: Report, shown: Report):
    """(key, label, was, now) for each differing field, None for each equal one, in reading order."""
    H = C.SECTION_HEADINGS
    # an agency's letterhead (`build --templates`) is read with the title and the agency: it may stand around them
    yield _within("title", "标题", data.display_title, shown.display_title)
    yield _value("year", "年度", data.year, shown.year)
    yield _text("intro", "标题后的引言", data.intro, shown.intro)
    yield _value("scope", "统计范围", C.SCOPE_LABELS.get(data.scope), C.SCOPE_LABELS.get(shown.scope))
    if shown.period_start or shown.period_end:
        yield _value("intro", "统计期限", _period(data.start, data.end), _period(shown.start, shown.end))
    for key, heading, _ in C.GENERAL_PARTS:
        was = getattr(data.general, key) if data.general else None
        now = getattr(shown.general, key) if shown.general else None
        where = f"“{H['general']}”" + ("开头" if key == "overview" else heading)
        yield _text(f"general.{key}", f"{where}的文字", was, now)
    for section, table in (("disclosure", "t2."), ("requests", "t3."), ("appeals", "t4.")):
        yield _text(section, f"“{H[section]}”的说明文字", getattr(data, section), getattr(shown, section))
        for cell_id in C.CELL_IDS:
            if cell_id.startswith(table):
                yield _cell(cell_id, data.cells.get(cell_id), shown.cells.get(cell_id))
    for section in ("improvements", "other"):
        yield _text(section, f"“{H[section]}”的文字", getattr(data, section), getattr(shown, section))
    yield _within("agency", "落款的机关名称", data.agency, shown.agency)
    if data.published:
        yield _value("published", "落款日期", _day(data.published), _day(shown.published))


def _value(key: str, label: str, was: object, now: object):
    return None if was == now else (key, label, _shown(was), _shown(now))


def _within(key: str, label: str, was: str, now: str | None):
    return None if now and "".join(was.split()) in "".join(now.split()) else _value(key, label, was, now)


def _cell(cell_id: str, was, now):
    if was is not None and now is not None and Decimal(str(was)) == Decimal(str(now)) or was is None is now:
        return None
    return cell_id, C.CELL_LABELS[cell_id], _number(was), _number(now)


def _number(value) -> str:
    if value is None:
        return "空（读不出数字）"
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def _shown(value: object) -> str:
    return "空（找不到）" if value is None or value == "" else f"“{value}”" if isinstance(value, str) else str(value)


def _day(d: dt.date | None) -> str | None:
    return f"{d.year}年{d.month}月{d.day}日" if d else None


def _period(start: dt.date, end: dt.date) -> str:
    return f"{_day(start)}至{_day(end)}"


def _text(key: str, label: str, was: str | None, now: str | None):
    """Texts compared without their whitespace (line breaks differ between formats); the edit shown in context."""
    a, b = "".join((was or "").split()), "".join((now or "").split())
    if a == b:
        return None
    if not b:
        return key, label, _excerpt(a, 0, len(a)), "空（找不到这段文字）"
    head = 0
    while head < min(len(a), len(b)) and a[head] == b[head]:
        head += 1
    tail = 0
    while tail < min(len(a), len(b)) - head and a[-1 - tail] == b[-1 - tail]:
        tail += 1
    return key, label, _excerpt(a, head, len(a) - tail), _excerpt(b, head, len(b) - tail)


def _excerpt(text: str, start: int, end: int, context: int = 12, most: int = 60) -> str:
    """The changed part of `text` (start:end) with a little context either side, quoted; long parts shortened."""
    if not text:
        return "空"
    middle = text[start:end]
    if len(middle) > most:
        middle = middle[:most // 2] + "……" + middle[-most // 2:]
    before, after = text[max(0, start - context):start], text[end:end + context]
    return (f"“{'……' if start > context else ''}{before}{middle}{after}"
            f"{'……' if end + context < len(text) else ''}”")
