"""Dates as the format writes them and as clerks and published files give them, and the build's timestamp.

`cn_date` is the one way a date is printed (2025年1月20日: GB/T 9704, no zero padding); `parse_date` reads
what a clerk types (2025-01-20, 2025年1月20日, 2025.1.20); `date_only` recognises a closing line that is
nothing but a date, in Arabic or Chinese numerals (二〇二五年一月二十日); `source_date_epoch` is the
reproducible-build time the renderers stamp (SOURCE_DATE_EPOCH, never "now").
"""
from __future__ import annotations

import datetime as dt
import os
import re

from .cells import fold

#: A date as a clerk types it: 2025-01-20, 2025年1月20日, 2025.1.20, 2025/1/20.
DATE = re.compile(r"(\d{4})\s*[-年./]\s*(\d{1,2})\s*[-月./]\s*(\d{1,2})")
#: A date as published reports print it: 2025年1月20日.
CN_DATE = re.compile(r"((?:19|20)\d{2})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日")

_CN_DIGITS = {c: str(i) for i, c in enumerate("〇一二三四五六七八九")} | {"零": "0", "○": "0", "Ｏ": "0", "O": "0"}
_CN_NUMERALS = re.compile(r"^([〇零○Ｏ一二三四五六七八九]{4})年([一二三四五六七八九十]{1,3})月([一二三四五六七八九十]{1,3})日$")
_FOLDED = re.compile(r"((?:19|20)\d{2})年(\d{1,2})月(\d{1,2})日")


def cn_date(d: dt.date) -> str:
    """2025年1月20日: Arabic numerals, full year, no zero padding (GB/T 9704)."""
    return f"{d.year}年{d.month}月{d.day}日"


def parse_date(value: object) -> dt.date | None:
    """A date from what a clerk wrote (a date, or text holding one); None when there is none or it is no date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    m = DATE.search(str(value or ""))
    try:
        return dt.date(*map(int, m.groups())) if m else None
    except ValueError:
        return None


def _cn_number(text: str) -> int:
    if "十" in text:
        tens, _, ones = text.partition("十")
        return int(_CN_DIGITS.get(tens, "1") if tens else 1) * 10 + (int(_CN_DIGITS[ones]) if ones else 0)
    return int(_CN_DIGITS[text])


def date_only(text: str) -> dt.date | None:
    """The date when a paragraph is nothing but a date (the closing "2025年1月20日" or "二〇二五年一月二十日")."""
    folded = fold(text)
    m = _CN_NUMERALS.match(folded)
    try:
        if m:
            return dt.date(int("".join(_CN_DIGITS[c] for c in m.group(1))), _cn_number(m.group(2)),
                           _cn_number(m.group(3)))
        m = CN_DATE.fullmatch(text.strip()) or _FOLDED.fullmatch(folded)
        return dt.date(*map(int, m.groups())) if m else None
    except ValueError:
        return None


def source_date_epoch() -> dt.datetime | None:
    """The build time of a reproducible build: SOURCE_DATE_EPOCH (seconds, UTC) when set, else None."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if not epoch.isdigit():
        return None
    return dt.datetime.fromtimestamp(min(int(epoch[:15]), 253402300799), dt.timezone.utc)  # at most 9999-12-31
