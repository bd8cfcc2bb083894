"""One report being edited: the file as loaded, the page's values checked by the rules `check` runs, and saving.

Every check writes the page's values into the file's text (patch.py) and loads and checks that text with the
loader and rules `gip-author check` uses, so the page shows exactly what `check` would say of the saved file.
Each problem is placed on the field whose value it is about (by the location the loader recorded).
"""
from __future__ import annotations

import bisect
import re
import hashlib
import threading
from pathlib import Path

from ..loader import loads, read_text
from ..output import write_atomic
from ..problems import GipError
from ..rules import check
from .fields import ROWS, TEXT_IDS, field_label, values
from .patch import NoPlace, patch, rewrite

_ROW_TOTAL = {row: cids[-1] for row, cids, _ in ROWS}


class Conflict(Exception):
    """The file changed on disk since it was loaded."""


class Session:
    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.lock = threading.Lock()
        self.reload()

    def reload(self) -> None:
        """(Re)read the file; a file that cannot be read raises GipError (CannotRead / InvalidReport)."""
        text, _ = read_text(self.path)
        self.newline = "\r\n" if "\r\n" in text else "\n"   # a file saved by Windows Notepad stays CRLF
        text = text.replace("\r\n", "\n")
        report = loads(text, str(self.path))
        with self.lock:
            self.text, self.report = text, report
            self.digest = self._disk_digest()
            self.values = values(report)
            self.draft_text, self.draft = text, report

    def _disk_digest(self) -> str | None:
        try:
            return hashlib.sha256(self.path.read_bytes()).hexdigest()
        except OSError:
            return None

    # ------------------------------------------------------------------ the page's values -> text -> problems

    def text_for(self, new: dict[str, str]) -> tuple[str, bool]:
        """The file's text with the page's values; True when it had to be written anew in the template layout."""
        new = {k: str(v) for k, v in new.items() if k in self.values}
        try:
            return patch(self.text, self.report, self.values, {**self.values, **new}), False
        except NoPlace:
            return rewrite(self.report, {**self.values, **new}), True

    def check(self, new: dict[str, str]) -> dict:
        """The problems `check` finds in the report with the page's values, each placed on its field."""
        with self.lock:
            text, rewritten = self.text_for(new)
            try:
                report = loads(text, str(self.path))
            except GipError as e:
                problems = e.problems or []
                return {"problems": [self._shown(p, None) for p in problems] or
                        [{"rule": "input.syntax", "severity": "error", "field": "", "message": str(e)}],
                        "errors": 1, "warnings": 0}
            self.draft_text, self.draft = text, report
        found = check(report)
        placed = _Placer(report)
        shown = [self._shown(p, placed) for p in found]
        errors = sum(p.severity == "error" for p in found)
        return {"problems": shown, "errors": errors, "warnings": len(found) - errors, "rewritten": rewritten}

    @staticmethod
    def _shown(p, placed: "_Placer | None") -> dict:
        where = placed.field(p.location) if placed else ""
        return {"rule": p.rule, "severity": p.severity, "field": where, "message": p.zh,
                "label": field_label(where) if where else ""}

    # ------------------------------------------------------------------ saving

    def save(self, new: dict[str, str]) -> dict:
        """Write the page's values to the file (atomically, the previous version kept as FILE.bak); refuse if
        the file changed on disk since it was loaded or saved here."""
        with self.lock:
            if self._disk_digest() != self.digest:
                raise Conflict(f"{self.path.name} 在打开后被其他程序修改过。为免覆盖别人的修改，没有保存。"
                               "请先把本页的修改另记下来，再点“重新载入”读入文件的新版本。")
            text, rewritten = self.text_for(new)
            report = loads(text, str(self.path))   # never write a file that does not load
            backup = self.path.with_name(self.path.name + ".bak")
            write_atomic(backup, self.path.read_bytes())
            write_atomic(self.path, text.replace("\n", self.newline))
            self.text, self.report, self.values = text, report, values(report)
            self.draft_text, self.draft = text, report
            self.digest = self._disk_digest()
        return {"saved": str(self.path), "backup": str(backup), "rewritten": rewritten}


class _Placer:
    """Which field a problem's location is in: the value that starts there, else the field whose text runs over
    that line (a sentence inside a `|` block), else none (the message goes at the top of the page)."""

    def __init__(self, report):
        self.exact: dict[tuple[int, int], str] = {}
        lines: list[tuple[int, int, str]] = []
        fields = set(report.cells) | set(TEXT_IDS) | {"agency", "kind", "year", "published"}
        for key, loc in sorted(report.locations.items(), key=lambda kv: kv[0] in fields):
            if loc.line is None:
                continue
            at = (loc.line, loc.column or 1)
            base = re.sub(r"\.(?:text|p\d+)$", "", key)
            if base in fields:
                self.exact[at] = base
                lines.append((*at, base))
            elif key in _ROW_TOTAL:   # a whole row (wrong count, 6 numbers): shown at its total
                self.exact.setdefault(at, _ROW_TOTAL[key])
                lines.append((*at, _ROW_TOTAL[key]))
            else:                     # a section or the period: a message for the top of the page
                self.exact.setdefault(at, "")
        self.lines = sorted(lines)

    def field(self, loc) -> str:
        if loc is None or loc.line is None:
            return ""
        if (loc.line, loc.column or 1) in self.exact:
            return self.exact[(loc.line, loc.column or 1)]
        i = bisect.bisect_right(self.lines, (loc.line, loc.column or 1, "\uffff")) - 1
        return self.lines[i][2] if i >= 0 else ""
