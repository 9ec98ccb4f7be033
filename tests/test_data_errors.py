"""Bad data gets a message naming the column and the rows; inputs are never overwritten."""

from __future__ import annotations

import pytest
from conftest import idxc

SPEC = """table regions: region by year
  district attribute
  rd_costs, patents
output by region, year: rd_costs, patents
"""


def run(write, csv_text: str, *extra: str):
    spec = write("s.idx", SPEC)
    data = write("panel.csv", csv_text)
    return idxc("run", str(spec), "--data", str(data), *extra), data


def test_missing_column_is_named_with_a_suggestion(write):
    proc, _ = run(write, "region,year,district,rd_cost,patents\nA,2005,X,1,2\n")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "column 'rd_costs' is missing" in proc.stderr and "did you mean 'rd_cost'?" in proc.stderr


def test_duplicate_keys_name_the_key_and_rows(write):
    proc, _ = run(write, "region,year,district,rd_costs,patents\nA,2005,X,1,2\nB,2005,X,1,2\nA,2005,X,3,4\n")
    assert proc.returncode == 2
    assert "duplicate key region=A, year=2005 in lines 2, 4" in proc.stderr


def test_text_in_numeric_column_names_column_and_rows(write):
    proc, _ = run(write, "region,year,district,rd_costs,patents\nA,2005,X,1,2\nB,2005,X,n/a,2\nC,2005,X,2,2\n")
    assert proc.returncode == 2
    assert "column 'rd_costs' has text where numbers belong: lines 3 ('n/a')" in proc.stderr


@pytest.mark.parametrize("sep,point", [(",", "."), (";", ",")])
def test_text_below_the_rows_duckdb_typed_a_column_from(write, sep: str, point: str):
    """DuckDB types a CSV column from its first 20,480 rows; text in row 30,000 of a
    column of numbers is still named by column, row and value, the file untouched."""
    rows = [sep.join((f"r{i}", "2005", "X", f"1{point}5", str(i))) for i in range(30_000)]
    rows[29_999] = sep.join(("r29999", "2005", "X", "n/a", "7"))
    text = sep.join(("region", "year", "district", "rd_costs", "patents")) + "\n" + "\n".join(rows) + "\n"
    proc, data = run(write, text)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert "column 'rd_costs' has text where numbers belong: lines 30001 ('n/a')" in proc.stderr, proc.stderr
    assert data.read_text() == text


def test_text_in_the_only_decimal_comma_column_is_reported_alone(write):
    """The file's decimal comma is seen in a column that also holds `n/a`: the other
    cells read as numbers, and only the text is reported."""
    proc, _ = run(write, "region;year;district;rd_costs;patents\nA;2005;X;1,5;2\nB;2005;X;n/a;2\nC;2005;X;2,25;2\n")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "column 'rd_costs' has text where numbers belong: lines 3 ('n/a')" in proc.stderr, proc.stderr


def test_a_row_with_more_fields_than_the_header_is_named_by_line(write):
    """Past the rows DuckDB sniffs, a row with a field too many: the file, its line, the
    line itself and the count, not a traceback nor only DuckDB's first line."""
    rows = [f"r{i},2005,X,1.5,{i}" for i in range(30_000)]
    rows[29_999] = "r29999,2005,X,1.5,7,8"
    proc, data = run(write, "region,year,district,rd_costs,patents\n" + "\n".join(rows) + "\n")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    for said in (f"cannot read {data}: ", "Line: 30001", "Original Line: r29999,2005,X,1.5,7,8",
                 "Expected Number of Columns: 5 Found: 6"):
        assert said in proc.stderr, proc.stderr


@pytest.mark.parametrize("rows", [3, 30_000])  # within the rows DuckDB types the column from, and below them
def test_a_year_that_is_not_a_whole_number_is_named_by_row(write, rows: int):
    lines = [f"r{i},{2000 + i % 20},X,1,2" for i in range(rows)]
    lines[rows - 2] = f"r{rows - 2},20x5,X,1,2"
    proc, _ = run(write, "region,year,district,rd_costs,patents\n" + "\n".join(lines) + "\n")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr, proc.stderr
    assert f"time axis 'year' has values that are not whole periods (e.g. years): lines {rows} ('20x5')" in proc.stderr


