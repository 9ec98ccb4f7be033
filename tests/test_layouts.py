"""Data as offices publish it (issue 11): a file laid out long, one row per entity,
period and variable, is pivoted inside the generated SQL (visible in `idxc sql`) and
gives what the same numbers laid out wide give; its problems are reported by column,
variable and row."""

from __future__ import annotations

import csv
import json
import math

import pytest

import idxlang
from conftest import ROOT, idxc

ENGINES = ROOT / "tests" / "engines"
LONG = ENGINES / "long.idx"


def wide_twin() -> idxlang.Spec:
    """long.idx reading probe.csv, where the same numbers are laid out one column each."""
    text = LONG.read_text(encoding="utf-8").replace('"probe_long.csv" long(indicator, value)', '"probe.csv"')
    return idxlang.loads(text, path=str(ENGINES / "wide_twin.idx"))


def test_a_long_file_gives_what_the_wide_file_gives() -> None:
    long, wide = idxlang.load(LONG), wide_twin()
    have, want = long.run(), wide.run()
    for output in long.outputs:  # the same numbers, summed in another order: to 1e-12
        h, w = have.tables[output].to_pylist(), want.tables[output].to_pylist()
        assert len(h) == len(w) and all(
            math.isclose(a[c], b[c], rel_tol=1e-12) if isinstance(b[c], float) and a[c] is not None else a[c] == b[c]
            for a, b in zip(h, w) for c in b), output
    assert have.skipped == want.skipped and [d.entity for d in have.screened] == [d.entity for d in want.screened]


def test_the_pivot_is_in_the_sql() -> None:
    sql = idxc("sql", str(LONG)).stdout
    # each variable a bit, its name looked up in an ENUM of the names (elsewhere a CASE of them)
    assert """1 << CAST(ENUM_CODE(TRY_CAST(CAST("indicator" AS TEXT) AS ENUM('x', 'y', 't'))) AS INT) AS "bit\"""" in sql
    elsewhere = idxc("sql", str(LONG), "--dialect", "postgres").stdout
    assert """CASE "indicator" WHEN 'x' THEN 1 WHEN 'y' THEN 2""" in elsewhere.replace("\n", " ").replace("            ", "")
    assert 'SUM("value" * CAST("bit" = 1 AS INT)) AS "x"' in sql  # x's one value among zeros
    assert 'CASE WHEN "present" & 1 <> 0 THEN "x" END AS "x"' in sql  # NULL where the file has none
    assert 'SUM("bit") > BIT_OR("bit") AS "repeated"' in sql  # what data/checks.py checks in the stage
    assert 'GROUP BY\n        "region",\n        "year"\n' in sql  # one row per key the file holds
    assert 'MIN("grp") AS "grp"' in sql and 'GROUP BY\n    "region"\n' in sql  # its attribute: one value per region


def long_run(write, rows: list[str], variables: tuple[str, ...] = ("gdp", "pop"), **kw):  # type: ignore[no-untyped-def]
    """A spec reading `variables` from a long file of `rows`; its output lists them as read."""
    write("long.csv", "firm,year,variable,value\n" + "".join(r + "\n" for r in rows))
    spec = (f'table p: firm by year from "long.csv" long(variable, value)\n  {", ".join(variables)}\n\n'
            f'output cells by firm, year: {", ".join(variables)}\n')
    return idxlang.load(write("s.idx", spec)).run(**kw)


def test_the_pivot_keeps_every_value_exactly(write) -> None:
    """Each variable is summed among zeros: a negative, a zero, a tiny and a huge number
    come out as the file has them; an empty cell, a NaN and an absent row are missing;
    a NaN of another variable in the same key, or of one the spec does not read, does
    not spread to the others."""
    rows = ["A,2020,gdp,-2.5", "A,2020,pop,0", "B,2020,gdp,1e-300", "B,2020,pop,1.7976931348623157e308",
            "C,2020,gdp,", "C,2020,pop,NaN", "D,2020,gdp,3", "D,2020,other,NaN", "E,2020,pop,NaN", "E,2020,gdp,-0.1"]
    got = long_run(write, rows).tables["cells"].to_pylist()
    assert [(r["firm"], r["gdp"], r["pop"]) for r in got] == [
        ("A", -2.5, 0.0), ("B", 1e-300, 1.7976931348623157e308), ("C", None, None), ("D", 3.0, None), ("E", -0.1, None)]


@pytest.mark.parametrize("rows,message", [
    (["A,2020,gdp,1", "A,2020,pop,2", "A,2020,gdp,"], "duplicate key firm=A, year=2020, variable=gdp in lines 2, 4"),
    (["A,2020,gdp,1", "B,2020,pop,2", "B,2020,pop,2"], "duplicate key firm=B, year=2020, variable=pop in lines 3, 4"),
])
def test_a_repeat_is_found_in_the_stage_and_reported_by_row(write, rows: list[str], message: str) -> None:
    """The stage's `repeated` flags the key; the rows come from the file. A repeat of an
    empty cell counts; the same check when each output is its own statement (no stage)."""
    for share in (True, False):
        with pytest.raises(idxlang.IdxError, match=message):
            long_run(write, rows, share=share)


