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


def dedupe(plan: s.Plan) -> s.Plan:
    while True:
        first: dict[s.Step, str] = {}
        to: dict[str, str] = {}
        for name, step in plan.steps.items():
            body = replace(step, name="", note="")
            if body in first:
                to[name] = first[body]
            else:
                first[body] = name
        if not to:
            return plan
        kept = replace(plan, steps={n: st for n, st in plan.steps.items() if n not in to})
        plan = s.redirect_plan(kept, lambda n: to.get(n, n))
        plan = replace(plan, tallies=s.merge_tallies(plan.tallies))
