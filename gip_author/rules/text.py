"""The narrative rules: what the text says against the tables, wrong years, enumerations, empty parts,
the 信息处理费 statement of section 六, and repetition of last year's text.

Text is free prose, so every pattern here is deliberately narrow: a rule warns only where a sentence
plainly states a table figure (the patterns are listed in each rule's description), never on a number it
merely might mean.  All are warnings.  Registered with check_for, so rules.check() runs them.
"""
from __future__ import annotations

import bisect
import difflib
import re
from functools import lru_cache
from typing import Iterator

from .. import cells as C
from ..model import Location, Report
from ..problems import Problem
from .cross_year import last_year
from .registry import check_for, rule

CONTRADICTS = rule(
    "text.contradicts-table", "warning",
    "文字中明确说出的表格数字与表格不一致：“收到/受理…公开申请N件”对表三“一、本年新收”（或新收加上年结转）；"
    "“未收到…公开申请”而表三新收不为0；“作出/办理行政许可（处罚、强制）决定N件”对表二；"
    "“行政复议/行政诉讼N件（起）”或“未发生…行政复议、诉讼”对表四。“公开行政许可信息39条”等说的是公开条数，不核对",
    "a table figure the text plainly states disagrees with the table: 'received N applications' vs Table 3 new "
    "(or new + carried in); 'received no applications' with new > 0; 'made N licensing/penalty/coercion "
    "decisions' vs Table 2; 'N administrative reviews/lawsuits' or 'none' vs Table 4. Counts of published "
    "items ('公开行政许可信息39条') are not compared")
YEAR = rule(
    "text.year", "warning",
    "文字中的年份可疑：第五部分“{本年度}年，我局将…”等改进计划应写下一年度；一至四、六部分以其他年份开头的统计句；"
    "引言中统计期限或报告名称的年份与年度不一致",
    "a suspicious year in the text: improvement plans in section 五 dated the report year (plans name the next "
    "year); a statistics sentence in sections 一–四 or 六 starting with another year; another year in the "
    "introduction's period or report name")
ENUMERATION = rule("text.enumeration", "warning", "“一是、二是、三是……”须依次排列，不能重复或跳号",
                   "'一是, 二是, 三是…' enumerations must run in order, without repeats or gaps")
EMPTY = rule("text.empty-section", "warning",
             "章节或分项留空；或“一、总体情况”没有写到主动公开、依申请公开、政府信息管理、平台建设、监督保障中的某一方面",
             "a section or part left empty, or section 一 not covering one of its five topics")
FEE = rule("other.fee-statement", "warning",
           "第六部分须说明信息处理费：发出收费通知的件数和金额、实际收取的金额（没有则写明未发出、未收取）",
           "section 六 must state the 信息处理费: fee notices sent (number, amount) and fees collected (or none)")
REPEATED = rule("prev.repeated", "warning",
                "正文与上年报告重复超过一半（按句计，数字和年份不计差异；考核对此扣分）",
                "more than half of the text repeats last year's (by sentence, ignoring numbers and years; "
                "assessors deduct points)")

# ------------------------------------------------------------------------------------ helpers


@lru_cache(maxsize=16)
def _newlines(text: str) -> list[int]:
    return [i for i, ch in enumerate(text) if ch == "\n"]


def _lines_before(text: str, offset: int) -> int:
    """text.count("\n", 0, offset), in log time: a long text with a problem on every line stays linear."""
    return bisect.bisect_left(_newlines(text), offset)


def text_where(report: Report, key: str, text: str, offset: int) -> Location | None:
    """Where `text[offset]` is: its own paragraph's place in an imported file ("<key>.p<n>"), its line in
    a YAML `|` block ("<key>.text" + lines), else the field's."""
    paragraph = report.locations.get(f"{key}.p{_lines_before(text, offset)}")
    if paragraph is not None:
        return paragraph
    base = report.locations.get(f"{key}.text")
    if base is None or base.line is None:
        return report.where(key)
    return Location(base.path, base.line + _lines_before(text, offset), base.column)


def _problem(r, report: Report, key: str, text: str, offset: int, zh: str, en: str,
             expected=None, actual=None) -> Problem:
    return Problem.of(r, zh, en, text_where(report, key, text, offset), expected, actual)


_SENTENCE = re.compile(r"[^。！？!?；;\n]+")


def sentences(text: str) -> Iterator[re.Match]:
    """Sentences (and 分号 clauses) of a text, as matches so their offsets are known."""
    return _SENTENCE.finditer(text)


