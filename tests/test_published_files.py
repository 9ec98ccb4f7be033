"""Files as statistics offices publish them (issue 25, round two): Eurostat's flagged
numbers, workbooks with a notes sheet, title rows and footers, CSV files with lines of
titles above the header. Each file is generated here in the shape the office publishes;
the numbers are compared with the reference interpreter's reading of the same file
where it reads the format (CSV), else with the cells written."""

from __future__ import annotations

import collections
import csv

import pytest

import idxlang
from conftest import ROOT, idxc
from idxlang.reference import evaluate, load_tables

# Eurostat's flags: p provisional, e estimated, c confidential (its value withheld: `: c`),
# b break in series; `:` alone is a missing value. Tab-separated, as Eurostat's TSV files.
NAMA = ("geo\tyear\tgdp\temp\n"
        "AT\t2021\t405.2\t4.3\n"
        "AT\t2022\t447.7 p\t4.4 e\n"
        "BE\t2021\t502.5\t: c\n"
        "BE\t2022\t549.5 bp\t:\n"
        "CY\t2021\t: c\t0.4\n"
        "CY\t2022\t29.2 e\t0.5\n")
FLAGGED = """table nama: geo by year from "nama.tsv" missing ":" flags "p", "e", "c", "b"
  gdp, emp
output o by geo, year: gdp, emp, gdp / emp as productivity
output tot by year: sum(gdp over geo) as gdp
"""


def test_flagged_numbers_are_read_as_numbers_and_counted(write) -> None:
    write("nama.tsv", NAMA)
    spec = write("s.idx", FLAGGED)
    proc = idxc("run", str(spec))
    assert proc.returncode == 0, proc.stderr
    # `: c` is a missing value and a flag; `bp` is written once, as the file writes it
    assert "table nama (nama.tsv): 3 cells (3 ':'); 6 cells flagged (1 'bp', 2 'c', 2 'e', 1 'p')" \
        in proc.stderr, proc.stderr
    result = idxlang.load(spec).run()
    rows = {(r["geo"], r["year"]): r for r in result.tables["o"].to_pylist()}
    assert rows[("AT", 2022)]["gdp"] == 447.7 and rows[("AT", 2022)]["emp"] == 4.4
    assert rows[("BE", 2021)]["emp"] is None and rows[("BE", 2022)]["gdp"] == 549.5 and rows[("BE", 2022)]["emp"] is None
    assert rows[("CY", 2021)]["gdp"] is None and rows[("CY", 2022)]["productivity"] == pytest.approx(29.2 / 0.5)
    totals = {r["year"]: r["gdp"] for r in result.tables["tot"].to_pylist()}
    assert totals == {2021: pytest.approx(405.2 + 502.5), 2022: pytest.approx(447.7 + 549.5 + 29.2)}
    model = idxlang.load(spec).model  # the reference interpreter reads the flags its own way
    ref = evaluate(model, load_tables(model))
    assert {(r["geo"], r["year"]): (r["gdp"], r["emp"]) for r in ref["o"].records()} == \
        {k: (r["gdp"], r["emp"]) for k, r in rows.items()}


def test_unstated_flags_are_reported_with_how_to_state_them(write) -> None:
    write("nama.tsv", NAMA.replace(": c", ":").replace(" bp", ""))
    proc = idxc("check", str(write("s.idx", FLAGGED.replace(' flags "p", "e", "c", "b"', ""))))
    assert proc.returncode == 2 and "column 'gdp' has text where numbers belong: lines 3, 7 ('447.7 p', '29.2 e')" in proc.stderr
    assert "hint: if 'p', 'e' flags the number before it, say so: from \"nama.tsv\" flags \"p\", \"e\"" in proc.stderr


def test_a_flag_stated_as_a_mark_too_is_refused(write) -> None:
    proc = idxc("check", str(write("s.idx", FLAGGED.replace('flags "p"', 'flags ":"'))))
    assert proc.returncode == 2 and "':' is stated as a mark of a missing value and as a flag" in proc.stderr


