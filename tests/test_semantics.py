"""Calendar time, explicit missing values, and the constructs of the vocabulary,
each checked against values computed by hand in the test."""

from __future__ import annotations

import math
import re

import pytest

import idxlang


def run(write, spec_text: str, csv_text: str, output: str | None = None):
    write("panel.csv", csv_text)
    spec_path = write("s.idx", spec_text)
    spec = idxlang.load(spec_path)
    result = spec.run()
    name = output or spec.outputs[0]
    return result.tables[name].to_pylist(), result


PANEL = """table p: firm by year from "panel.csv"
  x, y
"""


def test_lag_is_the_previous_calendar_period_not_the_previous_row(write):
    csv_text = "firm,year,x,y\nA,2014,10,1\nA,2015,11,1\nA,2017,12,1\nB,2014,5,1\n"
    rows, _ = run(write, PANEL + "output by firm, year: lag(x) as prev, chain(x) as ch, chain(x) ?? 1 as ch1, lag(x, 2) as prev2\n", csv_text)
    got = {(r["firm"], r["year"]): r for r in rows}
    assert got[("A", 2015)]["prev"] == 10 and got[("A", 2015)]["ch"] == pytest.approx(1.1)
    assert got[("A", 2017)]["prev"] is None  # 2016 is absent: missing, not 2015's 11
    assert got[("A", 2017)]["ch"] is None and got[("A", 2017)]["ch1"] == 1
    assert got[("A", 2017)]["prev2"] == 11  # 2015 is exactly two periods back
    assert got[("A", 2014)]["prev"] is None and got[("B", 2014)]["prev"] is None


def test_missing_propagates_and_reductions_skip_and_report(write):
    csv_text = "firm,year,x,y\nA,2014,10,1\nB,2014,,2\nC,2014,4,\nA,2015,1,1\nB,2015,3,1\nC,2015,,1\n"
    rows, result = run(write, PANEL + "output by firm, year: x + y as s, x / mean(x over firm) as rel\n", csv_text)
    got = {(r["firm"], r["year"]): r for r in rows}
    assert got[("B", 2014)]["s"] is None and got[("C", 2014)]["s"] is None
    assert got[("A", 2014)]["rel"] == pytest.approx(10 / 7)  # mean of 10 and 4 skips B's missing x
    assert got[("B", 2015)]["rel"] == pytest.approx(3 / 2)
    (skip,) = result.skipped
    assert skip.label == "mean(x over firm)" and skip.cells == 6 and skip.missing == 2


def test_neutral_value_for_missing(write):
    rows, _ = run(write, PANEL + "output by firm, year: x ?? 0 as x0\n", "firm,year,x,y\nA,2014,,1\nB,2014,2,1\n")
    assert [r["x0"] for r in rows] == [0, 2]


def test_product_over_entities_handles_zero_and_sign(write):
    csv_text = "firm,year,x,y\nA,1,2,1\nB,1,-3,1\nC,1,0.5,1\nA,2,2,1\nB,2,0,1\nA,3,-1,1\nB,3,-2,1\nC,3,,1\n"
    spec = PANEL + "let prod = product(x over firm)\noutput by year: prod\n"
    rows, _ = run(write, spec, csv_text)
    assert [r["prod"] for r in rows] == [pytest.approx(-3.0), 0, pytest.approx(2.0)]


