"""Injection (issue 13): names, strings, entity names, band labels, doc strings, file
paths and --param values holding quotes, semicolons, comment markers, backticks,
newlines and SQL keywords are quoted or refused. idxc runs the methodology's own
statements and nothing else: every statement it executes is parsed back here and is a
SELECT, a temporary table of a step, or the drop of one; no file is read but the data
files it was given."""

from __future__ import annotations

import csv

import pytest
import sqlglot
from sqlglot import exp

import idxlang
from conftest import idxc

EVIL = "x'); DROP TABLE t; -- /* */ #"
NAMES = ['a"; DROP TABLE t; --', "b /* c */", "d -- e", "f'g", "select", "h#i"]


def _spec(data: str) -> str:
    cols = ", ".join(f"`{n}`" for n in NAMES)
    first = f"`{NAMES[0]}`"
    return (f'table t "{EVIL}": region by year from "{data}"\n'
            f'  grp attribute "{EVIL}"\n'
            f"  {cols}\n"
            f'param w = 2 "{EVIL}"\n'
            f'let s = {first} * w + `{NAMES[1]}` "{EVIL}"\n'
            f'let r = rank(s desc where grp != "{EVIL}")\n'
            "scale band\n"
            f'  "{EVIL}" (10, inf)  "{EVIL}"\n'
            f'  "low" [0, 10]  "it\'s low"\n'
            f"output `{NAMES[2]}` by region, year: s, r, classify(s, band) as `{NAMES[3]}`\n")


@pytest.fixture
def evil(tmp_path):
    folder = tmp_path / "we'ird; -- dir"
    folder.mkdir()
    data = folder / "da'ta; DROP.csv"
    with data.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["region", "year", "grp", *NAMES])
        w.writerow([EVIL, 2020, EVIL, 5, 1, 1, 1, 1, 1])
        w.writerow(["multi\nline `tick`", 2020, "g", 2, 1, 1, 1, 1, 1])
        w.writerow(["plain", 2020, "g", 1, 1, 1, 1, 1, 1])
    spec = folder / "s.idx"
    spec.write_text(_spec(data.name), encoding="utf-8")
    return spec


def test_hostile_names_strings_and_paths_are_data(evil) -> None:
    spec = idxlang.load(evil)
    (name,) = spec.outputs
    assert name == NAMES[2]
    rows = spec.run().tables[name].to_pylist()
    hostile = next(r for r in rows if r["region"] == EVIL)
    assert hostile["s"] == 5 * 2 + 1 and hostile[NAMES[3]] == EVIL  # the band's code comes back verbatim
    assert hostile["r"] is None and next(r for r in rows if r["region"] == "plain")["r"] == 2  # where grp != EVIL
    assert next(r for r in rows if r["region"] == "multi\nline `tick`")["s"] == 5  # a newline and backticks: data


def test_only_the_methodologys_own_statements_run(evil) -> None:
    compiled = idxlang.load(evil).compile()
    names = {st.step for st in compiled.statements if st.step}
    for st in compiled.statements:
        sql = st.tree.sql(dialect="duckdb")
        (parsed,) = sqlglot.parse(sql, read="duckdb")  # one statement each: nothing smuggled after a `;`
        assert isinstance(parsed, (exp.Select, exp.Create, exp.Drop)), type(parsed)
        if isinstance(parsed, exp.Create):
            assert parsed.this.name in names and parsed.args.get("properties") is not None  # a temporary step
        functions = {f.name.lower() for f in parsed.find_all(exp.Anonymous)}
        assert not functions & {"read_csv", "read_parquet", "read_json", "read_text", "glob", "copy", "attach"}
        assert not list(parsed.find_all(exp.Copy)) and not list(parsed.find_all(exp.Attach))
        tables = {t.db or "" for t in parsed.find_all(exp.Table)}
        assert tables <= {"", "input"}  # the data the run was given, or its own steps
    text = compiled.sql()
    assert sqlglot.parse(text, read="duckdb")  # the printed script reads back whole


@pytest.mark.parametrize("value", ["1; DROP TABLE t", "1 -- x", "1/*", "'1'", "1\n2", "inf", "nan"])
def test_a_param_that_is_not_a_number_is_refused(evil, value) -> None:
    proc = idxc("sql", str(evil), "--param", f"w={value}")
    # the message names the param as a Python caller sees it too, not the option (issue 26)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "param w = " in proc.stderr, proc.stderr
    assert "not a number" in proc.stderr


def test_a_table_or_output_name_cannot_leave_its_quotes(evil, tmp_path) -> None:
    """The command line's names (--output, --data TABLE=, --layout TABLE=) are looked up,
    never pasted: an unknown one is refused with the closest."""
    for args, message in ((["--output", EVIL], "no output"), (["--data", f"{EVIL}=x.csv"], EVIL),
                          (["--layout", f"t=long({EVIL}, v)"], "syntax error")):
        proc = idxc("run", str(evil), *args)
        assert proc.returncode == 2 and "Traceback" not in proc.stderr, (args, proc.stderr)


@pytest.mark.parametrize("qualified", ["public.x; DROP TABLE y", "public.x -- c", "s.`t`"])
def test_a_table_named_on_the_command_line_is_one_quoted_name(evil, qualified) -> None:
    """--table NAME=schema.table (PostgreSQL, Spark): whatever follows the dot is one
    quoted identifier, or refused."""
    from idxlang.diagnostics import IdxError
    from idxlang.engines import engine_table

    model = idxlang.load(evil).model
    try:
        found = engine_table(model, "t", qualified, "postgres")
    except IdxError as err:
        assert "write the engine's table as schema.table" in err.render()
        return
    written = found.sql("postgres")
    assert sqlglot.parse(f"SELECT * FROM {written}", read="postgres")[0].find(exp.Table).sql("postgres") == written
    assert ";" not in written or '"' in written
