"""The steps of a stack (planning/stack.py) and of a treatment.

A stacked function's applications (planning/stack.py) read one long-form value: its arguments
unpivoted from the rows they are columns of (`Unpivot`), the function computed there
once, and each application's result taken back into a column of its own by one
GROUP BY, the stack's pivot. A treatment's rule is one chain of steps per column
(`TreatBounds`, builtins/outliers.py) whose bounds are joined back by each cell's keys.
"""

from __future__ import annotations

from typing import Any, Protocol, TypeVar

from ..semantics import model as m
from . import steps as s
from ..builtins import outliers
from .pipes import Group, Draft, Pipe
from ..names import slug


_Ctx = TypeVar("_Ctx", contravariant=True)  # the planner's context (plan._Output): passed back to it
_C = TypeVar("_C")  # one call's context: the one its planner takes


class Planning(Protocol[_Ctx]):
    """What these steps ask of the planner (plan.py)."""

    model: m.Model
    draft: Draft
    memo: dict[tuple, str]
    foreign: dict[tuple[tuple, str], tuple[str, m.Grain]]
    deps: dict[tuple[str, str], set[tuple[str, str]]]
    stacks: dict[tuple, tuple[Pipe, m.Ref]]

    def pipe(self, ctx: _Ctx, grain: m.Grain, base: Pipe | None = None) -> Pipe: ...
    def key_columns(self, ctx: _Ctx, grain: m.Grain) -> tuple[str, ...]: ...
    def column(self, ctx: _Ctx, e: m.Expr, pipe: Pipe, owner: str, line: int) -> m.Ref: ...
    def lift(self, ctx: _Ctx, e: m.Expr, owner: str, line: int, pipe: Pipe | None = None,
             called: str | None = None) -> m.Ref: ...


def pick(p: Planning[_C], ctx: _C, e: m.Pick, pipe: Pipe, let: tuple[str, str, int] | None = None) -> m.Ref:
    """One application's value from its stack: a column of the stack's pivot,
    named after the let that is this value and nothing else (`let`: its name and note),
    when the pivot has no column for it yet, so that no step copies it under that name."""
    found = p.stacks.get((id(e.arg), pipe.key))
    if found is None:  # every application reads the one value: plan it once
        long = unpivoted(p, ctx, e.arg, pipe)
        info = p.model.stacks[e.axis]
        found = p.stacks[(id(e.arg), pipe.key)] = (long, p.lift(ctx, e.arg, info.func, info.line, long, called=info.func))
    long, value = found
    source = p.draft.earliest(long, {value.name})
    func = e.axis.removesuffix("_input")
    pivot_name = p.memo.get((pipe.key, ("pivot", e.axis, source)))
    if pivot_name is None:
        pivot_name = p.memo[(pipe.key, ("pivot", e.axis, source))] = p.draft.unique(f"{func}_results")
        # by the grain's own keys: an attribute the rows carry would be a second copy of
        # it beside the rows the pivot is joined to, ambiguous to a later join on it
        keys = tuple(k for k in pipe.keys if k in pipe.grain.dims)
        p.draft.steps[pivot_name] = Group(pivot_name, pipe.grain, keys, source,
                                           note=f"each application of {func} in its own column")
    pivot = p.draft.steps[pivot_name]
    assert isinstance(pivot, Group)
    column = p.memo.get((pivot_name, e.slot))
    if column is None:
        column = p.memo[(pivot_name, e.slot)] = let[0] if let else p.draft.unique(slug(f"{func}_{e.slot}"), steps=False)
        chosen = m.Op("if", (m.Op("==", (m.Ref(e.axis, long.grain, m.RefKind.KEY), m.Const(e.slot)), long.grain),
                             value, m.Const(None)), long.grain)
        pivot.columns.append(s.Column(column, m.Reduce("max", chosen, pipe.grain, e.axis, m.Mode.OVER, report=False),
                                      let[1] if let else f"{func}({e.slot})", let[2] if let else 0))
        p.foreign[(pipe.key, column)] = (pivot_name, pipe.grain)
        p.deps[(pivot_name, column)] = {(source, value.name)}
    return m.Ref(column, pipe.grain, m.RefKind.LET)


def unpivoted(p: Planning[_C], ctx: _C, value: m.Expr, pipe: Pipe) -> Pipe:
    """The long-form rows of a stack: its arguments unpivoted from pipe."""
    stacks = sorted(dict.fromkeys(n for n in m.walk(value) if isinstance(n, m.Stack)), key=lambda st: st.index)
    first = stacks[0]
    long = p.pipe(ctx, first.grain, base=pipe)
    if long.steps:
        return long
    cols = [[p.column(ctx, a, pipe, first.axis, 0) for a in st.args] for st in stacks]
    source = p.draft.earliest(pipe, {r.name for c in cols for r in c})
    long.keys = p.key_columns(ctx, first.grain)
    func = first.axis.removesuffix("_input")
    values = tuple((st.column, tuple(c)) for st, c in zip(stacks, cols))
    step = s.Unpivot(p.draft.unique(f"{func}_inputs"), first.grain, long.keys, source, first.axis, first.slots,
                     values, f"the arguments of {func}, one row per application")
    p.draft.add_base(long, step, (first.axis, *(v for v, _ in values)))
    return long


def treat(p: Planning[Any], e: m.Treat, pipe: Pipe, column: str) -> dict[str, m.Expr]:
    """The bounds of COINr's rule for each cell, joined back by the cell's keys."""
    key = (pipe.key, ("treat", column, e.axis, e.winmax))
    name = p.memo.get(key)
    grain = e.grain.without(e.axis)
    if name is None:
        name = p.memo[key] = p.draft.unique(slug(f"treat_{column}"))
        p.draft.columns |= {f"{name}_{b}" for b in outliers.BOUNDS}
        source = p.draft.earliest(pipe, {column})
        p.draft.steps[name] = s.TreatBounds(name, grain, grain.dims, source, column, e.axis, e.winmax,
                                             f"{e.label}: the bounds of each cell")
        for b in outliers.BOUNDS:
            p.foreign[(pipe.key, f"{name}_{b}")] = (name, grain)
            p.deps[(name, f"{name}_{b}")] = {(source, column)}
    return {b: m.Ref(f"{name}_{b}", grain, m.RefKind.LET) for b in outliers.BOUNDS}
