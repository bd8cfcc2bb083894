"""The report as data: pydantic models of the 2021 format (shape and per-field limits only).

Numbers live in one flat mapping `Report.cells`, keyed by the canonical cell ids of `cells.py`; a cell
is None when the source gave no readable number for it (the problem is reported, the rest still checks).
"""
from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any, Iterable, Iterator, Literal

from pydantic import BaseModel, ConfigDict, Field

from .cells import CELL_IDS, DECIMAL_CELLS, GENERAL_PARTS, SECTIONS, official_title
from .location import Location

Number = int | Decimal


def add_up(values: Iterable[Number | None]) -> Number | None:
    """The sum of cells, or None when any of them is unknown (a sum of unknowns is never taken as 0)."""
    values = list(values)
    return None if None in values else sum(values)


def number_text(value: Number | float | None, unknown: str = "") -> str:
    """A cell's number as written and printed: 12, 3.5 (万元 as given, never 3.5E+1); `unknown` when None."""
    if value is None:
        return unknown
    if isinstance(value, float):
        value = Decimal(str(value))
    return format(value, "f") if isinstance(value, Decimal) else str(value)


class General(BaseModel):
    """Section 一, 总体情况, with its five parts.  None = the part is missing, "" = present but empty."""

    model_config = ConfigDict(extra="forbid")
    overview: str | None = None
    proactive: str | None = None
    on_request: str | None = None
    management: str | None = None
    platform: str | None = None
    oversight: str | None = None


class Report(BaseModel):
    """One 政府信息公开工作年度报告."""

    model_config = ConfigDict(extra="forbid", validate_assignment=False)

    agency: str = Field(min_length=1, description="机关名称")
    kind: Literal["department", "government"] = Field("department", description="部门 or 人民政府")
    scope: Literal["self", "region"] = Field("self", description="范围: 本机关 or 本级及所属单位 (cells.SCOPES)")
    year: int = Field(ge=2000, le=2100, description="报告年度")
    title: str | None = Field(None, description="标题; None = the official one")
    published: dt.date | None = Field(None, description="成文/发布日期")
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    intro: str = Field("", description="text between the title and section 一, besides the period sentence")
    general: General | None = None
    # Narrative beside the tables of sections 二–四 (None: the section is missing altogether).
    disclosure: str | None = None
    requests: str | None = None
    appeals: str | None = None
    improvements: str | None = None   # section 五, 存在的主要问题及改进情况 (a finding is a Problem)
    other: str | None = None
    cells: dict[str, Number | None] = Field(default_factory=lambda: dict.fromkeys(CELL_IDS, 0))
    template: Literal["2021", "2019"] = "2021"

    # Provenance, for messages only: never exported or compared.
    source: str | None = Field(None, exclude=True)
    locations: dict[str, Location] = Field(default_factory=dict, exclude=True)
    load_problems: list[Any] = Field(default_factory=list, exclude=True)  # Problems found while reading

    # ------------------------------------------------------------------ derived facts

    @property
    def official_title(self) -> str:
        return official_title(self.agency, self.year)

    @property
    def display_title(self) -> str:
        """The title on one line: a line break typed in 标题 only says where the printed title wraps."""
        if self.title:
            return "".join(line.strip() for line in self.title.splitlines())
        return self.official_title

    @property
    def start(self) -> dt.date:
        return self.period_start or dt.date(self.year, 1, 1)

    @property
    def end(self) -> dt.date:
        return self.period_end or dt.date(self.year, 12, 31)

    def cell(self, cell_id: str) -> Number | None:
        return self.cells.get(cell_id)

    def narrative(self) -> Iterator[tuple[str, str, str]]:
        """(id, heading, text) for every piece of narrative, in reading order; missing ones skipped."""
        if self.general is not None:
            for key, heading, _ in GENERAL_PARTS:
                text = getattr(self.general, key)
                if text is not None:
                    yield f"general.{key}", heading, text
        for key, heading in SECTIONS[1:]:
            text = getattr(self, key)
            if text is not None:
                yield key, heading, text

    def where(self, key: str) -> Location | None:
        """The location of a field or cell, falling back to its parent key, then to the file."""
        while key:
            if key in self.locations:
                return self.locations[key]
            key = key.rpartition(".")[0]
        return Location(self.source) if self.source else None


def export_cells(report: Report) -> dict[str, int | float | None]:
    """Every canonical cell id -> its number (int, or float for the 万元 amount; None if unreadable)."""
    out: dict[str, int | float | None] = {}
    for cell_id in CELL_IDS:
        value = report.cells.get(cell_id)
        if value is not None and cell_id in DECIMAL_CELLS:
            value = float(value)
        out[cell_id] = value
    return out
