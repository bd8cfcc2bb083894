"""Every rule fires on the slip it is for and stays quiet on a sound report.

Reports are built as a clerk would write them: a `Report` rendered to the commented YAML (`report_yaml`, the
same text `gip-author init` writes) and read back with `loads`, so problems carry real line numbers.
"""
import datetime as dt

import pytest

from gip_author import loads
from gip_author import cells as C
from gip_author.model import General, Report
from gip_author.rules import CHECKS, RULES, catalogue, check
from gip_author.yaml_writer import report_yaml
from gip_author.rules.text import repeated_share

GENERAL = dict(
    overview="本年度，我局认真贯彻落实《中华人民共和国政府信息公开条例》，政务公开工作取得新进展。",
    proactive="全年主动公开政府信息120条，其中政策文件12条。",
    on_request="全年收到政府信息公开申请3件，均已按时答复。",
    management="一是落实公开属性源头认定。二是严格保密审查。三是定期清理规范性文件。",
    platform="持续加强政府网站和政务新媒体建设，及时更新栏目。",
    oversight="加强组织领导，将政务公开纳入年度考核。",
)
PROBLEMS = ("（一）存在的主要问题。公开内容不够丰富，政策解读形式单一。\n"
            "（二）改进措施。2025年，我局将丰富公开内容，一是加强政策解读；二是提升平台水平。")
OTHER = "本年度未发出信息处理费收费通知，未收取信息处理费。本年度共办理人大代表建议5件。"


def balanced_cells() -> dict:
    """3 new (2 natural, 1 business) + 1 carried in = 3 granted + 1 carried out, one review upheld."""
    cells = dict.fromkeys(C.CELL_IDS, 0)
    for row, natural, business in (("new", 2, 1), ("carried_in", 1, 0), ("granted", 2, 1),
                                   ("total", 2, 1), ("carried_out", 1, 0)):
        cells[C.t3(row, "natural")], cells[C.t3(row, "business")] = natural, business
        cells[C.t3(row, "total")] = natural + business
    cells.update({"t4.review.upheld": 1, "t4.review.total": 1, "t2.licensing": 39, "t2.penalties": 5,
                  "t2.normative_docs.issued": 2, "t2.normative_docs.repealed": 1, "t2.normative_docs.in_force": 11})
    return cells


def make(cells: dict | None = None, general: dict | None = None, **fields) -> Report:
    """A sound report (no problem at all), with `fields`, `general` parts and `cells` changed; via YAML."""
    values = dict(agency="某区卫生健康局", year=2024, published=dt.date(2025, 1, 20), improvements=PROBLEMS, other=OTHER)
    values.update(fields)
    report = Report(**values, general=General(**{**GENERAL, **(general or {})}),
                    cells={**balanced_cells(), **(cells or {})})
    return loads(report_yaml(report), "report.yaml")


def fired(report: Report, rule_id: str, previous: Report | None = None) -> list:
    return [p for p in check(report, previous) if p.rule == rule_id]


def line_of(report: Report, needle: str) -> int:
    """The 1-based line of the YAML text that `report` was loaded from which contains `needle`."""
    for i, line in enumerate(report_yaml(report).splitlines(), 1):
        if needle in line:
            return i
    raise AssertionError(needle)


def test_the_sound_report_has_no_problem_at_all():
    assert check(make()) == []
    assert check(make(), last_year()) == []


def test_every_rule_is_in_the_catalogue_and_every_check_registered():
    ids = {r.id for r, _ in CHECKS}
    assert ids <= set(RULES)
    assert {"meta.title-year", "meta.period", "prev.carried-in", "text.contradicts-table", "text.year",
            "other.fee-statement", "meta.late", "meta.title-format", "prev.in-force", "text.enumeration",
            "text.empty-section", "prev.repeated"} <= ids
    for rule_id in RULES:
        assert rule_id in catalogue("markdown") and rule_id in catalogue("text", "en")


# ------------------------------------------------------------------------------------ arithmetic


