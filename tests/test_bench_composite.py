"""The composite49 bench scenario (bench/composite.py): its hand-written DuckDB baseline
equals the same pipeline in plain Python, the data takes every branch of treat(), and
idxc gives the baseline's numbers from both ways of writing the spec. Timings are the
bench's business (`python -m bench --composite`), not this test's."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT

from bench import composite
from bench.compare import compare_files

IDXC_BUDGET = 60  # seconds: a hang fails the test instead of the suite (a run takes about 1 s)


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("composite49")
    files = composite.write(folder)
    files["hand"] = folder / "hand.csv"
    subprocess.run([sys.executable, "-m", "bench.composite_hand", str(files["panel"]), str(files["hand"])],
                   cwd=ROOT, check=True)
    return files


def test_hand_written_duckdb_equals_plain_python(scenario: dict[str, Path], tmp_path: Path) -> None:
    composite.write_plain(scenario["panel"], tmp_path / "plain.csv")
    assert compare_files(tmp_path / "plain.csv", scenario["hand"], composite.OUTPUT_KEYS) == "equal"


def test_comparison_sees_a_changed_value_and_a_missing_one(scenario: dict[str, Path], tmp_path: Path) -> None:
    """The check above would pass vacuously if the comparison could not fail."""
    lines = scenario["hand"].read_text().splitlines()
    for n, change in ((1, lambda cells: repr(float(cells[3]) + 0.001)), (2, lambda cells: "")):
        cells = lines[n].split(",")
        cells[3] = change(cells)
        edited = tmp_path / f"edited{n}.csv"
        edited.write_text("\n".join([*lines[:n], ",".join(cells), *lines[n + 1:]]) + "\n")
        assert compare_files(scenario["hand"], edited, composite.OUTPUT_KEYS) == "1 rows differ"


def test_data_takes_every_branch_and_missing_values_reach_the_index(scenario: dict[str, Path]) -> None:
    rows, branches = composite.plain(scenario["panel"])
    kinds = {b.split()[0] for b in branches.values()}
    assert kinds == {"left", "winsorised", "logged"}, composite.summarise(branches)
    unranked = [r for r in rows if r["index"] is None]
    assert 0 < len(unranked) < len(rows) and all(r["place"] is None for r in unranked)
    assert min(r["place"] for r in rows if r["place"] is not None) == 1


def test_panel_and_specs_are_deterministic(tmp_path: Path) -> None:
    first, second = composite.write(tmp_path / "a"), composite.write(tmp_path / "b")
    for name in ("panel", *composite.FORMS):
        assert first[name].read_bytes() == second[name].read_bytes(), name
    assert composite.write_panel(tmp_path / "c.csv", seed=composite.SEED + 1).read_bytes() != \
        first["panel"].read_bytes()


@pytest.mark.parametrize("form", composite.FORMS)
def test_idxc_equals_the_hand_written_duckdb(scenario: dict[str, Path], form: str) -> None:
    """Both ways of writing the methodology (one def applied 49 times; one let per step
    and indicator) run, and give the baseline's numbers."""
    out = scenario["panel"].parent / f"idxc_{form}.csv"
    proc = subprocess.run([sys.executable, "-m", "idxlang.cli", "run", str(scenario[form]), "--out", str(out)],
                          check=False, cwd=ROOT, capture_output=True, text=True, timeout=IDXC_BUDGET)
    assert proc.returncode == 0, proc.stderr[-500:]
    assert compare_files(scenario["hand"], out, composite.OUTPUT_KEYS) == "equal"
