"""A small end-to-end run of `python -m bench`: every implementation of every
scenario runs, and each one's outputs equal idxc's. Timings are printed, not tested."""

from __future__ import annotations

import subprocess
import sys

from conftest import ROOT


def test_bench_runs_end_to_end_and_all_implementations_agree(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "bench", "--entities", "300", "--periods", "6", "--runs", "1",
                           "--data-dir", str(tmp_path)], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    cells = [[c.strip() for c in line.split("|")[1:-1]] for line in proc.stdout.splitlines() if line.startswith("|")]
    impls = ("idxc", "idxc_nocheck", "hand", "scan", "polars", "pandas")
    verdicts = [row[4] for row in cells if len(row) == 5 and row[1] in impls]
    assert len(verdicts) == 12  # two scenarios x six implementations
    assert verdicts.count("equal") == 8 and verdicts.count("-") == 4  # idxc is the reference; scan writes nothing


def test_bench_panel_is_deterministic(tmp_path):
    from bench.panel import PanelShape, write

    shape = PanelShape(entities=50, periods=4)
    first = write(shape, tmp_path / "a")[0].read_bytes()
    assert write(shape, tmp_path / "b")[0].read_bytes() == first
    assert write(PanelShape(entities=50, periods=4, seed=2), tmp_path / "c")[0].read_bytes() != first


def test_sensitivity_bench_smoke():
    """The one-query analysis and the plain loop agree, on 8 draws."""
    from bench.sensitivity import report

    text = report(8)
    assert "rank statistics equal: yes" in text and "loop / one query" in text
