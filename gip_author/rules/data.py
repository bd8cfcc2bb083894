"""The data rules: a published file that carries the data it was built from (embedded.py), held against what it
shows (compare.py).  Like the import rules they have no check function: reading the file notes them."""
from __future__ import annotations

from .registry import rule

DATA_DIFFERS = rule("data.differs", "error", "文件显示的内容与文件内嵌的生成数据不一致（生成后文件被改过）",
                    "what the file shows differs from the data embedded in it when it was built (edited since)")
DATA_INVALID = rule("data.invalid", "warning", "文件内嵌的生成数据无法使用（损坏、过大或前后矛盾），已按显示的内容导入",
                    "the data embedded in the file cannot be used (damaged, too large, inconsistent); read as shown")
DATA_UNCHECKED = rule("data.unchecked", "warning", "已按内嵌的生成数据导入，但读不出文件显示的内容，无法核对两者",
                      "imported from the embedded data, but what the file shows could not be read to compare")
