"""What a check finds: the rule catalogue, the Problem record and the errors that stop a load.

Every rule has a stable id, a severity and a one-line description in Chinese and English; `gip-author rules`
and the README's rule reference are generated from `RULES`, so they cannot drift from the code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from .location import Location

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    id: str
    severity: Severity
    zh: str
    en: str


RULES: dict[str, Rule] = {}


def rule(id: str, severity: Severity, zh: str, en: str) -> Rule:
    """Register a rule in the catalogue (once, at import time) and return it."""
    assert id not in RULES, id
    RULES[id] = r = Rule(id, severity, zh, en)
    return r


# The input rules, found while reading the file; the report rules live in rules.py.
ENCODING = rule("input.encoding", "warning", "文件不是 UTF-8 编码（已按 GBK/GB18030 读取，建议另存为 UTF-8）",
                "the file is not UTF-8 (read as GBK/GB18030; re-save it as UTF-8)")
SYNTAX = rule("input.syntax", "error", "YAML 格式错误（缩进、冒号、括号、Tab 等）",
              "YAML syntax error (indentation, colons, brackets, tabs)")
DUPLICATE_KEY = rule("input.duplicate-key", "error", "同一个键写了两次（后写的会覆盖先写的，造成数据丢失）",
                     "a key written twice (the later would silently replace the earlier)")
UNKNOWN_KEY = rule("input.unknown-key", "error", "无法识别的键（可能拼写有误）",
                   "a key that is not part of the format (probably misspelt)")
BAD_NUMBER = rule("input.bad-number", "error", "数字不合法：须为不小于 0 的整数（金额可为小数），不能留空、写汉字或带单位",
                  "not a valid count: a non-negative integer (amounts may be decimal), not blank, words or units")
BAD_SHAPE = rule("input.bad-shape", "error", "结构不对：如表格一行的数字个数不对、应为文字处写成了列表",
                 "wrong shape: a table row with the wrong number of values, a list where text is expected")
MISSING = rule("input.missing", "error", "缺少必填项或整个章节（机关、年度、六个部分）",
               "a required field or a whole section is missing (agency, year, the six sections)")


# The import rules: what reading a published file back could not recover or had to guess.
NO_REPORT = rule("import.no-report", "error", "文件不是政府信息公开工作年度报告（找不到标题、章节和表格）",
                 "the file is not an annual report at all (no title, sections or tables found)")
UNREADABLE_CELL = rule("import.unreadable-cell", "error",
                       "导入时表格中有读不出数字的格子（空白、“—”、缺行）：按“空”处理，不会当作 0",
                       "a table cell could not be read on import (blank, a dash, a missing row): kept empty, never 0")
NOT_FOUND = rule("import.not-found", "error", "导入时找不到某个部分（章节、表格或机关、年度）",
                 "a part of the report (a section, a table, the agency or the year) was not found on import")
GUESSED = rule("import.guessed", "warning", "导入时有内容是推断出来的（如机关名称取自正文、段落归入哪一部分），请核对",
               "something was inferred on import (e.g. the agency from the text, which part a paragraph belongs to)")
# The data rules: a published file that carries the data it was built from (embedded.py, compare.py).
DATA_DIFFERS = rule("data.differs", "error", "文件显示的内容与文件内嵌的生成数据不一致（生成后文件被改过）",
                    "what the file shows differs from the data embedded in it when it was built (edited since)")
DATA_INVALID = rule("data.invalid", "warning", "文件内嵌的生成数据无法使用（损坏、过大或前后矛盾），已按显示的内容导入",
                    "the data embedded in the file cannot be used (damaged, too large, inconsistent); read as shown")
DATA_UNCHECKED = rule("data.unchecked", "warning", "已按内嵌的生成数据导入，但读不出文件显示的内容，无法核对两者",
                      "imported from the embedded data, but what the file shows could not be read to compare")
OUTDATED = rule("template.outdated", "error",
                "用的是已废止的 2019 年格式（国办公开办函〔2019〕60号），应改用 2021 年格式（国办公开办函〔2021〕30号）",
                "the outdated 2019 layout (国办公开办函〔2019〕60号) instead of the 2021 format")


@dataclass(frozen=True)
class Problem:
    rule: str
    zh: str
    en: str
    location: Location | None = None
    expected: object = None
    actual: object = None
    severity: Severity = field(default="error")

    @classmethod
    def of(cls, r: Rule, zh: str, en: str, location: Location | None = None,
           expected: object = None, actual: object = None) -> "Problem":
        return cls(r.id, zh, en, location, expected, actual, r.severity)

    def message(self, lang: str = "zh") -> str:
        return self.en if lang == "en" else self.zh

    def to_dict(self) -> dict:
        loc = self.location
        return {
            "rule": self.rule,
            "severity": self.severity,
            "message": self.zh,
            "message_en": self.en,
            "file": loc.path if loc else None,
            "line": loc.line if loc else None,
            "column": loc.column if loc else None,
            "where": loc.where if loc else None,
            "expected": _plain(self.expected),
            "actual": _plain(self.actual),
        }


def _plain(value: object) -> object:
    if value is None or isinstance(value, (int, float, str, bool)):
        return value
    return str(value)


class GipError(Exception):
    """Base of the errors the CLI turns into a message and an exit code."""

    exit_code = 1

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message)
        self.problems = problems or []


class CannotRead(GipError):
    """The file cannot be read as a report at all (missing, binary, too large, undecodable)."""

    exit_code = 2


class InvalidReport(GipError):
    """The file was read but is not a report we can go on with (syntax error, no agency or year)."""

    exit_code = 1
