"""Outliers: COINr's treatment (`treat`) and quantile clipping (`clip`).

`treat(x [, winmax])`, within each period across the entities: an indicator fails
when |skewness| ≥ 2 and kurtosis ≥ 3.5 (Excel's SKEW and KURT, as COINr); a failing
one is Winsorised one point at a time (the highest value, every entity holding it,
takes the next highest when it skews right; the lowest the next lowest when left),
re-checked after each point, up to `winmax` points; if it still fails, the original
values are log-transformed instead: ln(x − min + 0.01 (max − min)).

After t top and b bottom points the values are those clipped to [b+1-th lowest,
t+1-th highest distinct value], so the statistics of every (t, b) with t + b ≤ winmax
are computed at once from the sorted distinct values, and the rule's path through
them is a chain of `winmax` joins: one chain of steps per indicator, never
one step per point (`bounds_sql`).
"""

from __future__ import annotations

from sqlglot import exp

from .. import ast
from ..semantics import model as m
from ..sql.dialects import DUCKDB, Dialect
from ..sql.trees import binary, case, col, ident, is_null, join, lit, select, table, window
from . import Builtin, CheckContext, entity_axis, require
from .reductions import Over, kurt_of, moments, power_sums, probability, reduction, skew_of

BOUNDS = ("lo", "hi", "failing", "low", "high")  # the columns a treatment's bounds step gives each cell
SUMS = ("n", "s1", "s2", "s3", "s4")  # n and the power sums of the clipped values, per state
MOMENTS = ("n", "mean_square", "m2", "m3", "m4")  # and from them, the central moments

# the rule's thresholds, reached within 1e-9 relative: a skewness of exactly 2 ((1, 100,
# 100, 100) has it) comes out of floating point either side of 2, by engine and formula
SKEW_LIMIT, KURT_LIMIT = 2 * (1 - 1e-9), 3.5 * (1 - 1e-9)


def _check_treat(ctx: CheckContext, e: ast.Call) -> m.Expr:
    require(ctx, e, 1, 2, {"over"})
    x = ctx.expr(e.args[0].value)
    winmax = 5
    if len(e.args) == 2:
        k = e.args[1].value
        if not (isinstance(k, ast.Number) and isinstance(k.value, int) and 0 <= k.value <= 50):
            raise ctx.error("treat(x, winmax): winmax is a whole number of points, 0 to 50", k.span)
        winmax = k.value
    axis = entity_axis(ctx, x, e)
    if axis not in x.grain.dims or ctx.axes.is_time(axis):
        raise ctx.error(f"treat() works across the entities of each period; '{axis}' is not one of {x.grain}", e.span)
    return m.Call("treat", (x, m.Const(winmax)), x.grain, m.Clauses(over=e.over.id if e.over else None), axis=axis,
                  label=ctx.text(e), texts=(ctx.text(e.args[0].value),), span=e.span)


def _lower_treat(call: m.Call, axes: m.Axes) -> m.Expr:
    assert call.axis is not None
    k = call.args[1]
    assert isinstance(k, m.Const) and isinstance(k.value, (int, float))  # the Const `_check_treat` made of winmax
    winmax = int(k.value)
    return m.Treat(call.args[0], call.grain, call.axis, winmax, call.label, call.span)


def treated(x: m.Expr, bound: dict[str, m.Expr], span: ast.Span | None = None) -> m.Expr:
    """The treated value from its cell's bounds: log-transformed if the rule still
    fails after Winsorising, else clipped to the bounds (missing stays missing)."""
    op = lambda o, *a: m.Op(o, tuple(a), x.grain, span)  # noqa: E731
    low, high = bound["low"], bound["high"]
    logged = op("ln", op("+", op("-", x, low), op("*", m.Const(0.01), op("-", high, low))))
    value = op("if", op("==", bound["failing"], m.Const(1)), logged, op("clip", x, bound["lo"], bound["hi"]))
    return m.Op("if", (op("known", x), value, m.Const(None)), x.grain, span, hint="treat")


