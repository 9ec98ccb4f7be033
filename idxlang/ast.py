"""Syntax tree of an idx spec: what the author wrote, before any name is resolved.

Every node keeps the span it came from so that later stages can point back at
the spec; spans never take part in equality, so two trees that say the same
thing compare equal wherever they were written.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Union


@dataclass(frozen=True)
class Span:
    """1-based line and column of a node's first and last character."""

    line: int
    column: int
    end_line: int
    end_column: int


def _span() -> Span:
    return field(default=Span(0, 0, 0, 0), repr=False, compare=False)


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Number:
    value: float | int
    span: Span = _span()


@dataclass(frozen=True)
class String:
    value: str
    span: Span = _span()


@dataclass(frozen=True)
class Name:
    id: str
    span: Span = _span()


@dataclass(frozen=True)
class Label:
    """A quarter or a month as a spec writes it: `2024Q1`, `2024-03`."""

    text: str
    span: Span = _span()


@dataclass(frozen=True)
class Unary:
    op: str  # "-", "not", "is missing" or "is not missing" (written after the operand)
    operand: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Binary:
    op: str  # + - * / ^ == != < <= > >= and or ??
    left: Expr
    right: Expr
    span: Span = _span()


@dataclass(frozen=True)
class If:
    cond: Expr
    then: Expr
    orelse: Expr
    span: Span = _span()


@dataclass(frozen=True)
class At:
    """`x at 2005`: the value of x in one period."""

    value: Expr
    period: Period
    span: Span = _span()


@dataclass(frozen=True)
class Arg:
    value: Expr
    weight: Expr | None = None
    span: Span = _span()


@dataclass(frozen=True)
class Range:
    start: Period
    end: Period
    span: Span = _span()


@dataclass(frozen=True)
class Call:
    """A function call with the clauses that reductions, windows and ranks take."""

    func: str
    args: tuple[Arg, ...]
    over: Name | None = None
    over_more: tuple[Name, ...] = ()  # `over a, b`: the axes after the first
    by: Name | None = None
    within: Range | None = None
    direction: str | None = None
    ties: Name | None = None
    polarity: Number | None = None  # `direction -1`: higher values are worse (normalisation)
    present: Number | None = None  # `present 2` / `present 0.5`: skip missing components (row-wise means)
    power: Number | None = None  # genmean(a, b power 2)
    unclipped: bool = False  # goalposts(x, lo, hi unclipped)
    where: Expr | None = None  # rank(x desc where region != "World"): rank a subset
    span: Span = _span()
    func_span: Span = _span()


Period = Union[Number, Name, Label]
Expr = Union[Number, String, Name, Unary, Binary, If, At, Call]


# ----------------------------------------------------------------- statements


@dataclass(frozen=True)
class Index:
    name: str
    title: str | None
    span: Span = _span()


@dataclass(frozen=True)
class Column:
    name: str
    attribute: bool
    doc: str | None
    span: Span = _span()


