"""Run a compiled spec in DuckDB: register the data, check it, execute the statements
(shared definitions once, then each output, then the counts of skipped values)."""

from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from sqlglot import exp

from . import model as m
from . import steps as s
from .ast import fill
from .compile import Compiled, Kind, Statement
from .data import Source, check_data
from .diagnostics import Diagnostic, IdxError
from .engine import session
from .sql import col, lit, select, to_sql
from .sqlgen import screened

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


@dataclass(frozen=True)
class Dropped:
    """An entity a screen left out, with its availability."""

    screen: m.Screen
    entity: str
    availability: float


@dataclass
class Result:
    tables: dict[str, "pa.Table"] = field(default_factory=dict)
    written: dict[str, Path] = field(default_factory=dict)
    skipped: list[Skipped] = field(default_factory=list)
    rows: dict[str, int] = field(default_factory=dict)
    screened: list[Dropped] = field(default_factory=list)


def atomic_write(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path, fmt: str) -> int:
    """Write next to the target, then rename: a reader never sees half a file.
    Returns the rows written, read back from the file rather than by rerunning the query."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        if fmt == "parquet":
            rel.write_parquet(tmp)
        else:
            rel.write_csv(tmp)
        header = exp.EQ(this=exp.column("header"), expression=exp.true())
        reader = exp.Anonymous(this="read_parquet", expressions=[lit(tmp)]) if fmt == "parquet" else \
            exp.ReadCSV(this=lit(tmp), expressions=[header])
        rows = con.execute(to_sql(select(exp.Count(this=exp.Star())).from_(exp.Table(this=reader), copy=False), pretty=False))
        os.replace(tmp, path)
        return int(rows.fetchall()[0][0])
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def execute(compiled: Compiled, sources: list[Source], targets: dict[str, tuple[Path, str]] | None = None,
            check: bool = True, settings: dict[str, str | int] | None = None,
            con: duckdb.DuckDBPyConnection | None = None) -> Result:
    """Run the compiled statements; write the outputs in `targets` (path, format), return
    the rest as Arrow tables."""
    con = con or session(sources, settings)
    if check:
        check_data(con, compiled.model, sources)
    result = Result(screened=_screened(con, compiled.model))
    for st in [*compiled.setup(), *compiled.statements]:
        try:
            _statement(con, compiled, st, targets or {}, result)
        except duckdb.Error as err:
            raise IdxError(Diagnostic("error", f"DuckDB failed on {st.label.split(':')[0]}: {str(err).splitlines()[0]}",
                                      hint=f"inspect the queries with: idxc sql {compiled.model.path}")) from None
    return result


def _statement(con: duckdb.DuckDBPyConnection, compiled: Compiled, st: Statement,
               targets: dict[str, tuple[Path, str]], result: Result) -> None:
    sql = to_sql(st.tree, pretty=False)  # the engine needs no layout
    if st.kind is Kind.STAGE:
        con.execute(sql)
    elif st.kind is Kind.TALLY:
        result.skipped.extend(_skipped(compiled, st, con.execute(sql).fetchall()))
    elif st.output in targets:
        path, fmt = targets[st.output]  # type: ignore[index]
        result.rows[st.output] = atomic_write(con, con.sql(sql), path, fmt)  # type: ignore[index]
        result.written[st.output] = path  # type: ignore[index]
    else:
        table = con.sql(sql).to_arrow_table()
        result.tables[st.output] = table  # type: ignore[index]
        result.rows[st.output] = table.num_rows  # type: ignore[index]


def _skipped(compiled: Compiled, st: Statement, rows: list[tuple]) -> list[Skipped]:  # type: ignore[type-arg]
    """The counts of one tally statement: per reduction (and per application of a
    stacked function, whose slot comes first), its cells and missing cells."""
    found = []
    for row in rows:
        slot, counts = (row[0], row[1:]) if compiled.plan.tallies[st.tallies[0]].slot_axis else (None, row)
        for k, i in enumerate(st.tallies):
            t: s.Tally = compiled.plan.tallies[i]
            label = fill(t.label, compiled.core.stacks[t.slot_axis].slots[slot]) if t.slot_axis else t.label
            found.append(Skipped(t.outputs, label, t.line, int(counts[2 * k]), int(counts[2 * k + 1])))
    return found


def _screened(con: duckdb.DuckDBPyConnection, model: m.Model) -> list[Dropped]:
    """The entities each screen drops, by name, with their availability."""
    found = []
    for screen in model.screens.values():
        dropped = screened(screen, kept=False).order_by(col(screen.entity), copy=False)
        for entity, share in con.execute(to_sql(dropped, pretty=False)).fetchall():
            found.append(Dropped(screen, str(entity), float(share)))
    return found
