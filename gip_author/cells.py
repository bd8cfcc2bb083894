"""The one table of facts about the 2021 format: sections, official labels, canonical cell ids, the keys
and aliases a clerk's YAML may use, the words of the outdated 2019 layout, and how labels are compared.

Everything else (model, loader, rules, renderers, importers, exports) reads its labels and ids from here,
so a label is spelt once.  Source: 国办公开办函〔2021〕30号, summarised in shared/spec/FORMAT.md.
"""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

REPORT_NAME = "政府信息公开工作年度报告"


def official_title(agency: str, year: int) -> str:
    """The title the format prescribes: 某某区卫生健康局2024年政府信息公开工作年度报告."""
    return f"{agency}{year}年{REPORT_NAME}"


# ---------------------------------------------------------------------------------------------- sections

#: (id, official heading).  The YAML key of a section is its heading (the number may be left out).
SECTIONS: tuple[tuple[str, str], ...] = (
    ("general", "一、总体情况"),
    ("disclosure", "二、主动公开政府信息情况"),
    ("requests", "三、收到和处理政府信息公开申请情况"),
    ("appeals", "四、政府信息公开行政复议、行政诉讼情况"),
    ("improvements", "五、存在的主要问题及改进情况"),
    ("other", "六、其他需要报告的事项"),
)
SECTION_HEADINGS = dict(SECTIONS)

#: The tables: id -> (name, the section they belong to).  Their titles are their sections' headings.
TABLES: dict[str, tuple[str, str]] = {"t2": ("表二", "disclosure"), "t3": ("表三", "requests"), "t4": ("表四", "appeals")}
TABLE_NAMES = {t: name for t, (name, _) in TABLES.items()}
#: "主动公开政府信息情况": a table's title, its section heading without the number.
TABLE_TITLES = {t: SECTION_HEADINGS[section][2:] for t, (_, section) in TABLES.items()}

#: Section 一's parts: (id, heading, one-line guide).  "overview" is the untitled lead paragraph.
GENERAL_PARTS: tuple[tuple[str, str, str], ...] = (
    ("overview", "概述", "本年度政务公开工作的总体情况（可留空）"),
    ("proactive", "（一）主动公开", "主动公开政府信息的数量、渠道和重点领域公开情况"),
    ("on_request", "（二）依申请公开", "收到、办理依申请公开的情况，数字须与表三一致"),
    ("management", "（三）政府信息管理", "公开属性源头管理、保密审查、文件清理等"),
    ("platform", "（四）平台建设", "政府网站、政务新媒体等公开平台的建设情况"),
    ("oversight", "（五）监督保障", "组织领导、考核评议、社会评议、责任追究等"),
)

#: One-line guide per section, shown in the template `gip-author init` writes.
SECTION_GUIDES = {
    "general": "总体情况：按主动公开、依申请公开、政府信息管理、平台建设、监督保障五个方面分别填写",
    "disclosure": "表二：主动公开政府信息情况（第二十条第（一）（五）（六）（八）项）",
    "requests": "表三：收到和处理政府信息公开申请情况。每行 7 个数，依次为：自然人, 商业企业, 科研机构, "
                "社会公益组织, 法律服务机构, 其他, 总计（总计可省略，由程序计算；填写了则必须相符）",
    "appeals": "表四：行政复议、行政诉讼情况。每行 5 个数，依次为：结果维持, 结果纠正, 其他结果, 尚未审结, 总计",
    "improvements": "存在的主要问题及改进情况：写明上一年度问题的改进情况和本年度存在的问题、下一步举措（不要照抄上年）",
    "other": "其他需要报告的事项：必须说明信息处理费收取情况（发出收费通知的件数和总金额、实际收取的总金额；没有则写“未收取”），"
             "以及建议提案办理、政务公开创新、年度工作要点落实等",
}

# ---------------------------------------------------------------------------------------------- table 2


@dataclass(frozen=True)
class T2Row:
    key: str          # "regulations", "licensing", ...
    label: str        # 规章
    block: str        # 第二十条第（一）项
    columns: tuple[tuple[str, str], ...]   # (column id, label); () means a single-number row


