"""A real PostgreSQL for the tests: Debian's server binaries, a fresh cluster in a
temporary directory, listening only on a unix socket there, stopped afterwards.

As root (CI), the cluster is run by the `postgres` system user, as initdb refuses
root. Without the server binaries or psycopg the fixture skips, saying which. The port
(which names the socket, and keys the server's shared memory) is $IDX_PG_PORT, or else
one free on this machine when the server starts, so that test runs in other worktrees
never meet this one.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest


def _port() -> int:
    """$IDX_PG_PORT, else a port no one listens on now (the kernel's pick)."""
    if os.environ.get("IDX_PG_PORT"):
        return int(os.environ["IDX_PG_PORT"])
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _binaries() -> Path | None:
    """pg_ctl's folder: Debian keeps it out of PATH, under /usr/lib/postgresql/<major>/bin."""
    found = shutil.which("pg_ctl")
    if found:
        return Path(found).resolve().parent
    versions = sorted(glob.glob("/usr/lib/postgresql/*/bin/pg_ctl"), key=lambda p: int(Path(p).parts[-3]))
    return Path(versions[-1]).parent if versions else None


def _as_owner(owner: str | None, *cmd: str) -> subprocess.CompletedProcess:
    full = ["runuser", "-u", owner, "--", *cmd] if owner else list(cmd)
    return subprocess.run(full, capture_output=True, text=True, timeout=120)


def start_postgres(tmp: Path) -> tuple[str, callable]:
    """Start a cluster under `tmp`; return its DSN and the function that stops it."""
    bin_dir = _binaries()
    if bin_dir is None:
        pytest.skip("PostgreSQL's server is not installed (Debian: apt install postgresql)")
    owner = None
    if os.geteuid() == 0:
        owner = "postgres"
        if shutil.which("runuser") is None or subprocess.run(["id", owner], capture_output=True).returncode:
            pytest.skip("running as root, and there is no `postgres` user (or runuser) to run the server as")
        shutil.chown(tmp, owner)
    data, log = tmp / "data", tmp / "server.log"
    init = _as_owner(owner, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                     "--no-sync", "-E", "UTF8", "--locale", "C")
    if init.returncode:
        pytest.skip(f"initdb failed: {(init.stderr or init.stdout).strip()[:300]}")
    port = _port()
    options = f"-k {tmp} -c listen_addresses='' -p {port} -c fsync=off -c synchronous_commit=off"
    started = _as_owner(owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(log), "-w", "start")
    if started.returncode:
        text = log.read_text() if log.exists() else started.stderr
        pytest.skip(f"the PostgreSQL server did not start: {text.strip()[-300:]}")

    def stop() -> None:
        _as_owner(owner, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop")

    return f"host={tmp} port={port} user=postgres dbname=postgres", stop


@pytest.fixture(scope="session")
def postgres() -> Iterator[str]:
    """One PostgreSQL server for the whole test run: its DSN."""
    try:
        import psycopg  # noqa: F401
    except ImportError as err:
        pytest.skip(f"psycopg cannot be imported ({err}): pip install -e '.[test]'")
    # Not under pytest's own temporary folder: that is private to root, and the server
    # may run as `postgres`. The socket lives here, so no TCP port is taken.
    tmp = Path(tempfile.mkdtemp(prefix="idx-pg-"))
    try:
        dsn, stop = start_postgres(tmp)
        yield dsn
        stop()
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
