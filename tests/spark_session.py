"""A real Spark for the tests: one local session per test run (`idxc run --engine
spark` takes the active session rather than starting another).

Spark runs with its DEFAULT analyser settings (`spark.sql.analyzer.maxIterations` is
left at 100) so a test fails where a user's Spark would. Without Java, without pyspark
or when the JVM does not start, the `spark` fixture skips, saying which.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from idxlang.engines.spark import java_problem, start

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


def start_spark(tmp: Path) -> SparkSession:
    """idxc's own Spark session, sized for one test run of small queries: two cores and
    two shuffle partitions; the JVM's quick JIT tier alone cuts about a quarter of the
    run (start-up and warm-up dominate it). Adaptive execution is off: it plans each
    stage again once the stage before has run, which on the tests' few rows costs more
    than it saves (the probe spec: 39 s on, 25 s off); what a statement computes does
    not depend on it (dialects.Summing: a sum's order is the SQL's, not the plan's)."""
    settings = {"spark.sql.shuffle.partitions": "2", "spark.default.parallelism": "2", "spark.sql.adaptive.enabled": "false"}
    return start("local[2]", tmp, settings, java="-XX:TieredStopAtLevel=1")  # type: ignore[return-value]


@pytest.fixture(scope="session")
def spark(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SparkSession]:
    """One Spark session for the whole test run (the JVM takes seconds to start)."""
    try:
        import pyspark  # noqa: F401
    except ImportError as err:
        pytest.skip(f"pyspark cannot be imported ({err}): pip install -e '.[test]'")
    if problem := java_problem():
        pytest.skip(problem)
    try:
        session = start_spark(tmp_path_factory.mktemp("spark"))
    except Exception as err:  # pyspark raises its own error types for a JVM that dies at launch
        first = (str(err).strip().splitlines() or [""])[0]
        pytest.skip(f"the Spark JVM did not start ({type(err).__name__}: {first}); "
                    f"java: {os.environ.get('JAVA_HOME') or shutil.which('java')}")
    yield session
    session.stop()