# A ministry's workbook: a notes sheet first, then the data under three title rows, a
# blank row between two groups of countries and two lines of notes under the table.
def workbook(path, title_rows: int = 3, bad: object = 2.2) -> None:  # type: ignore[no-untyped-def]
    import openpyxl

    book = openpyxl.Workbook()
    notes = book.active
    notes.title = "About"
    notes.append(["Regional innovation indicators"])
    notes.append(["Prepared by the statistics office, December 2026."])
    data = book.create_sheet("Data")
    for i in range(title_rows):
        data.append([f"Table 1.{i}: R&D expenditure" if i == 0 else None])
    data.append(["region", "year", "rd", "gdp"])
    data.append(["North", 2021, 1.5, 100])
    data.append(["North", 2022, bad, 110])
    data.append([None, None, None, None])
    data.append(["South", 2021, 0.5, 50])
    data.append(["South", 2022, None, 55])
    data.append([None])
    data.append(["Source: national statistics office."])
    data.append(["* provisional"])
    book.save(path)


BOOK = """table book: region by year from "book.xlsx"{clause}
  rd, gdp
output o by region, year: rd / gdp * 100 as intensity
"""


@pytest.mark.parametrize("clause", ["", ' sheet "Data"', ' sheet "Data" header row 4'])
def test_a_workbook_with_a_notes_sheet_titles_and_footers(write, tmp_path, clause: str) -> None:
    """The data sheet found past the notes sheet, its header past the titles (or as
    stated), the blank row and the notes under the table left out."""
    workbook(tmp_path / "book.xlsx")
    spec = idxlang.load(write("s.idx", BOOK.format(clause=clause)))
    rows = {(r["region"], r["year"]): r["intensity"] for r in spec.run().tables["o"].to_pylist()}
    assert rows == {("North", 2021): pytest.approx(1.5), ("North", 2022): pytest.approx(2.0),
                    ("South", 2021): pytest.approx(1.0), ("South", 2022): None}


def test_a_workbook_row_is_named_as_the_sheet_numbers_it(write, tmp_path) -> None:
    """Text in row 6 of the sheet (three titles, the header on row 4) is reported as row
    6, not as the second row of data."""
    workbook(tmp_path / "book.xlsx", bad="n.a.")
    proc = idxc("check", str(write("s.idx", BOOK.format(clause=""))))
    assert proc.returncode == 2 and "column 'rd' has text where numbers belong: rows 6 ('n.a.')" in proc.stderr, proc.stderr


def test_a_workbook_without_the_table_names_its_sheets(write, tmp_path) -> None:
    workbook(tmp_path / "book.xlsx")
    proc = idxc("check", str(write("s.idx", BOOK.format(clause="").replace("region", "nuts"))))
    # the sheet holding most of the columns is read, and what it lacks named
    assert proc.returncode == 2 and "column 'nuts' is missing" in proc.stderr, proc.stderr
    import openpyxl

    book = openpyxl.load_workbook(tmp_path / "book.xlsx")
    book["Data"]["A4"] = "nuts2"
    book["Data"]["B4"] = "period"
    book["Data"]["C4"] = "rd_exp"
    book["Data"]["D4"] = "gdp_mn"
    book.save(tmp_path / "book.xlsx")
    proc = idxc("check", str(write("s.idx", BOOK.format(clause=""))))
    assert proc.returncode == 2 and "no sheet holds the columns the spec reads (region, year, rd, gdp); its sheets: About, Data" \
        in proc.stderr, proc.stderr
    assert 'hint: name the sheet of the table: from "book.xlsx" sheet "Data"' in proc.stderr


# The World Bank's CSV download: four lines about the file above the header.
WB = ('"Data Source","World Development Indicators",\n'
      '\n'
      '"Last Updated Date","2026-11-28",\n'
      '\n'
      '"code","year","gdp","pop"\n'
      '"ALB","2020","15.13","2.84"\n'
      '"ALB","2021","..","2.81"\n'
      '"AGO","2020","53.6","33.4"\n'
      '"AGO","2021","65.7","x"\n')
