"""Run plan: what several queries of one run would each compute is computed once.

`idxc run` executes, per output, its statement and a query counting what its
reductions skipped. Planned alone, each query recomputes every definition it
reads. A definition that two of them need (the scores read by both the entity
and the district output, or the scores a count reads) is computed once instead,
as a stage: a table in schema `shared` that later queries read like input data.
A stage keeps only what later queries read: keys, the attributes and raw columns
they use, and the definitions they name.

Rows stay what they were: a grain is staged only when every query reading its
tables reads exactly the tables the stage reads, so the stage's rows are theirs.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, replace
from graphlib import TopologicalSorter

from . import model as m
from .plan import Plan, plan, upstream

SHARED_SCHEMA = "shared"


@dataclass(frozen=True)
class Stage:
    """Definitions computed once, into table `table.name` of schema `shared`."""

    table: m.TableInfo
    plan: Plan
    model: m.Model  # the model the stage's plan was built from
    consumers: tuple[str, ...]  # the outputs that read it, for reporting
    names: frozenset[str]  # the definitions it computes
    absorbed: frozenset[str]  # the input tables later queries now read through it


@dataclass(frozen=True)
class RunPlan:
    stages: tuple[Stage, ...]
    model: m.Model  # staged definitions turned into columns of their stage
    outputs: dict[str, Plan]


def run_plan(model: m.Model, outputs: list[str], share: bool = True) -> RunPlan:
    """Stage shared definitions, innermost first, until no query recomputes another's
    work. With share=False every output is one self-contained statement."""
    stages: list[Stage] = []
    refused: set[str] = set()
    while True:
        plans = {o: plan(model, o) for o in outputs}
        if not share:
            return RunPlan((), model, plans)
        shared = {d for d, n in _uses(model, plans).items() if n > 1} - refused
        for grain, names in _ready(model, shared).items():
            staged = _stage(model, plans, grain, names)
            if staged is not None:
                stages.append(staged)
                model = _read_from(model, staged)
                break  # plan again: the stage changed what the other queries compute
            refused |= names
        else:
            return RunPlan(tuple(stages), model, plans)


def _uses(model: m.Model, plans: dict[str, Plan]) -> Counter[str]:
    """How many queries of the run compute each spec definition."""
    count: Counter[str] = Counter()
    for p in plans.values():
        steps = {s.name: s for s in p.steps}
        main = upstream(steps, [p.source, *(j.source for j in p.joins)])
        count.update(n for n in main if n in model.definitions)
        if p.tallies:
            starts = [t.source for t in p.tallies] + [j.source for t in p.tallies for j in t.joins]
            count.update(n for n in upstream(steps, starts) if n in model.definitions)
    return count


def _depends(model: m.Model) -> dict[str, set[str]]:
    """For each definition, the definitions it reads, directly or through others."""
    direct = {n: {r.name for r in m.refs(d.expr) if r.kind == "let" and r.name in model.definitions}
              for n, d in model.definitions.items()}
    closure: dict[str, set[str]] = {}
    for name in TopologicalSorter(direct).static_order():  # the checker refused cycles
        closure[name] = set(direct[name]).union(*(closure[x] for x in direct[name]))
    return closure


def _ready(model: m.Model, shared: set[str]) -> dict[m.Grain, set[str]]:
    """Shared definitions that need no unstaged shared definition of another grain,
    grouped by grain: each group is one stage."""
    depends = _depends(model)
    groups: dict[m.Grain, set[str]] = {}
    for name in sorted(shared):
        grain = model.definitions[name].grain
        if all(model.definitions[d].grain == grain for d in depends[name] & shared):
            groups.setdefault(grain, set()).add(name)
    return groups


def _stage(model: m.Model, plans: dict[str, Plan], grain: m.Grain, names: set[str]) -> Stage | None:
    """The stage computing `names`, or None when reading it would change the rows
    some query sees: the stage, every query that computes what it stages, and every
    query that reads its tables must draw their rows at this grain from the same
    tables and groups."""
    entity = [d for d in grain.dims if not model.axes.is_time(d)]
    time = [d for d in grain.dims if model.axes.is_time(d)]
    if len(entity) > 1 or len(time) > 1:
        return None
    consumers = tuple(o for o, p in plans.items() if names & {s.name for s in p.steps})
    rows = _row_sources(plans[consumers[0]], grain)
    read = {t.name for t in plans[consumers[0]].tables if t.grain == grain}
    for o, p in plans.items():
        if (o in consumers or read & {t.name for t in p.tables}) and _row_sources(p, grain) != rows:
            return None
    used = _used_names(model, plans, names)
    tables = [model.tables[t] for t in sorted(read)]
    raw = sorted({c for t in tables for c in t.columns if c in used})
    attributes = sorted(a for a, owner in model.axes.attributes.items() if owner in grain.dims and a in used)
    kept = sorted(n for n in names if n in used)
    name = _unique(model, "_".join(grain.dims) or "scalar")
    staged = _with_output(model, _output(name, grain, [*attributes, *raw, *kept]))
    stage_plan = plan(staged, name)
    if _row_sources(stage_plan, grain) != rows:  # it would not read every table the consumers draw rows from
        return None
    table = m.TableInfo(name, entity[0] if entity else None, time[0] if time else None, None,
                        (*raw, *kept), tuple(attributes), schema=SHARED_SCHEMA)
    return Stage(table, stage_plan, staged, consumers, frozenset(names), frozenset(read))


def _row_sources(p: Plan, grain: m.Grain) -> set[str]:
    """The steps a pipeline at `grain` draws rows from: its tables and the groups merged in."""
    return {s.name for s in p.steps if s.grain == grain and s.kind in ("table", "group", "merge")}


def _used_names(model: m.Model, plans: dict[str, Plan], names: set[str]) -> set[str]:
    """Names the run still reads once `names` are staged: references in the
    definitions it still computes, attributes grouped by, and what outputs show."""
    used: set[str] = set()
    for p in plans.values():
        out = p.output
        used.update(out.keys)
        todo = [c.source for c in out.columns]
        seen: set[str] = set()
        while todo:
            item = todo.pop()
            used.add(item)
            d = out.definitions.get(item) or model.definitions.get(item)
            if d is None or item in names or item in seen:
                continue
            seen.add(item)
            todo += [r.name for r in m.refs(d.expr)]
            used |= m.grouped_by(d.expr)
    return used


def _unique(model: m.Model, base: str) -> str:
    name, n = base, 2
    while (name in model.tables or name in model.definitions or name in model.outputs
           or any(name in o.definitions for o in model.outputs.values())):
        name, n = f"{base}_{n}", n + 1
    return name


def _output(name: str, grain: m.Grain, columns: list[str]) -> m.OutputSpec:
    """The stage as an output: the planner carries an attribute it shows as a key."""
    return m.OutputSpec(name, grain, grain.dims, tuple(m.OutputColumn(c, c, grain) for c in columns), {})


def _with_output(model: m.Model, out: m.OutputSpec) -> m.Model:
    return replace(model, outputs={**model.outputs, out.name: out})


def _read_from(model: m.Model, stage: Stage) -> m.Model:
    """The model that reads the staged definitions instead of computing them, and
    reads the tables the stage absorbed through it."""
    def rewrite(d: m.Definition) -> m.Definition:
        return replace(d, expr=_as_columns(d.expr, stage.names))

    tables = {k: t for k, t in model.tables.items() if k not in stage.absorbed}
    tables[stage.table.name] = stage.table
    definitions = {k: rewrite(d) for k, d in model.definitions.items() if k not in stage.names}
    outputs = {k: replace(o, definitions={n: rewrite(d) for n, d in o.definitions.items()})
               for k, o in model.outputs.items()}
    return replace(model, tables=tables, definitions=definitions, outputs=outputs)


def _as_columns(e: m.Expr, names: frozenset[str]) -> m.Expr:
    """e reading the staged definitions `names` as columns of their stage."""
    return m.transform(e, lambda node: replace(node, kind="column")
                       if isinstance(node, m.Ref) and node.kind == "let" and node.name in names else None)
