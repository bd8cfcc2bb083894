"""The editor page: the report as the official document, one input per table cell, CSS and script inlined.

Tables 2–4 come from the same layout the HTML/PDF renderers draw (render/layout.py), so the page shows the
official spans and labels; each number cell becomes an input named by its canonical cell id.  Everything the
page needs is in the one HTML response (no CDN, no other request but the checks), so it works offline.
"""
from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files

import jinja2

from .. import cells as C
from ..render import layout
from .fields import ROWS, SINGLE, TEXTS, sums

_TABLE_CELLS = {
    "t2": [cid for cid in C.CELL_IDS if cid.startswith("t2.")],
    "t3": [cid for cid in C.CELL_IDS if cid.startswith("t3.")],
    "t4": [cid for cid in C.CELL_IDS if cid.startswith("t4.")],
}
_TOTALS = {total for total, _ in sums()}


def _grid(table: str) -> list[list[str]]:
    """The table's cells as rows of ids, for pasting a block of rows and for Enter moving down a column."""
    if table == "t4":
        return [_TABLE_CELLS["t4"]]
    rows = [list(cids) for key, cids, _ in ROWS if key.startswith(table + ".")]
    if table == "t2":
        rows += [[cid] for cid in SINGLE]
    return rows


@lru_cache(maxsize=1)
def _environment() -> jinja2.Environment:
    return jinja2.Environment(autoescape=True, trim_blocks=True, lstrip_blocks=True,
                              undefined=jinja2.StrictUndefined)


def _asset(name: str) -> str:
    return (files("gip_author.editor") / name).read_text(encoding="utf-8")


def _tables(report) -> dict:
    """Each table's layout with, for every number cell in reading order, its cell id."""
    out = {}
    for section, make in layout.TABLES.items():
        table = make(report)
        ids = iter(_TABLE_CELLS[table.id])
        bodies = [[[(cell, None if cell.header else next(ids)) for cell in row] for row in body]
                  for body in table.bodies]
        out[section] = {"table": table, "bodies": bodies}
    return out


def _json_for_script(data) -> str:
    return json.dumps(data, ensure_ascii=False).replace("<", "\\u003c").replace(">", "\\u003e")


def render_page(session, nonce: str) -> str:
    report, values = session.report, session.values
    first = session.check({})
    state = {"values": values, "sums": sums(), "grids": {t: _grid(t) for t in _TABLE_CELLS},
             "file": session.path.name, **first}
    template = _environment().from_string(_asset("page.html.j2"))
    return template.render(
        nonce=nonce, css=_asset("editor.css"), js=_asset("editor.js"), state=_json_for_script(state),
        file=session.path.name, values=values, tables=_tables(report), totals=_TOTALS,
        texts=dict(TEXTS), general=[(f"general.{k}", h, guide) for k, h, guide in C.GENERAL_PARTS],
        headings=C.SECTION_HEADINGS, labels=C.CELL_LABELS, guides=C.SECTION_GUIDES, title=report.display_title)