def _pieces(report: Report) -> Iterator[tuple[str, str, str]]:
    """(key, heading, text) of every non-empty piece of narrative."""
    for key, heading, text in report.narrative():
        if text.strip():
            yield key, heading, text


_OTHER_YEAR_BEFORE = re.compile(r"上年|去年|上一年|前年|同比|(?<!\d)(\d{4})\s*年")


def _about_another_year(prefix: str, year: int) -> bool:
    """Does the sentence, before the figure, speak of another year ("去年收到…", "2023年收到…")?"""
    return any(m.group(1) is None or int(m.group(1)) != year for m in _OTHER_YEAR_BEFORE.finditer(prefix))


_PARTIAL = re.compile(r"其中|通过|方式|渠道|网上|网络|信函|当面|现场|邮件|传真|电话|转来|转办|转交|准予|不予|变更|延续|注销")


def _partial(sentence: str, start: int, mid: str = "") -> bool:
    """Is the figure only a part ("其中…", "通过网络收到…", "准予行政许可决定…")?  Then it is not the table's."""
    clause = sentence[max(sentence.rfind(sep, 0, start) for sep in "，,、：:") + 1: start]
    return bool(_PARTIAL.search(clause + mid))


def _short(sentence: str, limit: int = 40) -> str:
    sentence = sentence.strip()
    return sentence if len(sentence) <= limit else sentence[:limit] + "…"


# ------------------------------------------------------------------------------------ text vs tables

_COUNT = r"(?:共计|共|合计|总计|为|达)?\s*(?P<n>\d+)\s*(?:件|个|宗|份|条|起)"
_NOT_APPLICATIONS = re.compile(r"复议|诉讼|投诉|举报|信访|提案|建议|收费|费用")
_APPLICATIONS = re.compile(r"(?P<verb>收到|受理|接收|接到|新收)(?P<mid>[^，,。；;：:\d]{0,24}?)申请"
                           r"(?:事项|件数|数量|数)?" + _COUNT)
_NO_APPLICATIONS = re.compile(r"(?:未|没有)(?:收到|受理|接到|接收)(?P<mid>[^，,。；;\d]{0,20}?)(?:公开申请|依申请公开)"
                              r"|(?:无|没有)(?P<mid2>[^，,。；;\d]{0,6}?)依申请公开(?:事项|申请)")
_APPLICANT_COLUMNS = (("自然人", "natural"), ("企业", "business"), ("科研机构", "research"),
                      ("社会公益组织", "nonprofit"), ("法律服务机构", "legal"))
_DECISIONS = re.compile(r"(?:(?:作出|做出|办理|实施|办结)行政(?P<k1>许可|处罚|强制)(?:措施)?(?:处理)?(?:决定书?|案件)?"
                        r"|行政(?P<k2>许可|处罚|强制)(?:措施)?(?:处理)?决定书?)" + _COUNT)
_DECISION_CELLS = {"许可": ("t2.licensing", "行政许可"), "处罚": ("t2.penalties", "行政处罚"),
                   "强制": ("t2.coercive_measures", "行政强制")}
_APPEALS = re.compile(r"行政(?P<kind>复议|诉讼)(?:案件|申请)?" + _COUNT)
_NO_APPEALS = re.compile(r"(?:未发生|未收到|未出现|未涉及|无|没有)[^，,。；;\d]{0,16}?行政(?:复议|诉讼)[^，,。；;\d]*")


def _t4_total(report: Report, kind: str):
    if kind == "复议":
        return report.cell(C.t4("review", "total"))
    a, b = report.cell(C.t4("litigation_direct", "total")), report.cell(C.t4("litigation_after_review", "total"))
    return None if a is None or b is None else a + b


@check_for(CONTRADICTS)
def text_contradicts_table(report: Report, previous: Report | None) -> Iterator[Problem]:
    for key, heading, text in _pieces(report):
        for s in sentences(text):
            yield from _applications(report, key, text, s)
            yield from _decisions(report, key, text, s)
            yield from _appeals(report, key, text, s)


