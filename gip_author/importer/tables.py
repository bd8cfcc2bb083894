"""Tables 2–4 read by their official row labels, whatever the layout the file gives them in.

The cells of the tables (or, when a file has no real tables, the words of its lines) become one stream of
tokens (`stream.py`): text, numbers, blanks (an empty cell) and dashes ("—", "/").  The text tokens, folded by
`cells.fold`, are concatenated into one string `S`; every number knows its place in `S`.  A row is found by searching `S` for its label (the official labels of `cells.py`, tolerant
of spaces, line breaks, numbering and full/half-width forms), rows in official order, and its numbers are
the ones placed between its label and the next row's label — so a label broken around its numbers (as PDF
text gives it) still owns them.  Never by position alone: a row that is missing or short is reported.
"""
from __future__ import annotations

from dataclasses import dataclass

from .. import cells as C
from ..cells import fold
from ..location import Location
from .notes import GUESSED, NOT_FOUND, UNREADABLE_CELL, Notes
from .stream import Stream, Token
from .variants import SPELLINGS, SPELLINGS_2019, choose

# ------------------------------------------------------------------------------------------- row specs


@dataclass(frozen=True)
class RowSpec:
    key: str                     # "t2.regulations", "t3.denied_1"
    label: str                   # for messages
    patterns: tuple[str, ...]    # folded, most specific first
    ids: tuple[str, ...]         # the cell ids its numbers go to, in order
    columns: tuple[str, ...]     # column labels, for messages


def _patterns(label: str, *extra: str) -> tuple[str, ...]:
    full = fold(C.bare(label))
    out = [fold(e) for e in extra] + [full]
    if len(full) > 7:
        out += [full[:7], full[-6:]]
    return tuple(dict.fromkeys(p for p in out if p))


_T3_COLS = tuple(label for _, label in C.T3_COLUMNS)
T3_SPECS = tuple(
    RowSpec(C.t3(r.key), r.label, _patterns(r.label, *SPELLINGS.get(C.t3(r.key), ())),
            tuple(C.t3(r.key, c) for c, _ in C.T3_COLUMNS), _T3_COLS)
    for r in C.T3_ROWS)
T2_SPECS = tuple(
    RowSpec(C.t2(r.key), r.label, (fold(r.label), *map(fold, SPELLINGS.get(C.t2(r.key), ()))), C.t2_cells(r),
            tuple(lbl for _, lbl in r.columns) if r.columns else (C.T2_BLOCK_HEADERS[r.block][0],))
    for r in C.T2_ROWS)
T4_IDS = tuple(C.t4(g, c) for g, _ in C.T4_GROUPS for c, _ in C.T4_COLUMNS)
T4_COLS = tuple(f"{gl}{cl}" for _, gl in C.T4_GROUPS for _, cl in C.T4_COLUMNS)

#: The words only the 2019 layout (国办公开办函〔2019〕60号) has, folded -> as written.
MARKERS_2019 = {fold(w): w for w in C.MARKERS_2019}
_OTHER_GROUP = fold("其他处理")


# ------------------------------------------------------------------------------------------- reading


