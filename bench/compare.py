"""Check that an implementation's outputs equal idxc's, cell by cell, in DuckDB."""

from __future__ import annotations

from pathlib import Path

import duckdb

from .scenarios import Scenario

RELATIVE = 1e-9   # the same arithmetic in another engine: only summation order differs
PRODUCTS = 1e-6   # products across a million entities: exp(sum(ln)) against a running product


def compare(scenario: Scenario, expected: Path, got: Path) -> str:
    """'equal', or what differs."""
    con = duckdb.connect()
    problems = []
    for stem, keys in scenario.outputs:
        a, b = str(expected / f"{stem}.parquet"), str(got / f"{stem}.parquet")
        schema = con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [a]).fetchall()
        names = [row[0] for row in schema]
        other = [row[0] for row in con.execute("DESCRIBE SELECT * FROM read_parquet(?)", [b]).fetchall()]
        if names != other:
            problems.append(f"{stem}: columns {other} != {names}")
            continue
        tol = PRODUCTS if stem == "indices" else RELATIVE
        checks = []
        for name, kind, *_ in schema:
            if name in keys:
                continue
            ident = _quote(name)
            if kind == "DOUBLE":
                checks.append(f"NOT (a.{ident} IS NULL AND b.{ident} IS NULL OR abs(a.{ident} - b.{ident}) <= "
                              f"{tol} * greatest(abs(a.{ident}), abs(b.{ident}), 1))")
            else:
                checks.append(f"a.{ident} IS DISTINCT FROM b.{ident}")
        using = ", ".join(_quote(k) for k in keys)
        key = _quote(keys[0])
        rows = con.execute(f"SELECT count(*) FROM read_parquet(?) a FULL JOIN read_parquet(?) b USING ({using}) "
                           f"WHERE a.{key} IS NULL OR b.{key} IS NULL OR {' OR '.join(checks)}",
                           [a, b]).fetchall()[0][0]
        if rows:
            problems.append(f"{stem}: {rows} rows differ")
    return "; ".join(problems) or "equal"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
