"""Row-wise combinations of components: `sum(a, b)`, `product(a, b)`, and the weighted
arithmetic, geometric, harmonic and generalised means. A missing component makes the
result missing, unless `present N` says to skip missing components and renormalise
the weights, given at least N components (N ≥ 1) or that share of them (N < 1)."""

from __future__ import annotations

from typing import Callable

from .. import ast
from ..semantics import model as m
from . import Builtin, CheckContext, require


# every function that combines components row by row: sum, mean, product and geomean
# are reductions too when given one argument and an axis (reductions.py)
ROW_WISE = frozenset({"sum", "mean", "product", "geomean", "hmean", "genmean"})


def check_row_wise(ctx: CheckContext, e: ast.Call) -> m.Call:
    clauses = {"sum": set(), "product": set(), "genmean": {"present", "power"}}.get(e.func, {"present"})
    require(ctx, e, 0, 999, clauses, weights=e.func not in ("sum", "product"))
    if len(e.args) < 2:
        raise ctx.error(f"the row-wise {e.func}() combines two or more components", e.span)
    args = [ctx.expr(a.value) for a in e.args]
    weights = tuple(ctx.expr(a.weight) if a.weight is not None else m.Const(1) for a in e.args)
    if any(w.grain != m.SCALAR for w in weights):
        raise ctx.error("weights must be numbers or params", e.span)
    values = [float(w.value) for w in weights if isinstance(w, (m.Const, m.Param)) and w.value is not None]
    if any(v < 0 for v in values) or (len(values) == len(weights) and sum(values) <= 0):
        raise ctx.error("weights must be non-negative and not all zero", e.span)
    grain = ctx.combine(args, [a.span for a in e.args])
    present = _present(ctx, e, len(args)) if e.present is not None else None
    power = _power(ctx, e) if e.func == "genmean" else None
    return m.Call(e.func, tuple(args), grain, m.Clauses(present=present, power=power),
                  weights if e.func not in ("sum", "product") else (), label=ctx.text(e), span=e.span)


def _power(ctx: CheckContext, e: ast.Call) -> float:
    """genmean's power p: the generalised mean (sum w a^p / sum w)^(1/p) of positive
    components (p = 1 arithmetic, -1 harmonic; p = 0 is the geometric mean, geomean)."""
    if e.power is None or e.power.value == 0:
        raise ctx.error("genmean() needs its power, not 0: genmean(a, b power 2)", e.power.span if e.power else e.span,
                        "for p = 0, the geometric mean, write geomean(a, b)")
    return e.power.value


def _present(ctx: CheckContext, e: ast.Call, n: int) -> float:
    assert e.present is not None
    need = e.present.value
    if need <= 0 or (need >= 1 and (need != int(need) or need > n)):
        raise ctx.error(f"present N: N is a number of components from 1 to {n}, or a share between 0 and 1",
                        e.present.span)
    return need


def lower_row_wise(call: m.Call, axes: m.Axes) -> m.Expr:
    grain, span = call.grain, call.span
    op = lambda o, *xs: m.Op(o, tuple(xs), grain, span)  # noqa: E731
    fold = lambda o, items: _fold(op, o, list(items))  # noqa: E731
    args, weights = list(call.args), list(call.weights)
    if call.func in ("sum", "product"):
        return fold("+" if call.func == "sum" else "*", args)
    one = m.Const(1)
    p = call.clauses.power or 1
    positive = lambda a: op("if", op(">", a, m.Const(0)), a, m.Const(None))  # noqa: E731
    term: Callable[[m.Expr], m.Expr] = {
        "mean": lambda a: a, "geomean": lambda a: op("ln", a), "hmean": lambda a: op("/", one, positive(a)),
        "genmean": lambda a: op("pow", positive(a), m.Const(p))}[call.func]
    finish: Callable[[m.Expr, m.Expr], m.Expr] = {
        "mean": lambda s, w: op("/", s, w), "geomean": lambda s, w: op("exp", op("/", s, w)),
        "hmean": lambda s, w: op("/", w, s), "genmean": lambda s, w: op("pow", op("/", s, w), m.Const(1 / p))}[call.func]
    times = lambda w, t: t if isinstance(w, m.Const) and w.value == 1 else op("*", w, t)  # noqa: E731
    if call.clauses.present is None:
        return finish(fold("+", [times(w, term(a)) for a, w in zip(args, weights)]), _total(weights, fold))
    need = call.clauses.present
    present = [op("present", a) for a in args]
    kept = [op("coalesce", a, m.Const(0)) if call.func == "mean" else op("if", op("known", a), term(a), m.Const(0))
            for a in args]
    weight = fold("+", [times(w, here) for w, here in zip(weights, present)])
    count = fold("+", present)
    value = finish(fold("+", [times(w, k) for w, k in zip(weights, kept)]), weight)
    if need == 1 or need * len(args) <= 1:  # one component is enough: none present divides by zero, which is missing
        return value
    enough = op(">=", count if need >= 1 else op("/", count, m.Const(len(args))), m.Const(need))
    return op("if", enough, value, m.Const(None))


def _total(weights: list[m.Expr], fold: Callable) -> m.Expr:
    """The sum of the weights: a number when all are numbers, else the named params added."""
    if all(isinstance(w, m.Const) for w in weights):
        total = sum((float(w.value) for w in weights if isinstance(w, m.Const) and w.value is not None
                     and not isinstance(w.value, str)), 0.0)  # a weight's Const holds a number (checked)
        return m.Const(int(total) if total == int(total) else total)
    return fold("+", weights)


def _fold(op: Callable, o: str, items: list[m.Expr]) -> m.Expr:
    out = items[0]
    for x in items[1:]:
        out = op(o, out, x)
    return out


BUILTINS = (
    Builtin("hmean", "hmean(a[: w], b[: w], ... [present N])", check_row_wise, lower_row_wise),
    Builtin("genmean", "genmean(a[: w], b[: w], ... power p [present N])", check_row_wise, lower_row_wise),
)