def test_t3_row_total():
    report = make({"t3.granted.total": 4})
    (p,) = fired(report, "t3.row-total")
    assert (p.expected, p.actual, p.severity) == (3, 4, "error")
    assert p.location.line == line_of(report, "（一）予以公开")
    assert fired(make(), "t3.row-total") == []


def test_t3_results_total():
    problems = fired(make({"t3.total.natural": 3, "t3.total.total": 4, "t3.carried_out.natural": 0,
                           "t3.carried_out.total": 0}), "t3.results-total")
    assert [(p.expected, p.actual) for p in problems] == [(2, 3), (3, 4)]
    assert "（七）总计" in problems[0].zh and "自然人" in problems[0].zh
    assert fired(make(), "t3.results-total") == []


def test_t3_balance():
    problems = fired(make({"t3.carried_out.natural": 2, "t3.carried_out.total": 3}), "t3.balance")
    assert [(p.expected, p.actual) for p in problems] == [(3, 4), (4, 6)]
    assert "自然人" in problems[0].zh and "总计" in problems[1].zh
    assert fired(make(), "t3.balance") == []


def test_t4_total():
    (p,) = fired(make({"t4.review.total": 0}), "t4.total")
    assert (p.expected, p.actual) == (1, 0) and "行政复议" in p.zh
    assert fired(make(), "t4.total") == []


# ------------------------------------------------------------------------------------ title, period, date


def test_title_year():
    report = make(title="某区卫生健康局2023年政府信息公开工作年度报告")
    (p,) = fired(report, "meta.title-year")
    assert (p.expected, p.actual, p.severity) == (2024, 2023, "error")
    assert p.location.line == line_of(report, "标题:")
    assert fired(make(title="某区卫生健康局2024年政府信息公开工作年度报告"), "meta.title-year") == []


def test_period_outside_the_year():
    report = make(period_start=dt.date(2023, 1, 1), period_end=dt.date(2023, 12, 31))
    (p,) = fired(report, "meta.period")
    assert p.severity == "error" and "2024年1月1日至2024年12月31日" in p.zh
    assert p.location.line == line_of(report, "统计期限:")
    assert fired(make(period_start=dt.date(2024, 1, 1), period_end=dt.date(2024, 12, 31)), "meta.period") == []


def test_title_format():
    (p,) = fired(make(title="2024年度某区卫生健康局政府信息公开工作报告"), "meta.title-format")
    assert p.expected == "某区卫生健康局2024年政府信息公开工作年度报告" and p.severity == "warning"
    # the official title, even broken over two lines as some seeds print it, is fine
    assert fired(make(title="某区卫生健康局2024年政府信息公开工作 年度报告"), "meta.title-format") == []


def test_late_publication_department_and_government():
    (p,) = fired(make(published=dt.date(2025, 2, 1)), "meta.late")
    assert (p.expected, p.actual) == ("≤ 2025-01-31", "2025-02-01") and "1月31日" in p.zh
    assert fired(make(published=dt.date(2025, 1, 31)), "meta.late") == []
    assert fired(make(kind="government", published=dt.date(2025, 3, 31)), "meta.late") == []
    (p,) = fired(make(kind="government", published=dt.date(2025, 4, 1)), "meta.late")
    assert "3月31日" in p.zh and "人民政府" in p.zh


# ------------------------------------------------------------------------------------ against last year


def last_year(**changes) -> Report:
    cells = {**balanced_cells(), "t2.normative_docs.in_force": 10, **changes}
    return make(cells, year=2023, published=dt.date(2024, 1, 15),
                improvements="去年的问题。2024年，我局将改进。", other="未发出收费通知，未收取信息处理费。",
                general={k: f"二〇二三年度的另一种写法，第{i}部分。" for i, k in enumerate(GENERAL)})


def test_carried_in_against_last_year():
    problems = fired(make(), "prev.carried-in", last_year(**{"t3.carried_out.natural": 0, "t3.carried_out.total": 0}))
    assert [(p.expected, p.actual, p.severity) for p in problems] == [(0, 1, "error")] * 2
    assert "自然人" in problems[0].zh and "2023 年报告" in problems[0].zh
    problems = fired(make(), "prev.carried-in", last_year(**{"t3.carried_out.natural": 2, "t3.carried_out.total": 2}))
    assert [(p.expected, p.actual) for p in problems] == [(2, 1), (2, 1)]
    assert fired(make(), "prev.carried-in", last_year()) == []
    assert fired(make(), "prev.carried-in") == []


