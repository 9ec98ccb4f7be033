"""`idxc explain` and `idxc debug`: what a reviewer reads before the SQL."""

from __future__ import annotations

import pytest

import idxlang
from conftest import SPECS, idxc
from idxlang.tools.explain import explain


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
    assert "└─ class = districts_class  district × year  innovation_competitiveness.idx:66" in lines


def test_explain_shows_doc_strings_of_definitions(write):
    path = write("s.idx", 'table t "Trade": e by y from "t.csv"\n  x "Exports"\nlet s = x * 2 "Twice the exports"\n'
                          "output by e, y: s\n")
    text = explain(idxlang.load(path).model)
    assert '"Twice the exports"' in text and 'column of table t (Trade)  "Exports"' in text


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.idx")), ids=lambda p: p.stem)
def test_explain_and_every_debug_stage_run_from_the_command_line(path, capsys):
    """The command line's own entry point, in this process (a process each is slow)."""
    from idxlang.cli import main

    assert main(["explain", str(path)]) == 0
    assert capsys.readouterr().out.count("\noutput ") == len(idxlang.load(path).outputs)
    for stage, mark in (("ast", "Table name="), ("model", "\nlet "), ("core", "\nlet "), ("plan", "Read "),
                        ("sql", "SELECT")):
        assert main(["debug", stage, str(path)]) == 0
        assert mark in capsys.readouterr().out, stage


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


def _statements(text: str, arrow: str) -> tuple[set[str], list[tuple[str, str]]]:
    """The node ids declared and the edges drawn, read off a dot or Mermaid text."""
    import re

    if arrow == "->":
        nodes = set(re.findall(r'^  "((?:[^"\\]|\\.)*)" \[label=', text, flags=re.M))
        edges = re.findall(r'^  "((?:[^"\\]|\\.)*)" -> "((?:[^"\\]|\\.)*)";$', text, flags=re.M)
    else:
        nodes = set(re.findall(r"^  (n\d+)[\[(]", text, flags=re.M))
        edges = re.findall(r"^  (n\d+) --> (n\d+)$", text, flags=re.M)
    return nodes, edges


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.idx")), ids=lambda p: p.stem)
@pytest.mark.parametrize("fmt,arrow", [("dot", "->"), ("mermaid", "-->")])
def test_explain_as_a_graph(path, fmt, arrow):
    """Every edge joins declared nodes; every output and definition is a node; each line
    is a node, an edge or the frame (so no label broke out of its quotes)."""
    from idxlang.tools.explain import graph

    proc = idxc("explain", str(path), "--format", fmt)
    assert proc.returncode == 0, proc.stderr
    nodes, edges = _statements(proc.stdout, arrow)
    model = idxlang.load(path).model
    want, links = graph(model)
    assert len(nodes) == len(want) and len(edges) == len(links) and edges
    assert all(a in nodes and b in nodes for a, b in edges)
    frame = 4 if fmt == "dot" else 1
    assert len(proc.stdout.strip().splitlines()) == frame + len(nodes) + len(edges)
    assert {f"output:{o}" for o in model.outputs} <= set(want)


def test_graph_labels_with_quotes_stay_quoted(write):
    path = write("s.idx", 'table t: e by y from "t.csv"\n  x "the \\"raw\\" value <x> & more"\n'
                          "let s = x * 2\noutput by e, y: s\n")
    dot = idxc("explain", str(path), "--format", "dot").stdout
    mermaid = idxc("explain", str(path), "--format", "mermaid").stdout
    assert r'[label="x\ncolumn of table t  \"the \"raw\" value <x> & more\"", shape=cylinder' in dot
    assert "#quot;the #quot;raw#quot; value #lt;x#gt; #amp; more#quot;" in mermaid and '"raw"' not in mermaid


def test_doc_strings_reach_the_sql(write):
    """A table's, a column's, a param's and a definition's doc string, each beside what it
    documents in `idxc sql`; a doc holding `*/` or a newline cannot end its comment."""
    path = write("s.idx", 'index demo "A demo index"\n'
                          'table t "Regional accounts */ DROP TABLE x; /*": e by y from "t.csv"\n'
                          '  x "Exports, bn"\n'
                          'param w = 2 "Weight of exports\\n-- not a statement"\n'
                          'let s = x * w "Weighted exports"\n'
                          'output by e, y: s\n')
    sql = idxc("sql", str(path)).stdout
    lines = sql.splitlines()
    assert lines[0] == "-- demo: A demo index (s.idx, duckdb)"
    assert lines[1].startswith('-- param w = 2 "Weight of exports') and lines[2] == ""  # the newline folded
    assert 'NULLIF(CAST("x" AS DOUBLE), CAST(\'NaN\' AS DOUBLE)) AS "x" /* Exports, bn */' in sql
    assert 'let s = x * w "Weighted exports" */' in sql
    assert '/* table t: e by y "Regional accounts * / DROP TABLE x; / *" */' in sql
