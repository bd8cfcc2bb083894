"""Why a YAML file could not be parsed, in plain Chinese, with the line to look at and what to do.

`yaml_positions.parse_yaml` turns every failure into one of these explanations: a syntax error (the
place libyaml noticed it, moved back to where the unclosed bracket or quote began), a Tab, a control
character pasted from Word, an alias, a key written twice, nesting too deep, an empty file, a file whose
top level is not "键: 值" pairs.
"""
from __future__ import annotations

import contextlib
import re

from yaml.error import MarkedYAMLError
from yaml.reader import ReaderError

from . import yaml_hints
from .location import Location
from .problems import CannotRead, GipError, InvalidReport, Problem
from .rules.input import DUPLICATE_KEY, SYNTAX


class AliasFound(Exception):
    """A node met twice while walking the tree: an alias (`*name`), refused so a "billion laughs" costs nothing."""

    def __init__(self, mark):
        self.mark = mark


class DuplicateKeyFound(Exception):
    """A mapping key written twice: refused, since the later value would silently replace the earlier."""

    def __init__(self, key, first: tuple[int, int], second):
        self.key, self.first, self.second = key, first, second


_ALIAS = re.compile(r"(?:^|[\s\[,{])(\*[^\s,\[\]{}]+)", re.M)
_TOO_DEEP = "括号或缩进嵌套的层次太多，这不是年度报告的 YAML 文件。请检查是否选错了文件。"


@contextlib.contextmanager
def only_own_errors(path: str):
    """Whatever reading a report's text raises leaves as CannotRead or InvalidReport (the documented API)."""
    try:
        yield
    except GipError:
        raise
    except (RecursionError, MemoryError):
        raise CannotRead(f"{path}：文件结构异常（嵌套过深或过大），无法读取。请检查是否选错了文件。") from None
    except Exception as e:  # noqa: BLE001 - load() raises only the package's own errors
        raise InvalidReport(f"{path}：读取时遇到无法处理的内容（{type(e).__name__}: {str(e)[:120]}）。"
                            "请对照 gip-author init 生成的模板检查格式，或把文件发给维护人员。") from e


def empty_file(path: str) -> CannotRead:
    return CannotRead(f"{path}：文件是空的。可用 gip-author init --agency 机关名称 --year 年度 生成模板后填写。")


def only_comments(path: str) -> CannotRead:
    return CannotRead(f"{path}：文件里只有注释（“#”开头的文字），没有报告内容。"
                      "可用 gip-author init --agency 机关名称 --year 年度 生成模板后填写。")


def not_a_mapping(path: str) -> InvalidReport:
    return InvalidReport(f"{path}：这不是年度报告的 YAML 文件（第一层应是“机关: …”“年度: …”这样的键值）。"
                         "可用 gip-author init 生成模板。")


def unreadable(e: Exception, text: str, path: str) -> InvalidReport:
    """The one InvalidReport for any exception met while parsing `text`."""
    if isinstance(e, AliasFound):
        return _alias(e, text, path)
    if isinstance(e, DuplicateKeyFound):
        loc = Location(path, e.second.line + 1, e.second.column + 1)
        first = e.first[0] + 1
        problem = Problem.of(DUPLICATE_KEY, f"键“{e.key}”写了两次（第 {first} 行已经有了）。"
                             "请删掉或合并其中一处，否则会丢失数据。",
                             f"key '{e.key}' appears twice (first on line {first}).", loc)
        return InvalidReport(f"{loc}：{problem.zh}", [problem])
    if isinstance(e, MarkedYAMLError):
        if "maximum nesting depth" in str(e.problem):
            return InvalidReport(f"{path}：{_TOO_DEEP}")
        return _syntax_error(e, text, path)
    if isinstance(e, ReaderError):  # a control character (form feed, ^Z) pasted from Word or a terminal
        at = len(text.encode("utf-8")[: max(e.position, 0)].decode("utf-8", "ignore"))  # libyaml counts bytes
        line = text.count("\n", 0, at) + 1
        loc = Location(path, line, at - text.rfind("\n", 0, at))
        zh = (f"第 {line} 行有一个不可见的控制字符（编码 {e.character:#06x}），常见于从 Word 或网页复制的文字。"
              "请删除这个字符（或重新输入这一行）后保存。")
        return InvalidReport(f"{loc}：{zh}", [Problem.of(SYNTAX, zh, f"control character {e.character:#06x}", loc)])
    if isinstance(e, RecursionError):
        return InvalidReport(f"{path}：{_TOO_DEEP}")
    return InvalidReport(f"{path}：无法按 YAML 读取（{yaml_hints.translate(str(e))}）。请对照 gip-author init 生成的模板检查格式。")


