"""The one place that opens DuckDB: a connection set up for panels larger than memory,
with the spec's data files registered as views in schema `input`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import duckdb

from ..data.sources import Source
from ..data.register import register
from ..diagnostics import Diagnostic, IdxError
from ..sql.trees import table
from . import ROWS, in_order

if TYPE_CHECKING:
    import pyarrow as pa
    from sqlglot import exp

    from . import EngineOptions


def connect(settings: dict[str, str | int] | None = None) -> duckdb.DuckDBPyConnection:
    """Every output is ORDER BY'd, so the engine need not keep insertion order;
    `settings` are DuckDB options such as memory_limit, threads and temp_directory
    (passed as config, never as SQL text)."""
    try:
        con = duckdb.connect(config={"preserve_insertion_order": False, **(settings or {})})
    except duckdb.Error as err:
        raise IdxError(Diagnostic("error", f"DuckDB refused a setting: {str(err).splitlines()[0]}")) from None
    con.execute("SET enable_progress_bar = true")  # measured, for idxc's own bar (engines/progress.py) ...
    con.execute("SET enable_progress_bar_print = false")  # ... never printed into the outputs on stdout
    con.execute("SET max_expression_depth TO 20000")  # a spec may nest 500 operators (parse.MAX_DEPTH); SQL doubles it
    return con


def session(sources: list[Source], settings: dict[str, str | int] | None = None) -> duckdb.DuckDBPyConnection:
    con = connect(settings)
    register(con, sources)
    return con


def new_session(options: "EngineOptions", sources: list[Source], con: duckdb.DuckDBPyConnection) -> "DuckDBSession":
    """The session of a run on DuckDB: the connection that read and checked the files."""
    return DuckDBSession(sources, con=con)


class DuckDBSession:
    """The default engine: the files are read where they lie, as views in `input`."""

    name = "DuckDB"

    def __init__(self, sources: list[Source], settings: dict[str, str | int] | None = None,
                 con: duckdb.DuckDBPyConnection | None = None) -> None:
        self.con = con or session(sources, settings)
        self.error = duckdb.Error

    def load(self, con: duckdb.DuckDBPyConnection, model: object, sources: list[Source]) -> dict[str, "exp.Table"]:
        """Nothing to copy: the statements read the files' views where they are."""
        return {}

    def execute(self, sql: str) -> None:
        self.con.execute(sql)

    def rows(self, sql: str) -> list[tuple]:
        return self.con.execute(sql).fetchall()

    def progress(self) -> float:
        """How far the running query is, 0 to 100 (-1 when none runs)."""
        return float(self.con.query_progress())

    def arrow(self, sql: str) -> "pa.Table":
        return self.con.sql(sql).to_arrow_table()

    def relation(self, sql: str, con: duckdb.DuckDBPyConnection, order: list[str]) -> duckdb.DuckDBPyRelation:
        """An output streamed to its file without passing through memory, through the
        writer's one query (engines.in_order) as every engine's is."""
        self.con.sql(sql).create_view(ROWS, replace=True)
        return in_order(self.con, table(ROWS), order)

    def close(self) -> None:
        """The caller's connection stays open; temporary tables go with it."""
