"""Steps that compute the same relation are one step: equal but for their names (the
planner reached one expression from two outputs, or two definitions say the same
thing), the later is dropped and what read it reads the first. Runs until nothing
changes, since merging two steps can make their readers equal too.

    before:  a = SELECT *, x / 2 AS h FROM t;   b = SELECT *, x / 2 AS h FROM t
    after:   a = SELECT *, x / 2 AS h FROM t    (b's readers read a)
"""

from __future__ import annotations

from dataclasses import replace

from .. import steps as s


def _renamed(step: s.Step, to: dict[str, str]) -> s.Step:
    swap = lambda n: to.get(n, n) if n else n  # noqa: E731
    fields = {f: swap(getattr(step, f)) for f in ("source", "merge_into", "pool") if getattr(step, f, None)}
    if isinstance(step, s.Derive):
        fields["joins"] = tuple(replace(j, source=swap(j.source)) for j in step.joins)  # type: ignore[assignment]
    return replace(step, **fields)  # type: ignore[type-var]


def dedupe(plan: s.Plan) -> s.Plan:
    while True:
        first: dict[s.Step, str] = {}
        to: dict[str, str] = {}
        for name, step in plan.steps.items():
            body = replace(step, name="", note="")  # type: ignore[type-var]
            if body in first:
                to[name] = first[body]
            else:
                first[body] = name
        if not to:
            return plan
        swap = lambda q: replace(q, source=to.get(q.source, q.source),  # noqa: E731
                                 joins=tuple(replace(j, source=to.get(j.source, j.source)) for j in q.joins))
        plan = replace(plan, steps={n: _renamed(st, to) for n, st in plan.steps.items() if n not in to},
                       outputs={o: swap(q) for o, q in plan.outputs.items()},
                       tallies=s.merge_tallies([swap(t) for t in plan.tallies]))
