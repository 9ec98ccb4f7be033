"""Reductions: `f(x over AXIS [in a..b])` removes an axis, `f(x by ATTRIBUTE)` replaces
the entity by its group. They skip missing values (which `idxc run` counts), and a
reduction over no values is missing. `x at PERIOD` is here too: the value in one
period, a reduction of the time axis to one of its values."""

from __future__ import annotations

import functools
from dataclasses import replace
from typing import Callable

from sqlglot import exp

from .. import ast
from ..semantics import model as m
from ..diagnostics import did_you_mean
from ..sql.dialects import Dialect, Summing
from ..sql.trees import as_double, binary, case, is_null, lit
from . import Builtin, CheckContext, SqlContext, require
from .means import ROW_WISE, check_row_wise, lower_row_wise

Window = Callable[..., exp.Window]  # SqlContext.window: (func, partition, order, spec) -> a window
_WHOLE = exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="UNBOUNDED", end_side="FOLLOWING")


class Over:
    """Where a reduction's aggregates run: a GROUP BY's groups (no `part`), a window over
    the partition `part`, or a running window (`order`, `spec`: cumsum, cumprod).

    An aggregate exact in any order (COUNT, MIN, MAX, a sum of whole numbers) is taken
    as it is (`over(agg)`). A sum of doubles is not: its last bits follow the order of
    its additions, which an engine chooses (threads, partitions, partial sums), so
    `over.sum(x)` adds the values in one order that every engine follows, the
    engine's way (dialects.Summing): ascending by value in a GROUP BY or a whole
    partition (equal values are the same bits, so their order among themselves does
    not matter), by period in a running window."""

    def __init__(self, dialect: Dialect, window: Window | None = None, part: list[exp.Expr] | None = None,
                 order: list[exp.Ordered] | None = None, spec: exp.WindowSpec | None = None) -> None:
        self.dialect, self.window, self.part, self.order, self.spec = dialect, window, part, order, spec

    def __call__(self, agg: exp.Expr) -> exp.Expr:
        if self.part is None or self.window is None:
            return agg
        return self.window(agg, self.part, self.order, self.spec)

    def sum(self, x: exp.Expr) -> exp.Expr:
        d = self.dialect
        if self.part is None or self.window is None:
            found = _grouped_sum(x, d.grouped_sums)
        elif self.order is None:  # a whole partition, added row by row in the window's order
            ordered = d.grouped_sums is not Summing.PLAIN
            found = self.window(exp.Sum(this=x), self.part, [exp.Ordered(this=x.copy())] if ordered else None,
                                _WHOLE if ordered else None)
        elif d.running_sums is Summing.FOLDED:
            found = _folded(self.window(exp.ArrayAgg(this=x), self.part, self.order, self.spec))
        else:
            found = self(exp.Sum(this=x))
        return binary(exp.Add, found, lit(0)) if d.signed_zero_sum else found  # -0.0 + 0 is 0.0, as the others add

    def mean(self, x: exp.Expr) -> exp.Expr:
        """The sum over the count: the same division on every engine (AVG's algorithm is each engine's own)."""
        return binary(exp.Div, self.sum(x), self(exp.Count(this=x.copy())))


def _grouped_sum(x: exp.Expr, how: Summing) -> exp.Expr:
    if how is Summing.ORDERED:
        return exp.Sum(this=exp.Order(this=x, expressions=[exp.Ordered(this=x.copy())]))
    if how is Summing.FOLDED:  # collected without the missing values, sorted
        return _folded(exp.ArraySort(this=exp.ArrayAgg(this=x)))
    return exp.Sum(this=x)


def _folded(values: exp.Expr) -> exp.Expr:
    """The values of a list added one by one from the first, as SUM does (from 0, the
    missing skipped; missing when none is there)."""
    acc, v = exp.to_identifier("acc"), exp.to_identifier("v")
    step = case((is_null(exp.column(v.copy())), exp.column(acc.copy())),
                default=binary(exp.Add, exp.Coalesce(this=exp.column(acc.copy()), expressions=[lit(0)]), exp.column(v.copy())))
    return exp.Reduce(this=values, initial=exp.Cast(this=exp.Null(), to=exp.DataType.build("DOUBLE")),
                      merge=exp.Lambda(this=step, expressions=[acc, v]))


