"""Panel files → DuckDB views in schema `input`, checked against the spec's tables.

A data problem is reported by column and by row, as the file numbers its rows (a
CSV's lines, a spreadsheet's rows, the header included; DataChecker.place), before any
output is computed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot import exp

from . import formats
from .calendar import FILE_LABELS, Calendar
from . import model as m
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .sql import INPUT_SCHEMA, binary, col, ident, is_null, lit, select, table, to_sql
from .sqlgen import input_rows

NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
INTEGER_TYPES = NUMERIC_TYPES[:10]


@dataclass(frozen=True)
class Source:
    table: str
    path: Path
    numbers: tuple[str, ...] = ()  # the file's columns that hold numbers (a decimal comma is looked for there)
    encoding: str | None = None  # as stated in the spec; else read off the file
    part: str | None = None  # a workbook's sheet or a database file's table, when stated
    sheets: tuple[tuple[str, int], ...] = ()  # a sheet per period (sheet, period), stacked as the time axis
    time: str | None = None
    missing: tuple[str, ...] = ()  # the file's marks of a missing value, as the spec states them
    marked: tuple[str, ...] = ()  # the file's columns a mark may be in: its values and attributes
    columns: tuple[str, ...] = ()  # the file's columns the spec reads: its view holds only those when all are there
    cells: tuple[tuple[str, str, int], ...] = ()  # a wide file's columns the spec reads (column, variable, period)
    header: int | None = None  # the header's row (line) of the file, when stated
    flags: tuple[str, ...] = ()  # the flags a number may carry after it (`12.3 p`)
    sdmx: tuple[str, tuple[str, ...]] | None = None  # SDMX-CSV: the dimension holding the variables, and those read


def resolve_sources(model: m.Model, data: list[str] | dict[str, str] | None, skip: set[str] = frozenset()) -> list[Source]:  # type: ignore[assignment]
    """Which file feeds which table: --data NAME=FILE, a bare FILE for a one-table
    spec, else the file the table names itself (relative to the spec); none for the
    tables in `skip` (already in the engine: --table)."""
    given: dict[str, str] = {}
    items = list(data.items()) if isinstance(data, dict) else [(None, d) for d in (data or [])]
    for name, value in items:
        if name is None and "=" in value and value.split("=", 1)[0] in model.tables:
            name, value = value.split("=", 1)
        if name is None:
            if len(model.tables) != 1:
                raise IdxError(Diagnostic("error", f"--data {value}: the spec reads {len(model.tables)} tables "
                                          f"({', '.join(model.tables)}); say which with --data TABLE=FILE"))
            name = next(iter(model.tables))
        if name not in model.tables:
            raise IdxError(Diagnostic("error", f"--data {name}=...: the spec has no table '{name}'",
                                      hint=did_you_mean(name, model.tables)))
        given[name] = value
    sources = []
    for t in model.tables.values():
        if t.name in skip:
            continue
        path = given.get(t.name) or t.source
        if path is None:
            raise IdxError(Diagnostic("error", f"no data for table {t.name}: pass --data {t.name}=FILE"))
        p = Path(path)
        where = "named by the spec" if t.name not in given else "given for the run"
        if not p.exists():
            raise IdxError(Diagnostic("error", f"data file for table {t.name} not found: {p} ({where})"))
        if p.is_dir():
            raise IdxError(Diagnostic("error", f"data for table {t.name} is a folder, not a file: {p} ({where})",
                                      hint="name the file inside it"))
        if p.stat().st_size == 0:
            raise IdxError(Diagnostic("error", f"data file for table {t.name} is empty: {p} ({where})"))
        sheets = tuple((t.layout.sheet(y), y) for y in t.layout.periods) if isinstance(t.layout, m.Sheets) else ()
        sources.append(Source(t.name, p, t.raw_values, t.encoding, t.part, sheets, t.time, t.missing,
                              (*t.raw_values, *t.attributes), t.raw_columns,
                              t.layout.cells(t.columns) if isinstance(t.layout, m.Wide) else (), t.header, t.flags,
                              (t.layout.variable, t.columns) if isinstance(t.layout, m.Sdmx) else None))
    return sources


def register(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Each file as a view in `input`, read as published: a legacy encoding through a
    UTF-8 copy, a decimal comma where the numbers have one (formats.py)."""
    con.execute(to_sql(exp.Create(this=exp.Table(this=ident(INPUT_SCHEMA)), kind="SCHEMA", exists=True), pretty=False))
    for s in sources:
        if s.sheets:
            _view(con, s, _stacked_sheets(con, s))
            continue
        if formats.is_workbook(s.path):  # read by openpyxl, handed to DuckDB as Arrow
            _view(con, s, formats.sheet(con, s.path, s.part, f"{INPUT_SCHEMA}_{s.table}_sheet", _header_columns(s), s.header))
            continue
        if formats.is_database(s.path):  # attached read-only; the view reads its table
            _view(con, s, formats.database_table(con, s.path, s.part or s.table, f"{INPUT_SCHEMA}_{s.table}_file"))
            continue
        register_file(con, s)