def test_a_variable_the_spec_does_not_read_may_repeat(write) -> None:
    got = long_run(write, ["A,2020,gdp,1", "A,2020,pop,2", "A,2020,note,1", "A,2020,note,2"])
    assert got.tables["cells"].to_pylist() == [{"firm": "A", "year": 2020, "gdp": 1.0, "pop": 2.0}]


def test_a_variable_is_its_exact_name(write) -> None:
    """Only the very text of a name is its variable, on DuckDB (an ENUM lookup) as on
    PostgreSQL (a CASE): other cases and spaces are other variables, not repeats."""
    got = long_run(write, ["A,2020,gdp,1", "A,2020,pop,2", "A,2020,GDP,5", "A,2020,\"pop \",7", "A,2020,Pop,9"])
    assert got.tables["cells"].to_pylist() == [{"firm": "A", "year": 2020, "gdp": 1.0, "pop": 2.0}]


def test_more_variables_than_one_bit_set_holds(write) -> None:
    """40 variables: two sets of bits (31 and 9). Every value lands in its column, and a
    repeat of the 35th is found."""
    names = tuple(f"v{k}" for k in range(1, 41))
    rows = [f"{f},2020,{v},{i + 10 * j}" for j, f in enumerate("AB") for i, v in enumerate(names) if (i + j) % 7]
    got = long_run(write, rows, names).tables["cells"].to_pylist()
    for j, r in enumerate(got):
        assert [r[v] for v in names] == [float(i + 10 * j) if (i + j) % 7 else None for i in range(40)]
    with pytest.raises(idxlang.IdxError, match="duplicate key firm=B, year=2020, variable=v36 in lines 66, 71"):
        long_run(write, [*rows, "B,2020,v36,1"], names)


def test_the_repeat_column_is_named_apart_from_a_joined_attribute(write) -> None:
    """An attribute called `repeated`, joined from a table of the entity: the pivot's own
    column takes another name, in the pivot and where the table is read."""
    write("long.csv", "firm,year,variable,value\nA,2020,gdp,6\nA,2020,pop,2\n")
    write("d.csv", "firm,repeated\nA,N\n")
    spec = ('table p: firm by year from "long.csv" long(variable, value)\n  gdp, pop\n'
            'table d: firm from "d.csv"\n  repeated attribute\n\noutput cells by firm, year: repeated, gdp / pop as pc\n')
    got = idxlang.load(write("s.idx", spec)).run().tables["cells"].to_pylist()
    assert got == [{"firm": "A", "year": 2020, "repeated": "N", "pc": 3.0}]


@pytest.mark.parametrize("rows,message", [
    (["A,2020,N,gdp,1", "A,2020,N,pop,1", "A,2021,S,gdp,2"], "attribute 'district' is not constant for each firm: A: 'N', 'S'"),
    (["A,2020,N,gdp,1", "A,2020,S,pop,2"], "attribute 'district' is not constant for each firm: A: 'N', 'S'"),  # within one key
])
@pytest.mark.parametrize("shown", ["district, gdp", "gdp"])  # the attribute read by the output, or not
def test_an_attribute_that_varies_is_reported_with_its_values(write, rows: list[str], message: str, shown: str) -> None:
    write("long.csv", "firm,year,district,variable,value\n" + "".join(r + "\n" for r in rows))
    spec = ('table p: firm by year from "long.csv" long(variable, value)\n  district attribute\n  gdp, pop\n\n'
            f'output by firm, year: {shown}\n')
    proc = idxc("run", str(write("s.idx", spec)))
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr
    assert idxc("run", str(write("s.idx", spec)), "--no-check").returncode == 0  # unchecked, it runs


def test_an_attribute_no_output_reads_is_still_checked_and_runs(write) -> None:
    """The stage keeps every attribute of a long file for its check, read or not; a
    screen of the table's own columns reads the same pivot as the rows, and the report
    of the entities it drops pivots only theirs."""
    write("long.csv", "firm,year,district,variable,value\nA,2020,N,gdp,6\nA,2020,N,pop,2\n"
          "B,2020,S,gdp,\nB,2020,S,pop,3\nA,2021,N,gdp,9\nA,2021,N,pop,3\n"
          "C,2020,S,gdp,1\nC,2021,S,pop,1\nC,2022,S,gdp,\n")  # C: gdp in one of its three years
    spec = ('table p: firm by year from "long.csv" long(variable, value)\n  district attribute\n  gdp, pop\n\n'
            'screen p: availability >= 0.5 of gdp\n\noutput cells by firm, year: gdp / pop as pc\n')
    got = idxlang.load(write("s.idx", spec)).run()
    assert got.tables["cells"].to_pylist() == [{"firm": "A", "year": 2020, "pc": 3.0}, {"firm": "A", "year": 2021, "pc": 3.0}]
    # the dropped, with their availability: counted on the file's rows of the entities the stage does not hold
    assert [(d.entity, round(d.availability, 12)) for d in got.screened] == [("B", 0.0), ("C", round(1 / 3, 12))]
    assert got.screened == idxlang.load(write("s.idx", spec)).run(share=False).screened  # no stage: the whole file


