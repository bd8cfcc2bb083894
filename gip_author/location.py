"""Where a value came from, for messages: a file with line/column, or a place in a published document."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Location:
    """A YAML/text file position (line, column), or a place in a document ("第2页 表3 第5行")."""

    path: str
    line: int | None = None
    column: int | None = None
    where: str | None = None

    def __str__(self) -> str:
        if self.line is not None:
            return f"{self.path}:{self.line}:{self.column or 1}"
        if self.where:
            return f"{self.path}（{self.where}）"
        return self.path
