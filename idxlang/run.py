"""Run a compiled spec in DuckDB: register the data, check it, execute the statements
(shared definitions once, then each output, then the counts of skipped values)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from sqlglot import exp

from .semantics import model as m
from .planning import steps as s
from .ast import fill
from .compile import Compiled, Kind, Statement
from .data.checks import DataChecker, check_data
from .data.sources import Source
from .data.register import marked_cells
from .sql.dialects import dialect
from .diagnostics import Diagnostic, IdxError
from .engines import EngineOptions, Keeping, Session, first_line, open_session, relocate
from .engines.duckdb import session
from .engines.locate import culprit, diagnose
from .data.outputs import PARTIAL, Staged
from .engines.progress import Progress
from .sql.trees import table, to_sql

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
class Marked:
    """The cells of a table's file that held its marks of a missing value (`..`)."""

    table: str
    path: Path
    counts: dict[str, int]  # mark -> cells
    flags: dict[str, int] = field(default_factory=dict)  # flag, as written after the number -> cells

    def render(self) -> str:
        each = lambda found: ", ".join("%d '%s'" % (n, key) for key, n in found.items())  # noqa: E731
        said = [f"{sum(found.values())} {what} ({each(found)})"
                for what, found in (("cells", self.counts), ("cells flagged", self.flags)) if found]
        return f"table {self.table} ({self.path.name}): {'; '.join(said)}"


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
    marked: list[Marked] = field(default_factory=list)  # by table, those whose marks were found


def execute(compiled: Compiled, sources: list[Source], targets: dict[str, tuple[Path, str]] | None = None,
            check: bool = True,
            con: duckdb.DuckDBPyConnection | None = None, engine: EngineOptions | None = None,
            progress: bool = False) -> Result:
    """Run the compiled statements on the engine they were compiled for (DuckDB unless
    `engine` says otherwise); write the outputs in `targets` (path, format), return the
    rest as Arrow tables. The files are read and checked by DuckDB either way. With
    `progress`, a bar on stderr once the run takes a while (engines/progress.py)."""
    options = engine or EngineOptions()
    if dialect(options.engine) is not compiled.dialect:  # a caller's slip: the trees are one engine's
        raise IdxError(Diagnostic("error", f"compiled for {compiled.dialect.name}, asked to run on {options.engine}",
                                  hint=f"compile with spec.compile(dialect={options.engine!r})"))
    con = con or session(sources, options.settings)
    read = {s.table for s in sources}  # a table given in the engine (--table) is not checked
    checked = [st.checks for st in compiled.statements if check and st.checks and st.checks[0] in read]
    if check:
        check_data(con, compiled.model, sources, staged=dict(checked))
    marked = [Marked(s.table, s.path, *found) for s in sources if any(found := marked_cells(con, s))]
    place, places = open_session(options, compiled.model, sources, con)
    bar = Progress(len(compiled.statements), progress, getattr(place, "progress", None))
    staged = Staged(targets or {})
    try:
        result = Result(marked=marked)
        for st in compiled.statements:
            tree = relocate(st.tree, places)
            try:
                with bar.statement(st.name):
                    _statement(place, con, compiled, st, tree, staged, result)
                if st.checks in checked:  # the stage of a long file: its checks
                    rows = lambda q: place.rows(to_sql(q, compiled.dialect.name, pretty=False))  # noqa: E731
                    name, held = st.checks
                    assert st.step is not None  # a stage's statement names its step
                    DataChecker(con, compiled.model, sources).check_stage(compiled.model.tables[name], held, table(st.step), rows)
            except place.error as err:
                files = {s.table: s.path for s in sources}
                raise IdxError(_failure(place, compiled, st, tree, err, options, files)) from None
        result.skipped = _one_line_each(result.skipped, list(compiled.model.outputs))
        result.screened = _screened(place, places, compiled)
        staged.commit()  # every output written: all move into place
        return result
    finally:
        staged.discard()  # a failed or interrupted run changes no file
        bar.close()
        place.close()