T2_ART1_COLUMNS = (("issued", "本年制发件数"), ("repealed", "本年废止件数"), ("in_force", "现行有效件数"))
T2_DECISIONS = "本年处理决定数量"
T2_FEES_LABEL = "本年收费金额（单位：万元）"

T2_BLOCKS: tuple[tuple[str, str], ...] = (
    ("第二十条第（一）项", "信息内容"),
    ("第二十条第（五）项", "信息内容"),
    ("第二十条第（六）项", "信息内容"),
    ("第二十条第（八）项", "信息内容"),
)
T2_BLOCK_HEADERS = {  # block -> the column heading(s) of its rows
    "第二十条第（一）项": tuple(label for _, label in T2_ART1_COLUMNS),
    "第二十条第（五）项": (T2_DECISIONS,),
    "第二十条第（六）项": (T2_DECISIONS,),
    "第二十条第（八）项": (T2_FEES_LABEL,),
}

T2_ROWS: tuple[T2Row, ...] = (
    T2Row("regulations", "规章", "第二十条第（一）项", T2_ART1_COLUMNS),
    T2Row("normative_docs", "行政规范性文件", "第二十条第（一）项", T2_ART1_COLUMNS),
    T2Row("licensing", "行政许可", "第二十条第（五）项", ()),
    T2Row("penalties", "行政处罚", "第二十条第（六）项", ()),
    T2Row("coercive_measures", "行政强制", "第二十条第（六）项", ()),
    T2Row("fees", "行政事业性收费", "第二十条第（八）项", ()),
)

T2_ROW_BY_KEY = {r.key: r for r in T2_ROWS}

#: The one cell of Table 2 that is an amount (万元, decimal) rather than a count.
DECIMAL_CELLS = frozenset({"t2.fees"})

# ---------------------------------------------------------------------------------------------- table 3

T3_CORNER = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
T3_APPLICANTS = "申请人情况"
T3_LEGAL_PERSONS = "法人或其他组织"
T3_COLUMNS: tuple[tuple[str, str], ...] = (
    ("natural", "自然人"),
    ("business", "商业企业"),
    ("research", "科研机构"),
    ("nonprofit", "社会公益组织"),
    ("legal", "法律服务机构"),
    ("other", "其他"),
    ("total", "总计"),
)
T3_PART_COLUMNS = tuple(c for c, _ in T3_COLUMNS[:-1])


@dataclass(frozen=True)
class T3Row:
    key: str       # "denied_1"
    label: str     # official label: "1.属于国家秘密"
    group: str     # "" for the top rows, else the （…） heading it sits under: "（三）不予公开"


T3_RESULTS = "三、本年度办理结果"
_G3, _G4, _G5, _G6 = "（三）不予公开", "（四）无法提供", "（五）不予处理", "（六）其他处理"

T3_ROWS: tuple[T3Row, ...] = (
    T3Row("new", "一、本年新收政府信息公开申请数量", ""),
    T3Row("carried_in", "二、上年结转政府信息公开申请数量", ""),
    T3Row("granted", "（一）予以公开", T3_RESULTS),
    T3Row("partly_granted", "（二）部分公开（区分处理的，只计这一情形，不计其他情形）", T3_RESULTS),
    T3Row("denied_1", "1.属于国家秘密", _G3),
    T3Row("denied_2", "2.其他法律行政法规禁止公开", _G3),
    T3Row("denied_3", "3.危及“三安全一稳定”", _G3),
    T3Row("denied_4", "4.保护第三方合法权益", _G3),
    T3Row("denied_5", "5.属于三类内部事务信息", _G3),
    T3Row("denied_6", "6.属于四类过程性信息", _G3),
    T3Row("denied_7", "7.属于行政执法案卷", _G3),
    T3Row("denied_8", "8.属于行政查询事项", _G3),
    T3Row("unable_1", "1.本机关不掌握相关政府信息", _G4),
    T3Row("unable_2", "2.没有现成信息需要另行制作", _G4),
    T3Row("unable_3", "3.补正后申请内容仍不明确", _G4),
    T3Row("not_processed_1", "1.信访举报投诉类申请", _G5),
    T3Row("not_processed_2", "2.重复申请", _G5),
    T3Row("not_processed_3", "3.要求提供公开出版物", _G5),
    T3Row("not_processed_4", "4.无正当理由大量反复申请", _G5),
    T3Row("not_processed_5", "5.要求行政机关确认或重新出具已获取信息", _G5),
    T3Row("other_1", "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", _G6),
    T3Row("other_2", "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", _G6),
    T3Row("other_3", "3.其他", _G6),
    T3Row("total", "（七）总计", T3_RESULTS),
    T3Row("carried_out", "四、结转下年度继续办理", ""),
)
T3_ROW_BY_KEY = {r.key: r for r in T3_ROWS}
#: Short names a clerk may key a Table 3 row by in the YAML ("本年新收" for "一、本年新收政府信息公开申请数量").
T3_SHORT_KEYS = {"new": "本年新收", "carried_in": "上年结转", "partly_granted": "部分公开",
                 "total": "总计", "carried_out": "结转下年度继续办理"}
