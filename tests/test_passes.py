"""Each optimisation pass alone, on a plan the planner made: what it changes in the
plan, and that the run gives the same tables and the same counts of skipped values
with it as without it (planning/passes/)."""

from __future__ import annotations

import math

import pytest

import idxlang
from idxlang.planning import steps
from idxlang.semantics import model as sem
from idxlang.compile import Compiled, core, script
from idxlang.data.sources import resolve_sources
from idxlang.planning.passes import PASSES
from idxlang.plan import plan as make_plan
from idxlang.run import execute
from idxlang.sql.trees import to_sql

PANEL = "firm,year,kind,x,y\nA,2014,k,2,10\nB,2014,m,4,\nC,2014,k,,5\nA,2015,k,1,1\nB,2015,m,3,3\n"
SPEC = """table p: firm by year from "panel.csv"
  kind attribute
  x, y
"""


def planned(write, text: str) -> tuple[idxlang.Spec, sem.Model, steps.Plan]:
    write("panel.csv", PANEL)
    spec = idxlang.load(write("s.idx", SPEC + text))
    model = core(spec.model)
    return spec, model, make_plan(model, spec.outputs)


def run(spec: idxlang.Spec, model: sem.Model, plan: steps.Plan):  # type: ignore[no-untyped-def]
    compiled = Compiled(spec.model, model, plan, tuple(script(plan, model)))
    return execute(compiled, resolve_sources(spec.model, None))


def same_results(spec, model, before: steps.Plan, after: steps.Plan) -> None:  # type: ignore[no-untyped-def]
    a, b = run(spec, model, before), run(spec, model, after)
    for name in spec.outputs:
        for x, y in zip(a.tables[name].to_pylist(), b.tables[name].to_pylist(), strict=True):
            for k in x:
                assert x[k] == y[k] or math.isclose(x[k], y[k], rel_tol=1e-12), (name, k)
    counts = lambda r: sorted((s.label, s.line, s.cells, s.missing) for s in r.skipped)  # noqa: E731
    assert counts(a) == counts(b)


def by_kind(plan: steps.Plan, kind: type) -> list:  # type: ignore[type-arg]
    return [s for s in plan.steps.values() if isinstance(s, kind)]


def test_the_passes_run_in_their_listed_order():
    assert [name for name, _ in PASSES] == ["dedupe", "pool_reductions", "pool_groups", "rewind_tallies",
                                                   "fold_tallies", "report_outputs", "share"]


def test_pool_reductions_makes_two_windows_one_group_by(write):
    spec, model, before = planned(write, "let rx = x / max(x over firm)\nlet ry = y / max(y over firm)\n"
                                         "output by firm, year: rx, ry\n")
    after = dict(PASSES)["pool_reductions"](before)
    windows = lambda p: [n for _, c in steps.walk_steps(p) for n in sem.walk(c.expr)  # noqa: E731
                         if isinstance(n, sem.Reduce)]
    assert len(windows(before)) == 2 and not by_kind(before, steps.Aggregate)
    (pool,) = by_kind(after, steps.Aggregate)
    assert len(pool.columns) == 2 and pool.grain.dims == ("year",)
    assert [len(d.joins) for d in by_kind(after, steps.Derive)] == [1]
    same_results(spec, model, before, after)


def test_pool_groups_reads_the_rows_once_but_never_itself(write):
    spec, model, before = planned(write, "let a = sum(x over firm)\nlet b = max(y over firm) * 2\nlet dev = x - a\n"
                                         "let v = sum(dev over firm)\noutput by year: a, b, v\n")
    after = dict(PASSES)["pool_groups"](before)
    assert len(by_kind(before, steps.Aggregate)) == 3
    pool = next(s for s in by_kind(after, steps.Aggregate) if s.name.startswith("reductions_by"))
    assert {c.name for c in pool.columns} == {"b", "v"}  # `a` feeds dev, which the pool reads
    (merged,) = by_kind(after, steps.Merge)  # both columns merged into the year's rows at once
    assert set(merged.columns) == {"b", "v"} and merged.pool == pool.name
    same_results(spec, model, before, after)