def _alias(e: AliasFound, text: str, path: str) -> InvalidReport:
    alias = _ALIAS.search(text)  # the node met twice is the anchored one; point at the first alias
    line = text.count("\n", 0, alias.start(1)) + 1 if alias else e.mark.line + 1
    column = alias.start(1) - text.rfind("\n", 0, alias.start(1)) if alias else e.mark.column + 1
    return InvalidReport(f"{path}:{line}:{column}：报告文件不能使用 YAML 别名（*名称）。请把内容直接写出来。")


def _syntax_error(e: MarkedYAMLError, text: str, path: str) -> InvalidReport:
    """One paragraph for a YAML syntax error: the line, what is wrong in plain words, what to do."""
    mark = e.problem_mark or e.context_mark
    lines = text.splitlines()
    # At the end of the file the problem mark says nothing useful ("line 85"); the place where the
    # unclosed bracket or quote began (the context mark) is where the clerk must look.
    if e.context_mark and mark and mark.line >= len(lines) - 1 and "stream" in str(e.problem) + str(e.context):
        mark = e.context_mark
    # An unclosed bracket is noticed only on a later line; the bracket itself is where it began.
    if e.context_mark and mark and "expected ','" in str(e.problem) and e.context_mark.line < mark.line:
        mark = e.context_mark
    loc = Location(path, mark.line + 1, mark.column + 1) if mark else Location(path)
    line_text = lines[mark.line] if mark and mark.line < len(lines) else ""
    slip = yaml_hints.syntax_hint(text, mark.line) if mark else None
    if slip is not None:
        loc, hint = Location(path, slip[0] + 1, slip[1] + 1), slip[2]
    elif "\t" in line_text[: (mark.column if mark else 0) + 1] or "'\\t'" in str(e.problem):
        hint = "这一行用了 Tab 键缩进，YAML 只能用空格缩进。请把 Tab 换成空格（同一层级对齐）。"
    else:
        hint = (f"YAML 格式有误（{_explain(e)}）。请检查这一行及上一行的缩进、冒号后的空格、"
                "方括号和引号是否成对。")
    problem = Problem.of(SYNTAX, hint, f"YAML syntax error: {e.problem}", loc)
    return InvalidReport(f"{loc}：{hint}", [problem])


_KNOWN = (  # (libyaml's problem, its context, what it means for a clerk)
    ("found another document", "", "一个文件只能有一份报告，不要写第二个“---”分隔线"),
    ("found ','", "", "方括号里有空位：两个逗号之间没有数，没有就填 0"),
    ("did not find expected node content", "flow", "方括号里有空位：两个逗号之间没有数，没有就填 0"),
    ("found '<stream end>'", "", "文件意外结束，可能只保存了一半，或引号、括号没有闭合"),
    ("found unexpected end of stream", "quoted scalar", "引号没有闭合"),
    ("found unexpected end of stream", "", "文件意外结束，可能引号或括号没有闭合"),
    ("expected ',' or ']'", "", "方括号没有闭合，或数字之间少了逗号"),
    ("expected ',' or '}'", "", "花括号没有闭合"),
    ("could not find expected ':'", "", "缺少冒号，或上一行的引号没有闭合"),
    ("mapping values are not allowed", "", "冒号位置不对：冒号后要有空格，文字里的冒号请加引号"),
    ("expected <block end>", "", "缩进没有对齐：同一层级的键要对齐"),
    ("found character '@'", "", "“@”不能出现在开头，请给这段文字加引号"),
    ("found character '`'", "", "“`”不能出现在开头，请给这段文字加引号"),
    ("found undefined alias", "", "“*”开头的内容会被当作别名，请给这段文字加引号"),
)


def _explain(e: MarkedYAMLError) -> str:
    problem, context = str(e.problem or ""), str(e.context or "")
    for en, ctx, zh in _KNOWN:
        if en in problem and ctx in context:
            return zh
    return yaml_hints.translate(problem)
