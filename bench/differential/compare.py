"""Two frames of one output compared cell by cell.

Numbers agree within 1e-9 relative, or within an absolute 1e-9 times the magnitude of
the numbers the value is made of. The absolute part is for values near zero: a value
computed as the difference of terms of size S (x − mean, a z-score, ln of a value near
1, a log-transformed treatment, a sum of z-scores, `min(x) − product(x)`) carries an
error of a few ulps of S, about 1e-16·S, not of itself. S is bounded by the largest
|value| in the value's column (both sides), in the output's other columns, and in the
case's input data (`data`): the formulas generated here are normalisations, means,
products and ranks of inputs below 1e12, whose terms are inputs or values the output
shows, and a column whose every value cancels to zero (a sum of z-scores) is
measured against the terms it cancelled. 1e-9·S leaves seven orders of magnitude above
rounding while a real error (a wrong row, a wrong group, a missed value) moves a value
by far more than 1e-9 of its terms. Missing agrees only with missing; codes (str), ranks
(whole or .5 numbers, exact here) and comparisons (bool) must be equal.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Sequence

from .frames import Frame

RELATIVE = 1e-9


@dataclass(frozen=True)
class Diff:
    """One disagreement of an output between two runs."""

    output: str
    kind: str  # columns | missing-row | extra-row | cell | nan | duplicate-key | error
    key: tuple[Any, ...] = ()
    column: str = ""
    expected: Any = None
    actual: Any = None

    def pattern(self) -> str:
        """The shape of a cell difference, for grouping: value vs missing, and so on."""
        if self.kind != "cell":
            return self.kind
        shape = lambda v: "missing" if v is None else type(v).__name__  # noqa: E731
        return f"{shape(self.expected)}->{shape(self.actual)}"

    def render(self) -> str:
        if self.kind == "columns":
            return f"  {self.output}: columns {self.expected} expected, {self.actual} found"
        if self.kind in ("missing-row", "extra-row", "duplicate-key"):
            return f"  {self.output}: {self.kind} {self.key}: {self.actual if self.kind != 'missing-row' else self.expected}"
        return f"  {self.output} {self.key} {self.column}: expected {self.expected!r}, got {self.actual!r}"


def magnitudes(*frames: Frame) -> list[float]:
    width = len(frames[0].columns)
    found = [0.0] * width
    for f in frames:
        for r in f.rows:
            for i, v in enumerate(r):
                if isinstance(v, float) and math.isfinite(v):
                    found[i] = max(found[i], abs(v))
    return found


def same(a: Any, b: Any, scale: float) -> bool:
    if a is None or b is None:
        return a is None and b is None
    if isinstance(a, bool) or isinstance(b, bool) or isinstance(a, str) or isinstance(b, str):
        return type(a) is type(b) and a == b
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    if math.isinf(a) or math.isinf(b):
        return a == b
    return abs(a - b) <= RELATIVE * max(abs(a), abs(b)) + RELATIVE * scale


def compare(output: str, expected: Frame, actual: Frame, limit: int = 50, data: float = 0.0) -> list[Diff]:
    """Every difference of `actual` from `expected` (at most `limit` cells); `data`: the
    largest |value| in the case's input data."""
    if expected.columns != actual.columns:
        return [Diff(output, "columns", expected=expected.columns, actual=actual.columns)]
    k = expected.keys
    diffs: list[Diff] = []
    want = _by_key(expected, k)
    got = _by_key(actual, k)
    for key in want:
        if key not in got:
            diffs.append(Diff(output, "missing-row", key, expected=want[key]))
    for key in got:
        if key not in want:
            diffs.append(Diff(output, "extra-row", key, actual=got[key]))
    columns = magnitudes(expected, actual)
    terms = max([data, *columns[k:]])
    scales = [max(c, terms) for c in columns]
    for key, row in want.items():
        other = got.get(key)
        if other is None:
            continue
        for i in range(k, len(expected.columns)):
            if not same(row[i], other[i], scales[i]):
                diffs.append(Diff(output, "cell", key, expected.columns[i], row[i], other[i]))
                if len(diffs) >= limit:
                    return diffs
    return diffs


def _by_key(f: Frame, k: int) -> dict[tuple[Any, ...], tuple[Any, ...]]:
    found: dict[tuple[Any, ...], tuple[Any, ...]] = {}
    for r in f.rows:
        key = r[:k]
        if key in found:  # a repeated key: keep both apart so neither hides
            key = (*key, f"#repeat{sum(1 for x in found if x[:k] == r[:k])}")
        found[key] = r
    return found


def invariants(output: str, f: Frame) -> list[Diff]:
    """What any output must satisfy whatever its values: one row per key, no NaN or
    infinity (docs: 'never NaN or infinity')."""
    diffs = []
    seen: dict[tuple[Any, ...], int] = {}
    for r in f.rows:
        seen[r[:f.keys]] = seen.get(r[:f.keys], 0) + 1
    for key, n in seen.items():
        if n > 1:
            diffs.append(Diff(output, "duplicate-key", key, actual=f"{n} rows"))
    for r in f.rows:
        for i, v in enumerate(r[f.keys:], f.keys):
            if isinstance(v, float) and not math.isfinite(v):
                diffs.append(Diff(output, "nan", r[:f.keys], f.columns[i], actual=v))
    return diffs


def data_magnitude(tables: list[tuple[list[dict[str, Any]], Sequence[str]]]) -> float:
    """The largest finite |number| in a case's input tables, each given as its rows and
    its numeric columns (keys and periods are not terms of any value)."""
    return max([0.0, *(abs(float(r[c])) for rows, columns in tables for r in rows for c in columns
                       if isinstance(r.get(c), (int, float)) and not isinstance(r.get(c), bool)
                       and math.isfinite(r[c]))])
