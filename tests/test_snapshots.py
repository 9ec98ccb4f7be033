"""Snapshots of every stage of the compiler, PRQL-style: a change to the compiler shows
as a diff of reviewed text files rather than as a failing assertion somewhere else.

- `specs/*.idx` and `tests/corpus/*.idx` (one feature each), every stage in
  `idxlang.debug.STAGES`: `tests/snapshots/<stage>/<name>.txt`. The `sql` stage is
  exactly what `idxc sql SPEC` prints and `idxc run SPEC` executes.
- `tests/corpus/errors/*.idx` (one mistake each): the message a user sees,
  `tests/snapshots/errors/<name>.txt` (the warnings, for a spec that only warns).

Regenerate everything after an intended change, then review the diff:

    IDX_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py

Specs are read by their path relative to the repo root (`tests/corpus/x.idx`), whatever
the working directory, so the messages and SQL comments are the same on every machine.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import sqlglot
from sqlglot import exp

import idxlang
from conftest import ROOT, SPECS
from idxlang.ast import Module
from idxlang.compile import Compiled, load_module
from idxlang.tools.debug import STAGES, show

UPDATE = bool(os.environ.get("IDX_UPDATE_SNAPSHOTS"))
REGENERATE = "IDX_UPDATE_SNAPSHOTS=1 pytest tests/test_snapshots.py"
SNAPSHOTS = ROOT / "tests" / "snapshots"
CORPUS = ROOT / "tests" / "corpus"
LIBRARY = sorted(SPECS.glob("*.idx"))
FEATURES = sorted(CORPUS.glob("*.idx"))
GOOD = LIBRARY + FEATURES
BAD = sorted((CORPUS / "errors").glob("*.idx"))
MAX_SQL_LINES = 600  # a target of the compiler (issue 14): a spec in specs/ prints under this many lines of SQL

# Statements that repeat a CTE body today, each a known shortfall of the compiler (not
# of the spec): the test is a strict xfail, so it fails once the compiler is fixed and
# the entry is to be removed.
KNOWN_REPEATED_CTES: dict[str, str] = {}

# Bad specs on which the compiler crashes today instead of raising a user error: a strict
# xfail on that exception only. Once it is fixed, the test fails for want of a snapshot
# (or, under IDX_UPDATE_SNAPSHOTS, as XPASS): remove the entry and review the snapshot.
KNOWN_CRASHES: dict[str, type[Exception]] = {}


def rel(path: Path) -> str:
    """The path as the snapshots name it: relative to the repo, with forward slashes."""
    return path.relative_to(ROOT).as_posix()


@functools.cache
def compiled(name: str) -> tuple[idxlang.Spec, Compiled, Module]:
    """A good spec loaded, checked and compiled once per session (every stage reads it)."""
    text = (ROOT / name).read_text(encoding="utf-8")
    where = str(ROOT / name)  # a framework's metadata is read beside the spec, wherever the test runs
    spec = idxlang.loads(text, path=where)
    return spec, spec.compile(), load_module(where, text)


@functools.cache
def stage_text(name: str, stage: str) -> str:
    """One stage as `idxc debug STAGE` prints it; the files end in a newline."""
    spec, comp, module = compiled(name)
    return show(comp, module, stage) + "\n"


def diagnostics(name: str) -> str:
    """What a user is told about a bad spec: the error, or the warnings of one that compiles."""
    try:
        spec = idxlang.loads((ROOT / name).read_text(encoding="utf-8"), path=name)
        spec.compile()
    except idxlang.IdxError as err:
        return err.render() + "\n"
    assert spec.warnings, f"{name} compiles without an error or a warning: it does not belong in tests/corpus/errors/"
    return "\n\n".join(spec.warnings) + "\n"


def snapshot_path(stage: str, spec: Path) -> Path:
    """Flat per stage, so specs/ and tests/corpus/ names must not clash (checked below)."""
    return SNAPSHOTS / stage / f"{spec.stem}.txt"


def expected_snapshots() -> set[Path]:
    return {snapshot_path(st, p) for p in GOOD for st in STAGES} | {snapshot_path("errors", p) for p in BAD}


_ABSOLUTE = re.compile(r"(?<![\w.])(?:/(?:home|root|tmp|work|Users|usr|var|opt|private)/|[A-Za-z]:\\)")
_ADDRESS = re.compile(r"\b0x[0-9a-fA-F]{6,}\b")


def assert_portable(text: str, what: str) -> None:
    """Snapshot text must not depend on the machine or the run: no absolute path, no address."""
    assert str(ROOT) not in text, f"{what} names the repo's absolute path"
    assert not _ABSOLUTE.search(text), f"{what} has an absolute path: {_ABSOLUTE.search(text).group(0)!r}"  # type: ignore[union-attr]
    assert not _ADDRESS.search(text), f"{what} has a memory address: {_ADDRESS.search(text).group(0)!r}"  # type: ignore[union-attr]


def assert_matches(snapshot: Path, text: str) -> None:
    """Compare with the stored snapshot; under IDX_UPDATE_SNAPSHOTS, write it instead."""
    assert_portable(text, rel(snapshot))
    if UPDATE:
        snapshot.parent.mkdir(parents=True, exist_ok=True)
        if not snapshot.exists() or snapshot.read_text(encoding="utf-8") != text:
            snapshot.write_text(text, encoding="utf-8", newline="\n")
        return
    if not snapshot.exists():
        pytest.fail(f"no snapshot {rel(snapshot)}: create it with `{REGENERATE}`, review it and commit it", pytrace=False)
    stored = snapshot.read_text(encoding="utf-8")
    if text != stored:
        diff = "".join(difflib.unified_diff(stored.splitlines(keepends=True), text.splitlines(keepends=True),
                                            fromfile=rel(snapshot), tofile="compiler now", n=2))
        pytest.fail(f"{rel(snapshot)} differs from what the compiler makes now:\n{diff}\n"
                    f"if the change is intended: `{REGENERATE}`, then review the diff", pytrace=False)


@pytest.mark.parametrize("spec,stage", [pytest.param(p, st, id=f"{p.stem}-{st}") for p in GOOD for st in STAGES])
def test_stage_matches_snapshot(spec: Path, stage: str) -> None:
    assert_matches(snapshot_path(stage, spec), stage_text(rel(spec), stage))


def _error_case(spec: Path) -> object:
    crash = KNOWN_CRASHES.get(spec.stem)
    marks = [pytest.mark.xfail(raises=crash, strict=True, reason=f"the compiler crashes with {crash.__name__}")] if crash else []
    return pytest.param(spec, id=spec.stem, marks=marks)


@pytest.mark.parametrize("spec", [_error_case(p) for p in BAD])
def test_error_message_matches_snapshot(spec: Path) -> None:
    assert_matches(snapshot_path("errors", spec), diagnostics(rel(spec)))


def test_every_snapshot_belongs_to_a_spec() -> None:
    """A snapshot left over from a renamed or deleted spec would be reviewed for nothing."""
    stale = sorted(set(SNAPSHOTS.rglob("*.txt")) - expected_snapshots())
    if UPDATE:
        for p in stale:
            p.unlink()
        return
    assert not stale, f"snapshots without a spec (remove them, or run `{REGENERATE}`): {[rel(p) for p in stale]}"


def test_corpus_is_well_formed() -> None:
    """One feature or one mistake per file, said on its first line; names unique, since
    the snapshots of specs/ and tests/corpus/ share one folder per stage."""
    names = [p.stem for p in GOOD]
    assert len(names) == len(set(names)), "a corpus spec has the name of a spec in specs/"
    assert len(FEATURES) >= 25 and len(BAD) >= 20
    for p in FEATURES + BAD:
        first = (p.read_text(encoding="utf-8").splitlines() or [""])[0]
        assert first.startswith("# ") and len(first) > 10, f"{rel(p)}: first line should say what it exercises"


@pytest.mark.parametrize("spec", FEATURES, ids=lambda p: p.stem)
def test_corpus_spec_compiles_cleanly(spec: Path) -> None:
    """A corpus spec is valid as written: no warning (a spec that warns belongs in errors/)."""
    loaded, comp, _ = compiled(rel(spec))
    assert loaded.warnings == []
    assert any(st.output for st in comp.statements)


def _sql_snapshot(spec: Path) -> str:
    path = snapshot_path("sql", spec)
    if not path.exists():
        pytest.fail(f"no snapshot {rel(path)}: create it with `{REGENERATE}`", pytrace=False)
    return path.read_text(encoding="utf-8")


def _cte_case(spec: Path) -> object:
    reason = KNOWN_REPEATED_CTES.get(spec.stem)
    marks = [pytest.mark.xfail(reason=reason, strict=True)] if reason else []
    return pytest.param(spec, id=spec.stem, marks=marks)


@pytest.mark.parametrize("spec", [_cte_case(p) for p in GOOD])
def test_no_statement_computes_one_cte_body_twice(spec: Path) -> None:
    """A target of the compiler: within a statement, no two CTEs have the same body
    (compared as SQL text without comments, since the spec-line comments differ)."""
    statements = [s for s in sqlglot.parse(_sql_snapshot(spec), read="duckdb") if s is not None]
    assert statements
    repeated: list[str] = []
    for i, statement in enumerate(statements):
        with_ = statement.find(exp.With)
        seen: dict[str, str] = {}
        for cte in with_.expressions if with_ else []:
            body = cte.this.sql(dialect="duckdb", comments=False)
            if body in seen:
                repeated.append(f"statement {i + 1}: {cte.alias} repeats {seen[body]}")
            seen.setdefault(body, cte.alias)
    assert not repeated, repeated


@pytest.mark.parametrize("spec", LIBRARY, ids=lambda p: p.stem)
def test_library_spec_prints_under_max_lines_of_sql(spec: Path) -> None:
    """A target of the compiler: the SQL a methodology runs stays readable."""
    lines = len(_sql_snapshot(spec).splitlines())
    assert lines < MAX_SQL_LINES, f"{spec.name}: {lines} lines of SQL"


_DIGESTS = """
import hashlib, json
import test_snapshots as t
out = {}
for p in t.GOOD:
    for st in t.STAGES:
        out[t.rel(t.snapshot_path(st, p))] = hashlib.sha256(t.stage_text(t.rel(p), st).encode()).hexdigest()
for p in t.BAD:
    if p.stem in t.KNOWN_CRASHES:
        continue
    out[t.rel(t.snapshot_path("errors", p))] = hashlib.sha256(t.diagnostics(t.rel(p)).encode()).hexdigest()
print(json.dumps(out))
"""


def test_snapshots_do_not_depend_on_hash_seed_or_working_directory(tmp_path: Path) -> None:
    """Set and dict orders must not leak into the text: a child process with another hash
    seed, started in another directory, makes every snapshot byte for byte the same."""
    env = {**os.environ, "PYTHONHASHSEED": "12345", "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")])}
    env.pop("IDX_UPDATE_SNAPSHOTS", None)
    proc = subprocess.run([sys.executable, "-c", _DIGESTS], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    child: dict[str, str] = json.loads(proc.stdout)
    here = {rel(snapshot_path(st, p)): stage_text(rel(p), st) for p in GOOD for st in STAGES}
    here |= {rel(snapshot_path("errors", p)): diagnostics(rel(p)) for p in BAD if p.stem not in KNOWN_CRASHES}
    differ = [k for k, text in here.items() if hashlib.sha256(text.encode()).hexdigest() != child.get(k)]
    assert not differ, f"differ under PYTHONHASHSEED=12345: {differ}"
