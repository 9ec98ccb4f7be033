"""Panel files → DuckDB views in schema `input`, read as offices publish them: a CSV
parsed once, a workbook's table found in its sheets, the marks of a missing value and
the flags read, a wide file's unpublished years given as missing, an SDMX file's
dimensions named as the spec names them. Checked next by checks.py."""

from __future__ import annotations

import re
from collections.abc import Mapping

import duckdb
from sqlglot import exp

from . import formats
from ..diagnostics import Diagnostic, IdxError
from ..semantics import model as m
from ..sql.trees import INPUT_SCHEMA, col, ident, lit, select, table, to_sql
from .sources import Source

ROW = formats.ROW  # a row's place in the file (a CSV's line, a sheet's row), kept beside its cells for messages


def register(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Each file as a view in `input`, read as published: a legacy encoding through a
    UTF-8 copy, a decimal comma where the numbers have one (data/formats.py)."""
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


def _parsed_once(con: duckdb.DuckDBPyConnection, s: Source, reader: exp.Expr, text: tuple[str, ...], skip: int = 0) -> None:
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


def _stacked_sheets(con: duckdb.DuckDBPyConnection, s: Source) -> exp.Expr:
    """A workbook's sheets, one per period, stacked in SQL with the period as the time
    axis: `SELECT 2021 AS "year", * FROM <sheet 2021> UNION ALL BY NAME ...`."""
    if not formats.is_workbook(s.path):
        raise IdxError(Diagnostic("error", f"table {s.table}: sheets(...) reads a workbook (.xlsx), not {s.path.name}"))
    assert s.time is not None
    parts = [select(lit(period).as_(ident(s.time), copy=False), exp.Star())
             .from_(formats.sheet(con, s.path, name, f"{INPUT_SCHEMA}_{s.table}_sheet_{period}", _header_columns(s),
                                  s.header, numbered=False), copy=False)
             for name, period in s.sheets]
    stacked: exp.Query = parts[0]
    for part in parts[1:]:
        stacked = exp.Union(this=stacked, expression=part, distinct=False, by_name=True)
    return exp.Subquery(this=stacked)


def _view(con: duckdb.DuckDBPyConnection, s: Source, reader: exp.Expr, marks: bool = True) -> None:
    """The file as its view in `input`, of the columns the spec reads when the file has
    them all (a 1,000-column file is then copied and checked for 34; else all, for the
    checks to name what is missing beside what is there); a NaN in a column of doubles
    (as pandas writes a missing value) read as missing there, once for every engine and
    check, and so is a cell holding one of the table's marks of a missing value (`..`),
    with `marks`. (The SQL's own `NULLIF(x, 'NaN')` is not enough on DuckDB: from a
    Parquet file's statistics, which leave NaN out, it finds the comparison never true
    and drops it.)"""
    rows = reader if isinstance(reader, exp.Subquery) else exp.Table(this=reader)

    def create(*columns: exp.Expr) -> None:
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


def _unflagged(s: Source, column: str) -> exp.Expr:
    """A cell trimmed, and without its flags when the table states some (`12.3 p` is 12.3)."""
    cell: exp.Expr = exp.Trim(this=col(column))
    return exp.RegexpReplace(this=cell, expression=lit(_flag_pattern(s)), replacement=lit("")) if s.flags else cell


def _marks(s: Source, types: Mapping[str, str]) -> list[exp.Expr]:
    """Each text column a mark may be in, its flags cut off (_unflagged) and its marks
    read as missing (`'..'`, `' .. '`, `': c'`)."""
    if not (s.missing or s.flags):
        return []
    out = []
    for c in s.marked:
        if types.get(c) != "VARCHAR":
            continue
        cell = _unflagged(s, c)
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
    pairs = [(mark, c) for mark in s.missing for c in columns]
    counts = [exp.Sum(this=exp.Cast(this=exp.EQ(this=_unflagged(s, c), expression=lit(mark)), to=exp.DataType.build("INT")))
              for mark, c in pairs]
    total: dict[str, int] = {}
    if counts:
        (found,) = con.execute(to_sql(select(*counts).from_(raw.copy(), copy=False), pretty=False)).fetchall()
        for (mark, _), n in zip(pairs, found):
            total[mark] = total.get(mark, 0) + int(n or 0)
    flagged: dict[str, int] = {}
    if s.flags:
        token = "flag"
        each = [select(exp.RegexpExtract(this=exp.Trim(this=col(c)), expression=lit(_flag_pattern(s)), group=lit(1))
                       .as_(token)).from_(raw.copy(), copy=False) for c in columns]
        tokens = exp.union(*each, distinct=False) if len(each) > 1 else each[0]
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


_UNCONVERTED = re.compile(r'Error when converting column "(.+?)"')


_FILE = re.compile(r"^\s*file = (.+)$", re.MULTILINE)


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
