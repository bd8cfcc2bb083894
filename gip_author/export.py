"""Report -> the 200 numbers by canonical cell id, as JSON or CSV (works on a report that fails its checks)."""
from __future__ import annotations

import csv
import io
import json

from .cells import CELL_LABELS
from .model import Report, export_cells


def cells_json(report: Report) -> str:
    doc = {"agency": report.agency, "year": report.year, "cells": export_cells(report)}
    return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"


def cells_csv(report: Report) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["cell", "label", "value"])
    for cell_id, value in export_cells(report).items():
        writer.writerow([cell_id, CELL_LABELS[cell_id], "" if value is None else value])
    return out.getvalue()
