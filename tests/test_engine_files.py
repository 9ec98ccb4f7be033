"""The files an output writes are the same on DuckDB, PostgreSQL and Spark, byte for
byte: every spec in specs/ and tests/engines/ run by `idxc run SPEC --out DIR` with
`--format csv` and with `--format parquet` on each engine (Parquet's schema compared as
pyarrow reads it, nullability included, and then its bytes), with the same report of
rows written, screened entities and skipped values.

What makes the values the same to the last bit is the SQL (docs/language.md, "One
meaning on every engine"): a sum of doubles adds its values in one order on every
engine, a mean is that sum over the count, sd, median and quantiles are written out
in those, every output column is cast to its one type. Nothing is rounded to hide a
difference.

One construct cannot be made the same bits on Spark: the engine's mathematical
functions. `ln`, `exp` and `^` (POWER) are the C library's on DuckDB and PostgreSQL
(here the same glibc, so their files are byte-identical too), and Java's StrictMath
(fdlibm) on Spark, which has no other and runs no C: two different approximations,
each within one unit in the last place (ulp) of the exact value, so one call's two
results are the doubles either side of it, at most 1 ulp (2.2e-16 relative) apart.
Writing them out in SQL arithmetic (range reduction and a polynomial) would copy the
argument's expression into the statement some 40 times per call. So on Spark, and
only there, the columns computed through them (ln, exp, ^, geomean, product,
cumprod, treat's log transform: `libm`) are compared as numbers, at LIBM_REL
relative: a value passes through a handful of such calls and the arithmetic after
them (composite_example's index, a weighted geometric mean of three aggregates,
differs most: 7 ulp, 1e-15), and 1e-13 leaves a hundredfold room while any other
difference (another order of addition, another formula: 1e-9 to 1e-6) fails it. Text,
ranks and missing cells of those columns must be equal; their other columns, their
schema and every other file are compared byte for byte. The servers are real: PostgreSQL started by pg_server.py, Spark local by
spark_session.py; a test whose engine cannot start is skipped with the reason.
"""

from __future__ import annotations

import csv
import io
import math
from pathlib import Path

import pytest

import idxlang
from conftest import idxc, random_panel
from idxlang.semantics import model as m
from idxlang.sqlgen import INTEGER, NUMBER, column_kinds
from pg_server import postgres  # noqa: F401  (the session-scoped fixture)
from spark_session import spark  # noqa: F401
from test_engines import SPEC_FILES, SPECS

ENGINES = ("duckdb", "postgres", "spark")
LIBM_OPS, LIBM_REDUCTIONS = {"ln", "exp", "^"}, {"geomean", "product"}
LIBM_REL, LIBM_ABS = 1e-13, 1e-15


def libm(expr: m.Expr, resolve) -> bool:  # type: ignore[no-untyped-def]
    """True when the value passes through an engine's ln, exp or POWER."""
    for n in m.walk(expr):
        if (isinstance(n, m.Op) and n.op in LIBM_OPS) or (isinstance(n, m.Reduce) and n.func in LIBM_REDUCTIONS) \
                or (isinstance(n, m.Window) and n.kind == "cumprod") or isinstance(n, m.Treat):
            return True
        d = resolve(n.name) if isinstance(n, m.Ref) and n.kind is m.RefKind.LET else None
        if d is not None and libm(d.expr, resolve):
            return True
    return False


def libm_columns(core: m.Model) -> dict[str, set[str]]:
    """The columns of each output computed through ln, exp or POWER (`libm`)."""
    found = {}
    for name, out in core.outputs.items():
        resolve = lambda n, o=name: core.lookup(n, o)  # noqa: E731
        found[name] = {c.alias for c in out.columns if (d := resolve(c.source)) is not None and libm(d.expr, resolve)}
    return found


def run(spec: Path, engine: str, out: Path, fmt: str, dsn: str, *extra: str) -> str:
    """`idxc run` on an engine; what it reported, the folder written to left out."""
    args = ["run", str(spec), "--out", str(out), "--format", fmt, "--engine", engine, "--quiet", *extra]
    proc = idxc(*args, *(["--dsn", dsn] if engine == "postgres" else []))
    assert proc.returncode == 0 and "Traceback" not in proc.stderr, (engine, proc.stderr)
    return proc.stderr.replace(str(out), "OUT")


