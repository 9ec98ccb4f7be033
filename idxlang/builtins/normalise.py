"""Normalisations across entities within each period, written out in the model's own
terms (reductions broadcast back, ranks), so they plan, share and transpile like
anything a user writes. `by g` normalises within each group; `direction -1` turns an
indicator where higher is worse (COINr multiplies it by -1 first). A zero range or
zero spread gives missing, like any division by zero."""

from __future__ import annotations

from .. import ast
from ..semantics import model as m
from . import Builtin, CheckContext, entity_axis, require
from .ranking import rank
from .reductions import reduction

ARITY = {"minmax": (1, 3), "zscore": (1, 3), "goalposts": (3, 3), "prank": (1, 1), "distance": (2, 2), "fracmax": (1, 1)}


def _check(ctx: CheckContext, e: ast.Call) -> m.Expr:
    if e.func in ("minmax", "zscore") and len(e.args) not in (1, 3):
        both = "lo, hi" if e.func == "minmax" else "mean, sd"
        raise ctx.error(f"{e.func}() takes 1 or 3 arguments: {e.func}(x) or {e.func}(x, {both}); got {len(e.args)}",
                        e.args[min(len(e.args), 3) - 1 if len(e.args) > 3 else 1].span if len(e.args) > 1 else e.span,
                        f"give both {both}, or neither" if len(e.args) == 2 else None)
    require(ctx, e, *ARITY[e.func], clauses={"polarity", "unclipped"} if e.func == "goalposts" else {"over", "by", "polarity"})
    x = ctx.expr(e.args[0].value)
    extra = [ctx.expr(a.value) for a in e.args[1:]]
    if any(v.grain != m.SCALAR for v in extra):
        raise ctx.error(f"{e.func}(): the bounds must be numbers or params", e.args[1].span)
    sign = e.polarity.value if e.polarity is not None else 1
    if sign not in (1, -1):
        raise ctx.error("direction is 1 (higher is better) or -1 (higher is worse)", e.polarity.span if e.polarity else e.span)
    axis = None if e.func == "goalposts" or e.by is not None else entity_axis(ctx, x, e)
    if axis is not None and axis not in x.grain.dims:
        raise ctx.error(f"cannot reduce over '{axis}': the argument is {x.grain}", e.over.span if e.over else e.span)
    if e.by is not None and ctx.axes.attributes.get(e.by.id) not in x.grain.dims:
        raise ctx.error(f"cannot group by '{e.by.id}': it is not an attribute of an axis of {x.grain}", e.by.span)
    clauses = m.Clauses(over=axis, by=e.by.id if e.by else None, direction=int(sign), unclipped=e.unclipped)
    return m.Call(e.func, (x, *extra), x.grain, clauses, axis=axis, label=ctx.text(e),
                  texts=tuple(ctx.text(a.value) for a in e.args), span=e.span)


def _lower(call: m.Call, axes: m.Axes) -> m.Expr:
    """The normaliser's formula, on its grain's rows only (model.ON_ROWS): as every call
    that works across rows, it is missing on a finer row its grain has no row for, where
    its argument written out there might still be present (`minmax(x ?? 0 over year)`
    at firm × year, a year the table of x lacks)."""
    return m.Op(m.ON_ROWS, (_formula(call, axes),), call.args[0].grain, call.span)


def _formula(call: m.Call, axes: m.Axes) -> m.Expr:
    x, extra, c = call.args[0], list(call.args[1:]), call.clauses
    g, span = x.grain, call.span
    op = lambda o, *a: m.Op(o, tuple(a), g, span)  # noqa: E731
    n = lambda v: m.Const(v, span=span)  # noqa: E731

    def spread(func: str) -> m.Expr:
        """A reduction of x across the axis (or within the group), broadcast back onto x."""
        where = f"by {c.by}" if c.by else f"over {c.over}"
        return reduction(axes, func, x, f"{func}({call.texts[0]} {where})", over=c.over, by=c.by)

    sign = c.direction
    if call.func == "goalposts":  # COINr's default: clipped to the posts, onto 0..100
        lo, hi = extra
        gap = op("-", x, lo) if sign == 1 else op("-", hi, x)
        scaled = op("/", gap, op("-", hi, lo))
        if c.unclipped:
            return op("*", scaled, n(100))
        return op("*", op("least", op("greatest", scaled, n(0)), n(1)), n(100))
    if call.func == "fracmax":  # the percent of the leader: x / max, or min / x where lower is better
        return op("*", op("/", spread("min"), x) if sign == -1 else op("/", x, spread("max")), n(100))
    if sign == -1:
        x = op("neg", x)
    if call.func == "prank":
        assert call.axis is not None or c.by is not None
        where = f" by {c.by}" if c.by else f" over {c.over}" if c.over else ""
        ranked = rank(x, _ranked_axis(axes, x, c), False, group=c.by, label=f"rank({call.texts[0]} asc{where})")
        return op("*", op("/", op("-", ranked, n(1)), op("-", spread("count"), n(1))), n(100))
    if call.func == "distance":  # COINr's distance to a target, capped at the target
        (target,) = extra
        if sign == -1:
            target = op("neg", target)
        low = spread("min")
        return op("*", op("least", op("/", op("-", x, low), op("-", target, low)), n(1)), n(100))
    if call.func == "minmax":
        lo, hi = extra if extra else (n(0), n(100))
        low, high = spread("min"), spread("max")
        return op("+", lo, op("*", op("/", op("-", x, low), op("-", high, low)), op("-", hi, lo)))
    centre, width = extra if extra else (n(0), n(1))
    mean, sd = spread("mean"), spread("sd")
    return op("+", centre, op("*", op("/", op("-", x, mean), sd), width))


def _ranked_axis(axes: m.Axes, x: m.Expr, c: m.Clauses) -> str:
    """prank by a group ranks across the group's entities."""
    if c.over is not None:
        return c.over
    return axes.attributes[c.by] if c.by else next(d for d in x.grain.dims if not axes.is_time(d))


BUILTINS = tuple(Builtin(f, sig, _check, _lower) for f, sig in (
    ("minmax", "minmax(x[, lo, hi] [over AXIS | by GROUP] [direction -1])"),
    ("zscore", "zscore(x[, mean, sd] [over AXIS | by GROUP] [direction -1])"),
    ("goalposts", "goalposts(x, lo, hi [direction -1] [unclipped])"),
    ("distance", "distance(x, target [over AXIS | by GROUP] [direction -1])"),
    ("prank", "prank(x [over AXIS | by GROUP] [direction -1])"),
    ("fracmax", "fracmax(x [over AXIS | by GROUP] [direction -1])"),
))
