"""The worked example (specs/composite_example.idx): raw panel → denominate → impute →
treat → normalise → weighted hierarchical aggregation → rank, recomputed in plain
Python from the CSV for every region and year."""

from __future__ import annotations

import math
import statistics

import pytest
from conftest import SPECS, read_csv

import idxlang
from bench.coinr import treat

SPEC = SPECS / "composite_example.idx"
DATA = SPECS / "demo" / "composite_example" / "regions_synthetic.csv"
WEIGHTS = {"innovation": 0.4, "economy": 0.3, "environment": 0.3}


def num(v: str) -> float | None:
    return float(v) if v != "" else None


def raw() -> dict[str, dict[tuple[str, int], float | None]]:
    out: dict[str, dict[tuple[str, int], float | None]] = {k: {} for k in
                                                            ("patents_pc", "rd_intensity", "gdp_pc", "unemployment", "co2_pc", "renewables")}
    for r in read_csv(DATA):
        key = (r["region"], int(r["year"]))
        pop, gdp = float(r["population"]), float(r["gdp"])
        pat, rd, co2 = num(r["patents"]), num(r["rd_spend"]), num(r["co2"])
        out["patents_pc"][key] = None if pat is None else pat / pop * 100000
        out["rd_intensity"][key] = None if rd is None else rd / gdp * 100
        out["gdp_pc"][key] = gdp / pop * 1000000
        out["unemployment"][key] = num(r["unemployment"])
        out["co2_pc"][key] = None if co2 is None else co2 / pop * 1000
        out["renewables"][key] = num(r["renewables"])
    return out


MACRO = {r["region"]: r["macro_region"] for r in read_csv(DATA)}


def impute(series: dict[tuple[str, int], float | None]) -> dict[tuple[str, int], float | None]:
    out = dict(series)
    for (region, year), v in series.items():
        if v is not None:
            continue
        own = sorted((y, x) for (r, y), x in series.items() if r == region and x is not None)
        before, after = [p for p in own if p[0] < year], [p for p in own if p[0] > year]
        if before and after:
            (y0, x0), (y1, x1) = before[-1], after[0]
            out[(region, year)] = x0 + (x1 - x0) * (year - y0) / (y1 - y0)
        else:
            group = [x for (r, y), x in series.items() if y == year and MACRO[r] == MACRO[region] and x is not None]
            out[(region, year)] = statistics.median(group) if group else None
    return out


def score(series: dict[tuple[str, int], float | None], worse: bool) -> dict[tuple[str, int], float | None]:
    filled = impute(series)
    out: dict[tuple[str, int], float | None] = {}
    for year in sorted({y for _, y in filled}):
        keys = sorted(k for k in filled if k[1] == year)
        treated, _ = treat([filled[k] for k in keys])
        values = [None if v is None else (-v if worse else v) for v in treated]
        present = [v for v in values if v is not None]
        lo, hi = min(present), max(present)
        for k, v in zip(keys, values):
            out[k] = None if v is None or hi == lo else 1 + (v - lo) / (hi - lo) * 99
    return out


def expected() -> dict[tuple[str, int], dict[str, float | None]]:
    data = raw()
    s = {name: score(data[name], name in ("unemployment", "co2_pc")) for name in data}
    pillars = {"innovation": ("patents_pc", "rd_intensity"), "economy": ("gdp_pc", "unemployment"),
               "environment": ("co2_pc", "renewables")}
    rows: dict[tuple[str, int], dict[str, float | None]] = {}
    for key in data["gdp_pc"]:
        row: dict[str, float | None] = {}
        for pillar, parts in pillars.items():
            present = [s[p][key] for p in parts if s[p][key] is not None]
            row[pillar] = sum(present) / len(present) if present else None  # type: ignore[arg-type]
        if any(row[p] is None for p in WEIGHTS):
            row["index"] = None
        else:
            row["index"] = math.exp(sum(w * math.log(row[p]) for p, w in WEIGHTS.items()) / sum(WEIGHTS.values()))  # type: ignore[arg-type]
        rows[key] = row
    for year in {y for _, y in rows}:
        scored = [(k, r["index"]) for k, r in rows.items() if k[1] == year and r["index"] is not None]
        for k, v in scored:
            rows[k]["place"] = 1 + sum(other > v for _, other in scored)
    return rows


def test_every_score_and_place_recomputed_by_hand():
    got = {(r["region"], r["year"]): r for r in idxlang.load(SPEC).table("scores").to_pylist()}
    want = expected()
    assert set(got) == set(want)
    for key, row in want.items():
        for column, value in row.items():
            cell = got[key][column]
            assert cell == (pytest.approx(value, rel=1e-9) if value is not None else None), (key, column)


def test_the_example_exercises_each_step():
    """The demo data are built so that every step does something: cells are imputed,
    an indicator is treated, and both directions occur."""
    data = raw()
    assert sum(v is None for v in data["patents_pc"].values()) > 0
    treated = {y: treat([v for (r, yy), v in sorted(impute(data["patents_pc"]).items()) if yy == y])[1]
               for y in range(2019, 2024)}
    assert set(treated.values()) - {"left alone"}, treated
