"""Report -> the commented YAML a clerk edits: the template `gip-author init` writes, and what `import` writes.

Generated from the label table in cells.py, so a template can never list a row the loader does not know;
`load` reads it back to the same Report.  Its JSON Schema is schema.py's.
"""
from __future__ import annotations

import datetime as dt
import json

from . import cells as C
from .dates import cn_date
from .model import General, Report, number_text

def _row(values) -> str:
    return "[" + ", ".join(_num(v) for v in values) + "]"


UNKNOWN = "待填"  # a cell an import could not read: `check` asks for the number, and it is never taken as 0


def _num(value) -> str:
    return number_text(value, unknown=UNKNOWN)


def _block(indent: str, key: str, text: str | None, comment: str = "") -> list[str]:
    """`key: |` followed by the text, one indented line per line (a YAML literal block keeps it verbatim)."""
    comment = f"    # {comment}" if comment else ""
    lines = (text or "").splitlines() or [""]
    return [f"{indent}{key}: |{comment}"] + [f"{indent}  {line}".rstrip() or f"{indent}  " for line in lines]


def report_yaml(report: Report, schema: str = "gip-author.schema.json") -> str:
    """The report as the commented YAML a clerk edits: every section, every row, official labels.

    `gip-author init` writes it for a blank report, `gip-author import` for a recovered one; `load`
    reads it back to the same Report.
    """
    g, H, cell = C.SECTION_GUIDES, C.SECTION_HEADINGS, report.cells.get
    K = C.KEY
    out = [
        f"# yaml-language-server: $schema={schema}",
        f"# {report.display_title}（国办公开办函〔2021〕30号格式）",
        "# 填写说明：冒号后留一个空格；多段文字用“|”开头，下一行起缩进两个空格书写；表格中没有的数填 0。",
        "# 填好后运行：gip-author check 本文件   检查无误后：gip-author build 本文件",
        "",
        f"{K['agency']}: {_scalar(report.agency)}",
        f"{K['kind']}: {C.KIND_NAMES[report.kind]}    # 部门 或 人民政府（发布时限、第五部分要求不同）",
        f"{K['scope']}: {C.SCOPE_LABELS[report.scope]}    # 本机关（只含本机关的数字），或 本级及所属单位（含所属部门、乡镇街道的汇总）",
        f"{K['year']}: {report.year}",
    ]
    if report.title and report.title != report.official_title:
        out.append(f"{K['title']}: {_scalar(report.title)}")
    published = report.published.isoformat() if report.published else ""
    out.append(f"{K['published']}: {published}    # 部门须在次年 1 月 31 日前发布")
    out.append(f"{K['period']}: {cn_date(report.start)}至{cn_date(report.end)}")
    out += _block("", K["intro"], report.intro, "标题后、正文前的说明文字，可留空；统计期限一句由程序生成")
    out += ["", f"# {g['general']}", f"{H['general']}:"]
    general = report.general
    for key, heading, guide in C.GENERAL_PARTS:
        out += _block("  ", heading, getattr(general, key) if general else "", guide)
    out += ["", f"# {g['disclosure']}", f"{H['disclosure']}:"]
    if report.disclosure:
        out += _block("  ", C.NOTE_KEYS[0], report.disclosure)
    for row in C.T2_ROWS:
        if row.columns:
            cols = "、".join(lbl for _, lbl in row.columns)
            values = [cell(cid) for cid in C.t2_cells(row)]
            out.append(f"  {row.label}: {_row(values)}    # {row.block}：{cols}")
        else:
            value = cell(C.t2(row.key))
            out.append(f"  {row.label}: {_num(value)}    # {row.block}："
                       f"{C.T2_BLOCK_HEADERS[row.block][0]}")
    out += ["", f"# {g['requests']}", f"{H['requests']}:"]
    if report.requests:
        out += _block("  ", C.NOTE_KEYS[0], report.requests)
    group = ""
    for row in C.T3_ROWS:
        if row.group and not group:
            out.append(f"  {C.T3_RESULTS}:")
        if row.group in C.T3_SUBGROUPS and row.group != group:
            out.append(f"    {row.group}:")
        group = row.group
        indent = "  " * (1 + bool(row.group) + (row.group in C.T3_SUBGROUPS))
        values = [cell(C.t3(row.key, c)) for c, _ in C.T3_COLUMNS]
        out.append(f"{indent}{row.label}: {_row(values)}")
    cols = "、".join(lbl for _, lbl in C.T4_COLUMNS)
    out += ["", f"# {g['appeals']}", f"{H['appeals']}:"]
    if report.appeals:
        out += _block("  ", C.NOTE_KEYS[0], report.appeals)
    for key, label in C.T4_GROUPS:
        out.append(f"  {label}: {_row(cell(C.t4(key, c)) for c, _ in C.T4_COLUMNS)}    # {cols}")
    out += ["", f"# {g['improvements']}", *_block("", H["improvements"], report.improvements),
            "", f"# {g['other']}", *_block("", H["other"], report.other), ""]
    return "\n".join(out)


def _scalar(text: str) -> str:
    """A one-line YAML scalar, quoted when plain style would change its meaning."""
    plain = text and not any(ch in text for ch in ':#[]{},&*!|>\'"%@`') and text.strip() == text
    return text if plain else json.dumps(text, ensure_ascii=False)


def init_yaml(agency: str, year: int, kind: str = "department", schema: str = "gip-author.schema.json") -> str:
    """A complete, commented template: every section with its guide, every table row with zeros."""
    blank = Report(agency=agency, year=year, kind=kind, published=dt.date(year + 1, 1, 20),
                   general=General(**{k: "" for k, _, _ in C.GENERAL_PARTS}),
                   improvements="", other="本年度未发出信息处理费收费通知，未收取信息处理费。")
    return report_yaml(blank, schema)