LONG_SPEC = 'table p: firm by year from "long.csv" long(variable, value)\n  gdp, pop\n\noutput by firm, year: gdp / pop as pc\n'


@pytest.mark.parametrize("csv_text,message", [
    ("firm,year,variable,value\nA,2020,gdp,1\nA,2020,popp,2\n",
     "variable 'pop' is not in column 'variable'"),
    ("firm,year,variable,value\nA,2020,gdp,1\nA,2020,pop,2\nA,2020,gdp,3\n",
     "duplicate key firm=A, year=2020, variable=gdp in lines 2, 4"),
    ("firm,year,variable,value\nA,2020,gdp,1\nA,2020,pop,n/a\n",
     "column 'value' has text where numbers belong: lines 3 ('n/a')"),
    ("firm,year,indicator,value\nA,2020,gdp,1\n", "column 'variable' is missing"),
])
def test_a_bad_long_file_is_reported(write, csv_text: str, message: str) -> None:
    write("long.csv", csv_text)
    proc = idxc("run", str(write("s.idx", LONG_SPEC)))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert message in proc.stderr, proc.stderr


@pytest.mark.parametrize("spec", [
    LONG_SPEC,  # every variable read: asked of the stage, the file only when one has no value
    LONG_SPEC.replace("gdp, pop\n", "gdp, pop, area\n"),  # area declared, never read: asked of the file first
])
def test_a_variable_the_file_lacks_is_reported_and_an_empty_one_is_not(write, spec: str) -> None:
    """A variable whose every value is empty is in the file (missing values, not an
    error); one the file never names is an error, whether the stage holds it or not."""
    has_area = "area" in spec
    rows = "A,2020,gdp,6\nA,2020,pop,\nB,2020,gdp,4\nB,2020,pop,\n" + ("A,2020,area,1\n" if has_area else "")
    write("long.csv", "firm,year,variable,value\n" + rows)
    got = idxlang.load(write("s.idx", spec)).run().tables
    assert [r["pc"] for r in got[next(iter(got))].to_pylist()] == [None, None]  # pop is there, all empty
    write("long.csv", "firm,year,variable,value\nA,2020,gdp,6\nA,2020,area,1\n")
    proc = idxc("run", str(write("s.idx", spec)))
    assert proc.returncode == 2 and "variable 'pop' is not in column 'variable'" in proc.stderr, proc.stderr


def test_a_misspelt_variable_gets_the_closest_suggested(write) -> None:
    write("long.csv", "firm,year,variable,value\nA,2020,gdp,1\nA,2020,popul,2\n")
    spec = LONG_SPEC.replace("gdp, pop", "gdp, popu").replace("gdp / pop", "gdp * popu")
    proc = idxc("run", str(write("s.idx", spec)))
    assert "variable 'popu' is not in column 'variable'" in proc.stderr and "popul" in proc.stderr


def test_long_takes_two_columns_apart_from_the_keys(write) -> None:
    proc = idxc("check", str(write("s.idx", LONG_SPEC.replace("long(variable, value)", "long(year, value)"))))
    assert proc.returncode == 2 and "long(variable, value): two columns of the file" in proc.stderr
    assert "^" in proc.stderr  # a caret under the clause


UN = ("\ufeffiso3,country,le_1990,le_1991,le_1992,gnipc_1990,gnipc_1991,gnipc_1992,other_1990\n"
      "RUS,Россия,68.9,68.5,67.9,10000,9500,,1\nFRA,France,76.6,76.8,77.0,20000,20500,21000,2\n")
WIDE_SPEC = """table un: iso3 by year from "un.csv" wide("{{variable}}_{{period}}", {periods})
  country attribute
  le, gnipc

output by iso3, year: country, le, gnipc, chain(gnipc) as growth, rank(le desc) as place
"""


def test_a_file_with_a_column_per_variable_and_year_and_a_bom(write) -> None:
    """`VAR_YEAR` columns, as a UN statistics file has them, UTF-8 with a byte-order mark
    and a Cyrillic name: one row per country and year, unpivoted in the SQL."""
    write("un.csv", UN)
    spec = idxlang.load(write("s.idx", WIDE_SPEC.format(periods="1990..1992")))
    rows = spec.run().tables[spec.outputs[0]].to_pylist()
    got = {(r["iso3"], r["year"]): r for r in rows}
    assert len(rows) == 6 and got[("RUS", 1991)]["country"] == "Россия"
    assert got[("RUS", 1991)]["le"] == 68.5 and got[("RUS", 1991)]["growth"] == pytest.approx(0.95)
    assert got[("RUS", 1992)]["gnipc"] is None and got[("FRA", 1990)]["place"] == 1
    sql = spec.sql()
    assert 'WHEN 1991 THEN CAST("le_1991" AS DOUBLE)' in sql and '"other_1990"' not in sql
    assert 'CROSS JOIN (VALUES\n      (1990),\n      (1991),\n      (1992)) AS "periods"("year")' in sql


