"""Compile cost: a generated spec of 200 definitions through parse, check, plan and
SQL generation, and the cold start of `idxc sql` (imports included)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def generated_spec(definitions: int = 200) -> str:
    """A chain of definitions that uses every kind of step: leader shares, chain
    indices, group means broadcast back, row-wise means, lags and ranks."""
    lines = ['table t: entity by period from "panel.parquet"', "  district attribute",
             "  " + ", ".join(f"x{k}" for k in range(1, 11))]
    forms = ("x{k} / max(x{k} over entity) * 100 + d{p}",
             "(chain(x{k}) ?? 1) * d{p}",
             "d{p} - mean(d{p} by district)",
             "mean(d{p}, x{k}, lag(x{k}))",
             "rank(d{p} desc) + d{p} / 1000")
    lines.append("let d0 = x1")
    for i in range(1, definitions):
        lines.append(f"let d{i} = " + forms[i % len(forms)].format(k=i % 10 + 1, p=i - 1))
    lines.append(f"output by entity, period: d{definitions - 1}")
    return "\n".join(lines) + "\n"


def compile_seconds(text: str, runs: int = 7) -> float:
    import idxlang

    times = []
    for _ in range(runs):
        start = time.perf_counter()
        spec = idxlang.loads(text, path="generated.idx")
        for output in spec.outputs:
            spec.sql(output)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def cold_start_seconds(runs: int = 7) -> float:
    exe = shutil.which("idxc", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "idxlang.cli"]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([*cmd, "sql", str(ROOT / "specs" / "import_substitution.idx")], check=True,
                       stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def report() -> str:
    compile_ms = 1000 * compile_seconds(generated_spec())
    cold = cold_start_seconds()
    return ("| measure | median | target |\n|---|---:|---:|\n"
            f"| compile 200 definitions (parse, check, plan, SQL) | {compile_ms:.0f} ms | < 150 ms |\n"
            f"| `idxc sql specs/import_substitution.idx` cold start | {cold:.2f} s | < 0.6 s |")
