"""specs/amt_portfolio.idx on its SYNTHETIC demo panel: every output recomputed by
hand from the CSV, and the aggregates the news release publishes (seed 000)."""

from __future__ import annotations

from collections import defaultdict

import pytest

import idxlang
from conftest import DATA, SPECS, read_csv

SPEC = SPECS / "amt_portfolio.idx"
PANEL = SPECS / "demo/amt_portfolio/amt_synthetic.csv"
SOURCES = {"in_house": "amt_in_house", "russia": "amt_russia", "abroad": "amt_abroad"}
PORTFOLIO_YEARS = range(2014, 2018)
EXACT = 1e-9  # outputs recomputed from the same integers: only float rounding differs


@pytest.fixture(scope="module")
def panel() -> list[dict]:
    return [{**r, "year": int(r["year"]), **{k: float(r[k]) for k in ("amt_total", *SOURCES.values())}}
            for r in read_csv(PANEL)]


@pytest.fixture(scope="module")
def result():
    return idxlang.load(SPEC).run()


def mean(values: list[float]) -> float:
    return sum(values) / len(values)


def test_demo_panel_shape_and_label(panel):
    assert len({r["region"] for r in panel}) == 85
    assert len({r["region_type"] for r in panel}) == 9
    assert sorted({r["year"] for r in panel}) == list(range(2011, 2019))
    assert len(panel) == 85 * 8
    assert all(r["region"].startswith("Synthetic") for r in panel) and "synthetic" in PANEL.name


def test_national_totals_are_the_published_amt_counts(result):
    """Table 5 of seed 003 prints the AMT used in 2014-2018; the demo is built on them."""
    printed = {int(r["year"]): float(r["amt_used_units"]) for r in read_csv(DATA / "import_substitution/economy.csv")}
    national = {r["year"]: r for r in result.tables["national"].to_pylist()}
    assert sorted(national) == list(range(2011, 2019))
    for year in range(2014, 2019):
        assert national[year]["amt_total"] == printed[year]


def test_growth_matches_the_release(result):
    """'Between 2011 and 2018 the number of AMT used increased by 33 %, and in 2018 they
    amounted to almost 255,000 units': 33 is printed as a whole percent (so +-0.5), and
    'almost 255,000' is read as 250,000 up to 255,000."""
    [growth] = result.tables["growth"].to_pylist()
    assert (growth["from_year"], growth["to_year"]) == (2011, 2018)
    assert abs(growth["growth_pct"] - 33) <= 0.5
    assert 250_000 <= growth["amt_to"] < 255_000
    assert growth["growth_pct"] == round(100 * (growth["amt_to"] / growth["amt_from"] - 1), 1)


def test_growth_period_is_a_param():
    [growth] = idxlang.load(SPEC, params={"growth_from": 2014}).table("growth").to_pylist()
    assert growth["from_year"] == 2014
    assert growth["growth_pct"] == round(100 * (254_927 / 204_546 - 1), 1)


def test_type_shares_stay_in_the_released_ranges(result):
    """'All regions (except one type of agricultural regions group) indicate relatively high
    dependence on imported technologies (ranging from 16% to 38%) paired with low intensity
    of the use of in-house developed AMT (less than 22% in all types of regions).'"""
    types = result.tables["types"].to_pylist()
    assert len(types) == 9 and sum(t["regions"] for t in types) == 85
    for column in ("abroad", "abroad_mean_of_regions"):
        outside = [t["region_type"] for t in types if not 0.16 <= t[column] <= 0.38]
        assert len(outside) == 1 and "Agricultural" in outside[0], (column, outside)
    for t in types:
        assert t["in_house"] < 0.22 and t["in_house_mean_of_regions"] < 0.22


def test_national_import_share_is_almost_30_percent(result):
    """The release's title: 'almost 30% of AMT used in Russia are acquired abroad'."""
    for r in result.tables["national"].to_pylist():
        assert 0.25 <= r["share_abroad"] < 0.30


def test_shares_by_hand(panel, result):
    rows = result.tables["shares"].to_pylist()
    assert len(rows) == len(panel)
    for got, r in zip(rows, sorted(panel, key=lambda r: (r["region"], r["year"]))):
        assert (got["region"], got["year"], got["region_type"]) == (r["region"], r["year"], r["region_type"])
        for name, column in SOURCES.items():
            assert got[f"share_{name}"] == pytest.approx(r[column] / r["amt_total"], abs=EXACT)
        assert sum(got[f"share_{n}"] for n in SOURCES) == pytest.approx(1, abs=EXACT)  # the demo partitions


def portfolios(panel: list[dict]) -> dict[str, dict[str, float]]:
    by_region = defaultdict(list)
    for r in panel:
        if r["year"] in PORTFOLIO_YEARS:
            by_region[r["region"]].append(r)
    return {region: {name: mean([r[c] / r["amt_total"] for r in rs]) for name, c in SOURCES.items()}
            for region, rs in by_region.items()}


def test_portfolio_by_hand(panel, result):
    expected = portfolios(panel)
    rows = result.tables["portfolio"].to_pylist()
    assert len(rows) == 85
    for got in rows:
        for name in SOURCES:
            assert got[name] == pytest.approx(expected[got["region"]][name], abs=EXACT)


def test_types_by_hand_both_ways(panel, result):
    region_type = {r["region"]: r["region_type"] for r in panel}
    port = portfolios(panel)
    totals = defaultdict(lambda: defaultdict(float))
    for r in panel:
        for column in ("amt_total", *SOURCES.values()):
            totals[(r["region_type"], r["year"])][column] += r[column]
    for got in result.tables["types"].to_pylist():
        t = got["region_type"]
        members = [reg for reg, ty in region_type.items() if ty == t]
        assert got["regions"] == len(members)
        for name, column in SOURCES.items():
            ratio_of_totals = mean([totals[(t, y)][column] / totals[(t, y)]["amt_total"] for y in PORTFOLIO_YEARS])
            assert got[name] == pytest.approx(ratio_of_totals, abs=EXACT)
            assert got[f"{name}_mean_of_regions"] == pytest.approx(mean([port[m][name] for m in members]), abs=EXACT)


def test_portfolio_years_are_params(panel):
    rows = idxlang.load(SPEC, params={"portfolio_from": 2018, "portfolio_to": 2018}).table("portfolio").to_pylist()
    last = {r["region"]: r for r in panel if r["year"] == 2018}
    for got in rows:
        assert got["abroad"] == pytest.approx(last[got["region"]]["amt_abroad"] / last[got["region"]]["amt_total"],
                                              abs=EXACT)
