"""Row-wise meanings: operators, scalar functions, `round`, the row-wise means and
`classify`. Missing (None) propagates through all of them; outside a function's domain
the result is missing, never NaN or infinity (docs/language.md, "Missing values")."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any, Callable, Sequence, cast

from ..ast import Band

if TYPE_CHECKING:
    from _typeshed import ConvertibleToFloat


def finite(v: float | None) -> float | None:
    """A number, or missing where arithmetic left the reals (NaN, ±infinity)."""
    if v is None or isinstance(v, bool) or not isinstance(v, float):
        return v
    return v if math.isfinite(v) else None


def as_float(v: object) -> float:
    """float(v) of a value the checker has typed a number (a float, an int, a bool):
    the interpreter holds every value as an `object`."""
    return float(cast("ConvertibleToFloat", v))


def _guard(f: Callable[..., float | None]) -> Callable[..., object]:
    def safe(*a: object) -> object:
        if any(x is None for x in a):
            return None
        try:
            return finite(f(*a))
        except (ArithmeticError, ValueError):  # overflow, division by zero, a math domain error
            return None
    return safe


def _divide(a: float, b: float) -> float | None:
    return None if b == 0 else a / b


def _power(a: float, b: float) -> float | None:
    return math.pow(a, b)


def _ln(x: float) -> float | None:
    return math.log(x) if x > 0 else None


def _sqrt(x: float) -> float | None:
    return math.sqrt(x) if x >= 0 else None


def round_half_away(x: float, digits: int = 0) -> float:
    """docs/language.md, "Rounding": half away from zero, a tie decided on x as a
    spreadsheet shows it. With y = |x|·10ᵈ in double precision, sign(x)·(⌊y⌋ + 1)/10ᵈ
    when y − ⌊y⌋ ≥ 0.5 − 5·10⁻¹⁵·min(y, 10¹³), else sign(x)·⌊y⌋/10ᵈ (for d < 0 the
    scale divides, and multiplies back)."""
    scale = float(10 ** abs(digits))
    y = abs(x) * scale if digits >= 0 else abs(x) / scale
    whole = math.floor(y)
    up = y - whole >= 0.5 - 5e-15 * min(y, 1e13)
    rounded = float(whole + 1 if up else whole)
    back = rounded / scale if digits >= 0 else rounded * scale
    sign = (x > 0) - (x < 0)
    return sign * back


def _round(x: float, digits: float = 0) -> float:
    return round_half_away(x, int(digits))


def _extreme(pick: Callable[..., float]) -> Callable[..., object]:
    def f(*a: object) -> object:
        return None if any(x is None for x in a) else pick(a)
    return f


def _not(a: object) -> object:
    return None if a is None else not a


def _logic(both: bool) -> Callable[[object, object], object]:
    """`and`/`or`: missing when either side is (docs/reference.md: propagation)."""
    def f(a: object, b: object) -> object:
        if a is None or b is None:
            return None
        return bool(a) and bool(b) if both else bool(a) or bool(b)
    return f


def _compare(f: Callable[[Any, Any], bool]) -> Callable[[object, object], object]:
    """Of two values present, whichever kinds the checker lets meet (numbers, text)."""
    return lambda a, b: None if a is None or b is None else f(a, b)


OPERATORS: dict[str, Callable[..., object]] = {
    "+": _guard(lambda a, b: a + b), "-": _guard(lambda a, b: a - b), "*": _guard(lambda a, b: a * b),
    "/": _guard(_divide), "^": _guard(_power), "neg": _guard(lambda a: -a),
    "ln": _guard(_ln), "exp": _guard(math.exp), "abs": _guard(abs), "sqrt": _guard(_sqrt),
    "round": _guard(_round),
    "least": _extreme(min), "greatest": _extreme(max),
    "not": _not, "and": _logic(True), "or": _logic(False),
    "known": lambda a: a is not None,  # `x is not missing`: never missing itself
    "startswith": _compare(lambda a, b: str(a).startswith(str(b))),
    "contains": _compare(lambda a, b: str(b) in str(a)),
    "==": _compare(lambda a, b: a == b), "!=": _compare(lambda a, b: a != b),
    "<": _compare(lambda a, b: a < b), "<=": _compare(lambda a, b: a <= b),
    ">": _compare(lambda a, b: a > b), ">=": _compare(lambda a, b: a >= b),
}


# ------------------------------------------------------------ row-wise means

def _enough(present: int, n: int, need: float | None) -> bool:
    """`present N`: at least N components (N ≥ 1) or that share of them (0 < N < 1);
    without the clause, all of them."""
    if need is None:
        return present == n
    return present >= need if need >= 1 else present / n >= need


def row_mean(func: str, values: Sequence[object], weights: Sequence[float], need: float | None,
             power: float | None = None) -> float | None:
    """mean, geomean, hmean, genmean of components with weights: a missing component
    makes it missing unless `present N` (then the weights are renormalised over the
    components present). A component outside the mean's domain (≤ 0 for geomean, genmean
    and hmean) makes it missing, present or not."""
    kept = [(as_float(v), w) for v, w in zip(values, weights) if v is not None]
    if not _enough(len(kept), len(values), need) or not kept:
        return None
    weight = math.fsum(w for _, w in kept)
    if weight == 0:
        return None
    try:
        if func == "mean":
            return finite(math.fsum(w * v for v, w in kept) / weight)
        if func == "geomean":
            if any(v <= 0 for v, _ in kept):
                return None
            return finite(math.exp(math.fsum(w * math.log(v) for v, w in kept) / weight))
        if func == "hmean":  # of positive components: mixed signs would let the reciprocals cancel
            if any(v <= 0 for v, _ in kept):
                return None
            inverse = math.fsum(w / v for v, w in kept)
            return None if inverse == 0 else finite(weight / inverse)
        if func == "genmean":
            assert power is not None
            if any(v <= 0 for v, _ in kept):
                return None
            return finite((math.fsum(w * v ** power for v, w in kept) / weight) ** (1 / power))
    except (ArithmeticError, ValueError):
        return None
    raise ValueError(f"not a row-wise mean: {func}")


def row_fold(func: str, values: Sequence[object]) -> float | None:
    """The row-wise sum(a, b, ...) and product(a, b, ...): missing when any component is."""
    if any(v is None for v in values):
        return None
    nums = [as_float(v) for v in values]
    if func == "sum":
        return finite(math.fsum(nums))
    out = 1.0
    for v in nums:
        out *= v
    return finite(out)


# ------------------------------------------------------------ classes

def classify(x: object, bands: Sequence[Band]) -> str | None:
    """The code of the band holding x (each end open or closed as written), or missing."""
    if x is None:
        return None
    v = cast(float, x)  # a number: the checker classifies nothing else
    for b in bands:
        above = v >= b.low if b.low_closed else v > b.low
        below = v <= b.high if b.high_closed else v < b.high
        if above and below:
            return b.code
    return None
