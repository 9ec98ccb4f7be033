"""The reference interpreter (idxlang/reference/, docs/reference.md): each construct on a
small panel, the expected values worked out by hand or from the formula the docs give,
never copied from idxc's output; the rows of outputs that read several tables and
attributes; the file loader; and every spec of specs/ it can read."""

from __future__ import annotations

import math
import random
from pathlib import Path

import pytest

import idxlang
from idxlang.reference import DataError, Frame, evaluate, load_tables

ROOT = Path(__file__).resolve().parent.parent
NAN = float("nan")


def run(text: str, tables: dict[str, list[dict[str, object]]], output: str | None = None) -> Frame:
    """The one output (or the named one) of a spec written inline."""
    model = idxlang.loads(text).model
    frames = evaluate(model, tables)
    return frames[output] if output else next(iter(frames.values()))


def by(frame: Frame, column: str, n: int = 2) -> dict[object, object]:
    i = frame.columns.index(column)
    return {(row[0] if n == 1 else row[:n]): row[i] for row in frame.rows}


def panel(column: str, values: dict[tuple[str, int], object], **attributes: dict[str, object]) -> list[dict[str, object]]:
    """Rows of a region × year table holding one column (and attributes per region)."""
    rows = []
    for (region, year), v in values.items():
        row: dict[str, object] = {"region": region, "year": year, column: v}
        for name, per in attributes.items():
            row[name] = per.get(region)
        rows.append(row)
    return rows


def close(a: object, b: object) -> bool:
    if a is None or b is None:
        return a is b
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)  # type: ignore[arg-type]


def assert_close(got: dict[object, object], want: dict[object, object]) -> None:
    assert set(got) == set(want), (sorted(got, key=repr), sorted(want, key=repr))
    bad = {k: (got[k], want[k]) for k in want if not close(got[k], want[k])}
    assert not bad, bad


# ---------------------------------------------------------------- the API

def test_frame_columns_rows_and_types() -> None:
    f = run("""
table t: region by year
  x
scale s
  "lo" [0, 2]
  "hi" (2, inf)
output by year, region: x, x > 1 as big, classify(x, s) as band, 3 as three
""", {"t": [{"region": "b", "year": 2020, "x": 3}, {"region": "a", "year": 2021, "x": 1},
            {"region": "a", "year": 2020, "x": None}]})
    assert f.columns == ("year", "region", "x", "big", "band", "three")
    # sorted by the keys in the order written (year, then region)
    assert f.rows == ((2020, "a", None, None, None, 3.0), (2020, "b", 3.0, True, "hi", 3.0),
                      (2021, "a", 1.0, False, "lo", 3.0))
    assert all(type(r[2]) is float for r in f.rows if r[2] is not None)
    assert type(f.rows[1][3]) is bool


def test_outputs_argument_picks_outputs() -> None:
    model = idxlang.loads("""
table t: region by year
  x
output one by region, year: x
output two by year: sum(x over region) as s
""").model
    data = {"t": [{"region": "a", "year": 2020, "x": 1.5}]}
    assert list(evaluate(model, data)) == ["one", "two"]
    assert list(evaluate(model, data, outputs=["two"])) == ["two"]
    with pytest.raises(KeyError):
        evaluate(model, data, outputs=["three"])


def test_nan_is_missing_and_infinity_refused() -> None:
    text = "table t: region by year\n  x\noutput by region, year: x + 1 as y\n"
    f = run(text, {"t": [{"region": "a", "year": 2020, "x": NAN}, {"region": "b", "year": 2020, "x": 2}]})
    assert by(f, "y") == {("a", 2020): None, ("b", 2020): 3.0}
    with pytest.raises(DataError):
        run(text, {"t": [{"region": "a", "year": 2020, "x": float("inf")}]})


# ---------------------------------------------------------------- rows

TWO = """
table ta: region by year
  x
table tb: region by year
  y
"""


def test_two_tables_full_join_and_unused_table_adds_no_rows() -> None:
    data = {"ta": [{"region": "a", "year": 2020, "x": 1}, {"region": "a", "year": 2021, "x": 2},
                   {"region": "b", "year": 2021, "x": 3}],
            "tb": [{"region": "b", "year": 2021, "y": 10}, {"region": "c", "year": 2022, "y": 20}]}
    both = run(TWO + "output by region, year: x, y, x + y as s\n", data)
    assert [r[:2] for r in both.rows] == [("a", 2020), ("a", 2021), ("b", 2021), ("c", 2022)]
    assert by(both, "s") == {("a", 2020): None, ("a", 2021): None, ("b", 2021): 13.0, ("c", 2022): None}
    assert by(both, "y") == {("a", 2020): None, ("a", 2021): None, ("b", 2021): 10.0, ("c", 2022): 20.0}
    one = run(TWO + "output by region, year: x * 2 as x2\n", data)
    assert [r[:2] for r in one.rows] == [("a", 2020), ("a", 2021), ("b", 2021)]


META = """
table meta: country by year
  continent attribute
  gdp
table trade: country by year
  y
"""
META_DATA = {
    # the attribute lives in a table with a time axis, with empty cells in some rows
    "meta": [{"country": "A", "year": 2019, "continent": "EU", "gdp": 1},
             {"country": "A", "year": 2020, "continent": "EU", "gdp": 2},
             {"country": "B", "year": 2019, "continent": None, "gdp": 3},
             {"country": "B", "year": 2020, "continent": "AS", "gdp": 4},
             {"country": "C", "year": 2019, "continent": "", "gdp": 5},
             {"country": "D", "year": 2019, "continent": "AS", "gdp": 6}],
    "trade": [{"country": "A", "year": 2020, "y": 10}, {"country": "A", "year": 2021, "y": 20},
              {"country": "B", "year": 2021, "y": 30}, {"country": "C", "year": 2021, "y": 40},
              {"country": "D", "year": 2022, "y": 50}],
}