def _applications(report: Report, key: str, text: str, s: re.Match) -> Iterator[Problem]:
    sentence = s.group(0)
    for m in _APPLICATIONS.finditer(sentence):
        mid = m.group("mid")
        if "公开" not in mid or _NOT_APPLICATIONS.search(mid) or _partial(sentence, m.start(), mid) \
                or _about_another_year(sentence[: m.start()], report.year):
            continue
        col, who = next(((c, w) for w, c in _APPLICANT_COLUMNS if w in mid), ("total", ""))
        new, carried = report.cell(C.t3("new", col)), report.cell(C.t3("carried_in", col))
        if new is None or carried is None:
            continue
        n = int(m.group("n"))
        if n in (new, new + carried):
            continue
        also = f"，加上年结转为 {new + carried} 件" if carried else ""
        yield _problem(CONTRADICTS, report, key, text, s.start() + m.start(),
                       f"文字说“{_short(m.group(0))}”，但表三“一、本年新收”{who}为 {new} 件{also}。"
                       "请核对文字或表三，使两者一致。",
                       f"the text says {n} applications ('{m.group(0)}'), but Table 3 new{' ' + col if who else ''} "
                       f"is {new}{f' ({new + carried} with carried in)' if carried else ''}.",
                       expected=new, actual=n)
    new = report.cell(C.t3("new", "total"))
    for m in _NO_APPLICATIONS.finditer(sentence):
        mid = m.group("mid") or m.group("mid2") or ""
        if _NOT_APPLICATIONS.search(mid) or not new:
            continue
        yield _problem(CONTRADICTS, report, key, text, s.start() + m.start(),
                       f"文字说“{_short(m.group(0))}”，但表三“一、本年新收”为 {new} 件。请核对文字或表三。",
                       f"the text says no applications were received, but Table 3 new is {new}.",
                       expected=new, actual=0)


def _decisions(report: Report, key: str, text: str, s: re.Match) -> Iterator[Problem]:
    sentence = s.group(0)
    for m in _DECISIONS.finditer(sentence):
        if _partial(sentence, m.start()) or _about_another_year(sentence[: m.start()], report.year):
            continue
        cell, label = _DECISION_CELLS[m.group("k1") or m.group("k2")]
        value, n = report.cell(cell), int(m.group("n"))
        if value is not None and n != value:
            yield _problem(CONTRADICTS, report, key, text, s.start() + m.start(),
                           f"文字说“{_short(m.group(0))}”，但表二“{label}”本年处理决定数量为 {value}。"
                           "请核对文字或表二。",
                           f"the text says {n} {cell} decisions, but Table 2 says {value}.",
                           expected=value, actual=n)


def _appeals(report: Report, key: str, text: str, s: re.Match) -> Iterator[Problem]:
    sentence = s.group(0)
    for m in _APPEALS.finditer(sentence):
        if _partial(sentence, m.start()) or _about_another_year(sentence[: m.start()], report.year):
            continue
        kind = m.group("kind")
        total, n = _t4_total(report, kind), int(m.group("n"))
        if total is not None and n != total:
            yield _problem(CONTRADICTS, report, key, text, s.start() + m.start(),
                           f"文字说“{_short(m.group(0))}”，但表四“行政{kind}”总计为 {total}。请核对文字或表四。",
                           f"the text says {n} administrative {'reviews' if kind == '复议' else 'lawsuits'}, "
                           f"but Table 4 says {total}.", expected=total, actual=n)
    for m in _NO_APPEALS.finditer(sentence):
        for kind in ("复议", "诉讼"):
            total = _t4_total(report, kind)
            if kind in m.group(0) and total:
                yield _problem(CONTRADICTS, report, key, text, s.start() + m.start(),
                               f"文字说“{_short(m.group(0))}”，但表四“行政{kind}”总计为 {total}。请核对文字或表四。",
                               f"the text says there were no administrative "
                               f"{'reviews' if kind == '复议' else 'lawsuits'}, but Table 4 says {total}.",
                               expected=total, actual=0)


# ------------------------------------------------------------------------------------ years

_PLAN = re.compile(r"(?<!\d)(?P<y>\d{4})\s*年度?\s*[，,]?\s*(?P<subj>[^，,。；;\d“”、]{0,10}?)(?:将|计划|拟|力争|准备)")
_STAT_START = re.compile(r"^\s*(?:[（(][一二三四五六七八九十\d]+[）)])?\s*(?:在)?(?P<y>\d{4})\s*年度?")
_STAT_COUNT = re.compile(r"\d+\s*(?:件|条|项|次|期|个|份|篇)")
_COMPARISON = re.compile(r"相比|同比|较上年|比上年|较去年|比去年|增加|减少|增长|下降|持平")
_INTRO_YEARS = re.compile(r"统计期限[^。]*|(?<!\d)\d{4}\s*年度?政府信息公开(?:工作)?年度?报告")


