"""Determinism (issue 13): the same spec and data give byte-identical output files across
runs, across --threads 1, 2 and 4, and across CSV and Parquet copies of the same data.
The panel is large enough (600,000 rows, five row groups) for DuckDB to aggregate in
parallel, where a plain double SUM's last bits follow the order the threads meet the
rows; idxc's sums add their values in one order instead, the same on every engine
(builtins/reductions.Over; across engines: test_engine_files.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, SPECS, idxc, random_panel

SPEC = (ROOT / "bench" / "specs" / "innovation.idx").read_text(encoding="utf-8")
SPREAD = ('table panel: entity by period from "panel.parquet"\n  district attribute\n  x1, x2\n'
          "let z = zscore(x1)\nlet v = sd(x2 over entity)\n"
          "output spread by entity, period: z, v\noutput districts by district, period: sd(x1 by district) as s\n")


def _files(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture(scope="module")
def panel(tmp_path_factory) -> Path:
    work = tmp_path_factory.mktemp("determinism")
    random_panel(work / "panel.parquet", 30000, seed=0.25)
    (work / "spec.idx").write_text(SPEC, encoding="utf-8")
    (work / "spread.idx").write_text(SPREAD, encoding="utf-8")
    return work


@pytest.mark.parametrize("spec", ["spec.idx", "spread.idx"])
def test_the_same_bytes_across_runs_and_thread_counts(panel: Path, spec: str) -> None:
    """Means and sums (FSUM, FAVG), and standard deviations (their rows taken in order)."""
    found = {}
    for label, threads in (("a", "4"), ("b", "4"), ("one", "1"), ("two", "2")):
        out = panel / f"{spec}-{label}"
        proc = idxc("run", str(panel / spec), "--out", str(out), "--quiet", "--threads", threads)
        assert proc.returncode == 0, proc.stderr
        found[label] = _files(out)
    assert found["a"] == found["b"] == found["one"] == found["two"]
    assert found["a"]["districts.csv"].count(b"\n") == 40 * 20 + 1


def test_the_same_bytes_from_csv_and_from_parquet(panel: Path) -> None:
    import duckdb

    small = panel / "small"
    small.mkdir()
    duckdb.sql(f"COPY (SELECT * FROM '{panel / 'panel.parquet'}' WHERE entity < 3000) TO '{small / 'panel.parquet'}'")
    duckdb.sql(f"COPY (SELECT * FROM '{small / 'panel.parquet'}') TO '{small / 'panel.csv'}'")  # shortest round-trip text
    (small / "spec.idx").write_text(SPEC, encoding="utf-8")
    runs = {}
    for fmt in ("parquet", "csv"):
        proc = idxc("run", str(small / "spec.idx"), "--data", f"panel={small / f'panel.{fmt}'}", "--out",
                    str(small / fmt), "--quiet")
        assert proc.returncode == 0, proc.stderr
        runs[fmt] = _files(small / fmt)
    assert runs["parquet"] == runs["csv"]


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.idx")), ids=lambda p: p.stem)
def test_every_library_spec_twice_and_on_one_thread(path: Path, tmp_path: Path) -> None:
    outs = []
    for label, threads in (("a", "4"), ("b", "1")):
        proc = idxc("run", str(path), "--out", str(tmp_path / label), "--quiet", "--threads", threads)
        assert proc.returncode == 0, proc.stderr
        outs.append(_files(tmp_path / label))
    assert outs[0] == outs[1]