def test_mean_range_at_groups_and_ratios(write):
    spec = """table p: firm by year from "panel.csv"
  kind attribute
  x
param a = 2015
param b = 2016
let avg = mean(x over year in a..b)
let base = x / x at 2015 * 100
let ratio = sum(x by kind) / sum(x by kind) at 2015
output firms by firm: avg
output bases by firm, year: base
output kinds by kind, year: ratio, mean(x by kind) as kmean
"""
    csv_text = "firm,year,kind,x\nA,2014,k,1\nA,2015,k,2\nA,2016,k,4\nB,2015,m,3\nB,2016,m,5\nC,2015,k,10\nC,2016,k,20\n"
    write("panel.csv", csv_text)
    s = idxlang.load(write("s.idx", spec))
    r = s.run()
    assert {x["firm"]: x["avg"] for x in r.tables["firms"].to_pylist()} == {"A": 3.0, "B": 4.0, "C": 15.0}
    bases = {(x["firm"], x["year"]): x["base"] for x in r.tables["bases"].to_pylist()}
    assert bases[("A", 2016)] == pytest.approx(200.0) and bases[("A", 2014)] == pytest.approx(50.0)
    kinds = {(x["kind"], x["year"]): x for x in r.tables["kinds"].to_pylist()}
    assert kinds[("k", 2016)]["ratio"] == pytest.approx(24 / 12)
    assert kinds[("k", 2014)]["kmean"] == 1.0 and kinds[("m", 2016)]["kmean"] == 5.0
    # the param override moves the range
    s2 = idxlang.load(write("s.idx", spec), params={"b": 2015})
    assert {x["firm"]: x["avg"] for x in s2.run(outputs=["firms"]).tables["firms"].to_pylist()}["A"] == 2.0


def test_row_wise_means_and_scalar_functions(write):
    spec = PANEL + """output by firm, year:
  mean(x, y) as m, mean(x: 3, y: 1) as wm, geomean(x, y) as g, product(x, y) as pr, sum(x, y) as su,
  round(ln(x), 3) as l, exp(0) as e, abs(-x) as ab, least(x, y) as lo, greatest(x, y) as hi,
  if x > y then 1 else 0 as flag
"""
    rows, _ = run(write, spec, "firm,year,x,y\nA,1,4,1\nB,1,2,\n")
    a, b = rows
    assert a["m"] == 2.5 and a["wm"] == pytest.approx(13 / 4) and a["g"] == pytest.approx(2.0)
    assert a["pr"] == 4 and a["su"] == 5 and a["l"] == round(math.log(4), 3) and a["e"] == 1
    assert a["ab"] == 4 and a["lo"] == 1 and a["hi"] == 4 and a["flag"] == 1
    assert b["m"] is None and b["lo"] is None and b["hi"] is None  # missing propagates


def test_cumprod_and_rank_ties(write):
    spec = PANEL + """output by firm, year:
  cumprod(x over year) as cp, cumsum(x over year) as cs,
  rank(y desc) as r_min, rank(y desc ties dense) as r_dense, rank(y desc ties average) as r_avg,
  rank(y asc ties first) as r_first
"""
    csv_text = "firm,year,x,y\nA,1,2,5\nB,1,3,5\nC,1,1,1\nD,1,1,\nA,2,3,1\n"
    rows, _ = run(write, spec, csv_text)
    got = {(r["firm"], r["year"]): r for r in rows}
    assert got[("A", 2)]["cp"] == pytest.approx(6.0) and got[("A", 2)]["cs"] == 5
    assert [got[(f, 1)]["r_min"] for f in "ABCD"] == [1, 1, 3, None]
    assert [got[(f, 1)]["r_dense"] for f in "ABC"] == [1, 1, 2]
    assert [got[(f, 1)]["r_avg"] for f in "ABC"] == [1.5, 1.5, 3]
    assert [got[(f, 1)]["r_first"] for f in "CAB"] == [1, 2, 3]


def test_division_by_zero_is_missing(write):
    rows, _ = run(write, PANEL + "output by firm, year: x / y as q\n", "firm,year,x,y\nA,1,1,0\n")
    assert rows[0]["q"] is None


def test_broadcast_of_economy_series_onto_industries(write):
    write("eco.csv", "year,price\n2014,2\n2015,4\n")
    spec = PANEL + 'table eco: by year from "eco.csv"\n  price\noutput by firm, year: x * price as v\n'
    rows, _ = run(write, spec, "firm,year,x,y\nA,2014,1,1\nB,2015,3,1\n")
    assert [r["v"] for r in rows] == [2, 12]