def undp_shaped(rng_seed: int = 25) -> str:
    """A wide file as UNDP publishes one: `le` over 1990..1993, the inequality-adjusted
    `ihdi` from 1992 only, a rank for the last year only, one country's cell empty."""
    head = ["iso3", "country", *[f"le_{y}" for y in range(1990, 1994)], "ihdi_1992", "ihdi_1993", "rank_hdi_1993"]
    rows = [["AAA", "A", "60", "61", "62", "63", "0.50", "0.52", "2"],
            ["BBB", "B", "70", "71", "72", "", "0.70", "0.74", "1"]]
    return "\n".join(",".join(r) for r in [head, *rows]) + "\n"


RANGES_SPEC = """table un: iso3 by year from "undp.csv" wide("{{variable}}_{{period}}", {periods})
  {variables}

output values by iso3, year: {variables}
output means by year: mean(ihdi over iso3) as ihdi
"""


def test_each_variable_takes_the_years_the_wide_file_has(write) -> None:
    """The years a variable has no column for are missing values (ihdi before 1992),
    with no second table on the file and no error: one row per country and year."""
    write("undp.csv", undp_shaped())
    spec = idxlang.load(write("s.idx", RANGES_SPEC.format(periods="1990..1993", variables="le, ihdi")))
    result = spec.run()
    rows = {(r["iso3"], r["year"]): r for r in result.tables[spec.outputs[0]].to_pylist()}
    assert len(rows) == 8 and rows[("AAA", 1990)] == {"iso3": "AAA", "year": 1990, "le": 60.0, "ihdi": None}
    assert rows[("BBB", 1993)]["le"] is None and rows[("BBB", 1993)]["ihdi"] == 0.74
    means = {r["year"]: r["ihdi"] for r in result.tables[spec.outputs[1]].to_pylist()}
    assert means[1990] is None and means[1993] == pytest.approx(0.63)
    assert '"ihdi_1990"' in spec.sql()  # the SQL names every column; the view reads those unpublished as missing


def test_a_wide_file_whose_years_end_early_is_told_in_one_message(write) -> None:
    """A spec stating 1990..1995 of a file ending in 1993: one message naming the
    periods and the file's own, with the layout to write, not one per column."""
    write("undp.csv", undp_shaped())
    proc = idxc("check", str(write("s.idx", RANGES_SPEC.format(periods="1990..1995", variables="le, ihdi"))))
    assert proc.returncode == 2
    assert "the file has no column for 1994..1995 (le_1994, ihdi_1994, le_1995, … 1 more): its periods are 1990..1993" in proc.stderr
    assert 'state them: wide("{variable}_{period}", 1990..1993)' in proc.stderr
    assert proc.stderr.count("error") == 1 and "is missing" not in proc.stderr, proc.stderr


def test_a_variable_the_wide_file_lacks_is_named_with_its_closest(write) -> None:
    write("undp.csv", undp_shaped())
    proc = idxc("check", str(write("s.idx", RANGES_SPEC.format(periods="1990..1993", variables="le, ihdi, ihd"))))
    assert proc.returncode == 2 and proc.stderr.count("error") == 1, proc.stderr
    assert "the file has no column for variable 'ihd' (no ihd_{period}, such as ihd_1990)" in proc.stderr
    assert "did you mean 'ihdi'?" in proc.stderr


@pytest.mark.parametrize("layout,message", [
    ('wide("{variable}", 1990..1992)', 'wide("..."): the pattern names {period}, as "{variable}_{period}"'),
    ('wide("{variable}_{period}", 1992..1990)', "whole periods, first no later than last"),
])
def test_a_bad_wide_layout_is_refused(write, layout: str, message: str) -> None:
    text = WIDE_SPEC.replace('wide("{{variable}}_{{period}}", {periods})', layout)
    proc = idxc("check", str(write("s.idx", text)))
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr


def test_unicode_names_end_to_end(write) -> None:
    """Cyrillic in a file name, entity names, spec identifiers and band labels; the
    printed table stays aligned."""
    write("регионы.csv", "регион,год,доход\nМосква,2020,10.5\nТверь,2020,3.25\n")
    spec = ('table регионы: регион by год from "регионы.csv"\n  доход\n\n'
            'scale уровень "Уровень"\n  "высокий" (5, inf) "Высокий"\n  "низкий" [0, 5] "Низкий"\n\n'
            'output by регион, год: доход, classify(доход, уровень) as класс\n')
    proc = idxc("run", str(write("индекс.idx", spec)))
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["регион", "год", "доход", "класс"]
    assert lines[1].split() == ["Москва", "2020", "10.5000", "высокий"] and lines[2].split()[-1] == "низкий"
    assert len({line.index("2020") for line in lines[1:]}) == 1  # columns line up


