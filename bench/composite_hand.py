"""The composite49 methodology written by hand for DuckDB, as an expert would from
Python: the baseline `idxc run` is timed against (bench/composite.py).

    python -m bench.composite_hand PANEL.csv OUT.csv

Long format (one row per country, year and indicator) so every step is one statement
over all 49 indicators at once; COINr's treatment is a loop of at most five UPDATEs,
each Winsorising one point of every indicator that still fails. (A baseline, so SQL
text by design; the names are fixed, so f-strings are safe here.)
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

from .coinr import WINMAX
from .composite import DIMENSIONS, INDICATORS, PILLARS, denominator

FAILS = "abs(skewness(v)) >= 2 AND kurtosis(v) >= 3.5"   # NULL (never fails) under 4 values or all equal


def _complete(column: str) -> str:
    """A mean that is missing when any component is missing (idxc's row-wise mean)."""
    return f"CASE WHEN count({column}) = count(*) THEN avg({column}) END"


def method_rows() -> list[tuple[str, str | None, float | None, int, int]]:
    """(indicator, denominator column, scale, pillar, dimension): the methodology table."""
    dimension = {p: d for d, ps in enumerate(DIMENSIONS, 1) for p in ps}
    rows = []
    for p, inds in enumerate(PILLARS, 1):
        for i in inds:
            d = denominator(i)
            rows.append((i, d.column if d else None, d.scale if d else None, p, dimension[p]))
    return rows


def run(panel: Path, out: Path, con: duckdb.DuckDBPyConnection | None = None) -> None:
    con = con or duckdb.connect(config={"preserve_insertion_order": False})
    con.execute("CREATE TEMP TABLE method (ind VARCHAR, denom VARCHAR, scale DOUBLE, pillar INTEGER, dim INTEGER)")
    con.executemany("INSERT INTO method VALUES (?, ?, ?, ?, ?)", method_rows())
    columns = ", ".join(f'"{i}"' for i in INDICATORS)

    # read, go long, denominate, impute by the group's mean in the year
    con.execute(f"""
CREATE TEMP TABLE t AS
WITH wide AS (SELECT * FROM read_csv('{panel}', header = true)),
long AS (FROM wide UNPIVOT INCLUDE NULLS (raw FOR ind IN ({columns}))),
den AS (
  SELECT country, year, grp, ind,
         CASE m.denom WHEN 'gdp' THEN raw::DOUBLE / nullif(gdp, 0) * m.scale
                      WHEN 'population' THEN raw::DOUBLE / nullif(population, 0) * m.scale
                      ELSE raw::DOUBLE END AS x
  FROM long JOIN method m USING (ind)),
imputed AS (SELECT country, year, grp, ind, coalesce(x, avg(x) OVER (PARTITION BY year, ind, grp)) AS v0 FROM den)
SELECT *, v0 AS v FROM imputed""")

    # COINr's treatment: Winsorise one point of every failing indicator per statement,
    # re-reading the skew's sign each time; stop early when none fails
    for _ in range(WINMAX):
        changed = con.execute(f"""
UPDATE t SET v = CASE WHEN s.sk > 0 THEN s.next_hi ELSE s.next_lo END
FROM (
  SELECT year, ind, f.sk, f.hi, f.lo,
         max(t.v) FILTER (WHERE t.v < f.hi) AS next_hi, min(t.v) FILTER (WHERE t.v > f.lo) AS next_lo
  FROM t JOIN (SELECT year, ind, skewness(v) AS sk, max(v) AS hi, min(v) AS lo FROM t
               GROUP BY year, ind HAVING {FAILS}) f USING (year, ind)
  GROUP BY ALL) s
WHERE t.year = s.year AND t.ind = s.ind AND ((s.sk > 0 AND t.v = s.hi) OR (s.sk < 0 AND t.v = s.lo))""").fetchone()
        if not changed or not changed[0]:  # rows updated
            break

    # still failing: COINr's log_CT of the original values; then min-max onto 0-100
    con.execute(f"""
CREATE TEMP TABLE scores AS
WITH f AS (SELECT year, ind, {FAILS} AS fails, min(v0) AS lo0, max(v0) AS hi0 FROM t GROUP BY year, ind),
treated AS (
  SELECT t.*, CASE WHEN f.fails THEN ln(v0 - lo0 + 0.01 * (hi0 - lo0)) ELSE v END AS w
  FROM t JOIN f USING (year, ind))
SELECT country, year, grp, ind,
       (w - min(w) OVER r) / nullif(max(w) OVER r - min(w) OVER r, 0) * 100 AS score
FROM treated WINDOW r AS (PARTITION BY year, ind)""")

    # means at three levels (missing when a component is missing), wide again, rank
    pillars = ", ".join(f"any_value(x) FILTER (WHERE pillar = {p}) AS p{p}" for p in range(1, len(PILLARS) + 1))
    dims = ", ".join(f"any_value(x) FILTER (WHERE dim = {d}) AS d{d}" for d in range(1, len(DIMENSIONS) + 1))
    con.execute(f"""
COPY (
WITH p AS (
  SELECT country, year, grp, pillar, any_value(dim) AS dim, {_complete('score')} AS x
  FROM scores JOIN method USING (ind) GROUP BY country, year, grp, pillar),
d AS (SELECT country, year, grp, dim, {_complete('x')} AS x FROM p GROUP BY country, year, grp, dim),
i AS (SELECT country, year, grp, {_complete('x')} AS "index" FROM d GROUP BY country, year, grp),
pw AS (SELECT country, year, {pillars} FROM p GROUP BY country, year),
dw AS (SELECT country, year, {dims} FROM d GROUP BY country, year)
SELECT country, year, grp, pw.* EXCLUDE (country, year), dw.* EXCLUDE (country, year), "index",
       CASE WHEN "index" IS NOT NULL THEN rank() OVER (PARTITION BY year ORDER BY "index" DESC NULLS LAST) END AS place
FROM i JOIN pw USING (country, year) JOIN dw USING (country, year)
ORDER BY country, year
) TO '{out}' (HEADER, DELIMITER ',')""")


if __name__ == "__main__":
    run(Path(sys.argv[1]), Path(sys.argv[2]))
