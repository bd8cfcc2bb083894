"""What a check finds: the Rule and Problem records, and the errors that stop a load.

Every rule has a stable id, a severity and a one-line description in Chinese and English; the rules
themselves are declared in the `rules` package, whose registry (`rules.RULES`) `gip-author rules` and the
README's rule reference are generated from, so they cannot drift from the code.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Iterable, Literal

from .location import Location

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Rule:
    """A rule of the catalogue (declared with `rules.registry.rule`)."""

    id: str
    severity: Severity
    zh: str
    en: str


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


def tally(problems: Iterable[Problem]) -> tuple[int, int]:
    """(errors, warnings) among `problems`."""
    errors = warnings = 0
    for p in problems:
        if p.severity == "error":
            errors += 1
        else:
            warnings += 1
    return errors, warnings


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