RU = "регион;год;доход;расход\nМосква;2020;10,5;3,25\nТверь;2020;3,25;1\nТверь;2021;1 204,5;\n"
RU_SPEC = 'table регионы: регион by год from "ru.csv"{encoding}\n  доход, расход\n\noutput by регион, год: доход / расход as отношение, доход\n'


@pytest.mark.parametrize("encoding,stated", [("utf-8", ""), ("utf-8-sig", ""), ("cp1251", ""),
                                             ("koi8_r", ' encoding "koi8_r"')])
def test_semicolons_decimal_commas_and_a_legacy_encoding(tmp_path, encoding: str, stated: str) -> None:
    """Russian statistics as published: `;` between fields, decimal commas (and a space
    grouping thousands), Cyrillic, UTF-8 or Windows-1251 (read off the file) or stated."""
    (tmp_path / "ru.csv").write_bytes(RU.encode(encoding))
    (tmp_path / "s.idx").write_text(RU_SPEC.format(encoding=stated), encoding="utf-8")
    spec = idxlang.load(tmp_path / "s.idx")
    rows = spec.run().tables[spec.outputs[0]].to_pylist()
    assert [r["регион"] for r in rows] == ["Москва", "Тверь", "Тверь"]
    assert rows[0]["отношение"] == pytest.approx(10.5 / 3.25) and rows[2]["доход"] == 1204.5
    assert (tmp_path / "ru.csv").read_bytes() == RU.encode(encoding)  # the input is never written


def test_text_in_a_decimal_comma_file_is_still_reported_by_row(tmp_path) -> None:
    (tmp_path / "ru.csv").write_text(RU.replace("3,25;1", "3,25;н/д"), encoding="utf-8")
    (tmp_path / "s.idx").write_text(RU_SPEC.format(encoding=""), encoding="utf-8")
    proc = idxc("run", str(tmp_path / "s.idx"))
    assert proc.returncode == 2 and "column 'расход' has text where numbers belong: lines 3 ('н/д')" in proc.stderr


def test_numbers_between_commas_are_not_read_as_decimal_commas(write) -> None:
    """A quoted "1,234" in a comma-separated file is text (a thousands separator or a
    mistake), never silently 1.234."""
    write("p.csv", 'firm,year,x\nA,2020,"1,234"\nB,2020,"2,5"\n')
    proc = idxc("run", str(write("s.idx", 'table p: firm by year from "p.csv"\n  x\n\noutput by firm, year: x\n')))
    assert proc.returncode == 2 and "column 'x' has text where numbers belong: lines 2, 3 ('1,234', '2,5')" in proc.stderr


def test_json_lines(write) -> None:
    """One JSON object per line, as APIs of statistics offices export them."""
    write("p.jsonl", '{"firm": "A", "year": 2020, "x": 1.5}\n{"firm": "B", "year": 2020, "x": null}\n'
                     '{"firm": "A", "year": 2021, "x": 3}\n')
    spec = idxlang.load(write("s.idx", 'table p: firm by year from "p.jsonl"\n  x\n\noutput by firm, year: x, chain(x) as ch\n'))
    rows = spec.run().tables[spec.outputs[0]].to_pylist()
    assert [(r["firm"], r["year"], r["x"], r["ch"]) for r in rows] == [("A", 2020, 1.5, None), ("A", 2021, 3.0, 2.0),
                                                                       ("B", 2020, None, None)]


ATTR_SPEC = """table p: region by year from "p.csv"
  x
table regions: region from "d.csv"
  district attribute

output cells by region, year: x, mean(x by district) as dm, district
output districts by district, year: sum(x by district) as total
"""
PANEL = "region,year,x\nA,2020,1\nB,2020,3\nC,2020,5\nA,2021,2\nB,2021,4\nC,2021,6\n"


def test_an_attribute_from_its_own_table(write) -> None:
    """region → district held by a table of regions, joined to the panel by the key."""
    write("p.csv", PANEL)
    write("d.csv", "region,district\nA,North\nB,North\nC,South\n")
    spec = idxlang.load(write("s.idx", ATTR_SPEC))
    got = spec.run().tables
    assert [(r["region"], r["year"], r["dm"], r["district"]) for r in got["cells"].to_pylist()][:3] == [
        ("A", 2020, 2.0, "North"), ("A", 2021, 3.0, "North"), ("B", 2020, 2.0, "North")]
    assert [(r["district"], r["year"], r["total"]) for r in got["districts"].to_pylist()] == [
        ("North", 2020, 4.0), ("North", 2021, 6.0), ("South", 2020, 5.0), ("South", 2021, 6.0)]
    sql = spec.sql("cells")  # one row per region, joined by the region key: it can neither multiply nor split rows
    assert 'MIN("district") AS "district"\n  FROM "input"."regions"\n  GROUP BY\n    "region"' in sql
    assert 'LEFT JOIN "region_attributes"\n    USING ("region")' in sql


