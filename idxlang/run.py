"""Run a spec in DuckDB: register the data, check it, execute the run script (shared
definitions once, then each output), and count what the reductions skipped as missing."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from . import model as m
from .data import Source, check_data, register
from .diagnostics import Diagnostic, IdxError
from .share import run_plan
from .sqlgen import Query, col, schema_for, screened, script, to_sql

if TYPE_CHECKING:  # pyarrow loads only when a result is returned as a table, not when written to a file
    import pyarrow as pa


@dataclass(frozen=True)
class Skipped:
    """Missing values one reduction skipped, over the cells it reduced."""

    outputs: tuple[str, ...]  # several when the reduction is in a definition they share
    label: str
    line: int
    cells: int
    missing: int

    def render(self, spec: str) -> str:
        which = f"output{'s' if len(self.outputs) > 1 else ''} {', '.join(self.outputs)}"
        return f"{spec}:{self.line}: {self.label} skipped {self.missing} missing of {self.cells} ({which})"


@dataclass
class Result:
    tables: dict[str, "pa.Table"] = field(default_factory=dict)
    written: dict[str, Path] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    screened: list[tuple[m.Screen, str, float]] = field(default_factory=list)  # screen, entity, availability


def atomic_write(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path, fmt: str) -> int:
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
            check: bool = True, settings: dict[str, str | int] | None = None, share: bool = True) -> Result:
    """Run the named outputs; write those in `targets` (path, format), return the rest as Arrow.
    Definitions several queries need are computed once, into schema `shared` (share.py)."""
    con = connect(settings)
    register(con, sources)
    if check:
        check_data(con, model, sources)
    result = Result(screened=_screened(con, model))
    run = run_plan(model, outputs, share)
    schema = schema_for(run)
    if schema is not None:
        con.execute(to_sql(schema, pretty=False))
    for query in script(run):
        try:
            sql = to_sql(query.tree, pretty=False)  # the engine needs no layout
            name = query.output
            if name is None:
                con.execute(sql)
            elif targets and name in targets:
                path, fmt = targets[name]
                result.rows[name] = atomic_write(con, con.sql(sql), path, fmt)
                result.written[name] = path
            else:
                table = con.sql(sql).to_arrow_table()
                result.tables[name] = table
                result.rows[name] = table.num_rows
            result.skipped.extend(_tallies(con, query))
        except duckdb.Error as err:
            which = query.label.split(":")[0]
            raise IdxError(Diagnostic("error", f"DuckDB failed on {which}: {str(err).splitlines()[0]}",
                                      hint=f"inspect the queries with: idxc sql {model.path}")) from None
    return result


def _screened(con: duckdb.DuckDBPyConnection, model: m.Model) -> list[tuple[m.Screen, str, float]]:
    """The entities each screen drops, by name, with their availability."""
    found = []
    for screen in model.screens.values():
        dropped = screened(screen, kept=False).order_by(col(screen.entity))
        for entity, share in con.execute(to_sql(dropped, pretty=False)).fetchall():
            found.append((screen, str(entity), float(share)))
    return found


def _tallies(con: duckdb.DuckDBPyConnection, query: Query) -> list[Skipped]:
    counts = query.builder.tallies()
    if counts is None:
        return []
    cur = con.execute(to_sql(counts, pretty=False))
    (row,) = cur.fetchall()  # one row of counts
    got = dict(zip([d[0] for d in cur.description], row))
    return [Skipped(query.reports_for, t.label, t.line, int(got[f"cells_{i}"]), int(got[f"missing_{i}"]))
            for i, t in enumerate(query.builder.plan.tallies)]