def _close(a: object, b: object) -> bool:
    """Numbers at LIBM_REL; anything else (a missing cell, a class, a rank) equal."""
    try:
        return type(a) is type(b) and math.isclose(float(a), float(b), rel_tol=LIBM_REL, abs_tol=LIBM_ABS)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return a == b


def assert_same_but_libm(want: Path, have: Path, fmt: str, loose: set[str]) -> None:
    """Spark's file beside DuckDB's: every column but the `loose` ones equal exactly."""
    if fmt == "parquet":
        import pyarrow.parquet as pq

        w, h = pq.read_table(want), pq.read_table(have)
        assert h.schema.equals(w.schema, check_metadata=True), (have.name, h.schema, w.schema)
        rows = list(zip(w.to_pylist(), h.to_pylist(), strict=True))
        exact = lambda a, b: repr(a) == repr(b)  # noqa: E731  (-0.0 apart from 0.0, NaN equal to NaN)
    else:
        rows = list(zip(csv.DictReader(io.StringIO(want.read_text(encoding="utf-8"))),
                        csv.DictReader(io.StringIO(have.read_text(encoding="utf-8"))), strict=True))
        assert have.read_text(encoding="utf-8").splitlines()[0] == want.read_text(encoding="utf-8").splitlines()[0]
        exact = lambda a, b: a == b  # noqa: E731
    for w_row, h_row in rows:
        bad = {c: (w_row[c], h_row[c]) for c in w_row
               if not (_close(w_row[c], h_row[c]) if c in loose else exact(w_row[c], h_row[c]))}
        assert not bad, f"{have.name}: (DuckDB, Spark) {bad}"


@pytest.mark.parametrize("fmt", ["csv", "parquet"])
@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_every_engine_writes_the_same_files(postgres: str, spark, path: Path, fmt: str, tmp_path: Path) -> None:  # noqa: F811
    reports = {e: run(path, e, tmp_path / e, fmt, postgres) for e in ENGINES}
    assert reports["postgres"] == reports["duckdb"] and reports["spark"] == reports["duckdb"], reports
    spec = idxlang.load(path)
    core = spec.compile().core
    loose = libm_columns(core)
    written = sorted((tmp_path / "duckdb").iterdir())
    assert [f.name for f in written] == sorted(f"{o}.{fmt}" for o in spec.outputs)
    for want in written:
        output = want.name.removesuffix(f".{fmt}")
        assert (tmp_path / "postgres" / want.name).read_bytes() == want.read_bytes(), f"PostgreSQL {want.name}"
        if loose[output]:
            assert_same_but_libm(want, tmp_path / "spark" / want.name, fmt, loose[output])
        else:
            assert (tmp_path / "spark" / want.name).read_bytes() == want.read_bytes(), f"Spark {want.name}"
        if fmt == "parquet":
            assert_typed(core, output, want)