def test_attribute_in_a_timed_table_counts_each_entity_year_once() -> None:
    f = run(META + "output by year: sum(y over country) as total, count(y over country) as n\n", META_DATA)
    # a row per year y has a row; meta's years (2019) add none
    assert by(f, "total", 1) == {2020: 10.0, 2021: 90.0, 2022: 50.0}
    assert by(f, "n", 1) == {2020: 1.0, 2021: 3.0, 2022: 1.0}


def test_output_reading_an_attribute_and_one_table() -> None:
    f = run(META + "output by country, year: continent, y\n", META_DATA)
    # trade's rows only; B's continent is its one non-missing value; C has none
    assert by(f, "continent") == {("A", 2020): "EU", ("A", 2021): "EU", ("B", 2021): "AS",
                                  ("C", 2021): None, ("D", 2022): "AS"}
    assert by(f, "y")[("D", 2022)] == 50.0


def test_groups_leave_out_a_missing_attribute() -> None:
    groups = run(META + "output by continent, year: sum(y by continent) as total\n", META_DATA)
    assert by(groups, "total") == {("AS", 2021): 30.0, ("AS", 2022): 50.0, ("EU", 2020): 10.0,
                                   ("EU", 2021): 20.0}
    share = run(META + "output by country, year: y / sum(y by continent) as share\n", META_DATA)
    # C belongs to no continent: the group value broadcast back to it is missing
    assert by(share, "share") == {("A", 2020): 1.0, ("A", 2021): 1.0, ("B", 2021): 1.0, ("C", 2021): None,
                                  ("D", 2022): 1.0}


def test_conflicting_attribute_values_are_an_error() -> None:
    data = {"meta": [{"country": "A", "year": 2019, "continent": "EU", "gdp": 1},
                     {"country": "A", "year": 2020, "continent": "AS", "gdp": 1}], "trade": []}
    with pytest.raises(DataError, match="continent"):
        run(META + "output by country, year: continent, gdp\n", data)


def test_attribute_in_a_table_of_its_own() -> None:
    text = """
table regions: region
  district attribute
table t: region by year
  x
output by district, year: mean(x by district) as m
output detail by region, year: district, x - mean(x by district) as gap
"""
    data = {"regions": [{"region": "a", "district": "N"}, {"region": "b", "district": "N"},
                        {"region": "c", "district": "S"}, {"region": "z", "district": "S"}],
            "t": panel("x", {("a", 2020): 1, ("b", 2020): 3, ("c", 2020): 7, ("d", 2020): 100})}
    model = idxlang.loads(text).model
    frames = evaluate(model, data)
    assert by(frames["<spec>"], "m") == {("N", 2020): 2.0, ("S", 2020): 7.0}
    assert by(frames["detail"], "gap") == {("a", 2020): -1.0, ("b", 2020): 1.0, ("c", 2020): 0.0, ("d", 2020): None}
    assert by(frames["detail"], "district")[("d", 2020)] is None


def test_year_output_rows_from_its_tables_and_reductions() -> None:
    text = """
table t: region by year
  x
table world: by year
  deflator
output by year: deflator, sum(x over region) as total
"""
    data = {"t": panel("x", {("a", 2020): 1, ("b", 2020): 2, ("a", 2022): 4}),
            "world": [{"year": 2020, "deflator": 1.1}, {"year": 2021, "deflator": 1.2}]}
    f = run(text, data)
    assert by(f, "deflator", 1) == {2020: 1.1, 2021: 1.2, 2022: None}
    assert by(f, "total", 1) == {2020: 3.0, 2021: None, 2022: 4.0}


def test_reduction_inside_its_argument_grain_adds_no_rows() -> None:
    # max(x over region) is reached where the context is region × year, its argument's
    # grain: it adds no year rows, so 2022 (a year of x only) is not a row
    text = """
table t: region by year
  x
table world: by year
  deflator
output by year: deflator, sum((x / max(x over region)) at 2020 over region) as s
"""
    data = {"t": panel("x", {("a", 2020): 1, ("b", 2020): 4, ("a", 2022): 4}),
            "world": [{"year": 2020, "deflator": 1.0}, {"year": 2021, "deflator": 2.0}]}
    f = run(text, data)
    assert [r[0] for r in f.rows] == [2020, 2021]
    assert by(f, "s", 1) == {2020: 1.25, 2021: 1.25}


def test_broadcast_sum_keeps_the_finer_rows() -> None:
    text = """
table t: region by year
  x
table ind: industry by year
  y
output by region, year: x + sum(y over industry) as v
output years by year: sum(y over industry) as total, lag(sum(y over industry)) as before
"""
    data = {"t": panel("x", {("a", 2020): 1, ("a", 2021): 2}),
            "ind": [{"industry": "i", "year": 2020, "y": 10}, {"industry": "j", "year": 2020, "y": 20},
                    {"industry": "i", "year": 2022, "y": 5}]}
    model = idxlang.loads(text).model
    frames = evaluate(model, data)
    assert by(frames["<spec>"], "v") == {("a", 2020): 31.0, ("a", 2021): None}
    # years of y only, with a gap in 2021: lag is the calendar year before, missing there
    assert by(frames["years"], "total", 1) == {2020: 30.0, 2022: 5.0}
    assert by(frames["years"], "before", 1) == {2020: None, 2022: None}


