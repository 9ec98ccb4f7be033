"""Errors and warnings a user sees: always the spec's file, line and column, the
source line and a caret, never a Python traceback."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Iterable

from .ast import Span


@dataclass(frozen=True)
class Diagnostic:
    severity: str  # "error" or "warning"
    message: str
    path: str | None = None
    source: str | None = None
    span: Span | None = None
    hint: str | None = None

    def render(self) -> str:
        head = f"{self.severity}: {self.message}"
        if self.span is None or not self.span.line:  # about the whole spec: its file, when known
            where = f"{self.path}: " if self.path and self.source is not None else ""
            return where + head + (f"\n  hint: {self.hint}" if self.hint else "")
        where = f"{self.path or '<spec>'}:{self.span.line}:{self.span.column}"
        lines = [f"{where}: {head}"]
        if self.source is not None:
            text = self.source.splitlines()[self.span.line - 1] if self.span.line <= len(self.source.splitlines()) else ""
            gutter = str(self.span.line)
            width = 1
            if self.span.end_line == self.span.line and self.span.end_column > self.span.column:
                width = self.span.end_column - self.span.column
            if len(text) > SHOWN:  # a very long line: the part around the place, the caret under it
                start = max(0, min(self.span.column - 1 - SHOWN // 4, len(text) - SHOWN))
                text = ("…" if start else "") + text[start:start + SHOWN] + ("…" if start + SHOWN < len(text) else "")
                column = self.span.column - start + (1 if start else 0)
                width = min(width, SHOWN - column + 2)
                span_column = column
            else:
                span_column = self.span.column
            lines.append(f"{' ' * len(gutter)} |")
            lines.append(f"{gutter} | {text}")
            lines.append(f"{' ' * len(gutter)} | {' ' * (span_column - 1)}{'^' * max(width, 1)}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)


SHOWN = 160  # characters of a source line shown under a message


class IdxError(Exception):
    """A user error: bad spec, bad data, bad command line. Rendered, never traced."""

    def __init__(self, *diagnostics: Diagnostic) -> None:
        super().__init__(diagnostics[0].message if diagnostics else "error")
        self.diagnostics = diagnostics

    def render(self) -> str:
        return "\n\n".join(d.render() for d in self.diagnostics)

    def __str__(self) -> str:
        return self.render()


def closest(name: str, candidates: Iterable[str]) -> str | None:
    """The candidate a typo most likely meant, if any is close enough."""
    found = difflib.get_close_matches(name, sorted(set(candidates)), n=1, cutoff=0.6)
    return found[0] if found else None


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    match = closest(name, candidates)
    return f"did you mean '{match}'?" if match else None