def register_file(con: duckdb.DuckDBPyConnection, s: Source, text: tuple[str, ...] = ()) -> None:
    """A CSV, Parquet or JSON-lines file as its view, the columns in `text` read as text;
    a CSV parsed once (_parsed_once)."""
    path = formats.as_utf8(s.path, s.encoding)
    csv = formats.is_csv(path)
    if s.header is not None and not csv:
        raise IdxError(Diagnostic("error", f"table {s.table}: header row {s.header} is said of a CSV or a workbook, not {s.path.name}"))
    skip = formats.header_line(path, s.columns, s.header) if csv else 0
    delim = formats.delimiter(con, path, skip) if csv else None
    reader = formats.reader(path, text=text, delim=delim, skip=skip)
    _view(con, s, reader, marks=not formats.is_csv(path))  # a CSV's marks: on the rows parsed once
    if delim is not None and delim != ",":  # "1,234" between commas is not a decimal
        types = column_types(con, table(s.table, INPUT_SCHEMA), str(s.path))
        texts = [c for c, kind in types.items() if c in s.numbers and kind == "VARCHAR"]
        comma, thousands = formats.decimal_comma(con, table(s.table, INPUT_SCHEMA), texts)
        if comma:
            reader = formats.reader(path, True, thousands, text, delim, skip)
            _view(con, s, reader, marks=False)
    if csv:
        _parsed_once(con, s, reader, text, skip)


def _parsed_once(con: duckdb.DuckDBPyConnection, s: Source, reader: exp.Expression, text: tuple[str, ...], skip: int = 0) -> None:
    """A CSV parsed once, into a temporary table in the file's row order that its view
    then reads: the checks and the statements read the table, not the text again. A
    column typed as numbers from the first rows that holds text further down is read
    again as text (its rows are then reported by the checks). Each row keeps its line
    (column ROW), the header on line `skip` + 1."""
    name = f"{INPUT_SCHEMA} {s.table}"  # a name no spec's step can take
    line = exp.Add(this=exp.Window(this=exp.RowNumber()), expression=lit(skip + 1))
    create = exp.Create(this=exp.Table(this=ident(name)), kind="TABLE", replace=True,
                        properties=exp.Properties(expressions=[exp.TemporaryProperty()]),
                        expression=select(line.as_(ident(ROW), copy=False), exp.Star()).from_(table(s.table, INPUT_SCHEMA), copy=False))
    con.execute("SET preserve_insertion_order = true")  # the file's row order, for the rows the checks name
    try:
        con.execute(to_sql(create, pretty=False))
    except duckdb.ConversionException as err:
        found = _UNCONVERTED.search(str(err))
        if found is None or found.group(1) in text:
            raise IdxError(Diagnostic("error", unreadable(err))) from None
        register_file(con, s, (*text, found.group(1)))
        return
    except duckdb.Error as err:
        raise IdxError(Diagnostic("error", unreadable(err))) from None
    finally:
        con.execute("SET preserve_insertion_order = false")
    for view, rows in ((table(f"{s.table} (file)", INPUT_SCHEMA), exp.Table(this=reader)),  # how it was read
                       (table(s.table, INPUT_SCHEMA), exp.Table(this=ident(name)))):
        create = exp.Create(this=view, kind="VIEW", replace=True, expression=select(exp.Star()).from_(rows, copy=False))
        con.execute(to_sql(create, pretty=False))
    if s.missing or s.flags:  # the marks read as missing over the rows parsed once, which keep them for the count
        marked = _marks(s, column_types(con, exp.Table(this=ident(name)), str(s.path)))
        if marked:
            create = exp.Create(this=table(s.table, INPUT_SCHEMA), kind="VIEW", replace=True,
                                expression=select(exp.Star(replace=marked)).from_(exp.Table(this=ident(name)), copy=False))
            con.execute(to_sql(create, pretty=False))


def _header_columns(s: Source) -> tuple[str, ...]:
    """The columns a sheet's header holds: those the spec reads but the period a sheet
    per period stands for."""
    return tuple(c for c in s.columns if not (s.sheets and c == s.time))


def _stacked_sheets(con: duckdb.DuckDBPyConnection, s: Source) -> exp.Expression:
    """A workbook's sheets, one per period, stacked in SQL with the period as the time
    axis: `SELECT 2021 AS "year", * FROM <sheet 2021> UNION ALL BY NAME ...`."""
    if not formats.is_workbook(s.path):
        raise IdxError(Diagnostic("error", f"table {s.table}: sheets(...) reads a workbook (.xlsx), not {s.path.name}"))
    assert s.time is not None
    parts = [select(lit(period).as_(ident(s.time), copy=False), exp.Star())
             .from_(formats.sheet(con, s.path, name, f"{INPUT_SCHEMA}_{s.table}_sheet_{period}", _header_columns(s),
                                  s.header, numbered=False), copy=False)
             for name, period in s.sheets]
    stacked = parts[0]
    for part in parts[1:]:
        stacked = exp.Union(this=stacked, expression=part, distinct=False, by_name=True)
    return exp.Subquery(this=stacked)


