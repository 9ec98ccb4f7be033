"""One row per key (docs/language.md, "Rows"): the row bugs of issue 22, each as a spec a
new user would write, with the rows and values worked out by hand beside it."""

from __future__ import annotations

from pathlib import Path

import idxlang
from conftest import idxc

A = "country,year,region,x\n" + "".join(f"{c},{y},{r},{x}\n" for c, r, xs in (("A", "r1", (1, 2, 3)), ("B", "r2", (4, 5, 6)))
                                         for y, x in zip((2020, 2021, 2022), xs))
B = "country,year,y\n" + "".join(f"{c},{y},25\n" for c in "AB" for y in (2020, 2021, 2022))
TWO_TABLES = """table a: country by year from "a.csv"
  region attribute
  x
table b: country by year from "b.csv"
  y
"""


def _run(write, spec: str, **files: str) -> dict[str, list[dict]]:  # type: ignore[type-arg]
    for name, text in files.items():
        write(f"{name}.csv", text)
    return {k: v.to_pylist() for k, v in idxlang.load(write("s.idx", spec)).run().tables.items()}


def test_an_attribute_in_a_table_with_a_time_axis_multiplies_no_rows(write) -> None:
    """The issue's repro: 2 countries × 3 years of y = 25 are 6 rows, and each year's
    total is 2 × 25 = 50 (it was 18 rows and 150: the attribute joined once per year)."""
    got = _run(write, TWO_TABLES + "output ys by country, year: y\noutput tot by year: sum(y over country) as total\n",
               a=A, b=B)
    assert len(got["ys"]) == 6 and {(r["country"], r["year"]) for r in got["ys"]} == \
        {(c, y) for c in "AB" for y in (2020, 2021, 2022)}
    assert [r["total"] for r in got["tot"]] == [50.0, 50.0, 50.0]


def test_an_empty_attribute_cell_does_not_split_an_entity(write) -> None:
    """B's region is empty in 2021: B is still one row that year, with both tables'
    values on it, and keeps its region r2 (its one value)."""
    a = A.replace("B,2021,r2,5", "B,2021,,5")
    got = _run(write, TWO_TABLES + "output both by country, year: x, y, region\n", a=a, b=B)
    b2021 = [r for r in got["both"] if (r["country"], r["year"]) == ("B", 2021)]
    assert b2021 == [{"country": "B", "year": 2021, "x": 5.0, "y": 25.0, "region": "r2"}]
    assert len(got["both"]) == 6


def test_an_output_reading_an_attribute_gets_no_rows_from_tables_it_does_not_read(write) -> None:
    """C is in table a only: an output of b's y and the region lists b's entities, not C."""
    a = A + "C,2020,r1,7\n"
    got = _run(write, TWO_TABLES + "output o by country, year: y, region\n", a=a, b=B)
    assert {r["country"] for r in got["o"]} == {"A", "B"} and len(got["o"]) == 6
    assert {r["region"] for r in got["o"] if r["country"] == "A"} == {"r1"}


def test_a_group_total_counts_each_entity_year_once(write) -> None:
    """sum(y by region): each region holds one country, 25 a year, from table b, grouped by
    table a's attribute."""
    got = _run(write, TWO_TABLES + "output g by region, year: sum(y by region) as total\n", a=A, b=B)
    assert [(r["region"], r["year"], r["total"]) for r in got["g"]] == \
        [(reg, y, 25.0) for reg in ("r1", "r2") for y in (2020, 2021, 2022)]


def test_a_column_computed_before_a_merge_has_the_merged_rows(write) -> None:
    """The year table c holds 2020 only; the sum brings 2021 and 2022. `c ?? 0` is 0 there,
    whichever column comes first and whether the outputs are run together or alone."""
    spec = ('table cpi: by year from "cpi.csv"\n  c\n' + TWO_TABLES +
            "output o by year: c ?? 0 as f, sum(y over country) as s\n"
            "output p by year: sum(y over country) as s, c ?? 0 as f\n")
    got = _run(write, spec, cpi="year,c\n2020,1.5\n", a=A, b=B)
    for name in ("o", "p"):
        assert [(r["year"], r["f"], r["s"]) for r in got[name]] == [(2020, 1.5, 50.0), (2021, 0.0, 50.0), (2022, 0.0, 50.0)]


def test_a_let_is_the_formula_it_names(write) -> None:
    """`let d = c ?? 1` used on country × year rows is what `x / (c ?? 1)` written out is:
    1 in the years the c table lacks."""
    spec = 'table cpi: by year from "cpi.csv"\n  c\n' + TWO_TABLES + \
        "let d = c ?? 1\noutput o by country, year: x / d as named, x / (c ?? 1) as written\n"
    got = _run(write, spec, cpi="year,c\n2020,2\n", a=A, b=B)
    assert [r["named"] for r in got["o"]] == [r["written"] for r in got["o"]] == [0.5, 2.0, 3.0, 2.0, 5.0, 6.0]


def test_a_count_of_no_values_is_missing(write) -> None:
    got = _run(write, TWO_TABLES + "output o by year: count(x over country) as n, count(x / 0 over country) as none\n",
               a=A, b=B)
    assert [(r["n"], r["none"]) for r in got["o"]] == [(2.0, None)] * 3


