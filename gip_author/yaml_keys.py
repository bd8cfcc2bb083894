"""The keys a YAML report may use, and which field, section, part or table row a key names.

Keys are compared after `cells.normalize` and lower-casing, so a clerk may write a label with or without its
numbering, in full- or half-width forms, or by its English id.  The words come from cells.py; this module only
indexes them.
"""
from __future__ import annotations

from . import cells as C


def _section_keys(key: str, heading: str) -> tuple[str, ...]:
    return (heading, C.bare(heading), key)


SECTION_KEYS = {key: _section_keys(key, heading) for key, heading in C.SECTIONS}
SECTION_KEYS["improvements"] += ("problems",)  # section 五's English key before it was renamed
PART_KEYS = {key: (heading, C.bare(heading), C.bare(heading) + "情况", C.bare(heading) + "方面", key)
             for key, heading, _ in C.GENERAL_PARTS}
T2_KEYS = {row.key: (row.label, row.key) for row in C.T2_ROWS}
T3_KEYS = {row.key: tuple(k for k in (row.label, C.bare(row.label), C.T3_SHORT_KEYS.get(row.key), row.key) if k)
           for row in C.T3_ROWS}
T3_ALIASES: dict[str, list[str]] = {}
for _row_key, _aliases in T3_KEYS.items():
    for _alias in {C.normalize(a).lower() for a in _aliases} | {C.bare(a).lower() for a in _aliases}:
        T3_ALIASES.setdefault(_alias, []).append(_row_key)
T3_GROUP_KEYS = {g: (g, C.bare(g)) for g in (C.T3_RESULTS, *C.T3_SUBGROUPS)}
T4_KEYS = {key: (label, key) for key, label in C.T4_GROUPS}
T4_LITIGATION_KEYS = (C.T4_LITIGATION, "litigation")


def _index(table: dict[str, tuple[str, ...]]) -> dict[str, str]:
    return {C.normalize(alias).lower(): field for field, aliases in table.items() for alias in aliases}


META_INDEX = _index(C.META_KEYS)
SECTION_INDEX = _index(SECTION_KEYS)
PART_INDEX = _index(PART_KEYS)
T2_INDEX = _index({**T2_KEYS, "note": C.NOTE_KEYS})
T3_GROUP_INDEX = _index({**T3_GROUP_KEYS, "note": C.NOTE_KEYS})
T3_TOTAL_INDEX = _index({"total": T3_KEYS["total"]})
T4_INDEX = _index({**T4_KEYS, "note": C.NOTE_KEYS, "litigation": T4_LITIGATION_KEYS})


def match(key: object, index: dict[str, str]) -> str | None:
    """The field a key names in one of the indexes above, or None."""
    text = C.normalize(str(key)).lower()
    return index.get(text) or index.get(C.bare(text))


def t3_row(key, group: str) -> str | None:
    """The row a key names; numbered sub-items ("1.属于国家秘密") are unique by their text."""
    candidates = T3_ALIASES.get(C.normalize(str(key)).lower()) or T3_ALIASES.get(C.bare(str(key)).lower(), [])
    if group and group != C.T3_RESULTS:
        candidates = [c for c in candidates if C.T3_ROW_BY_KEY[c].group == group] or candidates
    if len(candidates) > 1:  # "其他" is only a row under （六）; "总计" is the results total
        candidates = [c for c in candidates if c in ("other_3", "total")] or candidates[:1]
    return candidates[0] if candidates else None