def _view(con: duckdb.DuckDBPyConnection, s: Source, reader: exp.Expression, marks: bool = True) -> None:
    """The file as its view in `input`, of the columns the spec reads when the file has
    them all (a 1,000-column file is then copied and checked for 34; else all, for the
    checks to name what is missing beside what is there); a NaN in a column of doubles
    (as pandas writes a missing value) read as missing there, once for every engine and
    check, and so is a cell holding one of the table's marks of a missing value (`..`),
    with `marks`. (The SQL's own `NULLIF(x, 'NaN')` is not enough on DuckDB: from a
    Parquet file's statistics, which leave NaN out, it finds the comparison never true
    and drops it.)"""
    rows = reader if isinstance(reader, exp.Subquery) else exp.Table(this=reader)

    def create(*columns: exp.Expression) -> None:
        view = exp.Create(this=table(s.table, INPUT_SCHEMA), kind="VIEW", replace=True,
                          expression=select(*columns).from_(rows.copy(), copy=False))
        try:
            con.execute(to_sql(view, pretty=False))
        except duckdb.Error as err:
            raise IdxError(Diagnostic("error", f"cannot read {s.path}: {str(err).splitlines()[0]}")) from None

    create(exp.Star())
    types = column_types(con, table(s.table, INPUT_SCHEMA), str(s.path))
    if s.sdmx:  # its dimensions as the spec names them
        names = _sdmx_names(s, types)
        rows = exp.Subquery(this=select(*[col(c).as_(ident(names.get(c, c)), copy=False) for c in types]).from_(rows, copy=False),
                            alias=exp.TableAlias(this=ident("sdmx")))
        create(exp.Star())
        types = column_types(con, table(s.table, INPUT_SCHEMA), str(s.path))
    if (s.missing or s.flags) and marks:  # the rows as read, for the count of the marks (marked_cells)
        con.execute(to_sql(exp.Create(this=table(f"{s.table} (file)", INPUT_SCHEMA), kind="VIEW", replace=True,
                                      expression=select(exp.Star()).from_(rows.copy(), copy=False)), pretty=False))
    filled = _unpublished(s, set(types))
    whole = bool(s.columns) and set(s.columns) <= {*types, *filled}
    kept = [c for c in types if c in (*s.columns, formats.ROW, m.Sdmx.FLAG)] if whole else list(types)
    floats = [c for c in kept if types[c] in ("DOUBLE", "FLOAT")]
    replaced = {e.alias: e for e in [exp.If(this=exp.IsNan(this=col(c)), true=exp.Null(), false=col(c)).as_(ident(c), copy=False)
                                     for c in floats] + (_marks(s, types) if marks else []) if e.alias in kept}
    nulls = [exp.Cast(this=exp.Null(), to=exp.DataType.build("DOUBLE")).as_(ident(c), copy=False) for c in filled]
    if len(kept) < len(types):
        create(*[replaced.get(c, col(c)) for c in kept], *nulls)
    elif replaced or nulls:
        create(exp.Star(replace=list(replaced.values())) if replaced else exp.Star(), *nulls)


def _sdmx_names(s: Source, types: Mapping[str, str]) -> dict[str, str]:
    """An SDMX-CSV file's columns renamed as the spec reads them: TIME_PERIOD its time
    axis, a dimension its entity (`GEO` for `geo`), OBS_VALUE and OBS_FLAG, whatever the
    case the office writes them in."""
    upper = {c.upper(): c for c in types}
    names = {upper[m.Sdmx.TIME]: s.time} if m.Sdmx.TIME in upper and s.time and s.time not in types else {}
    for c in (*s.columns, m.Sdmx.FLAG):
        if c not in types and c.upper() in upper and upper[c.upper()] not in names:
            names[upper[c.upper()]] = c
    return names


def _unpublished(s: Source, present: set[str]) -> list[str]:
    """A wide file's columns the spec reads that the file leaves out although it has the
    variable for other periods and the period for other variables (UNDP publishes its
    inequality variables from 2010): read as missing values. A variable or a period the
    file has no column for at all is not filled: the checks report it (_unlaid)."""
    held = [(v, p) for c, v, p in s.cells if c in present]
    variables, periods = {v for v, _ in held}, {p for _, p in held}
    return [c for c, v, p in s.cells if c not in present and v in variables and p in periods]


def _flag_pattern(s: Source) -> str:
    """A number's flags after it, as RE2 reads them: `12.3 p`, `45 ep`, `: c`."""
    return r"\s+((?:" + "|".join(re.escape(f) for f in sorted(s.flags, key=len, reverse=True)) + r")+)$"


def _marks(s: Source, types: Mapping[str, str]) -> list[exp.Expression]:
    """Each text column a mark may be in, its flags cut off (`12.3 p` is 12.3) and its
    marks read as missing (`'..'`, `' .. '`, `': c'`)."""
    if not (s.missing or s.flags):
        return []
    out = []
    for c in s.marked:
        if types.get(c) != "VARCHAR":
            continue
        cell: exp.Expression = exp.Trim(this=col(c))
        if s.flags:
            cell = exp.RegexpReplace(this=cell, expression=lit(_flag_pattern(s)), replacement=lit(""))
        if s.missing:
            cell = exp.If(this=exp.In(this=cell.copy(), expressions=[lit(mark) for mark in s.missing]), true=exp.Null(), false=cell)
        out.append(cell.as_(ident(c), copy=False))
    return out


