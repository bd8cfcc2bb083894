"""Numbers are what they look like: a count is digits only, an amount digits with one decimal point.

YAML 1.1 (what libyaml resolves) reads `1:30` as 90 (base 60), `1_000` as 1000, `0x1A` as 26, `0o7` and
`0b11` in other bases and `1.5e3` as 1500: a clerk would never see the number that is published.  Such a
scalar is kept as the text it is, and the loader reports it (`input.bad-number`, with its line) using the
explanation below.  `.inf` and `.nan` stay floats for the loader's own message.
"""
from __future__ import annotations

import re

from .limits import MAX_COUNT

PLAIN_INT = re.compile(r"[-+]?[0-9]+")
PLAIN_DECIMAL = re.compile(r"[-+]?(?:[0-9]+\.[0-9]*|\.[0-9]+)")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")

_FORMS = (   # (pattern, what YAML 1.1 would have made of it); compiled on first use (re's cache): an error path
    (r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?", "六十进制数（如 1:30 会被读成 90）"),
    (r"[-+]?0x[0-9a-fA-F_]+", "十六进制数"),
    (r"[-+]?0o[0-7_]+", "八进制数"),
    (r"[-+]?0b[01_]+", "二进制数"),
    (r"[-+]?(?:[0-9][0-9_]*)?\.?[0-9_]*[eE][-+]?[0-9]+", "科学计数法（如 1e3）"),
    (r"(?=.*_)[-+]?[0-9][0-9_]*(?:\.[0-9_]*)?", "带下划线的数（如 1_000）"),
)


def keep_int(value: str) -> bool:
    """True if a scalar YAML 1.1 calls an int is really one (digits only, and not absurdly many)."""
    return bool(PLAIN_INT.fullmatch(value)) and len(value) <= 40


def keep_float(value: str) -> bool:
    """True if a scalar YAML 1.1 calls a float is really a decimal (or .inf/.nan, refused later)."""
    return bool(PLAIN_DECIMAL.fullmatch(value) or _SPECIAL_FLOAT.fullmatch(value))


def odd_form(text: str) -> str | None:
    """What a number-like text would have meant to YAML 1.1 (for the message), or None."""
    text = text.strip()
    for pattern, meaning in _FORMS:
        if re.fullmatch(pattern, text):
            return meaning
    return None


def too_large(value) -> bool:
    """A number past MAX_COUNT, or the digits of one kept as text (too long to be read as a number)."""
    if isinstance(value, str):
        return bool(PLAIN_INT.fullmatch(value.strip())) and len(value.strip().lstrip("+-")) > 10
    if isinstance(value, bool) or not isinstance(value, (int, float)) or value != value:
        return False
    return abs(value) > MAX_COUNT and abs(value) != float("inf")


def number_refusal(value, label: str, kind: str, shown: str) -> tuple[str, str, str, str] | None:
    """(zh, en, expected, actual) of the input.bad-number problem for a cell whose value is a number in
    another notation or past MAX_COUNT; None for anything else (the loader judges that)."""
    if too_large(value):
        return (f"{label} 填的是 {shown}，超过 10 亿，不可能是一年的件数或金额。请核对后重填。",
                f"{label} is {shown}; more than 10^9 cannot be right.", "≤ 1000000000", shown)
    meaning = odd_form(value) if isinstance(value, str) else None
    if meaning:
        return (f"{label} 填的是“{shown}”，这种写法会被当作{meaning}，不是看到的数。"
                f"请只写阿拉伯数字{kind}，不加冒号、下划线、字母或指数。",
                f"{label} is {shown!r}, which YAML 1.1 reads as another number; write digits only.", "数字", shown)
    return None
