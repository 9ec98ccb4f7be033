"""python -m bench.wide_file: one variable read from a UNDP-sized wide file (issue 25's
target: the file's reading and checks under 0.3 s of CPU).

    python -m bench.wide_file --runs 5

The file is shaped as UNDP's HDR composite-indices time series: 206 countries, four
columns about the country, then 32 variables × 1990..2022 (1,076 columns in all), with
the inequality variables from 2010 only. The spec reads one variable, `le`. What is
timed, in this process (CPU seconds, median of --runs): idxc's registration and checks
of the file (data.register + data.check_data, everything `idxc run` does before its
first statement). Baselines measured in the same run: the same spec on a narrow file of
the same rows holding only the columns it reads (34), and DuckDB alone reading those 34
columns of the wide file (`SELECT ... FROM read_csv(...)`), the floor.
"""

from __future__ import annotations

import argparse
import csv
import random
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import duckdb

from idxlang import load
from idxlang.data.checks import check_data
from idxlang.data.sources import resolve_sources
from idxlang.engines.duckdb import session

YEARS = range(1990, 2023)
VARIABLES = ("hdi", "le", "eys", "mys", "gnipc", "gdi", "hdi_f", "le_f", "eys_f", "mys_f", "gni_pc_f",
             "hdi_m", "le_m", "eys_m", "mys_m", "gni_pc_m", "ihdi", "coef_ineq", "loss", "ineq_le",
             "ineq_edu", "ineq_inc", "gii", "mmr", "abr", "se_f", "se_m", "pr_f", "pr_m", "lfpr_f",
             "lfpr_m", "co2_prod")
LATE = {"ihdi", "coef_ineq", "loss", "ineq_le", "ineq_edu", "ineq_inc"}  # published from 2010
TARGET = 0.3


def columns() -> list[str]:
    head = ["iso3", "country", "hdicode", "region"]
    body = [f"{v}_{y}" for v in VARIABLES for y in YEARS if v not in LATE or y >= 2010]
    extra = [f"rank_{v}_2022" for v in ("hdi", "gdi", "gii", "ihdi")]
    filler = [f"mf_{y}" for y in YEARS]
    found = head + body + extra + filler
    return found[:1076] + [f"pad_{k}" for k in range(1076 - len(found))]


def write(folder: Path, countries: int = 206) -> tuple[Path, Path]:
    """The wide file and the narrow one of the columns the spec reads (fixed seed)."""
    rng = random.Random(25)
    names = columns()
    wide, narrow = folder / "undp.csv", folder / "undp_le.csv"
    kept = ["iso3"] + [f"le_{y}" for y in YEARS]
    with wide.open("w", newline="") as fw, narrow.open("w", newline="") as fn:
        ww, wn = csv.writer(fw), csv.writer(fn)
        ww.writerow(names)
        wn.writerow(kept)
        for i in range(countries):
            row = {n: f"{rng.uniform(0, 100):.3f}" for n in names[4:]}
            row.update(iso3=f"C{i:03d}", country=f"Country {i}", hdicode="High", region="SSA")
            ww.writerow([row[n] for n in names])
            wn.writerow([row[n] for n in kept])
    return wide, narrow


def spec(folder: Path, data: Path) -> Path:
    path = folder / f"{data.stem}.idx"
    path.write_text(f'table un: iso3 by year from "{data.name}" wide("{{variable}}_{{period}}", 1990..2022)\n'
                    "  le\n"
                    "output by year: mean(le over iso3) as mean_le\n", encoding="utf-8")
    return path


def cpu(work: Callable[[], object], runs: int) -> float:
    found = []
    for _ in range(runs):
        start = time.process_time()
        work()
        found.append(time.process_time() - start)
    return statistics.median(found)


def idxc_reading(path: Path) -> Callable[[], object]:
    model = load(path).model

    def work() -> None:
        sources = resolve_sources(model, None)
        check_data(session(sources), model, sources)
    return work


def duckdb_reading(data: Path) -> Callable[[], object]:
    wanted = ", ".join(f'"le_{y}"' for y in YEARS)  # bench data, fixed names

    def work() -> None:
        duckdb.connect().execute(f"SELECT iso3, {wanted} FROM read_csv('{data}')").fetchall()
    return work


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.wide_file", description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="idxlang-wide-") as tmp:
        folder = Path(tmp)
        wide, narrow = write(folder)
        times = {"idxc, wide file (1,076 columns)": cpu(idxc_reading(spec(folder, wide)), args.runs),
                 "idxc, narrow file (34 columns)": cpu(idxc_reading(spec(folder, narrow)), args.runs),
                 "DuckDB alone, 34 columns of the wide file": cpu(duckdb_reading(wide), args.runs)}
    floor = times["DuckDB alone, 34 columns of the wide file"]
    print(f"one variable (le, 1990..2022) of a 206 × 1,076 CSV; CPU seconds, median of {args.runs}")
    print("| reading | CPU s | × DuckDB alone |\n|---|---:|---:|")
    for what, seconds in times.items():
        print(f"| {what} | {seconds:.3f} | {seconds / floor:.1f} |")
    wide_s = times["idxc, wide file (1,076 columns)"]
    print(f"target: under {TARGET} s for the wide file: {'met' if wide_s < TARGET else 'missed'} ({wide_s:.3f} s)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
