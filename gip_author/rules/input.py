"""The input rules: what reading a clerk's YAML file finds (encoding, syntax, keys, numbers, shape, gaps).

They have no check function: the loader (`loader.py`, `yaml_errors.py`) reports them while reading.
"""
from __future__ import annotations

from .registry import rule

ENCODING = rule("input.encoding", "warning", "文件不是 UTF-8 编码（已按 GBK/GB18030 读取，建议另存为 UTF-8）",
                "the file is not UTF-8 (read as GBK/GB18030; re-save it as UTF-8)")
SYNTAX = rule("input.syntax", "error", "YAML 格式错误（缩进、冒号、括号、Tab 等）",
              "YAML syntax error (indentation, colons, brackets, tabs)")
DUPLICATE_KEY = rule("input.duplicate-key", "error", "同一个键写了两次（后写的会覆盖先写的，造成数据丢失）",
                     "a key written twice (the later would silently replace the earlier)")
UNKNOWN_KEY = rule("input.unknown-key", "error", "无法识别的键（可能拼写有误）",
                   "a key that is not part of the format (probably misspelt)")
BAD_NUMBER = rule("input.bad-number", "error", "数字不合法：须为不小于 0 的整数（金额可为小数），不能留空、写汉字或带单位",
                  "not a valid count: a non-negative integer (amounts may be decimal), not blank, words or units")
BAD_SHAPE = rule("input.bad-shape", "error", "结构不对：如表格一行的数字个数不对、应为文字处写成了列表",
                 "wrong shape: a table row with the wrong number of values, a list where text is expected")
BAD_TEXT = rule("input.bad-text", "error",
                "文字中有不可见的控制字符或方向控制字符，或长度超出常理（如机关名称超过 100 个字）",
                "text with invisible control or direction characters, or longer than any real one")
MISSING = rule("input.missing", "error", "缺少必填项或整个章节（机关、年度、六个部分）",
               "a required field or a whole section is missing (agency, year, the six sections)")
