"""The generated SQL beyond DuckDB: every spec's script and each output's statement
transpiled to other engines, definitions under their own names with their spec
lines, and clear errors where an engine cannot take the SQL. The SQL itself is kept
under review as the `sql` stage of tests/test_snapshots.py (tests/snapshots/sql/).
"""

from __future__ import annotations

import re

import pytest
import sqlglot

import idxlang
from conftest import ROOT, SPECS, idxc

SPEC_FILES = sorted(SPECS.glob("*.idx")) + [ROOT / "tests" / "engines" / "probe.idx"]
CASES = [(spec, out) for spec in SPEC_FILES for out in idxlang.load(spec).outputs]
DIALECTS = ["postgres", "spark", "bigquery", "snowflake", "trino"]
# Native functions whose meaning differs between engines, or that some lack: the
# compiler writes each construct in portable terms instead (docs/language.md).
NOT_PORTABLE = {"ROUND", "SKEWNESS", "SKEW", "KURTOSIS", "MEDIAN", "PERCENTILE_CONT", "QUANTILE_CONT",
                "PERCENTILE", "PRODUCT", "APPROX_PERCENTILE"}


def _functions(tree: sqlglot.exp.Expression) -> set[str]:
    return {f.sql_name().upper() for f in tree.find_all(sqlglot.exp.Func)} | \
        {f.name.upper() for f in tree.find_all(sqlglot.exp.Anonymous)}


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
@pytest.mark.parametrize("dialect", DIALECTS)
def test_run_script_is_written_for_each_dialect(path, dialect):
    """The whole script, written for the dialect, reads back in it, and holds none of the
    functions whose meaning depends on the engine; PostgreSQL gets no IGNORE NULLS."""
    script = idxlang.load(path).script(dialect=dialect)
    statements = [s for s in sqlglot.parse(script, read=dialect) if s is not None]
    assert len(statements) >= len(idxlang.load(path).outputs)
    for s in statements:
        assert not _functions(s) & NOT_PORTABLE, s.sql(dialect)[:200]
    if dialect == "postgres":
        assert "IGNORE NULLS" not in script


def test_every_definition_appears_under_its_name_with_its_spec_line():
    spec = idxlang.load(SPECS / "import_substitution.idx")
    sql = spec.sql()
    for name, d in spec.model.definitions.items():
        assert re.search(rf'AS "{name}",? /\* import_substitution\.idx:{d.line} let {name} =', sql), name


@pytest.mark.parametrize("spec,output", CASES, ids=lambda c: getattr(c, "stem", c))
@pytest.mark.parametrize("dialect", DIALECTS)
def test_each_output_is_one_statement_in_each_dialect(spec, output, dialect):
    sql = idxlang.load(spec).sql(output, dialect=dialect)
    (tree,) = [t for t in sqlglot.parse(sql, read=dialect) if t is not None]
    assert tree.find(sqlglot.exp.With) is not None and not _functions(tree) & NOT_PORTABLE


def test_sql_command_does_not_import_duckdb():
    import subprocess
    import sys

    code = ("import sys; from idxlang.cli import main; main(['sql', %r]); "
            "sys.exit(1 if 'duckdb' in sys.modules else 0)") % str(SPECS / "import_substitution.idx")
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr


def test_sql_for_a_dialect_idxc_does_not_write_is_a_clear_error():
    proc = idxc("sql", str(SPECS / "gvc_participation.idx"), "--dialect", "mysql")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "idxc writes SQL for duckdb, postgres, spark, bigquery, snowflake, trino" in proc.stderr
    proc = idxc("sql", str(SPECS / "gvc_participation.idx"), "--dialect", "postgress")
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "did you mean 'postgres'" in proc.stderr


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_every_name_fits_postgresql(path):
    """PostgreSQL cuts identifiers at 63 bytes, and a Cyrillic letter takes two: a name
    the compiler makes up from `max(затраты_на_исследования over регион)` must stay
    shorter, or two such names would become one (they did, before names.bounded)."""
    script = idxlang.load(path).script(dialect="postgres")
    names = {i.name for s in sqlglot.parse(script, read="postgres") if s for i in s.find_all(sqlglot.exp.Identifier)}
    assert names and max(len(n.encode("utf-8")) for n in names) <= 63, max(names, key=lambda n: len(n.encode()))


def test_a_long_made_up_name_keeps_its_start_and_stays_apart():
    from idxlang.names import LONGEST, bounded, fresh

    a, b = (f"max_{'показатель_' * 6}{k}_over_регион" for k in "ab")
    assert bounded("short") == "short" and len(bounded(a).encode()) <= LONGEST
    assert bounded(a) != bounded(b) and bounded(a).startswith("max_показатель_")
    assert fresh(a, {bounded(a)}) == bounded(a) + "_2"
