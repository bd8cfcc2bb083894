"""The JSON Schema of the report YAML (`gip-author schema`), which editors use to complete and check keys.

Generated from the label table in cells.py, like the YAML template, so the two cannot drift apart.
"""
from __future__ import annotations

import json

from . import cells as C

SCHEMA_URL = "https://gip-author.invalid/schema/report-2021.json"  # editors resolve a local copy: see README


def _counts(n: int, decimal: bool = False) -> dict:
    item = {"type": "number", "minimum": 0} if decimal else {"type": "integer", "minimum": 0}
    return {"type": "array", "items": item, "minItems": n - 1, "maxItems": n}


def json_schema() -> dict:
    """JSON Schema (draft 2020-12) of the report YAML, official Chinese keys."""
    text = {"type": ["string", "null"]}
    count = {"type": "integer", "minimum": 0}
    general = {"type": "object", "additionalProperties": False,
               "properties": {heading: {**text, "description": guide} for _, heading, guide in C.GENERAL_PARTS}}
    note = C.NOTE_KEYS[0]
    t2: dict = {note: text}
    for row in C.T2_ROWS:
        if row.columns:
            t2[row.label] = {**_counts(len(row.columns) + 1), "minItems": 3, "maxItems": 3,
                             "description": "、".join(lbl for _, lbl in row.columns)}
        else:
            t2[row.label] = ({"type": "number", "minimum": 0} if C.t2(row.key) in C.DECIMAL_CELLS else count)
    t3_row = {**_counts(len(C.T3_COLUMNS)), "description": "、".join(lbl for _, lbl in C.T3_COLUMNS)}
    results: dict = {}
    for row in C.T3_ROWS:
        if row.group == C.T3_RESULTS:
            results[row.label] = t3_row
    for sub in C.T3_SUBGROUPS:
        results[sub] = {"type": "object", "additionalProperties": False,
                        "properties": {r.label: t3_row for r in C.T3_ROWS if r.group == sub}}
    t3 = {note: text, C.T3_RESULTS: {"type": "object", "additionalProperties": False, "properties": results}}
    t3.update({r.label: t3_row for r in C.T3_ROWS if not r.group})
    t4_row = {**_counts(len(C.T4_COLUMNS)), "description": "、".join(lbl for _, lbl in C.T4_COLUMNS)}
    t4 = {note: text, **{label: t4_row for _, label in C.T4_GROUPS}}
    H, K = C.SECTION_HEADINGS, C.KEY
    props = {
        K["agency"]: {"type": "string", "minLength": 1, "description": "机关名称"},
        K["kind"]: {"enum": list(C.KIND_NAMES.values())},
        K["scope"]: {"enum": [label for _, label in C.SCOPES], "default": C.SCOPE_LABELS["self"],
                     "description": "本机关，或本级及所属单位（数字含所属部门、乡镇街道）"},
        K["year"]: {"type": "integer", "minimum": 2000, "maximum": 2100},
        K["title"]: {"type": "string"},
        K["published"]: {"type": "string", "format": "date"},
        K["period"]: {"type": "string"},
        K["intro"]: text,
        H["general"]: general,
        H["disclosure"]: {"type": "object", "additionalProperties": False, "properties": t2},
        H["requests"]: {"type": "object", "additionalProperties": False, "properties": t3},
        H["appeals"]: {"type": "object", "additionalProperties": False, "properties": t4},
        H["improvements"]: text,
        H["other"]: text,
    }
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": SCHEMA_URL,
        "title": f"{C.REPORT_NAME}（国办公开办函〔2021〕30号）",
        "type": "object",
        "required": [K["agency"], K["year"], *(h for _, h in C.SECTIONS)],
        "properties": props,
    }


def json_schema_text() -> str:
    return json.dumps(json_schema(), ensure_ascii=False, indent=2) + "\n"