def test_output_grain_table_added_when_none_read_has_it() -> None:
    text = """
table t: region by year
  x
table world: by year
  deflator
output by region, year: deflator * 2 as d
"""
    data = {"t": panel("x", {("a", 2020): 1, ("b", 2021): 2}), "world": [{"year": 2020, "deflator": 3}]}
    f = run(text, data)
    assert by(f, "d") == {("a", 2020): 6.0, ("b", 2021): None}


def test_scalar_output_rows() -> None:
    text = """
table t: region by year
  x
let total = sum(x over region)
output growth: total at 2021 / total at 2020 as g
"""
    f = run(text, {"t": panel("x", {("a", 2020): 1, ("b", 2020): 3, ("a", 2021): 6})})
    assert f.columns == ("g",) and f.rows == ((1.5,),)


def test_the_scalar_grain_has_one_row_and_an_unreached_grain_none() -> None:
    text = """
table t: region by year
  district attribute
  x
output consts: 2 as two
output years by district, year: mean(x over region) as m
"""
    model = idxlang.loads(text).model
    frames = evaluate(model, {"t": panel("x", {("a", 2020): 1}, district={"a": "N"})})
    assert frames["consts"] == Frame(("two",), ((2.0,),))  # the one row of the scalar grain
    assert frames["years"].rows == ()  # mean(x over region) is a year value: no district × year rows


def test_monthly_lag_is_twelve_months_back() -> None:
    text = "table p: region by month monthly\n  cpi\noutput by region, month: cpi / lag(cpi, 12) * 100 - 100 as yoy\n"
    m = lambda y, k: y * 12 + k - 1  # noqa: E731
    rows = [{"region": "a", "month": m(2023, 3), "cpi": 100}, {"region": "a", "month": m(2024, 2), "cpi": 104},
            {"region": "a", "month": m(2024, 3), "cpi": 105}]
    f = run(text, {"p": rows})
    assert_close(by(f, "yoy"), {("a", m(2023, 3)): None, ("a", m(2024, 2)): None, ("a", m(2024, 3)): 5.0})


def test_screen_drops_entities_from_every_table_of_the_axis() -> None:
    text = """
table t: region by year
  a, b, c
table u: region by year
  z
screen t: availability >= 0.6 of a, b
output by region, year: a, z
"""
    t = [{"region": "r1", "year": 2020, "a": 1, "b": 1, "c": None},
         {"region": "r1", "year": 2021, "a": None, "b": 1, "c": None},  # r1: 3 of 4 = 0.75, kept
         {"region": "r2", "year": 2020, "a": 1, "b": None, "c": 1},
         {"region": "r2", "year": 2021, "a": None, "b": None, "c": 1}]  # r2: 1 of 4 = 0.25, dropped
    u = [{"region": "r1", "year": 2020, "z": 5}, {"region": "r2", "year": 2020, "z": 6}]
    f = run(text, {"t": t, "u": u})
    assert {r[0] for r in f.rows} == {"r1"}
    assert by(f, "z") == {("r1", 2020): 5.0, ("r1", 2021): None}
    # every numeric column when none are named: r1 has 3 of 6 = 0.5, r2 3 of 6 = 0.5
    everything = text.replace(" of a, b", "").replace(">= 0.6", ">= 0.5")
    assert {r[0] for r in run(everything, {"t": t, "u": u}).rows} == {"r1", "r2"}
    stricter = text.replace(" of a, b", "").replace(">= 0.6", ">= 0.51")
    assert run(stricter, {"t": t, "u": u}).rows == ()


# ---------------------------------------------------------------- row-wise

ONE = "table t: region by year\n  x, y\n"


def one_row(expr: str, **values: object) -> object:
    f = run(ONE + f"param w = 2\nparam hundreds = -2\noutput by region, year: {expr} as v\n",
            {"t": [{"region": "a", "year": 2020, **values}]})
    return f.rows[0][2]


def test_arithmetic_domains_and_missing() -> None:
    assert one_row("x / y", x=1, y=0) is None
    assert one_row("x / y", x=1, y=4) == 0.25
    assert one_row("ln(x)", x=0) is None
    assert one_row("ln(x)", x=math.e) == 1.0
    assert one_row("sqrt(x)", x=-1) is None
    assert one_row("sqrt(x)", x=9) == 3.0
    assert one_row("x ^ 0.5", x=-4) is None
    assert one_row("x ^ y", x=2, y=10) == 1024.0
    assert one_row("exp(x)", x=1000) is None  # overflow: never infinity
    assert one_row("abs(x - 5)", x=2) == 3.0
    assert one_row("-x * w", x=2) == -4.0
    assert one_row("least(x, y)", x=1, y=None) is None  # unlike SQL
    assert one_row("greatest(x, y, 3)", x=1, y=2) == 3.0
    assert one_row("x + y", x=1, y=None) is None


def test_coalesce_if_and_logic() -> None:
    assert one_row("x ?? y", x=None, y=7) == 7.0
    assert one_row("x ?? y", x=1, y=7) == 1.0
    assert one_row("if x > 1 then y else 0", x=2, y=5) == 5.0
    assert one_row("if x > 1 then y else 0", x=0, y=None) == 0.0  # the branch not taken may be missing
    assert one_row("if x > 1 then 1 else 0", x=None) is None  # a missing condition: missing
    assert one_row("x > 1 and y > 1", x=2, y=3) is True
    assert one_row("x > 1 or y > 1", x=2, y=None) is None
    assert one_row("not (x == y)", x=1, y=2) is True


@pytest.mark.parametrize("x, digits, want", [
    (1.005, 2, 1.01), (2.675, 2, 2.68), (-2.5, 0, -3.0), (0.125, 2, 0.13), (1.00499999, 2, 1.0),
    (2.5, 0, 3.0), (1234.5, "hundreds", 1200.0), (1250, "hundreds", 1300.0), (-1.005, 2, -1.01), (0.0, 2, 0.0),
])
def test_round_half_away_from_zero_as_a_spreadsheet_shows(x: float, digits: object, want: float) -> None:
    assert one_row(f"round(x, {digits})", x=x) == want