def bounds_sql(name: str, source: str, column: str, partition: tuple[str, ...], winmax: int,
               values: str | None = None, dialect: Dialect = DUCKDB) -> list[tuple[str, exp.Select]]:
    """The CTEs of one treatment: distinct values ranked from both ends (unless another
    treatment of the column made them: `values`); every state (tops, bottoms) with its
    bounds; the statistics of the values clipped to each; the rule's move in each state;
    and its path from (0, 0), `winmax` moves long."""
    shared, values = values is not None, values or f"{name}_values"
    states, stats, moves = (f"{name}_{s}" for s in ("states", "statistics", "moves"))
    x = col(column)
    ranked = lambda desc: window(exp.Anonymous(this="DENSE_RANK"), [col(p) for p in partition],  # noqa: E731
                                 [exp.Ordered(this=x.copy(), desc=desc)])
    distinct = (select(*[col(p) for p in partition], x.copy().as_(ident("value"), copy=False),
                       ranked(True).as_(ident("from_top"), copy=False), ranked(False).as_(ident("from_bottom"), copy=False))
                .from_(table(source), copy=False).where(exp.Not(this=is_null(x.copy())), copy=False)
                .group_by(*[col(p) for p in partition], x.copy(), copy=False))
    grid = (select(*[col(p, "t") for p in partition],
                   binary(exp.Sub, col("from_top", "t"), lit(1)).as_(ident("tops"), copy=False),
                   binary(exp.Sub, col("from_bottom", "b"), lit(1)).as_(ident("bottoms"), copy=False),
                   col("value", "b").as_(ident("lo"), copy=False), col("value", "t").as_(ident("hi"), copy=False))
            .from_(_aliased(values, "t"), copy=False))
    grid = (join(grid, _aliased(values, "b"), "inner", on=_same(partition, "t", "b"))
            .where(exp.LTE(this=binary(exp.Add, col("from_top", "t"), col("from_bottom", "b")), expression=lit(winmax + 2)), copy=False))
    clipped = exp.Least(this=exp.Greatest(this=col(column, "v"), expressions=[col("lo", "s")], ignore_nulls=True),
                        expressions=[col("hi", "s")], ignore_nulls=True)
    names = [*partition, "tops", "bottoms", "lo", "hi"]
    each = (select(*[col(k, "s") for k in names], clipped.as_(ident("clipped"), copy=False))
            .from_(_aliased(states, "s"), copy=False))
    each = (join(each, _aliased(source, "v"), "inner", on=_same(partition, "s", "v"))
            .where(exp.Not(this=is_null(col(column, "v"))), copy=False))
    sums = [s.as_(ident(n), copy=False) for s, n in zip(power_sums(col("clipped"), Over(dialect), 4), SUMS)]
    summed = (select(*[col(k) for k in names], *sums).from_(each.subquery("clipped"), copy=False)
              .group_by(*[col(k) for k in names], copy=False))
    central = [v.as_(ident(c), copy=False) for v, c in zip(moments([col(n) for n in SUMS]), MOMENTS)]
    statistics = select(*[col(k) for k in names], *central).from_(summed.subquery("sums"), copy=False)
    n, square, m2, m3, m4 = (col(c) for c in MOMENTS)
    measured = select(exp.Star(), skew_of(n, square, m2, m3).as_(ident("skew"), copy=False),
                      kurt_of(n, square, m2, m4).as_(ident("kurt"), copy=False)).from_(table(stats), copy=False)
    fails = exp.and_(exp.GTE(this=exp.Abs(this=col("skew")), expression=lit(SKEW_LIMIT)),
                     exp.GTE(this=col("kurt"), expression=lit(KURT_LIMIT)))
    move = case((exp.and_(fails, exp.GT(this=col("skew"), expression=lit(0))), lit(1)), (fails.copy(), lit(-1)), default=lit(0))
    moving = select(exp.Star(), move.as_(ident("move"), copy=False)).from_(measured.subquery("measured"), copy=False)
    found = [(states, grid), (stats, statistics), (moves, moving), (name, _walk(name, moves, partition, winmax))]
    return found if shared else [(values, distinct), *found]


