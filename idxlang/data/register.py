"""Panel files → DuckDB views in schema `input`, read as offices publish them: a CSV
parsed once, a workbook's table found in its sheets, the marks of a missing value and
the flags read; what its layout reads its own way asked of the layout (a workbook's
sheets stacked, a wide file's unpublished years given as missing, an SDMX file's
dimensions named as the spec names them: idxlang/layouts/). Checked next by checks.py."""

from __future__ import annotations

import re
from collections.abc import Mapping

import duckdb
from sqlglot import exp

from . import formats
from ..diagnostics import Diagnostic, IdxError
from ..sql.trees import INPUT_SCHEMA, col, ident, lit, select, table, to_sql
from .sources import Source

ROW = formats.ROW  # a row's place in the file (a CSV's line, a sheet's row), kept beside its cells for messages


def register(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    """Each file as a view in `input`, read as published: a legacy encoding through a
    UTF-8 copy, a decimal comma where the numbers have one (data/formats.py)."""
    con.execute(to_sql(exp.Create(this=exp.Table(this=ident(INPUT_SCHEMA)), kind="SCHEMA", exists=True), pretty=False))
    for s in sources:
        laid = s.layout.read(s, _SheetReader(con, s)) if s.layout is not None else None
        if laid is not None:  # read by its layout (sheets stacked)
            _view(con, s, laid)
            continue
        if formats.is_workbook(s.path):  # read by openpyxl, handed to DuckDB as Arrow
            _view(con, s, formats.sheet(con, s.path, s.part, f"{INPUT_SCHEMA}_{s.table}_sheet", s.columns, s.header))
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


class _SheetReader:
    """A workbook's sheets as its layout reads them (layouts/sheets.py)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, s: Source) -> None:
        self.con, self.source, self.workbook = con, s, formats.is_workbook(s.path)

    def sheet(self, name: str, suffix: str, header: tuple[str, ...]) -> exp.Expr:
        s = self.source
        return formats.sheet(self.con, s.path, name, f"{INPUT_SCHEMA}_{s.table}_sheet{suffix}", header, s.header, numbered=False)


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
    names = s.layout.renamed(s, types) if s.layout is not None else {}
    if names:  # its columns as the spec names them (an SDMX file's dimensions)
        rows = exp.Subquery(this=select(*[col(c).as_(ident(names.get(c, c)), copy=False) for c in types]).from_(rows, copy=False),
                            alias=exp.TableAlias(this=ident("sdmx")))
        create(exp.Star())
        types = column_types(con, table(s.table, INPUT_SCHEMA), str(s.path))
    if (s.missing or s.flags) and marks:  # the rows as read, for the count of the marks (marked_cells)
        con.execute(to_sql(exp.Create(this=table(f"{s.table} (file)", INPUT_SCHEMA), kind="VIEW", replace=True,
                                      expression=select(exp.Star()).from_(rows.copy(), copy=False)), pretty=False))
    filled = s.layout.unpublished(s, set(types)) if s.layout is not None else []
    whole = bool(s.columns) and set(s.columns) <= {*types, *filled}
    flag = s.layout.flag_column if s.layout is not None else None
    kept = [c for c in types if c in (*s.columns, formats.ROW, flag)] if whole else list(types)
    floats = [c for c in kept if types[c] in ("DOUBLE", "FLOAT")]
    replaced = {e.alias: e for e in [exp.If(this=exp.IsNan(this=col(c)), true=exp.Null(), false=col(c)).as_(ident(c), copy=False)
                                     for c in floats] + (_marks(s, types) if marks else []) if e.alias in kept}
    nulls = [exp.Cast(this=exp.Null(), to=exp.DataType.build("DOUBLE")).as_(ident(c), copy=False) for c in filled]
    if len(kept) < len(types):
        create(*[replaced.get(c, col(c)) for c in kept], *nulls)
    elif replaced or nulls:
        create(exp.Star(replace=list(replaced.values())) if replaced else exp.Star(), *nulls)


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
    if s.layout is not None and s.layout.flag_column:
        return {}, _column_flags(con, s, s.layout.flag_column)
    if not (s.missing or s.flags):
        return {}, {}
    raw = exp.Table(this=ident(f"{INPUT_SCHEMA} {s.table}")) if formats.is_csv(s.path) \
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


def _column_flags(con: duckdb.DuckDBPyConnection, s: Source, column: str) -> dict[str, int]:
    """A file's rows of the spec's variables by the flag in their column of flags (an
    SDMX file's OBS_FLAG)."""
    view = table(s.table, INPUT_SCHEMA)
    if column not in column_types(con, view, str(s.path)):
        return {}
    flag = exp.Trim(this=exp.Cast(this=col(column), to=exp.DataType.build("VARCHAR")))
    read = s.layout.read_rows(s.variables) if s.layout is not None else None
    query = (select(flag, exp.Count(this=exp.Star())).from_(view, copy=False)
             .where(exp.and_(*([read] if read is not None else []), exp.NEQ(this=flag.copy(), expression=lit(""))), copy=False)
             .group_by(flag.copy(), copy=False).order_by(flag.copy(), copy=False))
    return {str(f): int(n) for f, n in con.execute(to_sql(query, pretty=False)).fetchall()}


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
