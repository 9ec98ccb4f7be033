"""python -m bench.engines: the innovation scenario on DuckDB, PostgreSQL and Spark.

    python -m bench.engines --entities 50000              # 1M rows
    python -m bench.engines --entities 1000000 --timeout 15   # 20M rows, a run stopped after 15 minutes
    python -m bench.engines --engines duckdb,spark --runs 3

Each engine runs as `idxc run SPEC --engine ...` in a fresh process (bench/timed.py),
so its time includes start-up, reading and checking the Parquet panel in DuckDB, and
handing the used columns to the engine (PostgreSQL: CSV through COPY into a temporary
table; Spark: Parquet read into a view), as a user would see it. PostgreSQL is a fresh
cluster in a temporary folder, listening on a unix socket only, stopped and deleted at
the end. Every engine's outputs are checked equal to DuckDB's (bench/compare.py)
before its time is reported, with its ratio to DuckDB's time in the same run.

Two peaks are given: the resident high-water mark of the `idxc` process and the
children it waits for (ru_maxrss: for PostgreSQL the client only; for Spark the Python
driver, not the JVM it does not wait for), and the summed PSS of every process the run
uses, sampled every 0.25 s: idxc, Spark's JVM, PostgreSQL's server and backends (the
server's shared buffers counted once, as far as they are touched).
"""

from __future__ import annotations

import argparse
import glob
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

from .compare import compare
from . import panel
from .panel import PanelShape
from .scenarios import SCENARIOS, command
from .timed import timed

ROOT = Path(__file__).resolve().parent.parent
ENGINES = ("duckdb", "postgres", "spark")
PG_SETTINGS = {"shared_buffers": "1GB", "work_mem": "256MB", "temp_buffers": "2GB",
               "max_parallel_workers_per_gather": "2", "fsync": "off", "synchronous_commit": "off"}
TIMED_OUT = (124, 137)  # timeout(1)'s exit status when it stopped the command (TERM, then KILL)


@dataclass
class Result:
    seconds: float | None = None  # median over runs; None when it failed or timed out
    peak_mb: float | None = None
    tree_mb: float | None = None  # sampled peak of every process the run used (JVM, PostgreSQL's server)
    verdict: str = "-"  # "equal", what differs, or why there is no time


# --- PostgreSQL: a throwaway cluster (the commands of tests/pg_server.py, without pytest) ---

