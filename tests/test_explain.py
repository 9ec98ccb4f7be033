"""`idxc explain` and `idxc debug`: what a reviewer reads before the SQL."""

from __future__ import annotations

import pytest

import idxlang
from conftest import SPECS, idxc
from idxlang.explain import explain


def test_explain_shows_each_output_as_a_tree_down_to_the_data():
    text = explain(idxlang.load(SPECS / "innovation_competitiveness.idx").model)
    lines = text.splitlines()
    assert lines[0] == "innovation_competitiveness: Innovation competitiveness of Russian regions"
    assert "output regions by region, year  (innovation_competitiveness.idx:61)" in lines
    # a definition: grain, spec line, its statement; then what it reads, down to the data with docs
    at = lines.index("├─ activity  region × year  innovation_competitiveness.idx:32")
    assert lines[at + 1].lstrip("│ ").startswith("let activity = mean(leader_pct(rd_costs),")
    assert '│  ├─ rd_costs  column of table regions  "R&D costs"' in lines
    # params with their value, line and doc; a definition met again is referred to
    assert any('param w_activity = 1  innovation_competitiveness.idx:45  "Weight of innovation activity' in ln
               for ln in lines)
    assert "│  ├─ activity  region × year  (see above, innovation_competitiveness.idx:32)" in lines
    # each output's own columns are its own: districts' class is not the regions' class
    assert "└─ class  district × year  innovation_competitiveness.idx:66" in lines


def test_explain_shows_doc_strings_of_definitions(write):
    path = write("s.idx", 'table t: e by y from "t.csv"\n  x "Exports"\nlet s = x * 2 "Twice the exports"\n'
                          "output by e, y: s\n")
    text = explain(idxlang.load(path).model)
    assert '"Twice the exports"' in text and 'column of table t  "Exports"' in text


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.idx")), ids=lambda p: p.stem)
def test_explain_and_every_debug_stage_run_from_the_command_line(path):
    proc = idxc("explain", str(path))
    assert proc.returncode == 0 and proc.stdout.count("\noutput ") == len(idxlang.load(path).outputs), proc.stderr
    for stage, mark in (("ast", "Table name="), ("model", "\nlet "), ("core", "\nlet "), ("plan", "Read "),
                        ("sql", "SELECT")):
        proc = idxc("debug", stage, str(path))
        assert proc.returncode == 0 and mark in proc.stdout, (stage, proc.stderr)


def test_debug_plan_shows_the_passes_at_work():
    proc = idxc("debug", "plan", str(SPECS / "innovation_competitiveness.idx"))
    out = proc.stdout
    assert "Aggregate reductions_by_year at year [year] <- regions" in out  # the ten leaders, one GROUP BY
    assert "stage score:" in out and "(read by regions, districts)" in out  # computed once for both outputs
    assert "count rd_costs (max(rd_costs over region), line 32) <- reductions_by_year" in out  # counted there


def test_debug_of_a_bad_spec_is_a_clear_error(write):
    path = write("bad.idx", 'table t: e by y\n  x\noutput by e, y: x +\n')
    proc = idxc("debug", "plan", str(path))
    assert proc.returncode == 2 and "syntax error" in proc.stderr and "Traceback" not in proc.stderr
