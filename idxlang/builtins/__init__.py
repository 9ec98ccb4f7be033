"""The built-in functions, one registry: each declared once, in the module of its
family, with its signature, its grain rule (`check`), its expansion into core model
nodes (`lower`) and, for the core constructs, its SQL (`sql` of the family's
reductions, windows and operators). Adding a function touches its family's module.

Families: `operators` (operators and scalar functions), `reductions`, `means`
(row-wise), `time` (lags, cumulation, imputation along time), `ranking` (ranks and
classes), `normalise`, `outliers` (treat, clip).
"""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from typing import Callable, Mapping, Protocol

from sqlglot import exp

from .. import ast
from ..semantics import model as m
from ..sql.dialects import Dialect
from ..diagnostics import IdxError


class CheckContext(Protocol):
    """What a built-in's grain rule may ask of the checker, in the caller's scope."""

    axes: m.Axes

    def expr(self, e: ast.Expr) -> m.Expr: ...
    def error(self, message: str, span: ast.Span | None, hint: str | None = None) -> IdxError: ...
    def combine(self, parts: list[m.Expr], spans: list[ast.Span]) -> m.Grain: ...
    def period(self, p: ast.Period, axis: str, edge: str = "at") -> int | float: ...
    def number(self, e: ast.Expr) -> float | None: ...
    def text(self, e: ast.Expr | ast.Label) -> str: ...
    def scale(self, e: ast.Expr) -> ast.Scale: ...


@dataclass(frozen=True)
class Builtin:
    name: str
    signature: str  # as the docs and messages show it
    check: Callable[[CheckContext, ast.Call], m.Expr]
    lower: Callable[[m.Call, m.Axes], m.Expr] | None = None  # None: check returns core nodes already


CLAUSE_WORDS = {"over": "over", "by": "by", "within": "in", "direction": "asc/desc", "ties": "ties",
                "polarity": "direction", "present": "present", "power": "power", "unclipped": "unclipped",
                "where": "where"}


def require(ctx: CheckContext, e: ast.Call, lo: int, hi: int, clauses: Set[str] = frozenset(),
            weights: bool = False) -> None:
    """The call's arity, and no clause or weight the function does not take."""
    for clause, word in CLAUSE_WORDS.items():
        value = getattr(e, clause)
        if value not in (None, False) and clause not in clauses:
            shown = value if clause == "direction" else word
            takes = ", ".join(CLAUSE_WORDS[c] for c in CLAUSE_WORDS if c in clauses)
            raise ctx.error(f"{e.func}() takes no '{shown}' clause", getattr(value, "span", None) or e.span,
                            f"{e.func}() takes: {takes}" if takes else f"{e.func}() takes no clauses")
    if not weights:
        for a in e.args:
            if a.weight is not None:
                raise ctx.error(f"{e.func}() takes no weights", a.span)
    n = len(e.args)
    if not lo <= n <= hi:
        want = str(lo) if lo == hi else f"{lo} to {hi}" if hi < 99 else f"at least {lo}"
        where = e.args[hi].span if n > hi else e.span  # the first argument too many, or the call
        raise ctx.error(f"{e.func}() takes {want} argument{'s' if hi != 1 else ''}, got {n}", where,
                        f"write {REGISTRY[e.func].signature}" if e.func in REGISTRY else None)


def entity_axis(ctx: CheckContext, x: m.Expr, e: ast.Call) -> str:
    """The one non-time axis of x, which normalisations, ranks and treat work across by default."""
    if e.over is not None:
        return e.over.id
    candidates = [d for d in x.grain.dims if not ctx.axes.is_time(d)]
    if len(candidates) != 1:
        raise ctx.error(f"{e.func}() of a {x.grain} quantity: say what to normalise across with 'over'"
                        if e.func != "rank" else f"rank() of a {x.grain} quantity: say what to rank across with 'over'",
                        e.span)
    return candidates[0]


class SqlContext(Protocol):
    """What a construct's SQL may ask of the expression builder (sqlgen.py)."""

    grouped: bool  # inside a GROUP BY: aggregates, not windows
    dialect: Dialect  # what the target engine takes (sql/dialects.py)

    def __call__(self, e: m.Expr) -> exp.Expr: ...
    def key(self, name: str) -> exp.Column: ...
    def partition(self, grain: m.Grain, drop: str | None = None) -> list[exp.Expr]: ...
    def window(self, func: exp.Expr, partition: list[exp.Expr], order: list[exp.Ordered] | None = None,
               spec: exp.WindowSpec | None = None) -> exp.Window: ...


def _registry() -> Mapping[str, Builtin]:
    from . import means, normalise, operators, outliers, ranking, reductions, time

    found: dict[str, Builtin] = {}
    for family in (operators, reductions, means, time, ranking, normalise, outliers):
        for b in family.BUILTINS:
            assert b.name not in found, b.name
            found[b.name] = b
    return found


REGISTRY: Mapping[str, Builtin] = _registry()


__all__ = ["Builtin", "CheckContext", "SqlContext", "REGISTRY", "require", "entity_axis"]
