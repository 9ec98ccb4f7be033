"""A deterministic synthetic panel, written by DuckDB straight to Parquet.

Every value is a function of (seed, entity, period, indicator) through DuckDB's
`hash`, so the same arguments give the same file on every run and the panel can be
far larger than memory. Indicators are log-normal across entities with a small
period-to-period wobble, so products of chain indices across a million entities stay
finite; `missing` is the share of indicator cells left empty.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb

FIRST_PERIOD = 2001


@dataclass(frozen=True)
class PanelShape:
    entities: int
    periods: int = 20
    indicators: int = 10
    districts: int = 100
    missing: float = 0.02
    seed: int = 1

    @property
    def rows(self) -> int:
        return self.entities * self.periods


def _uniform(seed: int, *parts: str) -> str:
    """A uniform value in (0, 1) from the hash of the seed and the given SQL terms."""
    return f"((hash({seed}, {', '.join(parts)}) % 4503599627370449)::DOUBLE + 0.5) / 4503599627370449"


def _normal(seed: int, *parts: str) -> str:
    """Standard normal by Box-Muller from two hashed uniforms."""
    u1, u2 = _uniform(seed, *parts, "'a'"), _uniform(seed, *parts, "'b'")
    return f"sqrt(-2 * ln({u1})) * cos(2 * pi() * {u2})"


def panel_sql(shape: PanelShape) -> str:
    """One range over rows in (entity, period) order; an entity's level is drawn once
    per entity (a join on a million-row table), a cell's wobble and missingness from
    one hash per cell."""
    s = shape.seed
    levels = ", ".join(f"{0.5 * k} + {_normal(s, 'e', str(k))} AS z{k}" for k in range(1, shape.indicators + 1))
    district = f"'D' || lpad((hash({s}, e, 'd') % {shape.districts})::VARCHAR, 3, '0') AS district"
    cols = []
    for k in range(1, shape.indicators + 1):
        u = _uniform(s, "i", str(k))
        wobble = f"0.004 * (({u} - {shape.missing}) / (1 - {shape.missing}) - 0.5)"
        cols.append(f"CASE WHEN {u} < {shape.missing} THEN NULL ELSE round(exp(z{k} + {wobble}), 6) END AS x{k}")
    return (f"WITH entities AS (SELECT e, {district}, {levels} FROM range({shape.entities}) t(e)) "
            f"SELECT e AS entity, (i % {shape.periods} + {FIRST_PERIOD})::INTEGER AS period, district, {', '.join(cols)} "
            f"FROM range({shape.rows}) r(i) JOIN entities ON e = i // {shape.periods} ORDER BY i")


def economy_sql(shape: PanelShape) -> str:
    """Economy-wide percent series by period, like Tables 3 and 5 of seed 003."""
    s = shape.seed
    f1, f2, f3 = (_normal(s, "p", f"'f{i}'") for i in (1, 2, 3))
    return (f"SELECT (p + {FIRST_PERIOD})::INTEGER AS period, round(100 + 3 * {f1}, 1) AS f1, "
            f"round(2 + 4 * {f2}, 1) AS f2, round(150 + 20 * {f3}, 1) AS f3 "
            f"FROM range({shape.periods}) u(p) ORDER BY period")


def write(shape: PanelShape, folder: Path, memory_limit: str | None = None) -> tuple[Path, Path]:
    """Write panel.parquet and economy.parquet into folder (kept when already there)."""
    folder.mkdir(parents=True, exist_ok=True)
    panel, economy = folder / "panel.parquet", folder / "economy.parquet"
    con = duckdb.connect()
    con.execute("SET enable_progress_bar = false")
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    for path, sql in ((panel, panel_sql(shape)), (economy, economy_sql(shape))):
        if not path.exists():
            tmp = path.with_suffix(".tmp")
            con.execute(f"COPY ({sql}) TO '{tmp}' (FORMAT parquet, ROW_GROUP_SIZE 1000000)")
            tmp.replace(path)
    return panel, economy


if __name__ == "__main__":  # python -m bench.panel ENTITIES PERIODS FOLDER
    import sys

    write(PanelShape(entities=int(sys.argv[1]), periods=int(sys.argv[2])), Path(sys.argv[3]))


def add_arguments(parser: "argparse.ArgumentParser", entities: int) -> None:
    """The panel options every benchmark takes."""
    parser.add_argument("--entities", type=int, default=entities)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "idxlang-bench",
                        help="where the generated panels are kept between runs")


def generated(args: "argparse.Namespace") -> tuple[PanelShape, Path]:
    """The panel the arguments ask for, generated once (in a process of its own, so that
    the caller stays small) and kept in --data-dir."""
    shape = PanelShape(entities=args.entities, periods=args.periods)
    data = args.data_dir / f"{shape.entities}x{shape.periods}"
    subprocess.run([sys.executable, "-m", "bench.panel", str(shape.entities), str(shape.periods), str(data)],
                   check=True, cwd=Path(__file__).resolve().parent.parent)
    return shape, data