def test_classify_closed_ends() -> None:
    scale = 'scale s\n  "D" [0, 10]\n  "C" (10, 25]\n  "top" (25, inf)\n'
    text = ONE + scale + "output by region, year: classify(x, s) as c\n"
    rows = [{"region": r, "year": 2020, "x": v} for r, v in
            [("a", 0), ("b", 10), ("c", 10.5), ("d", 25), ("e", 1e9), ("f", -1), ("g", None)]]
    f = run(text, {"t": rows})
    assert by(f, "c") == {("a", 2020): "D", ("b", 2020): "D", ("c", 2020): "C", ("d", 2020): "C",
                          ("e", 2020): "top", ("f", 2020): None, ("g", 2020): None}


def test_row_wise_means() -> None:
    assert one_row("mean(x, y)", x=1, y=4) == 2.5
    assert one_row("mean(x: 2, y: 1)", x=1, y=4) == 2.0
    assert one_row("mean(x: w, y)", x=1, y=4) == 2.0
    assert one_row("mean(x, y)", x=1, y=None) is None
    assert one_row("mean(x: 2, y present 1)", x=3, y=None) == 3.0  # the weights renormalised
    assert one_row("mean(x, y, 10 present 0.5)", x=None, y=2) == 6.0  # 2 of 3 present >= 0.5
    assert one_row("mean(x, y, 10 present 0.7)", x=None, y=2) is None  # 2 of 3 < 0.7
    assert one_row("mean(x, y, 10 present 3)", x=None, y=2) is None
    assert close(one_row("geomean(x, y)", x=2, y=8), 4.0)
    assert close(one_row("geomean(x: 1, y: 3)", x=2, y=16), (2 * 16 ** 3) ** 0.25)
    assert one_row("geomean(x, y)", x=0, y=8) is None
    assert one_row("geomean(x, y present 1)", x=-1, y=None) is None  # present but outside the domain
    assert close(one_row("geomean(x, y present 1)", x=None, y=8), 8.0)
    assert close(one_row("hmean(x, y)", x=2, y=6), 2 / (1 / 2 + 1 / 6))
    assert close(one_row("hmean(x: 3, y: 1)", x=2, y=6), 4 / (3 / 2 + 1 / 6))
    assert close(one_row("genmean(x, y power 2)", x=3, y=4), math.sqrt(12.5))
    assert close(one_row("genmean(x, y power -1)", x=2, y=6), 2 / (1 / 2 + 1 / 6))
    assert one_row("genmean(x, y power 2)", x=-3, y=4) is None
    assert one_row("sum(x, y)", x=1, y=2) == 3.0
    assert one_row("sum(x, y)", x=1, y=None) is None
    assert one_row("product(x, y, 3)", x=2, y=5) == 30.0


# ---------------------------------------------------------------- reductions

RED = "table t: region by year\n  x\n"


def across(expr: str, values: list[object], output: str = "by year") -> object:
    data = {"t": [{"region": f"r{i}", "year": 2020, "x": v} for i, v in enumerate(values)]}
    f = run(RED + f"output {output}: {expr} as v\n", data)
    return f.rows[0][-1]


def test_reductions_across() -> None:
    xs = [4, None, 1, 3, 2]
    assert across("sum(x over region)", xs) == 10.0
    assert across("mean(x over region)", xs) == 2.5
    assert across("min(x over region)", xs) == 1.0
    assert across("max(x over region)", xs) == 4.0
    assert across("count(x over region)", xs) == 4.0
    assert close(across("sd(x over region)", xs), math.sqrt(((1.5 ** 2) * 2 + (0.5 ** 2) * 2) / 3))
    assert across("median(x over region)", xs) == 2.5
    assert across("median(x over region)", [5, 1, 3]) == 3.0
    assert close(across("quantile(x, 0.25 over region)", xs), 1.75)  # h = 0.75: 1 + 0.75 * (2 - 1)
    assert close(across("quantile(x, 0.9 over region)", xs), 3.7)  # h = 2.7: 3 + 0.7 * (4 - 3)
    assert across("quantile(x, 1 over region)", xs) == 4.0
    assert across("product(x over region)", xs) == 24.0
    assert across("product(x over region)", [-2, 3, 0]) == 0.0
    assert across("product(x over region)", [-2, 3, None]) == -6.0
    assert close(across("geomean(x over region)", [1, 4, None, 16]), 4.0)
    assert across("geomean(x over region)", [1, 0, 16]) is None
    assert across("sd(x over region)", [3, None]) is None


def test_a_reduction_over_no_values_is_missing_count_included() -> None:
    for f in ("sum", "mean", "count", "min", "max", "sd", "median", "product", "geomean"):
        assert across(f"{f}(x over region)", [None, None]) is None, f


def _excel_skew_kurt(xs: list[float]) -> tuple[float, float]:
    """The docs' formulas: skew = √(n(n−1))/(n−2) · m3/m2^1.5, kurt = (n−1)((n+1)·m4/m2² − 3(n−1))/((n−2)(n−3)),
    with m_k the central moments divided by n."""
    n = len(xs)
    mean = sum(xs) / n
    m2, m3, m4 = (sum((x - mean) ** k for x in xs) / n for k in (2, 3, 4))
    skew = math.sqrt(n * (n - 1)) / (n - 2) * m3 / m2 ** 1.5
    kurt = (n - 1) * ((n + 1) * m4 / m2 ** 2 - 3 * (n - 1)) / ((n - 2) * (n - 3))
    return skew, kurt


