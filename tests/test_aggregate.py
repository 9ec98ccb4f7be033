"""Row-wise aggregation of components (issue 5): weighted arithmetic, geometric and
harmonic means, and the policy for missing components, each compared with values
computed in plain Python inside the test."""

from __future__ import annotations

import math

import pytest

import idxlang

PANEL = """firm,year,a,b,c
A,1,4,1,2
B,1,,9,3
C,1,2,,
D,1,0,4,8
E,1,-1,4,8
"""
SPEC = """table t: firm by year from "panel.csv"
  a, b, c
param wa = 2
output by firm, year:
  {items}
"""
ROWS = {"A": (4.0, 1.0, 2.0), "B": (None, 9.0, 3.0), "C": (2.0, None, None), "D": (0.0, 4.0, 8.0), "E": (-1.0, 4.0, 8.0)}
WEIGHTS = (2.0, 1.0, 1.0)


def got(write, items: str) -> dict[str, dict]:
    write("panel.csv", PANEL)
    table = idxlang.load(write("s.idx", SPEC.format(items=items))).table()
    return {r["firm"]: r for r in table.to_pylist()}


def by_hand(kind: str, need: float | None) -> dict[str, float | None]:
    """The same policy, written out: skip missing components, renormalise the weights,
    require `need` components (or that share of them); non-positive values have no
    logarithm, so they make a geometric mean missing."""
    out: dict[str, float | None] = {}
    for firm, values in ROWS.items():
        pairs = [(w, v) for w, v in zip(WEIGHTS, values) if v is not None]
        if need is None and len(pairs) < len(values):
            out[firm] = None
            continue
        if need is not None and (len(pairs) < need if need >= 1 else len(pairs) / len(values) < need):
            out[firm] = None
            continue
        total = sum(w for w, _ in pairs)
        if kind == "mean":
            out[firm] = sum(w * v for w, v in pairs) / total
        elif kind == "geomean":
            out[firm] = None if any(v <= 0 for _, v in pairs) else math.exp(sum(w * math.log(v) for w, v in pairs) / total)
        else:  # of positive components, as geomean (a negative's reciprocal would cancel the others')
            out[firm] = None if any(v <= 0 for _, v in pairs) else total / sum(w / v for w, v in pairs)
    return out


def same(rows: dict, column: str, want: dict[str, float | None]) -> None:
    for firm, value in want.items():
        if value is None:
            assert rows[firm][column] is None, (column, firm, rows[firm][column])
        else:
            assert rows[firm][column] == pytest.approx(value, rel=1e-12), (column, firm)


@pytest.mark.parametrize("kind", ["mean", "geomean", "hmean"])
def test_weighted_means_propagate_a_missing_component(write, kind):
    rows = got(write, f"{kind}(a: wa, b, c) as v")
    same(rows, "v", by_hand(kind, None))


@pytest.mark.parametrize("kind", ["mean", "geomean", "hmean"])
@pytest.mark.parametrize("need", [2, 1, 0.5])
def test_skipping_missing_components_renormalises_the_weights(write, kind, need):
    rows = got(write, f"{kind}(a: wa, b, c present {need}) as v")
    same(rows, "v", by_hand(kind, need))


def test_a_non_positive_value_makes_a_geometric_mean_missing_not_nan(write):
    """Stated result, as COINr requires positive values: firm D has a zero, E a negative."""
    rows = got(write, "geomean(a, b, c) as g, ln(a) as l, sqrt(a) as s")
    assert rows["D"]["g"] is None and rows["E"]["g"] is None
    assert rows["D"]["l"] is None and rows["E"]["l"] is None and rows["E"]["s"] is None
    assert rows["D"]["s"] == 0 and rows["A"]["g"] == pytest.approx((4 * 1 * 2) ** (1 / 3))


def test_a_non_positive_value_makes_a_harmonic_mean_missing(write):
    """hmean of mixed signs divides by reciprocals that may cancel to rounding residue
    (the campaign's hmean(3, -1, 3, 3): ±1e16): D has a zero, E a negative."""
    rows = got(write, "hmean(a, b, c) as h")
    assert rows["D"]["h"] is None and rows["E"]["h"] is None
    assert rows["A"]["h"] == pytest.approx(3 / (1 / 4 + 1 / 1 + 1 / 2))


def test_the_geometric_mean_across_entities_is_missing_when_a_value_is_not_positive(write):
    write("panel.csv", PANEL)
    spec = idxlang.load(write("s.idx", SPEC.replace("output by firm, year:\n  {items}",
                                                    "output by year: geomean(b over firm) as gb, geomean(a over firm) as ga")))
    (row,) = spec.table().to_pylist()
    assert row["gb"] == pytest.approx((1 * 9 * 4 * 4) ** (1 / 4)) and row["ga"] is None


def test_present_is_checked(write):
    write("panel.csv", PANEL)
    for bad, message in [("mean(a, b, c present 0)", "present N"), ("mean(a, b, c present 4)", "from 1 to 3"),
                         ("mean(a, b, c present 1.5)", "present N"), ("sum(a, b present 1)", "takes no 'present'")]:
        with pytest.raises(idxlang.IdxError, match=message):
            idxlang.load(write("s.idx", SPEC.format(items=f"{bad} as v")))


@pytest.mark.parametrize("p", [2, -1, 0.5])
def test_generalised_mean_of_positive_components(write, p):
    rows = got(write, f"genmean(a: wa, b, c power {p}) as v, genmean(a: wa, b, c power {p} present 2) as s")
    for firm, values in ROWS.items():
        for column, need in (("v", None), ("s", 2)):
            pairs = [(w, x) for w, x in zip(WEIGHTS, values) if x is not None]
            if (need is None and len(pairs) < 3) or (need is not None and len(pairs) < need) or any(x <= 0 for _, x in pairs):
                assert rows[firm][column] is None, (firm, column)
                continue
            total = sum(w for w, _ in pairs)
            want = (sum(w * x ** p for w, x in pairs) / total) ** (1 / p)
            assert rows[firm][column] == pytest.approx(want, rel=1e-12), (firm, column)


def test_generalised_mean_needs_a_power(write):
    write("panel.csv", PANEL)
    with pytest.raises(idxlang.IdxError, match="needs its power"):
        idxlang.load(write("s.idx", SPEC.format(items="genmean(a, b) as v")))
    with pytest.raises(idxlang.IdxError, match="geomean"):
        idxlang.load(write("s.idx", SPEC.format(items="genmean(a, b power 0) as v")))


def test_the_power_operator_and_genmeans_power_clause_side_by_side(write):
    """Both parse to their own nodes: `a ^ 2` is arithmetic, `power 2` a clause."""
    rows = got(write, "a ^ 2 as sq, genmean(a, b power 2) as g")
    assert rows["A"]["sq"] == 16 and rows["A"]["g"] == pytest.approx(((4 ** 2 + 1 ** 2) / 2) ** 0.5)
