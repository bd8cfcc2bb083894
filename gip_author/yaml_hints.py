"""Plain-Chinese hints for the YAML slips a Chinese input method makes.

A full-width colon after a key (`行政处罚：62`), full-width commas or brackets in a row (`[1，0，0]`,
`［1, 0］`), full-width spaces, and a pasted paragraph left unindented break the YAML in ways libyaml reports
in English, often on the next line.  `slips()` finds them where they are (outside text blocks and comments);
the loader asks `syntax_hint()` before it explains a syntax error and `row_hint()` before it says a row has the
wrong number of values; `translate()` turns any other libyaml message into Chinese.
"""
from __future__ import annotations

import re

FULL_COLON, FULL_COMMA, FULL_SPACE = "：", "，", "\u3000"
# Patterns compiled on first use (re's cache): hints are only wanted when a file has a slip.
_BLOCK_START = r"^(\s*)[^#\s][^#]*?:[ \t]+[|>][-+0-9]*[ \t]*(?:#.*)?$"
_KEY_LINE = r"^\s*[^#\s][^#]*?:(?:[ \t]|$)"
_FULL_KEY = r"^\s*[^\s。，；！？：]{1,25}：\s*(?:[|>\[［\d]|$)"  # `键：值` typed with a Chinese colon
_COMMENT = r"(?:^|[ \t])#.*$"


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" "))


def slips(text: str) -> list[tuple[int, int, str]]:
    """(0-based line, 0-based column, message) of every input-method slip, in file order."""
    found: list[tuple[int, int, str]] = []
    block_indent: int | None = None   # inside a `|` block begun by a key at this indentation
    for n, line in enumerate(text.splitlines()):
        shown = n + 1
        if block_indent is not None:
            if not line.strip() or _indent(line) > block_indent:
                continue
            if not re.match(_KEY_LINE, line) and not line.lstrip().startswith("#") and not re.match(_FULL_KEY, line):
                found.append((n, 0, f"第 {shown} 行：这一段文字没有缩进，程序把它当成了新的一项。"
                                    f"请在行首加空格，与上一段文字对齐（比上面的键多缩进两个空格）。"))
                continue
            block_indent = None
        body = re.sub(_COMMENT, "", line)
        if not body.strip():
            continue
        stripped = body.lstrip(" ")
        if stripped.startswith(FULL_SPACE):
            found.append((n, _indent(body), f"第 {shown} 行：行首用了全角空格（中文输入法的空格），YAML 只认半角空格。"
                                             "请删掉这些空格，切换到英文输入法后用空格键重新缩进。"))
            continue
        colon = re.search(r":(?=[ \t]|$)", body)
        if colon is None and FULL_COLON in body:
            at = body.index(FULL_COLON)
            key = body[:at].strip()
            found.append((n, at, f"第 {shown} 行：“{key}”后面用了中文冒号“：”，请改成英文冒号“:”加一个空格。"))
            continue
        if colon is None and re.search(r":" + FULL_SPACE, body):
            at = body.index(":" + FULL_SPACE)
            found.append((n, at, f"第 {shown} 行：冒号后面是全角空格（中文输入法的空格），请改成半角空格。"))
            continue
        value = body[colon.end():] if colon else body
        if "［" in value or "］" in value:
            found.append((n, body.index("［" if "［" in value else "］"),
                          f"第 {shown} 行：用了中文方括号“［］”，请改成英文方括号“[ ]”。"))
        elif "[" in value and FULL_COMMA in value:
            found.append((n, body.index(FULL_COMMA), f"第 {shown} 行：数字之间用了中文逗号“，”，请改成英文逗号“,”。"))
        if re.match(_BLOCK_START, line):
            block_indent = _indent(line)
    return found


def syntax_hint(text: str, line: int) -> tuple[int, int, str] | None:
    """The slip that explains a syntax error libyaml noticed on 0-based `line`: the last one at or before it
    (libyaml often notices a slip a line late)."""
    before = [s for s in slips(text) if s[0] <= line + 1]
    return before[-1] if before and line - before[-1][0] <= 3 else None


def row_hint(value: object, line: int | None) -> str | None:
    """The message for a table row whose values were not read as a list of numbers because of a slip:
    full-width brackets (the row is one piece of text) or full-width commas (the numbers run together)."""
    items = value if isinstance(value, list) else [value]
    where = f"第 {line} 行：" if line else ""
    if any(isinstance(v, str) and ("［" in v or "］" in v) for v in items):
        return f"{where}用了中文方括号“［］”，请改成英文方括号“[ ]”，数字之间用英文逗号“,”隔开。"
    if any(isinstance(v, str) and (FULL_COMMA in v or "、" in v) for v in items):
        return f"{where}数字之间用了中文逗号“，”（或顿号“、”），请改成英文逗号“,”。"
    return None


_ENGLISH = (
    ("did not find expected key", "缩进没有对齐，或这一行不是“键: 值”的写法"),
    ("did not find expected '-' indicator", "缩进没有对齐"),
    ("did not find expected comment or line break", "一行里写了多余的内容（如冒号后又有冒号、引号后又有文字）"),
    ("did not find expected node content", "这里缺少内容"),
    ("found unknown escape character", "双引号里的“\\”要写成“\\\\”，或改用单引号"),
    ("found unexpected ':'", "冒号位置不对：文字里的冒号请加引号"),
    ("block sequence entries are not allowed", "“- ”开头的列表写法位置不对"),
    ("found character that cannot start any token", "这一行开头有 YAML 不允许的字符，请给这段文字加引号"),
    ("while scanning an anchor", "“&”开头的内容会被当作锚点，请给这段文字加引号"),
    ("while scanning a directive", "“%”开头的内容不允许，请给这段文字加引号"),
)


def translate(message: str) -> str:
    """libyaml's English problem text in plain Chinese; never the English itself."""
    for en, zh in _ENGLISH:
        if en in message:
            return zh
    return "写法不符合 YAML 格式"