LIFT_SPEC = """table p: firm by year from "panel.csv"
  kind attribute
  x
def share(v) = v / max(v over firm) * 100
let growth_rank = rank(chain(x) desc)
let top_growth = max(chain(x) over firm)
let total = sum(sum(x over firm) over year)
let kind_share = sum(x by kind) / sum(x over firm)
output firms by firm, year: growth_rank, rank(share(x) desc) as srank, x / total as rel, kind_share, kind
output years by year: top_growth, max(share(x) over firm) as mx
"""
LIFT_PANEL = ("firm,year,kind,x\nA,2014,k,1\nA,2015,k,2\nA,2016,k,4\nB,2014,m,3\nB,2015,m,5\nB,2016,m,6\n"
              "C,2014,k,10\nC,2015,k,20\nC,2016,k,15\n")


def test_windows_of_windows_and_nested_reductions(write):
    """Arguments that are themselves windowed get steps of their own; values by hand."""
    write("panel.csv", LIFT_PANEL)
    result = idxlang.load(write("s.idx", LIFT_SPEC)).run()
    firms = {(r["firm"], r["year"]): r for r in result.tables["firms"].to_pylist()}
    # chain 2015: A 2, B 5/3, C 2 -> ranks 1, 3, 1; 2016: A 2, B 1.2, C 0.75
    assert [firms[(f, 2015)]["growth_rank"] for f in "ABC"] == [1, 3, 1]
    assert [firms[(f, 2016)]["growth_rank"] for f in "ABC"] == [1, 2, 3]
    assert firms[("A", 2014)]["growth_rank"] is None
    assert [firms[(f, 2016)]["srank"] for f in "ABC"] == [3, 2, 1]
    assert firms[("A", 2014)]["rel"] == pytest.approx(1 / 66)
    assert firms[("B", 2014)]["kind_share"] == pytest.approx(3 / 14) and firms[("B", 2014)]["kind"] == "m"
    years = {r["year"]: r for r in result.tables["years"].to_pylist()}
    assert years[2014]["top_growth"] is None and years[2016]["top_growth"] == pytest.approx(2.0)
    assert all(years[y]["mx"] == pytest.approx(100.0) for y in years)
    sql = idxlang.load(write("s.idx", LIFT_SPEC)).sql("firms")
    # share(x) holds a window, so rank's argument becomes a column of its own, named
    # after the function; the previous periods of the table's columns are all taken
    # in one step (one window pass, one sort of the panel)
    assert 'AS "share_x"' in sql and 'AS "sum_x_by_kind"' in sql
    steps_with_lag = [cte for cte in sql.split(") AS (") if "LAG(" in cte]
    assert len(steps_with_lag) == 1


def test_check_command_and_param_override(write):
    from conftest import idxc

    write("panel.csv", LIFT_PANEL)
    spec = write("s.idx", "param scale = 2\n" + LIFT_SPEC.split("def share")[0] + "output by firm, year: x * scale as y\n")
    proc = idxc("check", str(spec))
    assert proc.returncode == 0 and "ok: 1 table(s)" in proc.stdout and "data ok" in proc.stderr
    proc = idxc("run", str(spec), "--param", "scale=10")
    assert proc.returncode == 0, proc.stderr
    # a column of whole numbers prints without decimals
    assert proc.stdout.splitlines()[1].split() == ["A", "2014", "10"]
    bad = write("panel.csv", LIFT_PANEL + "A,2014,k,7\n")
    proc = idxc("check", str(spec), "--data", str(bad))
    assert proc.returncode == 2 and "duplicate key firm=A, year=2014 in lines 2, 11" in proc.stderr


def test_two_tables_at_one_grain_merge_by_key(write):
    """Rows of either table are kept (full join); a value absent from one side is missing."""
    write("a.csv", "firm,year,x\nA,2014,1\nB,2014,2\n")
    write("b.csv", "firm,year,z\nA,2014,10\nC,2014,30\n")
    spec = ('table a: firm by year from "a.csv"\n  x\ntable b: firm by year from "b.csv"\n  z\n'
            "output by firm, year: x, z, x + z as s\n")
    rows = idxlang.load(write("s.idx", spec)).table()
    got = {r["firm"]: (r["x"], r["z"], r["s"]) for r in rows.to_pylist()}
    assert got == {"A": (1, 10, 11), "B": (2, None, None), "C": (None, 30, None)}


