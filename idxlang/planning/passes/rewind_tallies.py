"""A count of what a reduction skipped reads the earliest step that has what it counts.

The planner records each count over the rows its reduction reads, often the last of a
chain of layers. Every layer of a chain keeps its rows, so the count may read the
first layer that already has the columns its argument names: the statement counting
then computes nothing the count does not need. An argument that is never missing
(`x ?? 0`, a key) is not evaluated at all, so only the rows matter: it is counted over
the chain's first step, with nothing joined.

    before:  count max(x over firm) over layer `ry_and_lone` (x / max(x), y / max(y), ...)
    after:   count max(x over firm) over table `p` (x is a column of the table)
"""

from __future__ import annotations

from dataclasses import replace

from ...semantics import model as m
from .. import steps as s
from .reads import available


def rewind_tallies(plan: s.Plan) -> s.Plan:
    memo: dict[str, frozenset[str]] = {}
    moved = tuple(_rewound(plan, t, memo) for t in plan.tallies)
    return plan if moved == plan.tallies else replace(plan, tallies=s.merge_tallies(moved))


def _rewound(plan: s.Plan, t: s.Tally, memo: dict[str, frozenset[str]]) -> s.Tally:
    joined = {c for j in t.joins for c in j.columns}
    wanted = {n.name for n in m.walk(t.arg) if isinstance(n, m.Ref) and n.name not in joined
              and n.kind is not m.RefKind.KEY} | {k for j in t.joins for k in j.keys}  # attributes, and what joins use
    source = t.source
    while True:
        step = plan.steps[source]
        earlier = step.source if isinstance(step, s.Derive) else None
        if earlier is None or earlier not in plan.steps:
            break
        if not t.never_missing and not wanted <= available(plan.steps, earlier, memo):
            break
        source = earlier
    return replace(t, source=source, joins=() if t.never_missing else t.joins)
