"""`idxc sensitivity` (issue 5): all draws in one DuckDB query, checked against a
plain-Python loop that runs the spec once per draw of the same design."""

from __future__ import annotations

import statistics

import pytest

import idxlang
from conftest import SPECS, idxc
from idxlang.data.sources import resolve_sources
from idxlang.tools.sensitivity import analyse, design, parse_vary

PANEL = """e,y,a,b,c
A,1,10,3,5
B,1,8,9,1
C,1,6,6,6
D,1,2,10,7
E,1,5,5,
A,2,9,4,4
B,2,7,8,2
C,2,6,7,5
D,2,3,9,9
E,2,4,6,3
"""
SPEC = """table t: e by y from "panel.csv"
  a, b, c
param w1 = 1
param w2 = 1
param lean = 0
let index = mean(a: w1, b: w2, c present 2) + lean * a
output by e, y: index, rank(index desc) as place
"""


def test_one_query_equals_a_loop_over_the_same_draws(write):
    write("panel.csv", PANEL)
    path = write("s.idx", SPEC)
    varies = [parse_vary("w1=uniform(0.5, 2)"), parse_vary("w2=uniform(0.5, 2)"), parse_vary("lean=choice(0, 0.5)")]
    found = analyse(idxlang.load(path).model, resolve_sources(idxlang.load(path).model, None), varies, 6, 11, "s", "place")
    plan = design(varies, 6, 11).to_pylist()
    # the loop: one run of the spec per draw, with the draw's params
    ranks: dict[int, dict[tuple[str, int], float]] = {}
    for d in plan:
        table = idxlang.load(path, {v.name: d[v.name] for v in varies}).table()
        ranks[d["draw"]] = {(r["e"], r["y"]): r["place"] for r in table.to_pylist()}
    nominal = {(r["e"], r["y"]): r["place"] for r in idxlang.load(path).table().to_pylist()}
    got = {(r["e"], r["y"]): r for r in found["ranks"].to_pylist()}
    for key in nominal:
        ab = [ranks[d["draw"]][key] for d in plan if d["block"] in ("A", "B")]
        assert got[key]["nominal"] == nominal[key] and got[key]["draws"] == 12
        assert got[key]["median"] == pytest.approx(statistics.median(ab))
        ventiles = statistics.quantiles(ab, n=20, method="inclusive")  # R's type 7, as quantile_cont
        assert got[key]["q05"] == pytest.approx(ventiles[0]) and got[key]["q95"] == pytest.approx(ventiles[-1])
    by_entity = {(r["e"], r["y"], r["param"]): r for r in found["indices_by_entity"].to_pylist()}
    summary: dict[str, list[tuple[float, float]]] = {}
    for key in nominal:
        ab = [ranks[d["draw"]][key] for d in plan if d["block"] in ("A", "B")]
        v = statistics.pvariance(ab)
        fa = {d["base"]: ranks[d["draw"]][key] for d in plan if d["block"] == "A"}
        fb = {d["base"]: ranks[d["draw"]][key] for d in plan if d["block"] == "B"}
        for p in ("w1", "w2", "lean"):
            fab = {d["base"]: ranks[d["draw"]][key] for d in plan if d["block"] == "AB" and d["param"] == p}
            row = by_entity[(*key, p)]
            if v == 0:
                assert row["first_order"] is None and row["total"] is None
                continue
            centre = statistics.mean(ab)
            s = statistics.mean((fb[j] - centre) * (fab[j] - fa[j]) for j in fa) / v
            st = statistics.mean((fa[j] - fab[j]) ** 2 for j in fa) / 2 / v
            assert row["first_order"] == pytest.approx(s) and row["total"] == pytest.approx(st)
            summary.setdefault(p, []).append((s, st))
    for r in found["indices"].to_pylist():
        pairs = summary[r["param"]]
        assert r["entities"] == len(pairs)
        assert r["first_order"] == pytest.approx(statistics.mean(s for s, _ in pairs))
        assert r["total"] == pytest.approx(statistics.mean(t for _, t in pairs))


def test_the_same_seed_gives_the_same_draws():
    varies = [parse_vary("w=uniform(0, 1)")]
    assert design(varies, 8, 3).equals(design(varies, 8, 3)) and not design(varies, 8, 3).equals(design(varies, 8, 4))
    assert design(varies, 8, 3).num_rows == 8 * 3


def test_sensitivity_on_the_innovation_rating_demo():
    proc = idxc("sensitivity", str(SPECS / "innovation_competitiveness.idx"), "--output", "regions", "--rank", "place",
                "--vary", "w_activity=uniform(0.5, 1.5)", "--vary", "w_receptivity=uniform(0.5, 1.5)", "--draws", "16")
    assert proc.returncode == 0, proc.stderr
    assert "== ranks (" in proc.stdout and "== indices (2 rows)" in proc.stdout
    assert "w_activity" in proc.stdout and "w_receptivity" in proc.stdout


@pytest.mark.parametrize("vary, message", [("w1=normal(0,1)", "uniform"), ("w1=uniform(2,1)", "LOW below HIGH"),
                                           ("wx=uniform(0,1)", "no param 'wx'")])
def test_vary_errors(write, vary, message):
    write("panel.csv", PANEL)
    path = write("s.idx", SPEC)
    proc = idxc("sensitivity", str(path), "--rank", "place", "--vary", vary, "--draws", "4")
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


def test_a_normalisation_choice_varied_as_a_param(write):
    """`method` picks min-max or z-scores per draw; each draw's ranks equal a run with that choice."""
    write("panel.csv", PANEL)
    path = write("s.idx", """table t: e by y from "panel.csv"
  a, b, c
param method = 1
let norm_a = if method == 1 then minmax(a) else zscore(a)
let norm_b = if method == 1 then minmax(b) else zscore(b)
let index = mean(norm_a, norm_b)
output by e, y: index, rank(index desc) as place
""")
    varies = [parse_vary("method=choice(1, 2)")]
    found = analyse(idxlang.load(path).model, resolve_sources(idxlang.load(path).model, None), varies, 4, 5, "s", "place")
    plan = design(varies, 4, 5).to_pylist()
    ranks = {d["draw"]: {(r["e"], r["y"]): r["place"] for r in idxlang.load(path, {"method": d["method"]}).table().to_pylist()}
             for d in plan}
    assert {d["method"] for d in plan} == {1.0, 2.0}  # both choices drawn
    for r in found["ranks"].to_pylist():
        ab = [ranks[d["draw"]][(r["e"], r["y"])] for d in plan if d["block"] in ("A", "B")]
        assert r["median"] == pytest.approx(statistics.median(ab))