def test_in_force_against_last_year():
    (p,) = fired(make(), "prev.in-force", last_year(**{"t2.normative_docs.in_force": 7}))
    assert (p.expected, p.actual) == (8, 11) and "行政规范性文件" in p.zh and "7 + 本年制发 2 − 本年废止 1" in p.zh
    assert fired(make(), "prev.in-force", last_year()) == []


def test_previous_report_of_another_year_is_said_and_skipped():
    other_year = make(year=2022, published=dt.date(2023, 1, 15), cells={"t3.carried_out.natural": 5})
    problems = check(make(), other_year)
    assert [p.rule for p in problems] == ["prev.year"]
    assert (problems[0].expected, problems[0].actual) == (2023, 2022)
    assert fired(make(), "prev.year", last_year()) == []


def test_repeated_from_last_year():
    copy = make(year=2023, published=dt.date(2024, 1, 15), improvements=PROBLEMS.replace("2025", "2024"))
    (p,) = fired(make(), "prev.repeated", copy)
    assert p.actual == "100%" and "100%" in p.zh and "2023" in p.zh
    # new numbers and years do not hide a copy
    assert repeated_share(make(), copy) == 1.0
    assert fired(make(), "prev.repeated", last_year()) == []
    assert repeated_share(make(), last_year()) < 0.2


# ------------------------------------------------------------------------------------ text against tables


@pytest.mark.parametrize("sentence, expected, actual", [
    ("全年收到政府信息公开申请17件，均已按时答复。", 3, 17),
    ("本年度共受理依申请公开申请事项95件。", 3, 95),
    ("全年收到政府信息公开申请0件。", 3, 0),
])
def test_text_contradicts_table3(sentence, expected, actual):
    report = make(general={"on_request": "依法做好依申请公开工作。\n" + sentence})
    (p,) = fired(report, "text.contradicts-table")
    assert (p.expected, p.actual) == (expected, actual)
    assert p.location.line == line_of(report, sentence)  # the very line of the sentence


@pytest.mark.parametrize("sentence", [
    "全年收到政府信息公开申请3件。",
    "全年收到政府信息公开申请4件（含上年结转1件）。",  # 新收 3 + 上年结转 1
    "收到自然人提出的政府信息公开申请2件。",  # the natural-person column
    "与去年相比增加1件。去年收到政府信息公开申请9件。",  # last year's figure
    "收到政府信息公开行政复议申请1件。",  # Table 4's business, and right there
    "其中，通过网络收到政府信息公开申请2件，信函收到1件。",  # a part, by channel
    "办理行政许可事项45件，其中作出准予行政许可决定30件。",  # a part of the decisions
    "公开行政许可信息120条，行政许可事项17项。",  # published items, not decisions
])
def test_text_agreeing_with_the_tables_is_quiet(sentence):
    assert fired(make(general={"on_request": sentence}), "text.contradicts-table") == []


def test_text_says_no_applications_but_table_has_some():
    (p,) = fired(make(general={"on_request": "2024年度我局未收到政府信息公开申请。"}), "text.contradicts-table")
    assert (p.expected, p.actual) == (3, 0) and "未收到政府信息公开申请" in p.zh
    quiet = make(general={"on_request": "2024年度我局未收到政府信息公开申请。"},
                 cells={**{C.t3(r, c): 0 for r in ("new", "carried_in", "granted", "total", "carried_out")
                           for c in ("natural", "business", "total")}})
    assert fired(quiet, "text.contradicts-table") == []


