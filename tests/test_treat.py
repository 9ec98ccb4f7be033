"""Outlier treatment (issue 5), COINr's rule, against a plain-Python version of the
same rule on a fixture whose periods take each branch: left alone, Winsorised, and
log-transformed when Winsorising `winmax` points is not enough."""

from __future__ import annotations

import pytest

import idxlang
from bench.coinr import treat  # COINr's rule in plain Python, the oracle

# period 1: COINr's vignette example (1..10, 30, 100); period 2: well behaved;
# period 3: a heavy upper tail that five Winsorised points cannot fix; one missing value
PERIODS = {
    1: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 30, 100],
    2: [3, 5, 4, 6, 5, 4, 6, 5, None, 4, 5, 6],
    3: [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 2, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1000],
}


def test_treatment_follows_coinr_rule(write):
    lines = ["e,t,x"] + [f"e{i:02d},{t},{'' if x is None else x}" for t, xs in PERIODS.items() for i, x in enumerate(xs)]
    write("panel.csv", "\n".join(lines) + "\n")
    spec = idxlang.load(write("s.idx", 'table p: e by t from "panel.csv"\n  x\noutput by e, t: treat(x) as w, treat(x, 1) as w1\n'))
    got = {(r["e"], r["t"]): r for r in spec.table().to_pylist()}
    branches = set()
    for t, xs in PERIODS.items():
        for column, winmax in (("w", 5), ("w1", 1)):
            want, branch = treat([float(x) if x is not None else None for x in xs], winmax)
            branches.add(branch.rstrip("0123456789 "))  # "winsorised N": N points
            for i, value in enumerate(want):
                cell = got[(f"e{i:02d}", t)][column]
                assert cell == (pytest.approx(value, rel=1e-9) if value is not None else None), (t, i, column)
    assert branches == {"left alone", "winsorised", "logged"}  # the fixture takes every branch
    assert got[("e11", 1)]["w"] == 30  # COINr's example: 100 takes the next highest value


def test_treat_needs_entities_to_work_across(write):
    write("panel.csv", "e,t,x\na,1,1\n")
    with pytest.raises(idxlang.IdxError, match="winmax"):
        idxlang.load(write("s.idx", 'table p: e by t from "panel.csv"\n  x\noutput by e, t: treat(x, 2.5) as w\n'))
