"""Which checked nodes are reductions and which work across rows (windows): the two
kinds whose rows matter (docs/reference.md, "Rows")."""

from __future__ import annotations

from ..semantics import model as m
from .across import NORMALISERS

REDUCTIONS = frozenset({"sum", "mean", "min", "max", "product", "geomean", "count", "sd", "median",
                        "skew", "kurt", "quantile"})
ALONG_TIME = frozenset({"lag", "chain", "cumsum", "cumprod", "fill_forward", "fill_backward", "interpolate"})
ACROSS = frozenset({"rank", "goalposts", *NORMALISERS})
WINDOWS = ALONG_TIME | ACROSS


def is_reduction(e: m.Expr) -> bool:
    """`f(x over AXIS)`, `f(x by ATTRIBUTE)` or `x at PERIOD`."""
    if isinstance(e, m.At):
        return True
    return isinstance(e, m.Call) and e.func in REDUCTIONS and (e.clauses.over is not None or e.clauses.by is not None)


def is_window(e: m.Expr) -> bool:
    return isinstance(e, m.Call) and e.func in WINDOWS


def reduced(e: m.Expr) -> m.Expr:
    """A reduction's argument."""
    if isinstance(e, m.At):
        return e.arg
    assert isinstance(e, m.Call), e  # a reduction is `x at P` or a call
    return e.args[0]
