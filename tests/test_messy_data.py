"""Messy data (issue 13), each case with its documented behaviour (README, "Errors and
guarantees"): an error naming the file, the column and the rows, or a missing value
that the run's report counts. Never a traceback."""

from __future__ import annotations

import math

import duckdb
import pytest

from conftest import idxc

SPEC = ('table t: e by y from "d.csv"\n  x\n'
        "let s = x / max(x over e) * 100\nlet l = ln(x)\nlet g = geomean(x, 4)\nlet d = 1 / (x - 2)\n"
        "output o by e, y: x, s, l, g, d\n")


def run(write, csv_text: str | None = None, parquet: str | None = None, spec: str = SPEC):
    """The spec over a CSV written as given, or a Parquet file DuckDB makes from `parquet`
    (a SELECT); (exit code, stderr, the output's rows or None)."""
    path = write("s.idx", spec)
    if csv_text is not None:
        write("d.csv", csv_text)
        data = path.parent / "d.csv"
    else:
        data = path.parent / "d.parquet"
        duckdb.sql(f"COPY ({parquet}) TO '{data}' (FORMAT parquet)")
    proc = idxc("run", str(path), "--data", f"t={data}", "--out", str(path.parent / "out"), "--format", "parquet")
    assert "Traceback" not in proc.stderr
    rows = None
    if proc.returncode == 0:
        rows = duckdb.sql(f"SELECT * FROM '{path.parent / 'out' / 'o.parquet'}' ORDER BY ALL").fetchall()
    return proc.returncode, proc.stderr, rows


@pytest.mark.parametrize("csv_text,message", [
    ("e,y\nA,2020\n", "d.csv (table t): column 'x' is missing"),
    ("e,y,x\nA,2020,1\nB,2020,n/a\n", "column 'x' has text where numbers belong: lines 3 ('n/a')"),
    ("e,y,x\nA,2020,1\nA,2020,2\n", "duplicate key e=A, y=2020 in lines 2, 3"),
    ("e,y,x\nA,2020,inf\nB,2020,-inf\nC,2020,1\n", "column 'x' holds infinite values: lines 2, 3"),
    ("", "data file for table t is empty"),
    ("e,y,x\n", "the file holds no rows, only its header"),
    ("e,y,x\nA,twenty,1\n", "time axis 'y' must hold whole periods"),
])
def test_bad_data_is_an_error_by_column_and_row(write, csv_text, message) -> None:
    code, err, _ = run(write, csv_text)
    assert code == 2 and message in err, err


def test_a_folder_instead_of_a_file(write, tmp_path) -> None:
    (tmp_path / "folder.csv").mkdir()
    proc = idxc("run", str(write("s.idx", SPEC)), "--data", f"t={tmp_path / 'folder.csv'}")
    assert proc.returncode == 2 and "is a folder, not a file" in proc.stderr


def test_infinity_in_parquet_is_an_error_by_row(write) -> None:
    code, err, _ = run(write, parquet="SELECT * FROM (VALUES ('A', 2020, 1.0), ('B', 2020, 'inf'::DOUBLE)) v(e, y, x)")
    assert code == 2 and "column 'x' holds infinite values: rows 2 (inf)" in err, err


def test_nan_is_a_missing_value_in_csv_and_parquet(write) -> None:
    for kind in ("csv", "parquet"):
        if kind == "csv":
            code, err, rows = run(write, "e,y,x\nA,2020,nan\nB,2020,4\nC,2020,8\n")
        else:
            code, err, rows = run(write, parquet="SELECT * FROM (VALUES ('A', 2020, 'nan'::DOUBLE), ('B', 2020, 4.0), "
                                                 "('C', 2020, 8.0)) v(e, y, x)")
        assert code == 0, err
        assert rows[0][2] is None and rows[1][3] == 50.0  # A missing; B is half the leader C, not NaN
        assert "max(x over e) skipped 1 missing of 3" in err  # and the report counts it


def test_values_outside_a_functions_domain_are_missing(write) -> None:
    """ln of a value at or below 0, a geometric mean with a negative part, a division by
    zero: missing values, not errors (they are computations, not data problems)."""
    code, err, rows = run(write, "e,y,x\nA,2020,-3\nB,2020,0\nC,2020,2\nD,2020,1e308\n")
    assert code == 0, err
    by = {r[0]: r for r in rows}
    assert by["A"][4] is None and by["B"][4] is None  # ln
    assert by["A"][5] is None  # geomean(-3, 4)
    assert by["C"][6] is None  # 1 / (2 - 2)
    assert by["D"][3] == 100.0 and math.isclose(by["D"][4], math.log(1e308))  # 1e308 is an ordinary value


def test_extra_columns_a_bom_and_integer_parquet_columns_are_fine(write) -> None:
    code, err, rows = run(write, "\ufeffe,y,x,unused\nA,2020,2,zzz\nB,2020,4,yyy\n")
    assert code == 0 and [r[:3] for r in rows] == [("A", 2020, 2.0), ("B", 2020, 4.0)], err
    code, err, rows = run(write, parquet="SELECT 'A' AS e, 2020 AS y, 7::BIGINT AS x")
    assert code == 0 and rows[0][2] == 7.0 and rows[0][3] == 100.0, err


def test_a_parquet_key_column_of_the_wrong_type(write) -> None:
    code, err, _ = run(write, parquet="SELECT 'A' AS e, '2020' AS y, 1.0 AS x")
    assert code == 2 and "time axis 'y' must hold whole periods (e.g. years), not VARCHAR" in err


def test_one_entity_one_period_and_gaps(write) -> None:
    lagged = SPEC.replace("let d = 1 / (x - 2)", "let d = chain(x)")
    code, err, rows = run(write, "e,y,x\nA,2020,2\n", spec=lagged)
    assert code == 0 and rows[0][:5] == ("A", 2020, 2.0, 100.0, math.log(2)) and rows[0][6] is None, err
    assert math.isclose(rows[0][5], math.sqrt(8), rel_tol=1e-15)  # exp(mean of logs): within an ulp or two
    code, err, rows = run(write, "e,y,x\nA,2019,1\nA,2020,2\nA,2022,4\nB,2020,8\n", spec=lagged)
    assert code == 0, err
    by = {(r[0], r[1]): r for r in rows}
    assert by[("A", 2020)][6] == 2.0 and by[("A", 2022)][6] is None  # 2021 absent: a gap, not the row before
    assert by[("B", 2020)][3] == 100.0 and by[("A", 2020)][3] == 25.0  # B exists in 2020 only


def test_entity_codes_that_turn_to_text_below_the_typed_rows_run(write) -> None:
    """Numeric-looking entity codes for 40,000 rows, then `AB12`: DuckDB typed the column
    as numbers from the first rows; the checks read it again as text and the run goes on."""
    lines = [f"{i // 20},{2000 + i % 20},{1 + i % 7}" for i in range(40_000)] + ["AB12,2000,3"]
    code, err, rows = run(write, "e,y,x\n" + "\n".join(lines) + "\n", spec='table t: e by y from "d.csv"\n  x\noutput o by e, y: x\n')
    assert code == 0, err
    assert len(rows) == 40_001 and ("AB12", 2000, 3.0) in rows and ("1999", 2019, 1 + 39_999 % 7) in rows
