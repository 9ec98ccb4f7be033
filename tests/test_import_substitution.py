"""specs/import_substitution.idx against the paper's Tables 2, 4, 6 and 7.

The paper prints three decimals (rounding error up to 0.0005). Its chain indices
are products and ratios of values that are themselves printed rounded, so the
issue's tolerances are 0.002 for Table 7 and 0.0015 for Tables 2, 4 and 6.
The 2014 values need 2013 data the paper does not print: chain-based columns are
compared for 2015-2022 only.
"""

from __future__ import annotations

import shutil

import pytest

import idxlang
from conftest import DATA, SPECS, idxc, read_csv

SPEC = SPECS / "import_substitution.idx"
PAPER = DATA / "import_substitution"


def with_outputs(extra: str) -> idxlang.Spec:
    """The library spec plus outputs for the paper's intermediate tables."""
    return idxlang.loads(SPEC.read_text() + "\n" + extra, path=str(SPEC))


def by_year(table) -> dict[int, dict]:
    return {row["year"]: row for row in table.to_pylist()}


def test_table7_reproduced_within_0_002():
    result = idxlang.load(SPEC).run()
    got = by_year(result.tables["import_substitution"])
    for row in read_csv(PAPER / "expected_table7_structural_index.csv"):
        year = int(row["year"])
        if year == 2014:
            continue
        for ours, theirs in [("initial", "initial_index"), ("basic", "basic_index"),
                             ("stability", "stability_index"), ("structural", "structural_index")]:
            assert got[year][ours] == pytest.approx(float(row[theirs]), abs=0.002), (year, ours)


def test_table2_chain_indices_within_0_0015():
    spec = with_outputs("output chains by industry, year: industry_chain")
    got = {(r["industry"], r["year"]): r["industry_chain"] for r in spec.table("chains").to_pylist()}
    compared = 0
    for row in read_csv(PAPER / "expected_table2_industry_chain_indices.csv"):
        year = int(row["year"])
        if year == 2014:
            continue
        assert got[(row["industry"], year)] == pytest.approx(float(row["chain_index"]), abs=0.0015), row
        compared += 1
    assert compared == 21 * 8


def test_table4_and_table6_within_0_0015():
    spec = with_outputs(
        "output factors by year: return_on_assets, high_productivity_jobs, technological_dependency_change\n"
        "output stab by year: fixed_investment, amt_used, labour_productivity, capital_renewal\n")
    result = spec.run(outputs=["factors", "stab"])
    factors, stab = by_year(result.tables["factors"]), by_year(result.tables["stab"])
    pairs = [(factors, "expected_table4_factor_indices.csv",
              {"return_on_assets": "return_on_assets_index", "high_productivity_jobs": "high_productivity_jobs_index",
               "technological_dependency_change": "technological_dependency_change_index"}),
             (stab, "expected_table6_stability_indices.csv",
              {"fixed_investment": "fixed_investment_index", "amt_used": "amt_used_index",
               "labour_productivity": "labour_productivity_index", "capital_renewal": "capital_renewal_index"})]
    chained = {"technological_dependency_change", "amt_used"}
    for got, name, columns in pairs:
        for row in read_csv(PAPER / name):
            year = int(row["year"])
            for ours, theirs in columns.items():
                if year == 2014 and ours in chained:
                    assert got[year][ours] is None  # no 2013 in the panel: the lag is missing
                    continue
                assert got[year][ours] == pytest.approx(float(row[theirs]), abs=0.0015), (year, ours)


def test_fixed_interface_writes_result_csv(tmp_path):
    for name in ("industry_output.csv", "economy.csv"):
        shutil.copy(PAPER / name, tmp_path / name)
    proc = idxc("run", str(SPEC), "--data", "industries=industry_output.csv", "--data", "economy=economy.csv",
                "--out", "result.csv", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    rows = read_csv(tmp_path / "result.csv")
    assert list(rows[0]) == ["year", "initial", "basic", "stability", "structural"]
    assert [int(r["year"]) for r in rows] == list(range(2014, 2023))
    assert float(rows[1]["structural"]) == pytest.approx(0.406, abs=0.002)


def test_demo_runs_without_arguments():
    proc = idxc("run", str(SPEC))
    assert proc.returncode == 0, proc.stderr
    assert "structural" in proc.stdout.splitlines()[0]
    assert len(proc.stdout.splitlines()) == 10  # header + 2014..2022