def test_skew_and_kurt_as_excel() -> None:
    xs = [1, 2, 3, 4, 10, 2.5]
    skew, kurt = _excel_skew_kurt(xs)
    assert close(across("skew(x over region)", xs + [None]), skew)
    assert close(across("kurt(x over region)", xs), kurt)
    # Excel's documented example: SKEW(3,4,5,2,3,4,5,6,4,7) = 0.359543, KURT(...) = -0.151799637
    excel = [3, 4, 5, 2, 3, 4, 5, 6, 4, 7]
    assert round(across("skew(x over region)", excel), 6) == 0.359543
    assert round(across("kurt(x over region)", excel), 9) == -0.151799637
    assert across("skew(x over region)", [1, 2]) is None
    assert across("kurt(x over region)", [1, 2, 3]) is None
    assert across("skew(x over region)", [5, 5, 5, 5]) is None


def test_by_group_and_period_range_and_at() -> None:
    text = """
table t: region by year
  district attribute
  x
output groups by district, year: sum(x by district) as s, median(x by district) as med
output periods by region: mean(x over year in 2020..2021) as m, x at 2019 as base
"""
    rows = panel("x", {("a", 2019): 1, ("a", 2020): 2, ("a", 2021): 4, ("a", 2022): 100,
                       ("b", 2020): 3, ("c", 2020): 5, ("c", 2019): None},
                 district={"a": "N", "b": "N", "c": "S"})
    model = idxlang.loads(text).model
    frames = evaluate(model, {"t": rows})
    g = frames["groups"]
    assert by(g, "s") == {("N", 2019): 1.0, ("N", 2020): 5.0, ("N", 2021): 4.0, ("N", 2022): 100.0,
                          ("S", 2019): None, ("S", 2020): 5.0}
    assert by(g, "med")[("N", 2020)] == 2.5
    p = frames["periods"]
    assert by(p, "m", 1) == {"a": 3.0, "b": 3.0, "c": 5.0}
    assert by(p, "base", 1) == {"a": 1.0, "b": None, "c": None}


def test_at_a_param_period_and_a_quarter() -> None:
    text = """
table q: region by quarter quarterly
  x
param base = 2021
output by region, quarter: x / x at 2021Q1 * 100 as idx, x / lag(x, 4) as yoy, chain(x) as qq
output years by region: mean(x over quarter in 2022..2022) as y2022, sum(x over quarter in 2021Q2..2021Q4) as late
"""
    q = lambda y, k: y * 4 + k - 1  # noqa: E731  semantics/calendar.py's numbering
    rows = [{"region": "a", "quarter": q(2021, 1), "x": 10}, {"region": "a", "quarter": q(2021, 2), "x": 20},
            {"region": "a", "quarter": q(2021, 4), "x": 30}, {"region": "a", "quarter": q(2022, 1), "x": 15},
            {"region": "a", "quarter": q(2022, 2), "x": 25}]
    model = idxlang.loads(text).model
    frames = evaluate(model, {"q": rows})
    growth = frames["<spec>"]
    assert by(growth, "idx") == {("a", q(2021, 1)): 100.0, ("a", q(2021, 2)): 200.0, ("a", q(2021, 4)): 300.0,
                                 ("a", q(2022, 1)): 150.0, ("a", q(2022, 2)): 250.0}
    assert by(growth, "yoy") == {("a", q(2021, 1)): None, ("a", q(2021, 2)): None, ("a", q(2021, 4)): None,
                                 ("a", q(2022, 1)): 1.5, ("a", q(2022, 2)): 1.25}
    # 2021Q3 is absent: 2021Q4's previous quarter is a gap
    assert by(growth, "qq")[("a", q(2021, 4))] is None
    assert by(growth, "qq")[("a", q(2022, 1))] == 0.5
    years = frames["years"]
    assert by(years, "y2022", 1) == {"a": 20.0}
    assert by(years, "late", 1) == {"a": 50.0}


# ---------------------------------------------------------------- along time

def series(expr: str, values: dict[int, object]) -> dict[object, object]:
    f = run(RED + f"output by region, year: {expr} as v\n", {"t": panel("x", {("a", y): v for y, v in values.items()})})
    return {row[1]: row[2] for row in f.rows}


def test_lag_is_the_calendar_period_never_the_previous_row() -> None:
    xs = {2010: 1, 2011: 2, 2013: 4, 2014: None, 2015: 6}
    assert series("lag(x)", xs) == {2010: None, 2011: 1.0, 2013: None, 2014: 4.0, 2015: None}
    assert series("lag(x, 2)", xs) == {2010: None, 2011: None, 2013: 2.0, 2014: None, 2015: 4.0}
    assert series("chain(x)", xs) == {2010: None, 2011: 2.0, 2013: None, 2014: None, 2015: None}
    assert series("chain(x)", {2010: 0, 2011: 3}) == {2010: None, 2011: None}  # division by zero


def test_cumulation_skips_missing_values() -> None:
    xs = {2010: None, 2011: 2, 2012: None, 2013: 3, 2015: 4}
    assert series("cumsum(x over year)", xs) == {2010: None, 2011: 2.0, 2012: 2.0, 2013: 5.0, 2015: 9.0}
    assert series("cumprod(x over year)", xs) == {2010: None, 2011: 2.0, 2012: 2.0, 2013: 6.0, 2015: 24.0}