def test_an_attribute_that_differs_names_the_entity_and_its_values(write, tmp_path: Path) -> None:
    a = A.replace("B,2021,r2,5", "B,2021,r9,5")
    write("a.csv", a)
    write("b.csv", B)
    proc = idxc("check", str(write("s.idx", TWO_TABLES + "output ys by country, year: y\n")), "--data", f"a={tmp_path / 'a.csv'}")
    assert proc.returncode == 2 and "attribute 'region' is not constant for each country: B: 'r2', 'r9'" in proc.stderr


def test_the_sql_joins_one_row_per_entity(write) -> None:
    """Where the SQL is built: the attribute comes from a GROUP BY of its table by the
    entity, joined by the entity key only."""
    write("a.csv", A)
    write("b.csv", B)
    sql = idxlang.load(write("s.idx", TWO_TABLES + "output g by region, year: sum(y by region) as total\n")).sql("g")
    assert 'MIN("region") AS "region"\n  FROM "input"."a"\n  GROUP BY\n    "country"' in sql
    assert 'LEFT JOIN "country_attributes"\n    USING ("country")' in sql
    assert 'USING ("country", "year", "region")' not in sql


def test_a_reduction_that_reads_a_window_of_its_own_grain(write) -> None:
    """t reduces x minus last year's total onto the year, the grain of that total's lag:
    the year's rows are whole before the lag is taken. By hand: totals 5, 7, 9; in 2021
    (2 − 5) + (5 − 5) = −3, in 2022 (3 − 7) + (6 − 7) = −5."""
    got = _run(write, TWO_TABLES + "let s = sum(x over country)\noutput o by year: s, sum(x - lag(s) over country) as t\n",
               a=A, b=B)
    assert [(r["year"], r["s"], r["t"]) for r in got["o"]] == [(2020, 5.0, None), (2021, 7.0, -3.0), (2022, 9.0, -5.0)]


def test_a_power_outside_its_domain_is_missing(write) -> None:
    """(-8) ^ 0.5 has no real value and 0 ^ -1 none at all: missing, never NaN or infinity;
    4 ^ 0.5 = 2 and (-8) ^ 1 = -8 stay."""
    got = _run(write, 'table n: country by year from "n.csv"\n  x, y\noutput o by country, year: x ^ y as p, x ^ 0.5 as r\n',
               n="country,year,x,y\nA,2020,-8,1\nB,2020,0,-1\nC,2020,4,0.5\n")
    assert [(r["p"], r["r"]) for r in got["o"]] == [(-8.0, None), (None, 0.0), (2.0, 2.0)]


def test_two_outputs_columns_of_one_name_are_two_columns(write) -> None:
    """o1's c1 and o2's c1 share their rows, not their values (o2 showed o1's before)."""
    got = _run(write, 'table p: region by year from "p.csv"\n  x\n'
               "output o1 by region, year: x * 2 as c1\noutput o2 by region, year: x + 100 as c1\n",
               p="region,year,x\nA,2000,3\nB,2000,1\n")
    assert [r["c1"] for r in got["o1"]] == [6.0, 2.0] and [r["c1"] for r in got["o2"]] == [103.0, 101.0]


def test_a_missing_condition_is_missing(write) -> None:
    """x is missing for D: `if x > 0 ...`, `x > 0 and y > 0` and `x > 0 or y > 0` are missing
    there (SQL would take the else branch, and make `NULL AND FALSE` false, `NULL OR TRUE` true)."""
    got = _run(write, 'table n: country by year from "n.csv"\n  x, y\n'
               "output o by country, year: if x > 0 then 1 else 2 as i, x > 0 and y > 0 as a, x > 0 or y > 0 as b\n",
               n="country,year,x,y\nC,2020,4,0.5\nD,2020,,-1\nE,2020,,1\n")
    assert [(r["i"], r["a"], r["b"]) for r in got["o"]] == [(1.0, True, True), (None, None, None), (None, None, None)]


def test_two_columns_pooled_into_one_step_are_joined_once(write) -> None:
    """Two reductions onto the region, pooled into one GROUP BY, are read with one join
    (the output joined the pool twice, and DuckDB refused the statement)."""
    got = _run(write, 'table a: region by year from "ta.csv"\n  x\ntable b: region by year from "tb.csv"\n  y\n'
               "output o by region, year: mean(x over year) as a, mean(y over year) as b\n",
               ta="region,year,x\nA,2020,1\nA,2021,2\n", tb="region,year,y\nA,2020,5\nB,2020,6\n")
    assert [(r["region"], r["year"], r["a"], r["b"]) for r in got["o"]] == [
        ("A", 2020, 1.5, 5.0), ("A", 2021, 1.5, 5.0), ("B", 2020, None, 6.0)]


def test_nan_in_a_parquet_file_is_missing_everywhere(write, tmp_path: Path) -> None:
    """A NaN cell of a Parquet file is a missing value in every column that reads it (DuckDB
    kept it as NaN: its Parquet statistics leave NaN out, so NULLIF(x, 'NaN') was dropped)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"region": ["A", "A", "B"], "year": [2000, 2001, 2000], "x": [float("nan"), 2.0, 1.0]}),
                   tmp_path / "p.parquet")
    got = _run(write, 'table p: region by year from "p.parquet"\n  x\n'
               "output o by region, year: x, count(x over year) as n, x ?? 0 as f\n")
    assert [(r["x"], r["n"], r["f"]) for r in got["o"]] == [(None, 1.0, 0.0), (2.0, 1.0, 2.0), (1.0, 1.0, 1.0)]