def _product(x: exp.Expr, over: Over, e: m.Reduce | m.Window) -> exp.Expr:
    """EXP(SUM(LN(|x|))) with the sign and zeros handled explicitly: portable SQL has
    no PRODUCT aggregate."""
    nonzero = exp.Abs(this=exp.Nullif(this=x.copy(), expression=lit(0)))
    magnitude = exp.Exp(this=over.sum(exp.Ln(this=nonzero)))
    negatives = over(exp.Sum(this=exp.If(this=exp.LT(this=x.copy(), expression=lit(0)), true=lit(1), false=lit(0))))
    sign = exp.If(this=exp.EQ(this=exp.Mod(this=negatives, expression=lit(2)), expression=lit(1)),
                  true=lit(-1), false=lit(1))
    zero = exp.EQ(this=over(exp.Min(this=exp.Abs(this=x.copy()))), expression=lit(0))
    return case((zero, lit(0)), default=binary(exp.Mul, magnitude, sign))


def _geomean(x: exp.Expr, over: Over, e: m.Reduce | m.Window) -> exp.Expr:
    """Defined for positive values only: any other makes it missing."""
    positive = case((exp.GT(this=x.copy(), expression=lit(0)), x.copy()))
    undefined = exp.LTE(this=over(exp.Min(this=x.copy())), expression=lit(0))
    return case((undefined, exp.Null()), default=exp.Exp(this=over.mean(exp.Ln(this=positive))))


def power_sums(x: exp.Expr, over: Over, upto: int) -> list[exp.Expr]:
    """n (as a double) and the sums of x, x², … x^upto: plain SUMs every engine has,
    where native SKEWNESS and KURTOSIS differ (Spark's are population estimators,
    PostgreSQL has none)."""
    return [as_double(over(exp.Count(this=x.copy())))] + [over.sum(_power(x, k)) for k in range(1, upto + 1)]


def _power(x: exp.Expr, k: int) -> exp.Expr:
    """x·x·…·x: exact products, the same on every engine (POWER's precision is not)."""
    out = x.copy()
    for _ in range(k - 1):
        out = binary(exp.Mul, out, x.copy())
    return out


def moments(sums: list[exp.Expr]) -> list[exp.Expr]:
    """n, E[x²] and the central moments m2, m3 (, m4), each divided by n, from n and
    the power sums."""
    n, *s = sums
    raw = [binary(exp.Div, v.copy(), n.copy()) for v in s]  # E[x^k]
    mean = lambda: raw[0].copy()  # noqa: E731
    times = lambda *a: functools.reduce(lambda l, r: binary(exp.Mul, l, r), a)  # noqa: E731
    found = [n.copy(), raw[1].copy(), binary(exp.Sub, raw[1].copy(), _power(mean(), 2)),
             binary(exp.Add, binary(exp.Sub, raw[2].copy(), times(lit(3), mean(), raw[1].copy())),
                    times(lit(2), _power(mean(), 3)))]
    if len(raw) == 4:
        found.append(binary(exp.Sub, binary(exp.Add, binary(exp.Sub, raw[3].copy(), times(lit(4), mean(), raw[2].copy())),
                                            times(lit(6), _power(mean(), 2), raw[1].copy())),
                            times(lit(3), _power(mean(), 4))))
    return found


def _spread(n: exp.Expr, square: exp.Expr, m2: exp.Expr, at_least: int) -> exp.Expr:
    """Enough values, and a variance above rounding error (10⁻¹² of the mean square):
    constant values have no skew or kurtosis, whatever the last bits of their sums say."""
    return exp.and_(exp.GTE(this=n.copy(), expression=lit(at_least)),
                    exp.GT(this=m2.copy(), expression=binary(exp.Mul, lit(1e-12), square.copy())))


def skew_of(n: exp.Expr, square: exp.Expr, m2: exp.Expr, m3: exp.Expr) -> exp.Expr:
    """The sample skewness, as Excel's SKEW (and COINr): √(n(n−1))/(n−2) · m3/m2^1.5."""
    factor = binary(exp.Div, exp.Sqrt(this=binary(exp.Mul, n.copy(), binary(exp.Sub, n.copy(), lit(1)))),
                    binary(exp.Sub, n.copy(), lit(2)))
    value = binary(exp.Div, binary(exp.Mul, factor, m3.copy()), binary(exp.Mul, m2.copy(), exp.Sqrt(this=m2.copy())))
    return case((_spread(n, square, m2, 3), value))