T3_SUBGROUPS = (_G3, _G4, _G5, _G6)
#: The rows whose sum is （七）总计, in order.
T3_RESULT_ROWS = tuple(r.key for r in T3_ROWS if r.group and r.key != "total")

# ---------------------------------------------------------------------------------------------- table 4

T4_REVIEW, T4_LITIGATION = "行政复议", "行政诉讼"
T4_GROUPS: tuple[tuple[str, str], ...] = (
    ("review", "行政复议"),
    ("litigation_direct", "未经复议直接起诉"),
    ("litigation_after_review", "复议后起诉"),
)
T4_COLUMNS: tuple[tuple[str, str], ...] = (
    ("upheld", "结果维持"),
    ("corrected", "结果纠正"),
    ("other", "其他结果"),
    ("pending", "尚未审结"),
    ("total", "总计"),
)
T4_PART_COLUMNS = tuple(c for c, _ in T4_COLUMNS[:-1])

# ---------------------------------------------------------------------------------------------- cell ids


def t2(row: str, col: str | None = None) -> str:
    """A Table 2 cell id ("t2.licensing", "t2.regulations.issued"), or a row's id without `col`."""
    return f"t2.{row}.{col}" if col else f"t2.{row}"


def t3(row: str, col: str | None = None) -> str:
    """A Table 3 cell id ("t3.new.natural"), or a row's id ("t3.new") without `col`."""
    return f"t3.{row}.{col}" if col else f"t3.{row}"


def t4(group: str, col: str | None = None) -> str:
    """A Table 4 cell id ("t4.review.total"), or a group's id without `col`."""
    return f"t4.{group}.{col}" if col else f"t4.{group}"


def t2_cells(row: T2Row) -> tuple[str, ...]:
    """The cell ids of a Table 2 row, in column order (one for a single-number row)."""
    return tuple(t2(row.key, c) for c, _ in row.columns) if row.columns else (t2(row.key),)


def _cell_labels() -> dict[str, str]:
    t2_, t3_, t4_ = TABLE_NAMES.values()
    labels: dict[str, str] = {}
    for row in T2_ROWS:
        if row.columns:
            for col, col_label in row.columns:
                labels[t2(row.key, col)] = f"{t2_} {row.label} {col_label}"
        else:
            labels[t2(row.key)] = f"{t2_} {row.label}"
    for row in T3_ROWS:
        for col, col_label in T3_COLUMNS:
            labels[t3(row.key, col)] = f"{t3_} {row.label} {col_label}"
    for group, group_label in T4_GROUPS:
        for col, col_label in T4_COLUMNS:
            labels[t4(group, col)] = f"{t4_} {group_label} {col_label}"
    return labels


#: Canonical cell id -> a human label ("表三 （一）予以公开 自然人"), in official order.  200 cells.
CELL_LABELS: dict[str, str] = _cell_labels()
CELL_IDS: tuple[str, ...] = tuple(CELL_LABELS)
assert len(CELL_IDS) == 200


# ---------------------------------------------------------------------------------------------- YAML keys