def pg_binaries() -> Path:
    """pg_ctl's folder: on PATH, or Debian's /usr/lib/postgresql/<major>/bin (newest)."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    if not versions:
        raise SystemExit("PostgreSQL's server is not installed (Debian: apt install postgresql)")
    return Path(versions[-1]).parent


class PostgresServer:
    """A cluster in a fresh folder directly under /tmp, run as `postgres` when we are
    root (initdb refuses root), its socket in that folder, no TCP."""

    def __init__(self, port: int, settings: dict[str, str]) -> None:
        self.bin = pg_binaries()
        self.port = port
        self.settings = settings
        self.owner = "postgres" if os.geteuid() == 0 else None
        self.dir = Path(tempfile.mkdtemp(prefix="idx-pg-bench-", dir="/tmp"))
        self.data = self.dir / "data"
        self.log = self.dir / "server.log"
        self.started = False

    def _as_owner(self, *cmd: str) -> subprocess.CompletedProcess:
        full = ["runuser", "-u", self.owner, "--", *cmd] if self.owner else list(cmd)
        return subprocess.run(full, capture_output=True, text=True, timeout=300)

    @property
    def dsn(self) -> str:
        return f"host={self.dir} port={self.port} user=postgres dbname=postgres"

    def start(self) -> str:
        if self.owner:
            shutil.chown(self.dir, self.owner)
        init = self._as_owner(str(self.bin / "initdb"), "-D", str(self.data), "-A", "trust", "-U", "postgres",
                              "--no-sync", "-E", "UTF8", "--locale", "C")
        if init.returncode:
            raise RuntimeError(f"initdb failed: {(init.stderr or init.stdout).strip()[-500:]}")
        options = " ".join([f"-k {self.dir}", "-c listen_addresses=''", f"-p {self.port}",
                            *(f"-c {k}={v}" for k, v in self.settings.items())])
        started = self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-o", options,
                                 "-l", str(self.log), "-w", "start")
        if started.returncode:
            text = self.log.read_text() if self.log.exists() else started.stderr
            raise RuntimeError(f"the PostgreSQL server did not start: {text.strip()[-500:]}")
        self.started = True
        return self.dsn

    def postmaster(self) -> int:
        return int((self.data / "postmaster.pid").read_text().split()[0])

    def version(self) -> str:
        found = self._as_owner(str(self.bin / "postgres"), "--version")
        return found.stdout.strip()

    def stop(self) -> None:
        try:
            if self.started:
                self._as_owner(str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
                self.started = False
        finally:
            shutil.rmtree(self.dir, ignore_errors=True)

    def __enter__(self) -> "PostgresServer":
        try:
            self.start()
        except BaseException:
            self.stop()
            raise
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- memory of every process a run uses ---

def _pss_mb(pid: int) -> float:
    """Proportional set size: shared pages (PostgreSQL's shared buffers) split among
    the processes that map them, so a sum over processes counts each page once."""
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                if line.startswith("Pss:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _children() -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as f:
                    ppid = int(f.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            found.setdefault(ppid, []).append(int(entry))
    return found


class TreeSampler(threading.Thread):
    """The peak, sampled every `every` seconds, of the summed PSS of this process's
    descendants (the run: idxc and Spark's JVM) and of the `roots` given (PostgreSQL's
    postmaster, which runs outside this tree, and its backends)."""

    def __init__(self, roots: list[int], every: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.roots, self.every, self.peak = roots, every, 0.0
        self.done = threading.Event()

    def run(self) -> None:
        me = os.getpid()
        while not self.done.wait(self.every):
            children = _children()
            pids, todo = set(), [*children.get(me, []), *self.roots]
            while todo:
                pid = todo.pop()
                if pid not in pids:
                    pids.add(pid)
                    todo += children.get(pid, [])
            self.peak = max(self.peak, sum(_pss_mb(p) for p in pids))

    def __enter__(self) -> "TreeSampler":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.done.set()
        self.join()


# --- the runs ---

def engine_command(engine: str, data: Path, out: Path, dsn: str | None, spark_master: str | None,
                   spark_memory: str | None, timeout_min: float | None) -> list[str]:
    """idxc's command line for the scenario (scenarios.command) on `engine`, behind
    timeout(1) when there is a limit (it stops the whole process group: Spark's JVM too)."""
    cmd = command("idxc", SCENARIOS["innovation"], data, out, {}) + ["--engine", engine]
    if engine == "postgres":
        cmd += ["--dsn", dsn or ""]
    if engine == "spark" and spark_master:
        cmd += ["--spark-master", spark_master]
    if engine == "spark" and spark_memory:
        # local mode: the driver is the executor, and toArrow collects every output row
        # into it; Spark's defaults (1g heap, 1g of results) lose 20M rows' results
        submit = f"--driver-memory {spark_memory} --conf spark.driver.maxResultSize={spark_memory} pyspark-shell"
        cmd = ["env", f"PYSPARK_SUBMIT_ARGS={submit}", *cmd]
    if timeout_min:
        cmd = ["timeout", "-k", "30", f"{int(timeout_min * 60)}s", *cmd]
    return cmd


def run_engine(engine: str, data: Path, work: Path, runs: int, dsn: str | None, spark_master: str | None,
               spark_memory: str | None, timeout_min: float | None, server_pid: int | None) -> Result:
    out = work / engine
    times, peaks, trees = [], [], []
    for i in range(runs):
        shutil.rmtree(out, ignore_errors=True)
        log = work / f"{engine}.{i}.log"
        with TreeSampler([server_pid] if engine == "postgres" and server_pid else []) as tree:
            found = timed(engine_command(engine, data, out, dsn, spark_master, spark_memory, timeout_min), log, ROOT)
        if timeout_min and found.exit in TIMED_OUT:
            return Result(verdict=f"not finished within {timeout_min:g} minutes")
        if found.exit != 0:
            kept = keep_log(log, data)
            text = [line for line in kept.read_text(errors="replace").splitlines() if line.strip()]
            said = next((line.strip() for line in text if line.startswith("error:")), text[-1] if text else "no message")
            causes = [line.strip() for line in text if line.lstrip().startswith("Caused by")][:3]
            print(f"  {engine} failed ({found.exit}), log kept in {kept}:\n    " + "\n    ".join([said, *causes]),
                  file=sys.stderr, flush=True)
            return Result(verdict=f"failed (exit {found.exit}): {said[:300]}")
        times.append(found.seconds)
        peaks.append(found.peak_mb)
        trees.append(tree.peak)
        print(f"  {engine} run {i + 1}: {found.seconds:.2f} s, {found.peak_mb:.0f} MB idxc, {tree.peak:.0f} MB all",
              file=sys.stderr, flush=True)
    verdict = "-" if engine == "duckdb" else compare(SCENARIOS["innovation"], work / "duckdb", out)
    return Result(statistics.median(times), max(peaks), max(trees), verdict)


def keep_log(log: Path, data: Path) -> Path:
    """A failed run's log, copied out of the temporary folder (deleted at the end)."""
    kept = data / f"engines-{log.name}"
    shutil.copyfile(log, kept)
    return kept


def report(results: dict[str, Result], shape: PanelShape, runs: int, pg_version: str | None,
           timeout_min: float | None, spark_master: str | None = None, spark_memory: str | None = None) -> str:
    base = results["duckdb"].seconds
    lines = [f"innovation scenario, panel: {shape.entities:,} entities x {shape.periods} periods = {shape.rows:,} rows, "
             f"{shape.indicators} indicators; median of {runs} run(s); {os.cpu_count()} cores, "
             f"{_memory_gb()} GB RAM, Python {platform.python_version()}"
             + (f"; each run stopped after {timeout_min:g} min" if timeout_min else ""),
             ""]
    if pg_version:
        lines.insert(1, f"PostgreSQL: {pg_version}, " + ", ".join(f"{k}={v}" for k, v in PG_SETTINGS.items()))
    if "spark" in results:
        lines.insert(1, f"Spark: pyspark {_version('pyspark')}, master {spark_master or 'local[*]'}, "
                        f"driver memory {spark_memory or '1g (Spark default)'}")
    lines += ["| engine | median s | / DuckDB | peak MB, idxc process | peak MB, all processes | "
              "outputs equal DuckDB's |", "|---|---:|---:|---:|---:|---|"]
    for engine, r in results.items():
        seconds = f"{r.seconds:.2f}" if r.seconds is not None else "-"
        peak = f"{r.peak_mb:.0f}" if r.peak_mb is not None else "-"
        tree = f"{r.tree_mb:.0f}" if r.tree_mb is not None else "-"
        ratio = f"{r.seconds / base:.2f}" if r.seconds is not None and base else "-"
        lines.append(f"| {engine} | {seconds} | {ratio} | {peak} | {tree} | {r.verdict} |")
    return "\n".join(lines)


def _version(package: str) -> str:
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version(package)
    except PackageNotFoundError:
        return "?"


def _memory_gb() -> str:
    try:
        return f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f}"
    except (ValueError, OSError):
        return "?"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.engines", description=__doc__.split("\n\n")[0])
    panel.add_arguments(parser, 50_000)
    parser.set_defaults(runs=1)
    parser.add_argument("--engines", default=",".join(ENGINES), help="of duckdb,postgres,spark (DuckDB always runs)")
    parser.add_argument("--timeout", type=float, metavar="MINUTES",
                        help="stop a run after this long and report the engine as not finished")
    parser.add_argument("--pg-port", type=int, default=54331, help="the port of the throwaway cluster's socket")
    parser.add_argument("--spark-master", help="passed to idxc (its default: local[*])")
    parser.add_argument("--spark-memory", default="default",
                        help="Spark driver heap and its result limit (local mode: the driver is the executor); "
                             "'default' keeps Spark's 1g")
    args = parser.parse_args(argv)
    engines = args.engines.split(",")
    unknown = [e for e in engines if e not in ENGINES]
    if unknown:
        parser.error(f"--engines: unknown {', '.join(unknown)}; choose from {', '.join(ENGINES)}")
    spark_memory = None if args.spark_memory == "default" else args.spark_memory
    engines = ["duckdb", *(e for e in dict.fromkeys(engines) if e != "duckdb")]  # the baseline first

    shape, data = panel.generated(args)
    # a TERM unwinds like Ctrl-C, so the cluster is stopped and its folder deleted
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    server = PostgresServer(args.pg_port, PG_SETTINGS) if "postgres" in engines else None
    results: dict[str, Result] = {}
    pg_version = None
    try:
        dsn = None
        if server:
            dsn = server.start()
            pg_version = server.version()
            print(f"{pg_version} at {server.dir}", file=sys.stderr, flush=True)
        with tempfile.TemporaryDirectory(prefix="idxlang-engines-", dir=args.data_dir) as tmp:
            for engine in engines:
                print(f"{engine}:", file=sys.stderr, flush=True)
                results[engine] = run_engine(engine, data, Path(tmp), args.runs, dsn, args.spark_master, spark_memory,
                                             args.timeout, server.postmaster() if server else None)
                if engine == "duckdb" and results[engine].seconds is None:
                    raise SystemExit(f"DuckDB, the baseline, did not finish: {results[engine].verdict}")
    finally:
        if server:
            server.stop()
    print(report(results, shape, args.runs, pg_version, args.timeout, args.spark_master, spark_memory))
    return 0


if __name__ == "__main__":
    sys.exit(main())