def kurt_of(n: exp.Expr, square: exp.Expr, m2: exp.Expr, m4: exp.Expr) -> exp.Expr:
    """The sample excess kurtosis, as Excel's KURT (and COINr):
    (n−1)((n+1)·m4/m2² − 3(n−1)) / ((n−2)(n−3))."""
    less = lambda k: binary(exp.Sub, n.copy(), lit(k))  # noqa: E731
    ratio = binary(exp.Div, binary(exp.Mul, binary(exp.Add, n.copy(), lit(1)), m4.copy()), _power(m2, 2))
    top = binary(exp.Mul, less(1), binary(exp.Sub, ratio, binary(exp.Mul, lit(3), less(1))))
    return case((_spread(n, square, m2, 4), binary(exp.Div, top, binary(exp.Mul, less(2), less(3)))))


def _skew(x: exp.Expr, over: Over, e: m.Reduce | m.Window) -> exp.Expr:
    n, square, m2, m3 = moments(power_sums(x, over, 3))
    return skew_of(n, square, m2, m3)


def _kurt(x: exp.Expr, over: Over, e: m.Reduce | m.Window) -> exp.Expr:
    n, square, m2, _, m4 = moments(power_sums(x, over, 4))
    return kurt_of(n, square, m2, m4)


def _exact(cls: type) -> Callable[[exp.Expr, Over, m.Reduce | m.Window], exp.Expr]:
    return lambda x, over, e: over(cls(this=x))


# each takes the reduction, or the running window (builtins/time.py: cumsum, cumprod), it computes
AGGREGATES: dict[str, Callable[[exp.Expr, Over, m.Reduce | m.Window], exp.Expr]] = {
    "sum": lambda x, over, e: over.sum(x), "mean": lambda x, over, e: over.mean(x),
    "min": _exact(exp.Min), "max": _exact(exp.Max),
    # a reduction over no values is missing, a count too (not 0): the same on the groups a
    # GROUP BY makes and on rows a full join brings without any
    "count": lambda x, over, e: exp.Nullif(this=over(exp.Count(this=x)), expression=lit(0)),
    "cells": _exact(exp.Count),  # the compiler's own count of cells (planning/passes/fold_tallies.py): 0 for none
    "skew": _skew, "kurt": _kurt, "product": _product, "geomean": _geomean,
}
# sd, median and quantile are written out in the reductions above on every engine
# (lower.written_out: sd_by_deviations, quantile_by_rank), never in SQL of their own
REDUCTIONS = ("sum", "mean", "min", "max", "count", "sd", "median", "skew", "kurt", "product", "geomean", "quantile")


def sql_reduce(ctx: SqlContext, e: m.Reduce) -> exp.Expr:
    x = ctx(e.arg)
    if e.within:
        t = ctx.key(e.axis)
        x = case((exp.Between(this=t, low=lit(e.within[0]), high=lit(e.within[1])), x))
    over = Over(ctx.dialect) if ctx.grouped else Over(ctx.dialect, ctx.window, ctx.partition(e.grain))
    value = AGGREGATES[e.func](x, over, e)
    # an entity of no group gets nothing back from it; a reduction the compiler makes inside
    # another (a quantile's maxima, which rank within the group) takes that from its argument
    if e.mode is m.Mode.BY and not ctx.grouped and e.report and e.func != "cells":
        return case((exp.Not(this=is_null(ctx.key(e.axis))), value))
    return value


def sql_at(ctx: SqlContext, e: m.At) -> exp.Expr:
    x = case((exp.EQ(this=ctx.key(e.time), expression=lit(e.period)), ctx(e.arg)))
    return exp.Max(this=x) if ctx.grouped else ctx.window(exp.Max(this=x), ctx.partition(e.grain))


def reduction(axes: m.Axes, func: str, x: m.Expr, label: str, over: str | None = None, by: str | None = None,
              within: tuple[float, float] | None = None, param: float | None = None, report: bool = True,
              span: ast.Span | None = None) -> m.Reduce:
    """A reduction node: over an axis, or by the group an attribute names."""
    if by is not None:
        entity = axes.attributes[by]
        grain = m.make_grain(axes, x.grain.replace(entity, by).dims)
        return m.Reduce(func, x, grain, by, m.Mode.BY, None, param, label, report, span)
    assert over is not None
    return m.Reduce(func, x, x.grain.without(over), over, m.Mode.OVER, within, param, label, report, span)


