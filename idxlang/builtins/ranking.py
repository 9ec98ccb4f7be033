"""Places and classes: `rank(x desc|asc [ties RULE] [over AXIS] [by GROUP] [where COND])`
within each period, and `classify(x, SCALE)`, the code of the band holding x."""

from __future__ import annotations

from sqlglot import exp

from .. import ast
from ..semantics import model as m
from ..diagnostics import did_you_mean
from ..sql.trees import as_double, binary, case, is_null, lit
from . import Builtin, CheckContext, SqlContext, entity_axis, require

TIE_RULES = ("min", "max", "dense", "first", "average")


def _check_rank(ctx: CheckContext, e: ast.Call) -> m.Expr:
    require(ctx, e, 1, 1, {"over", "by", "direction", "ties", "where"})
    arg = ctx.expr(e.args[0].value)
    where, grain = None, arg.grain
    if e.where is not None:  # outside the subset a value is missing: no rank, and it pushes no one down
        where = ctx.expr(e.where)
        grain = ctx.combine([arg, where], [e.args[0].span, e.where.span])
    if e.direction is None:
        raise ctx.error("rank() must state its direction", e.span,
                        "write rank(x desc) to give 1 to the highest value, rank(x asc) for the lowest")
    ties = e.ties.id if e.ties else "min"
    if ties not in TIE_RULES:
        raise ctx.error(f"unknown tie rule '{ties}'", e.ties.span if e.ties else e.span,
                        did_you_mean(ties, TIE_RULES) or f"tie rules: {', '.join(TIE_RULES)}")
    axis = entity_axis(ctx, arg, e)
    if e.over is not None and axis not in arg.grain.dims:
        raise ctx.error(f"cannot rank over '{axis}': the argument is {arg.grain}", e.over.span)
    if e.by is not None and ctx.axes.attributes.get(e.by.id) != axis:
        raise ctx.error(f"rank(... by {e.by.id}): '{e.by.id}' must be an attribute of '{axis}'", e.by.span,
                        did_you_mean(e.by.id, ctx.axes.attributes))
    clauses = m.Clauses(by=e.by.id if e.by else None, descending=e.direction == "desc", ties=ties, where=where)
    return m.Call("rank", (arg,), grain, clauses, axis=axis, label=ctx.text(e), span=e.span)


def rank(x: m.Expr, axis: str, descending: bool, ties: str = "min", group: str | None = None,
         label: str = "", span: ast.Span | None = None) -> m.Window:
    return m.Window("rank", x, x.grain, axis, descending=descending, ties=ties, group=group, label=label, span=span)


def _lower_rank(call: m.Call, axes: m.Axes) -> m.Expr:
    x, c = call.args[0], call.clauses
    if c.where is not None:
        x = m.Op("if", (c.where, x, m.Const(None)), call.grain, call.span)
    assert call.axis is not None
    return rank(x, call.axis, bool(c.descending), c.ties or "min", c.by, call.label, call.span)


def sql_rank(ctx: SqlContext, e: m.Window) -> exp.Expr:
    """Missing values get no rank and do not push others down."""
    x = ctx(e.arg)
    part = ctx.partition(e.grain, e.axis) + ([ctx.key(e.group)] if e.group else [])
    order = [exp.Ordered(this=x, desc=e.descending, nulls_first=False)]
    if e.ties == "first":
        order.append(exp.Ordered(this=ctx.key(e.axis)))
    func = {"min": exp.Anonymous(this="RANK"), "max": exp.Anonymous(this="RANK"),
            "dense": exp.Anonymous(this="DENSE_RANK"), "first": exp.RowNumber(),
            "average": exp.Anonymous(this="RANK")}[e.ties]
    ranked: exp.Expr = ctx.window(func, part, order)
    if e.ties in ("average", "max"):
        peers = binary(exp.Sub, ctx.window(exp.Count(this=exp.Star()), part + [x.copy()]), lit(1))
        # half the peers as a DOUBLE: `/ 2.0` is a DECIMAL on Spark, which the rank's arithmetic would carry
        ranked = binary(exp.Add, ranked, binary(exp.Div, as_double(peers), lit(2)) if e.ties == "average" else peers)
    missing = exp.or_(is_null(x.copy()), is_null(ctx.key(e.group))) if e.group else is_null(x.copy())
    return case((missing, exp.Null()), default=ranked)  # an entity of no group has no place in one


def _check_classify(ctx: CheckContext, e: ast.Call) -> m.Expr:
    require(ctx, e, 2, 2)
    sc = ctx.scale(e.args[1].value)
    arg = ctx.expr(e.args[0].value)
    return m.Classify(arg, sc.name, sc.bands, arg.grain, e.span)


def sql_classify(ctx: SqlContext, e: m.Classify) -> exp.Expr:
    x = ctx(e.arg)
    whens = []
    for b in e.bands:
        conds: list[exp.Expr] = []
        if b.low != float("-inf"):
            conds.append((exp.GTE if b.low_closed else exp.GT)(this=x.copy(), expression=lit(b.low)))
        if b.high != float("inf"):
            conds.append((exp.LTE if b.high_closed else exp.LT)(this=x.copy(), expression=lit(b.high)))
        whens.append((exp.and_(*conds) if conds else exp.true(), lit(b.code)))
    return case(*whens)


BUILTINS = (
    Builtin("rank", "rank(x desc|asc [ties min|max|dense|first|average] [over AXIS] [by GROUP] [where COND])",
            _check_rank, _lower_rank),
    Builtin("classify", "classify(x, SCALE)", _check_classify),
)
