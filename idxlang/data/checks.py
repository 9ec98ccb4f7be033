"""The data files checked against the spec's tables, each problem reported by column
and by row, as the file numbers its rows (a CSV's lines, a spreadsheet's rows, the
header included; DataChecker.numbered), before any output is computed."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Protocol

import duckdb
from sqlglot import exp

from . import formats
from ..diagnostics import Diagnostic, IdxError, did_you_mean
from ..semantics.calendar import FILE_LABELS, Calendar
from ..semantics import model as m
from ..sql.trees import INPUT_SCHEMA, binary, col, ident, is_null, lit, select, table, to_sql
from ..sql.dialects import DUCKDB
from .register import ROW, column_types, unreadable
from .sources import Source

NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
INTEGER_TYPES = NUMERIC_TYPES[:10]


def _rows(values: list[int]) -> str:
    shown = ", ".join(str(v) for v in values[:5])
    return shown + (", ..." if len(values) > 5 else "")


def _found(bad: list[tuple], shown: Callable[[object], str] = repr, noun: str = "rows") -> str:
    """The rows of a problem (row number, value), as a message names them: `lines 2, 7 ('n/a', '-')`."""
    return f"{noun} {_rows([r[0] for r in bad])} ({', '.join(shown(r[1]) for r in bad[:3])})"


_FLAGGED = re.compile(r"(?:[-+]?[\d.,]+|:)\s+([a-z]{1,3})")  # Eurostat's `12.3 p`, `: c`


def _marks_hint(t: m.TableInfo, bad: list[tuple]) -> str:
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


class _FirstRows(Protocol):
    """The first rows of a table's file where `cond` holds: their numbers, and `cols` (DataChecker.check_table)."""

    def __call__(self, cond: exp.Expr, *cols: exp.Expr) -> exp.Select: ...


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

    def noun(self, table_name: str) -> str:
        """What a message calls a row of the table's file (numbered): a CSV's or a
        JSON-lines file's lines, else rows."""
        s = self.sources[table_name]
        return "lines" if formats.is_csv(s.path) or s.path.suffix.lower() in formats.JSON_LINES else "rows"

    def numbered(self, table_name: str) -> exp.Subquery:
        """The table's rows, each with its number in the file: a CSV's line and a sheet's
        row as the file numbers them, kept in column ROW where the file was read (the
        header and the titles above it counted; register.py, formats.sheet); else its
        row of data from 1 (a JSON-lines file's line)."""
        rel = table(table_name, INPUT_SCHEMA)
        if ROW in column_types(self.con, rel, "the data"):
            return exp.Subquery(this=select(exp.Star()).from_(rel, copy=False), alias=exp.TableAlias(this=ident("numbered")))
        return _numbered(rel)

    def fail(self, table_name: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic("error", f"{self.sources[table_name].path} (table {table_name}): {message}", hint=hint))

    def q(self, query: exp.Expr) -> list[tuple]:
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
        unlaid = t.layout.missing(t, missing, types) if t.layout is not None and missing else []
        for c in missing if not unlaid else [c for c in missing if c not in t.raw_values]:
            self.fail(t.name, f"column '{c}' is missing", did_you_mean(c, types) or f"columns: {', '.join(types)}")
        for message, hint in unlaid:
            self.fail(t.name, message, hint)
        if missing:
            return
        noun = self.noun(t.name)
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

        keys = [*(k for k in t.file_keys if k in types), *t.named]
        if t.layout is not None and not set(t.columns) <= set(self.staged.get(t.name, ())):  # else asked of the stage (check_stage)
            t.layout.check(self, t, rel)
        if keys:
            self.check_keys(t, rel, keys, first_rows)

    def check_infinite(self, t: m.TableInfo, rel: exp.Table, types: dict[str, str], first_rows: _FirstRows) -> None:
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
            self.fail(t.name, f"column '{c}' holds infinite values: {_found(bad, str, self.noun(t.name))}", "an infinite number has no place in an index; "
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

    def check_periods(self, t: m.TableInfo, kind: str, first_rows: _FirstRows) -> None:
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
            self.fail(t.name, f"time axis '{t.time}' has values that are not {t.calendar.noun}s: {_found(bad, noun=self.noun(t.name))}",
                      f"write each {t.calendar.noun} as {t.calendar.example()} or as a date")

    def check_whole_periods(self, t: m.TableInfo, kind: str, first_rows: _FirstRows) -> bool:
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
        self.fail(t.name, f"time axis '{t.time}' has values that are not whole periods (e.g. years): {_found(bad, noun=self.noun(t.name))}",
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

    def check_keys(self, t: m.TableInfo, rel: exp.Table, keys: list[str], first_rows: _FirstRows) -> None:
        counts = [binary(exp.Sub, exp.Count(this=exp.Star()), exp.Count(this=col(k))) for k in keys]
        for k, n in zip(keys, self.q(select(*counts).from_(rel.copy(), copy=False))[0]):
            nulls = self.q(first_rows(is_null(col(k)))) if n else []
            if nulls:
                self.fail(t.name, f"key column '{k}' is empty in {self.noun(t.name)} {_rows([r[0] for r in nulls])}")
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
        noun = self.noun(t.name)
        dups = (select(*[col(k) for k in keys], rows).from_(self.numbered(t.name), copy=False)
                .group_by(*[col(k) for k in keys], copy=False)
                .having(twice, copy=False).order_by(*[col(k) for k in keys], copy=False).limit(5, copy=False))
        read = t.layout.read_rows(t.columns) if t.layout is not None else None
        if read is not None:  # only the variables the spec reads
            dups = dups.where(read, copy=False)
        for *key, found in self.q(dups):
            named = ", ".join(f"{k}={v}" for k, v in zip(keys, key))
            self.fail(t.name, f"duplicate key {named} in {noun} {_rows(found)}", "each key must appear once")

    def check_attributes(self, t: m.TableInfo, rows: exp.Expr, query: Callable[[exp.Expr], list[tuple]]) -> None:
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
                    query: Callable[[exp.Expr], list[tuple]]) -> None:
        """A pivoted (long) file, in the stage of its pivot (planning/passes/share.py): a key
        that repeats a variable (the pivot's `repeated` column), then the rows of the file
        that do; a variable of `held` with no value, then whether the file has it at all
        (the layout's own check); an attribute that varies. Grouping the pivot's rows
        costs a tenth of grouping the file's."""
        assert t.repeated is not None and t.layout is not None
        found = query(select(exp.LogicalOr(this=col(t.repeated)), *[exp.Count(this=col(c)) for c in held])
                      .from_(stage.copy(), copy=False))[0]
        if found[0]:
            self.report_repeats(t, [*(k for k in t.file_keys if k not in t.extra_keys), *t.named])
        if not all(found[1:]):  # a variable with no value may be one the file lacks
            t.layout.check(self, t, table(t.name, INPUT_SCHEMA))
        if self.problems:
            raise IdxError(*self.problems)


def _numbered(rel: exp.Table) -> exp.Subquery:
    """The rows of a table numbered as the file holds them, from 1, for reporting them
    by number."""
    return exp.Subquery(this=select(exp.Window(this=exp.RowNumber()).as_(ROW, copy=False), exp.Star()).from_(rel.copy(), copy=False),
                        alias=exp.TableAlias(this=ident("numbered")))


def _repeated(t: m.TableInfo, rel: exp.Table, keys: list[str]) -> exp.Select:
    """A row per key held twice. In a pivoted (long) file, a key is an entity and period:
    held twice when one of the spec's variables appears twice for it (the others do not
    matter), as the pivot itself finds it (layouts/long.py, the `repeated` column): one
    implementation."""
    if t.layout is None or t.repeated is None:
        twice = exp.GT(this=exp.Count(this=exp.Star()), expression=lit(1))
        return select(lit(1)).from_(rel.copy(), copy=False).group_by(*[col(k) for k in keys], copy=False).having(twice, copy=False)
    rows = t.layout.rows(t, t.columns, t.repeated, DUCKDB)
    return select(lit(1)).from_(rows, copy=False).where(col(t.repeated), copy=False)


def check_data(con: duckdb.DuckDBPyConnection, model: m.Model, sources: list[Source],
               staged: Mapping[str, tuple[str, ...]] | None = None) -> None:
    """Every check of the data files; the repeats and attributes of the long tables in
    `staged`, and their variables when the stage holds them all, are left to their stage
    (DataChecker.check_stage), which the run checks."""
    DataChecker(con, model, sources, staged).check()
