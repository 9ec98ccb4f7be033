"""`idxc diff OLD NEW` (issue 24): the statements that changed, the SQL that changed,
and the results that moved, checked against the two versions run on their own."""

from __future__ import annotations

import subprocess

import pytest

import idxlang
from conftest import SPECS, idxc
from idxlang.tools import diff

SOURCE = (SPECS / "composite_example.idx").read_text(encoding="utf-8").replace('from "demo/', f'from "{SPECS}/demo/')


def versions(tmp_path):
    old = tmp_path / "old.idx"
    old.write_text(SOURCE, encoding="utf-8")
    new_text = SOURCE.replace("param w_innovation = 0.4", "param w_innovation = 0.6") \
        .replace("let economy = mean(s_gdp, s_unemployment present 1)", "let economy = mean(s_gdp, s_gdp, s_unemployment present 1)") \
        .replace("param w_economy = 0.3", "param w_economy = 0.1")
    assert new_text.count("0.6") > SOURCE.count("0.6")
    new = tmp_path / "new.idx"
    new.write_text(new_text + '\nlet spare = 1 "a definition no output uses"\n', encoding="utf-8")
    return old, new


def test_the_statements_that_changed_by_name(tmp_path) -> None:
    old, new = versions(tmp_path)
    found = diff.changes(idxlang.load(old).module, idxlang.load(new).module)
    assert [(c.what, c.kind, c.name) for c in found] == [
        ("changed", "param", "w_innovation"), ("changed", "param", "w_economy"), ("changed", "let", "economy"),
        ("added", "let", "spare")]
    economy = next(c for c in found if c.name == "economy")
    assert economy.old.text == "let economy = mean(s_gdp, s_unemployment present 1)" and economy.old.line == 47
    assert economy.new.text == "let economy = mean(s_gdp, s_gdp, s_unemployment present 1)"
    # spacing, comments and blank lines are not a change
    same = tmp_path / "same.idx"
    same.write_text(SOURCE.replace("let economy = mean(s_gdp, s_unemployment present 1)",
                                   "# reworded\nlet economy = mean( s_gdp,  s_unemployment present 1 )  # pillar 2"),
                    encoding="utf-8")
    assert diff.changes(idxlang.load(old).module, idxlang.load(same).module) == []


def test_the_rank_changes_are_those_of_the_two_runs(tmp_path) -> None:
    old, new = versions(tmp_path)
    a, b = idxlang.load(old), idxlang.load(new)
    effects = {o.name: o for o in diff.results(a, b)}
    before = {(r["region"], r["year"]): r for r in a.table("scores").to_pylist()}
    after = {(r["region"], r["year"]): r for r in b.table("scores").to_pylist()}
    moved = {k: (before[k]["place"], after[k]["place"]) for k in after if before[k]["place"] != after[k]["place"]}
    place = next(c for c in effects["scores"].columns if c.column == "place")
    assert {x.key: (x.old, x.new) for x in place.changed} == moved and moved  # every move, no other
    deltas = [abs(x.delta) for x in place.changed]
    assert deltas == sorted(deltas, reverse=True)  # largest first
    index = next(c for c in effects["scores"].columns if c.column == "index")
    assert len(index.changed) == sum(1 for k in after if before[k]["index"] != after[k]["index"]) > 0
    assert not effects["scores"].only_old and not effects["scores"].only_new
    assert all(not c.changed for c in effects["indicators"].columns)  # the indicators do not depend on weights


def test_the_command_prints_method_sql_and_results(tmp_path) -> None:
    old, new = versions(tmp_path)
    proc = idxc("diff", str(old), str(new), "--top", "3")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert "method: 4 statement(s) changed" in out
    assert "changed param w_innovation  (line 19), reaches output scores" in out
    assert "- param w_innovation = 0.4" in out and "+ param w_innovation = 0.6" in out
    sql = out[out.index("\nsql: "):out.index("\nresults:")]
    assert "-        CAST('0.4' AS DOUBLE) /* w_innovation */" in sql and "+        CAST('0.6' AS DOUBLE) /* w_innovation */" in sql
    assert "old.idx" not in sql.split("\n", 3)[-1]  # the files' names and spec lines are not shown as changes
    assert "output scores (by region, year):" in out and "place: " in out and "largest first" in out
    assert "output indicators (by region, year): the same rows and values" in out
    same = idxc("diff", str(old), str(old), "--no-run")
    assert "method: no statement changed" in same.stdout and "sql: 0 line(s) changed" in same.stdout


def test_a_git_revision_is_the_old_version(tmp_path) -> None:
    spec = tmp_path / "spec.idx"
    spec.write_text(SOURCE, encoding="utf-8")
    git = lambda *a: subprocess.run(["git", *a], cwd=tmp_path, check=True, capture_output=True)  # noqa: E731
    git("init", "-q")
    git("-c", "user.email=t@t", "-c", "user.name=t", "add", "spec.idx")
    git("-c", "user.email=t@t", "-c", "user.name=t", "commit", "-qm", "first")
    spec.write_text(SOURCE.replace("param w_environment = 0.3", "param w_environment = 0.5"), encoding="utf-8")
    proc = idxc("diff", f"HEAD:{spec}", str(spec), "--no-run")
    assert proc.returncode == 0, proc.stderr
    assert "method: 1 statement(s) changed" in proc.stdout and "changed param w_environment" in proc.stdout
    bad = idxc("diff", f"NOPE:{spec}", str(spec))
    assert bad.returncode == 2 and "cannot read NOPE:" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize("old", ["missing.idx", ""])
def test_a_missing_old_spec_is_a_clear_error(old, tmp_path) -> None:
    proc = idxc("diff", str(tmp_path / old) if old else "", str(SPECS / "composite_example.idx"))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