def test_dedupe_makes_equal_steps_one(write):
    # the two outputs merge different reductions into `year`, so each has its own
    # steps there; the sum of x they both show is the same GROUP BY in both
    spec, model, before = planned(write, "let s = sum(x over firm)\noutput one by year: s\n"
                                         "output two by year: s, max(y over firm) as m\n")
    after = dict(PASSES)["dedupe"](before)
    sums = lambda p: [s for s in by_kind(p, steps.Aggregate) if any(c.name == "s" for c in s.columns)]  # noqa: E731
    assert len(sums(before)) == 2 and len(sums(after)) == 1
    same_results(spec, model, before, after)


def test_pool_groups_joins_a_pool_once(write):
    """Two GROUP BYs a row-wise column joins, pooled and their merges collapsed into
    one: the column joins the pool once (it joined it twice, an alias DuckDB refused)."""
    spec, model, before = planned(write, "let m = mean(x over firm)\nlet s = sum(x over firm)\n"
                                         "output one by firm, year: x - m as d, x - s as e\noutput two by year: m, s\n")
    after = dict(PASSES)["pool_groups"](before)
    (derive,) = by_kind(after, steps.Derive)
    assert len(derive.joins) == 1 and set(derive.joins[0].columns) == {"m", "s"}
    assert len(by_kind(before, steps.Derive)[0].joins) == 2
    same_results(spec, model, before, after)
    assert idxlang.load(write("s.idx", SPEC + "let m = mean(x over firm)\nlet s = sum(x over firm)\n"
                                     "output one by firm, year: x - m as d, x - s as e\noutput two by year: m, s\n")).run()


def test_share_computes_what_two_statements_need_once(write):
    spec, model, before = planned(write, "let s = x / max(x over firm) + mean(y over firm)\n"
                                         "output firms by firm, year: s\noutput kinds by kind, year: mean(s by kind) as m\n")
    after = dict(PASSES)["share"](before)
    assert before.stages == () and len(after.stages) == 1
    (stage,) = after.stages
    assert stage.consumers == ("firms", "kinds") and "s" in stage.columns
    same_results(spec, model, before, after)


def test_share_stages_no_row_wise_arithmetic_on_the_data(write):
    """`x / y` on the file's rows, read by two outputs, is computed by each (the data
    is scanned again, as a plain read would be), not copied with the data into a stage."""
    spec, model, before = planned(write, "let r = x / y\noutput a by firm, year: r\n"
                                         "output b by kind, year: sum(r by kind) as s\n")
    after = dict(PASSES)["share"](before)
    assert after.stages == ()
    same_results(spec, model, before, after)


def test_each_statement_reads_only_the_columns_it_shows(write):
    """trim (per statement, after the passes): output a reads x alone from the file and
    output b y alone, though the plan's read of the file has both; the Derive computing
    b's column is kept in b's statement, a's in a's, and the results are the same."""
    spec, model, plan = planned(write, "let rx = x * 2\nlet ry = y * 3\noutput a by firm, year: rx\n"
                                       "output b by firm, year: ry\n")
    (read,) = by_kind(plan, steps.Read)
    assert set(read.table.columns) == {"x", "y"}
    statements = {st.output: to_sql(st.tree) for st in script(plan, model) if st.output}
    assert '"x"' in statements["a"] and '"y"' not in statements["a"] and '"ry"' not in statements["a"]
    assert '"y"' in statements["b"] and '"x"' not in statements["b"] and '"rx"' not in statements["b"]
    got = run(spec, model, plan)
    rows = {(r["firm"], r["year"]): r for r in got.tables["a"].to_pylist()}
    assert rows[("A", 2014)]["rx"] == 4 and rows[("C", 2014)]["rx"] is None
    assert [r["ry"] for r in got.tables["b"].to_pylist()] == [30, 3, None, 9, 15]