def test_text_contradicts_table2_decisions_and_table4():
    report = make(general={"proactive": "全年作出行政许可决定40件，作出行政处罚决定5件。",
                           "oversight": "全年未发生政府信息公开行政复议、行政诉讼案件。"})
    problems = fired(report, "text.contradicts-table")
    assert [(p.expected, p.actual) for p in problems] == [(39, 40), (1, 0)]
    assert "表二“行政许可”" in problems[0].zh and "表四“行政复议”" in problems[1].zh
    assert fired(make(general={"oversight": "全年发生政府信息公开行政复议1起，无行政诉讼。"}),
                 "text.contradicts-table") == []


# ------------------------------------------------------------------------------------ years


def test_improvement_plan_dated_the_report_year():
    text = "（一）存在的主要问题。内容不够丰富。\n（二）改进措施。2024年，我局将认真贯彻落实有关要求。"
    report = make(improvements=text)
    (p,) = fired(report, "text.year")
    assert (p.expected, p.actual) == (2025, 2024) and "2025" in p.zh
    assert p.location.line == line_of(report, "（二）改进措施")
    assert fired(make(improvements=text.replace("2024年", "2025年")), "text.year") == []


def test_statistics_sentence_of_another_year():
    (p,) = fired(make(general={"proactive": "2023年度我局公布政府信息207条。"}), "text.year")
    assert (p.expected, p.actual) == (2024, 2023)
    quiet = "2024年度我局公布政府信息207条，与2023年相比增加12条。2023年12月启用新网站。"
    assert fired(make(general={"proactive": quiet}), "text.year") == []


def test_introduction_period_of_another_year():
    (p,) = fired(make(intro="本报告中所列数据的统计期限自2023年1月1日起至2023年12月31日止。"), "text.year")
    assert p.actual == 2023
    assert fired(make(intro="本报告中所列数据的统计期限自2024年1月1日起至2024年12月31日止。"), "text.year") == []


# ------------------------------------------------------------------------------------ enumerations, empty parts


@pytest.mark.parametrize("text, expected, actual", [
    ("一是加强领导；二是完善制度；三是强化培训；三是严格考核。", "四是", "三是"),
    ("一是加强领导；三是强化培训。", "二是", "三是"),
    ("二是完善制度。", "一是", "二是"),
])
def test_enumeration_out_of_sequence(text, expected, actual):
    (p,) = fired(make(general={"management": text}), "text.enumeration")
    assert (p.expected, p.actual) == (expected, actual)


def test_enumeration_in_sequence_across_paragraphs_and_restarts():
    text = "一是加强领导。\n二是完善制度。\n（二）另一方面。一是统一是前提，二是落实。"
    assert fired(make(general={"management": text}), "text.enumeration") == []


def test_empty_part_and_section():
    report = make(general={"platform": ""}, improvements="")
    problems = fired(report, "text.empty-section")
    assert [p.location.line for p in problems] == [line_of(report, "（四）平台建设"),
                                                   line_of(report, "五、存在的主要问题及改进情况")]
    assert "（四）平台建设" in problems[0].zh and "“无”" in problems[0].zh
    assert fired(make(general={"overview": ""}), "text.empty-section") == []  # the lead paragraph is optional


def test_missing_topic_of_section_one():
    text = "主动公开政府信息120条；依申请公开工作规范；落实保密审查；加强政府网站建设。"
    report = loads(report_yaml(make()).replace(
        report_yaml(make())[report_yaml(make()).index("一、总体情况:"):report_yaml(make()).index("# 表二")],
        f"一、总体情况: {text}\n\n"), "report.yaml")
    (p,) = fired(report, "text.empty-section")
    assert "监督保障" in p.zh
    assert fired(make(), "text.empty-section") == []


# ------------------------------------------------------------------------------------ section 六


def test_fee_statement_missing():
    (p,) = fired(make(other="无其他需报告的事项。"), "other.fee-statement")
    assert "信息处理费" in p.zh and p.actual == "无其他需报告的事项。"


def test_fee_statement_without_the_notices():
    report = make(other="本年度办理建议5件。\n本年度未有收取信息处理费情况。")
    (p,) = fired(report, "other.fee-statement")
    assert "收费通知" in p.zh and p.location.line == line_of(report, "本年度未有收取信息处理费情况")
    assert fired(make(), "other.fee-statement") == []