WB_SPEC = """table wdi: code by year from "wdi.csv" missing ".."{clause}
  gdp, pop
output o by code, year: gdp / pop as pc
"""


@pytest.mark.parametrize("clause", ["", " header row 5"])
def test_a_csv_with_title_lines_above_its_header(write, clause: str) -> None:
    write("wdi.csv", WB.replace('"x"', '"34.5"'))
    spec = write("s.idx", WB_SPEC.format(clause=clause))
    result = idxlang.load(spec).run()
    rows = {(r["code"], r["year"]): r["pc"] for r in result.tables["o"].to_pylist()}
    assert rows == {("ALB", 2020): pytest.approx(15.13 / 2.84), ("ALB", 2021): None,
                    ("AGO", 2020): pytest.approx(53.6 / 33.4), ("AGO", 2021): pytest.approx(65.7 / 34.5)}
    model = idxlang.load(spec).model
    assert {(r["code"], r["year"]): r["pc"] for r in evaluate(model, load_tables(model))["o"].records()} == rows


def test_a_csv_line_under_titles_is_named_as_the_file_numbers_it(write) -> None:
    write("wdi.csv", WB)
    proc = idxc("check", str(write("s.idx", WB_SPEC.format(clause=""))))
    assert proc.returncode == 2 and "column 'pop' has text where numbers belong: lines 9 ('x')" in proc.stderr, proc.stderr


def test_a_header_row_past_the_end_or_on_a_parquet_file_is_refused(write, tmp_path) -> None:
    workbook(tmp_path / "book.xlsx")
    proc = idxc("check", str(write("s.idx", BOOK.format(clause=' sheet "Data" header row 40'))))
    assert proc.returncode == 2 and "header row 40: sheet 'Data' has 12 rows" in proc.stderr, proc.stderr
    proc = idxc("check", str(write("t.idx", BOOK.format(clause=" header row 0"))))
    assert proc.returncode == 2 and "header row 0: a row of the file, 1 for its first" in proc.stderr
    import pyarrow as pa
    import pyarrow.parquet as pq

    pq.write_table(pa.table({"region": ["North"], "year": [2021], "rd": [1.5], "gdp": [100.0]}), tmp_path / "book.parquet")
    proc = idxc("check", str(write("u.idx", BOOK.format(clause=" header row 2").replace("book.xlsx", "book.parquet"))))
    assert proc.returncode == 2 and "table book: header row 2 is said of a CSV or a workbook, not book.parquet" in proc.stderr


# SDMX-CSV, as Eurostat, the OECD, the IMF and the ECB exchange data: the demo file.
SDMX_DEMO = ROOT / "specs" / "demo" / "sdmx"


def _observations(path) -> dict[tuple[str, int, str], float | None]:  # type: ignore[no-untyped-def]
    """The demo file read in plain Python: (geo, year, item) -> value (None when withheld)."""
    with path.open(encoding="utf-8", newline="") as f:
        return {(r["geo"], int(r["TIME_PERIOD"]), r["na_item"]): float(r["OBS_VALUE"]) if r["OBS_VALUE"] else None
                for r in csv.DictReader(f)}


def test_an_sdmx_csv_file_gives_what_a_plain_reading_gives() -> None:
    proc = idxc("run", str(SDMX_DEMO / "regional_gdp.idx"))
    assert proc.returncode == 0, proc.stderr
    obs = _observations(SDMX_DEMO / "synthetic_regional_accounts.csv")
    flags = collections.Counter(r["OBS_FLAG"] for r in csv.DictReader((SDMX_DEMO / "synthetic_regional_accounts.csv")
                                                                        .open(encoding="utf-8")) if r["OBS_FLAG"])
    shown = ", ".join(f"{n} '{f}'" for f, n in sorted(flags.items()))
    assert f"{sum(flags.values())} cells flagged ({shown})" in proc.stderr, proc.stderr
    spec = idxlang.load(SDMX_DEMO / "regional_gdp.idx")
    rows = {(r["geo"], r["year"]): r for r in spec.run().tables["regions"].to_pylist()}
    assert len(rows) == len({(g, y) for g, y, _ in obs})
    for (geo, year), r in rows.items():
        gdp, pop, emp = (obs[(geo, year, item)] for item in ("B1GQ", "POP", "EMP"))
        if gdp is None:  # withheld: flag c
            assert r["per_head"] is None and (geo, year) == ("XX34", 2019)
            continue
        # the file's numbers have one decimal; the division is exact to the double: 1e-12
        assert r["per_head"] == pytest.approx(gdp / pop * 1000, rel=1e-12)
        assert r["productivity"] == pytest.approx(gdp / emp * 1000, rel=1e-12)
        heads = [obs[(g, year, "B1GQ")] / obs[(g, year, "POP")] * 1000 for g, y, i in obs
                 if y == year and i == "B1GQ" and obs[(g, y, i)] is not None]
        assert r["pct_of_mean"] == pytest.approx(gdp / pop * 1000 / (sum(heads) / len(heads)) * 100, rel=1e-12)


