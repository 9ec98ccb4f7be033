"""Normalisation across entities within each period (issue 5), each compared with
values computed in plain Python inside the test, on a fixture with a missing value,
a tie, a zero-range indicator and two groups."""

from __future__ import annotations

import statistics

import pytest

import idxlang

PANEL = """region,district,year,x,flat
A,d1,1,10,5
B,d1,1,20,5
C,d2,1,40,5
D,d2,1,,5
E,d2,1,20,5
A,d1,2,1,1
B,d1,2,2,2
C,d2,2,2,3
D,d2,2,4,4
E,d2,2,8,5
"""
SPEC = """table t: region by year from "panel.csv"
  district attribute
  x, flat
output by region, year:
  {items}
"""


def rows(write, items: str) -> dict[tuple[str, int], dict]:
    write("panel.csv", PANEL)
    table = idxlang.load(write("s.idx", SPEC.format(items=items))).table()
    return {(r["region"], r["year"]): r for r in table.to_pylist()}


def panel() -> dict[int, dict[str, float | None]]:
    out: dict[int, dict[str, float | None]] = {}
    for line in PANEL.strip().splitlines()[1:]:
        region, _, year, x, _ = line.split(",")
        out.setdefault(int(year), {})[region] = float(x) if x else None
    return out


DISTRICT = {"A": "d1", "B": "d1", "C": "d2", "D": "d2", "E": "d2"}


def check(got: dict, column: str, expected: dict[tuple[str, int], float | None]) -> None:
    for key, want in expected.items():
        value = got[key][column]
        if want is None:
            assert value is None, (column, key, value)
        else:
            assert value == pytest.approx(want, rel=1e-12, abs=1e-12), (column, key)


def expected(f) -> dict[tuple[str, int], float | None]:  # type: ignore[no-untyped-def]
    """f(value, the period's present values) for every present value; missing stays missing."""
    out: dict[tuple[str, int], float | None] = {}
    for year, values in panel().items():
        present = [v for v in values.values() if v is not None]
        for region, v in values.items():
            out[(region, year)] = None if v is None else f(v, present)
    return out


def test_minmax_onto_0_100_and_onto_a_stated_range(write):
    got = rows(write, "minmax(x) as a, minmax(x, 1, 100 over region) as b")
    check(got, "a", expected(lambda v, xs: (v - min(xs)) / (max(xs) - min(xs)) * 100))
    check(got, "b", expected(lambda v, xs: 1 + (v - min(xs)) / (max(xs) - min(xs)) * 99))


def test_direction_minus_one_puts_the_lowest_value_on_top(write):
    got = rows(write, "minmax(x direction -1) as a, zscore(x direction -1) as z")
    check(got, "a", expected(lambda v, xs: (max(xs) - v) / (max(xs) - min(xs)) * 100))
    check(got, "z", expected(lambda v, xs: -(v - statistics.mean(xs)) / statistics.stdev(xs)))


def test_zero_range_gives_missing_not_a_crash(write):
    """Year 1's `flat` is 5 everywhere: min-max and z-score are 0/0, stated as missing."""
    got = rows(write, "minmax(flat) as a, zscore(flat) as z")
    assert all(got[(r, 1)]["a"] is None and got[(r, 1)]["z"] is None for r in "ABCDE")
    assert [got[(r, 2)]["a"] for r in "ABCDE"] == [0, 25, 50, 75, 100]


def test_zscore_uses_the_sample_standard_deviation(write):
    got = rows(write, "zscore(x) as z, zscore(x, 100, 10) as t")
    check(got, "z", expected(lambda v, xs: (v - statistics.mean(xs)) / statistics.stdev(xs)))
    check(got, "t", expected(lambda v, xs: 100 + 10 * (v - statistics.mean(xs)) / statistics.stdev(xs)))


def test_minmax_within_a_group(write):
    got = rows(write, "minmax(x by district) as g")
    want: dict[tuple[str, int], float | None] = {}
    for year, values in panel().items():
        for region, v in values.items():
            group = [w for r, w in values.items() if DISTRICT[r] == DISTRICT[region] and w is not None]
            span = max(group) - min(group) if group else 0
            want[(region, year)] = None if v is None or span == 0 else (v - min(group)) / span * 100
    check(got, "g", want)


def test_goalposts_clip_and_turn(write):
    got = rows(write, "goalposts(x, 5, 25) as g, goalposts(x, 5, 25 direction -1) as h")
    clip = lambda t: min(max(t, 0.0), 1.0) * 100  # noqa: E731
    check(got, "g", expected(lambda v, xs: clip((v - 5) / 20)))
    check(got, "h", expected(lambda v, xs: clip((25 - v) / 20)))


def test_percentile_rank_shares_the_lowest_place_among_ties(write):
    """Year 1 has B and E tied at 20: both get the lower place, as dplyr's percent_rank."""
    got = rows(write, "prank(x) as p")
    check(got, "p", expected(lambda v, xs: sum(w < v for w in xs) / (len(xs) - 1) * 100))
    assert got[("B", 1)]["p"] == got[("E", 1)]["p"] == pytest.approx(100 / 3)


