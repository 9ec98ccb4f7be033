"""Where a run executes: DuckDB (default), PostgreSQL or Spark, behind one small
interface, so that `run.py` takes the same statements through any of them.

Every engine gets the spec's data the same way: the files are read and checked by
DuckDB where they lie (data/register.py, data/checks.py), then only the columns the spec uses are handed to
the engine as temporary tables; a table already in the engine is named with
`--table NAME=schema.table`. Nothing a run creates outlives its session.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

import sqlglot
from sqlglot import exp

from ..semantics import model as m
from ..sql.dialects import ENGINES, dialect
from ..diagnostics import Diagnostic, IdxError, did_you_mean
from ..sql.trees import INPUT_SCHEMA, as_double, case, col, ident, is_null, lit, select, table, to_sql

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from ..data.sources import Source


class Session(Protocol):
    name: str  # as messages name the engine

    @property
    def error(self) -> type[BaseException] | tuple[type[BaseException], ...]:
        """What the engine raises on a bad statement (read-only: each engine's own types)."""
        ...

    def execute(self, sql: str) -> None: ...
    def rows(self, sql: str) -> list[tuple]: ...
    def arrow(self, sql: str) -> "pa.Table": ...
    def relation(self, sql: str, con: "duckdb.DuckDBPyConnection", order: list[str]) -> "duckdb.DuckDBPyRelation": ...
    def close(self) -> None: ...


class Loading(Session, Protocol):
    """An engine the spec's data is copied into (PostgreSQL, Spark): DuckDB reads the files where they lie."""

    def load(self, con: "duckdb.DuckDBPyConnection", model: m.Model, sources: list["Source"]) -> dict[str, exp.Table]: ...


@runtime_checkable
class Keeping(Protocol):
    """An engine that keeps a shared step's rows itself (Spark: a view on a SQL text is
    analysed again at every read, a kept DataFrame once)."""

    def keep(self, name: str, sql: str) -> None: ...


@dataclass(frozen=True)
class Option:
    """A setting of one engine: `--NAME` on the command line (`_` as `-`), `NAME=` in
    Spec.run; `setting` names it among the settings of the DuckDB connection that reads
    the files, where it is one (memory_limit)."""

    name: str
    metavar: str
    help: str
    kind: type = str
    setting: str | None = None
    many: bool = False  # given again and again (`--spark-conf K=V --spark-conf K=V`): a list

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")


@dataclass(frozen=True)
class Engine:
    """An engine idxc runs on: its session's module (imported only when a run opens it:
    `new_session(options, sources, con)` there), its options, and whether `--table` can name
    a table already in it."""

    name: str
    module: str
    title: str  # as messages name it
    options: tuple[Option, ...] = ()
    holds_tables: bool = True


REGISTRY: dict[str, Engine] = {e.name: e for e in (
    Engine("duckdb", "duckdb", "DuckDB", (
        Option("memory_limit", "SIZE", "DuckDB memory limit, e.g. 2GB; larger work spills to disk", setting="memory_limit"),
        Option("threads", "N", "DuckDB worker threads (default: all cores)", int, setting="threads"),
        Option("temp_dir", "DIR", "where DuckDB spills when over the memory limit", setting="temp_directory")),
        holds_tables=False),
    Engine("postgres", "postgres", "PostgreSQL", (
        Option("dsn", "DSN", "PostgreSQL connection: 'host=... dbname=... user=...' or a URI"),)),
    Engine("spark", "spark", "Spark", (
        Option("spark_master", "URL", "Spark master (default local[*])"),
        Option("spark_conf", "KEY=VALUE", "a Spark setting for the session idxc starts (again for more)", many=True),
        Option("spark_driver_memory", "SIZE", "the Spark driver's memory, e.g. 4g (spark.driver.memory)"))),
)}


@dataclass(frozen=True)
class EngineOptions:
    """The engine a run takes and its options as given (by name, REGISTRY's); an option
    of another engine is refused, not ignored."""

    engine: str = "duckdb"
    given: Mapping[str, object] = field(default_factory=dict)
    tables: dict[str, str] = field(default_factory=dict)  # spec table -> schema.table already in the engine

    def __post_init__(self) -> None:
        engine = REGISTRY[check_engine(self.engine)]
        own = {o.name for o in engine.options}
        known = {o.name: o for e in REGISTRY.values() for o in e.options}
        for name in self.given:
            if name not in known:
                raise IdxError(Diagnostic("error", f"{name}=...: no engine takes it",
                                          hint=did_you_mean(name, known) or f"{engine.name} takes {', '.join(own) or 'none'}"))
            if name not in own:
                raise IdxError(Diagnostic("error", f"{known[name].flag} does not apply to --engine {self.engine}"))
        if self.tables and not engine.holds_tables:
            holders = " or ".join(e.title for e in REGISTRY.values() if e.holds_tables)
            raise IdxError(Diagnostic("error", f"--table names a table already in {holders}",
                                      hint=f"for {engine.title}, pass the file with --data NAME=FILE"))

    def get(self, name: str, default: object = None) -> object:
        return self.given.get(name, default)

    @property
    def settings(self) -> dict[str, str | int]:
        """The options that are settings of the DuckDB connection reading the files."""
        options = REGISTRY[self.engine].options
        return {o.setting: v for o in options if o.setting and isinstance(v := self.given.get(o.name), (str, int))}


def check_engine(name: str) -> str:
    if name not in ENGINES:
        raise IdxError(Diagnostic("error", f"--engine {name}: idxc runs on {', '.join(ENGINES)}",
                                  hint=did_you_mean(name, ENGINES)))
    return name


def engine_table(model: m.Model, name: str, qualified: str, engine: str) -> exp.Table:
    """`--table NAME=schema.table`: where the spec's table NAME already is in the engine."""
    if name not in model.tables:
        raise IdxError(Diagnostic("error", f"--table {name}=...: the spec has no table '{name}'",
                                  hint=did_you_mean(name, model.tables)))
    try:
        found = exp.to_table(qualified, dialect=dialect(engine).name)
    except sqlglot.errors.ParseError:
        found = None
    parts = [found.args.get(p) for p in ("catalog", "db", "this")] if isinstance(found, exp.Table) else [None]
    if not all(p is None or isinstance(p, exp.Identifier) for p in parts) or not isinstance(parts[-1], exp.Identifier):
        raise IdxError(Diagnostic("error", f"--table {name}={qualified}: write the engine's table as schema.table"))
    assert isinstance(found, exp.Table)
    for part in ("this", "db", "catalog"):  # quoted, so a name is never read as SQL
        if isinstance(found.args.get(part), exp.Identifier):
            found.set(part, ident(found.args[part].name))
    return found


def export(con: "duckdb.DuckDBPyConnection", t: m.TableInfo, path: Path, fmt: str) -> list[tuple[str, str]]:
    """Write the columns the spec uses of input table `t`, as laid out in the file and
    typed as the run reads them (numbers DOUBLE), to `path`; return (column, DuckDB type)."""
    numbers = t.raw_values
    cols = [as_double(col(c)).as_(ident(c), copy=False) if c in numbers else col(c) for c in t.raw_columns]
    query = to_sql(select(*cols).from_(table(t.name, INPUT_SCHEMA), copy=False), pretty=False)
    rel = con.sql(query)
    if fmt == "parquet":
        rel.write_parquet(str(path))
    else:
        rel.write_csv(str(path), header=True)
    return [(name, str(kind)) for name, kind in zip(rel.columns, rel.types)]


def relocate(tree: exp.Expr, places: dict[str, exp.Table]) -> exp.Expr:
    """The statement reading each input table where this engine has it."""
    if not places:
        return tree

    def move(node: exp.Expr) -> exp.Expr:
        if isinstance(node, exp.Table) and node.args.get("db") is not None and node.text("db") == INPUT_SCHEMA \
                and node.name in places:
            moved = places[node.name].copy()
            if node.alias:
                moved.set("alias", node.args["alias"].copy())
            return moved
        return node

    return tree.transform(move)


def open_session(options: EngineOptions, model: m.Model, sources: list["Source"],
                 con: "duckdb.DuckDBPyConnection") -> tuple[Session, dict[str, exp.Table]]:
    """A session on the chosen engine with the spec's data in it, and where each input
    table is (for `relocate`). `con` is the DuckDB connection that read and checked the files."""
    given = {name: engine_table(model, name, q, options.engine) for name, q in options.tables.items()}
    module = importlib.import_module(f".{REGISTRY[options.engine].module}", __package__)
    place: Loading = module.new_session(options, sources, con)
    try:
        check_tables(place, dialect(options.engine).name, model, given, options.tables)
        return place, {**place.load(con, model, [s for s in sources if s.table not in given]), **given}
    except BaseException:
        place.close()
        raise


def check_tables(place: Session, dialect_name: str, model: m.Model, given: dict[str, exp.Table],
                 shown: dict[str, str]) -> None:
    """The checks data/checks.py makes of a file, made of a table already in the engine: every
    column the spec reads is there, numbers are numbers, and each key is there once."""
    import pyarrow as pa

    problems = []
    for name, where in given.items():
        t, label = model.tables[name], f"--table {name}={shown[name]}"
        try:
            found = place.arrow(to_sql(select(exp.Star()).from_(where.copy(), copy=False).limit(0, copy=False),
                                       dialect_name, pretty=False)).schema
        except place.error as err:
            raise IdxError(Diagnostic("error", f"{label}: {place.name} cannot read it: {first_line(err)}")) from None
        missing = [c for c in t.raw_columns if c not in found.names]
        problems += [Diagnostic("error", f"{label}: column '{c}' is missing",
                                hint=did_you_mean(c, found.names) or f"columns: {', '.join(found.names)}") for c in missing]
        text = [c for c in t.raw_values if c in found.names and not pa.types.is_integer(found.field(c).type)
                and not pa.types.is_floating(found.field(c).type) and not pa.types.is_decimal(found.field(c).type)]
        problems += [Diagnostic("error", f"{label}: column '{c}' holds {found.field(c).type}, where numbers belong")
                     for c in text]
        if missing:
            continue
        keys = [col(k) for k in t.raw_columns if k in (*t.keys, *t.named)]
        twice = (select(*keys).from_(where.copy(), copy=False).group_by(*[k.copy() for k in keys], copy=False)
                 .having(exp.GT(this=exp.Count(this=exp.Star()), expression=lit(1)), copy=False).limit(5, copy=False))
        for row in place.rows(to_sql(twice, dialect_name, pretty=False)):
            named = ", ".join(f"{k.name}={v}" for k, v in zip(keys, row))
            problems.append(Diagnostic("error", f"{label}: duplicate key {named}", hint="each key must appear once"))
    if problems:
        raise IdxError(*problems)


def first_line(err: BaseException) -> str:
    """What the engine said, its first line: Spark's without Py4J's wrapper."""
    java = getattr(err, "java_exception", None)
    text = str(java.toString()) if java is not None else str(err)
    return (text.strip().splitlines() or [type(err).__name__])[0]


ROWS = "idx_engine_rows"  # DuckDB's view of the output being written: each is written before the next replaces it


def in_order(con: "duckdb.DuckDBPyConnection", source: exp.Expr, keys: list[str]) -> "duckdb.DuckDBPyRelation":
    """An output's rows as the writer takes them, whichever engine computed them: read
    by DuckDB from `source` and ORDER BY the output's keys, compared by DuckDB. DuckDB
    runs without preserve_insertion_order, so rows it reads from another engine (an
    Arrow table, Parquet files) would be written in whatever order its threads meet
    them unless the query orders them. Every column is written as one that may be
    missing: DuckDB marks a Parquet column required where its statistics say no value
    is missing, which depends on where the rows came from (an Arrow table never, a
    Spark file where Spark knew), so the same output's schema would differ by engine."""
    names = con.sql(to_sql(select(exp.Star()).from_(source.copy(), copy=False).limit(0, copy=False), pretty=False)).columns
    maybe = [case((is_null(col(n)), exp.Null()), default=col(n)).as_(ident(n), copy=False) for n in names]
    query = select(*maybe).from_(source, copy=False)
    if keys:  # an output without keys is one row
        query = query.order_by(*[col(k) for k in keys], copy=False)
    return con.sql(to_sql(query, pretty=False))


def input_name(table_name: str) -> str:
    """The temporary table an input is loaded into: apart from the steps' names."""
    return f"idx_input_{table_name}"


__all__ = ["EngineOptions", "Keeping", "Session", "check_engine", "check_tables", "first_line", "export", "in_order", "input_name", "open_session", "relocate"]
