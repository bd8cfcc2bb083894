"""Blocks (paragraphs and tables, from any format) -> Report: the one parser every importer shares.

It finds the title (agency and year), the statistical-period sentence, the six sections by their headings
(numbered "一、" or "2、", Markdown or bold, tolerant of typos), section 一's five parts by their keywords,
the narrative of every section, the agency and date at the end, and Tables 2–4 by their labels
(`tables.py`).  What it cannot find or has to guess goes into the notes, never silently into the report.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter

from .. import cells as C
from ..cells import fold
from ..dates import CN_DATE, date_only
from ..location import Location
from ..model import General, Report
from ..problems import InvalidReport, Problem
from ..scope import find_scope, strip_sentence
from .blocks import Block, Paragraph, Table
from .notes import GUESSED, NO_REPORT, NOT_FOUND, OUTDATED, UNREADABLE_CELL, Notes
from .headings import PART_KEYS, PART_NUM, part_key, section_heading, split_head, tableish, tidy
from .stream import Stream
from .tables import MARKERS_2019, TableReader

# ------------------------------------------------------------------------------------------ the parser

_TITLE = re.compile(r"^(?P<agency>.*?)(?:关于)?(?P<year>(?:19|20)\d{2})\s*年度?(?P<rest>.*)$")
_AGENCY_IN_TEXT = (re.compile(r"由(.{2,30}?)(?:根据|依据|按照|编制|制作|发布)"),
                   re.compile(r"(?:请与|请联系)(.{2,30}?)(?:联系|（|\()"),
                   re.compile(r"公开(?:(?:19|20)\d{2}年度?)?(.{2,30}?)政府信息公开"))
_AGENCY_END = ("局", "委", "委员会", "办", "办公室", "政府", "中心", "院", "所", "厅", "部", "会", "署", "处", "站",
               "馆", "队", "街道", "镇", "乡", "区", "县", "市", "管委会", "集团", "公司", "社", "室", "团")
_PERIOD_WORDS = ("统计期限", "统计时限", "统计时间", "统计区间")
_NARRATIVE_END = re.compile(r"[。；！？]")


class Parser:
    def __init__(self, blocks: list[Block], path: str):
        self.blocks = blocks
        self.path = path
        self.notes = Notes()
        self.text_locations: dict[str, Location] = {}

    # ---- entry

    def report(self) -> Report:
        heads = self._sections()
        first = min(heads.values(), default=len(self.blocks))
        front = [b for b in self.blocks[:first] if isinstance(b, Paragraph)]
        title, intro_paras = self._title(front)
        tables = self._tables(heads)
        if len(heads) < 2 and not tables["found"]:
            raise InvalidReport(
                f"{self.path}：这不像政府信息公开工作年度报告——找不到“一、总体情况”等章节标题，也找不到表二至表四。"
                "请确认选对了文件。", [_no_report(self.path)])
        self._looks_like_report = len(heads) >= 4 or tables["found"]
        period_start, period_end, intro = self._period(intro_paras)
        scope = find_scope("".join(p.text for p in intro_paras))
        intro = strip_sentence(intro)
        closing_agency, published = self._closing(heads)
        agency, year = self._agency_year(title, intro_paras, closing_agency, period_start)
        general = self._general(heads)
        texts = {key: self._narrative(heads, i, key) for i, (key, _) in enumerate(C.SECTIONS) if i > 0}
        for i, (key, heading) in enumerate(C.SECTIONS):
            if i not in heads:
                self.notes.add(NOT_FOUND, f"找不到第{'一二三四五六'[i]}部分“{heading}”的标题，这部分的文字没有导入，"
                               "请对照原文补上。", f"section '{heading}' not found; its text was not imported.",
                               Location(self.path))
        if tables["evidence"]:
            self.notes.insert(0, _outdated(tables["evidence"], year, self.path))
        official = C.official_title(agency, year)
        report = Report(
            agency=agency, year=year, kind="government" if agency.endswith("人民政府") else "department",
            scope=scope or "self",
            title=title if title and fold(title) != fold(official) else None,
            published=published, period_start=period_start, period_end=period_end, intro=intro,
            general=general, disclosure=texts["disclosure"], requests=texts["requests"],
            appeals=texts["appeals"], improvements=texts["improvements"], other=texts["other"],
            cells=tables["cells"], template=tables["template"], source=self.path,
            locations={**tables["locations"], **self.text_locations})
        report.load_problems = list(self.notes)
        return report

    # ---- structure

    def _sections(self) -> dict[int, int]:
        """Section index -> block index of its heading, in order."""
        heads: dict[int, int] = {}
        current = -1
        for i, b in enumerate(self.blocks):
            if isinstance(b, Paragraph):
                s = section_heading(b, current)
                if s is not None:
                    heads[s] = i
                    current = s
        return heads

    def _range(self, heads: dict[int, int], s: int) -> list[Block]:
        if s not in heads:
            return []
        start = heads[s] + 1
        later = [heads[k] for k in heads if k > s]
        return self.blocks[start:min(later) if later else len(self.blocks)]

    def _title(self, front: list[Paragraph]) -> tuple[str | None, list[Paragraph]]:
        """The title (possibly over several lines) at the top; the rest of the front matter is the intro."""
        taken: list[Paragraph] = []
        for p in front[:4]:
            t = tidy(p.text)
            if len(t) > 45 or "。" in t:
                break
            taken.append(p)
            joined = "".join(tidy(q.text) for q in taken)
            if "报告" in joined and ("政府信息" in joined or "政务公开" in joined):
                rest = [q for q in front if q not in taken]
                return joined, rest
        return None, front

    def _period(self, paras: list[Paragraph]) -> tuple[dt.date | None, dt.date | None, str]:
        start = end = None
        kept: list[str] = []
        for p in paras:
            sentences = re.findall(r"[^。]*。|[^。]+$", tidy(p.text))
            rest = []
            for s in sentences:
                dates = CN_DATE.findall(s)
                if start is None and len(dates) >= 2 and any(w in s for w in _PERIOD_WORDS):
                    try:
                        start, end = dt.date(*map(int, dates[0])), dt.date(*map(int, dates[1]))
                        continue
                    except ValueError:
                        pass
                rest.append(s)
            if "".join(rest).strip():
                kept.append("".join(rest).strip())
        return start, end, "\n".join(kept)

    def _closing(self, heads: dict[int, int]) -> tuple[str | None, dt.date | None]:
        """The agency and date that close the report (removed from the last section's text)."""
        last = max(heads, default=None)
        if last is None:
            return None, None
        body = self._range(heads, last)
        paras = [b for b in body if isinstance(b, Paragraph)]
        agency = published = None
        for p in list(reversed(paras))[:3]:
            if p is paras[0]:
                break
            t = tidy(p.text)
            d = date_only(t)
            if d and published is None:
                published = d
            elif agency is None and len(t) <= 30 and not re.search(r"[。，；：,;:]", t) and t.endswith(_AGENCY_END):
                agency = t
            else:
                break
            self._drop(p)
        return agency, published

    def _drop(self, p: Paragraph) -> None:
        self.blocks = [b for b in self.blocks if b is not p]

    # ---- agency and year

    def _agency_year(self, title: str | None, intro: list[Paragraph], closing: str | None,
                     period_start: dt.date | None) -> tuple[str, int]:
        agency, year = None, None
        if title:
            m = _TITLE.match(re.sub(r"\s+", "", title))
            if m:
                year = int(m.group("year"))
                agency = m.group("agency").strip(" ：:")
                if not agency:
                    agency = m.group("rest").split("政府信息公开")[0].split("政务公开")[0].strip()
        if not agency and closing:
            agency = closing
        if not agency:
            text = "".join(tidy(p.text) for p in intro)
            for pattern in _AGENCY_IN_TEXT:
                m = pattern.search(text)
                if m and not re.search(r"\d", m.group(1)):
                    agency = m.group(1).strip("“”\"")
                    self.notes.add(GUESSED, f"报告没有标题，机关名称“{agency}”取自正文，请核对。",
                                   f"no title; the agency '{agency}' was taken from the text.", _at(intro, self.path))
                    break
        if year is None and period_start is not None:
            year = period_start.year
        if year is None:
            text = "".join(tidy(p.text) for p in intro)
            m = re.search(r"((?:19|20)\d{2})年度?(?:政府信息公开|政务公开)", text)
            years = [int(y) for y in re.findall(r"((?:19|20)\d{2})年", text + "".join(
                tidy(b.text) for b in self.blocks if isinstance(b, Paragraph)))]
            if m:
                year = int(m.group(1))
            elif years:
                year = Counter(years).most_common(1)[0][0]
                self.notes.add(GUESSED, f"找不到报告年度，按正文中最常出现的年份推断为 {year} 年，请核对。",
                               f"no report year found; guessed {year} from the text.", Location(self.path))
        if year is None and self._looks_like_report:
            year = dt.date.today().year - 1
            self.notes.add(NOT_FOUND, f"找不到报告年度（标题、统计期限和正文中都没有），已暂填 {year}，请改成实际年度。",
                           f"no report year found; {year} was filled in as a placeholder.", Location(self.path))
        if year is not None and not 2000 <= year <= 2100:
            raise InvalidReport(f"{self.path}：报告年度 {year} 不在 2000–2100 年之间，不是本格式的年度报告。",
                                [_no_report(self.path)])
        if year is None:
            raise InvalidReport(f"{self.path}：找不到报告年度（标题或统计期限中的“2024年”之类）。"
                                "请确认这是政府信息公开工作年度报告。", [_no_report(self.path)])
        if not agency:
            agency = C.UNKNOWN_AGENCY
            self.notes.add(NOT_FOUND, f"找不到机关名称（标题、落款和正文中都没有），已暂填“{agency}”，请改成本机关名称。",
                           "no agency name found; a placeholder was used.", Location(self.path))
        return agency, year

    # ---- section 一

    def _general(self, heads: dict[int, int]) -> General | None:
        if 0 not in heads:
            return None
        parts: dict[str, list[str]] = {"overview": []}
        order: list[str] = ["overview"]
        unknown: list[tuple[str, list[str], Location]] = []
        current: list[str] = parts["overview"]
        for b in self._range(heads, 0):
            if not isinstance(b, Paragraph):
                continue
            text = tidy(b.text)
            m = PART_NUM.match(text)
            if not (m or b.heading):
                current.append((text, b.where))
                continue
            head, rest = split_head(text, m.end() if m else 0)
            key = part_key(head)
            if key and key not in parts:
                parts[key] = current = [(rest, b.where)] if rest else []
                order.append(key)
            elif key is None and not rest and len(head) <= 30:
                current = []
                unknown.append((head, current, b.where))
            else:
                current.append((text, b.where))
        for head, texts, where in unknown:
            if not texts:
                continue
            body = "".join(t for t, _ in texts)
            hits = [(body.find(w), k) for k, words in PART_KEYS if k not in parts for w in words if w in body]
            if hits:
                key = min(hits)[1]
                parts[key] = texts
                self.notes.add(GUESSED, f"总体情况中“{head}”下的文字归入了“{_PART_HEADING[key]}”（按内容推断），请核对。",
                               f"the text under '{head}' was put into part '{key}' by its content.", where)
            else:
                parts["overview"].extend(texts)
                self.notes.add(GUESSED, f"总体情况中“{head}”下的文字归入了概述，请核对。",
                               f"the text under '{head}' was put into the overview.", where)
        fields = {k: self._joined(f"general.{k}", parts[k]) for k in parts}
        return General(**fields)

    def _joined(self, key: str, paragraphs: list[tuple[str, Location]]) -> str:
        """The paragraphs as one text, one line each; remembers where each came from ("<key>.p<n>")
        so that a rule can point at the paragraph's own page or line in the source."""
        kept = [(t, where) for t, where in paragraphs if t]
        for n, (_, where) in enumerate(kept):
            self.text_locations[f"{key}.p{n}"] = where
        if kept:
            self.text_locations[key] = kept[0][1]
        return "\n".join(t for t, _ in kept)

    # ---- sections 二–六

    def _narrative(self, heads: dict[int, int], s: int, key: str) -> str | None:
        if s not in heads:
            return None
        texts = []
        for b in self._range(heads, s):
            if isinstance(b, Paragraph):
                t = tidy(b.text)
                if s in (1, 2, 3) and (tableish(b.text) or not (_NARRATIVE_END.search(t) or len(t) > 40)):
                    continue          # a table's row, title, unit or a stray label, not narrative
                texts.append((t, b.where))
        return self._joined(key, texts)

    # ---- tables

    def _tables(self, heads: dict[int, int]) -> dict:
        lo_block = heads.get(1, heads.get(0, -1) + 1 if 0 in heads else 0)
        hi_block = heads.get(4, len(self.blocks))
        region = self.blocks[lo_block:hi_block]
        stream = Stream()
        has_tables = any(isinstance(b, Table) for b in region)
        stream.add_blocks(region, tables_only=has_tables)
        if has_tables and fold(C.T3_ROWS[0].label)[:6] not in stream.text:
            stream = Stream()
            stream.add_blocks(region, tables_only=False)
        folded_all = stream.text + "".join(fold(b.text) for b in region if isinstance(b, Paragraph))
        markers = [w for w in MARKERS_2019 if w in folded_all]

        def pos(section: int) -> int | None:
            if section not in heads or not (lo_block <= heads[section] < hi_block):
                return None
            i = heads[section] - lo_block
            return stream.block_pos[i] if i < len(stream.block_pos) else stream.length

        reader = TableReader(stream, self.notes, self.path, outdated=bool(markers))
        p2, p3, p4 = pos(1), pos(2), pos(3)
        t3_lo = p3 if p3 is not None else 0
        t3_hi = p4 if p4 is not None else stream.length
        found: dict[str, Notes] = {}
        for table in ("t3", "t2", "t4"):         # Table 3 first: its rows bound the others when headings are missing
            reader.notes = found[table] = Notes()
            if table == "t3":
                first, last = reader.table3(t3_lo, t3_hi)
            elif table == "t2":
                reader.table2(p2 if p2 is not None else 0, p3 if p3 is not None else first)
            else:
                reader.table4(p4 if p4 is not None else last, stream.length)
        for table in ("t2", "t3", "t4"):         # notes in reading order; a table left wholly blank is one note
            ids = [cid for cid in C.CELL_IDS if cid.startswith(table + ".")]
            blank = [n for n in found[table] if n.rule == UNREADABLE_CELL.id]
            if len(blank) > 1 and all(reader.cells.get(cid) is None for cid in ids):
                name = C.TABLE_NAMES[table]
                found[table] = Notes(n for n in found[table] if n.rule != UNREADABLE_CELL.id)
                found[table].add(UNREADABLE_CELL, f"{name}的格子全部是空白，没有一个数。已全部留空（不当作 0），"
                                 "请对照原文填写，没有的填 0。", f"every cell of {name} is blank; left empty.",
                                 blank[0].location)
            self.notes.extend(found[table])
        evidence = [f"表二有“{MARKERS_2019[w]}”" for w in markers][:3] + reader.found_2019
        cells = {cid: reader.cells.get(cid) for cid in C.CELL_IDS}
        return {"cells": cells, "locations": reader.locations, "template": "2019" if evidence else "2021",
                "evidence": evidence, "found": any(v is not None for v in cells.values())}


_PART_HEADING = {key: heading for key, heading, _ in C.GENERAL_PARTS}


def _outdated(evidence: list[str], year: int, path: str) -> Problem:
    return Problem.of(OUTDATED,
                      f"这份 {year} 年度报告用的是 2019 年的旧格式（国办公开办函〔2019〕60号）：{'；'.join(evidence)}。"
                      "自 2021 年度起，年度报告须使用 2021 年格式（国办公开办函〔2021〕30号）。旧格式里没有对应的格子已留空，"
                      "请按新格式重新填写表二至表四。",
                      f"the outdated 2019 layout: {'; '.join(evidence)}. Use the 2021 format; cells with no "
                      "2021 counterpart are left empty.", Location(path))


def _no_report(path: str) -> Problem:
    return Problem.of(NO_REPORT, "找不到年度报告的标题、章节和表格。", "no title, sections or tables found.",
                      Location(path))


def _at(paras: list[Paragraph], path: str) -> Location:
    return paras[0].where if paras else Location(path)
