"""The compiler, stage by stage; the one place the stages are chained.

    source ─parse→ AST ─check→ model ─lower→ core model ─stack→ ─plan→ plan ─passes→ ─sqlgen→ script

`api.py`, `run.py`, `analyse.py`, `sensitivity.py` and `cli.py` call these functions
and never assemble stages themselves. `idxc debug ast|model|plan` prints a stage.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from sqlglot import exp

from . import model as m
from . import steps as s
from .ast import Module
from .ast import fill
from .check import check
from .draws import with_draws
from .lower import lower
from .parse import parse, parse_file
from .passes import PASSES
from .plan import plan as make_plan
from .sql import SHARED_SCHEMA, col, ident, select, set_with, table, to_sql
from .sqlgen import ctes, final, tally_queries
from .stack import stack


class Kind(Enum):
    STAGE = "stage"  # computes a table later statements read
    OUTPUT = "output"  # returns an output's rows
    TALLY = "tally"  # counts what reductions skipped


@dataclass(frozen=True)
class Statement:
    label: str
    tree: exp.Expression
    kind: Kind
    output: str | None = None
    tallies: tuple[int, ...] = ()  # a TALLY statement's tallies (Plan.tallies), in its columns' order


@dataclass(frozen=True)
class Compiled:
    model: m.Model  # as checked
    core: m.Model  # lowered and stacked: what was planned
    plan: s.Plan  # after the passes
    statements: tuple[Statement, ...]

    def sql(self, dialect: str = "duckdb", pretty: bool = True) -> str:
        parts = [to_sql(st.tree, dialect, pretty) + ";" for st in self.setup()]
        parts += [f"-- {st.label}\n{to_sql(st.tree, dialect, pretty)};" for st in self.statements]
        return "\n\n".join(parts)

    def setup(self) -> list[Statement]:
        """What the engine needs before the statements: the schema stages are written to."""
        if not self.plan.stages:
            return []
        schema = exp.Create(this=table(SHARED_SCHEMA), kind="SCHEMA", exists=True)
        return [Statement("schema", schema, Kind.STAGE)]


def load_module(path: str | Path | None = None, text: str | None = None) -> Module:
    return parse(text, str(path or "<spec>")) if text is not None else parse_file(path)  # type: ignore[arg-type]


def core(model: m.Model, drawn: tuple[str, ...] = ()) -> m.Model:
    """The model the planner reads: built-ins expanded, stacked functions laid out long,
    and with `drawn` params varying per draw (idxc sensitivity)."""
    lowered = stack(lower(model))
    return with_draws(lowered, drawn) if drawn else lowered


def plan(model: m.Model, outputs: list[str], share: bool = True) -> s.Plan:
    """The plan of these outputs after the passes, in their listed order (passes/)."""
    p = make_plan(model, outputs)
    for name, rule in PASSES:
        if name != "share" or share:
            p = rule(p)
    return p


def compile_model(model: m.Model, outputs: list[str] | None = None, share: bool = True,
                  drawn: tuple[str, ...] = ()) -> Compiled:
    """Everything a run executes, as statements: stages, then outputs, then the counts."""
    names = outputs or list(model.outputs)
    planned_model = core(model, drawn)
    p = plan(planned_model, names, share)
    return Compiled(model, planned_model, p, tuple(script(p, planned_model)))


def compile_file(path: str | Path, params: dict[str, float | int] | None = None, **kw) -> Compiled:  # type: ignore[no-untyped-def]
    return compile_model(check(load_module(path), params), **kw)


def script(p: s.Plan, core_model: m.Model) -> list[Statement]:
    staged = {st.step for st in p.stages}
    out: list[Statement] = []
    for st in p.stages:
        body = select(*[col(c) for c in st.columns]).from_(table(st.step), copy=False)
        tree = exp.Create(this=table(st.step, SHARED_SCHEMA), kind="TABLE",
                          expression=_with(body, p, [st.step], staged - {st.step}))
        out.append(Statement(f"shared {st.step}: computed once, read by {', '.join(st.consumers)}", tree, Kind.STAGE))
    for name, q in p.outputs.items():
        tree = _with(final(q), p, s.query_reads(q), staged)
        out.append(Statement(f"output {name}", tree, Kind.OUTPUT, output=name))
    for members, query in tally_queries(list(p.tallies)):
        first = p.tallies[members[0]]
        tree = _with(query, p, s.query_reads(first), staged)
        labels = ", ".join(_label(p.tallies[i], core_model) for i in members)
        out.append(Statement(f"missing values skipped by {labels}", tree, Kind.TALLY, tallies=members))
    return out


def _label(t: s.Tally, core_model: m.Model) -> str:
    """A tally's label; in a stacked function, with the function's parameters in place."""
    return fill(t.label, core_model.stacks[t.slot_axis].params) if t.slot_axis else t.label


def _with(query: exp.Select, p: s.Plan, starts: list[str], staged: set[str]) -> exp.Select:
    """The query with the CTEs it needs, in plan order: what it reads, up to the staged
    tables, which it reads from schema `shared` by the same name."""
    needed = s.upstream(p.steps, starts, stop=staged)
    tree = set_with(query, ctes(p.steps, [n for n in p.steps if n in needed and n not in staged]))
    for t in tree.find_all(exp.Table):
        if not t.args.get("db") and t.name in staged:
            t.set("db", ident(SHARED_SCHEMA))
    return tree


def standalone(model: m.Model, output: str, drawn: tuple[str, ...] = ()) -> exp.Select:
    """One output as one self-contained statement: everything it needs as CTEs."""
    return compile_model(model, [output], share=False, drawn=drawn).statements[0].tree  # type: ignore[return-value]


__all__ = ["Compiled", "Statement", "Kind", "compile_model", "compile_file", "core", "plan", "script",
           "standalone", "load_module", "check", "ident"]
