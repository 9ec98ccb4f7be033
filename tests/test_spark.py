"""The generated SQL in a real Spark (4.x, `local[2]`, ANSI on, default analyser limits):
every spec's script is analysed over its demo data, and a simple spec's rows equal DuckDB's.

`idxc sql --dialect spark` is only useful if Spark accepts what it prints; sqlglot's
transpiler checks syntax, not whether Spark's analyser resolves it within its limits.
Skipped, with the reason, where Java or pyspark is missing (see spark_session.py).
"""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

import idxlang
from conftest import SPECS
from idxlang import IdxError
from idxlang.api import Spec
from spark_session import (
    SparkScriptError,
    register_spec_data,
    run_in_spark,
    run_script,
    spark,  # noqa: F401  (the session-scoped fixture)
)

if TYPE_CHECKING:
    from pyspark.sql import SparkSession

SPEC_FILES = sorted(SPECS.glob("*.idx"))
REL = 1e-9


def spark_script(spec: Spec, path: Path) -> str:
    """The spec's whole script for Spark; a construct the compiler cannot write for
    Spark fails the test, naming it."""
    try:
        return spec.script(dialect="spark")
    except IdxError as err:
        pytest.fail(f"{path.name}: the compiler cannot write it for Spark: {err}")


@pytest.mark.parametrize("path", SPEC_FILES, ids=lambda p: p.stem)
def test_spec_is_analysed_by_spark(spark: SparkSession, path: Path) -> None:  # noqa: F811
    """Spark resolves every statement of the spec's script over its demo data, with its
    default settings; each output has the columns DuckDB returns, in the same order."""
    spec = idxlang.load(path)
    script = spark_script(spec, path)
    register_spec_data(spark, spec)
    refused = None
    try:
        frames = run_script(spark, script)
    except SparkScriptError as err:
        refused = str(err)  # failed outside the handler: Py4J's 100-line Java stack adds nothing
    if refused is not None:
        pytest.fail(f"{path.name}: Spark refused {refused}", pytrace=False)
    duckdb = spec.run().tables
    outputs = frames[:len(spec.outputs)]  # then the counts of skipped values
    assert [df.columns for df in outputs] == [duckdb[o].column_names for o in spec.outputs]


def test_analysis_runs_no_spark_job(spark: SparkSession) -> None:  # noqa: F811
    """Checking a script reads no data (a shared table included): plan_in_spark and
    run_script only analyse; run_in_spark executes."""
    spec = idxlang.load(SPECS / "innovation_competitiveness.idx")
    register_spec_data(spark, spec)
    sc = spark.sparkContext
    try:
        sc.setJobGroup("idx-plan", "analysis only")
        frames = run_script(spark, spec.script(dialect="spark"))
        sc.setJobGroup("idx-run", "execution")
        stage = spec.compile().plan.stages[-1]
        rows = run_in_spark(spark, f"SELECT * FROM `shared`.`{stage.step}`")
    finally:
        sc.setLocalProperty("spark.jobGroup.id", None)
    tracker = sc.statusTracker()
    assert len(frames) > len(spec.outputs) and rows == []  # outputs and counts; the shared table: created empty
    assert list(tracker.getJobIdsForGroup("idx-plan")) == []
    assert list(tracker.getJobIdsForGroup("idx-run")) != []


def same(a: object, b: object) -> bool:
    """Equal, floats to 1e-9 relative (two engines, the same arithmetic in another order)."""
    if isinstance(a, float) and isinstance(b, float):
        return math.isclose(a, b, rel_tol=REL)
    return a == b


@pytest.mark.parametrize("name", ["gvc_participation", "import_substitution"])
def test_spark_rows_equal_duckdb(spark: SparkSession, name: str) -> None:  # noqa: F811
    """The same script executed in Spark gives DuckDB's rows, in order, to 1e-9 relative."""
    spec = idxlang.load(SPECS / f"{name}.idx")
    register_spec_data(spark, spec)
    frames = run_script(spark, spark_script(spec, SPECS / f"{name}.idx"), execute=True)
    expected = spec.run().tables
    outputs = frames[:len(spec.outputs)]  # then the counts of skipped values
    for output, rows in zip(spec.outputs, [df.collect() for df in outputs], strict=True):
        keys = spec.model.outputs[output].keys
        want, have = expected[output].to_pylist(), [r.asDict() for r in rows]
        assert len(have) == len(want), output
        for h, w in zip(have, want, strict=True):
            assert list(h) == list(w), output
            bad = {c: (h[c], w[c]) for c in w if not same(h[c], w[c])}
            assert not bad, f"{output} at {[w[k] for k in keys]}: (Spark, DuckDB) {bad}"
