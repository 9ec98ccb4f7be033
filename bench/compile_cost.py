"""Compile cost: a generated spec of 200 definitions through parse, check, plan and
SQL generation, and the cold start of `idxc sql` (imports included)."""

from __future__ import annotations

import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Callable

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


def median_seconds(work: Callable[[], object], runs: int = 7) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compile_seconds(text: str, pretty: bool) -> float:
    """Parse, check, plan the run and print the SQL it executes: laid out for review
    (`idxc sql`), or on one line as `idxc run` sends it to the engine."""
    import idxlang
    from idxlang.sql.trees import to_sql

    def compile_all() -> None:
        compiled = idxlang.loads(text, path="generated.idx").compile()
        for statement in compiled.statements:
            to_sql(statement.tree, pretty=pretty)

    return median_seconds(compile_all)


def phases(text: str) -> str:
    """Where compile time goes, one median each."""
    from idxlang.check import check
    from idxlang.compile import core, planned, script
    from idxlang.parse import parse
    from idxlang.sql.trees import to_sql

    def median(work: Callable[[], object]) -> float:
        return 1000 * median_seconds(work)

    tree = parse(text, "generated.idx")
    model = check(tree, {})
    lowered = core(model)
    outputs = list(model.outputs)
    made = planned(lowered, outputs)
    trees = [st.tree for st in script(made, lowered)]
    found = {"parse": median(lambda: parse(text, "generated.idx")), "check": median(lambda: check(tree, {})),
             "lower and stack": median(lambda: core(model)),
             "plan and passes": median(lambda: planned(lowered, outputs)),
             "sqlglot trees": median(lambda: script(made, lowered)),
             "print, laid out": median(lambda: [to_sql(t) for t in trees]),
             "print, one line": median(lambda: [to_sql(t, pretty=False) for t in trees])}
    return ", ".join(f"{k} {v:.0f} ms" for k, v in found.items())


def cold_start_seconds() -> float:
    exe = shutil.which("idxc", path=str(Path(sys.executable).parent))
    cmd = [exe] if exe else [sys.executable, "-m", "idxlang.cli"]
    sql = [*cmd, "sql", str(ROOT / "specs" / "import_substitution.idx")]
    return median_seconds(lambda: subprocess.run(sql, check=True, stdout=subprocess.DEVNULL))


def report() -> str:
    text = generated_spec()
    compile_seconds(text, True)  # warm-up: the first compiles of a process load grammar and dialect tables
    review, run = (1000 * compile_seconds(text, pretty) for pretty in (True, False))
    cold = cold_start_seconds()
    return ("| measure | median | target |\n|---|---:|---:|\n"
            f"| compile 200 definitions to SQL laid out for review (`idxc sql`) | {review:.0f} ms | < 150 ms |\n"
            f"| compile 200 definitions to SQL as `idxc run` sends it | {run:.0f} ms | < 150 ms |\n"
            f"| `idxc sql specs/import_substitution.idx` cold start | {cold:.2f} s | < 0.6 s |\n\n"
            f"Phases of one compile: {phases(text)}.")
