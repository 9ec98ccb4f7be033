"""Run a spec's outputs in DuckDB: register the data, check it, execute each
output's statement, and count what the reductions skipped as missing."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pyarrow as pa

from . import model as m
from .data import Source, check_data, register
from .diagnostics import Diagnostic, IdxError
from .plan import Plan, plan
from .sqlgen import SqlBuilder, to_sql


@dataclass(frozen=True)
class Skipped:
    """Missing values one reduction skipped, over the cells it reduced."""

    output: str
    label: str
    line: int
    cells: int
    missing: int

    def render(self, spec: str) -> str:
        return f"{spec}:{self.line}: {self.label} skipped {self.missing} missing of {self.cells} (output {self.output})"


@dataclass
class Result:
    tables: dict[str, pa.Table] = field(default_factory=dict)
    written: dict[str, Path] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)


def _atomic_write(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path, fmt: str) -> int:
    """Write next to the target, then rename: a reader never sees half a file.
    Returns the rows written, read back from the file rather than by rerunning the query."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if fmt == "parquet":
            rel.write_parquet(tmp)
            rows = con.execute("SELECT COUNT(*) FROM read_parquet(?)", [tmp]).fetchall()[0][0]
        else:
            rel.write_csv(tmp)
            rows = con.execute("SELECT COUNT(*) FROM read_csv(?, header = true)", [tmp]).fetchall()[0][0]
        os.replace(tmp, path)
        return int(rows)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def connect(settings: dict[str, str | int] | None = None) -> duckdb.DuckDBPyConnection:
    """A DuckDB connection for panels larger than memory. Every output is ORDER BY'd,
    so the engine need not keep insertion order; `settings` are DuckDB options such as
    memory_limit, threads and temp_directory (passed as config, never as SQL text)."""
    try:
        return duckdb.connect(config={"preserve_insertion_order": False, **(settings or {})})
    except duckdb.Error as err:
        raise IdxError(Diagnostic("error", f"DuckDB refused a setting: {str(err).splitlines()[0]}")) from None


def execute(model: m.Model, sources: list[Source], outputs: list[str], targets: dict[str, tuple[Path, str]] | None = None,
            check: bool = True, settings: dict[str, str | int] | None = None) -> Result:
    """Run the named outputs; write those in `targets` (path, format), return the rest as Arrow."""
    con = connect(settings)
    register(con, sources)
    if check:
        check_data(con, model, sources)
    result = Result()
    for name in outputs:
        p = plan(model, name)
        builder = SqlBuilder(model, p)
        sql = to_sql(builder.statement(), pretty=False)  # the engine needs no layout
        try:
            rel = con.sql(sql)
            if targets and name in targets:
                path, fmt = targets[name]
                result.rows[name] = _atomic_write(con, rel, path, fmt)
                result.written[name] = path
            else:
                table = rel.to_arrow_table()
                result.tables[name] = table
                result.rows[name] = table.num_rows
            result.skipped.extend(_tallies(con, builder, p))
        except duckdb.Error as err:
            raise IdxError(Diagnostic("error", f"DuckDB failed on output {name}: {str(err).splitlines()[0]}",
                                      hint=f"inspect the query with: idxc sql {model.path} --output {name}")) from None
    return result


def _tallies(con: duckdb.DuckDBPyConnection, builder: SqlBuilder, p: Plan) -> list[Skipped]:
    query = builder.tallies()
    if query is None:
        return []
    found = []
    for index, cells, missing in con.sql(to_sql(query, pretty=False)).fetchall():
        t = p.tallies[index]
        found.append(Skipped(p.output.name, t.label, t.line, cells, missing))
    return found
