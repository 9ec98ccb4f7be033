"""Along time, within one entity (one partition of a window's rows): each function
takes the partition's values by period number, one per row of R_O(G) (None where the
argument is missing there), and gives the result for each of those periods. A period
absent from the rows is a gap: nothing is looked up there, and it counts as a period."""

from __future__ import annotations

from typing import Mapping

from .scalars import OPERATORS, as_float

Series = Mapping[int, object]


def lag(x: Series, k: int) -> dict[int, object]:
    """x in period t − k, when that period is a row; else missing (never the previous row)."""
    return {t: x.get(t - k) for t in x}


def chain(x: Series) -> dict[int, object]:
    """x / lag(x): division by zero is missing."""
    back = lag(x, 1)
    return {t: OPERATORS["/"](x[t], back[t]) for t in x}


def cumulate(x: Series, how: str) -> dict[int, object]:
    """cumsum / cumprod: the sum (product) of the present values at or before t, missing
    values skipped; missing until the first present value."""
    out: dict[int, object] = {}
    acc: object = None
    for t in sorted(x):
        v = x[t]
        if v is not None:
            acc = v if acc is None else OPERATORS["+" if how == "cumsum" else "*"](acc, v)
        out[t] = acc
    return out


def fill(x: Series, forward: bool) -> dict[int, object]:
    """The last observed value at or before t (forward), the next at or after t (backward)."""
    out: dict[int, object] = {}
    seen: object = None
    for t in sorted(x, reverse=not forward):
        if x[t] is not None:
            seen = x[t]
        out[t] = seen
    return out


def interpolate(x: Series) -> dict[int, object]:
    """x where observed; else the straight line between the nearest observed periods
    before and after t, by period number; missing before the first and after the last
    observation (nothing is extrapolated)."""
    observed = sorted(t for t in x if x[t] is not None)
    out: dict[int, object] = {}
    for t in x:
        if x[t] is not None:
            out[t] = x[t]
            continue
        before = [s for s in observed if s < t]
        after = [s for s in observed if s > t]
        if not before or not after:
            out[t] = None
            continue
        b, a = before[-1], after[0]
        xb, xa = as_float(x[b]), as_float(x[a])
        out[t] = xb + (xa - xb) * (t - b) / (a - b)
    return out