def marked_cells(con: duckdb.DuckDBPyConnection, s: Source) -> tuple[dict[str, int], dict[str, int]]:
    """How many cells of the file held each of its marks of a missing value, and each
    of its flags (as written after the number: `ep` once, not `e` and `p`), counted
    over the rows as read (a CSV's, parsed once)."""
    if s.sdmx:
        return _sdmx_flags(con, s)
    if not (s.missing or s.flags):
        return {}, {}
    raw = exp.Table(this=ident(f"{INPUT_SCHEMA} {s.table}")) if formats.is_csv(s.path) and not s.sheets \
        else table(f"{s.table} (file)", INPUT_SCHEMA)
    types = column_types(con, raw, str(s.path))
    columns = [c for c in s.marked if types.get(c) == "VARCHAR"]
    if not columns:
        return {}, {}
    pattern = _flag_pattern(s) if s.flags else None
    bare = lambda c: exp.RegexpReplace(this=exp.Trim(this=col(c)), expression=lit(pattern), replacement=lit("")) \
        if pattern else exp.Trim(this=col(c))  # noqa: E731
    pairs = [(mark, c) for mark in s.missing for c in columns]
    counts = [exp.Sum(this=exp.Cast(this=exp.EQ(this=bare(c), expression=lit(mark)), to=exp.DataType.build("INT")))
              for mark, c in pairs]
    total: dict[str, int] = {}
    if counts:
        (found,) = con.execute(to_sql(select(*counts).from_(raw.copy(), copy=False), pretty=False)).fetchall()
        for (mark, _), n in zip(pairs, found):
            total[mark] = total.get(mark, 0) + int(n or 0)
    flagged: dict[str, int] = {}
    if pattern:
        token = "flag"
        tokens = exp.union(*[select(exp.RegexpExtract(this=exp.Trim(this=col(c)), expression=lit(pattern), group=lit(1))
                                    .as_(token)).from_(raw.copy(), copy=False) for c in columns], distinct=False) \
            if len(columns) > 1 else select(exp.RegexpExtract(this=exp.Trim(this=col(columns[0])), expression=lit(pattern),
                                                              group=lit(1)).as_(token)).from_(raw.copy(), copy=False)
        query = (select(col(token), exp.Count(this=exp.Star())).from_(exp.Subquery(this=tokens, alias=exp.TableAlias(this=ident("tokens"))), copy=False)
                 .where(exp.NEQ(this=col(token), expression=lit("")), copy=False).group_by(col(token), copy=False).order_by(col(token), copy=False))
        flagged = {str(f): int(n) for f, n in con.execute(to_sql(query, pretty=False)).fetchall()}
    return {mark: n for mark, n in total.items() if n}, flagged


def _sdmx_flags(con: duckdb.DuckDBPyConnection, s: Source) -> tuple[dict[str, int], dict[str, int]]:
    """An SDMX-CSV file's observations of the spec's variables by OBS_FLAG."""
    assert s.sdmx is not None
    view = table(s.table, INPUT_SCHEMA)
    dimension, variables = s.sdmx
    if m.Sdmx.FLAG not in column_types(con, view, str(s.path)):
        return {}, {}
    flag = exp.Trim(this=exp.Cast(this=col(m.Sdmx.FLAG), to=exp.DataType.build("VARCHAR")))
    query = (select(flag, exp.Count(this=exp.Star())).from_(view, copy=False)
             .where(exp.and_(exp.In(this=col(dimension), expressions=[lit(v) for v in variables]),
                             exp.NEQ(this=flag.copy(), expression=lit(""))), copy=False)
             .group_by(flag.copy(), copy=False).order_by(flag.copy(), copy=False))
    return {}, {str(f): int(n) for f, n in con.execute(to_sql(query, pretty=False)).fetchall()}


def column_types(con: duckdb.DuckDBPyConnection, rel: exp.Table, what: str) -> dict[str, str]:
    """The columns of `rel` and their DuckDB types, as read (no row is scanned)."""
    try:
        found = con.sql(to_sql(select(exp.Star()).from_(rel.copy(), copy=False).limit(0, copy=False), pretty=False))
    except duckdb.Error as err:
        raise IdxError(Diagnostic("error", f"cannot read {what}: {str(err).splitlines()[0]}")) from None
    return {name: str(kind) for name, kind in zip(found.columns, found.types)}


def _rows(values: list[int]) -> str:
    shown = ", ".join(str(v) for v in values[:5])
    return shown + (", ..." if len(values) > 5 else "")


def _found(bad: list[tuple], shown: Callable[[object], str] = repr, noun: str = "rows") -> str:  # type: ignore[type-arg]
    """The rows of a problem (row number, value), as a message names them: `lines 2, 7 ('n/a', '-')`."""
    return f"{noun} {_rows([r[0] for r in bad])} ({', '.join(shown(r[1]) for r in bad[:3])})"


_FLAGGED = re.compile(r"(?:[-+]?[\d.,]+|:)\s+([a-z]{1,3})")  # Eurostat's `12.3 p`, `: c`


