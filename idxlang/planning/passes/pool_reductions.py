"""Reductions inside row-wise columns (a leader's maximum, a period mean) would each be a
window over the rows. Two or more of them over the same rows onto the same grain,
whose arguments the rows have from the start of their chain, are one GROUP BY instead
(`reductions_by_<grain>`), joined back by the steps that read them, as an expert
writes it. A lone reduction stays a window: it is as quick as a GROUP BY joined back
(measured, BENCHMARKS.md).

    before:  activity = mean(x1 / MAX(x1) OVER per_year, x2 / MAX(x2) OVER per_year)
    after:   reductions_by_year = SELECT year, MAX(x1), MAX(x2) ... GROUP BY year
             activity = mean(x1 / max_x1_over_region, ...)  LEFT JOIN reductions_by_year USING (year)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from ...semantics import model as m
from ...ast import fill
from .. import steps as s
from ...names import fresh, reserve
from .reads import available, columns_taken, reduction_name


def _rows(plan: s.Plan, step: s.Derive, node: m.Reduce, memo: dict[str, frozenset[str]]) -> str | None:
    """The first step of the chain `step` reads whose rows hold the keys node groups by
    (an attribute comes a step after the table's read), when what node reduces is there
    from the chain's start; else None."""
    if node.arg.grain != step.grain:
        return None
    joined = {c for j in step.joins for c in j.columns}
    names = set(node.grain.dims)
    for n in m.walk(node.arg):
        if isinstance(n, _WINDOWED) or (isinstance(n, m.Ref) and n.name in joined):
            return None
        if isinstance(n, m.Ref):
            names.add(n.name)
    assert step.source is not None  # pool_reductions: a Derive of rows
    chain = _chain(plan.steps, step.source)
    if not names - set(node.grain.dims) <= available(plan.steps, chain[0], memo):
        return None  # it reduces a column computed in the chain: a window there
    return next((n for n in chain if names <= available(plan.steps, n, memo)), None)


def _chain(steps: Mapping[str, s.Step], name: str) -> list[str]:
    """The Derive steps back from `name` to the first of its chain, first first."""
    found = [name]
    while isinstance(step := steps[found[-1]], s.Derive) and step.source in steps:
        assert step.source is not None  # it is in steps
        found.append(step.source)
    return found[::-1]


_WINDOWED = (*m.ACROSS_ROWS, m.Pick, m.Stack)


def pool_reductions(plan: s.Plan) -> s.Plan:
    sites: dict[tuple[str, m.Grain], list[m.Reduce]] = {}
    memo: dict[str, frozenset[str]] = {}
    chosen: dict[tuple[str, m.Reduce], str] = {}  # (step, reduction) -> the rows it is pooled over
    for step in plan.steps.values():
        if not isinstance(step, s.Derive) or step.source is None:
            continue
        for c in step.columns:
            for node in m.walk(c.expr):
                rows = _rows(plan, step, node, memo) if isinstance(node, m.Reduce) else None
                if rows is not None:
                    assert isinstance(node, m.Reduce)  # rows are found for a reduction
                    sites.setdefault((rows, node.grain), []).append(node)
                    chosen[(step.name, node)] = rows
    taken = columns_taken(plan)
    pools: dict[tuple[str, m.Grain], tuple[str, dict[m.Reduce, str]]] = {}
    new_steps: dict[str, s.Step] = {}
    for (rows, grain), nodes in sites.items():
        distinct = list(dict.fromkeys(nodes))
        if len(distinct) < 2:
            continue
        names = {n: reserve(reduction_name(n), taken) for n in distinct}
        pool = fresh(f"reductions_by_{'_'.join(grain.dims) or 'all'}", set(plan.steps) | set(new_steps))
        labels = ", ".join(fill(n.label, ("x", "y", "z")) for n in distinct)  # in a stacked body: its parameters
        new_steps[pool] = s.Aggregate(pool, grain, grain.dims, rows,
                                      tuple(s.Column(names[n], n) for n in distinct), f"in one GROUP BY: {labels}",
                                      groups=tuple(dict.fromkeys(n.axis for n in distinct if n.mode is m.Mode.BY)))
        pools[(rows, grain)] = (pool, names)
    if not pools:
        return plan
    steps = {name: _rewrite(step, pools, chosen) if isinstance(step, s.Derive) else step
             for name, step in plan.steps.items()}
    return replace(plan, steps=s.ordered({**steps, **new_steps}))


def _rewrite(step: s.Derive, pools: dict, chosen: dict[tuple[str, m.Reduce], str]) -> s.Derive:
    joins = {j.source: j for j in step.joins}

    def swap(node: m.Expr) -> m.Expr | None:
        rows = chosen.get((step.name, node)) if isinstance(node, m.Reduce) else None
        found = pools.get((rows, node.grain)) if rows is not None else None
        if found is None or node not in found[1]:
            return None
        pool, names = found
        had = joins.get(pool, s.Join(pool, node.grain.dims))
        joins[pool] = replace(had, columns=tuple(dict.fromkeys((*had.columns, names[node]))))
        return m.Ref(names[node], node.grain, m.RefKind.LET)

    columns = tuple(replace(c, expr=m.transform(c.expr, swap)) for c in step.columns)
    return replace(step, columns=columns, joins=tuple(joins.values()))
