"""The one place that opens DuckDB: a connection set up for panels larger than memory,
with the spec's data files registered as views in schema `input`."""

from __future__ import annotations

import duckdb

from .data import Source, register
from .diagnostics import Diagnostic, IdxError


def connect(settings: dict[str, str | int] | None = None) -> duckdb.DuckDBPyConnection:
    """Every output is ORDER BY'd, so the engine need not keep insertion order;
    `settings` are DuckDB options such as memory_limit, threads and temp_directory
    (passed as config, never as SQL text)."""
    try:
        return duckdb.connect(config={"preserve_insertion_order": False, **(settings or {})})
    except duckdb.Error as err:
        raise IdxError(Diagnostic("error", f"DuckDB refused a setting: {str(err).splitlines()[0]}")) from None


def session(sources: list[Source], settings: dict[str, str | int] | None = None) -> duckdb.DuckDBPyConnection:
    con = connect(settings)
    register(con, sources)
    return con