def test_the_percent_of_the_leader_either_way_and_within_a_group(write):
    """fracmax: x / max × 100 (the innovation rating's `leader_pct`); where lower is better
    the leader is the lowest, min / x × 100; by district, the district's leader. Year 1's
    missing D stays missing; year 1's `flat` is all 5, so everyone is the leader."""
    got = rows(write, "fracmax(x) as f, fracmax(x direction -1) as low, fracmax(x by district) as d, fracmax(flat) as flat")
    check(got, "f", expected(lambda v, xs: v / max(xs) * 100))
    check(got, "low", expected(lambda v, xs: min(xs) / v * 100))
    by = {}
    for year, values in panel().items():
        for region, v in values.items():
            peers = [w for r, w in values.items() if DISTRICT[r] == DISTRICT[region] and w is not None]
            by[(region, year)] = None if v is None else v / max(peers) * 100
    check(got, "d", by)
    assert [got[(r, 1)]["flat"] for r in "ABCDE"] == [100] * 5 and got[("B", 1)]["f"] == 50


def test_normalisation_errors_are_pointed(write):
    write("panel.csv", PANEL)
    with pytest.raises(idxlang.IdxError, match=r"direction is 1 \(higher is better\) or -1"):
        idxlang.load(write("s.idx", SPEC.format(items="minmax(x direction 2) as a")))
    with pytest.raises(idxlang.IdxError, match="takes no 'over' clause"):
        idxlang.load(write("s.idx", SPEC.format(items="goalposts(x, 0, 1 over region) as a")))
    with pytest.raises(idxlang.IdxError, match="bounds must be numbers or params"):
        idxlang.load(write("s.idx", SPEC.format(items="minmax(x, flat, 100) as a")))


def test_imputation_by_the_period_mean_or_the_group_median(write):
    """Imputation in the language: `x ?? mean(x over region)`, `x ?? median(x by district)`."""
    got = rows(write, "x ?? mean(x over region) as m, x ?? median(x by district) as g, median(x over region) as md")
    years = panel()
    assert got[("D", 1)]["m"] == pytest.approx(statistics.mean([10, 20, 40, 20]))
    assert got[("D", 1)]["g"] == pytest.approx(statistics.median([40, 20]))  # district d2 in year 1: C and E
    assert got[("A", 1)]["m"] == 10 and got[("A", 1)]["g"] == 10
    for year, values in years.items():
        present = [v for v in values.values() if v is not None]
        assert got[("A", year)]["md"] == pytest.approx(statistics.median(present))


def test_distance_to_a_target_is_capped_at_the_target(write):
    got = rows(write, "distance(x, 30) as d, distance(x, 2 direction -1) as w")
    check(got, "d", expected(lambda v, xs: min((v - min(xs)) / (30 - min(xs)), 1) * 100))  # year 1: 40 passes the target
    check(got, "w", expected(lambda v, xs: min((-v + max(xs)) / (-2 + max(xs)), 1) * 100))


def test_goalposts_unclipped(write):
    got = rows(write, "goalposts(x, 5, 25 unclipped) as g")
    check(got, "g", expected(lambda v, xs: (v - 5) / 20 * 100))


def test_quantile_clipping(write):
    got = rows(write, "clip(x, 0.1, 0.9) as c, quantile(x, 0.5 over region) as q")
    # R's default quantiles (type 7) are statistics.quantiles(method="inclusive")
    deciles = lambda xs: statistics.quantiles(xs, n=10, method="inclusive")  # noqa: E731
    check(got, "c", expected(lambda v, xs: min(max(v, deciles(xs)[0]), deciles(xs)[-1])))
    medians = {y: statistics.median([v for v in vs.values() if v is not None]) for y, vs in panel().items()}
    check(got, "q", {(r, y): medians[y] for (r, y) in got})  # a reduction reaches every row of its period
    with pytest.raises(idxlang.IdxError, match="lo must be below hi"):
        rows(write, "clip(x, 0.9, 0.1) as c")
    with pytest.raises(idxlang.IdxError, match="probability is a number"):
        rows(write, "clip(x, 0.1, 2) as c")


def test_percentile_rank_and_rank_within_a_group(write):
    got = rows(write, "prank(x by district) as p, rank(x desc by district) as r")
    for year, values in panel().items():
        for region, v in values.items():
            group = [w for r, w in values.items() if DISTRICT[r] == DISTRICT[region] and w is not None]
            if v is None:
                assert got[(region, year)]["p"] is None and got[(region, year)]["r"] is None
                continue
            want = None if len(group) < 2 else sum(w < v for w in group) / (len(group) - 1) * 100
            assert got[(region, year)]["p"] == (pytest.approx(want) if want is not None else None), (region, year)
            assert got[(region, year)]["r"] == 1 + sum(w > v for w in group), (region, year)
