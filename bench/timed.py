"""Run a command and print its wall seconds and peak resident MB as JSON.

A separate small process, because a child forked from a large parent inherits the
parent's high-water mark in ru_maxrss."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time


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
