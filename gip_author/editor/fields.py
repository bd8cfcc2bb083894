"""What the editor page edits: every field by id, its value as the page shows it, and the sums it keeps.

Field ids are the canonical cell ids of cells.py (`t3.new.natural`) and, for text, the keys the loader records
locations under (`general.proactive`, `requests.note`, `improvements`); the meta fields are `agency`, `kind`,
`year`, `published`.
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal

from .. import cells as C
from ..model import Report

META = ("agency", "kind", "year", "published")
KINDS = {"department": "部门", "government": "人民政府"}
TEXTS: tuple[tuple[str, str], ...] = (
    ("intro", "引言"),
    *((f"general.{key}", heading) for key, heading, _ in C.GENERAL_PARTS),
    ("disclosure.note", "说明"),
    ("requests.note", "说明"),
    ("appeals.note", "说明"),
    ("improvements", C.SECTION_HEADINGS["improvements"]),
    ("other", C.SECTION_HEADINGS["other"]),
)
TEXT_IDS = tuple(k for k, _ in TEXTS)
_MODEL_FIELD = {"disclosure.note": "disclosure", "requests.note": "requests", "appeals.note": "appeals"}


def _rows() -> list[tuple[str, tuple[str, ...], bool]]:
    """(row location key, its cell ids, whether the last one is a total that may be left out)."""
    rows = []
    for row in C.T2_ROWS:
        if row.columns:
            rows.append((C.t2(row.key), C.t2_cells(row), False))
    rows += [(C.t3(r.key), tuple(C.t3(r.key, c) for c, _ in C.T3_COLUMNS), True) for r in C.T3_ROWS]
    rows += [(C.t4(g), tuple(C.t4(g, c) for c, _ in C.T4_COLUMNS), True) for g, _ in C.T4_GROUPS]
    return rows


#: Table rows written as one YAML list: (row key, cell ids, optional total)
ROWS = _rows()
#: Table 2's one-number rows: the cell id is its own location key.
SINGLE = tuple(C.t2(r.key) for r in C.T2_ROWS if not r.columns)


def sums() -> list[tuple[str, tuple[str, ...]]]:
    """(total cell, the cells it adds up): the totals the page keeps up to date as the clerk types."""
    out = [(C.t3(r.key, "total"), tuple(C.t3(r.key, c) for c in C.T3_PART_COLUMNS)) for r in C.T3_ROWS]
    out += [(C.t3("total", c), tuple(C.t3(r, c) for r in C.T3_RESULT_ROWS)) for c, _ in C.T3_COLUMNS]
    out += [(C.t4(g, "total"), tuple(C.t4(g, c) for c in C.T4_PART_COLUMNS)) for g, _ in C.T4_GROUPS]
    return out


def _shown(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def values(report: Report) -> dict[str, str]:
    """Every field of the page as the text its input shows."""
    out = {cid: _shown(report.cells.get(cid)) for cid in C.CELL_IDS}
    out.update(agency=report.agency, kind=KINDS[report.kind], year=str(report.year),
               published=_shown(report.published))
    for key in TEXT_IDS:
        if key.startswith("general."):
            out[key] = (getattr(report.general, key[8:], None) or "") if report.general else ""
        else:
            out[key] = getattr(report, _MODEL_FIELD.get(key, key)) or ""
    return out


def field_label(key: str) -> str:
    """A short Chinese name of a field, for messages that are not beside it."""
    if key in C.CELL_LABELS:
        return C.CELL_LABELS[key]
    names = {"agency": "机关", "kind": "机关类型", "year": "年度", "published": "发布日期",
             "disclosure.note": "表二说明", "requests.note": "表三说明", "appeals.note": "表四说明"}
    return names.get(key) or dict(TEXTS).get(key, key)
