"""`idxc fmt` (issue 12): one canonical layout. Formatting keeps the syntax tree (spans
aside), every comment and doc string, and the lines; formatting twice changes nothing;
every spec in specs/ is formatted."""

from __future__ import annotations

import re

import pytest

from conftest import ROOT, SPECS, idxc
from idxlang.tools.fmt import _shape, format_spec
from idxlang.parse import parse

CORPUS = sorted(SPECS.glob("*.idx")) + sorted((ROOT / "tests" / "corpus").glob("*.idx"))

MESSY = '''index  demo   "A demo"
table t:region by year   from "t.csv"
    district attribute "District"
    x "Exports"   # in bn
    population_total   "People"
param w=2"Weight"
def share( x )=x/max( x over region )*100
let s = round( mean(share(x) : w , share(population_total)present 1) ,2)   # the score
let d = - s+lag( s ,2) ?? -1
scale band
        "A"(50,inf)"High"
  "B"     [0 , 50]   "Low"
output by region,year : s , classify(s,band) as class,mean(s over year in 2019 .. 2020)as m
'''

WANT = '''index demo "A demo"
table t: region by year from "t.csv"
  district attribute  "District"
  x                   "Exports"  # in bn
  population_total    "People"
param w = 2 "Weight"
def share(x) = x / max(x over region) * 100
let s = round(mean(share(x): w, share(population_total) present 1), 2)  # the score
let d = -s + lag(s, 2) ?? -1
scale band
  "A" (50, inf)  "High"
  "B" [0, 50]    "Low"
output by region, year: s, classify(s, band) as class, mean(s over year in 2019..2020) as m
'''


def test_a_messy_spec_gets_the_canonical_layout() -> None:
    assert format_spec(MESSY) == WANT


@pytest.mark.parametrize("path", CORPUS, ids=lambda p: p.stem)
def test_formatting_keeps_the_tree_the_comments_and_the_lines_and_is_stable(path) -> None:
    text = path.read_text(encoding="utf-8")
    once = format_spec(text, str(path))
    assert format_spec(once, str(path)) == once
    assert _shape(parse(once)) == _shape(parse(text))
    comments = lambda t: [c.strip() for c in re.findall(r"#[^\n]*", re.sub(r'"(?:[^"\\\n]|\\.)*"', '""', t))]  # noqa: E731
    assert comments(once) == comments(text)
    assert len(once.rstrip("\n").splitlines()) <= len(text.rstrip("\n").splitlines())


def test_every_spec_in_the_library_is_formatted() -> None:
    proc = idxc("fmt", "--check", *(str(p) for p in sorted(SPECS.glob("*.idx"))))
    assert proc.returncode == 0, proc.stdout + proc.stderr


def test_check_shows_the_diff_and_write_rewrites_in_place(write) -> None:
    path = write("s.idx", MESSY)
    check = idxc("fmt", "--check", str(path))
    assert check.returncode == 1 and "-param w=2\"Weight\"" in check.stdout and '+param w = 2 "Weight"' in check.stdout
    printed = idxc("fmt", str(path))
    assert printed.returncode == 0 and printed.stdout == WANT and path.read_text(encoding="utf-8") == MESSY
    written = idxc("fmt", "--write", str(path))
    assert written.returncode == 0 and path.read_text(encoding="utf-8") == WANT
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # written through a temporary file


def test_a_spec_that_does_not_parse_is_reported_not_formatted(write) -> None:
    path = write("bad.idx", "let x = (1 +\n")
    proc = idxc("fmt", "--write", str(path))
    assert proc.returncode == 2 and "bad.idx:" in proc.stderr and "^" in proc.stderr
    assert path.read_text(encoding="utf-8") == "let x = (1 +\n"
