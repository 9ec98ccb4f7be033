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

from dataclasses import replace

from .. import model as m
from ..ast import fill
from .. import steps as s
from ..names import fresh, reserve
from .rows import available, base, columns_taken, reduction_name


def _poolable(plan: s.Plan, step: s.Derive, node: m.Reduce, rows: str, memo: dict[str, frozenset[str]]) -> bool:
    """True when node reduces columns the chain's first step already has."""
    if node.arg.grain != step.grain:
        return False
    have = available(plan.steps, rows, memo)
    joined = {c for j in step.joins for c in j.columns}
    for n in m.walk(node.arg):
        if isinstance(n, _WINDOWED) or (isinstance(n, m.Ref) and (n.name not in have or n.name in joined)):
            return False
    return True


_WINDOWED = (m.Reduce, m.At, m.Window, m.Treat, m.Pick, m.Stack)


def pool_reductions(plan: s.Plan) -> s.Plan:
    sites: dict[tuple[str, m.Grain], list[m.Reduce]] = {}
    memo: dict[str, frozenset[str]] = {}
    bases: dict[str, str] = {}
    for step in plan.steps.values():
        if not isinstance(step, s.Derive) or step.source is None:
            continue
        rows = base(plan.steps, step.source, bases)
        for c in step.columns:
            for node in m.walk(c.expr):
                if isinstance(node, m.Reduce) and _poolable(plan, step, node, rows, memo):
                    sites.setdefault((rows, node.grain), []).append(node)
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
                                      tuple(s.Column(names[n], n) for n in distinct), f"in one GROUP BY: {labels}")
        pools[(rows, grain)] = (pool, names)
    if not pools:
        return plan
    pooled = {rows for rows, _ in pools}
    steps = {name: _rewrite(plan, step, pools, bases)
             if isinstance(step, s.Derive) and step.source and base(plan.steps, step.source, bases) in pooled else step
             for name, step in plan.steps.items()}
    return replace(plan, steps=s.ordered({**steps, **new_steps}))


def _rewrite(plan: s.Plan, step: s.Derive, pools: dict, bases: dict[str, str]) -> s.Derive:  # type: ignore[type-arg]
    rows = base(plan.steps, step.source, bases)  # type: ignore[arg-type]
    joins = {j.source: j for j in step.joins}

    def swap(node: m.Expr) -> m.Expr | None:
        found = pools.get((rows, node.grain)) if isinstance(node, m.Reduce) else None
        if found is None or node not in found[1]:
            return None
        pool, names = found
        had = joins.get(pool, s.Join(pool, node.grain.dims))
        joins[pool] = replace(had, columns=tuple(dict.fromkeys((*had.columns, names[node]))))
        return m.Ref(names[node], node.grain, m.RefKind.LET)

    columns = tuple(replace(c, expr=m.transform(c.expr, swap)) for c in step.columns)
    return replace(step, columns=columns, joins=tuple(joins.values()))
