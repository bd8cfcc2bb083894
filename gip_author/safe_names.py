"""File names made from report text (agency, title): safe on every file system, never a path.

Path separators and characters Windows forbids become "_"; control characters, bidi overrides (U+202E turns
"报告exe.docx" into what reads as "报告xcod.exe") and zero-width characters are dropped; leading dots go (no
hidden files, no ".."); the name is cut to fit the 255-byte limit of common file systems with room for a
suffix and a temp-file prefix; Windows' reserved device names get a "_".
"""
from __future__ import annotations

import re

MAX_STEM_BYTES = 180     # + ".docx", + the ".<name>.XXXXXXXX.tmp" of an atomic write: still < 255 bytes

_SEPARATORS = re.compile(r'[<>:"/\\|?*]')
_INVISIBLE = re.compile("[\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2069\ud800-\udfff\ufeff]")
_SPACES = re.compile(r"\s+")
_RESERVED = re.compile(r"(?i)(?:con|prn|aux|nul|com\d|lpt\d)(?:\..*)?")


def safe_stem(text: str, fallback: str = "report", max_bytes: int = MAX_STEM_BYTES) -> str:
    """`text` as a file name stem (no suffix): one name in the current folder, whatever the text held."""
    stem = _INVISIBLE.sub("", text or "")
    stem = _SEPARATORS.sub("_", stem)
    stem = _SPACES.sub(" ", stem).strip(" ._")
    stem = _cut(stem, max_bytes).rstrip(" .")
    if _RESERVED.fullmatch(stem):
        stem = "_" + stem
    return stem or fallback


def _cut(text: str, max_bytes: int) -> str:
    data = text.encode("utf-8")
    if len(data) <= max_bytes:
        return text
    return data[:max_bytes].decode("utf-8", "ignore")


def readable_path(path: str) -> str:
    """A path as a person reads it, whatever bytes its names are: a name from a Windows zip (GBK bytes on a
    UTF-8 system, which Python keeps as lone surrogates that no file can be written with) decoded as GBK."""
    import os
    raw = os.fsencode(path)
    for encoding in ("utf-8", "gb18030"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return raw.decode("utf-8", "replace")
