from __future__ import annotations

import contextlib
import csv
import io
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
DATA = Path(__file__).resolve().parent / "data"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def idxc(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """The command line's own entry point (`idxlang.cli.main`, what the `idxc` script
    calls) with its output captured, in this process: a process per call cost most of
    the suite's time. An exception it lets through fails the test, as a traceback would.
    `idxc_process` runs the real script where a process matters (signals, terminals)."""
    from idxlang.cli import main

    out, err = io.StringIO(), io.StringIO()
    before = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
            try:
                code = main(list(args))
            except SystemExit as stop:  # argparse: --help, --version, a usage error
                code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 2)
    finally:
        os.chdir(before)
    return subprocess.CompletedProcess(["idxc", *args], code, out.getvalue(), err.getvalue())


def idxc_process(*args: str, cwd: Path | None = None, **kw) -> subprocess.CompletedProcess:  # type: ignore[no-untyped-def]
    """Run the real command line in a process of its own, as a user would."""
    return subprocess.run([sys.executable, "-m", "idxlang.cli", *args], cwd=cwd, capture_output=True, text=True,
                          env={**os.environ, "PYTHONPATH": str(ROOT)}, **kw)


def random_panel(path: Path, entities: int, periods: int = 20, seed: float = 0.5) -> Path:
    """bench/specs/innovation.idx's panel, made by DuckDB: entity, period, district (40 of
    them) and x1..x10, random but the same for the same seed."""
    import duckdb

    xs = ", ".join(f"random() * 100 + {k} AS x{k}" for k in range(1, 11))
    con = duckdb.connect()
    con.execute(f"SELECT setseed({seed})")
    con.execute(f"COPY (SELECT e AS entity, 2000 + p AS period, 'D' || (e % 40) AS district, {xs} "
                f"FROM range({entities}) a(e), range({periods}) b(p)) TO '{path}' (FORMAT parquet)")
    return path


@pytest.fixture
def write(tmp_path: Path):
    def _write(name: str, text: str) -> Path:
        p = tmp_path / name
        p.write_text(text, encoding="utf-8")
        return p

    return _write
