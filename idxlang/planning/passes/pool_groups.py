"""GROUP BYs onto one grain from the same rows (a chain of Derive steps keeps its rows)
are one GROUP BY: the products of three chain indices across entities read the panel
once. Each member keeps its step, which takes its column from the pool and merges it
into its grain's rows where it did. A member that the pool's rows are computed from
stays out: the pool would read itself.

    before:  b = SELECT year, MAX(y) * 2 ... GROUP BY year;  v = SELECT year, SUM(dev) ... GROUP BY year
    after:   reductions_by_year = SELECT year, MAX(y) * 2 AS b, SUM(dev) AS v ... GROUP BY year
             b = SELECT year, b FROM reductions_by_year;  v = ... FULL JOIN (SELECT year, v FROM ...)
"""

from __future__ import annotations

from dataclasses import replace

from .. import steps as s
from ...names import fresh
from .reads import base


def pool_groups(plan: s.Plan) -> s.Plan:
    steps = dict(plan.steps)
    position = {name: i for i, name in enumerate(steps)}
    pools: dict[tuple, list[s.Aggregate]] = {}
    bases: dict[str, str] = {}
    for step in steps.values():
        if isinstance(step, s.Aggregate) and step.source in steps:
            pools.setdefault((step.grain, step.keys, base(steps, step.source, bases)), []).append(step)
    for members in pools.values():
        latest = max((g.source for g in members), key=position.__getitem__)
        read = s.upstream(steps, [latest])
        members = _compatible([g for g in members if g.name not in read])
        if len(members) < 2:
            continue
        first = members[0]
        name = fresh(f"reductions_by_{'_'.join(first.grain.dims) or 'all'}", steps)
        columns = tuple({c.name: c for g in members for c in g.columns}.values())
        steps[name] = s.Aggregate(name, first.grain, first.keys, latest, columns,
                                  f"in one GROUP BY: {', '.join(g.name for g in members)}",
                                  groups=tuple(dict.fromkeys(k for g in members for k in g.groups)))  # no row joins a missing group
        for g in members:
            steps[g.name] = s.Merge(g.name, g.grain, g.keys, name, tuple(c.name for c in g.columns), g.note, g.merge_into)
    if len(steps) == len(plan.steps):
        return plan
    return _collapse(replace(plan, steps=s.ordered(steps)))


def _collapse(plan: s.Plan) -> s.Plan:
    """Members merged one after another into the same rows are one merge: the pool's
    keys are the same for each, so the rows after the first are the rows after all."""
    steps = dict(plan.steps)
    to: dict[str, str] = {}
    for name in list(steps):
        step = steps.get(name)
        before = steps.get(step.merge_into) if isinstance(step, s.Merge) and step.merge_into else None
        if isinstance(before, s.Merge) and isinstance(step, s.Merge) and before.pool == step.pool \
                and before.keys == step.keys:
            steps[name] = replace(step, merge_into=before.merge_into, columns=(*before.columns, *step.columns),
                                  note=f"{before.note}; {step.note}")
            del steps[before.name]
            to[before.name] = name
    if not to:
        return plan
    def swap(n: str) -> str:  # a chain collapses into its last member
        while n in to:
            n = to[n]
        return n

    moved = s.redirect_plan(replace(plan, steps=steps), swap)
    return replace(moved, steps=s.ordered(moved.steps))


def _compatible(members: list[s.Aggregate]) -> list[s.Aggregate]:
    """Members whose columns can stand side by side: one name, one value (a definition
    two outputs compute on rows of their own is one column of the pool)."""
    kept: list[s.Aggregate] = []
    seen: dict[str, s.Column] = {}
    for g in members:
        if all(seen.get(c.name, c).expr == c.expr for c in g.columns):
            kept.append(g)
            seen.update({c.name: c for c in g.columns})
    return kept