def test_fills_and_interpolation_by_calendar_period() -> None:
    xs = {2010: None, 2011: 1, 2012: None, 2014: 7, 2015: None}
    assert series("fill_forward(x)", xs) == {2010: None, 2011: 1.0, 2012: 1.0, 2014: 7.0, 2015: 7.0}
    assert series("fill_backward(x)", xs) == {2010: 1.0, 2011: 1.0, 2012: 7.0, 2014: 7.0, 2015: None}
    # 2012 is a third of the way from 2011 to 2014 (2013, absent from the data, counts)
    assert series("interpolate(x)", xs) == {2010: None, 2011: 1.0, 2012: 3.0, 2014: 7.0, 2015: None}


def test_lag_within_each_entity() -> None:
    rows = panel("x", {("a", 2020): 1, ("a", 2021): 2, ("b", 2021): 5})
    f = run(RED + "output by region, year: lag(x) as l\n", {"t": rows})
    assert by(f, "l") == {("a", 2020): None, ("a", 2021): 1.0, ("b", 2021): None}


# ---------------------------------------------------------------- ranks

def places(expr: str, values: dict[str, object], district: dict[str, str] | None = None,
           table: str = "table t: region by year\n  district attribute\n  x\n") -> dict[object, object]:
    rows = panel("x", {(r, 2020): v for r, v in values.items()}, district=district or {})
    f = run(table + f"output by region, year: {expr} as v\n", {"t": rows})
    return {row[0]: row[2] for row in f.rows}


TIES = {"a": 5, "b": 7, "c": 7, "d": None, "e": 1}


def test_rank_directions_and_ties() -> None:
    assert places("rank(x desc)", TIES) == {"a": 3, "b": 1, "c": 1, "d": None, "e": 4}
    assert places("rank(x asc)", TIES) == {"a": 2, "b": 3, "c": 3, "d": None, "e": 1}
    assert places("rank(x desc ties max)", TIES) == {"a": 3, "b": 2, "c": 2, "d": None, "e": 4}
    assert places("rank(x desc ties dense)", TIES) == {"a": 2, "b": 1, "c": 1, "d": None, "e": 3}
    assert places("rank(x desc ties average)", TIES) == {"a": 3, "b": 1.5, "c": 1.5, "d": None, "e": 4}
    assert places("rank(x desc ties first)", {"c": 7, "b": 7, "a": 5}) == {"a": 3, "b": 1, "c": 2}


def test_rank_where_and_by() -> None:
    values = {"a": 5, "b": 7, "World": 100, "c": 6}
    assert places('rank(x desc where region != "World")', values) == {"a": 3, "b": 1, "World": None, "c": 2}
    district = {"a": "N", "b": "N", "c": "S"}  # World has none: no place by district
    assert places("rank(x desc by district)", values, district) == {"a": 2, "b": 1, "World": None, "c": 1}


def test_rank_over_time() -> None:
    rows = panel("x", {("a", 2020): 3, ("a", 2021): 1, ("a", 2022): 2, ("b", 2020): 0})
    f = run(RED + "output by region, year: rank(x desc over year) as r\n", {"t": rows})
    assert by(f, "r") == {("a", 2020): 1, ("a", 2021): 3, ("a", 2022): 2, ("b", 2020): 1}


# ---------------------------------------------------------------- normalisation

NORM = {"a": 2, "b": 4, "c": None, "d": 10}


def test_minmax() -> None:
    assert places("minmax(x)", NORM) == {"a": 0.0, "b": 25.0, "c": None, "d": 100.0}
    assert places("minmax(x, 1, 100)", NORM) == {"a": 1.0, "b": 1 + 0.25 * 99, "c": None, "d": 100.0}
    assert places("minmax(x direction -1)", NORM) == {"a": 100.0, "b": 75.0, "c": None, "d": 0.0}
    assert places("minmax(x)", {"a": 3, "b": 3}) == {"a": None, "b": None}  # zero range
    district = {"a": "N", "b": "N", "d": "S"}
    assert places("minmax(x by district)", {**NORM, "e": 4}, district) == \
        {"a": 0.0, "b": 100.0, "c": None, "d": None, "e": None}


def test_zscore() -> None:
    mean, sd = 16 / 3, math.sqrt(((2 - 16 / 3) ** 2 + (4 - 16 / 3) ** 2 + (10 - 16 / 3) ** 2) / 2)
    got = places("zscore(x)", NORM)
    assert_close(got, {"a": (2 - mean) / sd, "b": (4 - mean) / sd, "c": None, "d": (10 - mean) / sd})
    got = places("zscore(x, 100, 10 direction -1)", NORM)
    assert_close(got, {"a": 100 + (mean - 2) / sd * 10, "b": 100 + (mean - 4) / sd * 10, "c": None,
                       "d": 100 + (mean - 10) / sd * 10})
    assert places("zscore(x)", {"a": 1, "b": None}) == {"a": None, "b": None}


def test_goalposts() -> None:
    values = {"a": -5, "b": 25, "c": None, "d": 80}
    assert places("goalposts(x, 0, 50)", values) == {"a": 0.0, "b": 50.0, "c": None, "d": 100.0}
    assert places("goalposts(x, 0, 50 unclipped)", values) == {"a": -10.0, "b": 50.0, "c": None, "d": 160.0}
    assert places("goalposts(x, 0, 50 direction -1)", values) == {"a": 100.0, "b": 50.0, "c": None, "d": 0.0}
    assert places("goalposts(x, 5, 5)", values) == {"a": None, "b": None, "c": None, "d": None}


def test_distance_to_target() -> None:
    assert places("distance(x, 6)", NORM) == {"a": 0.0, "b": 50.0, "c": None, "d": 100.0}
    # direction -1: -x and -target; min(-x) = -10, target -6: (-x + 10) / 4 * 100, capped
    assert places("distance(x, 6 direction -1)", NORM) == {"a": 100.0, "b": 100.0, "c": None, "d": 0.0}
    assert places("distance(x, 2)", {"a": 2, "b": 3}) == {"a": None, "b": None}