def test_an_entity_of_the_attributes_table_appears_once(write) -> None:
    write("p.csv", PANEL)
    write("d.csv", "region,district\nA,North\nA,South\nB,North\nC,South\n")
    proc = idxc("run", str(write("s.idx", ATTR_SPEC)))
    assert proc.returncode == 2 and "duplicate key region=A in lines 2, 3" in proc.stderr, proc.stderr


def test_an_entity_without_the_attribute_belongs_to_no_group(write) -> None:
    """C has no row in the table of districts: its district is missing, so it keeps its
    own rows, gets nothing from a district mean, and is in no district's total."""
    write("p.csv", PANEL)
    write("d.csv", "region,district\nA,North\nB,North\n")
    got = idxlang.load(write("s.idx", ATTR_SPEC)).run().tables
    cells = [(r["region"], r["year"], r["x"], r["dm"], r["district"]) for r in got["cells"].to_pylist()]
    assert cells[-2:] == [("C", 2020, 5.0, None, None), ("C", 2021, 6.0, None, None)]
    assert len(cells) == 6
    assert [(r["district"], r["year"], r["total"]) for r in got["districts"].to_pylist()] == [
        ("North", 2020, 4.0), ("North", 2021, 6.0)]


def _workbook(path) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    panel = book.active
    panel.title = "панель"
    for row in [("region", "year", "x"), ("A", 2020, 1), ("B", 2020, 3.5), ("C", 2020, 5), ("A", 2021, 2),
                ("B", 2021, None), ("C", 2021, 6)]:
        panel.append(row)
    regions = book.create_sheet("regions")
    for row in [("region", "district"), ("A", "North"), ("B", "North"), ("C", "South")]:
        regions.append(row)
    book.save(path)


def test_an_excel_workbook_with_two_sheets(write, tmp_path) -> None:
    """Each table reads its sheet by name: the panel from one, an attribute from another."""
    _workbook(tmp_path / "book.xlsx")
    spec = ATTR_SPEC.replace('from "p.csv"', 'from "book.xlsx" sheet "панель"').replace('from "d.csv"', 'from "book.xlsx" sheet "regions"')
    loaded = idxlang.load(write("s.idx", spec))
    got = loaded.run().tables
    assert [(r["district"], r["year"], r["total"]) for r in got["districts"].to_pylist()] == [
        ("North", 2020, 4.5), ("North", 2021, 2.0), ("South", 2020, 5.0), ("South", 2021, 6.0)]
    bad = idxc("run", str(write("t.idx", spec.replace('sheet "regions"', 'sheet "region"'))))
    assert bad.returncode == 2 and "no sheet 'region'" in bad.stderr and "did you mean 'regions'?" in bad.stderr


def test_a_layout_overridden_on_the_command_line() -> None:
    """--layout TABLE=LAYOUT, written as the spec writes it after `from`: the same spec
    runs on the long file and on the wide one; a typo is a syntax error with a caret and
    the closest layout, an unknown table is named with the closest."""
    long_run = idxc("run", str(LONG), "--output", "ranked")
    wide_run = idxc("run", str(LONG), "--layout", "panel=default", "--data", f"panel={ENGINES / 'probe.csv'}")
    assert long_run.returncode == 0 and wide_run.returncode == 0, wide_run.stderr
    assert long_run.stdout.splitlines()[0] == wide_run.stdout.splitlines()[0]
    assert len(long_run.stdout.splitlines()) == len(wide_run.stdout.splitlines())
    typo = idxc("run", str(LONG), "--layout", "panel=lng(a, b)")
    assert typo.returncode == 2 and "--layout panel:1:29: error: syntax error: no layout 'lng'" in typo.stderr
    assert "did you mean 'long'?" in typo.stderr
    assert "^" in typo.stderr and "Traceback" not in typo.stderr
    unknown = idxc("sql", str(LONG), "--layout", "pane=long(a, b)")
    assert unknown.returncode == 2 and "the spec has no table 'pane'" in unknown.stderr and "'panel'" in unknown.stderr


