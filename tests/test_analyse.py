"""`idxc analyse` (issue 5): availability, statistics, correlations and Cronbach's
alpha computed in DuckDB, each compared with plain Python on a small fixture."""

from __future__ import annotations

import statistics

import pytest
from conftest import idxc, read_csv

import idxlang
from bench.coinr import kurt, skew
from idxlang.tools.analyse import analyse
from idxlang.data.sources import resolve_sources

PANEL = """region,year,a,b,c
A,1,1,2,10
B,1,2,,12
C,1,4,5,9
D,1,3,4,
A,2,2,3,11
B,2,5,6,15
C,2,1,1,7
D,2,,2,8
"""
SPEC = """table t: region by year from "panel.csv"
  a, b, c
let total = mean(a, b, c)
output by region, year: a, b, c, total
"""


def columns() -> dict[str, list[float | None]]:
    rows = [line.split(",") for line in PANEL.strip().splitlines()[1:]]
    return {name: [float(r[i]) if r[i] else None for r in rows] for i, name in ((2, "a"), (3, "b"), (4, "c"))}


@pytest.fixture
def found(write):
    write("panel.csv", PANEL)
    spec = idxlang.load(write("s.idx", SPEC))
    sources = resolve_sources(spec.model, None)
    tables = analyse(spec.model, sources, spec.run().tables)
    return {name: [r for r in t.to_pylist() if r["data"] == "table t"] for name, t in tables.items()}


def test_availability_by_indicator_and_entity(found):
    share = {r["indicator"]: r["share"] for r in found["availability_by_indicator"]}
    assert share == {k: sum(v is not None for v in vs) / 8 for k, vs in columns().items()}
    by_entity = {r["entity"]: (r["cells"], r["present"]) for r in found["availability_by_entity"]}
    assert by_entity == {"A": (6, 6), "B": (6, 5), "C": (6, 6), "D": (6, 4)}
    assert [r["entity"] for r in found["availability_by_entity"]][0] == "D"  # the least available first


def test_descriptive_statistics(found):
    for r in found["statistics"]:
        xs = [v for v in columns()[r["indicator"]] if v is not None]
        assert r["n"] == len(xs) and r["min"] == min(xs) and r["max"] == max(xs)
        assert r["mean"] == pytest.approx(statistics.mean(xs)) and r["sd"] == pytest.approx(statistics.stdev(xs))
        assert r["skew"] == pytest.approx(skew(xs)) and r["kurt"] == pytest.approx(kurt(xs))


def test_correlations_over_pairwise_complete_rows(found):
    data = columns()
    for r in found["correlations"]:
        pairs = [(x, y) for x, y in zip(data[r["a"]], data[r["b"]]) if x is not None and y is not None]
        assert r["n"] == len(pairs)
        assert r["r"] == pytest.approx(statistics.correlation(*zip(*pairs)))


def test_cronbach_alpha_of_an_aggregate(found):
    (row,) = found["alpha"]
    assert row["aggregate"] == "total" and row["components"] == "a, b, c" and row["k"] == 3
    data = columns()
    complete = [(a, b, c) for a, b, c in zip(data["a"], data["b"], data["c"]) if None not in (a, b, c)]
    parts = list(zip(*complete))
    want = 3 / 2 * (1 - sum(statistics.variance(p) for p in parts) / statistics.variance([sum(r) for r in complete]))
    assert row["rows"] == len(complete) and row["alpha"] == pytest.approx(want)


def test_cli_writes_every_table(write, tmp_path):
    write("panel.csv", PANEL)
    spec = write("s.idx", SPEC)
    proc = idxc("analyse", str(spec), "--out", str(tmp_path / "an"))
    assert proc.returncode == 0, proc.stderr
    names = sorted(p.name for p in (tmp_path / "an").iterdir())
    assert names == ["alpha.csv", "availability_by_entity.csv", "availability_by_indicator.csv", "correlations.csv",
                     "statistics.csv"]
    assert {r["data"] for r in read_csv(tmp_path / "an" / "statistics.csv")} == {"table t", "outputs s"}  # the output takes the file name
