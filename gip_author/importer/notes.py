"""The import rules and the collector of what an import could not recover or had to guess.

The import rules are declared in `rules/imports.py` like every other rule, so `gip-author rules` lists
them and `gip-author check FILE.pdf` reports them with the same ids and messages.
"""
from __future__ import annotations

from ..location import Location
from ..problems import Problem, Rule
from ..rules.imports import (GUESSED, NO_REPORT, NOT_FOUND, OCR, OCR_CORRECTED, OUTDATED,  # noqa: F401
                            UNREADABLE_CELL)

class Notes(list):
    """The problems an import found, in the order it found them."""

    def add(self, r: Rule, zh: str, en: str, where: Location | None = None,
            expected: object = None, actual: object = None) -> None:
        self.append(Problem.of(r, zh, en, where, expected, actual))
