"""Along time, within each entity: `lag(x[, k])` is x in calendar period t−k (missing
when the panel lacks it, never the previous row's value), `chain(x)` is x / lag(x),
`cumprod`/`cumsum` accumulate, and `fill_forward`, `fill_backward` and `interpolate`
impute missing values from the same entity's observed periods (no extrapolation)."""

from __future__ import annotations

from sqlglot import exp

from .. import ast
from ..semantics import model as m
from ..sql.trees import binary, case, is_null, lit
from . import Builtin, CheckContext, SqlContext, require
from .reductions import AGGREGATES, Over


def time_axis(ctx: CheckContext, arg: m.Expr, what: str, span: ast.Span) -> str:
    times = [d for d in arg.grain.dims if ctx.axes.is_time(d)]
    if not times:
        raise ctx.error(f"{what} needs a quantity with a time axis; this one is {arg.grain}", span)
    return times[0]


def _check_lag(ctx: CheckContext, e: ast.Call) -> m.Expr:
    require(ctx, e, 1, 2 if e.func == "lag" else 1)
    arg = ctx.expr(e.args[0].value)
    time = time_axis(ctx, arg, f"{e.func}()", e.span)
    offset = 1
    if len(e.args) == 2:
        k = e.args[1].value
        if not (isinstance(k, ast.Number) and isinstance(k.value, int) and k.value >= 1):
            raise ctx.error("lag(x, k): k must be a whole number of periods, 1 or more", k.span)
        offset = k.value
    return m.Call(e.func, (arg, m.Const(offset)), arg.grain, axis=time, label=ctx.text(e), span=e.span)


def _check_fill(ctx: CheckContext, e: ast.Call) -> m.Expr:
    require(ctx, e, 1, 1)
    arg = ctx.expr(e.args[0].value)
    return m.Call(e.func, (arg,), arg.grain, axis=time_axis(ctx, arg, f"{e.func}()", e.span), label=ctx.text(e),
                  span=e.span)


def _check_cumulative(ctx: CheckContext, e: ast.Call) -> m.Expr:
    require(ctx, e, 1, 1, {"over"})
    arg = ctx.expr(e.args[0].value)
    if e.over is None:
        raise ctx.error(f"{e.func}() does not say what it accumulates over", e.span,
                        f"name the time axis: {e.func}(x over year)")
    if not ctx.axes.is_time(e.over.id) or e.over.id not in arg.grain.dims:
        raise ctx.error(f"{e.func}() accumulates along a time axis of its argument ({arg.grain})", e.over.span)
    return m.Call(e.func, (arg,), arg.grain, axis=e.over.id, label=ctx.text(e), span=e.span)


def _lower(call: m.Call, axes: m.Axes) -> m.Expr:
    x = call.args[0]
    assert call.axis is not None
    if call.func in ("lag", "chain"):
        offset = 1
        if len(call.args) > 1:  # lag(x, k): the Const `_check_lag` made of k
            k = call.args[1]
            assert isinstance(k, m.Const) and isinstance(k.value, (int, float))
            offset = int(k.value)
        lag = m.Window("lag", x, x.grain, call.axis, offset, label=call.label, span=call.span)
        return lag if call.func == "lag" else m.Op("/", (x, lag), x.grain, call.span)
    return m.Window(call.func, x, x.grain, call.axis, label=call.label, span=call.span)


def _lag(ctx: SqlContext, e: m.Window) -> exp.Expr:
    """One period back is the previous row exactly when that row's period is t-1, so
    LAG suffices (one sort, no frame); further back, a gap before t-k could hide t-k
    from LAG, so a RANGE frame of exactly period t-k is used."""
    x, t = ctx(e.arg), ctx.key(e.axis)
    part, order = ctx.partition(e.grain, e.axis), [exp.Ordered(this=t)]
    if e.offset == 1:
        same = exp.EQ(this=ctx.window(exp.Lag(this=t.copy()), part, order), expression=binary(exp.Sub, t.copy(), lit(1)))
        return case((same, ctx.window(exp.Lag(this=x), part, order)))
    spec = exp.WindowSpec(kind="RANGE", start=lit(e.offset), start_side="PRECEDING",
                          end=lit(e.offset), end_side="PRECEDING")
    return ctx.window(exp.FirstValue(this=x), part, order, spec)