SDMX = ("DATAFLOW,freq,unit,na_item,GEO,TIME_PERIOD,OBS_VALUE,OBS_FLAG\n"
        "ESTAT:X(1.0),A,MIO_EUR,B1GQ,AT,2021,405.2,\n"
        "ESTAT:X(1.0),A,MIO_EUR,B1GQ,AT,2022,447.7,p\n"
        "ESTAT:X(1.0),A,PC_GDP,B1GQ,AT,2022,100,\n")


def test_an_sdmx_file_with_two_units_reports_the_duplicate_observation(write) -> None:
    write("x.csv", SDMX)
    proc = idxc("check", str(write("s.idx", 'table x: geo by year from "x.csv" sdmx(na_item)\n  B1GQ\noutput o by geo, year: B1GQ\n')))
    assert proc.returncode == 2 and "duplicate key geo=AT, year=2022, na_item=B1GQ in lines 3, 4" in proc.stderr, proc.stderr


def test_an_sdmx_file_without_the_entity_names_its_dimensions(write) -> None:
    write("x.csv", SDMX)
    proc = idxc("check", str(write("s.idx", 'table x: nuts by year from "x.csv" sdmx(na_item)\n  B1GQ\noutput o by nuts, year: B1GQ\n')))
    assert proc.returncode == 2 and "column 'nuts' is missing" in proc.stderr and "GEO" in proc.stderr, proc.stderr


# The World Bank's WDI and the IMF's WEO bulk files: a row per country and indicator (a
# series), a column per year, the indicator's code in a column of its own.
def _wdi(path, years=range(2018, 2023), drop: tuple[tuple[str, str], ...] = (), extra: list[list[str]] | None = None):  # type: ignore[no-untyped-def]
    """A WDI-shaped file of three indicators for four countries; cells of `drop`
    (country, year) of the population left empty, as the World Bank leaves them."""
    import random

    rng = random.Random(27)
    rows = [["Country Name", "Country Code", "Indicator Name", "Indicator Code", *(str(y) for y in years)]]
    for country in ("AUT", "BEL", "CZE", "DNK"):
        for code, name in (("NY.GDP.MKTP.CD", "GDP (current US$)"), ("SP.POP.TOTL", "Population, total"),
                           ("EN.ATM.CO2E.KT", "CO2 emissions (kt)")):
            cells = [f"{rng.uniform(1, 900):.3f}" for _ in years]
            cells = ["" if code == "SP.POP.TOTL" and (country, str(y)) in drop else c for c, y in zip(cells, years)]
            rows.append([f"{country} name, long", country, name, code, *cells])
    rows += extra or []
    with path.open("w", encoding="utf-8", newline="") as f:
        csv.writer(f).writerows(rows)
    return rows


WDI_SPEC = """table wdi: `Country Code` by year from "wdi.csv" series(`Indicator Code`, "{period}", 2018..2022)
  `NY.GDP.MKTP.CD`, `SP.POP.TOTL`
output per_capita by `Country Code`, year: `NY.GDP.MKTP.CD` / `SP.POP.TOTL` as gdppc
output mean_pc by year: mean(`NY.GDP.MKTP.CD` / `SP.POP.TOTL` over `Country Code`) as gdppc
"""