def _statement(place: Session, con: duckdb.DuckDBPyConnection, compiled: Compiled, st: Statement,
               tree: exp.Expr, staged: Staged, result: Result) -> None:
    if st.kind is Kind.STAGE and isinstance(place, Keeping):  # Spark: kept as computed rows, not as SQL text
        if isinstance(tree, exp.Create):  # the view; the CACHE after it is what keep does
            assert st.step is not None  # a stage's statement names its step
            place.keep(st.step, to_sql(tree.expression, compiled.dialect.name, pretty=False))
        return
    sql = to_sql(tree, compiled.dialect.name, pretty=False)  # the engine needs no layout
    if st.kind is Kind.STAGE:
        place.execute(sql)
    elif st.kind is Kind.TALLY:
        result.skipped.extend(_skipped(compiled, st, place.rows(sql)))
    elif st.output in staged.targets:
        rel = place.relation(sql, con, list(compiled.model.outputs[st.output].keys))
        result.rows[st.output] = staged.write(con, rel, st.output)
        result.written[st.output] = staged.targets[st.output][0]
    else:
        assert st.output is not None  # an output's statement names its output
        table = place.arrow(sql)
        result.tables[st.output] = table
        result.rows[st.output] = table.num_rows


def _failure(place: Session, compiled: Compiled, st: Statement, tree: exp.Expr, err: BaseException,
             options: EngineOptions, files: dict[str, Path]) -> Diagnostic:
    """The engine's error where the spec or the data puts it (engines/locate.py), else by statement;
    running out of memory or disk is said so, with the options that give more."""
    short = _out_of(first_line(err), options)
    if short is not None:
        return short
    found = culprit(tree, place.rows, place.error, compiled.dialect.name)
    if found is not None:
        return diagnose(found, compiled.model, place.name, first_line(err), files)
    return Diagnostic("error", f"{place.name} failed on {st.name}: {first_line(err)}",
                      hint=f"inspect the queries with: idxc sql {compiled.model.path}"
                      f"{'' if options.engine == 'duckdb' else ' --dialect ' + compiled.dialect.name}")


def _out_of(message: str, options: EngineOptions) -> Diagnostic | None:
    disk = "No space left" in message or "max_temp_directory_size" in message or "temp directory" in message.lower()
    if not disk and "Out of Memory" not in message:
        return None
    limit = options.settings.get("memory_limit")
    if disk:
        where = "writing the outputs" if PARTIAL in message else "spilling to --temp-dir"
        return Diagnostic("error", f"a disk ran out of space {where}: {message}",
                          hint="free space there, or point --out or --temp-dir at a disk with room; "
                          "no output was changed")
    return Diagnostic("error", f"DuckDB ran out of memory{f' (--memory-limit {limit})' if limit else ''}: {message}",
                      hint=("raise --memory-limit" if limit else "set --memory-limit below the machine's memory") +
                      ", and give --temp-dir a folder with room so that DuckDB spills there instead")


def _skipped(compiled: Compiled, st: Statement, rows: list[tuple]) -> list[Skipped]:
    """The counts of one tally statement: per reduction (and per application of a
    stacked function, whose slot comes first), its cells and missing cells."""
    found = []
    for row in rows:
        slot, counts = (row[0], row[1:]) if compiled.plan.tallies[st.tallies[0]].slot_axis else (None, row)
        for k, i in enumerate(st.tallies):
            t: s.Tally = compiled.plan.tallies[i]
            label, line = t.label, t.line
            if t.slot_axis:  # the function applied there: its arguments in the label, its line
                info = compiled.core.stacks[t.slot_axis]
                assert slot is not None  # a stacked tally's rows begin with their slot
                label, line = fill(t.label, info.slots[slot]), info.lines.get(slot, t.line)
            # a count over no rows at all (a screen that keeps no entity) is none
            found.append(Skipped(t.outputs, label, line, int(counts[2 * k] or 0), int(counts[2 * k + 1] or 0)))
    return found


def _one_line_each(found: list[Skipped], outputs: list[str]) -> list[Skipped]:
    """The report by spec line, whatever order the engine planned: one line per
    reduction and count of cells, naming every output that shows it. A reduction two
    outputs reach over rows counted apart (another set of joins) is one line when the
    counts agree, as it is one reduction of the same cells to a reader."""
    merged: dict[tuple[int, str, int, int], set[str]] = {}
    for k in found:
        merged.setdefault((k.line, k.label, k.cells, k.missing), set()).update(k.outputs)
    return [Skipped(tuple(o for o in outputs if o in names), label, line, cells, missing)
            for (line, label, cells, missing), names in sorted(merged.items(), key=lambda kv: kv[0][:2])]


def _screened(place: Session, places: dict[str, exp.Table], compiled: Compiled) -> list[Dropped]:
    """The entities each screen drops, by name, with their availability (compiled in
    Compiled.screens); asked once the statements have run."""
    found = []
    for report in compiled.screens:
        for entity, share in place.rows(to_sql(relocate(report.tree, places), compiled.dialect.name, pretty=False)):
            found.append(Dropped(report.screen, str(entity), float(share)))
    return found