@check_for(YEAR)
def text_years(report: Report, previous: Report | None) -> Iterator[Problem]:
    year = report.year
    for key, heading, text in _pieces(report):
        for s in sentences(text):
            sentence = s.group(0)
            if key == "improvements":
                for m in _PLAN.finditer(sentence):
                    if int(m.group("y")) <= year:
                        yield _problem(YEAR, report, key, text, s.start() + m.start(),
                                       f"改进计划“{_short(m.group(0) + sentence[m.end():], 24)}”写的是 {m.group('y')} 年，"
                                       f"但这是 {year} 年度的报告，下一步的打算应写 {year + 1} 年。请改正年份。",
                                       f"an improvement plan is dated {m.group('y')} in a {year} report; "
                                       f"plans name {year + 1}.", expected=year + 1, actual=int(m.group("y")))
                continue
            m = _STAT_START.match(sentence)
            if m and int(m.group("y")) != year and _STAT_COUNT.search(sentence) \
                    and not _COMPARISON.search(sentence):
                yield _problem(YEAR, report, key, text, s.start() + m.start("y"),
                               f"“{_short(sentence.strip(), 30)}”以 {m.group('y')} 年开头，但这是 {year} 年度的报告。"
                               f"如是本年度的数字，请改为 {year} 年；如是对比往年，请写明对比关系。",
                               f"a statistics sentence starts with {m.group('y')} in a {year} report.",
                               expected=year, actual=int(m.group("y")))
    for m in _INTRO_YEARS.finditer(report.intro):
        for y in {int(y) for y in re.findall(r"(?<!\d)(\d{4})\s*年", m.group(0))} - {year}:
            yield _problem(YEAR, report, "intro", report.intro, m.start(),
                           f"引言“{_short(m.group(0), 30)}”中的年份是 {y} 年，但报告年度是 {year} 年。请改正。",
                           f"the introduction names {y} in '{m.group(0)}' but the report year is {year}.",
                           expected=year, actual=y)


# ------------------------------------------------------------------------------------ enumerations

_NUMERALS = "一二三四五六七八九十"
_MARKER = re.compile(r"(?<![^，,。；;：:、\s“（(）)])(?P<n>[一二三四五六七八九十]{1,3})是")


def _numeral(text: str) -> int | None:
    """一..九十九 -> int; None for anything else."""
    if len(text) == 1:
        return _NUMERALS.index(text) + 1
    tens, _, ones = text.partition("十")
    if "十" not in text or (tens and tens not in _NUMERALS[:9]) or (ones and ones not in _NUMERALS[:9]):
        return None
    return (_NUMERALS.index(tens) + 1 if tens else 1) * 10 + (_NUMERALS.index(ones) + 1 if ones else 0)


def _chinese(n: int) -> str:
    if n <= 10:
        return _NUMERALS[n - 1]
    tens, ones = divmod(n, 10)
    return (_NUMERALS[tens - 1] if tens > 1 else "") + "十" + (_NUMERALS[ones - 1] if ones else "")


@check_for(ENUMERATION)
def enumerations_in_order(report: Report, previous: Report | None) -> Iterator[Problem]:
    """一是 starts a list anywhere (a new list may follow an earlier one); every other item must follow
    the one before it, across paragraphs of the same part (many reports put each item on its own line)."""
    for key, heading, text in _pieces(report):
        last = 0
        for m in _MARKER.finditer(text):
            n = _numeral(m.group("n"))
            if n is None:
                continue
            if n != 1 and n != last + 1:
                after = f"“{_chinese(last)}是”之后" if last else "开头"
                yield _problem(ENUMERATION, report, key, text, m.start(),
                               f"{heading}中{after}出现了“{m.group(0)}”，应为“{_chinese(last + 1)}是”。"
                               "请检查是否重复或漏写了某一项。",
                               f"in {key}, '{m.group(0)}' follows "
                               f"{'“' + _chinese(last) + '是”' if last else 'nothing'}; expected "
                               f"'{_chinese(last + 1)}是'.", expected=f"{_chinese(last + 1)}是", actual=m.group(0))
            last = n


# ------------------------------------------------------------------------------------ empty parts

#: Section 一's parts and the words that show the section speaks of them even without the part heading.
_TOPICS = {"proactive": "主动公开", "on_request": "依申请", "management": "信息管理|公开属性|保密审查",
           "platform": "平台|网站|新媒体", "oversight": "监督|保障|考核|培训"}


