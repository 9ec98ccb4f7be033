"""The hand-written baseline: the SQL an expert would write for DuckDB, as fast as
they can make it, for the same outputs as the bench specs. (This is a baseline, so it
is SQL text by design; idxlang itself builds its SQL as sqlglot trees.)"""

from __future__ import annotations

from pathlib import Path

import duckdb

BANDS = """CASE WHEN score > 85 AND score <= 100 THEN 'A+' WHEN score > 70 AND score <= 85 THEN 'A'
  WHEN score > 55 AND score <= 70 THEN 'B+' WHEN score > 40 AND score <= 55 THEN 'B'
  WHEN score > 25 AND score <= 40 THEN 'C+' WHEN score > 10 AND score <= 25 THEN 'C'
  WHEN score >= 0 AND score <= 10 THEN 'D' END"""


def _pct(k: int) -> str:
    return f"x{k} / m{k} * 100"


def innovation_sql(panel: str) -> str:
    """Leader maxima once per period (a GROUP BY joined back), scores in one pass."""
    maxima = ", ".join(f"max(x{k}) AS m{k}" for k in range(1, 11))
    activity = " + ".join(_pct(k) for k in range(1, 8))
    receptivity = " + ".join(_pct(k) for k in range(8, 11))
    return f"""
CREATE TEMP TABLE scores AS
WITH p AS (SELECT * FROM read_parquet('{panel}')),
m AS (SELECT period, {maxima} FROM p GROUP BY period),
s AS (SELECT entity, period, district, ({activity}) / 7 AS activity, ({receptivity}) / 3 AS receptivity
      FROM p JOIN m USING (period))
SELECT *, round((activity + receptivity) / 2, 2) AS score FROM s;
"""


def innovation(data: Path, out: Path, con: duckdb.DuckDBPyConnection) -> None:
    con.execute(innovation_sql(str(data / "panel.parquet")))
    con.execute(f"""COPY (SELECT entity, period, activity, receptivity, score, {BANDS} AS class,
        CASE WHEN score IS NOT NULL THEN rank() OVER (PARTITION BY period ORDER BY score DESC) END AS place
        FROM scores ORDER BY entity, period) TO '{out / "entities.parquet"}' (FORMAT parquet)""")
    con.execute(f"""COPY (SELECT district, period, score, {BANDS} AS class FROM
        (SELECT district, period, avg(score) AS score FROM scores GROUP BY district, period)
        ORDER BY district, period) TO '{out / "districts.parquet"}' (FORMAT parquet)""")


def import_substitution(data: Path, out: Path, con: duckdb.DuckDBPyConnection) -> None:
    """The panel has every period for every entity, so the previous period is lag()."""
    panel, economy = data / "panel.parquet", data / "economy.parquet"
    con.execute(f"""COPY (
WITH c AS (
  SELECT period,
    coalesce(x1 / lag(x1) OVER w, 1) AS c1,
    coalesce(x2 / lag(x2) OVER w, 1) * coalesce(x3 / lag(x3) OVER w, 1) AS c23,
    coalesce(x4 / lag(x4) OVER w, 1) AS c4
  FROM read_parquet('{panel}') WINDOW w AS (PARTITION BY entity ORDER BY period)),
a AS (SELECT period, exp(sum(ln(c1))) AS p1, exp(sum(ln(c23))) AS p23, exp(sum(ln(c4))) AS p4
      FROM c GROUP BY period),
e AS (SELECT period, f1, f2, f3 / lag(f3) OVER (ORDER BY period) AS chain_f3 FROM read_parquet('{economy}')),
i AS (SELECT period, p1 AS initial, p23 * f1 / 100 * (1 + f2 / 100) AS basic, p4 * chain_f3 AS stability
      FROM a JOIN e USING (period))
SELECT *, initial * basic * stability AS structural FROM i ORDER BY period
) TO '{out / "indices.parquet"}' (FORMAT parquet)""")


def scan(data: Path, columns: list[str], con: duckdb.DuckDBPyConnection) -> None:
    """The floor: read every column the methodology reads, once, and nothing else.
    Sums, not max(): DuckDB answers max() of a Parquet column from its statistics."""
    reads = ", ".join(f"sum(strlen({c}))" if c == "district" else f"sum({c})" for c in columns)
    con.execute(f"SELECT {reads} FROM read_parquet('{data / 'panel.parquet'}')").fetchall()