@dataclass(frozen=True)
class Layout:
    """How the file lays out the table, when not one column per variable: the layout's
    name and its arguments as written (`long(indicator, value)`, `wide("{variable}_{period}",
    1990..2022)`); what they mean is the layout's own (idxlang/layouts/)."""

    name: Name
    args: tuple[Name | String | Range, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Part:
    """Which part of a file holds the table: `sheet "2021"` of a workbook, `table
    "panel"` of a DuckDB database file."""

    kind: str  # "sheet" or "table"
    name: String
    span: Span = _span()


@dataclass(frozen=True)
class Table:
    name: str
    title: str | None
    entity: Name | None
    time: Name | None
    source: String | None
    columns: tuple[Column, ...]
    span: Span = _span()
    layout: Layout | None = None
    encoding: String | None = None  # the file's text encoding, when stated
    part: Part | None = None  # a workbook's sheet or a database file's table, when stated
    calendar: Name | None = None  # quarterly or monthly time axis (yearly when absent)
    missing: tuple[String, ...] = ()  # the file's marks of a missing value (`missing "..", ":"`)
    flags: tuple[String, ...] = ()  # the flags a cell may carry after its number (`flags "p", "e"`)
    header: Number | None = None  # the header's row of the file (`header row 4`)


@dataclass(frozen=True)
class Param:
    name: str
    value: float | int
    doc: str | None
    span: Span = _span()


@dataclass(frozen=True)
class Def:
    name: str
    params: tuple[Name, ...]
    body: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Let:
    name: str
    value: Expr
    doc: str | None
    span: Span = _span()
    name_span: Span = _span()


@dataclass(frozen=True)
class Band:
    code: str
    low: float
    high: float
    low_closed: bool
    high_closed: bool
    label: str | None
    span: Span = _span()

    def text(self) -> str:
        def num(v: float) -> str:
            return "inf" if v == float("inf") else "-inf" if v == float("-inf") else f"{v:g}"

        return f"{'[' if self.low_closed else '('}{num(self.low)}, {num(self.high)}{']' if self.high_closed else ')'}"


@dataclass(frozen=True)
class Scale:
    name: str
    title: str | None
    bands: tuple[Band, ...]
    span: Span = _span()


@dataclass(frozen=True)
class OutputItem:
    value: Expr
    alias: Name | None
    span: Span = _span()


@dataclass(frozen=True)
class Output:
    name: str | None
    keys: tuple[Name, ...]
    items: tuple[OutputItem, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Screen:
    """`screen regions: availability >= 0.75 of a, b`: drop entities with too little data."""

    table: Name
    threshold: Number
    columns: tuple[Name, ...]
    span: Span = _span()


@dataclass(frozen=True)
class Rule:
    """One line of a framework: `indicators = score(x)`."""

    name: Name
    value: Expr
    span: Span = _span()


@dataclass(frozen=True)
class Framework:
    """`framework asem from "meta.csv"`: an indicator tree from a metadata table, with the
    rules that make its lets (semantics/frameworks.py expands it before checking)."""

    name: str
    source: String
    title: str | None
    rules: tuple[Rule, ...]
    span: Span = _span()


@dataclass(frozen=True)
class FrameworkColumns:
    """A table's column line `framework asem`: the columns the framework names."""

    framework: Name
    span: Span = _span()


Statement = Union[Index, Table, Param, Def, Let, Scale, Output, Screen, Framework]


@dataclass(frozen=True)
class Module:
    """A parsed spec file: its statements in the order written, and its text."""

    path: str
    source: str = field(repr=False)
    statements: tuple[Statement, ...]


# ----------------------------------------------------------------- unparsing

MARK = "\ue000{}\ue001"  # a parameter's place in the text of a function's body, filled per application


def fill(text: str, texts: tuple[str, ...]) -> str:
    """A function body's text with each parameter's place replaced by an argument's text."""
    for i, t in enumerate(texts):
        text = text.replace(MARK.format(i), t)
    return text


_PRECEDENCE = {"??": 1, "or": 2, "and": 3, "==": 5, "!=": 5, "<": 5, "<=": 5, ">": 5, ">=": 5,
               "+": 6, "-": 6, "*": 7, "/": 7, "^": 9}


def unrounded(e: Expr) -> Expr:
    """`round(x, 2)` as x: the rounding is a definition's last step, not one of its parts."""
    while isinstance(e, Call) and e.func == "round" and e.args:
        e = e.args[0].value
    return e


def clauses(e: Call) -> list[str]:
    """A call's clauses after its arguments (`over region`, `ties first`, …), as written."""
    found = [
        f"over {', '.join(n.id for n in (e.over, *e.over_more))}" if e.over else "",
        f"by {e.by.id}" if e.by else "",
        f"in {unparse(e.within.start)}..{unparse(e.within.end)}" if e.within else "",
        e.direction or "",
        f"ties {e.ties.id}" if e.ties else "",
        f"direction {unparse(e.polarity)}" if e.polarity else "",
        f"present {unparse(e.present)}" if e.present else "",
        f"power {unparse(e.power)}" if e.power else "",
        "unclipped" if e.unclipped else "",
        f"where {unparse(e.where)}" if e.where is not None else "",
    ]
    return [c for c in found if c]


def unparse(e: Expr | Label, parent: int = 0, names: dict[str, str] | None = None) -> str:
    """Source text of an expression, normalised: used in labels and messages.
    `names` replaces a user function's parameters by the caller's arguments."""
    return _Unparser(names or {}).text(e, parent)


class _Unparser:
    def __init__(self, names: dict[str, str]) -> None:
        self.names = names

    def text(self, e: Expr | Label, parent: int = 0) -> str:
        unparse = self.text
        if isinstance(e, Number):
            return f"{e.value:g}" if isinstance(e.value, float) else str(e.value)
        if isinstance(e, String):
            return '"' + e.value.replace('"', '\\"') + '"'
        if isinstance(e, Name):
            return self.names.get(e.id, e.id)
        if isinstance(e, Label):
            return e.text
        if isinstance(e, Unary):
            if e.op.startswith("is "):  # a test, as loose as a comparison
                text = f"{unparse(e.operand, 6)} {e.op}"
                return f"({text})" if parent > 5 else text
            inner = unparse(e.operand, 8)
            return f"-{inner}" if e.op == "-" else f"not {inner}"
        if isinstance(e, Binary):
            p = _PRECEDENCE[e.op]
            text = f"{unparse(e.left, p)} {e.op} {unparse(e.right, p + 1)}"
            return f"({text})" if p < parent else text
        if isinstance(e, If):
            text = f"if {unparse(e.cond)} then {unparse(e.then)} else {unparse(e.orelse)}"
            return f"({text})" if parent else text
        if isinstance(e, At):
            return f"{unparse(e.value, 10)} at {unparse(e.period)}"
        if isinstance(e, Call):
            parts = [unparse(a.value) + (f": {unparse(a.weight)}" if a.weight is not None else "") for a in e.args]
            text = ", ".join(parts)
            text = " ".join([text, *clauses(e)]) if text else " ".join(clauses(e))
            return f"{e.func}({text})"
        raise TypeError(e)
