"""Run a command and print its wall seconds and peak resident MB as JSON.

A separate small process, because a child forked from a large parent inherits the
parent's high-water mark in ru_maxrss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Timing:
    seconds: float
    peak_mb: float
    exit: int


def timed(cmd: list[str], log: Path, cwd: Path) -> Timing:
    """One run of cmd in a fresh process, through `python -m bench.timed`; its stderr
    goes to log. A failed run is returned (exit != 0), not raised, so a caller can
    report it."""
    with log.open("w") as err:
        proc = subprocess.run([sys.executable, "-m", "bench.timed", *cmd], stdout=subprocess.PIPE, stderr=err,
                              text=True, cwd=cwd, check=False)
    found = json.loads(proc.stdout)
    return Timing(found["seconds"], found["peak_mb"], found["exit"])


def main(cmd: list[str]) -> int:
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    print(json.dumps({"seconds": elapsed, "peak_mb": usage.ru_maxrss / 1024, "exit": code}))
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
