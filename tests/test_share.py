"""What several statements of a run need is computed once (planning/passes/share.py). Sharing
must never change a result: every library spec and bench scenario gives the same
tables and the same skipped-value counts as running each output on its own."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import idxlang
from conftest import ROOT, SPECS, idxc
from idxlang.planning import steps

BENCH_SPECS = ROOT / "bench" / "specs"


def _same(a, b) -> bool:
    """Cell-by-cell equality; floats to 1e-12 relative (the same arithmetic, reordered)."""
    if a.column_names != b.column_names or a.num_rows != b.num_rows:
        return False
    for x, y in zip(a.to_pylist(), b.to_pylist()):
        for k in x:
            u, v = x[k], y[k]
            if isinstance(u, float) and isinstance(v, float):
                if not math.isclose(u, v, rel_tol=1e-12, abs_tol=1e-12):
                    return False
            elif u != v:
                return False
    return True


def _counts(result) -> set:
    return {(s.label, s.line, s.cells, s.missing) for s in result.skipped}


def _compare(spec, data=None) -> None:
    shared = spec.run(data)
    alone = spec.run(data, share=False)
    for name in spec.outputs:
        assert _same(shared.tables[name], alone.tables[name]), name
    assert _counts(shared) == _counts(alone)


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.idx")), ids=lambda p: p.stem)
def test_sharing_changes_no_result_of_the_library(path):
    _compare(idxlang.load(path))


@pytest.fixture(scope="module")
def bench_panel(tmp_path_factory) -> Path:
    from bench.panel import PanelShape, write

    folder = tmp_path_factory.mktemp("panel")
    write(PanelShape(entities=120, periods=6, districts=7, missing=0.1), folder)
    return folder


@pytest.mark.parametrize("name", ["innovation", "import_substitution"])
def test_sharing_changes_no_result_of_the_bench_scenarios(name, bench_panel):
    spec = idxlang.load(BENCH_SPECS / f"{name}.idx")
    data = {t: str(bench_panel / Path(spec.model.tables[t].source).name) for t in spec.model.tables}
    _compare(spec, data)


def test_scores_two_outputs_read_are_computed_once():
    spec = idxlang.load(SPECS / "innovation_competitiveness.idx")
    stages = spec.compile().plan.stages
    (stage,) = [st for st in stages if "score" in st.columns]
    assert {"activity", "receptivity", "score"} <= set(stage.columns) and stage.consumers == ("regions", "districts")
    script = spec.script()
    assert script.count('CREATE OR REPLACE TEMPORARY TABLE') == len(stages)
    assert script.count('MAX("rd_costs")') == 1  # the leader, once for the whole run
    # each output on its own recomputes it
    assert sum(spec.sql(o).count('MAX("rd_costs")') for o in spec.outputs) == 2


def test_one_output_without_shared_work_is_one_statement():
    """A count that reads only the input needs no stage: the script is the output's
    statement, then the counts of skipped values."""
    spec = idxlang.load(SPECS / "import_substitution.idx")
    assert spec.compile().plan.stages == ()
    header, first, *counts = spec.script().split("\n\n-- ")
    assert header.startswith("-- import_substitution: ")  # what the script computes (its params have no docs)
    assert first == "output import_substitution\n" + spec.sql() + ";"
    assert counts and all(c.startswith("missing values skipped by") for c in counts)


TWO_TABLES = """table a: firm by year from "a.csv"
  x
table b: firm by year from "b.csv"
  z
let s = x * 2 + mean(x over firm)
"""


def test_no_stage_where_it_would_change_the_rows_an_output_sees(write):
    """`two` reads table b too, so its rows at firm × year are a's and b's: `s` computed
    on a's rows would lose b's firm C. Each output computes `s` on its own rows, and
    no step of one is read by the other; results stay exact."""
    write("a.csv", "firm,year,x\nA,1,1\nB,1,2\n")
    write("b.csv", "firm,year,z\nA,1,10\nC,1,30\n")
    spec = idxlang.load(write("s.idx", TWO_TABLES + "output one by firm, year: s\noutput two by firm, year: s, z\n"))
    plan = spec.compile().plan
    computing_s = [st for st in plan.steps.values() if any(c.name == "s" for c in getattr(st, "columns", ()))]
    assert len(computing_s) == 2
    mine = {o: steps.upstream(plan.steps, steps.query_reads(q)) for o, q in plan.outputs.items()}
    assert all(st.name in mine["one"] and st.name not in mine["two"] or st.name in mine["two"] and st.name not in
               mine["one"] for st in computing_s)
    two = spec.table("two").to_pylist()
    assert [(r["firm"], r["s"], r["z"]) for r in two] == [("A", 3.5, 10), ("B", 5.5, None), ("C", None, 30)]
    _compare(spec)


def test_an_output_reading_only_the_data_reads_the_data_not_the_stage(write):
    write("a.csv", "firm,year,x\nA,1,1\nB,1,\nA,2,3\n")
    write("b.csv", "firm,year,z\nA,1,10\n")
    spec = idxlang.load(write("s.idx", TWO_TABLES + "output one by firm, year: s\noutput two by year: mean(s over firm) as m\n"
                                                    "output raw by firm, year: x\n"))
    plan = spec.compile().plan
    (stage,) = plan.stages
    # the raw column is read from the data, not copied into the stage: scanning it again
    # is cheaper than writing it
    assert "s" in stage.columns and "x" not in stage.columns and plan.outputs["raw"].source != stage.step
    _compare(spec)


def test_skipped_values_of_a_shared_definition_are_reported_once_for_its_outputs():
    result = idxlang.load(SPECS / "innovation_competitiveness.idx").run()
    leaders = [s for s in result.skipped if s.label.startswith("max(")]
    assert len(leaders) == 10 and all(s.outputs == ("regions", "districts") for s in leaders)
    assert "(outputs regions, districts)" in leaders[0].render("spec.idx")


def test_cli_sql_prints_the_script_and_standalone_statements():
    path = str(SPECS / "innovation_competitiveness.idx")
    script = idxc("sql", path)
    assert script.returncode == 0, script.stderr
    assert script.stdout.strip() == idxlang.load(path).script()
    alone = idxc("sql", path, "--standalone", "--output", "districts")
    assert alone.stdout.strip() == "-- output districts\n" + idxlang.load(path).sql("districts") + ";"