def quantile_by_rank(e: m.Reduce, axes: m.Axes) -> m.Expr:
    """quantile (and median) from the values' places, on every engine (PostgreSQL's
    percentile_cont is no window, Spark's takes another syntax, and DuckDB's
    quantile_cont interpolates as lo·(1 − d) + hi·d, whose last bit differs): with n
    values and h = (n − 1)·p, the value in place ⌊h⌋ + 1 plus d = h − ⌊h⌋ (exact) times
    the step to the next (R's type 7). Ranks and maxima every engine has; the count
    carries the reduction's report of skipped values."""
    x, span = e.arg, e.span
    op = lambda o, *a: m.Op(o, tuple(a), _finest(a), span)  # noqa: E731
    if e.within is not None:
        t = m.Ref(e.axis, x.grain, m.RefKind.KEY, span)
        inside = op("and", op(">=", t, m.Const(e.within[0])), op("<=", t, m.Const(e.within[1])))
        x = op("if", inside, x, m.Const(None))
    by = e.mode is m.Mode.BY
    reduce = lambda func, arg, report=False: m.Reduce(func, arg, e.grain, e.axis, e.mode,  # noqa: E731
                                                       label=e.label, report=report, span=span)
    # the values' number: a plain count (its ranks and maxima are missing where it would be 0)
    n = m.Reduce("cells", e.arg, e.grain, e.axis, e.mode, e.within, label=e.label, report=e.report, span=span)
    h = op("*", op("-", n, m.Const(1)), m.Const(0.5 if e.param is None else e.param))
    place = m.Window("rank", x, x.grain, axes.attributes[e.axis] if by else e.axis, ties="first",
                     group=e.axis if by else None, label=e.label, span=span)
    at = lambda k: op("and", op(">", place, op("+", h, m.Const(k - 1))), op("<=", place, op("+", h, m.Const(k))))  # noqa: E731
    below = reduce("max", op("if", at(1), x, m.Const(None)))
    above = reduce("max", op("if", at(2), x, m.Const(None)))
    fraction = reduce("max", op("if", at(1), op("-", h, op("-", place, m.Const(1))), m.Const(None)))
    return op("+", below, op("*", fraction, op("-", op("coalesce", above, below), below)))


def sd_by_deviations(e: m.Reduce) -> m.Expr:
    """The sample standard deviation, the same computation on every engine (each
    engine's STDDEV_SAMP has its own algorithm, Welford's or Youngs and Cramer's, and
    its own last bits): the mean first, then the squared deviations from it summed,
    √(Σ(x − mean)² / (n − 1)), two passes, as accurate as those algorithms; missing
    with fewer than two values. The count carries the reduction's report."""
    x, span = e.arg, e.span
    op = lambda o, *a: m.Op(o, tuple(a), _finest(a), span)  # noqa: E731
    reduce = lambda func, arg, report=False: m.Reduce(func, arg, e.grain, e.axis, e.mode, e.within,  # noqa: E731
                                                       label=e.label, report=report, span=span)
    deviation = op("-", x, reduce("mean", x))
    n = reduce("count", x, e.report)
    return op("sqrt", op("/", reduce("sum", op("*", deviation, deviation)), op("-", n, m.Const(1))))


def moments_by_deviations(e: m.Reduce) -> m.Expr:
    """The sample skewness or excess kurtosis (Excel's SKEW and KURT, as skew_of and
    kurt_of) from the deviations from the mean, two passes as sd: the raw power sums'
    E[x³] − 3·mean·E[x²] + 2·mean³ cancels to rounding noise of the size of x³ where the
    skew is 0 (1, 2, 2, 2, 3 gave 1e-14, not 0). Missing with too few values (3; 4) or
    a variance within rounding of none (10⁻¹² of the mean square)."""
    x, span = e.arg, e.span
    op = lambda o, *a: m.Op(o, tuple(a), _finest(a), span)  # noqa: E731
    reduce = lambda func, arg, report=False: m.Reduce(func, arg, e.grain, e.axis, e.mode, e.within,  # noqa: E731
                                                       label=e.label, report=report, span=span)
    c = lambda v: m.Const(v)  # noqa: E731
    d = op("-", x, reduce("mean", x))
    n = reduce("count", x, e.report)
    mean_power = lambda k: op("/", reduce("sum", _times(op, d, k)), n)  # noqa: E731
    m2 = mean_power(2)
    spread = op(">", m2, op("*", c(1e-12), reduce("mean", op("*", x, x))))
    if e.func == "skew":
        factor = op("/", op("sqrt", op("*", n, op("-", n, c(1)))), op("-", n, c(2)))
        value = op("/", op("*", factor, mean_power(3)), op("*", m2, op("sqrt", m2)))
        enough = c(3)
    else:
        ratio = op("/", op("*", op("+", n, c(1)), mean_power(4)), op("*", m2, m2))
        top = op("*", op("-", n, c(1)), op("-", ratio, op("*", c(3), op("-", n, c(1)))))
        value = op("/", top, op("*", op("-", n, c(2)), op("-", n, c(3))))
        enough = c(4)
    return op("if", op("and", op(">=", n, enough), spread), value, c(None))