def test_outputs_as_csv_parquet_json_lines_and_excel(tmp_path) -> None:
    """The same rows in every output format, each written atomically and its row count
    read back from the file."""
    import duckdb
    import openpyxl

    spec = str(ROOT / "specs" / "gvc_participation.idx")
    found = {}
    for fmt in ("csv", "tsv", "parquet", "jsonl", "json", "xlsx"):
        proc = idxc("run", spec, "--out", str(tmp_path / fmt), "--format", fmt)
        assert proc.returncode == 0 and f"participation.{fmt} (15 rows)" in proc.stderr, proc.stderr
        path = tmp_path / fmt / f"participation.{fmt}"
        if fmt == "xlsx":
            rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
            found[fmt] = [tuple(r) for r in rows[1:]]
        elif fmt == "json":  # one array, as json.load reads it
            found[fmt] = [tuple(r.values()) for r in json.loads(path.read_text(encoding="utf-8"))]
        else:
            found[fmt] = duckdb.sql(f"SELECT * FROM '{path}'").fetchall()
        assert not [p for p in (tmp_path / fmt).iterdir() if p.name.startswith(".")]  # no temporary file left
    assert "\t" in (tmp_path / "tsv" / "participation.tsv").read_text(encoding="utf-8").splitlines()[0]
    assert len((tmp_path / "jsonl" / "participation.jsonl").read_text(encoding="utf-8").splitlines()) == 15
    for fmt in ("tsv", "parquet", "jsonl", "json", "xlsx"):
        assert len(found[fmt]) == 15
        for a, b in zip(found[fmt], found["csv"]):
            assert all(x == y or (isinstance(x, float) and math.isclose(x, y, rel_tol=1e-12)) for x, y in zip(a, b)), fmt


def test_the_extension_of_out_decides_the_format(tmp_path) -> None:
    """`--out r.json` is one JSON array, `.jsonl`/`.ndjson` one object per line, `.tsv`
    tab-separated, each a file and never a folder of that name; an extension that names
    no format is refused, not taken for a folder."""
    spec = str(ROOT / "specs" / "amt_portfolio.idx")
    for name, check in (("g.json", lambda t: json.loads(t)[0]["growth_pct"] == 33.0),
                        ("g.ndjson", lambda t: json.loads(t.splitlines()[0])["growth_pct"] == 33.0),
                        ("g.tsv", lambda t: t.splitlines()[0].split("\t")[-1] == "growth_pct")):
        proc = idxc("run", spec, "--output", "growth", "--out", str(tmp_path / name))
        assert proc.returncode == 0, proc.stderr
        assert (tmp_path / name).is_file() and check((tmp_path / name).read_text(encoding="utf-8")), name
    proc = idxc("run", spec, "--out", str(tmp_path / "r.txt"))
    assert proc.returncode == 2 and "'.txt' is not an output format" in proc.stderr and not (tmp_path / "r.txt").exists()
    proc = idxc("run", spec, "--out", str(tmp_path / "r.jsonl"))
    assert proc.returncode == 2 and "5 outputs" in proc.stderr and "workbook (.xlsx)" in proc.stderr
    proc = idxc("run", spec, "--output", "growth", "--out", str(tmp_path / "g.csv"), "--format", "json")
    assert proc.returncode == 2 and "--out" in proc.stderr and "g.json" in proc.stderr


def test_several_outputs_are_the_sheets_of_one_workbook(tmp_path) -> None:
    """Every output of a run in one .xlsx, a sheet each named after its output, with the
    rows a CSV of the same output has; written atomically like any output."""
    import openpyxl

    spec = str(ROOT / "specs" / "amt_portfolio.idx")
    proc = idxc("run", spec, "--out", str(tmp_path / "all.xlsx"))
    assert proc.returncode == 0 and "wrote " in proc.stderr and ", sheet types (9 rows)" in proc.stderr, proc.stderr
    book = openpyxl.load_workbook(tmp_path / "all.xlsx", read_only=True)
    assert book.sheetnames == ["shares", "portfolio", "types", "national", "growth"]
    csv_dir = tmp_path / "csv"
    assert idxc("run", spec, "--out", str(csv_dir)).returncode == 0
    for sheet in book.sheetnames:
        rows = list(book[sheet].iter_rows(values_only=True))
        with (csv_dir / f"{sheet}.csv").open(encoding="utf-8") as f:
            lines = list(csv.reader(f))
        assert [str(h) for h in rows[0]] == lines[0] and len(rows) == len(lines), sheet
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []


def _database(path, tables: dict[str, str]) -> None:
    """A DuckDB database file holding each CSV file of `tables` as a table."""
    import duckdb

    con = duckdb.connect(str(path))
    for name, csv_path in tables.items():
        con.execute(f"CREATE TABLE \"{name}\" AS SELECT * FROM read_csv('{csv_path}')")
    con.close()


