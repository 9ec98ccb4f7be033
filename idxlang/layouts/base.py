"""What the compiler asks of a data layout, at each stage, with the answer of a file laid
out one column per variable (the default, which has no Layout: `TableInfo.layout` is
None). A layout answers for itself; no stage tests a layout's type."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar, Protocol

from sqlglot import exp

from .. import ast
from ..diagnostics import IdxError
from ..sql.dialects import Dialect
from ..sql.trees import INPUT_SCHEMA, as_double, col, ident, join, lit, select, table


class Table(Protocol):
    """A table as the model declares it (semantics/model.py's TableInfo), as far as a
    layout reads it."""

    @property
    def name(self) -> str: ...
    @property
    def entity(self) -> str | None: ...
    @property
    def time(self) -> str | None: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def keys(self) -> tuple[str, ...]: ...
    @property
    def extra_keys(self) -> tuple[str, ...]: ...


class Source(Protocol):
    """A table's file as it is read (data/sources.py)."""

    @property
    def table(self) -> str: ...
    @property
    def path(self) -> Path: ...
    @property
    def time(self) -> str | None: ...
    @property
    def columns(self) -> tuple[str, ...]: ...
    @property
    def variables(self) -> tuple[str, ...]: ...


class SheetReader(Protocol):
    """How a workbook's sheet is read (data/register.py): `sheet(name, suffix, header)`
    its rows, the header found by the columns `header` names."""

    workbook: bool

    def sheet(self, name: str, suffix: str, header: tuple[str, ...]) -> exp.Expr: ...


class Checker(Protocol):
    """The data checker (data/checks.py): a query's rows, and a problem reported."""

    def q(self, query: exp.Expr) -> list[tuple]: ...
    def fail(self, table_name: str, message: str, hint: str | None = None) -> None: ...


Error = Callable[..., IdxError]  # (message, span, hint=None): a diagnostic at the spec's text


@dataclass(frozen=True)
class Declared:
    """What a layout is checked against when the spec declares it: the table as written,
    its keys, attributes and variables, whether its periods are years."""

    table: ast.Table
    keys: tuple[str, ...]
    attributes: tuple[str, ...]
    variables: tuple[str, ...]
    yearly: bool
    error: Error


class Layout:
    """A layout's hooks, stage by stage; a subclass overrides those where it differs from
    one column per variable, and states its name and arguments for the parser."""

    name: ClassVar[str]  # as the spec writes it: `long`
    usage: ClassVar[str]  # its arguments, as a message shows them: `long(variable, value)`
    signature: ClassVar[tuple[type, ...]]  # each argument's node: ast.Name, ast.String or ast.Range
    reshaped: ClassVar[bool] = True  # the table's rows are made from the file's in SQL (rows)
    pivoted: ClassVar[bool] = False  # made one row per key, its values numbers already, repeats found
    flag_column: ClassVar[str | None] = None  # the file's column of flags, where not after the numbers

    # ---------------------------------------------------------------- semantics
    @classmethod
    def declared(cls, lay: ast.Layout, d: Declared) -> Layout:
        """The layout the spec declares, checked against its table."""
        raise NotImplementedError

    def keys(self, t: Table) -> tuple[str, ...]:
        """The table's keys that the file holds as columns."""
        return t.keys

    def named(self) -> tuple[str, ...]:
        """The file's columns that name which variable a row holds (a key of its rows)."""
        return ()

    def values(self, t: Table) -> tuple[str, ...]:
        """The file's columns that hold the numbers."""
        return t.columns

    # ---------------------------------------------------------------- reading (data/register.py)
    def read(self, source: Source, sheets: SheetReader) -> exp.Expr | None:
        """The file's rows, where the layout reads them itself (None: as its format does)."""
        return None

    def renamed(self, source: Source, types: Mapping[str, str]) -> dict[str, str]:
        """The file's columns renamed as the spec names them (file's name → spec's)."""
        return {}

    def unpublished(self, source: Source, present: set[str]) -> list[str]:
        """The columns the spec reads that the file leaves out but that stand for values
        it does not publish: read as missing."""
        return []

    # ---------------------------------------------------------------- checks (data/checks.py)
    def missing(self, t: Table, missing: list[str], types: Mapping[str, str]) -> list[tuple[str, str | None]]:
        """The file's missing columns said in the layout's terms (message, hint); empty:
        each column named."""
        return []

    def check(self, checker: Checker, t: Table, rel: exp.Table) -> None:
        """The layout's own checks of the file (`rel`, its view)."""

    def read_rows(self, variables: tuple[str, ...]) -> exp.Expr | None:
        """Which of the file's rows hold the spec's `variables` (None: all)."""
        return None

    # ---------------------------------------------------------------- sqlgen
    def rows(self, t: Table, columns: tuple[str, ...], repeated: str | None, dialect: Dialect) -> exp.Expr:
        """The table as the spec sees it, from its file's view: one row per key, one
        column per variable of `columns`; a pivot's column `repeated` says where a key
        holds a variable twice."""
        return table(t.name, INPUT_SCHEMA)


def crossed_with_periods(t: Table, years: tuple[int, ...], named: tuple[str, ...],
                         cells: Mapping[str, Callable[[int], str]]) -> exp.Select:
    """The file's rows crossed with the periods (`VALUES (1990), …` as the time axis):
    its keys but the time axis, the columns `named`, and each value of `cells` (its name
    → the file's column holding it in a period) taken from its period's column, `CASE
    "periods"."year" WHEN 1990 THEN "le_1990" … END`: a wide file's unpivot, a series
    file's observations."""
    assert t.time is not None
    period = col(t.time, "periods")
    values = [exp.Case(this=period.copy(), ifs=[exp.If(this=lit(p), true=as_double(col(column(p)))) for p in years])
              .as_(ident(name), copy=False) for name, column in cells.items()]
    keys = [col(k) for k in t.keys if k != t.time and k not in t.extra_keys]
    rows = exp.Values(expressions=[exp.Tuple(expressions=[lit(p)]) for p in years],
                      alias=exp.TableAlias(this=ident("periods"), columns=[ident(t.time)]))
    query = select(*keys, *map(col, named), period.as_(ident(t.time), copy=False), *values
                   ).from_(table(t.name, INPUT_SCHEMA), copy=False)
    return join(query, rows, "cross")


def periods(lay: ast.Layout, d: Declared, what: str, example: str, at: int = 0) -> tuple[str, tuple[int, ...]]:
    """The pattern and the periods of a layout that lays out years as columns or sheets
    (`wide("{variable}_{period}", 1990..2022)`), its arguments `at` and after, checked
    against its table."""
    pattern, span = lay.args[at], lay.args[at + 1]
    assert isinstance(pattern, ast.String) and isinstance(span, ast.Range)
    name = lay.name.id
    if d.table.time is None or d.table.entity is None:
        raise d.error(f"{name}(...) lays out periods as {what}: the table needs an entity and a time axis", lay.span)
    if not d.yearly:
        raise d.error(f"{name}(...) lays out years as {what}; quarters and months come long or one column per "
                      "variable", lay.span)
    first, last = span.start, span.end
    assert isinstance(first, ast.Number) and isinstance(last, ast.Number)
    if not (isinstance(first.value, int) and isinstance(last.value, int) and first.value <= last.value
            and last.value - first.value < 10000):
        raise d.error(f"{name}(pattern, first..last): whole periods, first no later than last", lay.span)
    if "{period}" not in pattern.value:
        raise d.error(f'{name}("..."): the pattern names {{period}}, as {example}', pattern.span)
    return pattern.value, tuple(range(first.value, last.value + 1))


def written_spans(years: list[int]) -> str:
    """1990..2009, 2012 as the spec would write it."""
    runs: list[list[int]] = []
    for p in sorted(years):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}..{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "none"
