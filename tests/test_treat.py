"""Outlier treatment (issue 5), COINr's rule, against a plain-Python version of the
same rule on a fixture whose periods take each branch: left alone, Winsorised, and
log-transformed when Winsorising `winmax` points is not enough."""

from __future__ import annotations

import math

import pytest

import idxlang

# period 1: COINr's vignette example (1..10, 30, 100); period 2: well behaved;
# period 3: a heavy upper tail that five Winsorised points cannot fix; one missing value
PERIODS = {
    1: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100],
    2: [3, 5, 4, 6, 5, 4, 6, 5, None, 4, 5, 6],
    3: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1000],
}


def skew(xs: list[float]) -> float | None:
    """Excel's SKEW (e1071 type 2), as COINr's skew()."""
    n = len(xs)
    if n < 3:
        return None
    m = sum(xs) / n
    s = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    return None if s == 0 else n / ((n - 1) * (n - 2)) * sum(((x - m) / s) ** 3 for x in xs)


def kurt(xs: list[float]) -> float | None:
    """Excel's KURT (excess kurtosis, sample-adjusted)."""
    n = len(xs)
    if n < 4:
        return None
    m = sum(xs) / n
    s = math.sqrt(sum((x - m) ** 2 for x in xs) / (n - 1))
    if s == 0:
        return None
    return (n * (n + 1) / ((n - 1) * (n - 2) * (n - 3)) * sum(((x - m) / s) ** 4 for x in xs)
            - 3 * (n - 1) ** 2 / ((n - 2) * (n - 3)))


def fails(xs: list[float]) -> bool:
    s, k = skew(xs), kurt(xs)
    return s is not None and k is not None and abs(s) >= 2 and k >= 3.5


def treat(values: list[float | None], winmax: int = 5) -> tuple[list[float | None], str]:
    v = list(values)
    present = lambda: [a for a in v if a is not None]  # noqa: E731
    if not fails(present()):
        return v, "left alone"
    for _ in range(winmax):
        p = present()
        if not fails(p):
            break
        if skew(p) > 0:  # type: ignore[operator]
            hi = max(p)
            v = [max(a for a in p if a < hi) if a == hi else a for a in v]
        else:
            lo = min(p)
            v = [min(a for a in p if a > lo) if a == lo else a for a in v]
    if not fails(present()):
        return v, "winsorised"
    orig = [a for a in values if a is not None]
    lo, hi = min(orig), max(orig)
    return [None if a is None else math.log(a - lo + 0.01 * (hi - lo)) for a in values], "logged"


def test_treatment_follows_coinr_rule(write):
    lines = ["e,t,x"] + [f"e{i:02d},{t},{'' if x is None else x}" for t, xs in PERIODS.items() for i, x in enumerate(xs)]
    write("panel.csv", "\n".join(lines) + "\n")
    spec = idxlang.load(write("s.idx", 'table p: e by t from "panel.csv"\n  x\noutput by e, t: treat(x) as w, treat(x, 1) as w1\n'))
    got = {(r["e"], r["t"]): r for r in spec.table().to_pylist()}
    branches = set()
    for t, xs in PERIODS.items():
        for column, winmax in (("w", 5), ("w1", 1)):
            want, branch = treat([float(x) if x is not None else None for x in xs], winmax)
            branches.add(branch)
            for i, value in enumerate(want):
                cell = got[(f"e{i:02d}", t)][column]
                assert cell == (pytest.approx(value, rel=1e-9) if value is not None else None), (t, i, column)
    assert branches == {"left alone", "winsorised", "logged"}  # the fixture takes every branch
    assert got[("e11", 1)]["w"] == 30  # COINr's example: 100 takes the next highest value


def test_treat_needs_entities_to_work_across(write):
    write("panel.csv", "e,t,x\na,1,1\n")
    with pytest.raises(idxlang.IdxError, match="winmax"):
        idxlang.load(write("s.idx", 'table p: e by t from "panel.csv"\n  x\noutput by e, t: treat(x, 2.5) as w\n'))