def _marks_hint(t: m.TableInfo, bad: list[tuple]) -> str:  # type: ignore[type-arg]
    """What to do about text in a column of numbers: state it as a mark of a missing
    value when it looks like one (`..`, `n/a`, `:`: no digit in it), else empty it."""
    marks = list(dict.fromkeys(str(v).strip() for _, v in bad if v is not None and not re.search(r"\d", str(v))))
    flags = list(dict.fromkeys(f[1] for _, v in bad if v is not None and (f := _FLAGGED.fullmatch(str(v).strip()))))
    if flags and t.source and not marks:
        stated = ", ".join(f'"{flag}"' for flag in (*t.flags, *flags))
        return f"if {', '.join(repr(f) for f in flags)} flags the number before it, say so: from \"{Path(t.source).name}\" flags {stated}"
    if not marks or not t.source:
        return "leave a cell empty for a missing value"
    stated = ", ".join(f'"{mark}"' for mark in (*t.missing, *marks) if mark)
    return f"if {', '.join(repr(mark) for mark in marks)} marks a missing value, say so: from \"{Path(t.source).name}\" missing {stated}"


ROW = formats.ROW  # a row's place in the file, as DataChecker.place counts it, for messages


class DataChecker:
    """Each check is a query built as a tree; a cheap one first, and the rows of a
    problem (an ordered pass over the file) only when there is one to report."""

    def __init__(self, con: duckdb.DuckDBPyConnection, model: m.Model, sources: list[Source],
                 staged: Mapping[str, tuple[str, ...]] | None = None) -> None:
        self.con = con
        self.model = model
        self.sources = {s.table: s for s in sources}
        self.staged = staged or {}  # long tables the run checks in their stage, with the variables it holds
        self.problems: list[Diagnostic] = []

    def place(self, table_name: str) -> tuple[str, int]:
        """How a message names a row of the table's file, and the number of its first:
        a CSV's line (the header is line 1), a sheet's row as a spreadsheet shows it
        (the header is row 1), a JSON-lines file's line; else its row of data."""
        s = self.sources[table_name]
        if formats.is_csv(s.path):
            return "lines", (s.header or 1) + 1
        if formats.is_workbook(s.path) and not s.sheets:
            return "rows", 2
        if s.path.suffix.lower() in formats.JSON_LINES:
            return "lines", 1
        return "rows", 1

    def numbered(self, table_name: str) -> exp.Subquery:
        """The table's rows, each with its number in the file (place): a sheet's rows
        keep theirs (formats.sheet leaves out blank rows and notes)."""
        rel = table(table_name, INPUT_SCHEMA)
        if ROW in column_types(self.con, rel, "the data"):
            return exp.Subquery(this=select(exp.Star()).from_(rel, copy=False), alias=exp.TableAlias(this=ident("numbered")))
        return _numbered(rel, self.place(table_name)[1])

    def fail(self, table_name: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic("error", f"{self.sources[table_name].path} (table {table_name}): {message}", hint=hint))

    def q(self, query: exp.Expression) -> list[tuple]:  # type: ignore[type-arg]
        try:
            return self.con.execute(to_sql(query, pretty=False)).fetchall()
        except duckdb.Error as err:  # e.g. a JSON line that does not parse
            raise IdxError(Diagnostic("error", unreadable(err))) from None

    def check(self) -> None:
        for t in self.model.tables.values():
            if t.name in self.sources:
                self.check_table(t)
        if self.problems:
            raise IdxError(*self.problems)

    def check_table(self, t: m.TableInfo) -> None:
        rel = table(t.name, INPUT_SCHEMA)
        types = column_types(self.con, rel, "the data")
        types.pop(ROW, None)
        if not self.q(select(lit(1)).from_(rel.copy(), copy=False).limit(1, copy=False)):
            self.fail(t.name, "the file holds no rows, only its header" if types else "the file holds no rows")
            return
        missing = [c for c in t.raw_columns if c not in types]
        unlaid = _unlaid(t.layout, t.columns, missing, types) if isinstance(t.layout, m.Wide) else []
        for c in missing if not unlaid else [c for c in missing if c not in t.raw_values]:
            self.fail(t.name, f"column '{c}' is missing", did_you_mean(c, types) or f"columns: {', '.join(types)}")
        for message, hint in unlaid:
            self.fail(t.name, message, hint)
        if missing:
            return
        noun, _ = self.place(t.name)
        numbered = self.numbered(t.name)
        first_rows = lambda cond, *cols: (select(col(ROW), *cols).from_(numbered.copy(), copy=False).where(cond, copy=False)  # noqa: E731
                                          .order_by(col(ROW), copy=False).limit(6, copy=False))
        comma_file = any(not types[c].startswith(NUMERIC_TYPES) for c in t.raw_values) and self.read_with_decimal_comma(t.name)
        for c in t.raw_values:
            if not types[c].startswith(NUMERIC_TYPES):
                text = exp.and_(exp.Not(this=is_null(col(c))),
                                is_null(exp.TryCast(this=col(c), to=exp.DataType(this=exp.DataType.Type.DOUBLE))))
                if comma_file:  # such a number is not what is wrong in the column
                    comma = exp.Anonymous(this="regexp_full_match", expressions=[col(c), lit(formats.DECIMAL_COMMA)])
                    text = exp.and_(text, exp.Not(this=comma))
                bad = self.q(first_rows(text, exp.Cast(this=col(c), to=exp.DataType(this=exp.DataType.Type.VARCHAR))))
                if bad:
                    self.fail(t.name, f"column '{c}' has text where numbers belong: {_found(bad, noun=noun)}", _marks_hint(t, bad))
        self.check_infinite(t, rel, types, first_rows)
        if t.time and t.time in types:
            self.check_periods(t, types[t.time], first_rows)

        keys = [k for k in t.keys if k in types]
        if isinstance(t.layout, m.Long):
            if not set(t.columns) <= set(self.staged.get(t.name, ())):  # else asked of the stage (check_stage)
                self.check_variables(t, rel)
            keys.append(t.layout.variable)
        if keys:
            self.check_keys(t, rel, keys, first_rows)

    def check_infinite(self, t: m.TableInfo, rel: exp.Table, types: dict[str, str], first_rows) -> None:  # type: ignore[no-untyped-def]
        """No infinite number (a double, or text that reads as one: 'inf'); one pass over
        the file for every column, the rows only of a column that has one."""
        finite = self.finite_by_statistics(t.name)
        columns = [c for c in t.raw_values if not types[c].startswith(INTEGER_TYPES) and c not in finite]
        infinite = {c: exp.Anonymous(this="isinf", expressions=[
            exp.TryCast(this=col(c), to=exp.DataType(this=exp.DataType.Type.DOUBLE))]) for c in columns}
        if not columns:
            return
        found = self.q(select(*[exp.LogicalOr(this=f) for f in infinite.values()]).from_(rel.copy(), copy=False))[0]
        for c, has in zip(columns, found):
            if not has:
                continue
            bad = self.q(first_rows(infinite[c], exp.Cast(this=col(c), to=exp.DataType(this=exp.DataType.Type.VARCHAR))))
            self.fail(t.name, f"column '{c}' holds infinite values: {_found(bad, str, self.place(t.name)[0])}", "an infinite number has no place in an index; "
                      "leave the cell empty for a missing value (NaN is read as missing)")

    def finite_by_statistics(self, name: str) -> set[str]:
        """The columns of a Parquet file whose every row group states a finite minimum and
        maximum (a writer states none where a column holds NaN or an infinity): they need
        no scan for infinite values."""
        path = self.sources[name].path
        if not formats.is_parquet(path):
            return set()
        meta = exp.Table(this=exp.Anonymous(this="parquet_metadata", expressions=[lit(str(path))]))
        stated = [exp.Not(this=is_null(col(f"stats_{end}_value"))) for end in ("min", "max")]
        odd = [exp.In(this=exp.Lower(this=col(f"stats_{end}_value")), expressions=[lit(w) for w in
                      ("inf", "-inf", "infinity", "-infinity", "nan")]) for end in ("min", "max")]
        ok = exp.and_(*stated, exp.Not(this=exp.or_(*odd)))
        query = (select(col("path_in_schema")).from_(meta, copy=False).group_by(col("path_in_schema"), copy=False)
                 .having(exp.LogicalAnd(this=ok), copy=False))
        return {str(r[0]) for r in self.q(query)}

    def check_periods(self, t: m.TableInfo, kind: str, first_rows) -> None:  # type: ignore[no-untyped-def]
        """Years are whole numbers; quarters and months are labels (`2024Q1`, `2024-03`)
        or dates, each row's readable by calendar.to_number."""
        assert t.time is not None
        if t.calendar is Calendar.YEAR:
            if not kind.startswith(INTEGER_TYPES) and not self.check_whole_periods(t, kind, first_rows):
                self.fail(t.name, f"time axis '{t.time}' must hold whole periods (e.g. years), not {kind}",
                          "a quarterly or monthly axis says so: 'by quarter quarterly', 'by month monthly'")
            return
        if kind.startswith(NUMERIC_TYPES):
            self.fail(t.name, f"time axis '{t.time}' is {t.calendar.value}, but the file holds numbers ({kind})",
                      f"write each {t.calendar.noun} as {t.calendar.example()} or as a date")
            return
        text = exp.Cast(this=col(t.time), to=exp.DataType(this=exp.DataType.Type.VARCHAR))
        wrong = exp.Not(this=exp.Anonymous(this="regexp_full_match", expressions=[text, lit(FILE_LABELS[t.calendar])]))
        bad = self.q(first_rows(exp.and_(exp.Not(this=is_null(col(t.time))), wrong), text.copy()))
        if bad:
            self.fail(t.name, f"time axis '{t.time}' has values that are not {t.calendar.noun}s: {_found(bad, noun=self.place(t.name)[0])}",
                      f"write each {t.calendar.noun} as {t.calendar.example()} or as a date")

    def check_whole_periods(self, t: m.TableInfo, kind: str, first_rows) -> bool:  # type: ignore[no-untyped-def]
        """A year axis read as text because some rows are not whole numbers (`20x0`)
        while others are: those rows reported; False when none is whole (the axis is of
        another kind) or all are (the file typed them as text): the caller says so."""
        if kind != "VARCHAR":
            return False
        assert t.time is not None
        whole = exp.Anonymous(this="regexp_full_match", expressions=[col(t.time), lit(r"\s*[-+]?[0-9]+\s*")])
        if not self.q(select(lit(1)).from_(table(t.name, INPUT_SCHEMA), copy=False).where(whole, copy=False).limit(1, copy=False)):
            return False
        bad = self.q(first_rows(exp.and_(exp.Not(this=is_null(col(t.time))), exp.Not(this=whole.copy())), col(t.time)))
        if not bad:  # whole numbers, typed as text by the file (Parquet): its type is what is wrong
            return False
        self.fail(t.name, f"time axis '{t.time}' has values that are not whole periods (e.g. years): {_found(bad, noun=self.place(t.name)[0])}",
                  "write each period as a whole number; a quarterly or monthly axis says so: 'by quarter quarterly'")
        return True

    def read_with_decimal_comma(self, name: str) -> bool:
        """Whether register() found decimal commas in the table's file (the view that
        reads the file says so: the table's own, or for a CSV its `(file)` view)."""
        views = exp.Table(this=exp.Anonymous(this="duckdb_views"))
        query = select(col("sql")).from_(views, copy=False).where(exp.and_(
            exp.EQ(this=col("schema_name"), expression=lit(INPUT_SCHEMA)),
            exp.In(this=col("view_name"), expressions=[lit(name), lit(f"{name} (file)")])), copy=False)
        return any("decimal_separator" in str(r[0]) for r in self.q(query))

    def check_variables(self, t: m.TableInfo, rel: exp.Table) -> None:
        """A long file: every column the spec names is a variable in it."""
        assert t.layout is not None
        variable = col(t.layout.variable)
        found = [str(r[0]) for r in self.q(select(variable).from_(rel.copy(), copy=False).distinct()
                                           .where(exp.Not(this=is_null(variable.copy())), copy=False))]
        for c in t.columns:
            if c not in found:
                shown = ", ".join(sorted(found)[:8]) + (", ..." if len(found) > 8 else "")
                self.fail(t.name, f"variable '{c}' is not in column '{t.layout.variable}'",
                          did_you_mean(c, found) or f"variables: {shown}")

    def check_keys(self, t: m.TableInfo, rel: exp.Table, keys: list[str], first_rows) -> None:  # type: ignore[no-untyped-def]
        counts = [binary(exp.Sub, exp.Count(this=exp.Star()), exp.Count(this=col(k))) for k in keys]
        for k, n in zip(keys, self.q(select(*counts).from_(rel.copy(), copy=False))[0]):
            nulls = self.q(first_rows(is_null(col(k)))) if n else []
            if nulls:
                self.fail(t.name, f"key column '{k}' is empty in {self.place(t.name)[0]} {_rows([r[0] for r in nulls])}")
        self.check_attributes(t, rel, self.q)
        if t.name in self.staged:
            return
        if self.q(select(exp.Count(this=exp.Star())).from_(exp.Subquery(this=_repeated(t, rel, keys)), copy=False))[0][0]:
            self.report_repeats(t, keys)

    def report_repeats(self, t: m.TableInfo, keys: list[str]) -> None:
        """The keys held twice, with their rows: an ordered pass over the file, made only
        once a cheaper query has found one."""
        twice = exp.GT(this=exp.Count(this=exp.Star()), expression=lit(1))
        rows = exp.ArrayAgg(this=exp.Order(this=col(ROW), expressions=[exp.Ordered(this=col(ROW))]))
        noun, _ = self.place(t.name)
        dups = (select(*[col(k) for k in keys], rows).from_(self.numbered(t.name), copy=False)
                .group_by(*[col(k) for k in keys], copy=False)
                .having(twice, copy=False).order_by(*[col(k) for k in keys], copy=False).limit(5, copy=False))
        if isinstance(t.layout, m.Long):  # only the variables the spec reads
            dups = dups.where(exp.In(this=col(t.layout.variable), expressions=[lit(c) for c in t.columns]), copy=False)
        for *key, found in self.q(dups):
            named = ", ".join(f"{k}={v}" for k, v in zip(keys, key))
            self.fail(t.name, f"duplicate key {named} in {noun} {_rows(found)}", "each key must appear once")

    def check_attributes(self, t: m.TableInfo, rows: exp.Expression, query: Callable[[exp.Expression], list[tuple]]) -> None:  # type: ignore[type-arg]
        """Each entity has one value of each attribute (an empty cell is no value): the
        entities with two, and their values."""
        entity = col(t.entity or "")
        for a in t.attributes:
            values = exp.ArrayAgg(this=exp.Distinct(expressions=[exp.Cast(this=col(a), to=exp.DataType.build("VARCHAR"))]))
            varying = exp.GT(this=exp.Count(this=exp.Distinct(expressions=[col(a)])), expression=lit(1))
            found = query(select(entity, values).from_(rows.copy(), copy=False).group_by(entity.copy(), copy=False)
                          .having(varying, copy=False).order_by(entity.copy(), copy=False).limit(5, copy=False))
            if found:
                shown = "; ".join(f"{e}: {', '.join(repr(v) for v in sorted(vs))}" for e, vs in found)
                self.fail(t.name, f"attribute '{a}' is not constant for each {t.entity}: {shown}",
                          f"an attribute has one value per {t.entity}: correct the rows that differ")

    def check_stage(self, t: m.TableInfo, held: tuple[str, ...], stage: exp.Table,
                    query: Callable[[exp.Expression], list[tuple]]) -> None:  # type: ignore[type-arg]
        """A file laid out long, in the stage of its pivot (passes/share.py): a key that
        repeats a variable (the pivot's `repeated` column), then the rows of the file that
        do; a variable of `held` with no value, then whether the file has it at all; an
        attribute that varies. Grouping the pivot's rows costs a tenth of grouping the file's."""
        assert t.repeated is not None
        found = query(select(exp.LogicalOr(this=col(t.repeated)), *[exp.Count(this=col(c)) for c in held])
                      .from_(stage.copy(), copy=False))[0]
        if found[0]:
            self.report_repeats(t, [*(k for k in t.keys if k not in t.extra_keys), t.layout.variable])  # type: ignore[union-attr]
        if not all(found[1:]):  # a variable with no value may be one the file lacks
            self.check_variables(t, table(t.name, INPUT_SCHEMA))
        if self.problems:
            raise IdxError(*self.problems)


