"""Spark through pyspark: the inputs are handed over as Parquet files read into
temporary views, the statements run in one Spark session (ANSI on), outputs come back
as Arrow. A session idxc started is stopped at the end; its temporary views and
cached tables go with it."""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

from sqlglot import exp

from ..semantics import model as m
from ..diagnostics import Diagnostic, IdxError
from ..sql.trees import lit, table
from . import EngineOptions, export, first_line, in_order, input_name

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa
    from pyspark.sql import SparkSession

    from ..data.sources import Source


def java_problem() -> str | None:
    """Why Spark's JVM cannot start here, or None: checked first, so that the message
    names the cause instead of pyspark's 'Java gateway process exited'."""
    home = os.environ.get("JAVA_HOME")
    java = str(Path(home) / "bin" / "java") if home else shutil.which("java")
    if home and isinstance(java, str) and not os.access(java, os.X_OK):  # with JAVA_HOME, java is its bin/java
        return f"Spark needs Java 17+: JAVA_HOME={home} has no executable bin/java"
    if java is None:
        return "Spark needs Java 17+: no `java` on PATH and JAVA_HOME is not set"
    try:
        proc = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as err:
        return f"Spark needs Java 17+: `{java} -version` failed: {err}"
    found = re.search(r'version "(\d+)(?:\.(\d+))?', proc.stderr)
    if proc.returncode != 0 or found is None:
        return f"Spark needs Java 17+: `{java} -version` exited {proc.returncode}"
    major = int(found[2]) if found[1] == "1" else int(found[1])  # "1.8.0" is Java 8
    return f"Spark needs Java 17+: {java} is Java {major}" if major < 17 else None


# Errors only: Spark's INFO and WARN lines at start-up would bury idxc's own report.
LOG4J2 = """\
rootLogger.level = error
rootLogger.appenderRef.stderr.ref = console
appender.console.type = Console
appender.console.name = console
appender.console.target = SYSTEM_ERR
appender.console.layout.type = PatternLayout
appender.console.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.gateway.name = org.apache.spark.api.python.PythonGatewayServer
logger.gateway.level = error
"""


def start(master: str, scratch: Path, settings: dict[str, str] | None = None, java: str = "") -> "SparkSession":
    """A Spark session as idxc needs it: ANSI on, UTC, no Hive metastore, errors only in
    the log, everything it writes under `scratch`; `settings` and `java` (JVM options)
    add to it."""
    try:
        with warnings.catch_warnings():  # pyspark warns on import that pandas >= 3 is untested: not used here
            warnings.filterwarnings("ignore", "PySpark does not yet fully support pandas", FutureWarning)
            from pyspark.sql import SparkSession
            import pyspark.testing.utils  # noqa: F401  (the module that warns; pyspark imports it lazily)
    except ImportError:
        raise IdxError(Diagnostic("error", "--engine spark needs pyspark", hint="pip install 'idxlang[spark]'")) from None
    if problem := java_problem():
        raise IdxError(Diagnostic("error", f"--engine spark: {problem}", hint="apt install openjdk-17-jre-headless"))
    log4j = scratch / "log4j2.properties"
    log4j.write_text(LOG4J2, encoding="utf-8")
    # idxc's statements are large and Spark compiles each into Java: one code cache, larger than the default
    # (a JVM once stopped with "Out of space in CodeCache for adapters" after a dozen specs)
    code_cache = "-XX:ReservedCodeCacheSize=512m -XX:-SegmentedCodeCache"
    java_options = (f"{java} {code_cache} -Dlog4j2.configurationFile=file:{log4j} "
                    f"-Dderby.system.home={scratch / 'derby'}").strip()
    if "PYSPARK_SUBMIT_ARGS" not in os.environ:  # the driver's JVM starts before the builder's options reach it
        os.environ["PYSPARK_SUBMIT_ARGS"] = f"--driver-java-options {shlex.quote(java_options)} pyspark-shell"
    builder = SparkSession.builder.master(master).appName("idxc")
    for key, value in {"spark.sql.ansi.enabled": "true", "spark.sql.catalogImplementation": "in-memory",
                       "spark.sql.warehouse.dir": str(scratch / "warehouse"), "spark.local.dir": str(scratch / "local"),
                       "spark.driver.extraJavaOptions": java_options, "spark.sql.session.timeZone": "UTC",
                       "spark.ui.enabled": "false", "spark.ui.showConsoleProgress": "false", **(settings or {})}.items():
        builder = builder.config(key, value)
    spark = builder.getOrCreate()
    spark.sparkContext.setLogLevel("ERROR")
    from pyspark.logger import PySparkLogger

    # pyspark also logs each failed query's error with its whole Java stack as JSON on
    # stderr; idxc's own message carries Spark's error.
    for name in ("SQLQueryContextLogger", "DataFrameQueryContextLogger"):
        PySparkLogger.getLogger(name).disabled = True
    return spark


def _active() -> "SparkSession | None":
    try:
        from pyspark.sql import SparkSession
    except ImportError:
        return None
    return SparkSession.getActiveSession()