def test_prank() -> None:
    assert_close(places("prank(x)", {"a": 5, "b": 7, "c": 7, "d": None, "e": 1}),
                 {"a": 100 / 3, "b": 200 / 3, "c": 200 / 3, "d": None, "e": 0.0})
    assert places("prank(x direction -1)", {"a": 5, "b": 7, "e": 1}) == {"a": 50.0, "b": 0.0, "e": 100.0}
    assert places("prank(x)", {"a": 5, "b": None}) == {"a": None, "b": None}


# ---------------------------------------------------------------- outliers

def test_treat_winsorises_one_point() -> None:
    xs = {f"r{i:02d}": float(i) for i in range(1, 10)} | {"r10": 100.0, "r11": None}
    # 1..9, 100 fails (skew ≈ 3.1, kurt ≈ 9.8); after one point (100 -> 9) it passes
    skew, kurt = _excel_skew_kurt([*range(1, 10), 100])
    assert abs(skew) >= 2 and kurt >= 3.5
    skew, kurt = _excel_skew_kurt([*range(1, 10), 9])
    assert not (abs(skew) >= 2 and kurt >= 3.5)
    got = places("treat(x)", xs)
    assert got == {**{f"r{i:02d}": float(i) for i in range(1, 10)}, "r10": 9.0, "r11": None}


def test_treat_logs_when_winsorising_is_not_enough() -> None:
    xs = {f"r{i:02d}": float(i) for i in range(1, 10)} | {"r10": 100.0}
    got = places("treat(x, 0)", xs)  # no point allowed: the log transform at once
    want = {k: math.log(v - 1 + 0.01 * 99) for k, v in xs.items()}
    assert_close(got, want)


def test_treat_leaves_a_passing_indicator_alone() -> None:
    xs = {"a": 1.0, "b": 2.0, "c": 3.0, "d": 50.0}
    assert places("treat(x)", xs) == xs  # four values, skew < 2
    assert places("treat(x)", {"a": 1.0, "b": 1000.0, "c": None}) == {"a": 1.0, "b": 1000.0, "c": None}


def test_treat_matches_coinr_in_plain_python() -> None:
    from bench.coinr import treat as coinr_treat

    rng = random.Random(5)
    for trial in range(40):
        n = rng.randint(4, 25)
        values = [rng.lognormvariate(0, rng.choice([0.3, 1.5, 2.5])) for _ in range(n)]
        if trial % 3 == 0:
            values[rng.randrange(n)] = None  # type: ignore[call-overload]
        winmax = rng.choice([1, 2, 5])
        want, _ = coinr_treat(values, winmax)
        got = places(f"treat(x, {winmax})", {f"r{i:02d}": v for i, v in enumerate(values)})
        assert_close(got, {f"r{i:02d}": v for i, v in enumerate(want)})


def test_clip_to_quantiles() -> None:
    xs = {f"r{i:02d}": float(i) for i in range(1, 11)} | {"r11": None}
    got = places("clip(x, 0.1, 0.9)", xs)  # type 7: 1.9 and 9.1
    assert_close(got, {**{f"r{i:02d}": float(i) for i in range(2, 10)}, "r01": 1.9, "r10": 9.1, "r11": None})
    district = {"a": "N", "b": "N", "c": "N", "d": "S"}
    got = places("clip(x, 0.25, 0.75 by district)", {"a": 0.0, "b": 4.0, "c": 8.0, "d": 3.0}, district)
    assert_close(got, {"a": 2.0, "b": 4.0, "c": 6.0, "d": 3.0})


# ---------------------------------------------------------------- functions, aliases, lets

def test_user_functions_inline_and_nest() -> None:
    text = """
table t: region by year
  x, y
def leader(v) = v / max(v over region) * 100
def twice(v) = leader(v) + leader(v * 2)
output by region, year: leader(x) as lx, twice(y) as ty
"""
    rows = [{"region": "a", "year": 2020, "x": 1, "y": 2}, {"region": "b", "year": 2020, "x": 4, "y": 8}]
    f = run(text, {"t": rows})
    assert by(f, "lx") == {("a", 2020): 25.0, ("b", 2020): 100.0}
    assert by(f, "ty") == {("a", 2020): 50.0, ("b", 2020): 200.0}


def test_alias_visible_to_later_columns() -> None:
    text = """
table t: region by year
  district attribute
  score
scale s
  "low" [0, 5]
  "high" (5, inf)
output by district, year: mean(score by district) as score, classify(score, s) as class
"""
    rows = panel("score", {("a", 2020): 2, ("b", 2020): 9, ("c", 2020): 4}, district={"a": "N", "b": "N", "c": "S"})
    f = run(text, {"t": rows})
    assert by(f, "score") == {("N", 2020): 5.5, ("S", 2020): 4.0}
    assert by(f, "class") == {("N", 2020): "high", ("S", 2020): "low"}  # a's own 2 would be low


def test_a_let_broadcast_onto_finer_rows() -> None:
    text = """
table t: region by year
  x
let total = sum(x over region)
let share = x / total
output by region, year: share, total
"""
    f = run(text, {"t": panel("x", {("a", 2020): 1, ("b", 2020): 3, ("a", 2021): 2})})
    assert by(f, "share") == {("a", 2020): 0.25, ("b", 2020): 0.75, ("a", 2021): 1.0}
    assert by(f, "total") == {("a", 2020): 4.0, ("b", 2020): 4.0, ("a", 2021): 2.0}


# ---------------------------------------------------------------- files

