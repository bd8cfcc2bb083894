"""Every piece of text the renderers print, with where it is: for the checks that read it (glyph coverage)."""
from __future__ import annotations

from typing import Iterator

from . import cells as C
from .model import Report


def texts(report: Report) -> Iterator[tuple[str, str, str]]:
    """(location key, section heading, text) of every piece of text the renderers print, for checks."""
    yield "agency", "机关", report.agency       # the official title is the agency + fixed words
    if report.title:
        yield "title", "标题", report.title
    yield "intro", "引言", report.intro
    for key, heading, text in report.narrative():
        if key.startswith("general."):
            heading = C.SECTION_HEADINGS["general"] + ("" if key == "general.overview" else heading)
        yield key, heading, text
