"""Nothing lost (issue 13): a run that is interrupted (Ctrl-C, SIGTERM, SIGKILL), that
fails mid-way or that runs out of memory or disk leaves the previous outputs as they
were and no partial file among them; the limits give a clear message with the option
that gives more. The run interrupted is a real `idxc run` on a panel large enough to
take seconds (2M rows), stopped while its outputs are being written."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, idxc, random_panel
from idxlang.data.outputs import PARTIAL

SPEC = (ROOT / "bench" / "specs" / "innovation.idx").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def big(tmp_path_factory) -> Path:
    """A 2M-row panel (100,000 entities × 20 periods, ten indicators) and the bench's
    innovation spec over it, with a first run's outputs in out/."""
    work = tmp_path_factory.mktemp("big")
    random_panel(work / "panel.parquet", 100000)
    (work / "big.idx").write_text(SPEC, encoding="utf-8")
    done = idxc("run", str(work / "big.idx"), "--out", str(work / "out"), "--quiet")
    assert done.returncode == 0, done.stderr
    return work


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in folder.iterdir() if p.is_file()}


def _start(work: Path, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "idxlang.cli", "run", str(work / "big.idx"), "--out",
                             str(work / "out"), "--quiet", *args], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})


def _partial(folder: Path) -> list[Path]:
    return [p for p in folder.iterdir() if p.name.startswith(PARTIAL)]


@pytest.mark.parametrize("sig", [signal.SIGINT, signal.SIGTERM, signal.SIGKILL], ids=lambda s: s.name)
def test_an_interrupted_run_changes_no_file(big: Path, sig: signal.Signals) -> None:
    before = _snapshot(big / "out")
    proc = _start(big)
    deadline = time.time() + 60
    while not _partial(big / "out"):  # stopped while it writes its outputs
        assert proc.poll() is None and time.time() < deadline, "the run ended before writing its outputs"
        time.sleep(0.01)
    proc.send_signal(sig)
    code = proc.wait(timeout=60)
    assert _snapshot(big / "out") == before  # every previous output as it was, none half-written
    if sig is signal.SIGKILL:  # nothing can catch it: the hidden folder stays, the next run removes it
        assert code == -9 and _partial(big / "out")
        again = idxc("run", str(big / "big.idx"), "--out", str(big / "out"), "--quiet")
        assert again.returncode == 0 and not _partial(big / "out")
    else:
        assert code == 130 and "interrupted: no output was changed" in proc.stderr.read().decode(), code
        assert not _partial(big / "out")


def test_an_engine_error_mid_way_changes_no_file(big: Path, write) -> None:
    """The first output is written (into the hidden folder), the second fails: neither
    moves into place."""
    two = write("two.idx", 'table a: e by y from "a.csv"\n  x\ntable b: e by y from "b.parquet"\n  z\n\n'
                           "output first by e, y: x * 2 as x2\noutput second by e, y: z * 2 as z2\n")
    write("a.csv", "e,y,x\nA,2020,1\n")
    import duckdb

    duckdb.sql(f"COPY (SELECT 'A' AS e, 2020 AS y, 'text' AS z) TO '{two.parent / 'b.parquet'}'")
    out = two.parent / "res"
    out.mkdir()
    (out / "first.csv").write_text("previous\n", encoding="utf-8")
    proc = idxc("run", str(two), "--out", str(out), "--no-check")
    assert proc.returncode == 2 and "reading column 'z' of table b" in proc.stderr
    assert _snapshot(out) == {"first.csv": b"previous\n"} and not _partial(out)


def test_running_out_of_memory_says_which_option_gives_more(big: Path) -> None:
    proc = idxc("run", str(big / "big.idx"), "--out", str(big / "oom"), "--memory-limit", "30MB")
    assert proc.returncode == 2 and "DuckDB ran out of memory (--memory-limit 30MB)" in proc.stderr
    assert "raise --memory-limit" in proc.stderr and "--temp-dir" in proc.stderr
    assert not (big / "oom").exists() or not list((big / "oom").iterdir())


def _tiny_disk(path: Path) -> bool:
    path.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", "size=2m", "tmpfs", str(path)], capture_output=True).returncode == 0


def test_a_full_disk_says_so_and_leaves_no_partial_file(big: Path) -> None:
    disk = big / "tiny"
    if not _tiny_disk(disk):
        pytest.skip("a 2 MB disk needs root and tmpfs (mount -t tmpfs) here")
    try:
        (disk / "out").mkdir()
        (disk / "out" / "entities.csv").write_text("previous\n", encoding="utf-8")
        proc = idxc("run", str(big / "big.idx"), "--out", str(disk / "out"), "--quiet")
        assert proc.returncode == 2 and "a disk ran out of space writing the outputs" in proc.stderr, proc.stderr
        assert "no output was changed" in proc.stderr
        assert _snapshot(disk / "out") == {"entities.csv": b"previous\n"} and not _partial(disk / "out")
        # the same disk as the place to spill, with too little memory to do without it
        spilled = idxc("run", str(big / "big.idx"), "--out", str(big / "spilled"), "--quiet",
                       "--memory-limit", "150MB", "--temp-dir", str(disk / "spill"))
        assert spilled.returncode == 2 and "--temp-dir" in spilled.stderr, spilled.stderr
        assert "ran out of memory" in spilled.stderr or "ran out of space" in spilled.stderr
        assert not (big / "spilled").exists() or not list((big / "spilled").iterdir())
    finally:
        subprocess.run(["umount", str(disk)], capture_output=True)


def test_temp_dir_is_where_duckdb_spills(big: Path) -> None:
    """A memory limit below what the run holds at once, and a folder to spill to: the run
    completes within the limit and writes every output."""
    spill = big / "spill"
    spill.mkdir()
    proc = idxc("run", str(big / "big.idx"), "--out", str(big / "limited"), "--quiet", "--memory-limit", "400MB",
                "--temp-dir", str(spill), "--threads", "2")
    assert proc.returncode == 0, proc.stderr
    assert sorted(p.name for p in (big / "limited").iterdir()) == sorted(p.name for p in (big / "out").iterdir())
