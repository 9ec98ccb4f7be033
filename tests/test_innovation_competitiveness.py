"""specs/innovation_competitiveness.idx on its synthetic demo panel: the laws the
methodology guarantees, whatever the data."""

from __future__ import annotations

from collections import defaultdict

import pytest

import idxlang
from conftest import SPECS, idxc, read_csv

SPEC = SPECS / "innovation_competitiveness.idx"
INDICATORS = ("rd_costs", "tech_innovation_costs", "innovative_output", "patents", "innovative_orgs",
              "research_activity", "tech_activity", "labour_productivity", "capital_productivity", "eco_efficiency")
BANDS = [("A+", 85, 100, False), ("A", 70, 85, False), ("B+", 55, 70, False), ("B", 40, 55, False),
         ("C+", 25, 40, False), ("C", 10, 25, False), ("D", 0, 10, True)]


def expected_class(score: float) -> str:
    for code, low, high, low_closed in BANDS:
        if (score >= low if low_closed else score > low) and score <= high:
            return code
    raise AssertionError(score)


@pytest.fixture(scope="module")
def result():
    return idxlang.load(SPEC).run()


def test_demo_panel_shape():
    rows = read_csv(SPECS / "demo/innovation_competitiveness/regions_synthetic.csv")
    assert len({r["region"] for r in rows}) == 85
    assert len({r["district"] for r in rows}) == 8
    assert sorted({int(r["year"]) for r in rows}) == [2005, 2006, 2007, 2008]
    assert all(r["region"].startswith("Synthetic") for r in rows)


def test_leader_of_each_indicator_scores_100():
    extra = "output shares by region, year: " + ", ".join(f"leader_pct({i}) as {i}_pct" for i in INDICATORS)
    spec = idxlang.loads(SPEC.read_text() + "\n" + extra + "\n", path=str(SPEC))
    rows = spec.table("shares").to_pylist()
    for ind in INDICATORS:
        best = defaultdict(float)
        for r in rows:
            assert 0 <= r[f"{ind}_pct"] <= 100 + 1e-9
            best[r["year"]] = max(best[r["year"]], r[f"{ind}_pct"])
        assert all(v == pytest.approx(100, abs=1e-9) for v in best.values()), ind
        assert len(best) == 4


def test_scores_in_range_and_classes_follow_scale(result):
    rows = result.tables["regions"].to_pylist()
    assert len(rows) == 85 * 4
    for r in rows:
        assert 0 <= r["activity"] <= 100 and 0 <= r["receptivity"] <= 100
        assert 0 <= r["score"] <= 100
        assert r["score"] == round((r["activity"] + r["receptivity"]) / 2, 2) or abs(
            r["score"] - (r["activity"] + r["receptivity"]) / 2) <= 0.005 + 1e-9
        assert r["class"] == expected_class(r["score"])


def test_places_rank_scores_descending_within_year(result):
    rows = result.tables["regions"].to_pylist()
    for year in (2005, 2006, 2007, 2008):
        ranked = [r for r in rows if r["year"] == year]
        for r in ranked:
            assert r["place"] == 1 + sum(1 for o in ranked if o["score"] > r["score"])


def test_districts_are_means_of_their_regions(result):
    panel = read_csv(SPECS / "demo/innovation_competitiveness/regions_synthetic.csv")
    district_of = {r["region"]: r["district"] for r in panel}
    scores = defaultdict(list)
    for r in result.tables["regions"].to_pylist():
        scores[(district_of[r["region"]], r["year"])].append(r["score"])
    districts = result.tables["districts"].to_pylist()
    assert len(districts) == 8 * 4
    assert list(districts[0]) == ["district", "year", "score", "class"]
    for d in districts:
        values = scores[(d["district"], d["year"])]
        assert d["score"] == pytest.approx(sum(values) / len(values), abs=1e-9)
        assert d["class"] == expected_class(d["score"])


def test_out_dir_writes_both_outputs(tmp_path):
    proc = idxc("run", str(SPEC), "--out", str(tmp_path / "res"))
    assert proc.returncode == 0, proc.stderr
    regions = read_csv(tmp_path / "res" / "regions.csv")
    districts = read_csv(tmp_path / "res" / "districts.csv")
    assert list(regions[0]) == ["region", "year", "activity", "receptivity", "score", "class", "place"]
    assert list(districts[0]) == ["district", "year", "score", "class"]
    proc = idxc("run", str(SPEC), "--out", str(tmp_path / "pq"), "--format", "parquet")
    assert proc.returncode == 0, proc.stderr
    import pyarrow.parquet as pq

    assert pq.read_table(tmp_path / "pq" / "regions.parquet").num_rows == 340
