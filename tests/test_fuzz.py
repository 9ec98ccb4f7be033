"""Fuzzing the front end (issue 13): every input ends in a result or in a diagnostic
naming file, line and column; never a Python exception, a RecursionError or a hang
(bench/fuzz.py sets a per-input timeout). A short run here, on hypothesis's inputs; the
long one is `python -m bench --fuzz 5000` (its outcome in docs/reliability.md)."""

from __future__ import annotations

import random

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import idxlang
from bench.fuzz import generated, library, mutate, outcome
from conftest import ROOT, SPECS, idxc

LIBRARY = library()
QUICK = settings(max_examples=80, deadline=None, database=None, suppress_health_check=list(HealthCheck))


@QUICK
@given(st.sampled_from(LIBRARY), st.integers(0, 2**32 - 1))
def test_mutants_of_the_library_specs(spec, seed) -> None:
    path, text = spec
    found = outcome(mutate(text, random.Random(seed)), str(path.with_name("fuzzed.idx")))
    assert found.kind != "failure", found.detail


@QUICK
@given(st.integers(0, 2**32 - 1))
def test_specs_generated_from_the_grammar(seed) -> None:
    found = outcome(generated(random.Random(seed)), str(SPECS / "generated.idx"))
    assert found.kind != "failure", found.detail


@QUICK
@given(st.text(max_size=400))
def test_any_text(text) -> None:
    assert outcome(text, "any.idx").kind != "failure"


@settings(max_examples=6, deadline=None, database=None, suppress_health_check=list(HealthCheck))
@given(st.sampled_from(LIBRARY), st.integers(0, 2**32 - 1))
def test_mutants_that_check_also_run_or_report(spec, seed) -> None:
    path, text = spec
    found = outcome(mutate(text, random.Random(seed)), str(path.with_name("fuzzed.idx")), run=True)
    assert found.kind != "failure", found.detail


NEST = 'table t: e by y from "t.csv"\n  c0\nlet deep = {body}\noutput by e, y: deep\n'


@pytest.mark.parametrize("depth,ok", [(499, True), (501, False)])
def test_500_deep_nesting_runs_and_deeper_is_a_diagnostic(write, depth, ok) -> None:
    write("t.csv", "e,y,c0\nA,2020,1\nB,2020,2\n")
    spec = write("s.idx", NEST.format(body="abs(" * depth + "c0" + ")" * depth))
    proc = idxc("run", str(spec))
    if ok:
        assert proc.returncode == 0 and "A" in proc.stdout, proc.stderr[-500:]
    else:
        assert proc.returncode == 2 and "s.idx:3:1: error: an expression nested more than 500 deep" in proc.stderr


@pytest.mark.parametrize("text,message", [
    ("let x = 99999999999999999999999999999999999999" + "9" * 400 + "\n", "1:9: error: the number"),
    ("let x = 1e400\n", "1:9: error: the number 1e400 is out of range"),
    ("let " + "n" * 10000 + " = z\n", "unknown name 'z'"),
    ("let a = b\nlet b = a\noutput: a\n", "cycle"),
    ("let a = a + 1\noutput: a\n", "cycle"),
    ("let a = 1\nlet a = 2\n", "'a' is already"),
    ("let a = frobnicate(1)\n", "unknown function 'frobnicate'"),
    ("let a = ln(1, 2, 3)\n", "ln"),
])
def test_a_bad_spec_gets_a_placed_diagnostic(write, text, message) -> None:
    proc = idxc("check", str(write("s.idx", text)))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and message in proc.stderr, proc.stderr
    assert "s.idx:" in proc.stderr


def test_crlf_and_a_bom_read_as_the_plain_text() -> None:
    path = SPECS / "innovation_competitiveness.idx"
    text = path.read_text(encoding="utf-8")
    plain = idxlang.loads(text, path=str(path)).script()
    assert idxlang.loads("\ufeff" + text.replace("\n", "\r\n"), path=str(path)).script() == plain


def _from_grammar():
    """Texts derived from grammar/idx.lark itself (hypothesis.extra.lark): each a
    sequence of the grammar's tokens in an order its rules allow."""
    from hypothesis.extra.lark import from_lark
    from lark import Lark

    grammar = Lark((ROOT / "grammar" / "idx.lark").read_text(encoding="utf-8"), parser="lalr", lexer="contextual")
    return from_lark(grammar, start="start", explicit={"_LINE": st.just("\n  "),
                                                       "_NL": st.sampled_from(["\n", "\n\n", "  # note\n"])})


@QUICK
@given(_from_grammar())
def test_texts_derived_from_the_grammar(text) -> None:
    assert outcome(text, "grammar.idx").kind != "failure"