def test_an_output_reads_only_the_tables_it_uses(write):
    """An output of b's values has b's rows, whatever a holds at the same grain."""
    write("a.csv", "firm,year,x\nA,2014,1\nB,2014,2\n")
    write("b.csv", "firm,year,z\nA,2014,10\nC,2014,30\n")
    spec = idxlang.load(write("s.idx", 'table a: firm by year from "a.csv"\n  x\n'
                                       'table b: firm by year from "b.csv"\n  z\n'
                                       "output zs by firm, year: z\noutput xs by firm, year: x\n"))
    assert [(r["firm"], r["z"]) for r in spec.table("zs").to_pylist()] == [("A", 10), ("C", 30)]
    assert [(r["firm"], r["x"]) for r in spec.table("xs").to_pylist()] == [("A", 1), ("B", 2)]
    assert '"a"' not in spec.sql("zs")


def test_tallies_count_only_what_can_be_missing(write):
    """`x ?? 0` is never missing, so its reduction's tally needs no count (the engine
    then skips computing the argument); `x` alone is counted."""
    from idxlang.semantics.model import never_missing

    csv_text = "firm,year,x,y\nA,2014,1,1\nB,2014,,1\nC,2014,3,1\n"
    spec = (PANEL + "let filled = lag(x) ?? 0\nlet half = x / 2\n"
            "output by year: sum(x ?? 0 over firm) as a, sum(x over firm) as b, sum(filled over firm) as c\n")
    rows, result = run(write, spec, csv_text)
    assert rows == [{"year": 2014, "a": 4, "b": 4, "c": 0}]
    found = {s.label: (s.cells, s.missing) for s in result.skipped}
    assert found == {"sum(x ?? 0 over firm)": (3, 0), "sum(x over firm)": (3, 1), "sum(filled over firm)": (3, 0)}
    model = idxlang.loads(spec).model
    resolve = lambda n: model.definitions[n].expr if n in model.definitions else None  # noqa: E731
    assert never_missing(model.definitions["filled"].expr, resolve)
    assert not never_missing(model.definitions["half"].expr, resolve)


def test_reductions_of_table_columns_share_one_group_by(write):
    """Two leaders in row-wise definitions are one GROUP BY joined back, not two
    windows; a lone reduction stays a window. Values and skipped counts by hand."""
    csv_text = "firm,year,x,y\nA,2014,2,10\nB,2014,4,\nC,2014,,5\nA,2015,1,1\nB,2015,3,3\n"
    spec = PANEL + ("let rx = x / max(x over firm)\nlet ry = y / max(y over firm) + mean(x over firm)\n"
                    "let lone = x - min(x over year)\n"
                    "output by firm, year: rx, ry, lone\n")
    rows, result = run(write, spec, csv_text)
    got = {(r["firm"], r["year"]): r for r in rows}
    assert got[("A", 2014)]["rx"] == pytest.approx(0.5) and got[("B", 2015)]["rx"] == 1
    assert got[("A", 2014)]["ry"] == pytest.approx(1 + 3) and got[("B", 2014)]["ry"] is None
    assert got[("C", 2014)]["ry"] == pytest.approx(0.5 + 3) and got[("A", 2015)]["ry"] == pytest.approx(1 / 3 + 2)
    assert got[("A", 2014)]["lone"] == 1 and got[("C", 2014)]["lone"] is None
    found = {s.label: (s.cells, s.missing) for s in result.skipped}
    assert found["max(x over firm)"] == (5, 1) and found["max(y over firm)"] == (5, 1)
    assert found["mean(x over firm)"] == (5, 1) and found["min(x over year)"] == (5, 1)
    sql = idxlang.load(write("s.idx", spec)).sql()
    assert sql.count('"reductions_by_year" /* in one GROUP BY') == 1
    assert "OVER (PARTITION BY \"year\")" not in sql
    assert re.search(r'MIN\(("p"\.)?"x"\) OVER \(PARTITION BY ("p"\.)?"firm"\)', sql)


