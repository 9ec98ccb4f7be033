"""Marks of a missing value as offices publish them (issue 25): `..` (World Bank, UN,
OECD), `:` (Eurostat), `n/a`, `-`, stated on the table's `from` line and read as
missing in every format, counted and reported; unstated, the error says how to state
them. Each file is generated here in the shape the office publishes."""

from __future__ import annotations

import pytest

import idxlang
from conftest import idxc
from idxlang.reference import evaluate, load_tables

# World Bank's WDI download: country name and code, the marks `..` for no value
WDI = """Country Name,Country Code,year,gdp,pop
Albania,ALB,2020,15.13,2.84
Albania,ALB,2021,..,2.81
Andorra,AND,2020, .. ,0.08
Andorra,AND,2021,3.33,..
Angola,AGO,2020,53.6,n/a
Angola,AGO,2021,65.7,34.5
"""
SPEC = """table wdi: code by year from "{file}" missing "..", "n/a"
  gdp, pop
output o by code, year: gdp, pop, gdp / pop as pc
output tot by year: sum(gdp over code) as gdp
"""


def _wdi(write) -> str:  # type: ignore[no-untyped-def]
    return write("wdi.csv", WDI.replace("Country Code", "code"))


def test_marks_are_missing_values_and_are_counted(write) -> None:
    _wdi(write)
    spec = write("s.idx", SPEC.format(file="wdi.csv"))
    proc = idxc("run", str(spec))
    assert proc.returncode == 0, proc.stderr
    assert "table wdi (wdi.csv): 4 cells (3 '..', 1 'n/a')" in proc.stderr
    result = idxlang.load(spec).run()
    rows = {(r["code"], r["year"]): r for r in result.tables["o"].to_pylist()}
    assert rows[("ALB", 2021)]["gdp"] is None and rows[("ALB", 2021)]["pop"] == 2.81
    assert rows[("AND", 2020)]["gdp"] is None  # the mark with spaces around it
    assert rows[("AGO", 2020)]["pop"] is None and rows[("AGO", 2020)]["pc"] is None
    assert rows[("ALB", 2020)]["pc"] == pytest.approx(15.13 / 2.84)
    totals = {r["year"]: r["gdp"] for r in result.tables["tot"].to_pylist()}
    assert totals == {2020: pytest.approx(15.13 + 53.6), 2021: pytest.approx(3.33 + 65.7)}
    # the reference interpreter reads the marks the same way
    model = idxlang.load(spec).model
    ref = evaluate(model, load_tables(model))
    assert {(r["code"], r["year"]): r["gdp"] for r in ref["o"].records()} == {k: r["gdp"] for k, r in rows.items()}


def test_unstated_marks_are_reported_with_how_to_state_them(write) -> None:
    _wdi(write)
    spec = write("s.idx", SPEC.format(file="wdi.csv").replace(' missing "..", "n/a"', ""))
    proc = idxc("run", str(spec))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "column 'gdp' has text where numbers belong" in proc.stderr
    assert "hint: if '..' marks a missing value, say so: from \"wdi.csv\" missing \"..\"" in proc.stderr


def test_marks_in_a_parquet_file_and_a_workbook(write, tmp_path) -> None:
    """Eurostat's `:` in a text column of a Parquet file, and `-` in a workbook's column
    of numbers (openpyxl reads the column as text): missing in both, the numbers kept."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"geo": ["AT", "AT", "BE"], "year": [2020, 2021, 2020], "x": ["1.5", ":", " : "]}),
                   tmp_path / "e.parquet")
    book = openpyxl.Workbook()
    book.active.append(["geo", "year", "x"])
    for row in (["AT", 2020, 2.5], ["AT", 2021, "-"], ["BE", 2020, 4]):
        book.active.append(row)
    book.save(tmp_path / "e.xlsx")
    for name, mark in (("e.parquet", ":"), ("e.xlsx", "-")):
        spec = write(f"{name}.idx", f'table t: geo by year from "{name}" missing "{mark}"\n  x\noutput o by geo, year: x\n')
        got = {(r["geo"], r["year"]): r["x"] for r in idxlang.load(spec).run().tables["o"].to_pylist()}
        assert got[("AT", 2021)] is None and got[("AT", 2020)] in (1.5, 2.5), name
        proc = idxc("run", str(spec))
        assert proc.returncode == 0 and f"'{mark}')" in proc.stderr, proc.stderr


@pytest.mark.parametrize("marks, message", [
    ('"..", "3"', "'3' is a number, not a mark of a missing value"),
    ('"..", ".."', "the mark '..' is given twice"),
    ('" "', "an empty mark of a missing value"),
])
def test_a_wrong_mark_is_an_error_at_its_place(write, marks, message) -> None:
    _wdi(write)
    spec = write("s.idx", f'table wdi: code by year from "wdi.csv" missing {marks}\n  gdp\n')
    proc = idxc("check", str(spec))
    assert proc.returncode == 2 and f"s.idx:1:" in proc.stderr and message in proc.stderr, proc.stderr


def test_a_message_names_the_files_own_line_or_row(write, tmp_path) -> None:
    """Text in a column of numbers at the 37th data row: line 38 of a CSV (the header is
    line 1), row 38 of a sheet as a spreadsheet shows it, line 37 of a JSON-lines file
    (no header), row 37 of a Parquet file."""
    import openpyxl
    import pyarrow as pa
    import pyarrow.parquet as pq

    values = [str(i) for i in range(40)]
    values[36] = "?"
    write("t.csv", "e,y,x\n" + "".join(f"e{i},2020,{v}\n" for i, v in enumerate(values)))
    write("t.jsonl", "".join(f'{{"e": "e{i}", "y": 2020, "x": "{v}"}}\n' for i, v in enumerate(values)))
    pq.write_table(pa.table({"e": [f"e{i}" for i in range(40)], "y": [2020] * 40, "x": values}), tmp_path / "t.parquet")
    book = openpyxl.Workbook()
    book.active.append(["e", "y", "x"])
    for i, v in enumerate(values):
        book.active.append([f"e{i}", 2020, v if v == "?" else int(v)])
    book.save(tmp_path / "t.xlsx")
    for name, where in (("t.csv", "lines 38"), ("t.xlsx", "rows 38"), ("t.jsonl", "lines 37"), ("t.parquet", "rows 37")):
        spec = write(f"{name}.idx", f'table t: e by y from "{name}"\n  x\noutput o by e, y: x\n')
        proc = idxc("check", str(spec))
        assert proc.returncode == 2 and f"column 'x' has text where numbers belong: {where} ('?')" in proc.stderr, \
            (name, proc.stderr)
