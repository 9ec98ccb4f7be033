"""The bench scenarios and the implementations that run each one, as commands.

Every implementation runs in a fresh process (`python -m bench.worker ...`, or the
real `idxc` command line), so wall time and peak memory are per run and include
start-up and imports, as a user would see them."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

SPECS = Path(__file__).resolve().parent / "specs"


@dataclass(frozen=True)
class Scenario:
    name: str
    spec: Path
    reads: tuple[str, ...]       # panel columns the methodology reads (the scan floor)
    data_files: tuple[tuple[str, str], ...]  # idxc's --data: table, file name in the data folder
    outputs: tuple[tuple[str, tuple[str, ...]], ...]  # output file stem, its key columns


SCENARIOS = {
    "innovation": Scenario(
        "innovation", SPECS / "innovation.idx",
        ("entity", "period", "district", *(f"x{k}" for k in range(1, 11))),
        (("panel", "panel.parquet"),),
        (("entities", ("entity", "period")), ("districts", ("district", "period")))),
    "import_substitution": Scenario(
        "import_substitution", SPECS / "import_substitution.idx",
        ("entity", "period", "x1", "x2", "x3", "x4"),
        (("industries", "panel.parquet"), ("economy", "economy.parquet")),
        (("indices", ("period",)),)),
}
IMPLS = ("idxc", "idxc_nocheck", "hand", "scan", "polars", "pandas")


def command(impl: str, scenario: Scenario, data: Path, out: Path, settings: dict[str, str]) -> list[str]:
    if impl in ("idxc", "idxc_nocheck"):
        cmd = [sys.executable, "-m", "idxlang.cli", "run", str(scenario.spec), "--out", str(out), "--format", "parquet"]
        cmd += ["--no-check"] if impl == "idxc_nocheck" else []
        for table, name in scenario.data_files:
            cmd += ["--data", f"{table}={data / name}"]
        flags = {"memory_limit": "--memory-limit", "threads": "--threads", "temp_directory": "--temp-dir"}
        for key, value in settings.items():
            cmd += [flags[key], value]
        return cmd
    extra = [f"{k}={v}" for k, v in settings.items()]
    return [sys.executable, "-m", "bench.worker", impl, scenario.name, str(data), str(out), *extra]