def test_group_bys_from_the_same_rows_are_pooled_unless_one_reads_another(write):
    """`a`, `b` and `v` reduce the same rows onto year. The pool reads the latest of
    their sources, `dev`, which reads `a` back: `a` cannot join the pool (it would
    read itself), so `b` and `v` are one GROUP BY and `a` keeps its own."""
    csv_text = "firm,year,x,y\nA,2014,1,4\nB,2014,3,\nA,2015,2,1\nB,2015,6,1\n"
    spec = PANEL + ("let a = sum(x over firm)\nlet b = max(y over firm) * 2\nlet dev = x - a\n"
                    "let v = sum(dev over firm)\n"
                    "output by year: a, b, v\n")
    rows, result = run(write, spec, csv_text)
    assert rows == [{"year": 2014, "a": 4, "b": 8, "v": 4 - 2 * 4}, {"year": 2015, "a": 8, "b": 2, "v": 8 - 2 * 8}]
    found = {s.label: (s.cells, s.missing) for s in result.skipped}
    assert found["max(y over firm)"] == (4, 1) and found["sum(dev over firm)"] == (4, 0)
    sql = idxlang.load(write("s.idx", spec)).sql()
    assert '"reductions_by_year" /* in one GROUP BY: b, v */' in sql
    assert sql.count("\n  GROUP BY") == 2  # the pool, and a's own


def test_an_output_column_may_share_a_table_name(write):
    """Every step is a CTE in one namespace: a column called like the table must not
    replace the table's step (it once printed the table's rows as the column)."""
    rows, _ = run(write, "table t: firm by year from \"panel.csv\"\n  x\noutput by firm, year: x * 2 as t, x as p\n",
                  "firm,year,x\nA,2014,1\nB,2014,3\n")
    assert [(r["firm"], r["t"], r["p"]) for r in rows] == [("A", 2, 1), ("B", 6, 3)]


def test_rank_within_a_subset_and_of_a_rounded_score(write):
    """An aggregate row ('World') outside the subset gets no place and pushes no one down;
    ties of the rounded score share a place."""
    csv_text = "firm,year,x,y\nWorld,1,100,1\nA,1,5,1\nB,1,7.2,1\nC,1,6.8,1\n"
    rows, _ = run(write, PANEL + 'output by firm, year: rank(x desc where firm != "World") as place, '
                                 'rank(round(x, 0) desc where firm != "World") as rounded\n', csv_text)
    got = {r["firm"]: (r["place"], r["rounded"]) for r in rows}
    assert got == {"World": (None, None), "B": (1, 1), "C": (2, 1), "A": (3, 3)}


@pytest.mark.parametrize("x,digits,want", [
    (1.005, 2, 1.01),  # stored as 1.00499999999999989...: the tie is decided on 1.005
    (2.675, 2, 2.68), (-1.005, 2, -1.01), (-2.5, 0, -3.0), (2.5, 0, 3.0), (0.125, 2, 0.13),
    (1.00499999, 2, 1.0),  # not a tie at 15 digits: to the nearest
    (123456.785, 2, 123456.79), (0.0, 2, 0.0), (7.0, 0, 7.0), (-0.004, 2, 0.0),
])
def test_round_is_half_away_from_zero_on_the_value_a_spreadsheet_shows(write, x, digits, want):
    """docs/language.md "Rounding": the stated rule, exact values (the rule is exact)."""
    rows, _ = run(write, PANEL + f"output by firm, year: round(x, {digits}) as r\n", f"firm,year,x,y\nA,2014,{x!r},1\n")
    assert rows[0]["r"] == want


