"""The spec's names: tables and their axes, params, functions, lets, scales and
screens, each declared once. `check.py` resolves expressions against them."""

from __future__ import annotations

import dataclasses
import math

from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from .. import ast, layouts
from ..layouts import Layout
from . import model as m
from .calendar import Calendar
from ..diagnostics import Diagnostic, IdxError, did_you_mean


@dataclass
class Declarations:
    module: ast.Module
    axes: m.Axes = field(default_factory=lambda: m.Axes(frozenset(), frozenset(), {}))
    tables: dict[str, m.TableInfo] = field(default_factory=dict)
    columns: dict[str, tuple[m.Grain, m.RefKind]] = field(default_factory=dict)  # every column, key and attribute
    params: dict[str, m.ParamInfo] = field(default_factory=dict)
    defs: dict[str, ast.Def] = field(default_factory=dict)
    lets: dict[str, ast.Let] = field(default_factory=dict)
    scales: dict[str, ast.Scale] = field(default_factory=dict)
    screens: dict[str, m.Screen] = field(default_factory=dict)
    warnings: list[Diagnostic] = field(default_factory=list)

    def error(self, message: str, span: ast.Span | None, hint: str | None = None) -> IdxError:
        return IdxError(Diagnostic("error", message, self.module.path, self.module.source, span, hint))

    def warn(self, message: str, span: ast.Span | None, hint: str | None = None) -> None:
        self.warnings.append(Diagnostic("warning", message, self.module.path, self.module.source, span, hint))


def declare(module: ast.Module, params: dict[str, float | int] | None = None,
            builtins: frozenset[str] = frozenset()) -> Declarations:
    """Every name the spec declares; `params` override the spec's values."""
    d = Declarations(module)
    claimed: dict[str, tuple[str, ast.Span]] = {}

    def claim(name: str, what: str, span: ast.Span) -> None:
        if name in claimed:
            first_what, first = claimed[name]
            raise d.error(f"'{name}' is already declared as {first_what} on line {first.line}", span)
        claimed[name] = (what, span)

    _tables(d, claim)
    for st in module.statements:
        if isinstance(st, ast.Param):
            claim(st.name, "a param", st.span)
            d.params[st.name] = m.ParamInfo(st.name, st.value, st.doc, st.span.line)
        elif isinstance(st, ast.Def):
            claim(st.name, "a function", st.span)
            if st.name in builtins:
                raise d.error(f"'{st.name}' is a built-in function; choose another name", st.span)
            d.defs[st.name] = st
        elif isinstance(st, ast.Let):
            claim(st.name, "a let", st.name_span)
            d.lets[st.name] = st
        elif isinstance(st, ast.Scale):
            claim(st.name, "a scale", st.span)
            _check_scale(d, st)
            d.scales[st.name] = st
        elif isinstance(st, ast.Screen):
            _screen(d, st)
    _override(d, params or {})
    return d


def _tables(d: Declarations, claim: Callable[[str, str, ast.Span], None]) -> None:
    statements = [st for st in d.module.statements if isinstance(st, ast.Table)]
    entities = {st.entity.id for st in statements if st.entity}
    times = {st.time.id for st in statements if st.time}
    attributes: dict[str, str] = {}
    for st in statements:
        claim(st.name, "a table", st.span)
    for st in statements:
        keys = [k.id for k in (st.entity, st.time) if k]
        for k in (st.entity, st.time):
            if k and (k.id in entities and k is st.time or k.id in times and k is st.entity):
                raise d.error(f"'{k.id}' is used both as an entity axis and as a time axis", k.span)
        numeric, attrs = [], []
        for col in st.columns:
            if col.name in keys:
                raise d.error(f"'{col.name}' is a key of table {st.name}; do not list it as a column", col.span)
            if col.attribute:
                if not st.entity:
                    raise d.error(f"attribute '{col.name}' needs an entity axis in table {st.name}", col.span)
                claim(col.name, f"an attribute of {st.entity.id}", col.span)
                attributes[col.name] = st.entity.id
                d.columns[col.name] = (m.Grain((st.entity.id,)), m.RefKind.ATTRIBUTE)
                attrs.append(col.name)
            else:
                claim(col.name, f"a column of table {st.name}", col.span)
                d.columns[col.name] = (m.Grain(tuple(keys)), m.RefKind.COLUMN)
                numeric.append(col.name)
        source = str(Path(d.module.path).parent / st.source.value) if st.source else None
        docs = {c.name: c.doc for c in st.columns if c.doc}
        layout = _layout(d, st, keys, attrs)
        d.tables[st.name] = m.TableInfo(st.name, st.entity.id if st.entity else None, st.time.id if st.time else None,
                                        source, tuple(numeric), tuple(attrs), st.span, docs=docs, layout=layout,
                                        encoding=st.encoding.value if st.encoding else None,
                                        missing=_markers(d, st.missing, "mark of a missing value"),
                                        flags=_flags(d, st),
                                        header=_header(d, st),
                                        part=_part(d, st, source),
                                        calendar=Calendar(st.calendar.id) if st.calendar else Calendar.YEAR,
                                        title=st.title)
    _name_neighbours(d)
    d.axes = m.Axes(frozenset(entities), frozenset(times), attributes, calendars=_calendars(d, statements))
    for key in entities | times:
        d.columns.setdefault(key, (m.Grain((key,)), m.RefKind.KEY))