def _cumulative(ctx: SqlContext, e: m.Window) -> exp.Expr:
    spec = exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW")
    order = [exp.Ordered(this=ctx.key(e.axis))]
    part = ctx.partition(e.grain, e.axis)
    func = "product" if e.kind == "cumprod" else "sum"
    return AGGREGATES[func](ctx(e.arg), Over(ctx.dialect, ctx.window, part, order, spec), e)


def _nearest(ctx: SqlContext, e: m.Window, value: exp.Expr, after: bool, inclusive: bool) -> exp.Expr:
    """The last observed value before t (or the next after t), t itself included or not."""
    part = ctx.partition(e.grain, e.axis)
    if not ctx.dialect.ignore_nulls:
        return _nearest_by_array(ctx, e, part, value, after, inclusive)
    near = None if inclusive else lit(1)
    spec = (exp.WindowSpec(kind="ROWS", start=near or "CURRENT ROW", start_side="FOLLOWING" if near else None,
                           end="UNBOUNDED", end_side="FOLLOWING") if after else
            exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING",
                           end=near or "CURRENT ROW", end_side="PRECEDING" if near else None))
    func = exp.FirstValue if after else exp.LastValue
    return ctx.window(exp.IgnoreNulls(this=func(this=value)), part, [exp.Ordered(this=ctx.key(e.axis))], spec)


def _nearest_by_array(ctx: SqlContext, e: m.Window, part: list[exp.Expr], value: exp.Expr,
                      after: bool, inclusive: bool) -> exp.Expr:
    """Without IGNORE NULLS (PostgreSQL): the values from t (or the period next to it)
    on, in the direction looked, gathered in order into an array; its first element once
    the missing are removed. Quadratic in an entity's periods, which panels keep short."""
    spec = exp.WindowSpec(kind="ROWS", start="CURRENT ROW" if inclusive else lit(1),
                          start_side=None if inclusive else "FOLLOWING", end="UNBOUNDED", end_side="FOLLOWING")
    order = [exp.Ordered(this=ctx.key(e.axis), desc=not after)]
    gathered = ctx.window(exp.ArrayAgg(this=value), part, order, spec)
    # sqlglot's subscripts count from 0 and print in the dialect's own base
    return exp.Bracket(this=exp.Paren(this=exp.ArrayRemove(this=gathered, expression=exp.Null())), expressions=[lit(0)])


def _fill(ctx: SqlContext, e: m.Window) -> exp.Expr:
    return _nearest(ctx, e, ctx(e.arg), e.kind == "fill_backward", inclusive=True)


def _interpolate(ctx: SqlContext, e: m.Window) -> exp.Expr:
    """The straight line between the nearest observed periods before and after t, by
    calendar period."""
    x, t = ctx(e.arg), ctx.key(e.axis)
    observed_at = case((exp.Not(this=is_null(x.copy())), t.copy()))
    before = lambda v: _nearest(ctx, e, v.copy(), False, False)  # noqa: E731
    after = lambda v: _nearest(ctx, e, v.copy(), True, False)  # noqa: E731
    slope = binary(exp.Div, binary(exp.Sub, after(x), before(x)), binary(exp.Sub, after(observed_at), before(observed_at)))
    line = binary(exp.Add, before(x), binary(exp.Mul, slope, binary(exp.Sub, t.copy(), before(observed_at))))
    return exp.Coalesce(this=x, expressions=[line])


WINDOWS = {"lag": _lag, "cumprod": _cumulative, "cumsum": _cumulative, "fill_forward": _fill,
           "fill_backward": _fill, "interpolate": _interpolate}

BUILTINS = (
    Builtin("lag", "lag(x[, k])", _check_lag, _lower),
    Builtin("chain", "chain(x)", _check_lag, _lower),
    Builtin("cumprod", "cumprod(x over TIME)", _check_cumulative, _lower),
    Builtin("cumsum", "cumsum(x over TIME)", _check_cumulative, _lower),
    Builtin("fill_forward", "fill_forward(x)", _check_fill, _lower),
    Builtin("fill_backward", "fill_backward(x)", _check_fill, _lower),
    Builtin("interpolate", "interpolate(x)", _check_fill, _lower),
)
