"""The value of a checked expression at a key of its grain, for one output.

Row-wise nodes are pointwise: a value at key k is computed from the inputs at k (a
coarser input at k's projection onto its grain). A reduction at k aggregates its
argument over the rows of R_O(F) that project to k (and lie in its period range),
skipping missing values; `x at P` at k is x at (k, P) when that row is in R_O(F).
A window is computed over the rows R_O(G) of its own grain and is missing elsewhere.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Callable, Mapping, Sequence, cast

from ..semantics import model as m
from . import across, along
from .aggregates import reduce
from .keys import Dims, Key, Projector, dims
from .kinds import ALONG_TIME, is_reduction
from .panel import Panel
from .rows import OutputRows
from .scalars import OPERATORS, as_float, classify, finite, row_fold, row_mean

if TYPE_CHECKING:
    from _typeshed import SupportsRichComparison

ROW_MEANS = frozenset({"mean", "geomean", "hmean", "genmean"})


class Evaluator:
    def __init__(self, model: m.Model, output: m.Output, panel: Panel, projector: Projector,
                 definition: Callable[[str], m.Expr | None]) -> None:
        self.model, self.output, self.panel, self.projector = model, output, panel, projector
        self.definition = definition
        self.rows = OutputRows(model, output, panel, projector, definition)
        self._memo: dict[tuple[m.Expr, Key], object] = {}
        self._windows: dict[m.Expr, dict[Key, object]] = {}
        self._groups: dict[tuple, dict[Key, list[Key]]] = {}

    # ------------------------------------------------------------ dispatch
    def value(self, e: m.Expr, key: Key) -> object:
        """e at `key`, a key of e's grain (canonical order)."""
        memo = (e, key)
        if memo in self._memo:
            return self._memo[memo]
        found = self._compute(e, key)
        self._memo[memo] = found
        return found

    def inner(self, child: m.Expr, key: Key, grain: Dims) -> object:
        """A child's value on a row of its parent's grain: at the row's projection. A
        formula (an operator, a row-wise mean or sum, a classification) is evaluated on
        the row itself, each of its parts at the row's projection: a part of a grain
        the row has no key of (its entity's attribute is missing) is then a missing
        part, not a missing formula (docs/language.md, "Rows": `mean(a, b present 1)`
        is b where a is missing). So is a let, which is the formula it names."""
        if dims(child.grain) != grain:
            if isinstance(child, m.Ref) and child.kind is m.RefKind.LET:  # a let is the formula it names
                expr = self.definition(child.name)
                assert expr is not None, child.name
                return self.inner(expr, key, grain)
            if isinstance(child, m.Op):
                return self._op(child, key, grain)
            if isinstance(child, m.Classify):
                return classify(self.inner(child.arg, key, grain), child.bands)
            if isinstance(child, m.Call) and not is_reduction(child) and \
                    (child.func in ROW_MEANS or child.func in ("sum", "product")):
                return self._row_wise(child, key, grain)
        k = self.projector.project(key, grain, dims(child.grain))
        return None if k is None else self.value(child, k)

    def scalar(self, e: m.Expr) -> float:
        """A bound, weight or digit count: a number or a param."""
        v = self.value(e, ())
        assert isinstance(v, (int, float)), e
        return float(v)

    def _compute(self, e: m.Expr, key: Key) -> object:
        if isinstance(e, m.Const):
            return float(e.value) if isinstance(e.value, (int, float)) and not isinstance(e.value, bool) else e.value
        if isinstance(e, m.Param):
            return float(e.value)
        if isinstance(e, m.Ref):
            return self._ref(e, key)
        g = dims(e.grain)
        if isinstance(e, m.Op):
            return self._op(e, key, g)
        if isinstance(e, m.Classify):
            return classify(self.inner(e.arg, key, g), e.bands)
        if isinstance(e, m.At):
            return self._at(e, key, g)
        if isinstance(e, m.Call):
            if is_reduction(e):
                return self._reduce(e, key, g)
            if e.func in ROW_MEANS or e.func in ("sum", "product"):
                return self._row_wise(e, key, g)
            return self._window(e).get(key)
        raise TypeError(f"the reference interpreter does not evaluate {type(e).__name__} nodes")

    def _ref(self, e: m.Ref, key: Key) -> object:
        if e.kind is m.RefKind.COLUMN:
            return self.panel.cell(e.name, key)
        if e.kind is m.RefKind.KEY:
            return key[0]
        if e.kind is m.RefKind.ATTRIBUTE:
            return self.panel.attribute(e.name, key[0])
        expr = self.definition(e.name)
        assert expr is not None, e.name
        return self.value(expr, key)

    def _op(self, e: m.Op, key: Key, g: Dims) -> object:
        at = lambda i: self.inner(e.args[i], key, g)  # noqa: E731
        if e.op == "if":
            cond = at(0)
            if cond is None:
                return None  # a missing condition makes the result missing (docs/reference.md)
            return at(1) if cond else at(2)
        if e.op == "coalesce":
            first = at(0)
            return first if first is not None else at(1)
        f = OPERATORS.get(e.op)
        if f is None:
            raise TypeError(f"unknown operator {e.op}")
        return f(*(at(i) for i in range(len(e.args))))

    def _row_wise(self, e: m.Call, key: Key, g: Dims) -> object:
        values = [self._number(self.inner(a, key, g)) for a in e.args]
        if e.func in ("sum", "product"):
            return row_fold(e.func, values)
        weights = [self.scalar(w) for w in e.weights] or [1.0] * len(values)
        return row_mean(e.func, values, weights, e.clauses.present, e.clauses.power)

    @staticmethod
    def _number(v: object) -> float | None:
        return None if v is None else as_float(v)

    # ------------------------------------------------------------ reductions
    def _at(self, e: m.At, key: Key, g: Dims) -> object:
        f = dims(e.arg.grain)
        known = dict(zip(g, key))
        known[e.time] = e.period
        fine = tuple(known[d] for d in f)
        return self.value(e.arg, fine) if fine in self.rows.rows(f) else None

    def groups(self, fine: Dims, coarse: Dims,
               within: tuple[str | None, tuple[float, float]] | None) -> dict[Key, list[Key]]:
        """The rows of R_O(fine) that project to each key of `coarse` (and lie in the
        period range)."""
        memo = (fine, coarse, within)
        found = self._groups.get(memo)
        if found is None:
            found = {}
            for k in sorted(self.rows.rows(fine), key=repr):
                if within is not None:
                    t = cast(int, k[fine.index(within[0])])  # a period number
                    if not within[1][0] <= t <= within[1][1]:
                        continue
                p = self.projector.project(k, fine, coarse)
                if p is not None:
                    found.setdefault(p, []).append(k)
            self._groups[memo] = found
        return found

    def _reduce(self, e: m.Call, key: Key, g: Dims) -> object:
        arg = e.args[0]
        f = dims(arg.grain)
        c = e.clauses
        within = (c.over, c.within) if c.within is not None else None
        values = [self.value(arg, r) for r in self.groups(f, g, within).get(key, [])]
        present = [as_float(v) for v in values if v is not None]
        p = self.scalar(e.args[1]) if e.func == "quantile" else None
        return finite(reduce(e.func, present, p))

    # ------------------------------------------------------------ windows
    def _window(self, e: m.Call) -> dict[Key, object]:
        """A window's values on every row of R_O(G), G its grain."""
        found = self._windows.get(e)
        if found is None:
            found = self._windows[e] = self._compute_window(e)
        return found

    def _partitions(self, g: Dims, drop: str, group: str | None = None) -> dict[Key, list[Key]]:
        """The rows of R_O(G) by everything but `drop` (the axis worked along or across),
        and within the group of `drop`'s `group` attribute; a row whose attribute is
        missing belongs to no partition."""
        out: dict[Key, list[Key]] = {}
        i = g.index(drop)
        for k in sorted(self.rows.rows(g), key=lambda k: cast("SupportsRichComparison", k[i])):
            part: tuple[object, ...] = k[:i] + k[i + 1:]
            if group is not None:
                a = self.panel.attribute(group, k[i])
                if a is None:
                    continue
                part += (a,)
            out.setdefault(part, []).append(k)
        return out

    def _compute_window(self, e: m.Call) -> dict[Key, object]:
        g = dims(e.grain)
        x = e.args[0]
        at = lambda k: self.inner(x, k, g)  # noqa: E731
        out: dict[Key, object] = {k: None for k in self.rows.rows(g)}
        result: Mapping[int, object] | Sequence[object]  # along time by period; across, by row
        if e.func in ALONG_TIME:
            assert e.axis is not None
            i = g.index(e.axis)
            for rows in self._partitions(g, e.axis).values():
                series = {cast(int, k[i]): at(k) for k in rows}  # by period number
                if e.func == "lag":
                    result = along.lag(series, int(self.scalar(e.args[1])))
                elif e.func == "chain":
                    result = along.chain(series)
                elif e.func in ("cumsum", "cumprod"):
                    result = along.cumulate(series, e.func)
                elif e.func == "interpolate":
                    result = along.interpolate(series)
                else:
                    result = along.fill(series, forward=e.func == "fill_forward")
                for k in rows:
                    out[k] = result[cast(int, k[i])]
            return out
        if e.func == "goalposts":
            lo, hi = (self.scalar(a) for a in e.args[1:3])
            for k in out:
                out[k] = _goalposts(at(k), lo, hi, e.clauses.direction, e.clauses.unclipped)
            return out
        c = e.clauses
        if e.func == "rank":
            assert e.axis is not None
            drop, group = e.axis, c.by
        elif c.by is not None:
            drop, group = self.model.axes.attributes[c.by], c.by
        else:
            assert e.axis is not None
            drop, group = e.axis, None
        i = g.index(drop)
        sign = c.direction
        for rows in self._partitions(g, drop, group).values():
            xs = [at(k) for k in rows]
            order = [k[i] for k in rows]
            if e.func == "rank":
                if c.where is not None:
                    xs = [v if _true(self.inner(c.where, k, g)) else None for v, k in zip(xs, rows)]
                result = across.rank(xs, order, bool(c.descending), c.ties or "min")
            else:
                xs = [None if v is None else sign * as_float(v) for v in xs]
                bounds = [self.scalar(a) for a in e.args[1:]]
                result = across.NORMALISERS[e.func](xs, order, bounds, sign)
            for k, v in zip(rows, result):
                out[k] = v
        return out


def _true(v: object) -> bool:
    """A `where` condition holds: present and true (a missing condition leaves the row out)."""
    return v is not None and bool(v)


def _goalposts(x: object, lo: float, hi: float, direction: int, unclipped: bool) -> float | None:
    """(x − lo) / (hi − lo) · 100 (direction −1: (hi − x) / (hi − lo) · 100), clipped to
    0..100 unless unclipped; missing when lo = hi."""
    if x is None or hi == lo:
        return None
    v = as_float(x)
    share = (v - lo) / (hi - lo) if direction == 1 else (hi - v) / (hi - lo)
    if not unclipped:
        share = min(max(share, 0.0), 1.0)
    return finite(share * 100)


__all__ = ["Evaluator"]
