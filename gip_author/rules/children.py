"""The rule of `check PARENT --children DIR` (gip_author/children.py compares; it has no per-report check)."""
from __future__ import annotations

from .registry import rule

CHILDREN = rule("rollup.children", "warning",
                "范围为“本级及所属单位”的报告，表二至表四每个数应等于所属单位报告之和（check --children 时核对）",
                "a report covering its units (本级及所属单位): every cell of Tables 2–4 should equal the sum of "
                "the units' reports (checked with check --children)")