#: Report field -> the top-level YAML keys that give it (the first is the one `init` writes).
META_KEYS: dict[str, tuple[str, ...]] = {
    "agency": ("机关", "机关名称", "单位", "agency"),
    "kind": ("机关类型", "类型", "kind"),
    "scope": ("范围", "统计范围", "scope"),
    "year": ("年度", "报告年度", "year"),
    "title": ("标题", "title"),
    "published": ("发布日期", "成文日期", "日期", "published", "date"),
    "period": ("统计期限", "period"),
    "intro": ("引言", "前言", "开头", "intro"),
}
#: The key written first of each: "机关", "年度", …
KEY = {field: keys[0] for field, keys in META_KEYS.items()}
#: The narrative beside a table: "说明" (and its aliases) under the table's section.
NOTE_KEYS = ("说明", "正文", "text", "note")
#: 机关类型 as written -> Report.kind; KIND_NAMES is the way back.
KINDS = {"部门": "department", "department": "department", "人民政府": "government", "政府": "government",
         "government": "government"}
KIND_NAMES = {"department": "部门", "government": "人民政府"}

# ---------------------------------------------------------------------------------------------- 2019 layout

#: Words only the outdated 2019 layout (国办公开办函〔2019〕60号) has in its Table 2.
MARKERS_2019 = ("本年新制作数量", "本年新公开数量", "对外公开总数量", "第二十条第（九）项", "政府集中采购",
                "上一年项目数量", "其他对外管理服务事项")


# ---------------------------------------------------------------------------------------------- labels

_NOT_WORD = re.compile(r"[\W_]+")
_NUMBERING = re.compile(r"^(?:[一二三四五六七八九十]+[、.．]|（[一二三四五六七八九十]+）|\d+[.．、]\s*)")
_PARENTHETICAL = re.compile(r"（[^（）]*）$")


def normalize(label: str) -> str:
    """Fold a label as clerks and published files write it into one comparable form.

    Full/half-width forms are unified (NFKC), spaces and line breaks dropped, and the ASCII
    brackets and quotes that NFKC produces turned back into the Chinese ones the format uses.
    """
    text = unicodedata.normalize("NFKC", str(label))
    text = re.sub(r"\s+", "", text)
    text = text.replace("(", "（").replace(")", "）").replace('"', "“").replace(",", "，").replace(":", "：")
    return text


def fold(text: str) -> str:
    """`normalize` without punctuation or brackets: how published text is compared with a label
    ("（一）予以公开" and "一、予以公开" both fold to "一予以公开")."""
    return _NOT_WORD.sub("", unicodedata.normalize("NFKC", str(text)))


def bare(label: str) -> str:
    """A label without its numbering and trailing parenthetical: "（二）部分公开（区分…）" -> "部分公开"."""
    text = normalize(label)
    text = _NUMBERING.sub("", text)
    if len(text) > 4:
        text = _PARENTHETICAL.sub("", text)
    return text.rstrip("：:。")

# ---------------------------------------------------------------------------------------------- scope

#: What a report's figures cover: (id, the YAML value and the words the rendered report uses).
SCOPES: tuple[tuple[str, str], ...] = (
    ("self", "本机关"),                 # the agency alone (the default)
    ("region", "本级及所属单位"),        # the agency with its units: a government's whole region
)
SCOPE_LABELS = dict(SCOPES)

#: The figures a reader looks at first, with short labels: shown per unit by `rollup`, compared with last
#: year by the swing rule.
KEY_CELLS: tuple[tuple[str, str], ...] = (
    ("t3.new.total", "本年新收申请"),
    ("t3.total.total", "办理结果总计"),
    ("t2.licensing", "行政许可"),
    ("t2.penalties", "行政处罚"),
    ("t4.review.total", "行政复议总计"),
    ("t4.litigation_direct.total", "未经复议直接起诉总计"),
    ("t4.litigation_after_review.total", "复议后起诉总计"),
)

#: The agency an imported report gets when no title, signature or sentence names it (the importer asks for it).
UNKNOWN_AGENCY = "未识别的机关"
