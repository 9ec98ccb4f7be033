"""The reductions, over the present values of a group (missing values are skipped
before these are called). Every one is missing (None) for no values at all, `count`
included. Statistics that need more values (sd: 2, skew: 3, kurt: 4) or some spread
(skew, kurt) are missing without them."""

from __future__ import annotations

import math
from typing import Callable, Sequence

from .scalars import finite

Values = Sequence[float]


def total(xs: Values) -> float | None:
    return finite(math.fsum(xs)) if xs else None


def mean(xs: Values) -> float | None:
    return finite(math.fsum(xs) / len(xs)) if xs else None


def count(xs: Values) -> float | None:
    return float(len(xs)) if xs else None


def minimum(xs: Values) -> float | None:
    return min(xs) if xs else None


def maximum(xs: Values) -> float | None:
    return max(xs) if xs else None


def sd(xs: Values) -> float | None:
    """The sample standard deviation (n − 1, R's sd)."""
    n = len(xs)
    if n < 2:
        return None
    m = math.fsum(xs) / n
    return finite(math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (n - 1)))


def quantile(xs: Values, p: float) -> float | None:
    """R's default quantile (type 7): with the values sorted v[0..n−1] and h = (n − 1)·p,
    v[⌊h⌋] + (h − ⌊h⌋)·(v[⌊h⌋+1] − v[⌊h⌋])."""
    if not xs:
        return None
    v = sorted(xs)
    h = (len(v) - 1) * p
    lo = math.floor(h)
    if lo + 1 >= len(v):
        return v[-1]
    return v[lo] + (h - lo) * (v[lo + 1] - v[lo])


def median(xs: Values) -> float | None:
    """The middle value, the mean of the two middle ones for an even count."""
    if not xs:
        return None
    v, n = sorted(xs), len(xs)
    return v[n // 2] if n % 2 else (v[n // 2 - 1] + v[n // 2]) / 2


def _standardised(xs: Values, least: int) -> list[float] | None:
    """(x − mean) / sd (sd with n − 1) for each x; None with fewer than `least` values
    or a variance within rounding error of zero (docs: below 10⁻¹² of the mean square)."""
    n = len(xs)
    if n < least:
        return None
    m = math.fsum(xs) / n
    m2 = math.fsum((x - m) ** 2 for x in xs) / n
    square = math.fsum(x * x for x in xs) / n
    if not m2 > 1e-12 * square:
        return None
    s = math.sqrt(m2 * n / (n - 1))
    return [(x - m) / s for x in xs]


def skew(xs: Values) -> float | None:
    """Excel's SKEW: n / ((n − 1)(n − 2)) · Σ z³."""
    z, n = _standardised(xs, 3), len(xs)
    return None if z is None else n / ((n - 1) * (n - 2)) * math.fsum(v ** 3 for v in z)


def kurt(xs: Values) -> float | None:
    """Excel's KURT: n(n + 1) / ((n − 1)(n − 2)(n − 3)) · Σ z⁴ − 3(n − 1)² / ((n − 2)(n − 3))."""
    z, n = _standardised(xs, 4), len(xs)
    if z is None:
        return None
    return (n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * math.fsum(v ** 4 for v in z)
            - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def product(xs: Values) -> float | None:
    if not xs:
        return None
    out = 1.0
    for x in xs:
        out *= x
    return finite(out)


def geomean(xs: Values) -> float | None:
    """exp of the mean log; missing when any value is zero or negative (ln's domain)."""
    if not xs or any(x <= 0 for x in xs):
        return None
    return finite(math.exp(math.fsum(math.log(x) for x in xs) / len(xs)))


REDUCE: dict[str, Callable[[Values], float | None]] = {
    "sum": total, "mean": mean, "count": count, "min": minimum, "max": maximum, "sd": sd,
    "median": median, "skew": skew, "kurt": kurt, "product": product, "geomean": geomean,
}


def reduce(func: str, xs: Values, p: float | None = None) -> float | None:
    if func == "quantile":
        assert p is not None
        return quantile(xs, p)
    return REDUCE[func](xs)