def test_a_derive_left_with_nothing_is_read_through(write):
    """A statement that reads none of a Derive's columns reads its source instead:
    output b shows y only, and the step computing rx (for output a) is not in its SQL."""
    spec, model, plan = planned(write, "let rx = x * 2\nlet t = rx + y\noutput a by firm, year: rx, t\n"
                                       "output b by firm, year: y\n")
    statements = {st.output: to_sql(st.tree) for st in script(plan, model) if st.output}
    assert '"rx"' not in statements["b"] and '"x"' not in statements["b"]
    assert [r["y"] for r in run(spec, model, plan).tables["b"].to_pylist()] == [10, 1, None, 3, 5]


def test_rewind_tallies_counts_over_the_first_step_with_what_is_counted(write):
    spec, model, before = planned(write, "let a = x * 2\nlet b = a + y\nlet c = b / max(b over firm) + mean(x over firm)\n"
                                         "let d = sum(x ?? 0 over firm)\noutput one by firm, year: c\noutput two by year: d\n")
    after = dict(PASSES)["rewind_tallies"](before)
    found = {t.label: t for t in after.tallies}
    table = next(st.name for st in by_kind(after, steps.Read))
    b_layer = next(st.name for st in by_kind(after, steps.Derive) if any(c.name == "b" for c in st.columns))
    assert found["mean(x over firm)"].source == table  # x is a column of the table
    assert found["max(b over firm)"].source == b_layer  # the first step that has b
    assert found["sum(x ?? 0 over firm)"].source == table and found["sum(x ?? 0 over firm)"].joins == ()
    assert any(t.source != table for t in before.tallies if t.label == "mean(x over firm)")
    same_results(spec, model, before, after)


def test_fold_tallies_counts_in_the_group_by_that_reduces_the_rows(write):
    spec, model, before = planned(write, "let rx = x / max(x over firm)\nlet ry = y / max(y over firm)\n"
                                         "let m = mean(x over year in 2014..2014)\n"
                                         "output by firm, year: rx, ry\noutput firms by firm: m\n")
    pooled = dict(PASSES)["pool_reductions"](before)
    after = dict(PASSES)["fold_tallies"](pooled)
    pool = next(st for st in by_kind(after, steps.Aggregate) if st.name.startswith("reductions_by"))
    counted = {t.label: t for t in after.tallies if t.counted}
    assert set(counted) == {"max(x over firm)", "max(y over firm)", "mean(x over year in 2014..2014)"}
    assert counted["max(x over firm)"].source == pool.name
    assert {c for t in counted.values() for c in t.counted} <= {c.name for st in by_kind(after, steps.Aggregate)
                                                                for c in st.columns}
    same_results(spec, model, pooled, after)  # counts equal, within a period range too


def test_report_outputs_names_every_output_that_shows_a_reduction(write):
    """Output two reaches the mean through a GROUP BY of its own (beside the sum), which
    the planner did not credit: its count named output one only. A count that three
    quantiles share (their n) is credited to none of the outputs of another."""
    spec, model, before = planned(write, "let m = mean(x over firm)\nlet k = sum(x over firm)\n"
                                         "let q = quantile(x, 0.25 over firm)\n"
                                         "output one by year: m, q\noutput two by year: m, k\n"
                                         "output three by firm, year: clip(y, 0.1, 0.9) as c\n")
    after = dict(PASSES)["report_outputs"](before)
    outputs = lambda p: {t.label: t.outputs for t in p.tallies}  # noqa: E731
    assert outputs(before)["mean(x over firm)"] == ("one",)
    assert outputs(after) == {"mean(x over firm)": ("one", "two"), "sum(x over firm)": ("two",),
                              "quantile(x, 0.25 over firm)": ("one",), "quantile(y, 0.1 over firm)": ("three",),
                              "quantile(y, 0.9 over firm)": ("three",)}
    same_results(spec, model, before, after)


@pytest.mark.parametrize("rule", [rule for _, rule in PASSES], ids=[name for name, _ in PASSES])
def test_a_pass_with_nothing_to_do_returns_the_plan_unchanged(write, rule):
    _, _, before = planned(write, "output by firm, year: x\n")
    assert rule(before) == before