def _walk(name: str, moves: str, partition: tuple[str, ...], winmax: int) -> exp.Select:
    """The state the rule ends in: from (0, 0), each state moves to the next by its move."""
    last = f"s{winmax}"
    outputs = [col(p, "s0").as_(ident(p), copy=False) for p in partition] + [
        col("lo", last).as_(ident(f"{name}_lo"), copy=False), col("hi", last).as_(ident(f"{name}_hi"), copy=False),
        case((exp.NEQ(this=col("move", last), expression=lit(0)), lit(1)), default=lit(0)).as_(ident(f"{name}_failing"), copy=False),
        col("lo", "s0").as_(ident(f"{name}_low"), copy=False), col("hi", "s0").as_(ident(f"{name}_high"), copy=False)]
    walk = select(*outputs).from_(_aliased(moves, "s0"), copy=False)
    for k in range(1, winmax + 1):
        prev, here = f"s{k - 1}", f"s{k}"
        step = lambda c, way: exp.EQ(this=col(c, here), expression=binary(  # noqa: E731
            exp.Add, col(c, prev), case((exp.EQ(this=col("move", prev), expression=lit(way)), lit(1)), default=lit(0))))
        on = exp.and_(*_conditions(partition, prev, here), step("tops", 1), step("bottoms", -1))
        walk = join(walk, _aliased(moves, here), "inner", on=on)
    walk = walk.where(exp.and_(exp.EQ(this=col("tops", "s0"), expression=lit(0)),
                               exp.EQ(this=col("bottoms", "s0"), expression=lit(0))), copy=False)
    if partition:
        return walk
    # across everything: one row even when no value is present (the scalar grain has one
    # row, and a step joined to every row must not take them away); at most one row to take
    names = [o.alias for o in outputs]
    return select(*[exp.Max(this=col(n)).as_(ident(n), copy=False) for n in names]).from_(walk.subquery("walk"), copy=False)


def _aliased(name: str, alias: str) -> exp.Table:
    return exp.Table(this=ident(name), alias=exp.TableAlias(this=ident(alias)))


def _conditions(partition: tuple[str, ...], a: str, b: str) -> list[exp.Expr]:
    return [exp.EQ(this=col(p, a), expression=col(p, b)) for p in partition]


def _same(partition: tuple[str, ...], a: str, b: str) -> exp.Expr:
    return exp.and_(*_conditions(partition, a, b)) if partition else exp.true()


def _check_clip(ctx: CheckContext, e: ast.Call) -> m.Expr:
    require(ctx, e, 3, 3, {"over", "by"})
    x = ctx.expr(e.args[0].value)
    lo, hi = probability(ctx, e.args[1].value), probability(ctx, e.args[2].value)
    if lo >= hi:
        raise ctx.error("clip(x, lo, hi): lo must be below hi", e.span)
    axis = None if e.by is not None else entity_axis(ctx, x, e)
    return m.Call("clip", (x, m.Const(lo), m.Const(hi)), x.grain, m.Clauses(over=axis, by=e.by.id if e.by else None),
                  axis=axis, label=ctx.text(e), texts=tuple(ctx.text(a.value) for a in e.args), span=e.span)


def _lower_clip(call: m.Call, axes: m.Axes) -> m.Expr:
    """Quantile clipping: values below the `lo` quantile of the period (across the
    entities, or within the group) take that quantile, values above `hi` take `hi`'s."""
    x, c = call.args[0], call.clauses
    where = f"by {c.by}" if c.by else f"over {c.over}"

    def bound(i: int) -> m.Expr:
        given = call.args[i]
        assert isinstance(given, m.Const) and isinstance(given.value, (int, float))  # the Const `_check_clip` made of it
        p = float(given.value)
        return reduction(axes, "quantile", x, f"quantile({call.texts[0]}, {call.texts[i]} {where})",
                         over=c.over, by=c.by, param=p)

    clipped = m.Op("least", (m.Op("greatest", (x, bound(1)), x.grain, call.span), bound(2)), x.grain, call.span)
    return m.Op(m.ON_ROWS, (clipped,), x.grain, call.span)  # on its grain's rows, as a normaliser (normalise._lower)


BUILTINS = (
    Builtin("treat", "treat(x[, winmax] [over AXIS])", _check_treat, _lower_treat),
    Builtin("clip", "clip(x, lo, hi [over AXIS | by GROUP])", _check_clip, _lower_clip),
)
