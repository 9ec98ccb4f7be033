"""Where a failing statement fails, in the spec's terms. An engine's error (a value out
of range, a text that is no number, two types it cannot compare) names a line of
generated SQL; the user wrote a definition, or gave a file. The statement's CTEs are
probed in order, one column at a time (the CTE's query with that column alone, under
the CTEs before it), and the first column that cannot be computed is named by what the
compiler kept on its node (sqlglot's `meta`, not the comment a reader sees): the line of
the definition it computes (placed with a caret), or the input table its CTE reads."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from sqlglot import exp

from ..semantics import model as m
from ..diagnostics import Diagnostic
from ..sql.trees import col, select, to_sql

MAX_PROBES = 400  # the error path only; a statement of more columns is named as a whole


@dataclass(frozen=True)
class Culprit:
    step: str  # the CTE
    column: str
    note: str  # the column's comment: a definition's spec line and text, or a doc string
    line: int  # the spec line of the definition the column computes (0: none)
    table: str | None  # the input table the CTE reads, where it reads one


def culprit(tree: exp.Expr, probe: Callable[[str], object], failed: type[BaseException] | tuple,
            dialect: str) -> Culprit | None:
    """The first column of the statement's CTEs whose value the engine cannot compute."""
    query = tree.expression if isinstance(tree, exp.Create) else tree
    with_ = query.args.get("with_") if isinstance(query, exp.Select) else None
    ctes = list(with_.expressions) if with_ else []
    probes = 0
    for i, cte in enumerate(ctes):
        if not isinstance(cte.this, exp.Select):
            continue
        for column in cte.this.expressions:
            if column.is_star or not column.alias_or_name or probes >= MAX_PROBES:
                continue
            probes += 1
            alone = cte.this.copy()  # the step with this column only: an engine binds every column it is given
            alone.set("expressions", [column.copy()])
            count = select(exp.Count(this=col(column.alias_or_name))).from_(alone.subquery("probe"), copy=False)
            if i:
                count.set("with_", exp.With(expressions=[c.copy() for c in ctes[:i]]))
            try:
                probe(to_sql(count, dialect, pretty=False))
            except failed:
                return Culprit(cte.alias, column.alias_or_name, " ".join(column.comments or []).strip(),
                               int(column.meta.get("line", 0)), cte.meta.get("table"))
    return None


def diagnose(found: Culprit, model: m.Model, engine: str, message: str, files: dict[str, Path]) -> Diagnostic:
    """The engine's message, placed where the spec or the data says the column comes from."""
    source = Path(model.path).read_text(encoding="utf-8") if Path(model.path).is_file() else None
    if found.line:  # a definition: `let growth = ...` on that line
        line = found.line
        d = next((d for d in model.all_definitions() if d.line == line and d.name == found.column), None) or \
            next((d for d in model.all_definitions() if d.line == line), None)
        what = d.text if d else found.note
        what = what if len(what) <= 120 else what[:117] + "..."
        return Diagnostic("error", f"{engine} cannot compute {what}: {message}", model.path, source,
                          d.span if d and source else None,
                          "what this definition reads does not suit it: a text compared with a number, a value "
                          "out of the engine's range, or data the checks were told to skip (--no-check)")
    table = found.table
    where = f"reading column '{found.column}' of table {table}" if table else f"computing '{found.column}'"
    if table in files:
        where += f" ({files[table]})"
    declared = model.tables[table].span if table is not None and table in model.tables and source else None  # the table, with a caret
    return Diagnostic("error", f"{engine} failed {where}: {message}", model.path if declared else None, source,
                      declared, hint="run the data checks (without --no-check) to see which rows hold what")


__all__ = ["Culprit", "culprit", "diagnose"]