@check_for(EMPTY)
def empty_sections(report: Report, previous: Report | None) -> Iterator[Problem]:
    general = report.general
    if general is not None:
        whole = "".join(getattr(general, k) or "" for k, _, _ in C.GENERAL_PARTS)
        for key, heading, _ in C.GENERAL_PARTS[1:]:
            text = getattr(general, key)
            if text is not None and not text.strip():
                yield _empty(report, f"general.{key}", f"“一、总体情况”的“{heading}”")
            elif text is None and not re.search(_TOPICS[key], whole):
                yield Problem.of(EMPTY, f"“一、总体情况”没有写到“{C.bare(heading)}”方面。请补上“{heading}”一项"
                                 "（格式要求总体情况涵盖主动公开、依申请公开、政府信息管理、平台建设、监督保障）。",
                                 f"section 一 says nothing about {key}; add the part '{heading}'.",
                                 report.where("general"), expected=heading)
    for key, heading in C.SECTIONS[4:]:
        text = getattr(report, key)
        if text is not None and not text.strip():
            yield _empty(report, key, f"“{heading}”")


def _empty(report: Report, key: str, what: str) -> Problem:
    return Problem.of(EMPTY, f"{what}是空的。请填写内容；确实没有的，写明“无”或“本年度无此情况”。",
                      f"{key} is empty; write its text, or state that there is nothing to report.",
                      report.where(key), expected="文字", actual="")


# ------------------------------------------------------------------------------------ section 六: fees

_FEE = re.compile(r"处理费")
_NOTICE = re.compile(r"通知")


@check_for(FEE)
def fee_statement(report: Report, previous: Report | None) -> Iterator[Problem]:
    text = report.other
    if text is None:
        return  # the missing section is an input.missing error already
    template = "本年度发出收费通知 0 件，总金额 0 元；实际收取信息处理费 0 元"
    if not _FEE.search(text):
        yield Problem.of(FEE, "“六、其他需要报告的事项”没有说明信息处理费收取情况。请按《政府信息公开信息处理费管理办法》"
                         f"写明发出收费通知的件数和总金额、实际收取的总金额，如“{template}”。",
                         "section 六 does not state the 信息处理费 (fee notices sent and fees collected).",
                         report.where("other"), expected=template, actual=_short(text) if text.strip() else "")
    elif not _NOTICE.search(text):
        m = _FEE.search(text)
        yield _problem(FEE, report, "other", text, m.start(),
                       "第六部分只说明了信息处理费的收取情况，没有说明发出收费通知的件数和金额。"
                       f"请补上，如“{template}”（没有则写“未发出收费通知，未收取信息处理费”）。",
                       "section 六 states the fees collected but not the fee notices sent.",
                       expected=template, actual=_short(text[m.start() - min(m.start(), 20): m.end() + 10]))


# ------------------------------------------------------------------------------------ repeated text

_DIGITS = re.compile(r"\d+(?:\.\d+)?")
_NOISE = re.compile(r"[\s，,、：:“”\"'（）()《》·]")
MIN_SENTENCE = 8  # shorter sentences ("无。", headings) repeat by nature


def _sentence_keys(report: Report) -> list[str]:
    """Every sentence of the narrative, with this report's years, all numbers and punctuation folded away."""
    keys = []
    for _, _, text in _pieces(report):
        text = text.replace(str(report.year), "〈本年〉").replace(str(report.year - 1), "〈上年〉") \
                   .replace(str(report.year + 1), "〈下年〉")
        for s in sentences(text):
            key = _NOISE.sub("", _DIGITS.sub("#", s.group(0)))
            if len(key) >= MIN_SENTENCE:
                keys.append(key)
    return keys


def repeated_share(report: Report, previous: Report) -> float:
    """The share (0–1) of this year's narrative, in characters, whose sentences also stand in last year's:
    the same sentence after folding, or one at least 90 % alike (difflib)."""
    now, then = _sentence_keys(report), _sentence_keys(previous)
    if not now or not then:
        return 0.0
    exact = set(then)
    repeated = 0
    for key in now:
        if key in exact or difflib.get_close_matches(key, then, n=1, cutoff=0.9):
            repeated += len(key)
    return repeated / sum(map(len, now))


@check_for(REPEATED)
def repeated_from_last_year(report: Report, previous: Report | None) -> Iterator[Problem]:
    last = last_year(report, previous)
    if last is None:
        return
    share = repeated_share(report, last)
    if share > 0.5:
        yield Problem.of(REPEATED, f"正文约 {share:.0%} 与 {last.year} 年度报告相同（数字和年份不同也算相同）。"
                         "考核对重复超过一半的报告扣分，请按本年度实际情况重写，尤其是“存在的主要问题及改进情况”。",
                         f"about {share:.0%} of the text repeats the {last.year} report; rewrite it for this year.",
                         report.where("general"), expected="≤ 50%", actual=f"{share:.0%}")