def test_bands_half_open_on_the_right(write):
    """`[a, b)` bands (a grammar fix: after a number, `)` was read as a call's)."""
    spec = PANEL + 'scale s\n  "low" [0, 5)\n  "high" [5, 10]\n  "neg" [-inf, 0)\n\noutput by firm, year: classify(x, s) as c\n'
    rows, _ = run(write, spec, "firm,year,x,y\nA,2014,4.999,1\nB,2014,5,1\nC,2014,-1,1\n")
    assert [r["c"] for r in rows] == ["low", "high", "neg"]


# ---------------------------------------------------------------- issue 24: small gaps met on real files


def test_is_missing_and_text_tests_agree_with_the_reference(tmp_path) -> None:
    """`x is missing` is never missing itself; `startswith`/`contains` are missing where
    the text is; both computed by idxc on DuckDB and by the reference interpreter."""
    from idxlang.reference import evaluate, load_tables

    (tmp_path / "s.csv").write_text("region,year,country,x,y\nR1,2020,Republic of A,1,\nR2,2020,Finland,2,5\n"
                                    "S3,2020,Poland,,6\nS4,2020,,4,7\n", encoding="utf-8")
    spec = tmp_path / "s.idx"
    spec.write_text('table t: region by year from "s.csv"\n  country attribute\n  x, y\n'
                    "let gap = if x is missing then y else x\n"
                    'output o by year: sum(if startswith(country, "Rep") then x else 0 over region) as rep,\n'
                    '  sum(if x is missing then 1 else 0 over region) as gaps\n'
                    'output p by region, year: gap, contains(country, "land") as land, x + y is not missing as both,\n'
                    '  startswith(region, "R") as r\n', encoding="utf-8")
    loaded = idxlang.load(spec)
    run = loaded.run()
    got = {n: run.tables[n].to_pylist() for n in ("o", "p")}
    assert got["o"] == [{"year": 2020, "rep": 1.0, "gaps": 1.0}]
    assert [(r["region"], r["gap"], r["land"], r["both"], r["r"]) for r in got["p"]] == [
        ("R1", 1.0, False, False, True), ("R2", 2.0, True, True, True), ("S3", 6.0, True, False, False),
        ("S4", 4.0, None, True, False)]
    reference = evaluate(loaded.model, load_tables(loaded.model, {}))
    assert [tuple(r) for r in reference["p"].rows] == [tuple(r.values()) for r in got["p"]]
    assert [tuple(r) for r in reference["o"].rows] == [tuple(r.values()) for r in got["o"]]
    with pytest.raises(idxlang.IdxError, match="numeric column"):
        idxlang.loads('table t: region by year\n  x\noutput by region, year: startswith(x, "1") as s\n')


def test_a_weighted_mean_of_a_group(tmp_path) -> None:
    """mean(x: w by g) = Σ w·x / Σ w over the cells with both: D1 (10·1 + 30·3) / 40 = 2.5;
    D2 keeps only D (C has no x, E no weight): 8; over all regions 140 / 45."""
    from idxlang.reference import evaluate, load_tables

    (tmp_path / "w.csv").write_text("region,year,district,pop,x\nA,2020,D1,10,1\nB,2020,D1,30,3\nC,2020,D2,5,\n"
                                    "D,2020,D2,5,8\nE,2020,D2,,100\n", encoding="utf-8")
    spec = tmp_path / "w.idx"
    spec.write_text('table t: region by year from "w.csv"\n  district attribute\n  pop, x\n'
                    "output o by district, year: mean(x: pop by district) as wm\n"
                    "output p by year: mean(x: pop over region) as wm, mean(x: pop - pop over region) as zero\n",
                    encoding="utf-8")
    loaded = idxlang.load(spec)
    run = loaded.run()
    assert run.tables["o"].to_pylist() == [{"district": "D1", "year": 2020, "wm": 2.5},
                                           {"district": "D2", "year": 2020, "wm": 8.0}]
    (p,) = run.tables["p"].to_pylist()
    assert p["wm"] == pytest.approx(140 / 45, rel=1e-15) and p["zero"] is None  # weights summing to 0: missing
    reference = evaluate(loaded.model, load_tables(loaded.model, {}))
    assert [tuple(r) for r in reference["o"].rows] == [tuple(r.values()) for r in run.tables["o"].to_pylist()]
    assert reference["p"].rows[0][1] == pytest.approx(p["wm"], rel=1e-15) and reference["p"].rows[0][2] is None
    with pytest.raises(idxlang.IdxError, match="takes no weights"):
        idxlang.loads("table t: region by year\n  x, w\noutput by year: max(x: w over region) as m\n")


