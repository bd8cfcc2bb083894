"""What a paragraph of a published report is: a section heading (一 to 六), a heading of one of section 一's
five parts, a line of a table rather than narrative; and its text tidied as the format writes it.

Headings are recognised by their words, not their exact form: numbered "一、" or "2、", Markdown or bold, with
typos (a close match), with "情况"/"方面" appended.  Every label compared comes from cells.py, folded.
"""
from __future__ import annotations

import difflib
import re

from .. import cells as C
from ..cells import fold
from .blocks import Paragraph

_CJK = "\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef“”‘’《》〈〉—…"
_SPACE_NEAR_CJK = re.compile(rf"(?<=[{_CJK}])[ \t\u00a0\u3000]+|[ \t\u00a0\u3000]+(?=[{_CJK}])")
_SPACES = re.compile(r"[ \t\u00a0\u3000]+")
_HALF_PUNCT = re.compile(rf"(?<=[{_CJK}])[,;:!?]|[,;:!?](?=[{_CJK}])")
_HALF_PARENS = re.compile(r"\(([^()]*[\u4e00-\u9fff][^()]*)\)")
_FULL = {",": "，", ";": "；", ":": "：", "!": "！", "?": "？"}


def tidy(text: str) -> str:
    """One paragraph's text: no spaces beside Chinese characters (PDF and Word insert them), single spaces,
    and the half-width , ; : ( ) of Chinese text made full-width as the format writes them."""
    text = _SPACES.sub(" ", _SPACE_NEAR_CJK.sub("", text)).strip()
    if any(c in text for c in ",;:!?("):
        text = _HALF_PUNCT.sub(lambda m: _FULL[m.group(0)], text)
        text = _HALF_PARENS.sub(r"（\1）", text)
    return text


# ------------------------------------------------------------------------------------------ headings

_SECTION_NUM = re.compile(r"^(?:第?[一二三四五六七八九十]+\s*[、.．,，:：]|[1-9]\s*[、.．,，:：)）])\s*")
_SECTION_KEYS = tuple(fold(C.bare(h)) for _, h in C.SECTIONS)
PART_NUM = re.compile(r"^(?:[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[、.．](?!\d)|[一二三四五六七八九十]\s*[、.．])\s*")
PART_KEYS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("on_request", ("依申请",)),
    ("proactive", ("主动公开",)),
    ("management", ("政府信息管理", "信息管理")),
    ("platform", ("平台建设", "平台")),
    ("oversight", ("监督保障", "监督", "保障")),
)
_HEAD_END = re.compile(r"[。：:]")
_HEAD_SUFFIX = re.compile(r"^(?:工作)?(?:情况|方面|工作|建设)?(?:情况|方面)?[。：:．.]?")


def section_heading(p: Paragraph, after: int) -> int | None:
    """Which section (0–5) a paragraph heads, considering only sections after `after`."""
    text = p.text.strip()
    m = _SECTION_NUM.match(text)
    body = fold(text[m.end():] if m else text)
    if not body or len(body) > 32:
        return None
    best, best_score = None, 0.0
    for i in range(after + 1, len(_SECTION_KEYS)):
        key = _SECTION_KEYS[i]
        if body == key:
            score = 1.0
        elif key in body and len(body) <= len(key) + 6:
            score = 0.95
        elif len(body) >= 4 and body in key and len(body) >= 0.6 * len(key):
            score = 0.9
        else:
            score = difflib.SequenceMatcher(None, body, key).ratio()
        if score > best_score:
            best, best_score = i, score
    if best is None or best_score < 0.75:
        return None
    if best_score < 1.0 and not (m or p.heading):
        return None
    return best


_TABLE_WORDS = tuple({fold(C.bare(r.label))[:6] for r in C.T3_ROWS if len(fold(C.bare(r.label))) >= 4}
                     | {fold(r.label) for r in C.T2_ROWS}
                     | {fold(w) for w in (C.T3_APPLICANTS, C.T3_LEGAL_PERSONS, C.T2_BLOCKS[0][1], C.T2_ART1_COLUMNS[0][1],
                                          C.T2_DECISIONS, C.T4_COLUMNS[0][1], *(g for _, g in C.T4_GROUPS[1:]))}
                     | {fold(w) for w in ("勾稽关系", "第二十条")})  # words of the corner note and the block titles
_NUMBER_WORD = re.compile(r"(?:^|\s)\d+(?:\.\d+)?(?=\s|$)")


def tableish(text: str) -> bool:
    """A line that belongs to a table (numbers standing apart, or a table's labels), not to the narrative."""
    if len(_NUMBER_WORD.findall(text)) >= 2:
        return True
    folded = fold(text)
    return len(folded) < 80 and any(w in folded for w in _TABLE_WORDS)


def split_head(text: str, num_end: int) -> tuple[str, str]:
    """A part's inline heading and the text after it: "（一）主动公开方面。2024年，…" -> ("（一）主动公开方面", "2024年，…")."""
    m = _HEAD_END.search(text, num_end, num_end + 30)
    if m:
        return text[:m.start()], text[m.end():].strip()
    if len(text) <= 30:
        return text, ""
    body = text[num_end:num_end + 24]
    for _, words in PART_KEYS:
        for w in words:
            i = body.find(w)
            if i >= 0:
                end = num_end + i + len(w)
                suffix = _HEAD_SUFFIX.match(text, end)
                end = suffix.end() if suffix else end
                return text[:end], text[end:].strip()
    return text[:num_end], text[num_end:]


def part_key(head: str) -> str | None:
    for key, words in PART_KEYS:
        if any(w in head for w in words):
            return key
    return None
