"""A real Spark for the tests: one local session per test run, the spec's demo data
registered where the generated SQL looks for it, and helpers that analyse or run SQL.

Spark runs with its DEFAULT analyser settings (`spark.sql.analyzer.maxIterations` is
left at 100) so a test fails where a user's Spark would. Without Java, without pyspark
or when the JVM does not start, the `spark` fixture skips, saying which.
"""

from __future__ import annotations

import csv
import os
import re
import shutil
import subprocess
import warnings
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
import sqlglot
from sqlglot import exp

if TYPE_CHECKING:
    from pyspark.sql import DataFrame, Row, SparkSession

    from idxlang.api import Spec

INPUT, SHARED = "input", "shared"  # the schemas the generated SQL reads and writes

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


def _java_problem() -> str | None:
    """Why Spark's JVM cannot start here, or None: checked first so that a skip names the
    cause instead of pyspark's 'Java gateway process exited'. Looks where spark-submit
    does: $JAVA_HOME/bin/java when JAVA_HOME is set, else `java` on PATH."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if home and not os.access(java, os.X_OK):
        return f"Spark needs Java 17+: JAVA_HOME={home} has no executable bin/java"
    if java is None:
        return "Spark needs Java 17+: no `java` on PATH and JAVA_HOME is not set"
    try:
        proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"Spark needs Java 17+: `{java} -version` failed: {err}"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr)
    if proc.returncode != 0 or found is None:
        return f"Spark needs Java 17+: `{java} -version` exited {proc.returncode}: {proc.stderr.strip()[:200]}"
    major = int(found[2]) if found[1] == "1" else int(found[1])  # "1.8.0" is Java 8
    if major < 17:
        return f"Spark needs Java 17+: {java} is Java {major}"
    return None


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
    if problem := _java_problem():
        pytest.skip(problem)
    try:
        session = start_spark(tmp_path_factory.mktemp("spark"))
    except Exception as err:  # pyspark raises its own error types for a JVM that dies at launch
        first = (str(err).strip().splitlines() or [""])[0]
        pytest.skip(f"the Spark JVM did not start ({type(err).__name__}: {first}); "
                    f"java: {os.environ.get('JAVA_HOME') or shutil.which('java')}")
    yield session
    session.stop()


def quote(*parts: str) -> str:
    """A Spark identifier, escaped (names come from specs and data files)."""
    return ".".join("`" + p.replace("`", "``") + "`" for p in parts)


def reset_schemas(spark: SparkSession) -> None:
    """Empty `input` and `shared` so that one spec's tables never answer for another's."""
    for schema in (INPUT, SHARED):
        spark.sql(f"DROP DATABASE IF EXISTS {quote(schema)} CASCADE")
        spark.sql(f"CREATE DATABASE {quote(schema)}")


def register_csv(spark: SparkSession, name: str, path: str | Path, columns: Mapping[str, str],
                 schema: str = INPUT) -> None:
    """Make `schema.name` (as the generated SQL writes it) a table over the CSV file in place.

    A temp view cannot live in a database, so this is a catalog table `USING csv` with
    the file as its location: nothing is copied. `columns` maps every column of the
    file, in the file's order, to a Spark type (Spark's CSV reader matches by position).
    """
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {quote(schema)}")
    spark.sql(f"DROP TABLE IF EXISTS {quote(schema, name)}")
    fields = ", ".join(f"{quote(c)} {t}" for c, t in columns.items())
    location = str(Path(path).resolve()).replace("'", "\\'")
    spark.sql(f"CREATE TABLE {quote(schema, name)} ({fields}) USING csv "
              f"OPTIONS (path '{location}', header 'true', enforceSchema 'false', mode 'FAILFAST')")


def spec_columns(spec: Spec, table: str, header: list[str]) -> dict[str, str]:
    """Spark types for a spec table's file: the time axis BIGINT (DuckDB reads a year as
    BIGINT), numeric columns DOUBLE, entity keys, attributes and unused columns STRING."""
    t = spec.model.tables[table]
    return {c: "BIGINT" if c == t.time else "DOUBLE" if c in t.columns else "STRING" for c in header}


def register_spec_data(spark: SparkSession, spec: Spec) -> list[str]:
    """Register the demo file of every input table of `spec` as `input.<table>`, after
    emptying `input` and `shared`; return the tables registered."""
    reset_schemas(spark)
    names = []
    for name, t in spec.model.tables.items():
        if t.schema.value != INPUT or t.source is None:
            continue
        with open(t.source, encoding="utf-8", newline="") as f:
            header = next(csv.reader(f))
        register_csv(spark, name, t.source, spec_columns(spec, name, header))
        names.append(name)
    return names


def plan_in_spark(spark: SparkSession, sql: str) -> DataFrame:
    """Analyse one query without running it: resolve every name, type and function.

    Classic `spark.sql` analyses a query eagerly (raising AnalysisException, or a bare
    Py4JJavaError for an analyser limit such as maxIterations); reading `.schema` makes
    sure of it in Spark Connect too, where `spark.sql` is lazy. Neither starts a job
    (test_spark.py checks that with Spark's job tracker).
    """
    df = spark.sql(sql)
    df.schema  # noqa: B018  (the analysed plan's schema: forces analysis, runs nothing)
    return df


def spark_error(err: BaseException) -> str:
    """The first line of what Spark said, without Py4J's wrapper: a limit of the analyser
    (maxIterations) arrives as a bare Py4JJavaError, not as an AnalysisException."""
    java = getattr(err, "java_exception", None)
    text = str(java.toString()) if java is not None else str(err)
    return (text.strip().splitlines() or [type(err).__name__])[0]


def run_in_spark(spark: SparkSession, sql: str) -> list[Row]:
    """Execute one query and collect its rows."""
    return spark.sql(sql).collect()


def statements(script: str) -> list[str]:
    """The statements of a generated script (`Spec.script(dialect="spark")`), one by one:
    `spark.sql` takes a single statement."""
    return [s.sql("spark") for s in sqlglot.parse(script, read="spark") if s is not None]


class SparkScriptError(Exception):
    """A statement of a script that Spark refused: which one, and what Spark said."""

    def __init__(self, index: int, sql: str, error: BaseException) -> None:
        self.index, self.sql, self.error = index, sql, error
        self.message = spark_error(error)
        super().__init__(f"statement {index} ({label(sql)}): {self.message}")


def label(sql: str) -> str:
    """What a generated statement is, from the comment the compiler puts first
    (`output scores`, `shared ...: computed once`), else its first line."""
    found = re.match(r"\s*/\*\s*(.*?)\s*\*/", sql, re.DOTALL)
    text = found[1] if found else sql.strip().splitlines()[0]
    return text if len(text) <= 80 else text[:77] + "..."


def run_script(spark: SparkSession, script: str, execute: bool = False) -> list[DataFrame]:
    """Take a generated script through Spark in order, as `idxc run` does, and return the
    output queries' DataFrames (analysed; collect them to run them).

    `CREATE TABLE shared.x AS q`, which later statements read, is executed when `execute`;
    otherwise `q` is only analysed and `shared.x` created empty with the analysed columns
    and types, so that the whole script is checked without one Spark job. Raises
    SparkScriptError naming the first statement Spark refused.
    """
    spark.sql(f"CREATE DATABASE IF NOT EXISTS {quote(SHARED)}")
    frames = []
    for i, sql in enumerate(statements(script), 1):
        tree = sqlglot.parse_one(sql, read="spark")
        try:
            if isinstance(tree, exp.Query):
                frames.append(plan_in_spark(spark, sql))
            elif not execute and isinstance(tree, exp.Create) and isinstance(tree.expression, exp.Query):
                schema = plan_in_spark(spark, tree.expression.sql("spark")).schema
                columns = ", ".join(f"{quote(f.name)} {f.dataType.simpleString()}" for f in schema.fields)
                spark.sql(f"CREATE TABLE {tree.this.sql('spark')} ({columns}) USING parquet")
            else:
                spark.sql(sql)  # a command: Spark analyses and runs it at once
        except Exception as err:  # AnalysisException, Py4JJavaError (analyser limits), ...
            raise SparkScriptError(i, sql, err) from err
    return frames
