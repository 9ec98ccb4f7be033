"""The scoring tail of the innovation rating fed with the paper's published numbers
(tests/data/innovation_rating, Tables 2-6 of seed 002). See tests/data/README.md for
the rounding traps: sub-indices are printed to two decimals, so their mean can only
match the printed score within 0.01."""

from __future__ import annotations

import csv

import pytest

import idxlang
from conftest import DATA, read_csv

PUBLISHED = DATA / "innovation_rating"

SCALE = """
scale rating
  "A+" (85, 100]   "Very high"
  "A"  (70, 85]    "High"
  "B+" (55, 70]    "Above average"
  "B"  (40, 55]    "Average"
  "C+" (25, 40]    "Satisfactory"
  "C"  (10, 25]    "Low"
  "D"  [0, 10]     "Unsatisfactory"
"""


def tail_spec(tmp_path) -> idxlang.Spec:
    rows = read_csv(PUBLISHED / "published_2008_leaders_outsiders.csv")
    panel = tmp_path / "published.csv"
    with panel.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["region", "year", "group", "activity", "receptivity", "published_score"])
        for r in rows:
            w.writerow([r["region"], 2008, r["group"], r["activity_index"], r["receptivity_index"],
                        r["competitiveness_index"]])
    text = f"""
table regions: region by year from "{panel.name}"
  group attribute
  activity, receptivity, published_score
let score = round(mean(activity, receptivity), 2)
{SCALE}
output scores by region, year:
  score, classify(published_score, rating) as class,
  rank(published_score desc) as place
"""
    return idxlang.loads(text, path=str(tmp_path / "tail.idx"))


def test_mean_of_subindices_gives_published_score(tmp_path):
    rows = {r["region"]: r for r in read_csv(PUBLISHED / "published_2008_leaders_outsiders.csv")}
    got = tail_spec(tmp_path).table("scores").to_pylist()
    assert len(got) == 20
    for r in got:
        # printed to two decimals from unrounded sub-indices: 0.01 is what rounding allows
        assert r["score"] == pytest.approx(float(rows[r["region"]]["competitiveness_index"]), abs=0.01 + 1e-9)


def test_classes_of_published_scores_match_published_2008_classes(tmp_path):
    got = {r["region"]: r["class"] for r in tail_spec(tmp_path).table("scores").to_pylist()}
    published = {r["region"]: r["class_2008"] for r in read_csv(PUBLISHED / "published_classes.csv")}
    both = sorted(set(got) & set(published))
    assert len(both) >= 15
    for region in both:
        assert got[region] == published[region], region
    assert got["Mari El Republic"] == "D"  # 10.00 is in [0, 10]
    assert got["Tuva Republic"] == "C"  # 10.40 is in (10, 25]


def test_ranking_the_leaders_gives_places_1_to_10(tmp_path):
    got = tail_spec(tmp_path).table("scores").to_pylist()
    published = {r["region"]: int(r["rank_competitiveness"])
                 for r in read_csv(PUBLISHED / "published_2008_leaders_outsiders.csv") if r["group"] == "leaders"}
    places = {r["region"]: r["place"] for r in got if r["region"] in published}
    assert places == published
    assert sorted(places.values()) == list(range(1, 11))


def test_district_ratio_2008_to_2005(tmp_path):
    rows = read_csv(PUBLISHED / "published_federal_districts.csv")
    panel = tmp_path / "districts.csv"
    with panel.open("w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["district", "year", "score"])
        for r in rows:
            w.writerow([r["district"], 2005, r["competitiveness_2005"]])
            w.writerow([r["district"], 2008, r["competitiveness_2008"]])
    text = f"""
table districts: district by year from "{panel.name}"
  score
param base_year = 2005
output ratios by district, year: score / score at base_year * 100 as ratio
"""
    spec = idxlang.loads(text, path=str(tmp_path / "d.idx"))
    got = {(r["district"], r["year"]): r["ratio"] for r in spec.table("ratios").to_pylist()}
    for r in rows:
        s05, s08 = float(r["competitiveness_2005"]), float(r["competitiveness_2008"])
        published = float(r["ratio_2008_to_2005_pct"])
        ours = got[(r["district"], 2008)]
        assert ours == pytest.approx(100 * s08 / s05, rel=1e-12)
        assert got[(r["district"], 2005)] == pytest.approx(100.0)
        if r["district"] == "Far Eastern":
            # 14.60 / 14.9 = 97.99, printed 98.00: the 2005 index is printed to one
            # decimal (14.85..14.95), which moves the ratio by up to 0.34, so only
            # that bound is justified here; the other six agree within 0.01.
            bound = 100 * (s08 + 0.005) / (s05 - 0.05) - 100 * s08 / s05 + 0.005
            assert abs(ours - published) <= bound
            assert abs(ours - published) > 0.01  # the trap is real: documented, not hidden
        else:
            assert ours == pytest.approx(published, abs=0.01), r["district"]