def _times(op: Callable[..., m.Expr], d: m.Expr, k: int) -> m.Expr:
    out = d
    for _ in range(k - 1):
        out = op("*", out, d)
    return out


def _finest(args: tuple[m.Expr, ...]) -> m.Grain:
    return max((a.grain for a in args), key=lambda g: len(g.dims))


def probability(ctx: CheckContext, e: ast.Expr) -> float:
    value = ctx.number(e)
    if value is None or not 0 <= value <= 1:
        raise ctx.error("a quantile's probability is a number (or param) from 0 to 1", e.span)
    return float(value)


def _check(ctx: CheckContext, e: ast.Call) -> m.Expr:
    if e.over is None and e.by is None:
        if len(e.args) > 1 and e.func in ROW_WISE:
            return check_row_wise(ctx, e)
        if len(e.args) > 1 and e.func in ("max", "min"):
            other = "greatest" if e.func == "max" else "least"
            raise ctx.error(f"{e.func}() reduces along an axis; for the row-wise {e.func}imum use {other}(...)", e.func_span)
        raise ctx.error(f"{e.func}() does not say what it reduces over", e.span,
                        f"name the axis: {e.func}(x over <entity or time axis>) or {e.func}(x by <attribute>)")
    if e.over is not None and e.by is not None:
        raise ctx.error(f"{e.func}() takes 'over' or 'by', not both", e.span)
    if e.over_more:
        return _over_several(ctx, e)
    if e.func == "mean" and len(e.args) == 1 and e.args[0].weight is not None:
        return _weighted_mean(ctx, e)
    require(ctx, e, *((2, 2) if e.func == "quantile" else (1, 1)), clauses={"over", "by", "within"})
    arg = ctx.expr(e.args[0].value)
    extra = (m.Const(probability(ctx, e.args[1].value)),) if e.func == "quantile" else ()
    if e.over is not None:
        return _over(ctx, e, arg, extra)
    return _by(ctx, e, arg, extra)


NESTED = {"sum": "sum", "min": "min", "max": "max", "product": "product", "count": "sum"}  # f over a, b: outer(f over a over b)


def _over_several(ctx: CheckContext, e: ast.Call) -> m.Expr:
    """`f(x over a, b)`, every cell of the two axes at once: one axis after the other,
    which is the same for a sum, a minimum, a maximum, a product and a count (a count's
    counts summed), and for a mean as the sum over the count. `in a..b` stays with the
    time axis. Any other (a median, a deviation) is not a reduction of reductions."""
    assert e.over is not None  # `over a, b`: the parser gives over_more with over
    if e.func not in (*NESTED, "mean"):
        raise ctx.error(f"{e.func}() over several axes at once is not supported: only sum, mean, min, max, count "
                        "and product are the same reduced one axis after the other", e.over_more[0].span,
                        f"reduce over one axis: {e.func}(x over {e.over.id})")
    axes = (e.over, *e.over_more)
    times = [a for a in axes if ctx.axes.is_time(a.id)]
    if e.func == "mean":
        total, count = _over_several(ctx, replace(e, func="sum")), _over_several(ctx, replace(e, func="count"))
        return m.Op("/", (total, count), total.grain, e.span)
    inner: ast.Expr = e.args[0].value
    for k, axis in enumerate(axes):
        func = e.func if k == 0 else NESTED[e.func]
        within = e.within if times and axis is times[0] else None
        inner = replace(e, func=func, args=(ast.Arg(inner, span=e.args[0].span),), over=axis, over_more=(),
                        within=within)
    return ctx.expr(inner)