def assert_typed(core: m.Model, output: str, path: Path) -> None:
    """A year and a rank are int64, any other number a double, every column nullable,
    whatever the engine (the files are the same bytes)."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    schema = pq.read_schema(path)
    for column, kind in column_kinds(core, output).items():
        if kind is not None:
            assert schema.field(column).type == {INTEGER: pa.int64(), NUMBER: pa.float64()}[kind], (output, column)
    assert all(f.nullable for f in schema), schema


def test_an_output_without_keys_is_written_by_spark(spark, tmp_path: Path) -> None:  # noqa: F811
    """The reported command: Spark wrote an output without keys through an empty ORDER BY (a traceback)."""
    spec = str(SPECS / "amt_portfolio.idx")
    for engine in ("duckdb", "spark"):
        proc = idxc("run", spec, "--engine", engine, "--output", "growth", "--out", str(tmp_path / f"{engine}.csv"))
        assert proc.returncode == 0 and "Traceback" not in proc.stderr, proc.stderr
    assert (tmp_path / "spark.csv").read_bytes() == (tmp_path / "duckdb.csv").read_bytes()
    assert (tmp_path / "spark.csv").read_text().count("\n") == 2  # the header and its one row


def test_a_large_panel_is_written_in_key_order_on_every_engine(postgres: str, spark, tmp_path: Path) -> None:  # noqa: F811
    """300,000 rows, more than one DuckDB thread's share: DuckDB (which runs without
    preserve_insertion_order) wrote PostgreSQL's rows in the order its threads met them.
    Every engine's files are in the order of the output's keys, and the same bytes
    (the district means add 375 values each)."""
    random_panel(tmp_path / "panel.parquet", 15000, seed=0.75)
    (tmp_path / "spec.idx").write_text((SPECS.parent / "bench" / "specs" / "innovation.idx").read_text(encoding="utf-8"),
                                       encoding="utf-8")
    for engine in ENGINES:
        run(tmp_path / "spec.idx", engine, tmp_path / engine, "csv", postgres)
    for name in ("entities.csv", "districts.csv"):
        want = (tmp_path / "duckdb" / name).read_bytes()
        keys = [tuple(line.split(b",")[:2]) for line in want.splitlines()[1:]]
        typed = [(int(k) if name == "entities.csv" else k, int(p)) for k, p in keys]
        assert typed == sorted(typed) and len(typed) == (300000 if name == "entities.csv" else 800)
        for engine in ("postgres", "spark"):
            assert (tmp_path / engine / name).read_bytes() == want, f"{engine} {name}"


ONE_MEAN_TWO_OUTPUTS = ('table p: firm by year from "p.csv"\n  x\nlet m = mean(x over firm)\n'
                        "output one by year: m\noutput two by firm, year: x - m as gap, m\n")


def test_one_reduction_of_two_outputs_is_one_line_naming_both(postgres: str, spark, write) -> None:  # noqa: F811
    write("p.csv", "firm,year,x\nA,2020,1\nB,2020,\nC,2020,4\nA,2021,2\nB,2021,5\nC,2021,\n")
    spec = idxlang.load(write("s.idx", ONE_MEAN_TWO_OUTPUTS))
    reports = [spec.run(engine=e, **({"dsn": postgres} if e == "postgres" else {})).skipped for e in ENGINES]
    assert reports[0] == reports[1] == reports[2]
    (line,) = reports[0]
    assert line.outputs == ("one", "two") and (line.cells, line.missing) == (6, 2)
    assert line.render("s.idx") == "s.idx:3: mean(x over firm) skipped 2 missing of 6 (outputs one, two)"


CONSTANTS = ('table t: region by year from "t.csv"\n  x\nparam w = 0.25\n'
             "output groups by year: mean(-x over region) as negated, sum(-x over region) as total\n"
             "output rows by region, year: w / 3 as third, 100.0 / 3 * x as scaled, cumsum(-x over year) as running\n")


def test_constants_are_doubles_and_a_sum_of_negative_zeros_is_zero(postgres: str, spark, write, tmp_path: Path) -> None:  # noqa: F811
    """A spec's numbers are doubles on every engine: a constant divided by a constant was
    a DECIMAL of six digits on Spark (0.083333). A sum of -0.0 alone (x negated where it
    is 0) is 0.0, as DuckDB and Spark add from 0; PostgreSQL's SUM starts from its first value."""
    write("t.csv", "region,year,x\na,2020,0\nb,2020,0\na,2021,0\nb,2021,3\n")
    spec = write("s.idx", CONSTANTS)
    for engine in ENGINES:
        run(spec, engine, tmp_path / engine, "csv", postgres)
    for name in ("groups.csv", "rows.csv"):
        want = (tmp_path / "duckdb" / name).read_bytes()
        assert (tmp_path / "postgres" / name).read_bytes() == want and (tmp_path / "spark" / name).read_bytes() == want
    assert (tmp_path / "duckdb" / "groups.csv").read_text().splitlines()[1] == "2020,0.0,0.0"
    assert (tmp_path / "duckdb" / "rows.csv").read_text().splitlines()[1].split(",")[2] == repr(0.25 / 3)
