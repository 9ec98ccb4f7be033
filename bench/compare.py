"""Check that an implementation's outputs equal idxc's, cell by cell, in DuckDB."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import duckdb

from .scenarios import Scenario

RELATIVE = 1e-9   # the same arithmetic in another engine: only summation order differs
PRODUCTS = 1e-6   # products across a million entities: exp(sum(ln)) against a running product
NUMERIC = {"DOUBLE", "FLOAT", "BIGINT", "INTEGER", "SMALLINT", "TINYINT", "HUGEINT", "UBIGINT", "UINTEGER"}


def compare(scenario: Scenario, expected: Path, got: Path) -> str:
    """'equal', or what differs."""
    problems = []
    for stem, keys in scenario.outputs:
        tol = PRODUCTS if stem == "indices" else RELATIVE
        verdict = compare_files(expected / f"{stem}.parquet", got / f"{stem}.parquet", keys, tol)
        if verdict != "equal":
            problems.append(f"{stem}: {verdict}")
    return "; ".join(problems) or "equal"


def compare_files(expected: Path, got: Path, keys: Sequence[str], tol: float = RELATIVE) -> str:
    """'equal', or what differs, for two Parquet or CSV files with the same columns:
    keys, text and integers equal, doubles within a relative `tol`, missing values in
    the same cells. A CSV column one writer prints as integers and another as doubles
    is compared as numbers."""
    con = duckdb.connect()
    a, b = ("read_csv(?, header = true)" if p.suffix == ".csv" else "read_parquet(?)" for p in (expected, got))
    schema = con.execute(f"DESCRIBE SELECT * FROM {a}", [str(expected)]).fetchall()
    other = {row[0]: row[1] for row in con.execute(f"DESCRIBE SELECT * FROM {b}", [str(got)]).fetchall()}
    names = [row[0] for row in schema]
    if names != list(other):
        return f"columns {list(other)} != {names}"
    checks = []
    for name, kind, *_ in schema:
        if name in keys:
            continue
        ident = _quote(name)
        if kind == "DOUBLE" or (kind != other[name] and {kind, other[name]} <= NUMERIC):
            x, y = f"a.{ident}::DOUBLE", f"b.{ident}::DOUBLE"
            # missing on one side only differs; so does a gap wider than the tolerance
            checks.append(f"({x} IS NULL) <> ({y} IS NULL) OR abs({x} - {y}) > {tol} * greatest(abs({x}), abs({y}), 1)")
        else:
            checks.append(f"a.{ident} IS DISTINCT FROM b.{ident}")
    using = ", ".join(_quote(k) for k in keys)
    key = _quote(keys[0])
    rows = con.execute(f"SELECT count(*) FROM {a} a FULL JOIN {b} b USING ({using}) "
                       f"WHERE a.{key} IS NULL OR b.{key} IS NULL OR {' OR '.join(checks) or 'false'}",
                       [str(expected), str(got)]).fetchall()[0][0]
    return f"{rows} rows differ" if rows else "equal"


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'
