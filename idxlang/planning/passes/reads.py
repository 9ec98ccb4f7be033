"""What the passes ask of a plan: which steps keep their source's rows, where a chain
of such steps begins, and which columns a step has."""

from __future__ import annotations

from typing import Mapping

from ...semantics import model as m
from .. import steps as s


def base(steps: Mapping[str, s.Step], name: str, memo: dict[str, str] | None = None) -> str:
    """The step a chain of Derive steps starts from: every step of the chain has its
    rows; `memo` spares a long chain being walked again for each step of it."""
    if memo is not None and name in memo:
        return memo[name]
    step = steps[name]
    found = base(steps, step.source, memo) if isinstance(step, s.Derive) and step.source is not None \
        and step.source in steps else name
    if memo is not None:
        memo[name] = found
    return found


def available(steps: Mapping[str, s.Step], name: str, memo: dict[str, frozenset[str]] | None = None) -> frozenset[str]:
    """The columns a step's rows carry (what `SELECT *` of it gives); `memo` spares a
    long chain being walked again for each step of it."""
    if memo is not None and name in memo:
        return memo[name]
    step = steps[name]
    own = frozenset(s.provides(step)) | frozenset(step.keys)
    inherited = getattr(step, "merge_into", None) or (step.source if isinstance(step, s.Derive) else None)
    found = own | (available(steps, inherited, memo) if inherited and inherited in steps else frozenset())
    if memo is not None:
        memo[name] = found
    return found


def referenced(step: s.Step | s.OutputQuery | s.Tally) -> set[str]:
    """The column names a step or query reads from the rows it reads."""
    names: set[str] = set(getattr(step, "keys", ()))
    exprs: list[m.Expr] = []
    if isinstance(step, (s.Derive, s.Aggregate)):
        exprs = [c.expr for c in step.columns]
    elif isinstance(step, s.Unpivot):
        exprs = [e for _, es in step.values for e in es]
    elif isinstance(step, s.TreatBounds):
        names.add(step.column)
    elif isinstance(step, s.Merge):
        names |= set(step.columns)
    elif isinstance(step, s.OutputQuery):
        exprs = [e for _, e in step.columns]
    elif isinstance(step, s.Tally):
        exprs = [] if step.counted else [step.arg]
        names |= set(step.counted or ())
        names |= {step.within[0]} if step.within else set()
        names |= {step.slot_axis} if step.slot_axis else set()
    for e in exprs:
        for n in m.walk(e):  # once over each expression: the names it reads, the axes it works along
            if isinstance(n, m.Ref):
                names.add(n.name)
            elif isinstance(n, (m.Window, m.Reduce, m.At)):
                names.update(n.grain.dims)
                names.add(n.time if isinstance(n, m.At) else n.axis)
                if isinstance(n, m.Window) and n.group:
                    names.add(n.group)
    return names


def reduction_name(n: m.Reduce) -> str:
    """A column holding a reduction (or its counts), named after it: `max_x_over_region`."""
    what = n.arg.name if isinstance(n.arg, m.Ref) else "value"
    return f"{n.func}_{what}_{n.mode.value}_{n.axis}" + (f"_{n.within[0]:g}_{n.within[1]:g}" if n.within else "")


def columns_taken(plan: s.Plan) -> set[str]:
    return {c for name in plan.steps for c in s.provides(plan.steps[name])} | \
        {k for st in plan.steps.values() for k in st.keys}

