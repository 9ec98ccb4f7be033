"""Screening (issue 5): entities with too little data are dropped from every table
with their entity axis before anything is computed, and reported by name."""

from __future__ import annotations

import pytest

import idxlang
from conftest import idxc

PANEL = "r,y,a,b\nA,1,1,2\nA,2,2,\nB,1,,\nB,2,3,\nC,1,4,5\nC,2,5,6\n"
EXTRA = "r,z\nA,10\nB,20\nC,30\n"
SPEC = """table t: r by y from "p.csv"
  a, b
table size: r from "size.csv"
  z
{screen}
output by r, y: a, b, a / mean(a over r) as rel, z
"""


def run(write, screen: str):
    write("p.csv", PANEL)
    write("size.csv", EXTRA)
    spec = idxlang.load(write("s.idx", SPEC.format(screen=screen)))
    return spec.run()


def test_an_entity_below_the_threshold_is_dropped_everywhere_and_named(write):
    result = run(write, "screen t: availability >= 0.7")
    rows = result.tables["s"].to_pylist()
    assert sorted({r["r"] for r in rows}) == ["A", "C"]  # B has 1 of 4 cells: 0.25
    assert {r["z"] for r in rows} == {10, 30}  # the other table at r is screened too
    a_values = {(r["r"], r["y"]): r["rel"] for r in rows}
    assert a_values[("A", 1)] == pytest.approx(1 / ((1 + 4) / 2))
    assert a_values[("C", 2)] == pytest.approx(5 / ((2 + 5) / 2))  # B's 3 is out of year 2's mean
    ((dropped),) = result.screened
    screen, entity, share = dropped.screen, dropped.entity, dropped.availability
    assert entity == "B" and share == pytest.approx(0.25) and screen.columns == ("a", "b")


def test_screening_on_named_columns(write):
    result = run(write, "screen t: availability >= 0.5 of a")
    assert [d.entity for d in result.screened] == []  # every region has half its a's
    result = run(write, "screen t: availability >= 0.75 of a")
    assert [(d.entity, d.availability) for d in result.screened] == [("B", 0.5)]


def test_the_command_line_reports_the_screened_entities(write):
    write("p.csv", PANEL)
    write("size.csv", EXTRA)
    proc = idxc("run", str(write("s.idx", SPEC.format(screen="screen t: availability >= 0.7"))))
    assert proc.returncode == 0, proc.stderr
    assert "screened out of t: B (availability 0.25 < 0.7 over a, b)" in proc.stderr


@pytest.mark.parametrize("screen, message", [
    ("screen tt: availability >= 0.7", "unknown table 'tt'"),
    ("screen t: availability >= 1.5", "above 0 and at most 1"),
    ("screen t: availability >= 0.5 of c", "'c' is not a numeric column of table t"),
    ("screen size: availability >= 0.5\nscreen t: availability >= 0.5", "screened twice"),
])
def test_screen_errors(write, screen, message):
    write("p.csv", PANEL)
    write("size.csv", EXTRA)
    with pytest.raises(idxlang.IdxError, match=message):
        idxlang.load(write("s.idx", SPEC.format(screen=screen)))
