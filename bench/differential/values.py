"""How exactly a generated value is known, so that the comparison never flags the
last bit of a float as a bug.

Inputs are dyadic (k / 2^f with small k and f), so sums, differences, products,
minima, medians and dyadic quantiles of them are exact doubles in any order of
evaluation. A value is EXACT then; DET ("determined") when it is one correctly
rounded IEEE operation (/, sqrt, a mean's final division) away from exact values,
so that every implementation gets the same bits; APPROX otherwise (ln, exp, sd,
geomean, sums of inexact values, ...), equal only within a tolerance.
Discontinuous consumers (round, classify, comparisons, ranks, a divisor's zero
test, ln's domain) are only ever given EXACT or DET values, so a result can only
differ within the tolerance unless one side is wrong.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

EXACT, DET, APPROX = 0, 1, 2
MANTISSA = 50  # bits an exact value may use, of the 53 a double has


@dataclass(frozen=True)
class Size:
    """A bound on a value's magnitude and on its binary fractional digits: the value
    is a multiple of 2^-frac no larger than mag, exact in a double while
    log2(mag) + frac stays within the mantissa."""

    mag: float = 1.0
    frac: int = 0

    def fits(self) -> bool:
        return self.mag < 2.0 ** (MANTISSA - self.frac) and self.mag < 1e12

    def plus(self, other: Size) -> Size:
        return Size(self.mag + other.mag, max(self.frac, other.frac))

    def times(self, other: Size) -> Size:
        return Size(self.mag * other.mag, self.frac + other.frac)

    def scaled(self, n: float) -> Size:
        return Size(self.mag * n, self.frac)

    def inexact(self, mag: float | None = None) -> Size:
        """After an inexact operation only the magnitude is known."""
        return Size(self.mag if mag is None else mag, MANTISSA)


def worst(*levels: int) -> int:
    return max(levels) if levels else EXACT


def exactness(level: int, size: Size) -> int:
    """An EXACT value whose size no longer fits a double is only DET (rounded once per
    operation, in the same order everywhere) at best."""
    return DET if level == EXACT and not size.fits() else level


def literal(x: float) -> str:
    """A number as the spec writes it: whole numbers without a fraction."""
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return str(int(x)) if float(x).is_integer() else repr(float(x))


def frac_bits(x: float) -> int:
    """The binary fractional digits of a dyadic number."""
    bits = 0
    while not float(x).is_integer() and bits < MANTISSA:
        x *= 2
        bits += 1
    return bits


# Pools that columns draw their values from: few values each, so ties happen; dyadic,
# so the results above are exact. The first pool is the simplest (shrinking goes there).
POOLS: tuple[tuple[float, ...], ...] = (
    (1.0, 2.0, 3.0),
    (0.0, 1.0, 2.0, 4.0),
    (1.0, 1.5, 2.0, 2.5, 4.0),
    (-2.0, -1.0, 0.0, 1.0, 3.0),
    (0.25, 0.5, 0.75, 1.0),
    (2.0, 4.0, 8.0, 16.0, 64.0),
    (-0.5, 0.5, 1.0, 10.0, 100.0),
    (0.0, 0.0, 1.0, 20.0, 35.0, 50.0, 80.0, 95.0),
)


def pool_size(pool: tuple[float, ...]) -> Size:
    return Size(max(abs(v) for v in pool) or 1.0, max(frac_bits(v) for v in pool))
