"""Traditional Chinese -> Simplified (OpenCC), only when the text looks traditional: 規章, 許可, 總計 must match."""
from __future__ import annotations

from functools import lru_cache

from .blocks import Block, Paragraph, Table

#: Characters that exist only in Traditional Chinese and are common in these reports.
_TRADITIONAL = frozenset("們個這來時會說國關與為無資訊報總計許規權處開門問題應實務發現條辦據錄單區縣鄉鎮醫衛級當數請機構種類經濟組織網過產價參圖進復議訴審結維糾轉費執強製護權禮際")
_SEP = "\u0001"


def looks_traditional(text: str) -> bool:
    hits = 0
    for ch in text:
        if ch in _TRADITIONAL:
            hits += 1
            if hits >= 5:
                return True
    return False


@lru_cache(maxsize=1)
def _converter():
    import opencc
    return opencc.OpenCC("t2s")


def to_simplified(blocks: list[Block]) -> bool:
    """Convert every paragraph and cell in place when the document is Traditional; True if it was."""
    strings: list[object] = []
    for b in blocks:
        if isinstance(b, Paragraph):
            strings.append(b)
        elif isinstance(b, Table):
            strings.extend(c for row in b.rows for c in row)
    sample = "".join(s.text for s in strings[:400])
    if not looks_traditional(sample):
        return False
    converted = _converter().convert(_SEP.join(s.text for s in strings)).split(_SEP)
    if len(converted) != len(strings):          # never lose text over a separator
        converted = [_converter().convert(s.text) for s in strings]
    for s, text in zip(strings, converted):
        s.text = text
    return True
