"""The rules: pure functions Report -> problems (arithmetic, compliance, lints), and their catalogue.

Where to add a rule: in the module of its kind (`numbers`, `meta`, `cross_year`, `text`; `input` and
`imports` for what reading a file finds), declare it once with `X = rule(id, severity, zh, en)` and, for a
report rule, write one function `@check_for(X) def f(report, previous)`.  A test fails until the rule has a
firing and a quiet test (tests/test_rule_coverage.py).  `check()` runs every check, load problems first;
`gip-author rules` and the README's rule table come from `catalogue()`.
"""
from __future__ import annotations

from ..model import Report
from ..problems import Problem
# Every rule module, in the order their checks run; importing them fills the registry.
from . import numbers, meta, cross_year, text, glyphs, input, imports, swings, children, data  # noqa: F401,E401
from .registry import CHECKS, RULES, check_for, rule

__all__ = ["CHECKS", "RULES", "catalogue", "check", "check_for", "rule"]


def check(report: Report, previous: Report | None = None) -> list[Problem]:
    """Every problem of the report (and against last year's, when given), load problems first."""
    problems = list(report.load_problems)
    for _, fn in CHECKS:
        problems.extend(fn(report, previous))
    return problems


def catalogue(fmt: str = "text", lang: str = "zh") -> str:
    """The rule reference: every rule's id, severity and description (README's table comes from here)."""
    rules = sorted(RULES.values(), key=lambda r: (r.severity != "error", r.id))
    if fmt == "json":
        import json
        return json.dumps([{"id": r.id, "severity": r.severity, "zh": r.zh, "en": r.en} for r in rules],
                          ensure_ascii=False, indent=2) + "\n"
    if fmt == "markdown":
        lines = ["| 规则 rule | 级别 severity | 检查什么 | what it checks |", "|---|---|---|---|"]
        lines += [f"| `{r.id}` | {r.severity} | {r.zh} | {r.en} |" for r in rules]
        return "\n".join(lines) + "\n"
    sev = {"zh": {"error": "错误", "warning": "警告"}, "en": {"error": "error", "warning": "warning"}}[lang]
    return "".join(f"{r.id:<24} {sev[r.severity]:<8} {r.en if lang == 'en' else r.zh}\n" for r in rules)