_UNCONVERTED = re.compile(r'Error when converting column "(.+?)"')


_FILE = re.compile(r"^\s*file = (.+)$", re.MULTILINE)


def _unlaid(wide: m.Wide, variables: tuple[str, ...], missing: list[str], types: Mapping[str, str]) -> list[tuple[str, str | None]]:
    """A wide file's missing columns, summarised: one message for each variable it has
    no column for at all (the closest of its variables suggested), one for the periods
    none of the spec's variables has a column for (its own periods given), where the
    column-by-column message would say 32 times that `le_2022` is missing."""
    laid = [found for c in types if (found := wide.parse(c, variables))]
    held = {v for v, _ in laid}
    out: list[tuple[str, str | None]] = []
    for v in variables:
        if v not in held:
            example = wide.column(v, wide.periods[0])
            out.append((f"the file has no column for variable '{v}' (no {wide.pattern.replace('{variable}', v)}, such as {example})",
                        did_you_mean(v, sorted(held)) or f"its variables: {', '.join(sorted(held)) or 'none by the pattern'}"))
    years = sorted({p for v, p in laid if v in variables})
    gone = [p for p in wide.periods if all(wide.column(v, p) in missing for v in variables if v in held)]
    if gone and any(v in held for v in variables):
        cut = [wide.column(v, p) for p in gone for v in variables if v in held]
        shown = ", ".join(cut[:3]) + (f", … {len(cut) - 3} more" if len(cut) > 3 else "")
        spans = _spans(years)
        out.append((f"the file has no column for {_spans(gone)} ({shown}): its periods are {spans}",
                    f'state them: wide("{wide.pattern}", {spans})' if years and "," not in spans else None))
    return out


