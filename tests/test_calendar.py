"""Quarters and months (issue 11): a time axis declared `quarterly` or `monthly` reads
labels (`2024Q1`, `2024-03`) or dates, and lag, chain, `at` and `in a..b` count calendar
periods, so a missing quarter is a gap, never the row before it. The expected numbers
are computed here in Python from the CSV files, independently of the compiler; both
sides are double arithmetic on the same inputs, so they agree to 1e-12."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pytest

import idxlang
from conftest import ROOT, idxc

ENGINES = ROOT / "tests" / "engines"
SPEC = ENGINES / "quarterly.idx"


def cells(name: str, time: str, per_year: int) -> dict[tuple[str, int], dict[str, float | None]]:
    """A file's rows by region and period number, read with the csv module."""
    with (ENGINES / name).open(encoding="utf-8") as f:
        found = {}
        for r in csv.DictReader(f):
            label = r.pop(time)
            year, sub = int(label[:4]), int(label[-1] if "Q" in label else label[5:7])
            if per_year == 4 and "Q" not in label:
                sub = (sub - 1) // 3 + 1
            region = r.pop("region")
            found[(region, year * per_year + sub - 1)] = {k: float(v) if v else None for k, v in r.items()}
        return found


def ratio(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None or b == 0 else a / b


def close(have: object, want: float | None) -> bool:
    return want is None and have is None or isinstance(have, float) and want is not None and \
        math.isclose(have, want, rel_tol=1e-12)


@pytest.fixture(scope="module")
def results() -> idxlang.Result:
    return idxlang.load(SPEC).run()


def test_quarters_lag_and_chain_by_calendar_quarter(results) -> None:
    data = cells("probe_quarterly.csv", "quarter", 4)
    rows = results.tables["growth"].to_pylist()
    assert len(rows) == len(data)
    x = lambda region, q: (data.get((region, q)) or {}).get("x")  # noqa: E731
    for r in rows:
        year, quarter = int(r["quarter"][:4]), int(r["quarter"][5])
        q = year * 4 + quarter - 1
        assert r["quarter"] == f"{year}Q{quarter}"  # written back as a label
        assert close(r["qq"], ratio(x(r["region"], q), x(r["region"], q - 1))), r
        assert close(r["yoy"], ratio(x(r["region"], q), x(r["region"], q - 4))), r
        base = ratio(x(r["region"], q), x(r["region"], 2021 * 4))
        assert close(r["base"], None if base is None else base * 100), r
    gap = {(r["region"], r["quarter"]): r for r in rows}
    assert ("r03", "2022Q2") not in gap and gap[("r03", "2022Q3")]["qq"] is None  # the gap, not 2022Q1
    assert gap[("r03", "2023Q2")]["yoy"] is None and gap[("r03", "2023Q1")]["yoy"] is not None


def test_ranges_of_quarters_and_of_whole_years(results) -> None:
    data = cells("probe_quarterly.csv", "quarter", 4)
    for r in results.tables["years"].to_pylist():
        def mean(lo: int, hi: int) -> float:
            xs = [v["x"] for (g, q), v in data.items() if g == r["region"] and lo <= q <= hi and v["x"] is not None]
            return sum(xs) / len(xs)
        assert close(r["y2022"], mean(2022 * 4, 2022 * 4 + 3)), r  # `in 2022..2022`: 2022Q1..2022Q4
        assert close(r["late"], mean(2023 * 4 + 1, 2023 * 4 + 3)), r  # `in 2023Q2..2023Q4`


def test_months_from_a_date_column(results) -> None:
    data = cells("probe_monthly.csv", "month", 12)
    rows = results.tables["inflation"].to_pylist()
    assert len(rows) == len(data)
    cpi = lambda region, m: (data.get((region, m)) or {}).get("cpi")  # noqa: E731
    for r in rows:
        m = int(r["month"][:4]) * 12 + int(r["month"][5:7]) - 1
        assert len(r["month"]) == 7 and r["month"][4] == "-"  # 2023-04, not the date it was read from
        yoy = ratio(cpi(r["region"], m), cpi(r["region"], m - 12))
        assert close(r["yoy"], None if yoy is None else yoy * 100 - 100), r
        assert close(r["mm"], ratio(cpi(r["region"], m), cpi(r["region"], m - 1))), r
    after_gap = next(r for r in rows if r["region"] == "r02" and r["month"] == "2023-04")
    assert after_gap["mm"] is None and after_gap["yoy"] is not None


def test_quarter_end_dates_read_as_their_quarters(tmp_path: Path, results) -> None:
    """The same quarters given as the quarter's last day (a DATE column)."""
    text = (ENGINES / "probe_quarterly.csv").read_text(encoding="utf-8")
    ends = {"1": "03-31", "2": "06-30", "3": "09-30", "4": "12-31"}
    for year in ("2021", "2022", "2023"):
        for q, day in ends.items():
            text = text.replace(f",{year}Q{q},", f",{year}-{day},")
    (tmp_path / "dates.csv").write_text(text, encoding="utf-8")
    have = idxlang.load(SPEC).run(data={"gdp": str(tmp_path / "dates.csv"), "prices": str(ENGINES / "probe_monthly.csv")})
    assert have.tables["growth"].to_pylist() == results.tables["growth"].to_pylist()


def test_the_numbering_is_in_the_sql() -> None:
    sql = idxc("sql", str(SPEC)).stdout
    assert "quarter numbered year * 4 + quarter - 1 (2024Q1 is 8096)" in sql
    assert 'CAST(SUBSTRING(CAST("quarter" AS TEXT), 1, 4) AS INT) * 4' in sql  # the label read in SQL
    assert """CAST("quarter" // 4 AS TEXT) || 'Q' ||""" in sql  # and written back
    assert '"quarter" BETWEEN 8088 AND 8091' in sql  # in 2022..2022


def test_written_files_hold_labels(tmp_path: Path) -> None:
    proc = idxc("run", str(SPEC), "--out", str(tmp_path / "out"))
    assert proc.returncode == 0, proc.stderr
    with (tmp_path / "out" / "inflation.csv").open(encoding="utf-8") as f:
        months = [r["month"] for r in csv.DictReader(f)]
    assert months[:3] == ["2022-01", "2022-02", "2022-03"]


QUARTERLY = 'table g: region by quarter quarterly from "g.csv"\n  x\n\n'


@pytest.mark.parametrize("body,message", [
    ("output by region: x at 2022 as a\n", "time axis 'quarter' is quarterly: name one quarter, not the year 2022"),
    ("output by region: x at 2022-03 as a\n", "'2022-03' is a month, but time axis 'quarter' is quarterly"),
    ("output by region, quarter: if quarter > 8000 then x else 0 as a\n", "'quarter' counts quarters"),
    ("output by region: mean(x over quarter in 2022Q3..2022Q1) as a\n", "empty period range 2022Q3..2022Q1"),
    ('table h: region by quarter monthly from "g.csv"\n  y\n\noutput by region, quarter: x as a\n',
     "time axis 'quarter' is quarterly in table g but monthly here"),
])
def test_periods_that_do_not_fit_the_axis_are_errors(write, body: str, message: str) -> None:
    write("g.csv", "region,quarter,x\nA,2022Q1,1\n")
    proc = idxc("run", str(write("s.idx", QUARTERLY + body)))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert message in proc.stderr, proc.stderr


@pytest.mark.parametrize("csv_text,message", [
    ("region,quarter,x\nA,2022Q1,1\nA,2022-5,2\nA,Q3 2022,3\n",
     "time axis 'quarter' has values that are not quarters: lines 3, 4 ('2022-5', 'Q3 2022')"),
    ("region,quarter,x\nA,8088,1\n", "time axis 'quarter' is quarterly, but the file holds numbers"),
])
def test_bad_period_labels_are_reported_by_row(write, csv_text: str, message: str) -> None:
    write("g.csv", csv_text)
    proc = idxc("run", str(write("s.idx", QUARTERLY + "output by region, quarter: x as a\n")))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert message in proc.stderr, proc.stderr


def test_a_year_axis_refuses_a_quarter(write) -> None:
    write("g.csv", "region,year,x\nA,2022,1\n")
    proc = idxc("run", str(write("s.idx", 'table g: region by year from "g.csv"\n  x\n\noutput by region: x at 2022Q1 as a\n')))
    assert proc.returncode == 2 and "'2022Q1' is a quarter, but time axis 'year' is yearly" in proc.stderr
