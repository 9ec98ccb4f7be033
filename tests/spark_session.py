"""A real Spark for the tests: one local session per test run (`idxc run --engine
spark` takes the active session rather than starting another).

Spark runs with its DEFAULT analyser settings (`spark.sql.analyzer.maxIterations` is
left at 100) so a test fails where a user's Spark would. Without Java, without pyspark
or when the JVM does not start, the `spark` fixture skips, saying which.
"""

from __future__ import annotations

import os
import shutil
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from idxlang.engines.spark import java_problem

if TYPE_CHECKING:
    from pyspark.sql import SparkSession


# Only errors: Spark's INFO/WARN lines at start-up and on queries would bury pytest's output.
LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
"""


def start_spark(tmp: Path) -> SparkSession:
    """A local Spark with ANSI on and default analyser limits; everything it writes
    (warehouse, Derby, scratch, logs config) goes under `tmp`, nothing into the repo."""
    with warnings.catch_warnings():  # pyspark warns on import that pandas >= 3 is untested: not used here
        warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
        from pyspark.sql import SparkSession
        import pyspark.testing.utils  # noqa: F401  (the module that warns; pyspark imports it lazily)

    log4j = tmp / "log4j2.properties"
    log4j.write_text(LOG4J2, encoding="utf-8")
    # The JVM lives for one test run of small queries: the quick JIT tier alone cuts about
    # a quarter of the run (start-up and warm-up dominate it).
    java_options = (f"-XX:TieredStopAtLevel=1 -Dlog4j2.configurationFile=file:{log4j} "
                    f"-Dderby.system.home={tmp / 'derby'}")
    spark = (SparkSession.builder.master("local[2]").appName("idxlang-tests")
             .config("spark.sql.ansi.enabled", "true")
             .config("spark.sql.catalogImplementation", "in-memory")  # no Hive metastore
             .config("spark.sql.warehouse.dir", str(tmp / "warehouse"))
             .config("spark.local.dir", str(tmp / "scratch"))
             .config("spark.driver.extraJavaOptions", java_options)
             .config("spark.sql.shuffle.partitions", "2")
             .config("spark.default.parallelism", "2")
             .config("spark.sql.session.timeZone", "UTC")
             .config("spark.ui.enabled", "false")
             .config("spark.ui.showConsoleProgress", "false")
             .getOrCreate())
    spark.sparkContext.setLogLevel("ERROR")
    from pyspark.logger import PySparkLogger

    # pyspark also logs each failed query's error with its whole Java stack as JSON on
    # stderr; the test's own message already carries Spark's error.
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).disabled = True
    return spark


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