def _spans(periods: list[int]) -> str:
    """1990..2009, 2012 as the spec would write it."""
    runs: list[list[int]] = []
    for p in sorted(periods):
        if runs and p == runs[-1][-1] + 1:
            runs[-1].append(p)
        else:
            runs.append([p])
    return ", ".join(f"{r[0]}..{r[-1]}" if len(r) > 1 else str(r[0]) for r in runs) or "none"


def unreadable(err: duckdb.Error) -> str:
    """DuckDB's reason for not reading a file, up to its advice (the reader's options
    left out), with the file it names: `cannot read r.csv: ... CSV Error on Line: 30002;
    Original Line: e9,2000,1.5,extra; Expected Number of Columns: 3 Found: 4`."""
    said = []
    for line in str(err).splitlines():
        if not line.strip() or line.startswith("Possible"):
            break
        said.append(line.strip())
    file = _FILE.search(str(err))
    return f"cannot read {file.group(1).strip() if file else 'the data'}: {'; '.join(said)}"


def _numbered(rel: exp.Table, first: int = 1) -> exp.Subquery:
    """The rows of a table numbered as the file holds them, the first `first`, for
    reporting them by number."""
    number = exp.Window(this=exp.RowNumber())
    place = number if first == 1 else exp.Add(this=number, expression=lit(first - 1))
    return exp.Subquery(this=select(place.as_(ROW, copy=False), exp.Star()).from_(rel.copy(), copy=False),
                        alias=exp.TableAlias(this=ident("numbered")))


def _repeated(t: m.TableInfo, rel: exp.Table, keys: list[str]) -> exp.Select:
    """A row per key held twice. In a long file, a key is an entity and period: held twice
    when one of the spec's variables appears twice for it (the others do not matter), as
    the pivot itself finds it (sqlgen._pivot's `repeated` column): one implementation."""
    if not isinstance(t.layout, m.Long):
        twice = exp.GT(this=exp.Count(this=exp.Star()), expression=lit(1))
        return select(lit(1)).from_(rel.copy(), copy=False).group_by(*[col(k) for k in keys], copy=False).having(twice, copy=False)
    assert t.repeated is not None
    return select(lit(1)).from_(input_rows(t), copy=False).where(col(t.repeated), copy=False)


def check_data(con: duckdb.DuckDBPyConnection, model: m.Model, sources: list[Source],
               staged: Mapping[str, tuple[str, ...]] | None = None) -> None:
    """Every check of the data files; the repeats and attributes of the long tables in
    `staged`, and their variables when the stage holds them all, are left to their stage
    (DataChecker.check_stage), which the run checks."""
    DataChecker(con, model, sources, staged).check()