def _quoted(name: str) -> str:
    """A view name as Spark parses it: quoted, so that any letters (`регионы`) pass."""
    return exp.to_identifier(name, quoted=True).sql("spark")

def new_session(options: "EngineOptions", sources: list["Source"], con: "duckdb.DuckDBPyConnection") -> "SparkEngineSession":
    master = options.get("spark_master")
    memory = options.get("spark_driver_memory")
    settings = {**conf(options.get("spark_conf")), **({"spark.driver.memory": str(memory)} if memory else {})}
    return SparkEngineSession(master if isinstance(master, str) else "local[*]", settings=settings)


def conf(given: object) -> dict[str, str]:
    """--spark-conf KEY=VALUE, again and again (or in Spec.run a list of them, or a dict)."""
    if given is None:
        return {}
    if isinstance(given, dict):
        return {str(k): str(v) for k, v in given.items()}
    items = [given] if isinstance(given, str) else list(given) if isinstance(given, (list, tuple)) else None
    if items is None:
        raise IdxError(Diagnostic("error", f"spark_conf={given!r}: give KEY=VALUE texts or a dict"))
    out = {}
    for item in items:
        key, eq, value = str(item).partition("=")
        if not eq or not key.strip():
            raise IdxError(Diagnostic("error", f"--spark-conf {item}: write it as KEY=VALUE",
                                      hint="e.g. --spark-conf spark.sql.shuffle.partitions=64"))
        out[key.strip()] = value.strip()
    return out


class SparkEngineSession:
    name = "Spark"

    def __init__(self, master: str = "local[*]", spark: "SparkSession | None" = None,
                 settings: dict[str, str] | None = None) -> None:
        self.scratch = Path(tempfile.mkdtemp(prefix="idx-spark-"))
        spark = spark or _active()
        self.owned = spark is None  # a session the caller has (a notebook's, the tests') is left running
        try:
            self.spark = spark or start(master, self.scratch, settings)
        except IdxError:
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise
        except Exception as err:  # pyspark raises its own types for a JVM that dies at launch
            shutil.rmtree(self.scratch, ignore_errors=True)
            raise IdxError(Diagnostic("error", f"Spark did not start: {first_line(err)}")) from None
        self.spark.sparkContext.setLogLevel("ERROR")
        from pyspark.errors import PySparkException
        from py4j.protocol import Py4JJavaError

        self.error = (PySparkException, Py4JJavaError)
        if not self.owned:  # a running session takes the settings it can take now, or says which it cannot
            for key, value in (settings or {}).items():
                try:
                    self.spark.conf.set(key, value)
                except self.error as err:
                    raise IdxError(Diagnostic("error", f"--spark-conf {key}: the running Spark session cannot take it: "
                                              f"{first_line(err)}", hint="set it where the session is started")) from None
        self.before = self._temporary()

    def load(self, con: "duckdb.DuckDBPyConnection", model: m.Model, sources: list["Source"]) -> dict[str, exp.Table]:
        """Each input's used columns as Parquet under the scratch folder, read as a view."""
        places = {}
        for s in sources:
            path = self.scratch / f"{s.table}.parquet"
            export(con, model.tables[s.table], path, "parquet")
            name = input_name(s.table)
            self.spark.read.parquet(str(path)).createOrReplaceTempView(_quoted(name))
            places[s.table] = table(name)
        return places

    def _temporary(self) -> set[str]:
        return {t.name for t in self.spark.catalog.listTables() if t.isTemporary}

    def keep(self, name: str, sql: str) -> None:
        """The step's rows computed now and held by Spark (lineage cut), under its name."""
        kept = self.spark.sql(sql).localCheckpoint(eager=True)
        kept.createOrReplaceTempView(_quoted(name))

    def relation(self, sql: str, con: "duckdb.DuckDBPyConnection", order: list[str]) -> "duckdb.DuckDBPyRelation":
        """An output for the writer, written by Spark itself as Parquet files under the
        scratch folder (never collected into the driver, whose memory a large output
        would exceed), read back by DuckDB in the output's order."""
        folder = self.scratch / f"output_{len(list(self.scratch.glob('output_*')))}"
        self.spark.sql(sql).write.parquet(str(folder))
        parts = exp.Anonymous(this="read_parquet", expressions=[lit(str(folder / "*.parquet"))])
        return in_order(con, exp.Table(this=parts), order)

    def execute(self, sql: str) -> None:
        self.spark.sql(sql)  # a command runs at once; CACHE TABLE computes

    def rows(self, sql: str) -> list[tuple]:
        return [tuple(r) for r in self.spark.sql(sql).collect()]

    def arrow(self, sql: str) -> "pa.Table":
        return self.spark.sql(sql).toArrow()

    def close(self) -> None:
        try:
            self.spark.catalog.clearCache()
            for view in self._temporary() - self.before:  # the inputs and the staged steps
                self.spark.catalog.dropTempView(view)
            if self.owned:
                self.spark.stop()
        finally:
            shutil.rmtree(self.scratch, ignore_errors=True)