def _header(d: Declarations, st: ast.Table) -> int | None:
    """`header row N`: a row of the file, counted from 1 as the file numbers them."""
    if st.header is None:
        return None
    if not isinstance(st.header.value, int) or st.header.value < 1:
        raise d.error(f"header row {st.header.value}: a row of the file, 1 for its first", st.header.span)
    return st.header.value


def _flags(d: Declarations, st: ast.Table) -> tuple[str, ...]:
    """The flags a table states, as its marks are (_markers), none also a mark."""
    marks = {mark.value.strip() for mark in st.missing}
    for flag in st.flags:
        if flag.value.strip() in marks:
            raise d.error(f"'{flag.value}' is stated as a mark of a missing value and as a flag", flag.span)
    return _markers(d, st.flags, "flag")


def _markers(d: Declarations, given: tuple[ast.String, ...], what: str) -> tuple[str, ...]:
    """The marks of a missing value (or the flags) a table states: each once, none empty
    or a number (a mark read as a missing value would hide a real one)."""
    found: list[str] = []
    for mark in given:
        text = mark.value.strip()
        if not text:
            raise d.error(f"an empty {what}: an empty cell is missing already" if what.startswith("mark")
                          else f"an empty {what}", mark.span)
        if _number(text):
            raise d.error(f"'{mark.value}' is a number, not a {what}", mark.span)
        if text in found:
            raise d.error(f"the {what.split()[0]} '{mark.value}' is given twice", mark.span)
        found.append(text)
    return tuple(found)


def _number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def _name_neighbours(d: Declarations) -> None:
    """Each table learns the attributes other tables declare for its entity: they reach
    its rows, so a column it makes up (a long file's `repeated`) is named apart."""
    for name, t in list(d.tables.items()):
        others = tuple(a for o in d.tables.values() if o is not t and o.entity == t.entity for a in o.attributes)
        if t.entity and others:
            d.tables[name] = dataclasses.replace(t, neighbours=others)


def _part(d: Declarations, st: ast.Table, source: str | None) -> str | None:
    """The sheet or database table named, checked against the kind of file."""
    if st.part is None:
        return None
    wanted = {"sheet": (".xlsx", ".xlsm"), "table": (".duckdb", ".ddb", ".db")}[st.part.kind]
    if source is not None and Path(source).suffix.lower() not in wanted:
        raise d.error(f"'{st.part.kind}' names a part of a {' or '.join(wanted)} file, not of {Path(source).name}",
                      st.part.span)
    return st.part.name.value


def _calendars(d: Declarations, statements: list[ast.Table]) -> dict[str, Calendar]:
    """How each time axis counts periods: every table on the axis says the same."""
    found: dict[str, tuple[Calendar, ast.Table]] = {}
    for st in statements:
        if st.time is None:
            continue
        calendar = Calendar(st.calendar.id) if st.calendar else Calendar.YEAR
        first = found.setdefault(st.time.id, (calendar, st))
        if first[0] is not calendar:
            raise d.error(f"time axis '{st.time.id}' is {first[0].value} in table {first[1].name} but "
                          f"{calendar.value} here", st.calendar.span if st.calendar else st.time.span,
                          "tables sharing a time axis count periods alike; give one of them its own axis")
    return {axis: calendar for axis, (calendar, _) in found.items()}


