"""The import rules: what reading a published file back could not recover or had to guess.

They have no check function: the importer (`importer/parse.py`, `importer/tables.py`) notes them while
reading, so `gip-author check FILE.pdf` reports them with the same ids and messages as every other rule.
"""
from __future__ import annotations

from .registry import rule

NO_REPORT = rule("import.no-report", "error", "文件不是政府信息公开工作年度报告（找不到标题、章节和表格）",
                 "the file is not an annual report at all (no title, sections or tables found)")
UNREADABLE_CELL = rule("import.unreadable-cell", "error",
                       "导入时表格中有读不出数字的格子（空白、“—”、缺行）：按“空”处理，不会当作 0",
                       "a table cell could not be read on import (blank, a dash, a missing row): kept empty, never 0")
NOT_FOUND = rule("import.not-found", "error", "导入时找不到某个部分（章节、表格或机关、年度）",
                 "a part of the report (a section, a table, the agency or the year) was not found on import")
GUESSED = rule("import.guessed", "warning", "导入时有内容是推断出来的（如机关名称取自正文、段落归入哪一部分），请核对",
               "something was inferred on import (e.g. the agency from the text, which part a paragraph belongs to)")
OCR = rule("import.ocr", "warning", "扫描件中的数和文字由文字识别（OCR）读出，可能认错，请对照原件逐一确认",
          "numbers and text of a scanned page were read by OCR and may be misread: confirm them against the original")
OCR_CORRECTED = rule("import.ocr-corrected", "warning",
                     "文字识别对某格有两种读法，按表内合计关系选了其中一种（写明读作什么、取了什么），请核对",
                     "OCR read a cell two ways and the table's sums chose one (what was read, what was taken)")
OUTDATED = rule("template.outdated", "error",
                "用的是已废止的 2019 年格式（国办公开办函〔2019〕60号），应改用 2021 年格式（国办公开办函〔2021〕30号）",
                "the outdated 2019 layout (国办公开办函〔2019〕60号) instead of the 2021 format")