def test_a_reduction_over_two_axes_takes_every_cell(tmp_path) -> None:
    """max, mean, count and sum over region and year at once: the cells A..E of 2020 and
    the two of 2021, every present one, as the reference (and a hand count) has them."""
    from idxlang.reference import evaluate, load_tables

    (tmp_path / "w.csv").write_text("region,year,x\nA,2020,1\nB,2020,3\nC,2020,\nD,2020,8\nE,2020,100\n"
                                    "A,2021,2\nB,2021,5\n", encoding="utf-8")
    spec = tmp_path / "w.idx"
    spec.write_text('table t: region by year from "w.csv"\n  x\n'
                    "output o: max(x over region, year) as mx, mean(x over region, year) as mn,\n"
                    "  count(x over year, region) as n, sum(x over region, year in 2021..2021) as s\n", encoding="utf-8")
    loaded = idxlang.load(spec)
    (row,) = loaded.run().tables["o"].to_pylist()
    present = [1, 3, 8, 100, 2, 5]
    assert row == {"mx": 100.0, "mn": sum(present) / 6, "n": 6.0, "s": 7.0}
    assert evaluate(loaded.model, load_tables(loaded.model, {}))["o"].rows == ((100.0, sum(present) / 6, 6.0, 7.0),)
    with pytest.raises(idxlang.IdxError, match="median\\(\\) over several axes"):
        idxlang.loads("table t: region by year\n  x\noutput o: median(x over region, year) as m\n")
    assert "over region, year" in idxlang.loads(
        "table t: region by year\n  x\nlet m = max(x over region, year)\noutput o: m\n").model.definitions["m"].text


def test_at_first_and_at_last_are_each_entitys_first_and_last_observation(tmp_path) -> None:
    """A's first value is in 2019 (2018 is missing), B's only one in 2018; C has none."""
    from idxlang.reference import evaluate, load_tables

    (tmp_path / "f.csv").write_text("region,year,x\nA,2018,\nA,2019,2\nA,2020,4\nB,2018,5\nB,2019,\nB,2020,\n"
                                    "C,2019,\n", encoding="utf-8")
    spec = tmp_path / "f.idx"
    spec.write_text('table t: region by year from "f.csv"\n  x\n'
                    "output o by region: x at first as base, x at last as latest, (x at last) / (x at first) as growth\n"
                    "output p by region, year: x / (x at first) * 100 as idx\n", encoding="utf-8")
    loaded = idxlang.load(spec)
    run = loaded.run()
    assert run.tables["o"].to_pylist() == [{"region": "A", "base": 2.0, "latest": 4.0, "growth": 2.0},
                                           {"region": "B", "base": 5.0, "latest": 5.0, "growth": 1.0},
                                           {"region": "C", "base": None, "latest": None, "growth": None}]
    assert [r["idx"] for r in run.tables["p"].to_pylist()] == [None, 100.0, 200.0, 100.0, None, None, None]
    reference = evaluate(loaded.model, load_tables(loaded.model, {}))
    for name in ("o", "p"):
        assert [tuple(r) for r in reference[name].rows] == [tuple(r.values()) for r in run.tables[name].to_pylist()]
    with_param = idxlang.loads("table t: region by year\n  x\nparam first = 2019\noutput o by region: x at first as b\n")
    assert with_param.model.outputs["o"] is not None  # a param of that name is a period as any param
