"""The compiler, stage by stage; the one place the stages are chained.

    source ─parse→ AST ─check→ model ─lower→ core model ─stack→ ─plan→ plan ─passes→ ─sqlgen→ script

Their callers never assemble stages themselves: `api.py` (and through it the
command line and the tools), `tools/sensitivity.py` (a model with draws), `cli.py` (the
syntax tree for `idxc debug ast`), `tools/decompose.py` and `tools/lsp.py` (checks alone),
`tools/debug.py` (`idxc debug ast|model|core|plan|sql` prints a stage); `run.py` executes
what they return (`Compiled`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from enum import Enum
from pathlib import Path
from typing import Any

from sqlglot import exp

from .semantics import model as m
from .planning import steps as s
from .ast import Module
from .ast import fill
from .check import check
from .diagnostics import IdxError
from .planning.draws import with_draws
from .planning.lower import lower
from .parse import parse, parse_file
from .planning.passes import PASSES
from .planning.passes.reads import referenced
from .planning.passes.trim import trimmed
from .plan import plan
from .sql.dialects import DUCKDB, Dialect, Staging
from .planning.passes.share import checked as checked_stage
from .sql.trees import INPUT_SCHEMA, col, ident, looked_up, rewritten, select, set_with, table, to_sql
from .sqlgen import column_kinds, ctes, final, input_rows, screened, tally_queries
from .planning.stack import stack


class Kind(Enum):
    STAGE = "stage"  # computes a table later statements read
    OUTPUT = "output"  # returns an output's rows
    TALLY = "tally"  # counts what reductions skipped


@dataclass(frozen=True)
class Statement:
    label: str  # what it computes, printed above it in the script
    tree: exp.Expr
    kind: Kind
    output: str | None = None
    tallies: tuple[int, ...] = ()  # a TALLY statement's tallies (Plan.tallies), in its columns' order
    step: str | None = None  # a STAGE statement's step, kept under this name
    name: str = ""  # what a progress bar and a message call it: `output scores`, `shared score`
    checks: tuple[str, tuple[str, ...]] | None = None  # a stage of a long file's pivot: its table and the variables it holds, checked there


@dataclass(frozen=True)
class ScreenReport:
    """The query naming the entities a screen drops, with their availability: run once
    the statements have, on the same engine."""

    screen: m.Screen
    tree: exp.Expr


@dataclass(frozen=True)
class Compiled:
    model: m.Model  # as checked
    core: m.Model  # lowered and stacked: what was planned
    plan: s.Plan  # after the passes
    statements: tuple[Statement, ...]
    dialect: Dialect = DUCKDB  # the engine the statements were written for
    screens: tuple[ScreenReport, ...] = ()  # run after the statements

    def sql(self, pretty: bool = True) -> str:
        """The script: what it computes and its params with their docs, then each
        statement under its label (a stage's several statements once)."""
        parts, last = [self.header()], None
        for st in self.statements:
            try:
                text = to_sql(st.tree, self.dialect.name, pretty)
            except IdxError as err:  # which statement: the message alone names no output
                raise IdxError(*[replace(d, message=f"{st.label.split(':')[0]}: {d.message}") for d in err.diagnostics]) from None
            parts.append(text + ";" if st.label == last else f"-- {st.label}\n{text};")
            last = st.label
        return "\n\n".join(parts)

    def header(self) -> str:
        """The index, its spec and its params (with their docs), as SQL comments."""
        m_ = self.model
        lines = [f"{m_.name}" + (f": {m_.title}" if m_.title else "") + f" ({Path(m_.path).name}, {self.dialect.name})"]
        lines += [f"param {p.name} = {p.value:g}" + (f'  "{p.doc}"' if p.doc else "") for p in m_.params.values()]
        return "\n".join("-- " + " ".join(line.split()) for line in lines)  # one line each, whatever the text held


def load_module(path: str | Path | None = None, text: str | None = None) -> Module:
    """The syntax tree, its frameworks expanded into their lets (semantics/frameworks.py)."""
    from .semantics.frameworks import expand

    if text is not None:
        return expand(parse(text, str(path or "<spec>")))
    assert path is not None  # a spec's path, when not its text
    return expand(parse_file(path))


def core(model: m.Model, drawn: tuple[str, ...] = ()) -> m.Model:
    """The model the planner reads, the same for every engine: built-ins expanded,
    stacked functions laid out long, and with `drawn` params varying per draw
    (idxc sensitivity)."""
    lowered = stack(lower(model))
    return with_draws(lowered, drawn) if drawn else lowered


def planned(model: m.Model, outputs: list[str], share: bool = True) -> s.Plan:
    """The plan of these outputs as the planner makes it (plan.plan), then after the
    passes in their listed order (planning/passes/)."""
    p = plan(model, outputs)
    for name, rule in PASSES:
        if name != "share" or share:
            p = rule(p)
    s.check_rows(p)
    return p


def compile_model(model: m.Model, outputs: list[str] | None = None, share: bool = True,
                  drawn: tuple[str, ...] = (), dialect: Dialect = DUCKDB) -> Compiled:
    """Everything a run executes on `dialect`'s engine, as statements: stages, then
    outputs, then the counts."""
    names = outputs or list(model.outputs)
    planned_model = core(model, drawn)
    p = planned(planned_model, names, share and dialect.staging is not Staging.NONE)
    statements = script(p, planned_model, dialect)
    if dialect.enum_lookup:  # the engine's own form: names looked up
        statements = [replace(st, tree=rewritten(st.tree, [looked_up])) for st in statements]
    return Compiled(model, planned_model, p, tuple(statements), dialect, screen_reports(model, p, dialect))


def compile_file(path: str | Path, params: dict[str, float | int] | None = None, **kw: Any) -> Compiled:
    return compile_model(check(load_module(path), params), **kw)


def script(p: s.Plan, core_model: m.Model, dialect: Dialect = DUCKDB) -> list[Statement]:
    staged = {st.step for st in p.stages}
    out: list[Statement] = []
    for st in p.stages:
        body = select(*[col(c) for c in st.columns]).from_(table(st.step), copy=False)
        label = f"shared {st.step}: computed once, read by {', '.join(st.consumers)}"
        checks = _stage_checks(p, st)
        for tree in stage(st.step, _with(body, p, {st.step: set(st.columns)}, staged - {st.step}, dialect), dialect):
            out.append(Statement(label, tree, Kind.STAGE, step=st.step, name=f"shared {st.step}",
                                 checks=checks if isinstance(tree, exp.Create) else None))
    for name, q in p.outputs.items():
        tree = _with(final(q, dialect=dialect, kinds=column_kinds(core_model, name)), p, _demand([q]), staged, dialect)
        out.append(Statement(f"output {name}", tree, Kind.OUTPUT, output=name, name=f"output {name}"))
    for members, query in tally_queries(list(p.tallies), dialect):
        tree = _with(query, p, _demand([p.tallies[i] for i in members]), staged, dialect)
        labels = ", ".join(_label(p.tallies[i], core_model) for i in members)
        out.append(Statement(f"missing values skipped by {labels}", tree, Kind.TALLY, tallies=members,
                             name="missing values skipped"))
    return out


def _stage_checks(p: s.Plan, st: s.Stage) -> tuple[str, tuple[str, ...]] | None:
    """A stage holding a long file's pivot: its table and the variables it holds, whose
    repeats, variables and attributes the run checks there (data/checks.py,
    DataChecker.check_stage) instead of in the file."""
    step = p.steps.get(st.step)
    if not isinstance(step, s.Read) or not checked_stage(step):
        return None
    return step.table.name, tuple(c for c in step.table.columns if c in st.columns)


def screen_reports(model: m.Model, p: s.Plan, dialect: Dialect) -> tuple[ScreenReport, ...]:
    """Each screen's report of the entities it drops, by name. A long file screened by
    its own columns whose read is staged is pivoted only for the entities its stage does
    not hold (the kept ones), where reading the stage would not name the dropped."""
    kept_in = _kept_in(p)
    found = []
    for screen in model.screens.values():
        rows = input_rows(screen.rows, screen.columns, dialect=dialect)
        if screen.rows.name in kept_in:
            rows = _without_kept(rows, screen, kept_in[screen.rows.name])
        found.append(ScreenReport(screen, screened(screen, False, rows, dialect).order_by(col(screen.entity), copy=False)))
    return tuple(found)


def _kept_in(p: s.Plan) -> dict[str, str]:
    """Long files screened by their own columns, each with the stage of its read: the
    rows of the entities the screen keeps."""
    found: dict[str, str] = {}
    for st in p.stages:
        step = p.steps.get(st.step)
        if isinstance(step, s.Read) and checked_stage(step) and step.screen is not None \
                and step.screen.rows.name == step.table.name and step.screen.entity in st.columns:
            found.setdefault(step.table.name, st.step)
    return found


def _without_kept(rows: exp.Expr, screen: m.Screen, stage: str) -> exp.Expr:
    """`rows` read from the screen's file without the entities in `stage` (those kept)."""
    entity = col(screen.entity)
    kept = select(entity.copy()).from_(table(stage), copy=False)
    file = select(exp.Star()).from_(table(screen.rows.name, INPUT_SCHEMA), copy=False) \
        .where(exp.Not(this=exp.In(this=entity, query=exp.Subquery(this=kept))), copy=False)
    alone = exp.Subquery(this=file, alias=exp.TableAlias(this=ident(screen.rows.name)))
    return rows.transform(lambda n: alone.copy() if isinstance(n, exp.Table) and n.name == screen.rows.name
                          and n.db == INPUT_SCHEMA else n)


def _label(t: s.Tally, core_model: m.Model) -> str:
    """A tally's label; in a stacked function, with the function's parameters in place."""
    return fill(t.label, core_model.stacks[t.slot_axis].params) if t.slot_axis else t.label


def _demand(readers: list[s.OutputQuery] | list[s.Tally]) -> dict[str, set[str]]:
    """What a statement's query reads of each step it reads: its names from its
    source, a join's keys and columns from the joined step."""
    found: dict[str, set[str]] = {}
    for r in readers:
        found.setdefault(r.source, set()).update(referenced(r), (k for j in r.joins for k in j.keys))
        for j in r.joins:
            found.setdefault(j.source, set()).update((*j.keys, *j.columns))
    return found


def _with(query: exp.Select, p: s.Plan, demand: dict[str, set[str]], staged: set[str], dialect: Dialect) -> exp.Select:
    """The query with the CTEs it needs, in plan order: what it reads, up to the staged
    steps, which it reads from the run's temporary tables of the same name; each CTE
    with only the columns this statement reads (planning/passes/trim.py)."""
    needed = s.upstream(p.steps, list(demand), stop=staged)
    names = [n for n in p.steps if n in needed and n not in staged]
    steps = trimmed(p.steps, names, {n: c for n, c in demand.items() if n in names})
    return set_with(query, ctes(steps, list(steps), dialect))


def stage(name: str, query: exp.Select, dialect: Dialect) -> list[exp.Expr]:
    """Keep a step's rows for the rest of the run in what the engine drops at the end of
    the session: a rerun replaces them, and concurrent runs never see each other's."""
    if dialect.staging is Staging.CACHED_VIEW:  # Spark: a temporary view, computed once by CACHE
        view = exp.Create(this=table(name), kind="VIEW", replace=True, expression=query,
                          properties=exp.Properties(expressions=[exp.TemporaryProperty()]))
        return [view, exp.Cache(this=table(name), lazy=False)]
    temporary = exp.Properties(expressions=[exp.TemporaryProperty()])
    if dialect.temp_schema is None:
        return [exp.Create(this=table(name), kind="TABLE", replace=True, expression=query, properties=temporary)]
    drop = exp.Drop(tables=[table(name, dialect.temp_schema)], kind="TABLE", exists=True)  # the temporary one only
    return [drop, exp.Create(this=table(name), kind="TABLE", expression=query, properties=temporary)]


def standalone(model: m.Model, output: str, drawn: tuple[str, ...] = (), dialect: Dialect = DUCKDB) -> exp.Select:
    """One output as one self-contained statement: everything it needs as CTEs."""
    tree = compile_model(model, [output], False, drawn, dialect).statements[0].tree
    assert isinstance(tree, exp.Select)  # unshared, the first statement is the output's query
    return tree


__all__ = ["Compiled", "Statement", "Kind", "compile_model", "compile_file", "core", "plan", "script",
           "standalone", "load_module", "check", "ident"]
