"""Every output that shows a reduction is named in that reduction's line of the report
of skipped values. The planner credits a count to the outputs that reach the first
column it placed the reduction in; an output whose rows reach the same reduction
through another column (a GROUP BY of its own, merged with the first by `dedupe`, or
a pool's column taken again) was left out, and the line named one output of two.
This pass follows each output's columns back through the steps to every column that
computes the reduction (as written: its label too) over the rows its count counts,
and credits the output.

    before:  count mean(x over region) <- t  (outputs one)     one reads m.m, two reads m_2.m
    after:   count mean(x over region) <- t  (outputs one, two)
"""

from __future__ import annotations

from dataclasses import replace

from ...semantics import model as m
from .. import steps as s

Site = tuple[str, str]  # a step and one of its columns


def report_outputs(plan: s.Plan) -> s.Plan:
    reach = {o: _closure(plan, _query_sites(plan, q)) for o, q in plan.outputs.items()}
    tallies = tuple(replace(t, outputs=_credited(plan, t, reach)) for t in plan.tallies)
    return plan if tallies == plan.tallies else replace(plan, tallies=tallies)


def _credited(plan: s.Plan, t: s.Tally, reach: dict[str, frozenset[Site]]) -> tuple[str, ...]:
    """t's outputs and every other output reaching a column that computes t's reduction
    from the rows t counts."""
    if t.reduce is None:
        return t.outputs
    found = [o for o, sites in reach.items() if o in t.outputs or any(_computes(plan, site, t) for site in sites)]
    return tuple(found)


def _computes(plan: s.Plan, site: Site, t: s.Tally) -> bool:
    step = plan.steps.get(site[0])
    if not isinstance(step, (s.Derive, s.Aggregate)):
        return False
    column = next((c for c in step.columns if c.name == site[1]), None)
    if column is None or t.source not in s.upstream(plan.steps, [step.name]):
        return False
    # the same reduction as written (a count that several quantiles share is not each of them)
    return any(n == t.reduce and n.label == t.reduce.label for n in m.walk(column.expr))


def _origin(plan: s.Plan, step: str, column: str) -> Site | None:
    """The step whose rows first hold `column`, of the rows of `step`."""
    while step in plan.steps:
        here = plan.steps[step]
        if column in s.provides(here):
            return step, column
        inherited = getattr(here, "merge_into", None) or (here.source if isinstance(here, s.Derive) else None)
        if inherited is None:
            return None
        step = inherited
    return None


def _reading(plan: s.Plan, source: str | None, joins: tuple[s.Join, ...], exprs: list[m.Expr]) -> set[Site]:
    """The sites the names in `exprs` come from: a join's columns from it, the rest from `source`."""
    found = set()
    for e in exprs:
        for ref in m.refs(e):
            where = next((j.source for j in joins if ref.name in j.columns), source)
            site = _origin(plan, where, ref.name) if where else None
            if site is not None:
                found.add(site)
    return found


def _query_sites(plan: s.Plan, q: s.OutputQuery) -> set[Site]:
    return _reading(plan, q.source, q.joins, [e for _, e in q.columns])


def _reads(plan: s.Plan, site: Site) -> set[Site]:
    """The sites a column is computed from."""
    step = plan.steps[site[0]]
    if isinstance(step, (s.Derive, s.Aggregate)):
        exprs = [c.expr for c in step.columns if c.name == site[1]]
        return _reading(plan, step.source, getattr(step, "joins", ()), exprs)
    if isinstance(step, s.Merge):
        found = _origin(plan, step.pool, site[1])
        return {found} if found else set()
    if isinstance(step, s.Unpivot):
        return _reading(plan, step.source, (), [e for c, es in step.values if c == site[1] for e in es])
    if isinstance(step, s.TreatBounds):
        found = _origin(plan, step.source, step.column)
        return {found} if found else set()
    return set()


def _closure(plan: s.Plan, start: set[Site]) -> frozenset[Site]:
    """Every site the `start` sites are computed from, directly or not, themselves included."""
    seen: set[Site] = set()
    todo = list(start)
    while todo:
        site = todo.pop()
        if site not in seen:
            seen.add(site)
            todo += _reads(plan, site)
    return frozenset(seen)
