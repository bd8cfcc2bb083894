"""Reports a web page writes with JavaScript: `document.write("…")`, `var html = '…'; el.innerHTML = html`.

Such a page shows the report in a browser, but its HTML holds the report only inside a script's string
literals.  When the page's own markup has none of the report's anchor words, the string literals of each
script are decoded (\\uXXXX, \\xXX, \\n, \\", concatenation with +) and, where they hold the report, put in the
script's place, so the HTML reader sees the report as the browser shows it.  No script is ever run.
"""
from __future__ import annotations

import re

_SCRIPT = re.compile(r"<script\b([^>]*)>(.*?)</script\s*>", re.S | re.I)
# a script with one of these types is data (such as the JSON blocks gip-author writes), never run nor shown
_DATA_TYPE = re.compile(r"""\btype\s*=\s*["']?\s*(?:application/(?:ld\+)?json|text/(?:plain|template|html|x-template))""", re.I)
_LITERAL = re.compile(r'"((?:[^"\\\n]|\\.)*)"|\'((?:[^\'\\\n]|\\.)*)\'|`((?:[^`\\]|\\.)*)`', re.S)
_ESCAPE = re.compile(r"\\(u\{[0-9a-fA-F]{1,6}\}|u[0-9a-fA-F]{4}|x[0-9a-fA-F]{2}|\n|.)", re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "", "b": "", "f": "", "v": "", "0": "", "\n": ""}
ANCHORS = ("本年新收", "总体情况", "總體情況", "主动公开政府信息情况", "主動公開政府資訊情況")


def _unescape(s: str) -> str:
    def one(m: re.Match) -> str:
        e = m.group(1)
        if e.startswith("u{"):
            return chr(int(e[2:-1], 16))
        if e[0] in "ux" and len(e) > 1:
            return chr(int(e[1:], 16))
        return _SIMPLE.get(e, e)
    return _ESCAPE.sub(one, s)


def _strings(script: str) -> str:
    return "".join(_unescape(next(g for g in m.groups() if g is not None)) for m in _LITERAL.finditer(script))


def written_by_scripts(text: str) -> str:
    """The page with each script that carries the report replaced by the HTML its strings hold."""
    if any(a in _SCRIPT.sub("", text) for a in ANCHORS) or "<script" not in text.lower():
        return text

    def replace(m: re.Match) -> str:
        body = m.group(2)
        if _DATA_TYPE.search(m.group(1)):
            return m.group(0)
        if "\\u" not in body and not any(a in body for a in ANCHORS):
            return m.group(0)
        html = _strings(body)
        return html if any(a in html for a in ANCHORS) else m.group(0)
    return _SCRIPT.sub(replace, text)