class TableReader:
    """Reads Tables 2–4 out of a stream into `cells`/`locations`, saying in `notes` what it could not."""

    def __init__(self, stream: Stream, notes: Notes, path: str, outdated: bool = False) -> None:
        self.s, self.notes, self.path = stream, notes, path
        self.cells: dict[str, object] = {}
        self.locations: dict[str, Location] = {}
        self.outdated = outdated
        self.found_2019: list[str] = []

    # ---- the three tables

    def table3(self, lo: int, hi: int) -> tuple[int, int]:
        """Table 3 within S[lo:hi]; returns the S span its rows were found in."""
        specs = list(T3_SPECS)
        matches = self._match(specs, lo, hi)
        other = [i for i, sp in enumerate(specs) if sp.key.startswith("t3.other_")]
        if matches[other[0]] is None and matches[other[1]] is None:
            # the 2019 layout: a single （六）其他处理 row instead of 1–3
            after = next((m[1] for m in reversed(matches[:other[0]]) if m), lo)
            until = next((m[0] for m in matches[other[-1] + 1:] if m), hi)
            single = self.s.find((_OTHER_GROUP,), after, until)
            if single and self.s.values(single[1] - 1, until):
                matches[other[2]] = single
                self.found_2019.append("表三（六）其他处理只有一行，没有 1–3 小项")
                for i in other[:2]:
                    matches[i] = "2019"
        found = [m for m in matches if isinstance(m, tuple)]
        if not found:
            self._missing_table("t3", [i for sp in specs for i in sp.ids], lo)
            return lo, lo
        self._assign(specs, matches, hi, C.TABLE_NAMES["t3"])
        return found[0][0], found[-1][1]

    def table2(self, lo: int, hi: int) -> None:
        specs = list(T2_SPECS)
        if self.outdated:
            specs = [_spec_2019(sp) for sp in specs]
        matches = self._match(specs, lo, hi)
        if not any(matches):
            self._missing_table("t2", [i for sp in specs for i in sp.ids], lo)
            return
        if not self.outdated:
            i = next(i for i, sp in enumerate(specs) if sp.key == "t2.normative_docs")
            m = matches[i]
            if m and self.s.text[m[0]:m[1]] in {fold(w) for w in SPELLINGS_2019["t2.normative_docs"]}:
                self.found_2019.append("表二写的是“规范性文件”而不是“行政规范性文件”")
        if self.outdated:
            self._assign_2019_t2(specs, matches, hi)
        else:
            self._assign(specs, matches, hi, C.TABLE_NAMES["t2"])

    def table4(self, lo: int, hi: int) -> None:
        anchor = (self.s.find((fold(C.T4_GROUPS[2][1]),), lo, hi) or self.s.find((fold(C.T4_LITIGATION),), lo, hi)
                  or self.s.find((fold(C.T4_REVIEW),), lo, hi))
        start = anchor[0] if anchor else lo - 1
        runs: list[list[Token]] = [[]]
        for t in self.s.tokens:
            if t.pos <= start and not (t.pos == start and t.kind != "text" and not anchor):
                continue
            if t.pos > hi:
                break
            if t.kind == "text":
                if runs[-1]:
                    runs.append([])
            else:
                runs[-1].append(t)
        runs = [r for r in runs if any(t.kind != "blank" for t in r)] or [r for r in runs if r]
        n = len(T4_IDS)
        run = next((r for r in runs if len(r) >= n), None)
        if run is None:
            if not anchor and not runs:
                self._missing_table("t4", list(T4_IDS), lo)
                return
            got = max((len(r) for r in runs), default=0)
            where = (runs[0][0].where if runs and runs[0] else self.s.where_at(start))
            for cid in T4_IDS:
                self.cells[cid] = None
                if where:
                    self.locations[cid] = where
            self.notes.add(UNREADABLE_CELL,
                           f"表四应有一行 15 个数（行政复议 5 个，行政诉讼 10 个），只读到 {got} 个，无法确定缺了哪几格。"
                           "表四已留空，请对照原文填写。",
                           f"Table 4 should have one row of 15 numbers; found {got}. Left empty.", where,
                           expected=n, actual=got)
            return
        name = C.TABLE_NAMES["t4"]
        self._put(RowSpec("t4", name, (), T4_IDS, T4_COLS), _fit(run, n), name, run[0].where)

    # ---- matching and assigning

    def _match(self, specs: list[RowSpec], lo: int, hi: int) -> list:
        out: list = []
        cursor = lo
        for sp in specs:
            m = self.s.find(sp.patterns, cursor, hi)
            out.append(m)
            if m:
                cursor = m[1]
        return out

    def _assign(self, specs: list[RowSpec], matches: list, hi: int, table: str) -> None:
        found = [i for i, m in enumerate(matches) if isinstance(m, tuple)]
        ends = [matches[found[k + 1]][0] if k + 1 < len(found) else hi for k in range(len(found))]
        values = [self.s.values(matches[i][0], end) for i, end in zip(found, ends)]
        done = self._other_orders(specs, matches, found, values, table, ends)
        for k, i in enumerate(found):
            if i in done:
                continue
            start = matches[i][0]
            missing = [j for j in range(i + 1, found[k + 1] if k + 1 < len(found) else len(specs))
                       if matches[j] is None]
            vals = values[k]
            where = self.s.where_at(start)
            n = len(specs[i].ids)
            if missing and _content(vals) == n * (1 + len(missing)):
                # a row whose label could not be found: its numbers follow the row before it
                content = _trim(vals, n * (1 + len(missing)))
                self._put(specs[i], content[:n], table, where)
                for m, j in enumerate(missing, 1):
                    self._put(specs[j], content[m * n:(m + 1) * n], table, content[m * n].where)
                    self.notes.add(GUESSED, f"{table}找不到“{specs[j].label}”这一行的标签，按顺序把"
                                   f"“{specs[i].label}”下一行的数当作这一行，请核对。",
                                   f"{table}: row '{specs[j].label}' not found by its label; took the numbers "
                                   "that follow the row before it.", content[m * n].where)
                continue
            for j in missing:
                self._not_found(specs[j], table, where)
            self._row(specs[i], vals, table, where)
        for j in range(found[0] if found else len(specs)):
            if matches[j] is None:
                self._not_found(specs[j], table, self.s.where_at(0))

    def _other_orders(self, specs: list[RowSpec], matches: list, found: list[int], values: list[list[Token]],
                      table: str, ends: list[int]) -> set[int]:
        """Runs of consecutive rows whose numbers are not each after their own label (all the labels first, a
        row's numbers before its label) but add up to the run's cells: read by the other reading orders of
        `variants.py` when one accounts for every number exactly.  The rows read."""
        done: set[int] = set()
        widths = [len(specs[i].ids) for i in found]
        counts = [_content(v) for v in values]
        k = 0
        while k < len(found):
            hit = None
            if counts[k] != widths[k]:
                total = need = 0
                for j in range(k, len(found)):
                    if j > k and found[j] != found[j - 1] + 1:
                        break
                    total, need = total + counts[j], need + widths[j]
                    if j > k and total == need:
                        hit = j
                        break
            run = found[k:hit + 1] if hit else []
            got = choose([specs[i].ids for i in run], values[k:hit + 1], [specs[i].columns for i in run],
                         self.s.between(matches[found[k]][0], ends[hit])) if hit else None
            if got is None:
                k += 1
                continue
            for i, toks in zip(found[k:hit + 1], got):
                self._put(specs[i], toks, table, toks[0].where)
                done.add(i)
            k = hit + 1
        return done

    def _row(self, sp: RowSpec, vals: list[Token], table: str, where: Location | None) -> None:
        n = len(sp.ids)
        fitted = _fit(vals, n) if _content(vals) <= n else None     # more numbers than cells: which are its?
        if fitted is None:
            for cid in sp.ids:
                self.cells[cid] = None
                if where:
                    self.locations[cid] = where
            got = _content(vals)
            self.notes.add(UNREADABLE_CELL,
                           f"{table}“{sp.label}”一行应有 {n} 个数，" + (
                               f"只读到 {got} 个，无法确定是哪几格空着。" if got < n else
                               f"却读到 {got} 个，无法确定哪几个属于这一行。") +
                           "这一行已留空（不当作 0），请对照原文填写，没有的填 0。",
                           f"{table} row '{sp.label}': {n} numbers expected, {got} found. Left empty.",
                           where, expected=n, actual=got)
            return
        self._put(sp, fitted, table, where)

    def _put(self, sp: RowSpec, toks: list[Token], table: str, where: Location | None) -> None:
        bad = []
        for cid, col, t in zip(sp.ids, sp.columns, toks):
            self.locations[cid] = t.where
            if t.kind == "num":
                self.cells[cid] = t.value
            else:
                self.cells[cid] = None
                bad.append((col, t))
        if bad:
            shown = "、".join(sorted({"空白" if t.kind == "blank" else f"“{t.value}”" for _, t in bad}))
            label = f"“{sp.label}”一行" if sp.label != table else ""
            if len(bad) == len(sp.ids):
                zh = f"{table}{label}每一格都是{shown}，读不出数字。"
            else:
                zh = f"{table}{label}的“{'”“'.join(col for col, _ in bad)}”是{shown}，读不出数字。"
            self.notes.add(UNREADABLE_CELL, zh + "已留空（不当作 0），请对照原文填写，没有的填 0。",
                           f"{table} {sp.label}: {len(bad)} cell(s) blank or not a number. Left empty.",
                           bad[0][1].where, actual=shown)

    def _not_found(self, sp: RowSpec, table: str, where: Location | None) -> None:
        for cid in sp.ids:
            self.cells[cid] = None
        self.notes.add(NOT_FOUND, f"{table}中找不到“{sp.label}”这一行（标签可能写错或漏了这一行），"
                       "这一行已留空，请对照原文填写。",
                       f"{table}: row '{sp.label}' not found. Left empty.", where)

    def _missing_table(self, table_id: str, ids: list[str], lo: int) -> None:
        table, title = C.TABLE_NAMES[table_id], C.TABLE_TITLES[table_id]
        for cid in ids:
            self.cells[cid] = None
        self.notes.add(NOT_FOUND, f"找不到{table}（{title}）。{table}的数已全部留空，请对照原文填写。",
                       f"{table} ({title}) not found; its cells are left empty.", self.s.where_at(lo) or
                       Location(self.path))

    def _assign_2019_t2(self, specs: list[RowSpec], matches: list, hi: int) -> None:
        """2019 Table 2: only 处理决定数量 (the 3rd number of 许可/处罚/强制) means the same as in 2021."""
        found = [i for i, m in enumerate(matches) if m]
        for k, i in enumerate(found):
            sp = specs[i]
            end = matches[found[k + 1]][0] if k + 1 < len(found) else hi
            vals = _fit(self.s.values(matches[i][0], end), len(sp.patterns and sp.ids))
            target = sp.key in ("t2.licensing", "t2.penalties", "t2.coercive_measures")
            cid = sp.key
            if target and vals and len(vals) >= 3 and vals[2].kind == "num":
                self.cells[cid] = vals[2].value
                self.locations[cid] = vals[2].where
        for sp in specs:
            for cid in _T2_IDS[sp.key]:
                self.cells.setdefault(cid, None)


