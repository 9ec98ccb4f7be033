"""specs/gvc_participation.idx on its small SYNTHETIC demo: every output computed by
hand in this file, and the two import figures the paper quotes (seed 001)."""

from __future__ import annotations

import math

import pytest

import idxlang
from conftest import SPECS, read_csv

SPEC = SPECS / "gvc_participation.idx"
DEMO = SPECS / "demo/gvc_participation"
EXACT = 1e-12  # the same arithmetic on the same inputs


def number(text: str) -> float | None:
    return float(text) if text else None


@pytest.fixture(scope="module")
def result():
    return idxlang.load(SPEC).run()


def by_key(rows: list[dict]) -> dict[tuple[str, int], dict]:
    return {(r["country"], int(r["year"])): r for r in rows}


def test_participation_by_hand(result):
    """backward = FVA / E, forward = DVX / E, participation = their sum,
    position = ln(1 + forward) - ln(1 + backward) (Koopman et al., 2010)."""
    tiva = by_key(read_csv(DEMO / "tiva_synthetic.csv"))
    got = by_key(result.tables["participation"].to_pylist())
    assert got.keys() == tiva.keys() and len(got) == 15
    for key, r in tiva.items():
        exports, fva, dvx = (number(r[c]) for c in ("gross_exports", "foreign_va", "domestic_va_in_partner_exports"))
        row = got[key]
        if exports is None:  # a missing value propagates to every index of the row
            assert [row[c] for c in ("backward", "forward", "participation", "position")] == [None] * 4
            continue
        backward, forward = fva / exports, dvx / exports
        assert row["backward"] == pytest.approx(backward, abs=EXACT)
        assert row["forward"] == pytest.approx(forward, abs=EXACT)
        assert row["participation"] == pytest.approx(backward + forward, abs=EXACT)
        assert row["position"] == pytest.approx(math.log(1 + forward) - math.log(1 + backward), abs=EXACT)


def test_position_separates_upstream_from_downstream(result):
    rows = [r for r in result.tables["participation"].to_pylist() if r["position"] is not None]
    for r in rows:
        assert (r["position"] > 0) == (r["forward"] > r["backward"])
    assert all(r["position"] < 0 for r in rows if r["country"] == "Synthetic assembler")


def test_machinery_imports_by_hand(result):
    imports = by_key(read_csv(DEMO / "imports_synthetic.csv"))
    got = by_key(result.tables["machinery"].to_pylist())
    assert got.keys() == imports.keys()
    for (country, year), r in imports.items():
        machinery, total = float(r["machinery_imports"]), float(r["total_imports"])
        base = float(imports[(country, 2016)]["machinery_imports"])
        assert got[(country, year)]["machinery_index"] == pytest.approx(100 * machinery / base, abs=EXACT)
        assert got[(country, year)]["machinery_share"] == pytest.approx(100 * machinery / total, abs=EXACT)


def test_the_papers_import_figures():
    """'The import of machinery and equipment ... in 2018 amounted to 128.2% relative to
    2016, accounting for 47.3% of the total import': printed to one decimal, so +-0.05."""
    got = by_key(idxlang.load(SPEC).table("machinery").to_pylist())[("Russia (synthetic)", 2018)]
    assert abs(got["machinery_index"] - 128.2) <= 0.05
    assert abs(got["machinery_share"] - 47.3) <= 0.05


def test_base_year_is_a_param():
    rows = idxlang.load(SPEC, params={"base_year": 2014}).table("machinery").to_pylist()
    base = [r["machinery_index"] for r in rows if r["year"] == 2014]
    assert len(base) == 3 and all(v == pytest.approx(100, abs=EXACT) for v in base)
    assert len({round(r["machinery_index"], 6) for r in rows if r["year"] == 2016}) == 3
