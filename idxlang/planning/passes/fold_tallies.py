"""A count of what a reduction skipped, which would scan the user's data once more, is
taken from the GROUP BY that reduces those rows anyway: it computes, beside the
reduction, how many cells each group had and how many were present, and the count adds
its groups up. The data is then read once, not once more by the statement that counts
(ten leaders' maxima over 20M rows: the count reads 20 rows). A count over rows no
GROUP BY of the plan reads (a window's) is left as it is.

    before:  reductions_by_year = SELECT year, MAX(x) ... GROUP BY year
             count max(x over firm): SELECT COUNT(*), COUNT(*) - COUNT(x) FROM p
    after:   reductions_by_year = SELECT year, MAX(x), COUNT(*) AS ..._cells, COUNT(x) AS ..._present ...
             count max(x over firm): SELECT SUM(..._cells), SUM(..._cells) - SUM(..._present) FROM reductions_by_year
"""

from __future__ import annotations

from dataclasses import replace

from ...semantics import model as m
from .. import steps as s
from ...names import reserve
from .reads import base, columns_taken, reduction_name


def fold_tallies(plan: s.Plan) -> s.Plan:
    bases: dict[str, str] = {}
    groups = {name: st for name, st in plan.steps.items() if isinstance(st, s.Aggregate)}
    taken = columns_taken(plan)
    added: dict[str, list[s.Column]] = {}
    tallies = []
    for t in plan.tallies:
        found = _group_of(plan, t, groups, bases) if _rescans(plan, t) else None
        if found is None:
            tallies.append(t)
            continue
        # the counts' columns are named after the reduction, without its periods
        assert t.reduce is not None  # _rescans: a count of a reduction
        stem = reserve(reduction_name(replace(t.reduce, within=None)), taken)
        cells, present = f"{stem}_cells", f"{stem}_present"
        taken |= {cells, present}
        added.setdefault(found.name, []).extend(_counts(t, cells, present))
        tallies.append(replace(t, source=found.name, counted=(cells, present), within=None))
    if not added:
        return plan
    steps = {n: replace(st, columns=(*st.columns, *added[n])) if n in added and isinstance(st, s.Aggregate) else st
             for n, st in plan.steps.items()}
    return replace(plan, steps=steps, tallies=s.merge_tallies(tallies))


def _rescans(plan: s.Plan, t: s.Tally) -> bool:
    """True when counting t would scan the user's data once more (a count of a value that
    is never missing reads only how many rows there are, which costs nothing)."""
    step = plan.steps[t.source]
    return not t.joins and not t.never_missing and t.reduce is not None and isinstance(step, s.Read)


def _group_of(plan: s.Plan, t: s.Tally, groups: dict[str, s.Aggregate], bases: dict[str, str]) -> s.Aggregate | None:
    """The GROUP BY that computes t's reduction over the rows t counts, if any."""
    rows = base(plan.steps, t.source, bases)
    assert t.reduce is not None  # _rescans: a count of a reduction
    for g in groups.values():
        if g.source in plan.steps and base(plan.steps, g.source, bases) == rows and g.grain == t.reduce.grain \
                and any(t.reduce in m.walk(c.expr) for c in g.columns):
            return g
    return None


def _counts(t: s.Tally, cells: str, present: str) -> list[s.Column]:
    """How many cells each group reduced (within its periods) and how many were present."""
    node = t.reduce
    assert node is not None
    inside = m.Op("if", (_within(node), m.Const(1), m.Const(None)), node.arg.grain) if node.within else m.Const(1)
    arg = m.Op("if", (_within(node), node.arg, m.Const(None)), node.arg.grain) if node.within else node.arg
    count = lambda x: m.Reduce("cells", x, node.grain, node.axis, node.mode, report=False)  # noqa: E731
    return [s.Column(cells, count(inside), f"cells {t.label} reduced"),
            s.Column(present, count(inside) if t.never_missing else count(arg), f"cells {t.label} found present")]


def _within(node: m.Reduce) -> m.Expr:
    key = m.Ref(node.axis, m.Grain((node.axis,)), m.RefKind.KEY)
    assert node.within is not None  # _counts: a reduction within periods
    lo, hi = node.within
    return m.Op("and", (m.Op(">=", (key, m.Const(lo)), key.grain), m.Op("<=", (key, m.Const(hi)), key.grain)), key.grain)
