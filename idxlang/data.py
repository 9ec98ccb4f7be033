"""Panel files → DuckDB views in schema `input`, checked against the spec's tables.

A data problem is reported by column and by row (data rows counted from 1,
after the header), before any output is computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
from sqlglot import exp

from . import model as m
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .sql import INPUT_SCHEMA, ident, to_sql

NUMERIC_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER",
                 "UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE", "DECIMAL")
INTEGER_TYPES = NUMERIC_TYPES[:10]


@dataclass(frozen=True)
class Source:
    table: str
    path: Path


def resolve_sources(model: m.Model, data: list[str] | dict[str, str] | None) -> list[Source]:
    """Which file feeds which table: --data NAME=FILE, a bare FILE for a one-table
    spec, else the file the table names itself (relative to the spec)."""
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
        path = given.get(t.name) or t.source
        if path is None:
            raise IdxError(Diagnostic("error", f"no data for table {t.name}: pass --data {t.name}=FILE"))
        p = Path(path)
        if not p.exists():
            where = "named by the spec" if t.name not in given else "given with --data"
            raise IdxError(Diagnostic("error", f"data file for table {t.name} not found: {p} ({where})"))
        sources.append(Source(t.name, p))
    return sources


def _reader(path: Path) -> exp.Expression:
    suffix = path.suffix.lower()
    func = "read_parquet" if suffix in (".parquet", ".pq") else "read_csv"
    if suffix not in (".parquet", ".pq", ".csv", ".tsv", ".txt", ".gz"):
        raise IdxError(Diagnostic("error", f"{path}: unknown data format '{suffix}' (use .csv or .parquet)"))
    return exp.Anonymous(this=func, expressions=[exp.Literal.string(str(path))])


def register(con: duckdb.DuckDBPyConnection, sources: list[Source]) -> None:
    con.execute(f"CREATE SCHEMA IF NOT EXISTS {INPUT_SCHEMA}")
    for s in sources:
        view = exp.Create(this=exp.Table(this=ident(s.table), db=ident(INPUT_SCHEMA)), kind="VIEW", replace=True,
                          expression=exp.select("*").from_(exp.Table(this=_reader(s.path))))
        try:
            con.execute(to_sql(view, pretty=False))
        except duckdb.Error as err:
            raise IdxError(Diagnostic("error", f"cannot read {s.path}: {str(err).splitlines()[0]}")) from None


def qi(name: str) -> str:
    """A user's name as a quoted SQL identifier, escaped by sqlglot (never pasted raw)."""
    return ident(name).sql("duckdb")


def _rows(values: list[int]) -> str:
    shown = ", ".join(str(v) for v in values[:5])
    return shown + (", ..." if len(values) > 5 else "")


class DataChecker:
    def __init__(self, con: duckdb.DuckDBPyConnection, model: m.Model, sources: list[Source]) -> None:
        self.con = con
        self.model = model
        self.sources = {s.table: s for s in sources}
        self.problems: list[Diagnostic] = []

    def fail(self, table: str, message: str, hint: str | None = None) -> None:
        self.problems.append(Diagnostic("error", f"{self.sources[table].path} (table {table}): {message}", hint=hint))

    def q(self, sql: str) -> list[tuple]:
        try:
            return self.con.execute(sql).fetchall()
        except duckdb.Error as err:  # e.g. a CSV that does not parse
            raise IdxError(Diagnostic("error", f"cannot read the data: {str(err).splitlines()[0]}")) from None

    def check(self) -> None:
        for t in self.model.tables.values():
            self.check_table(t)
        if self.problems:
            raise IdxError(*self.problems)

    def check_table(self, t: m.TableInfo) -> None:
        rel = f"{qi(INPUT_SCHEMA)}.{qi(t.name)}"
        types = {name: typ for name, typ, *_ in self.q(f"DESCRIBE {rel}")}
        wanted = [*t.keys, *t.attributes, *t.columns]
        missing = [c for c in wanted if c not in types]
        for c in missing:
            self.fail(t.name, f"column '{c}' is missing", did_you_mean(c, types) or f"columns: {', '.join(types)}")
        if missing:
            return
        numbered = f"(SELECT row_number() OVER () AS _row, * FROM {rel})"
        for c in t.columns:
            if not types[c].startswith(NUMERIC_TYPES):
                bad = self.q(f"SELECT _row, CAST({qi(c)} AS VARCHAR) FROM {numbered} "
                             f"WHERE {qi(c)} IS NOT NULL AND TRY_CAST({qi(c)} AS DOUBLE) IS NULL ORDER BY _row LIMIT 6")
                if bad:
                    self.fail(t.name, f"column '{c}' has text where numbers belong: rows {_rows([r[0] for r in bad])}"
                              f" ({', '.join(repr(r[1]) for r in bad[:3])})",
                              "leave a cell empty for a missing value")
        if t.time and not types[t.time].startswith(INTEGER_TYPES):
            self.fail(t.name, f"time axis '{t.time}' must hold whole periods (e.g. years), not {types[t.time]}")
        keys = ", ".join(qi(k) for k in t.keys)
        if not t.keys:
            return
        # a cheap pass finds whether there is a problem; row numbers (an ordered
        # pass over the whole file) are computed only to report one
        empty = self.q(f"SELECT {', '.join(f'COUNT(*) - COUNT({qi(k)})' for k in t.keys)} FROM {rel}")[0]
        for k, n in zip(t.keys, empty):
            nulls = self.q(f"SELECT _row FROM {numbered} WHERE {qi(k)} IS NULL ORDER BY _row LIMIT 6") if n else []
            if nulls:
                self.fail(t.name, f"key column '{k}' is empty in rows {_rows([r[0] for r in nulls])}")
        repeated = self.q(f"SELECT COUNT(*) FROM (SELECT 1 FROM {rel} GROUP BY {keys} HAVING COUNT(*) > 1)")[0][0]
        dups = self.q(f"SELECT {keys}, list(_row ORDER BY _row) FROM {numbered} GROUP BY {keys} "
                      f"HAVING COUNT(*) > 1 ORDER BY {keys} LIMIT 5") if repeated else []
        for *key, rows in dups:
            named = ", ".join(f"{k}={v}" for k, v in zip(t.keys, key))
            self.fail(t.name, f"duplicate key {named} in rows {_rows(rows)}", "each key must appear once")
        for a in t.attributes:
            varying = self.q(f"SELECT {qi(t.entity or '')} FROM {rel} GROUP BY {qi(t.entity or '')} "
                             f"HAVING COUNT(DISTINCT {qi(a)}) > 1 ORDER BY 1 LIMIT 5")
            if varying:
                self.fail(t.name, f"attribute '{a}' changes over time for {', '.join(str(v[0]) for v in varying)}",
                          "an attribute must be constant for each entity")


def check_data(con: duckdb.DuckDBPyConnection, model: m.Model, sources: list[Source]) -> None:
    DataChecker(con, model, sources).check()
