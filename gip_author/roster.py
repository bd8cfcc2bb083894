"""The roster: the units a government expects reports from, and matching them to the reports found.

A roster is a file a clerk already has: one unit a line (blank lines and `#` comments skipped), a CSV with a
name column (名称 / 单位 / 单位名称 / 机关 / 机关名称 / name; else the first column), or a YAML list of names or
of mappings with such a column (also under a key such as 单位: […]).  UTF-8 or GBK, as Excel saves it.

Names are compared after folding full/half width and white space (cells.normalize); a roster may leave out the
place prefix a report carries ("教育局" or "区教育局" for "某某区教育局", "清河区人民政府" for
"淮安市清河区人民政府"), as long as only one report fits.
"""
from __future__ import annotations

import csv
import io
from pathlib import Path

from .cells import normalize
from .problems import CannotRead

NAME_COLUMNS = ("名称", "单位", "单位名称", "机关", "机关名称", "部门", "部门名称", "name", "agency", "unit")
MAX_BYTES = 2 * 2**20
_PREFIX_END = ("县", "区", "市", "旗")


class BadRoster(CannotRead):
    """The roster cannot be read or holds no names."""


def read_roster(path: Path) -> list[str]:
    """The unit names of a roster file, in its order, without repeats."""
    from .loader import read_text
    path = Path(path)
    try:
        text, _ = read_text(path)
    except CannotRead as e:
        raise BadRoster(f"单位名单 {e}") from None
    suffix = path.suffix.lower()
    if suffix in (".yaml", ".yml"):
        names = _yaml_names(text, path)
    elif suffix == ".csv":
        names = _csv_names(text)
    else:
        names = [line.strip() for line in text.splitlines() if line.strip() and not line.strip().startswith("#")]
    seen: dict[str, str] = {}
    for name in names:
        name = str(name).strip()
        if name and normalize(name) not in seen:
            seen[normalize(name)] = name
    if not seen:
        raise BadRoster(f"{path}：单位名单里没有找到单位名称。请一行写一个单位，或用带“名称”列的 CSV 表格。")
    return list(seen.values())


def _csv_names(text: str) -> list[str]:
    rows = [r for r in csv.reader(io.StringIO(text)) if any(c.strip() for c in r)]
    if not rows:
        return []
    header = [normalize(c).lower() for c in rows[0]]
    for wanted in NAME_COLUMNS:
        if wanted in header:
            col = header.index(wanted)
            return [r[col] for r in rows[1:] if len(r) > col]
    return [r[0] for r in rows]


def _yaml_names(text: str, path: Path) -> list[str]:
    from .yaml_positions import parse_yaml
    from .problems import InvalidReport
    if text.lstrip().startswith("-"):  # a bare list: parse_yaml wants a mapping, so give it one
        text = "单位:\n" + "\n".join("  " + line for line in text.splitlines())
    try:
        data = parse_yaml(text, str(path))
    except InvalidReport as e:
        raise BadRoster(f"单位名单 {e}") from None
    items = next((v for v in data.values() if isinstance(v, list)), None) if isinstance(data, dict) else None
    if items is None:
        items = list(data.keys())
    names = []
    for item in items:
        if isinstance(item, dict):
            folded = {normalize(str(k)).lower(): v for k, v in item.items()}
            name = next((folded[c] for c in NAME_COLUMNS if c in folded), None)
            if name is not None:
                names.append(str(name))
        elif item is not None:
            names.append(str(item))
    return names


# ------------------------------------------------------------------------------------------ matching


def _key(name: str) -> str:
    return normalize(name)


def _fits(short: str, long: str) -> bool:
    """`long` is `short` with a place prefix ("某某区" + "教育局"); a roster's "区教育局" fits too."""
    for s in (short, short[1:] if short[:1] in ("县", "区") else None):
        if s and len(s) >= 2 and len(long) > len(s) and long.endswith(s) and long[: -len(s)].endswith(_PREFIX_END):
            return True
    return False


def match(roster: list[str], agencies: list[str]) -> tuple[dict[str, str], list[str], list[str]]:
    """(roster name -> the agency matched, roster names with no report, agencies not on the roster).

    Exact matches (after folding) first; then prefix matches, only where one agency fits one roster name.
    """
    keys = {a: _key(a) for a in agencies}
    by_key: dict[str, str] = {}
    for a, k in keys.items():
        by_key.setdefault(k, a)
    matched: dict[str, str] = {}
    for name in roster:
        a = by_key.get(_key(name))
        if a is not None:
            matched[name] = a
    free = [a for a in agencies if a not in matched.values()]
    for name in roster:
        if name in matched:
            continue
        k = _key(name)
        fits = [a for a in free if _fits(k, keys[a]) or _fits(keys[a], k)]
        if len(fits) == 1 and sum(_fits(_key(n), keys[fits[0]]) or _fits(keys[fits[0]], _key(n))
                                  for n in roster if n not in matched) == 1:
            matched[name] = fits[0]
            free.remove(fits[0])
    missing = [n for n in roster if n not in matched]
    return matched, missing, free