def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_load_csv_missing_cells_and_decimal_commas(tmp_path: Path) -> None:
    spec = _write(tmp_path / "s.idx", """
table t: region by year from "t.csv"
  district attribute
  x, y
table u: region by year from "u.csv" encoding "cp1251"
  z
output by region, year: district, x, y, z
""")
    _write(tmp_path / "t.csv", "region,year,district,x,y,extra\na,2020,N,1.5,NaN,q\nb,2020,,,2,q\n")
    _write(tmp_path / "u.csv", "region;year;z\nа;2020;1 204,5\nb;2020;3,25\n", "cp1251")
    model = idxlang.load(spec).model
    tables = load_tables(model, {})
    assert tables["t"] == [{"region": "a", "year": 2020, "district": "N", "x": 1.5, "y": None},
                           {"region": "b", "year": 2020, "district": None, "x": None, "y": 2.0}]
    assert tables["u"] == [{"region": "а", "year": 2020, "z": 1204.5}, {"region": "b", "year": 2020, "z": 3.25}]
    f = evaluate(model, tables)["s"]
    assert by(f, "z")[("b", 2020)] == 3.25
    assert f.column("x") == [1.5, None, None]  # a, b, then u's Cyrillic а
    assert f.records()[0] == {"region": "a", "year": 2020, "district": "N", "x": 1.5, "y": None, "z": None}
    other = _write(tmp_path / "other.csv", "region,year,district,x,y\nc,2021,S,7,8\n")
    assert load_tables(model, {"t": other})["t"] == [{"region": "c", "year": 2021, "district": "S", "x": 7.0, "y": 8.0}]


def test_load_parquet_and_quarter_labels(tmp_path: Path) -> None:
    pa = pytest.importorskip("pyarrow")
    import pyarrow.parquet as pq

    spec = _write(tmp_path / "s.idx", 'table q: region by quarter quarterly from "q.parquet"\n  x\n'
                  "output by region, quarter: x\n")
    pq.write_table(pa.table({"region": ["a", "a"], "quarter": ["2024Q1", "2024-06-30"], "x": [1.0, None]}),
                   tmp_path / "q.parquet")
    tables = load_tables(idxlang.load(spec).model, {})
    assert tables["q"] == [{"region": "a", "quarter": 2024 * 4, "x": 1.0},
                           {"region": "a", "quarter": 2024 * 4 + 1, "x": None}]


def test_load_refuses_other_layouts_and_text(tmp_path: Path) -> None:
    spec = _write(tmp_path / "s.idx", 'table t: region by year from "t.csv" long(indicator, value)\n  x\n'
                  "output by region, year: x\n")
    _write(tmp_path / "t.csv", "region,year,indicator,value\na,2020,x,1\n")
    with pytest.raises(DataError, match="long"):
        load_tables(idxlang.load(spec).model, {})
    spec = _write(tmp_path / "s2.idx", 'table t: region by year from "t2.csv"\n  x\noutput by region, year: x\n')
    _write(tmp_path / "t2.csv", "region,year,x\na,2020,abc\n")
    with pytest.raises(DataError, match="abc"):
        load_tables(idxlang.load(spec).model, {})


def _default_layout(spec: Path) -> bool:
    model = idxlang.load(spec).model
    return all(t.layout is None and t.source and Path(t.source).suffix.lower() in (".csv", ".parquet")
               for t in model.tables.values())


SPECS = sorted(p for p in (ROOT / "specs").glob("*.idx") if _default_layout(p))


def test_some_specs_are_readable() -> None:
    assert len(SPECS) >= 5


@pytest.mark.parametrize("path", SPECS, ids=lambda p: p.stem)
def test_every_readable_spec_evaluates(path: Path) -> None:
    model = idxlang.load(path).model
    frames = evaluate(model, load_tables(model, {}))
    assert set(frames) == set(model.outputs)
    for name, frame in frames.items():
        assert frame.rows, name
        n = len(model.outputs[name].keys)
        keys = [r[:n] for r in frame.rows]
        assert keys == sorted(keys) and len(set(keys)) == len(keys), name
        assert all(len(r) == len(frame.columns) for r in frame.rows)
        # something was computed: some cell beside the keys is present
        assert any(v is not None for r in frame.rows for v in r[n:]), name


# ---------------------------------------------------------------- independence

FORBIDDEN = {"planning", "plan", "sqlgen", "sql", "builtins", "compile", "run", "data", "engines", "tools", "layouts"}


def test_the_interpreter_imports_nothing_of_the_compiler() -> None:
    """Only the checked model (semantics.model, semantics.calendar) and idxlang.ast from
    the package, and no SQL."""
    import ast as pyast

    folder = ROOT / "idxlang" / "reference"
    seen: set[str] = set()
    for path in folder.glob("*.py"):
        tree = pyast.parse(path.read_text(encoding="utf-8"))
        for node in pyast.walk(tree):
            if isinstance(node, pyast.ImportFrom):
                base = node.module or ""
                if node.level == 2:  # from ..semantics import model / from ..ast import Band
                    names = [f"{base}.{a.name}" if base == "semantics" else base for a in node.names] if base \
                        else [a.name for a in node.names]
                    seen.update(f"idxlang.{n}" for n in names)
                elif node.level == 0:
                    seen.add(base)
            elif isinstance(node, pyast.Import):
                seen.update(a.name for a in node.names)
    package = {s.split(".", 1)[1] for s in seen if s.startswith("idxlang.")}
    assert package <= {"semantics.model", "ast", "semantics.calendar"}, package
    assert not {p.split(".")[0] for p in package} & FORBIDDEN
    assert not {s.split(".")[0] for s in seen} & {"duckdb", "sqlglot", "pandas", "polars"}, seen
