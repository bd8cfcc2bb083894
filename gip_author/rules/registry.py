"""The rule registry: every rule's id, severity and description (`RULES`), and the checks that find them (`CHECKS`).

A rule is declared once, `X = rule(id, severity, zh, en)`; a report rule also has one function
`@check_for(X) def f(report, previous) -> Iterator[Problem]`.  The package's `__init__` imports every rule
module, so the registry is complete whatever is imported first.
"""
from __future__ import annotations

from typing import Callable, Iterator

from ..model import Report
from ..problems import Problem, Rule, Severity

CheckFn = Callable[[Report, Report | None], Iterator[Problem]]
RULES: dict[str, Rule] = {}
CHECKS: list[tuple[Rule, CheckFn]] = []


def rule(id: str, severity: Severity, zh: str, en: str) -> Rule:
    """Register a rule in the catalogue (once, at import time) and return it."""
    assert id not in RULES, id
    RULES[id] = r = Rule(id, severity, zh, en)
    return r


def check_for(r: Rule):
    """Register the decorated function as the check that finds `r`'s problems."""
    def register(fn: CheckFn) -> CheckFn:
        CHECKS.append((r, fn))
        return fn
    return register


def problem_at(r: Rule, report: Report, key: str, zh: str, en: str, expected=None, actual=None) -> Problem:
    """A problem located where the report's `key` (a cell id or field) was written."""
    return Problem.of(r, zh, en, report.where(key), expected, actual)
