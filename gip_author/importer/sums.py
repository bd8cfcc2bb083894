"""The sums that bind Tables 3 and 4 (42 equations), as data: what the importer uses to choose between two
readings of a table (`variants.py`, `arith.py`).  The checker states the same sums as rules (`rules/numbers.py`)."""
from __future__ import annotations

from .. import cells as C


def _equations() -> tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...]:
    """(what it says, cells added, cells subtracted): each sums to zero."""
    eqs = []
    for r in C.T3_ROWS:
        eqs.append((f"表三“{C.bare(r.label)}”一行：各类申请人之和 = 总计",
                    tuple(C.t3(r.key, c) for c in C.T3_PART_COLUMNS), (C.t3(r.key, "total"),)))
    for col, label in C.T3_COLUMNS:
        eqs.append((f"表三“{label}”列：（一）至（六）之和 = （七）总计",
                    tuple(C.t3(r, col) for r in C.T3_RESULT_ROWS), (C.t3("total", col),)))
        eqs.append((f"表三“{label}”列：新收 + 上年结转 = 办理结果总计 + 结转下年度",
                    (C.t3("new", col), C.t3("carried_in", col)), (C.t3("total", col), C.t3("carried_out", col))))
    for group, label in C.T4_GROUPS:
        eqs.append((f"表四“{label}”：各项之和 = 总计",
                    tuple(C.t4(group, c) for c in C.T4_PART_COLUMNS), (C.t4(group, "total"),)))
    return tuple(eqs)


def _by_cell() -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, (_, plus, minus) in enumerate(EQUATIONS):
        for cid in plus + minus:
            out.setdefault(cid, []).append(i)
    return out


EQUATIONS = _equations()
#: Cell id -> the equations it takes part in.
BY_CELL = _by_cell()


def holds(cells: dict, i: int) -> bool | None:
    """Whether equation i holds; None when one of its cells is empty."""
    _, plus, minus = EQUATIONS[i]
    values = [cells.get(c) for c in plus + minus]
    if any(v is None for v in values):
        return None
    return sum(values[:len(plus)]) == sum(values[len(plus):])


def holding(cells: dict) -> tuple[int, int]:
    """(equations that hold, equations that fail) among those whose cells are all in `cells`."""
    good = bad = 0
    for i in range(len(EQUATIONS)):
        ok = holds(cells, i)
        if ok is not None:
            good, bad = good + ok, bad + (not ok)
    return good, bad