_T2_IDS = {sp.key: sp.ids for sp in T2_SPECS}


def _spec_2019(sp: RowSpec) -> RowSpec:
    """The 2019 rows: 规范性文件 (not 行政规范性文件); 许可/处罚/强制 with 3 numbers; 收费 with 2."""
    if sp.key == "t2.normative_docs":
        return RowSpec(sp.key, "规范性文件", (fold("行政规范性文件"), fold("规范性文件")), ("", "", ""), sp.columns)
    if sp.key in ("t2.licensing", "t2.penalties", "t2.coercive_measures"):
        return RowSpec(sp.key, sp.label, sp.patterns, ("", "", ""), ("", "", ""))
    if sp.key == "t2.fees":
        return RowSpec(sp.key, sp.label, sp.patterns, ("", ""), ("", ""))
    return sp


def _content(vals: list[Token]) -> int:
    return sum(t.kind != "blank" for t in vals)


def _trim(vals: list[Token], n: int) -> list[Token]:
    """The n tokens holding every number: blanks at the ends (spacer cells) dropped."""
    return _fit(vals, n) or vals


def _fit(vals: list[Token], n: int) -> list[Token] | None:
    """The window of n consecutive values with the most content (spacer blanks before/after dropped)."""
    if len(vals) < n:
        return None
    if len(vals) == n:
        return vals
    best, score = 0, -1
    for i in range(len(vals) - n + 1):
        s = _content(vals[i:i + n])
        if s > score:
            best, score = i, s
    return vals[best:best + n]