def test_a_table_in_a_duckdb_database_file(write, tmp_path) -> None:
    """A spec table read from a table of a DuckDB database file: named in the spec, or
    the only one the file holds; the file is opened read-only and not changed."""
    import hashlib

    write("p.csv", PANEL)
    write("d.csv", "region,district\nA,North\nB,North\nC,South\n")
    want = idxlang.load(write("s.idx", ATTR_SPEC)).run().tables
    _database(tmp_path / "stats.duckdb", {"panel_2021": tmp_path / "p.csv", "regions": tmp_path / "d.csv"})
    before = hashlib.sha256((tmp_path / "stats.duckdb").read_bytes()).digest()
    spec = ATTR_SPEC.replace('from "p.csv"', 'from "stats.duckdb" table "panel_2021"').replace(
        'from "d.csv"', 'from "stats.duckdb" table "regions"')
    have = idxlang.load(write("t.idx", spec)).run().tables
    assert {k: v.to_pylist() for k, v in have.items()} == {k: v.to_pylist() for k, v in want.items()}
    assert hashlib.sha256((tmp_path / "stats.duckdb").read_bytes()).digest() == before
    _database(tmp_path / "one.duckdb", {"whatever": tmp_path / "d.csv"})  # --data: the only table
    only = idxc("run", str(tmp_path / "t.idx"), "--data", f"regions={tmp_path / 'one.duckdb'}", "--output", "districts")
    assert only.returncode == 0, only.stderr
    typo = idxc("run", str(write("u.idx", spec.replace('table "regions"', 'table "region"'))))
    assert typo.returncode == 2 and "no table 'region'" in typo.stderr and "did you mean 'regions'?" in typo.stderr
    wrong = idxc("run", str(write("v.idx", spec.replace('"stats.duckdb" table "regions"', '"d.csv" table "regions"'))))
    assert wrong.returncode == 2 and "'table' names a part of a .duckdb or .ddb or .db file, not of d.csv" in wrong.stderr


def test_outputs_as_tables_of_a_duckdb_database_file(write, tmp_path) -> None:
    """Every output a table of one database file, its other tables kept; a rerun
    replaces the outputs; the file is written through a copy, renamed over it."""
    import duckdb

    write("p.csv", PANEL)
    write("d.csv", "region,district\nA,North\nB,North\nC,South\n")
    spec = write("s.idx", ATTR_SPEC)
    _database(tmp_path / "out.duckdb", {"notes": tmp_path / "d.csv"})
    for _ in range(2):
        proc = idxc("run", str(spec), "--out", str(tmp_path / "out.duckdb"))
        assert proc.returncode == 0 and "wrote" in proc.stderr and "(4 rows)" in proc.stderr, proc.stderr
    con = duckdb.connect(str(tmp_path / "out.duckdb"), read_only=True)
    assert sorted(r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()) == [
        "cells", "districts", "notes"]
    assert con.execute('SELECT * FROM "districts" ORDER BY ALL').fetchall() == [
        ("North", 2020, 4.0), ("North", 2021, 6.0), ("South", 2020, 5.0), ("South", 2021, 6.0)]
    con.close()
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []
    _database(tmp_path / "in.duckdb", {"regions": tmp_path / "d.csv"})
    clash = idxc("run", str(spec), "--data", f"regions={tmp_path / 'in.duckdb'}", "--out", str(tmp_path / "in.duckdb"))
    assert clash.returncode == 2 and "--out would overwrite an input" in clash.stderr


YEARS_SPEC = """table p: region by year from "{file}" {layout}
  gdp

output cells by region, year: gdp * 2 as twice
"""


def test_a_file_of_one_variable_with_a_column_per_year(write) -> None:
    """wide("{period}", ...): a file (or sheet) per variable, its columns the years."""
    write("gdp.csv", "region,2020,2021\nA,1.5,2\nB,,4\n")
    spec = idxlang.load(write("s.idx", YEARS_SPEC.format(file="gdp.csv", layout='wide("{period}", 2020..2021)')))
    assert [(r["region"], r["year"], r["twice"]) for r in spec.run().tables["cells"].to_pylist()] == [
        ("A", 2020, 3.0), ("A", 2021, 4.0), ("B", 2020, None), ("B", 2021, 8.0)]
    two = YEARS_SPEC.format(file="gdp.csv", layout='wide("{period}", 2020..2021)').replace("  gdp", "  gdp, pop")
    proc = idxc("run", str(write("t.idx", two)))
    assert proc.returncode == 2 and 'a file (or sheet) of one variable may name the period alone' in proc.stderr


def test_a_workbook_with_a_sheet_per_year(write, tmp_path) -> None:
    """sheets("{period}", ...): each year's sheet one column per variable, stacked in SQL
    with the year as the time axis; a missing sheet is named with the closest."""
    import openpyxl

    book = openpyxl.Workbook()
    book.active.title = "2020"
    for row in [("region", "gdp"), ("A", 1.5), ("B", None)]:
        book["2020"].append(row)
    later = book.create_sheet("2021")
    for row in [("region", "gdp", "note"), ("B", 4), ("A", 2)]:  # another order, an extra column
        later.append(row)
    book.save(tmp_path / "book.xlsx")
    spec = idxlang.load(write("s.idx", YEARS_SPEC.format(file="book.xlsx", layout='sheets("{period}", 2020..2021)')))
    assert [(r["region"], r["year"], r["twice"]) for r in spec.run().tables["cells"].to_pylist()] == [
        ("A", 2020, 3.0), ("A", 2021, 4.0), ("B", 2020, None), ("B", 2021, 8.0)]
    proc = idxc("run", str(write("t.idx", YEARS_SPEC.format(file="book.xlsx", layout='sheets("{period}", 2020..2022)'))))
    assert proc.returncode == 2 and "no sheet '2022'" in proc.stderr and "did you mean '2021'?" in proc.stderr
