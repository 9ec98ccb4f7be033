"""The composite-indicator operators of the checker (issue 5): row-wise means with a
missing-component policy, normalisations, quantile clipping and COINr's outlier
treatment. Each is written out in the model's own terms (reductions broadcast back,
ranks, row-wise operators, definitions of its own), so it plans, shares and
transpiles like anything a user writes; `docs/language.md` states each definition.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from . import ast
from . import model as m

if TYPE_CHECKING:
    from .check import _Scope

NORMALISERS = {"minmax": (1, 3), "zscore": (1, 3), "goalposts": (3, 3), "prank": (1, 1), "distance": (2, 2)}


class CompositeChecks:
    """Mixed into the Checker, whose names, errors and expression checking it uses."""

    params: dict[str, float | int]
    resolved: dict[str, m.Definition]
    lets: dict[str, Any]
    columns: dict[str, Any]
    tables: dict[str, m.TableInfo]
    axes: m.Axes
    error: Any
    expr: Any
    combine: Any
    no_clauses: Any
    arity: Any
    reduction: Any
    window: Any

    def row_wise(self, e: ast.Call, scope: _Scope) -> m.Expr:
        """Components combined row by row: sum, product, and the weighted arithmetic,
        geometric and harmonic means. A missing component makes the result missing,
        unless `present N` says to skip missing components and renormalise the
        weights, given at least N components (N ≥ 1) or that share of them (N < 1)."""
        self.no_clauses(e, {"weight"} if e.func in ("sum", "product") else
                        {"weight", "present", "power"} if e.func == "genmean" else {"weight", "present"})
        if len(e.args) < 2:
            raise self.error(f"the row-wise {e.func}() combines two or more components", e.span)
        args = [self.expr(a.value, scope) for a in e.args]
        weights = [self.expr(a.weight, scope) if a.weight is not None else m.Const(1) for a in e.args]
        if any(w.grain != m.SCALAR for w in weights):
            raise self.error("weights must be numbers or params", e.span)
        grain = self.combine(args, [a.span for a in e.args])
        op = lambda o, *xs: m.Op(o, tuple(xs), grain, e.span)  # noqa: E731

        def fold(o: str, items: list[m.Expr]) -> m.Expr:
            out = items[0]
            for x in items[1:]:
                out = op(o, out, x)
            return out

        if e.func in ("sum", "product"):
            return fold("+" if e.func == "sum" else "*", args)
        fixed = all(isinstance(w, m.Const) for w in weights)  # drawn weights are checked by the draws
        total = sum(float(w.value) for w in weights if isinstance(w, m.Const) and w.value is not None)
        if any(float(w.value) < 0 for w in weights if isinstance(w, m.Const) and w.value is not None) or (fixed and total <= 0):
            raise self.error("weights must be non-negative and not all zero", e.span)
        one = m.Const(1)
        p = self.power_of(e)
        positive = lambda a: op("if", op(">", a, m.Const(0)), a, m.Const(None))  # noqa: E731
        term = {"mean": lambda a: a, "geomean": lambda a: op("ln", a), "hmean": lambda a: op("/", one, a),
                "genmean": lambda a: op("^", positive(a), m.Const(p))}[e.func]
        finish = {"mean": lambda s, w: op("/", s, w), "geomean": lambda s, w: op("exp", op("/", s, w)),
                  "hmean": lambda s, w: op("/", w, s),
                  "genmean": lambda s, w: op("^", op("/", s, w), m.Const(1 / p))}[e.func]
        times = lambda w, t: t if isinstance(w, m.Const) and w.value == 1 else op("*", w, t)  # noqa: E731
        if e.present is None:
            denom = m.Const(int(total) if total == int(total) else total) if fixed else fold("+", weights)
            return finish(fold("+", [times(w, term(a)) for a, w in zip(args, weights)]), denom)
        need = self.present_need(e, len(args))
        present = [op("coalesce", op("+", op("*", a, m.Const(0)), one), m.Const(0)) for a in args]
        kept = [op("if", op("==", here, one), term(a), m.Const(0)) for a, here in zip(args, present)]
        weight = fold("+", [times(w, here) for w, here in zip(weights, present)])
        count = fold("+", present)
        enough = op(">=", count if need >= 1 else op("/", count, m.Const(len(args))), m.Const(need))
        value = finish(fold("+", [times(w, k) for w, k in zip(weights, kept)]), weight)
        return op("if", enough, value, m.Const(None))

    def power_of(self, e: ast.Call) -> float:
        """genmean's power p: the generalised mean (sum w a^p / sum w)^(1/p) of positive
        components (p = 1 arithmetic, -1 harmonic; p = 0 is the geometric mean, geomean)."""
        if e.func != "genmean":
            return 1
        if e.power is None or e.power.value == 0:
            raise self.error("genmean() needs its power, not 0: genmean(a, b power 2)", e.power.span if e.power else e.span,
                             "for p = 0, the geometric mean, write geomean(a, b)")
        return e.power.value

    def present_need(self, e: ast.Call, n: int) -> float:
        assert e.present is not None
        need = e.present.value
        if need <= 0 or (need >= 1 and (need != int(need) or need > n)):
            raise self.error(f"present N: N is a number of components from 1 to {n}, or a share between 0 and 1",
                             e.present.span)
        return need

    def normalise(self, e: ast.Call, scope: _Scope) -> m.Expr:
        """Normalisations across entities within each period, written out in the
        model's own terms (reductions broadcast back, ranks), so they plan, share and
        transpile like anything a user writes. `by g` normalises within each group;
        `direction -1` turns an indicator where higher is worse (COINr multiplies it
        by -1 first). A zero range or zero spread gives missing, like any division by
        zero."""
        self.no_clauses(e, {"polarity", "unclipped"} if e.func == "goalposts" else {"over", "by", "polarity"})
        self.arity(e, *NORMALISERS[e.func])
        x = self.expr(e.args[0].value, scope)
        extra = [self.expr(a.value, scope) for a in e.args[1:]]
        if any(v.grain != m.SCALAR for v in extra):
            raise self.error(f"{e.func}(): the bounds must be numbers or params", e.args[1].span)
        sign = e.polarity.value if e.polarity is not None else 1
        if sign not in (1, -1):
            raise self.error("direction is 1 (higher is better) or -1 (higher is worse)", e.polarity.span if e.polarity else e.span)
        g, span = x.grain, e.span
        op = lambda o, *a: m.Op(o, tuple(a), g, span)  # noqa: E731
        c = lambda v: m.Const(v, span=span)  # noqa: E731
        if e.func == "goalposts":  # COINr's default: clipped to the posts, onto 0..100
            lo, hi = extra
            gap = op("-", x, lo) if sign == 1 else op("-", hi, x)
            scaled = op("/", gap, op("-", hi, lo))
            if e.unclipped:
                return op("*", scaled, c(100))
            return op("*", op("least", op("greatest", scaled, c(0)), c(1)), c(100))
        if sign == -1:
            x = op("neg", x)
        if e.func == "prank":
            rank = self.window(replace(e, func="rank", direction="asc", polarity=None, args=e.args[:1]), scope, arg=x)
            n = self.spread("count", x, e, scope)
            return op("*", op("/", op("-", rank, c(1)), op("-", n, c(1))), c(100))
        if e.func == "distance":  # COINr's distance to a target, capped at the target
            (target,) = extra
            if sign == -1:
                target = op("neg", target)
            low = self.spread("min", x, e, scope)
            return op("*", op("least", op("/", op("-", x, low), op("-", target, low)), c(1)), c(100))
        if e.func == "minmax":
            lo, hi = extra if extra else (c(0), c(100))
            low, high = self.spread("min", x, e, scope), self.spread("max", x, e, scope)
            return op("+", lo, op("*", op("/", op("-", x, low), op("-", high, low)), op("-", hi, lo)))
        centre, width = extra if extra else (c(0), c(1))
        mean, sd = self.spread("mean", x, e, scope), self.spread("sd", x, e, scope)
        return op("+", centre, op("*", op("/", op("-", x, mean), sd), width))

    def probability(self, e: ast.Expr) -> float:
        value = self.params.get(e.id) if isinstance(e, ast.Name) else e.value if isinstance(e, ast.Number) else None
        if value is None or not 0 <= value <= 1:
            raise self.error("a quantile's probability is a number (or param) from 0 to 1", e.span)
        return float(value)

    def clip(self, e: ast.Call, scope: _Scope) -> m.Expr:
        """Quantile clipping: values below the `lo` quantile of the period (across the
        entities, or within `by` group) take that quantile, values above `hi` take `hi`'s.
        Quantiles interpolate between values, as R's default (type 7) and DuckDB's
        quantile_cont."""
        self.no_clauses(e, {"over", "by"})
        self.arity(e, 3, 3)
        x = self.expr(e.args[0].value, scope)
        lo, hi = self.probability(e.args[1].value), self.probability(e.args[2].value)
        if lo >= hi:
            raise self.error("clip(x, lo, hi): lo must be below hi", e.span)
        bound = lambda p, a: self.spread("quantile", x, replace(e, args=(e.args[0], a)), scope)  # noqa: E731
        low, high = bound(lo, e.args[1]), bound(hi, e.args[2])
        return m.Op("least", (m.Op("greatest", (x, low), x.grain, e.span), high), x.grain, e.span)

    def treat(self, e: ast.Call, scope: _Scope) -> m.Expr:
        """COINr's outlier treatment, within each period across entities: when
        |skewness| ≥ 2 and kurtosis ≥ 3.5, Winsorise one point at a time (the highest
        values take the next highest, or the lowest the next lowest, as the skew
        points) up to `winmax` points (5 by default), checking after each; if the
        indicator still fails, log-transform the original values instead:
        ln(x − min + 0.01 (max − min)). Each Winsorisation step is a definition of its
        own, so the SQL shows the steps and computes each once."""
        self.no_clauses(e, {"over"})
        self.arity(e, 1, 2)
        x = self.expr(e.args[0].value, scope)
        winmax = 5
        if len(e.args) == 2:
            k = e.args[1].value
            if not (isinstance(k, ast.Number) and isinstance(k.value, int) and 0 <= k.value <= 50):
                raise self.error("treat(x, winmax): winmax is a whole number of points, 0 to 50", k.span)
            winmax = k.value
        axis = e.over.id if e.over else self.entity_axis(x, e)
        if axis not in x.grain.dims or self.axes.is_time(axis):
            raise self.error(f"treat() works across the entities of each period; '{axis}' is not one of {x.grain}", e.span)
        g, span, text = x.grain, e.span, ast.unparse(e.args[0].value, names=scope.texts)
        op = lambda o, *a: m.Op(o, tuple(a), g, span)  # noqa: E731
        c = lambda v: m.Const(v, span=span)  # noqa: E731
        red = lambda f, v: m.Reduce(f, v, g.without(axis), axis, "over", None, f"{f}({text} over {axis})", span,  # noqa: E731
                                    report=False)

        def hidden(value: m.Expr, what: str) -> m.Ref:
            base, n = re.sub(r"[^A-Za-z0-9_]+", "_", f"treat_{text}").strip("_")[:40], 1
            name = f"{base}_{what}"
            while name in self.resolved or name in self.lets or name in self.columns or name in self.tables:
                n += 1
                name = f"{base}_{n}_{what}"
            self.resolved[name] = m.Definition(name, value, g, f"treat({text}): {what.replace('_', ' ')}",
                                               span.line, span)
            return m.Ref(name, g, "let", span)

        def failing(v: m.Expr) -> m.Expr:
            return op("and", op(">=", op("abs", red("skew", v)), c(2)), op(">=", red("kurt", v), c(3.5)))

        original = v = hidden(x, "values")
        for step in range(1, winmax + 1):
            hi, lo, skew, fail = red("max", v), red("min", v), red("skew", v), failing(v)
            top = op("and", fail, op("and", op(">", skew, c(0)), op("==", v, hi)))
            bottom = op("and", fail, op("and", op("<", skew, c(0)), op("==", v, lo)))
            next_hi = red("max", op("if", op("<", v, hi), v, c(None)))
            next_lo = red("min", op("if", op(">", v, lo), v, c(None)))
            v = hidden(op("if", top, next_hi, op("if", bottom, next_lo, v)), f"winsorised_{step}")
        lo0, hi0 = red("min", original), red("max", original)
        logged = op("ln", op("+", op("-", original, lo0), op("*", c(0.01), op("-", hi0, lo0))))
        return op("if", failing(v), logged, v)

    def spread(self, func: str, x: m.Expr, e: ast.Call, scope: _Scope) -> m.Expr:
        """A reduction of x across the normalisation's axis (or group), broadcast back onto x."""
        if e.by is not None:
            call = ast.Call(func, e.args[:2] if func == "quantile" else e.args[:1], by=e.by, span=e.span)
        else:
            call = ast.Call(func, e.args[:2] if func == "quantile" else e.args[:1],
                            over=e.over or ast.Name(self.entity_axis(x, e), e.span), span=e.span)
        return self.reduction(call, scope, arg=x)

    def entity_axis(self, x: m.Expr, e: ast.Call) -> str:
        candidates = [d for d in x.grain.dims if not self.axes.is_time(d)]
        if len(candidates) != 1:
            raise self.error(f"{e.func}() of a {x.grain} quantity: say what to normalise across with 'over'", e.span)
        return candidates[0]