def _weighted_mean(ctx: CheckContext, e: ast.Call) -> m.Expr:
    """`mean(x: w by group)`: Σ w·x / Σ w over the cells where both are present (a
    population-weighted mean of regions by district), missing where the weights sum to
    0; the two sums' skipped values are counted as any reduction's."""
    require(ctx, e, 1, 1, clauses={"over", "by", "within"}, weights=True)
    arg = e.args[0]
    assert arg.weight is not None  # `_check` calls it for a weighted argument only
    x, w = ctx.expr(arg.value), ctx.expr(arg.weight)
    grain = ctx.combine([x, w], [arg.value.span, arg.weight.span])
    product = m.Op("*", (x, w), grain, arg.span)
    weight = m.Op("if", (m.Op("known", (product,), grain, arg.span), w, m.Const(None)), grain, arg.span)
    wx = ast.Binary("*", arg.weight, arg.value, arg.span)
    parts = []
    for value, written in ((product, wx), (weight, arg.weight)):
        total = replace(e, func="sum", args=(ast.Arg(written, span=arg.span),))
        parts.append((_over if e.over is not None else _by)(ctx, total, value, ()))
    return m.Op("/", tuple(parts), parts[0].grain, e.span)


def _over(ctx: CheckContext, e: ast.Call, arg: m.Expr, extra: tuple[m.Expr, ...]) -> m.Call:
    assert e.over is not None
    axes, axis = ctx.axes, e.over.id
    if axis not in arg.grain.dims:
        known = [*axes.entities, *axes.times, *axes.attributes]
        if axis not in known:
            raise ctx.error(f"unknown axis '{axis}'", e.over.span, did_you_mean(axis, known))
        raise ctx.error(f"cannot reduce over '{axis}': the argument is {arg.grain}", e.over.span,
                        "'over' removes one of the argument's axes" + (
                            f"; to group by the attribute write {e.func}(x by {axis})" if axis in axes.attributes else ""))
    within = None
    if e.within is not None:
        if not axes.is_time(axis):
            raise ctx.error(f"'in a..b' selects periods; '{axis}' is not a time axis", e.within.span)
        within = (ctx.period(e.within.start, axis, "start"), ctx.period(e.within.end, axis, "end"))
        if within[0] > within[1]:
            raise ctx.error(f"empty period range {ctx.text(e.within.start)}..{ctx.text(e.within.end)}", e.within.span)
    return m.Call(e.func, (arg, *extra), arg.grain.without(axis), m.Clauses(over=axis, within=within),
                  label=ctx.text(e), span=e.span)


def _by(ctx: CheckContext, e: ast.Call, arg: m.Expr, extra: tuple[m.Expr, ...]) -> m.Call:
    assert e.by is not None
    axes, group = ctx.axes, e.by.id
    if e.within is not None:
        raise ctx.error("'in a..b' goes with 'over <time axis>'", e.within.span)
    entity = axes.attributes.get(group)
    if entity is None:
        if group in axes.entities or group in axes.times:
            raise ctx.error(f"'by' groups by an attribute; '{group}' is an axis", e.by.span,
                            f"to keep '{group}' and remove the other axis, write {e.func}(x over <that axis>)")
        raise ctx.error(f"unknown attribute '{group}'", e.by.span, did_you_mean(group, axes.attributes))
    if entity not in arg.grain.dims:
        raise ctx.error(f"cannot group by '{group}': the argument is {arg.grain}, without {entity}", e.by.span)
    grain = m.make_grain(axes, arg.grain.replace(entity, group).dims)
    return m.Call(e.func, (arg, *extra), grain, m.Clauses(by=group), label=ctx.text(e), span=e.span)


def _lower(call: m.Call, axes: m.Axes) -> m.Expr:
    if call.clauses.over is None and call.clauses.by is None:
        return lower_row_wise(call, axes)
    param = None
    if len(call.args) > 1:  # quantile's probability: the number `_check` made a Const of
        p = call.args[1]
        assert isinstance(p, m.Const) and isinstance(p.value, (int, float))
        param = p.value
    return reduction(axes, call.func, call.args[0], call.label, call.clauses.over, call.clauses.by,
                     call.clauses.within, param, span=call.span)


BUILTINS = tuple(Builtin(f, f"{f}(x over AXIS [in a..b]) | {f}(x by ATTRIBUTE)" if f != "quantile" else
                         "quantile(x, p over AXIS) | quantile(x, p by ATTRIBUTE)", _check, _lower)
                 for f in REDUCTIONS)
