"""Across the entities of one partition (a period, or a group within it): ranks,
normalisations and outlier treatment. Each takes the partition's values in a list, None
where missing, and gives one result per value; missing values stay missing and take no
part in any statistic."""

from __future__ import annotations

import math
from typing import Callable, Sequence

from . import aggregates as agg
from .scalars import as_float, finite

Values = Sequence[object]


def _present(xs: Values) -> list[float]:
    return [as_float(x) for x in xs if x is not None]


def rank(xs: Values, order: Sequence[object], descending: bool, ties: str) -> list[int | float | None]:
    """Places 1, 2, ... (1 to the highest value when descending); a missing value has
    none and pushes no one down. Ties: min (the best place they share), max, dense
    (1 1 2), average ((min + max) / 2), first (by `order`, the ranked axis's key)."""
    sign = -1 if descending else 1
    present = [(sign * as_float(x), order[i], i) for i, x in enumerate(xs) if x is not None]
    out: list[int | float | None] = [None] * len(xs)
    if ties == "first":
        for place, (_, _, i) in enumerate(sorted(present, key=lambda p: (p[0], p[1])), 1):
            out[i] = place
        return out
    values = sorted(v for v, _, _ in present)
    distinct = sorted(set(values))
    for v, _, i in present:
        better = sum(1 for w in values if w < v)
        equal = sum(1 for w in values if w == v)
        if ties == "min":
            out[i] = better + 1
        elif ties == "max":
            out[i] = better + equal
        elif ties == "average":
            out[i] = better + (equal + 1) / 2
        elif ties == "dense":
            out[i] = distinct.index(v) + 1
        else:
            raise ValueError(f"unknown tie rule {ties}")
    return out


def _each(xs: Values, f: Callable[[float], float | None]) -> list[object]:
    return [None if x is None else finite(f(as_float(x))) for x in xs]


def minmax(xs: Values, lo: float, hi: float) -> list[object]:
    """lo + (x − min) / (max − min) · (hi − lo); missing when max = min."""
    p = _present(xs)
    if not p or max(p) == min(p):
        return [None] * len(xs)
    low, high = min(p), max(p)
    return _each(xs, lambda x: lo + (x - low) / (high - low) * (hi - lo))


def zscore(xs: Values, centre: float, width: float) -> list[object]:
    """centre + (x − mean) / sd · width, sd the sample standard deviation; missing when
    sd is zero or undefined (fewer than two values)."""
    p = _present(xs)
    m, s = agg.mean(p), agg.sd(p)
    if m is None or not s:
        return [None] * len(xs)
    return _each(xs, lambda x: centre + (x - m) / s * width)


def distance(xs: Values, target: float) -> list[object]:
    """(x − min) / (target − min) · 100, capped at 100; missing when min = target."""
    p = _present(xs)
    if not p or min(p) == target:
        return [None] * len(xs)
    low = min(p)
    return _each(xs, lambda x: min((x - low) / (target - low), 1.0) * 100)


def fracmax(xs: Values, sign: int) -> list[object]:
    """The percent of the leader, x / max · 100; where lower is better (`xs` signed, −x),
    min / x · 100 = max(−x) / (−x) · 100. Missing where the divisor is zero."""
    p = _present(xs)
    if not p:
        return [None] * len(xs)
    top = max(p)
    if sign == 1:
        return [None] * len(xs) if top == 0 else _each(xs, lambda x: x / top * 100)
    return _each(xs, lambda x: top / x * 100 if x != 0 else None)


def prank(xs: Values, order: Sequence[object]) -> list[object]:
    """(rank − 1) / (n − 1) · 100, rank ascending with ties sharing the lowest (dplyr's
    percent_rank), n the present values; missing when n = 1."""
    n = len(_present(xs))
    if n < 2:
        return [None] * len(xs)
    places = rank(xs, order, False, "min")
    return [None if r is None else (r - 1) / (n - 1) * 100 for r in places]


def clip(xs: Values, lo: float, hi: float) -> list[object]:
    """Values below the lo quantile (type 7) take it, values above the hi quantile take that."""
    p = _present(xs)
    if not p:
        return [None] * len(xs)
    low, high = agg.quantile(p, lo), agg.quantile(p, hi)
    assert low is not None and high is not None  # quantiles of values present
    return _each(xs, lambda x: min(max(x, low), high))


def fails(values: Sequence[float]) -> bool:
    """COINr's test: |skewness| ≥ 2 and kurtosis ≥ 3.5 (Excel's SKEW and KURT), each
    reached within 1e-9 relative (docs/language.md: a statistic exactly at a threshold
    comes out of floating point either side of it); fewer than four values, or values
    all equal, never fail."""
    s, k = agg.skew(values), agg.kurt(values)
    return s is not None and k is not None and abs(s) >= 2 * (1 - 1e-9) and k >= 3.5 * (1 - 1e-9)


def treat(xs: Values, winmax: int) -> list[object]:
    """COINr's outlier treatment (docs/language.md, "Outlier treatment"): a failing set
    of values is Winsorised one point at a time (skewed right: the highest value, every
    entity holding it, takes the next highest; left: the lowest takes the next lowest),
    the test repeated after each point, up to `winmax` points; if it still fails, the
    original values are log-transformed instead: ln(x − min + 0.01 (max − min))."""
    original = _present(xs)
    if not fails(original):
        return list(xs)
    current = list(original)
    points = 0
    while points < winmax and fails(current):
        s = agg.skew(current)
        assert s is not None
        if s > 0:
            top = max(current)
            below = [v for v in current if v < top]
            current = [max(below) if v == top else v for v in current]
        else:
            bottom = min(current)
            above = [v for v in current if v > bottom]
            current = [min(above) if v == bottom else v for v in current]
        points += 1
    if not fails(current):
        it = iter(current)
        return [None if x is None else next(it) for x in xs]
    low, high = min(original), max(original)

    def logged(x: float) -> float | None:
        inside = x - low + 0.01 * (high - low)
        return math.log(inside) if inside > 0 else None

    return [None if x is None else finite(logged(as_float(x))) for x in xs]


# The functions computed on each partition's values (signed by the direction), by name:
# (values, their order, the scalar bounds, the direction) → a value per row.
Across = Callable[[Values, Sequence[object], list[float], int], list[object]]
NORMALISERS: dict[str, Across] = {
    "minmax": lambda xs, order, b, sign: minmax(xs, *(b or (0.0, 100.0))),
    "zscore": lambda xs, order, b, sign: zscore(xs, *(b or (0.0, 1.0))),
    "distance": lambda xs, order, b, sign: distance(xs, sign * b[0]),
    "prank": lambda xs, order, b, sign: prank(xs, order),
    "fracmax": lambda xs, order, b, sign: fracmax(xs, sign),
    "clip": lambda xs, order, b, sign: clip(xs, b[0], b[1]),
    "treat": lambda xs, order, b, sign: treat(xs, int(b[0])),
}