def _layout(d: Declarations, st: ast.Table, keys: list[str], attrs: list[str]) -> Layout | None:
    """The file's layout as declared, checked against the table's axes (idxlang/layouts/)."""
    if st.layout is None:
        return None
    yearly = st.calendar is None or st.calendar.id == Calendar.YEAR.value
    variables = tuple(c.name for c in st.columns if not c.attribute)
    return layouts.declared(st.layout, layouts.Declared(st, tuple(keys), tuple(attrs), variables, yearly, d.error))


def _screen(d: Declarations, st: ast.Screen) -> None:
    table = d.tables.get(st.table.id)
    if table is None:
        raise d.error(f"unknown table '{st.table.id}'", st.table.span, did_you_mean(st.table.id, d.tables))
    if table.entity is None:
        raise d.error(f"table {table.name} has no entity axis to screen", st.table.span)
    if not 0 < st.threshold.value <= 1:
        raise d.error("availability is a share of cells, above 0 and at most 1", st.threshold.span)
    for c in st.columns:
        if c.id not in table.columns:
            raise d.error(f"'{c.id}' is not a numeric column of table {table.name}", c.span,
                          did_you_mean(c.id, table.columns))
    if table.entity in d.screens:
        raise d.error(f"'{table.entity}' is screened twice", st.span)
    columns = tuple(c.id for c in st.columns) or table.columns
    d.screens[table.entity] = m.Screen(table.name, table.entity, st.threshold.value, columns, table)


def _override(d: Declarations, params: dict[str, float | int]) -> None:
    for key, value in params.items():
        if key not in d.params:
            hint = did_you_mean(key, d.params) or f"params: {', '.join(sorted(d.params)) or 'none'}"
            raise IdxError(Diagnostic("error", f"a value is given for param '{key}', which the spec does not declare", hint=hint))
        old = d.params[key]
        d.params[key] = m.ParamInfo(key, value, old.doc, old.line)


def _check_scale(d: Declarations, sc: ast.Scale) -> None:
    bands = sorted(sc.bands, key=lambda b: (b.low, not b.low_closed))
    for b in sc.bands:
        if b.low > b.high or (b.low == b.high and not (b.low_closed and b.high_closed)):
            raise d.error(f"band '{b.code}' {b.text()} is empty", b.span)
    codes = [b.code for b in sc.bands]
    for b in sc.bands:
        if codes.count(b.code) > 1:
            raise d.error(f"scale {sc.name} names class '{b.code}' twice", b.span)
    for lo, hi in zip(bands, bands[1:]):
        if hi.low < lo.high or (hi.low == lo.high and hi.low_closed and lo.high_closed):
            raise d.error(
                f"bands '{lo.code}' {lo.text()} and '{hi.code}' {hi.text()} overlap", hi.span,
                "a value must fall in one band only: close one end and open the other, e.g. (70, 85] and (85, 100]")
        if hi.low > lo.high or (hi.low == lo.high and not hi.low_closed and not lo.high_closed):
            gap = f"{'[' if not lo.high_closed else '('}{lo.high:g}, {hi.low:g}{']' if not hi.low_closed else ')'}"
            d.warn(f"scale {sc.name} has a gap {gap} between '{lo.code}' and '{hi.code}': "
                   "values there get no class", hi.span)


def parse_param_values(raw: dict[str, str]) -> dict[str, float | int]:
    """Param values given as text (`idxc --param NAME=VALUE`, or a caller's strings) as
    numbers (whole numbers stay whole); the messages name the param, not the option, as
    a Python caller sees them too."""
    out: dict[str, float | int] = {}
    for key, text in raw.items():
        text = str(text).strip()
        try:
            value = int(text) if text.lstrip("+-").isdigit() else float(text)
            finite = math.isfinite(float(value))
        except (ValueError, OverflowError):
            finite = False
        if not finite:
            raise IdxError(Diagnostic("error", f"param {key} = {text}: not a number (a finite one, such as 0.25 or 1e-3)"))
        out[key] = value
    return out