def test_a_series_file_gives_what_a_plain_reading_gives(write, tmp_path) -> None:
    """series(...): each series' row unpivoted by year and pivoted by indicator in the SQL
    (one pass); the numbers are the file's cells divided as in plain Python, exact to the
    double (1e-12: one division, or a mean of four), an empty cell a missing value."""
    rows = _wdi(tmp_path / "wdi.csv", drop=(("DNK", "2019"),))
    cells = {(r[1], int(y), r[3]): float(v) if v else None for r in rows[1:] for y, v in zip(rows[0][4:], r[4:])}
    spec = idxlang.load(write("wdi.idx", WDI_SPEC))
    assert "CROSS JOIN" in spec.sql() and "BIT_OR" in spec.sql()
    result = spec.run()
    got = {(r["Country Code"], r["year"]): r["gdppc"] for r in result.tables["per_capita"].to_pylist()}
    assert len(got) == 20
    for (country, year), value in got.items():
        gdp, pop = cells[(country, year, "NY.GDP.MKTP.CD")], cells[(country, year, "SP.POP.TOTL")]
        assert value is None if pop is None else value == pytest.approx(gdp / pop, rel=1e-12), (country, year)
    means = {r["year"]: r["gdppc"] for r in result.tables["mean_pc"].to_pylist()}
    for year, value in means.items():
        shares = [cells[(c, year, "NY.GDP.MKTP.CD")] / p for c in ("AUT", "BEL", "CZE", "DNK")
                  if (p := cells[(c, year, "SP.POP.TOTL")]) is not None]
        assert value == pytest.approx(sum(shares) / len(shares), rel=1e-12) and len(shares) == (3 if year == 2019 else 4)


def test_a_series_file_s_problems_are_named(write, tmp_path) -> None:
    """A series twice (the same country and indicator) is a duplicate key named by its
    lines; a year the file lacks is said once with the years it has; an indicator it lacks
    is named with the closest."""
    spec = write("wdi.idx", WDI_SPEC)
    rows = _wdi(tmp_path / "wdi.csv")
    _wdi(tmp_path / "wdi.csv", extra=[rows[2]])  # AUT's population again, on line 14
    twice = idxc("check", str(spec))
    assert twice.returncode == 2 and "duplicate key Country Code=AUT, Indicator Code=SP.POP.TOTL in lines 3, 14" in twice.stderr, twice.stderr
    _wdi(tmp_path / "wdi.csv", years=range(2018, 2021))
    short = idxc("check", str(spec))
    assert short.returncode == 2 and "no column for 2021..2022 (such as 2021): its periods are 2018..2020" in short.stderr, short.stderr
    assert 'state them: series(Indicator Code, "{period}", 2018..2020)' in short.stderr
    write("wdi.idx", WDI_SPEC.replace("`SP.POP.TOTL`\n", "`SP.POP.TOTAL`\n").replace("`SP.POP.TOTL` as", "`SP.POP.TOTAL` as")
          .replace("`SP.POP.TOTL` over", "`SP.POP.TOTAL` over"))
    _wdi(tmp_path / "wdi.csv")
    lacking = idxc("check", str(spec))
    assert lacking.returncode == 2 and "variable 'SP.POP.TOTAL' is not in column 'Indicator Code'" in lacking.stderr
    assert "did you mean 'SP.POP.TOTL'?" in lacking.stderr


@pytest.mark.parametrize("layout, message", [
    ('series(code, "{period}", 2018..2022)', "none of the keys"),
    ('series(ind, "y", 2018..2022)', "the pattern names {period}"),
    ('series("ind", "{period}", 2018..2022)', "write the layout as series(variable, pattern, first..last)"),
])
def test_a_bad_series_layout_is_refused(write, layout: str, message: str) -> None:
    spec = write("s.idx", f'table t: code by year from "t.csv" {layout}\n  x\noutput o by code, year: x\n')
    proc = idxc("check", str(spec))
    assert proc.returncode == 2 and message in proc.stderr and "^" in proc.stderr, proc.stderr
