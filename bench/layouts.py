"""python -m bench.layouts: the innovation scenario read from a long file against the
same numbers laid out wide (issue 11's target: at most 1.5× the wide file's time).

    python -m bench.layouts --entities 100000     # a 20M-row long file (2M entity-periods × 10 variables)
    python -m bench.layouts --entities 1000000    # the 20M-row wide panel, 200M rows long

The wide panel is bench/panel.py's; the long file is the same numbers unpivoted by
DuckDB (one row per entity, period and variable, sorted by entity and period as an
export would be), written once and kept beside the panel. Both run as `idxc run` in a
fresh process (bench/timed.py), alternated, the long one with the spec's table read
`long(variable, value)`; their outputs are checked equal before any time counts.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path

import duckdb

from .compare import compare
from . import panel
from .scenarios import SCENARIOS, Scenario, command
from .timed import timed

ROOT = Path(__file__).resolve().parent.parent
VARIABLES = tuple(f"x{k}" for k in range(1, 11))


def long_file(wide: Path) -> Path:
    """The wide panel's numbers one row per entity, period and variable (made once)."""
    target = wide.with_name("panel_long.parquet")
    if not target.exists():
        columns = ", ".join(f'"{v}"' for v in VARIABLES)  # bench data preparation, fixed names
        con = duckdb.connect()
        con.execute(f"COPY (SELECT entity, period, district, variable, value FROM "
                    f"(UNPIVOT read_parquet('{wide}') ON {columns} INTO NAME variable VALUE value) "
                    f"ORDER BY entity, period) TO '{target}.tmp' (FORMAT parquet)")
        Path(f"{target}.tmp").replace(target)
    return target


def long_scenario(work: Path) -> Scenario:
    """The innovation spec with its panel read long."""
    wide = SCENARIOS["innovation"]
    text = wide.spec.read_text(encoding="utf-8").replace('from "panel.parquet"', 'from "panel_long.parquet" long(variable, value)')
    spec = work / "innovation_long.idx"
    spec.write_text(text, encoding="utf-8")
    return Scenario("innovation_long", spec, wide.reads, (("panel", "panel_long.parquet"),), wide.outputs)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.layouts", description=__doc__.splitlines()[0])
    panel.add_arguments(parser, 100_000)
    args = parser.parse_args(argv)
    shape, data = panel.generated(args)
    long_rows = duckdb.connect().execute(f"SELECT COUNT(*) FROM '{long_file(data / 'panel.parquet')}'").fetchall()[0][0]
    with tempfile.TemporaryDirectory(prefix="idxlang-layouts-") as tmp:
        work = Path(tmp)
        forms = {"wide": SCENARIOS["innovation"], "long": long_scenario(work)}
        times: dict[str, list[float]] = {f: [] for f in forms}
        peaks: dict[str, list[float]] = {f: [] for f in forms}
        for run in range(args.runs):
            for form, scenario in forms.items():  # alternated, so that drift hits both alike
                out = work / f"{form}_{run}"
                found = timed(command("idxc", scenario, data, out, {}), work / f"{form}.log", ROOT)
                if found.exit != 0:
                    raise SystemExit(f"{form} failed:\n{(work / f'{form}.log').read_text()[-2000:]}")
                times[form].append(found.seconds)
                peaks[form].append(found.peak_mb)
        verdict = compare(SCENARIOS["innovation"], work / "wide_0", work / "long_0")
    wide_s, long_s = (statistics.median(times[f]) for f in ("wide", "long"))
    print(f"innovation scenario: {shape.rows:,} entity-periods; wide file {shape.rows:,} rows, long file "
          f"{long_rows:,} rows; median of {args.runs} alternated runs")
    print("| file | median s | peak MB | outputs |\n|---|---:|---:|---|")
    print(f"| wide (`from \"panel.parquet\"`) | {wide_s:.2f} | {max(peaks['wide']):.0f} | - |")
    print(f"| long (`long(variable, value)`) | {long_s:.2f} | {max(peaks['long']):.0f} | {verdict} |")
    print(f"long / wide: {long_s / wide_s:.2f} (target: at most 1.5)")
    return 0 if verdict == "equal" else 1


if __name__ == "__main__":
    sys.exit(main())