def test_rows_keep_their_numbers_in_a_file_parsed_into_a_table(write):
    """A CSV is parsed once, into a table kept in the file's row order: the rows a
    message names are still the file's lines (a duplicate 260,000 rows apart)."""
    lines = [f"r{i // 20},{2000 + i % 20},X,1.5,{i}" for i in range(300_000)]
    lines[260_000] = "r0,2011,X,1.5,7"  # the key of row 12
    proc, _ = run(write, "region,year,district,rd_costs,patents\n" + "\n".join(lines) + "\n")
    assert proc.returncode == 2 and "duplicate key region=r0, year=2011 in lines 13, 260002" in proc.stderr, proc.stderr


def test_attribute_must_be_constant_per_entity(write):
    proc, _ = run(write, "region,year,district,rd_costs,patents\nA,2005,X,1,2\nA,2006,Y,1,2\n")
    assert proc.returncode == 2 and "attribute 'district' is not constant for each region: A: 'X', 'Y'" in proc.stderr


def test_out_never_overwrites_an_input(write):
    proc, data = run(write, "region,year,district,rd_costs,patents\nA,2005,X,1,2\n")
    before = data.read_text()
    proc, _ = run(write, before, "--out", str(data))
    assert proc.returncode == 2 and "would overwrite an input" in proc.stderr
    assert data.read_text() == before


def test_missing_data_file_is_reported(write):
    spec = write("s.idx", SPEC)
    proc = idxc("run", str(spec), "--data", "nowhere.csv")
    assert proc.returncode == 2 and "not found: nowhere.csv" in proc.stderr


def test_an_engine_error_with_the_checks_skipped_names_table_column_and_file(write, tmp_path) -> None:
    """With --no-check, text in a number column fails inside DuckDB: the error names the
    table, the column and the file, not the generated SQL."""
    import duckdb

    duckdb.sql(f"COPY (SELECT 'A' AS region, 2020 AS year, '1.5' AS x UNION ALL SELECT 'B', 2020, 'abc') "
               f"TO '{tmp_path / 'p.parquet'}'")
    spec = write("s.idx", 'table t: region by year from "p.parquet"\n  x\nlet a = x * 2\noutput by region, year: a\n')
    proc = idxc("run", str(spec), "--no-check")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "s.idx:1:1: error: DuckDB failed reading column 'x' of table t (" in proc.stderr
    assert "p.parquet): Conversion Error" in proc.stderr


def test_a_type_mismatch_in_a_definition_names_that_definition(write) -> None:
    """DuckDB refuses to compare the text of an entity key with a number when it binds the
    query (the checker cannot know a key's type): the error names the definition that
    does it (line 5), not the first of its step."""
    write("g.csv", "region,year,grp,x\nA,2020,north,1\nB,2020,south,800\n")
    spec = write("s.idx", 'table t: region by year from "g.csv"\n  grp attribute\n  x\nlet a = x * 2\n'
                          "let r = rank(x desc where region > 1)\noutput by region, year: a, r\n")
    proc = idxc("run", str(spec))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "s.idx:5:1: error: DuckDB cannot compute let r = rank(x desc where region > 1): Binder Error" in proc.stderr


@pytest.mark.parametrize("name", ["s.idx", "my spec.idx", "итог 2:1 .idx"])
def test_an_engine_error_is_placed_whatever_the_spec_file_is_named(write, name: str) -> None:
    """The definition an engine cannot compute is found from what the compiler kept on
    the SQL's nodes, not from the comment a reader sees: a file name with a space (or a
    colon and digits) is placed as any other, with its caret (issue 26)."""
    write("g.csv", "region,year,grp,x\nA,2020,north,1\nB,2020,south,800\n")
    spec = write(name, 'table t: region by year from "g.csv"\n  grp attribute\n  x\nlet a = x * 2\n'
                       "let r = rank(x desc where region > 1)\noutput by region, year: a, r\n")
    proc = idxc("run", str(spec))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert f"{name}:5:1: error: DuckDB cannot compute let r = rank(x desc where region > 1): Binder Error" in proc.stderr
    assert "5 | let r = rank(x desc where region > 1)\n  | ^" in proc.stderr, proc.stderr


def test_a_text_compared_with_a_number_is_found_by_the_checker(write) -> None:
    """An attribute is text: comparing it with a number is named where it is written."""
    spec = write("s.idx", 'table t: region by year\n  grp attribute\n  x\n'
                          "let r = rank(x desc where grp > 1)\noutput by region, year: r\n")
    proc = idxc("check", str(spec))
    assert proc.returncode == 2 and "s.idx:4:27: error: '>' takes a number, not a text" in proc.stderr
