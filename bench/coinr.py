"""COINr's outlier treatment in plain Python, the oracle that idxc's `treat()` is
checked against (tests/test_treat.py) and that the composite benchmark's plain-Python
pipeline uses (bench/composite.py): no SQL, one value at a time, as the rule reads."""

from __future__ import annotations

import math

WINMAX = 5  # COINr's default: points Winsorised before the log transform


def _standardised(xs: list[float], least: int) -> list[float] | None:
    """(x − mean) / sd for each x (sd with n − 1), or None for fewer than `least`
    values or values all equal."""
    n = len(xs)
    if n < least:
        return None
    m = math.fsum(xs) / n
    s = math.sqrt(math.fsum((x - m) ** 2 for x in xs) / (n - 1))
    return None if s == 0 else [(x - m) / s for x in xs]


def skew(xs: list[float]) -> float | None:
    """Excel's SKEW (e1071 type 2, COINr's skew(), DuckDB's skewness)."""
    z, n = _standardised(xs, 3), len(xs)
    return None if z is None else n / ((n - 1) * (n - 2)) * math.fsum(v ** 3 for v in z)


def kurt(xs: list[float]) -> float | None:
    """Excel's KURT (sample excess kurtosis, DuckDB's kurtosis)."""
    z, n = _standardised(xs, 4), len(xs)
    if z is None:
        return None
    return (n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * math.fsum(v ** 4 for v in z)
            - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def fails(xs: list[float]) -> bool:
    s, k = skew(xs), kurt(xs)
    return s is not None and k is not None and abs(s) >= 2 and k >= 3.5


def treat(values: list[float | None], winmax: int = WINMAX) -> tuple[list[float | None], str]:
    """COINr's rule as docs/language.md states it; returns the values and which branch
    was taken ('left alone', 'winsorised N', 'logged')."""
    v = list(values)
    present = [a for a in v if a is not None]
    if not fails(present):
        return v, "left alone"
    points = 0
    while points < winmax and fails(present):
        s = skew(present)
        assert s is not None
        if s > 0:
            hi = max(present)
            v = [max(a for a in present if a < hi) if a == hi else a for a in v]
        else:
            lo = min(present)
            v = [min(a for a in present if a > lo) if a == lo else a for a in v]
        present = [a for a in v if a is not None]
        points += 1
    if not fails(present):
        return v, f"winsorised {points}"
    orig = [a for a in values if a is not None]
    lo, hi = min(orig), max(orig)
    return [None if a is None else math.log(a - lo + 0.01 * (hi - lo)) for a in values], "logged"


