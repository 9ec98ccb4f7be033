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


def test_functions_that_treat_alike_share_one_treatment(write):
    """`up` and `down` treat their argument alike and differ after: the treatment is
    computed once for both (one family of treatment steps in the SQL), and every cell
    is what each function gives written out by hand, `a` taken by both functions."""
    lines = ["e,t,a,b,c"] + [f"e{i:02d},{t},{x},{(x * 7) % 11 or ''},{x * x}"
                             for t, xs in PERIODS.items() for i, x in enumerate(xs) if x is not None]
    write("panel.csv", "\n".join(lines) + "\n")
    head = 'table p: e by t from "panel.csv"\n  a, b, c\n'
    shared = idxlang.load(write("shared.idx", head + "def up(x) = minmax(treat(x), 1, 100)\n"
                                "def down(x) = minmax(treat(x), 1, 100 direction -1)\n"
                                "output by e, t: up(a) as ua, up(b) as ub, down(c) as dc, down(a) as da\n"))
    by_hand = idxlang.load(write("hand.idx", head + "output by e, t: minmax(treat(a), 1, 100) as ua, "
                                 "minmax(treat(b), 1, 100) as ub, minmax(treat(c), 1, 100 direction -1) as dc, "
                                 "minmax(treat(a), 1, 100 direction -1) as da\n"))
    got, want = shared.table().to_pylist(), by_hand.table().to_pylist()
    assert len(got) == len(want) == 53
    for g, w in zip(got, want):
        assert g.keys() == w.keys() and all(g[k] == (pytest.approx(w[k], rel=1e-12) if isinstance(w[k], float) else w[k])
                                            for k in w), g
    sql = shared.sql()
    assert sql.count('_statistics" AS (') == 1 and '"treatment_input"' in sql  # one treatment, stacked over a, b, c
