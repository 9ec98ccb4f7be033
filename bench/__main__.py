"""python -m bench: idxc against hand-written SQL, polars, pandas and a scan floor.

    python -m bench --entities 1000000               # the 20M-row scenarios
    python -m bench --entities 5000000 --impls idxc,hand,scan --memory-limit 2GB --runs 1
    python -m bench --compile                        # compile cost and cold start only
    python -m bench --sensitivity 1000               # idxc sensitivity against a plain loop
    python -m bench --composite                      # composite49: idxc on a wide methodology
    python -m bench --fuzz 5000                      # the front end against 5,000 fuzzed specs

Prints, per scenario and implementation, the median wall time over --runs and the
peak memory of the runs, then the ratios the targets in BENCHMARKS.md are stated in.
Each implementation's outputs are checked equal to idxc's before any time counts.
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import compile_cost
from .compare import compare
from .panel import PanelShape
from .scenarios import IMPLS, SCENARIOS, Scenario, command
from .timed import timed

ROOT = Path(__file__).resolve().parent.parent


def measure(cmd: list[str], log: Path) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one run of cmd in a fresh process."""
    found = timed(cmd, log, ROOT)
    if found.exit != 0:
        raise SystemExit(f"{' '.join(cmd)} failed ({found.exit}):\n{log.read_text()[-2000:]}")
    return found.seconds, found.peak_mb


def run_scenario(scenario: Scenario, impls: list[str], data: Path, work: Path, runs: int,
                 settings: dict[str, str]) -> dict[str, tuple[float, float, str]]:
    found: dict[str, tuple[float, float, str]] = {}
    for impl in impls:
        out = work / scenario.name / impl
        times, peaks = [], []
        for _ in range(runs):
            seconds, peak = measure(command(impl, scenario, data, out, settings), work / f"{impl}.log")
            times.append(seconds)
            peaks.append(peak)
        verdict = "-" if impl in ("idxc", "scan") else compare(scenario, work / scenario.name / "idxc", out)
        found[impl] = (statistics.median(times), max(peaks), verdict)
        print(f"  {impl:7s} {found[impl][0]:8.2f} s  {found[impl][1]:8.0f} MB  {verdict}", file=sys.stderr, flush=True)
    return found


def report(results: dict[str, dict[str, tuple[float, float, str]]], shape: PanelShape, runs: int,
           settings: dict[str, str]) -> str:
    lines = [f"panel: {shape.entities:,} entities x {shape.periods} periods = {shape.rows:,} rows, "
             f"{shape.indicators} indicators, {shape.missing:.0%} missing; median of {runs} run(s); "
             f"settings: {settings or 'DuckDB defaults'}; {os.cpu_count()} cores, {platform.python_version()}",
             "", "| scenario | implementation | median s | peak MB | outputs equal idxc's |", "|---|---|---:|---:|---|"]
    for name, found in results.items():
        for impl, (seconds, peak, verdict) in found.items():
            lines.append(f"| {name} | {impl} | {seconds:.2f} | {peak:.0f} | {verdict} |")
    lines += ["", "| scenario | idxc run as | idxc / hand | idxc / scan | pandas / idxc | polars / idxc |",
              "|---|---|---:|---:|---:|---:|"]
    for name, found in results.items():
        def t(impl: str) -> float:
            return found.get(impl, (0.0, 0.0, ""))[0]

        for variant in ("idxc", "idxc_nocheck"):
            if variant in found:
                lines.append(f"| {name} | {variant} | {_ratio(t(variant), t('hand'))} | {_ratio(t(variant), t('scan'))} | "
                             f"{_ratio(t('pandas'), t(variant))} | {_ratio(t('polars'), t(variant))} |")
    return "\n".join(lines)


def _ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}" if a and b else "-"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__.split("\n\n")[0])
    parser.add_argument("--entities", type=int, default=1_000_000)
    parser.add_argument("--periods", type=int, default=20)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--scenarios", default=",".join(SCENARIOS))
    parser.add_argument("--impls", default=",".join(IMPLS))
    parser.add_argument("--memory-limit", help="DuckDB memory_limit for idxc, hand and scan, e.g. 2GB")
    parser.add_argument("--threads", help="DuckDB threads")
    parser.add_argument("--data-dir", type=Path, default=Path(tempfile.gettempdir()) / "idxlang-bench",
                        help="where the generated panels are kept between runs")
    parser.add_argument("--compile", action="store_true", help="measure compile cost and cold start only")
    parser.add_argument("--sensitivity", type=int, metavar="DRAWS",
                        help="measure idxc sensitivity against a plain loop over DRAWS draws only")
    parser.add_argument("--composite", action="store_true",
                        help="measure the composite49 scenario (51 countries x 49 indicators, bench/composite.py) "
                             "and specs/composite_example.idx only")
    parser.add_argument("--composite-forms", default="def,steps", help="composite49 spec forms to run")
    parser.add_argument("--fuzz", type=int, metavar="N", help="the front end against N fuzzed specs (bench/fuzz.py)")
    parser.add_argument("--seed", type=int, default=0, help="the fuzzer's seed")
    args = parser.parse_args(argv)
    if args.fuzz:
        from . import fuzz

        return fuzz.main(args.fuzz, args.seed)
    if args.compile:
        print(compile_cost.report())
        return 0
    if args.composite:
        from . import composite

        args.data_dir.mkdir(parents=True, exist_ok=True)
        print(composite.report(args.runs, args.data_dir, tuple(args.composite_forms.split(","))))
        return 0
    if args.sensitivity:
        from . import sensitivity

        print(sensitivity.report(args.sensitivity))
        return 0
    shape = PanelShape(entities=args.entities, periods=args.periods)
    data = args.data_dir / f"{shape.entities}x{shape.periods}"
    print(f"panel {data} ...", file=sys.stderr, flush=True)
    # in a process of its own, so this one stays small for the children it measures
    subprocess.run([sys.executable, "-m", "bench.panel", str(shape.entities), str(shape.periods), str(data)],
                   check=True, cwd=ROOT)
    settings = {k: v for k, v in {"memory_limit": args.memory_limit, "threads": args.threads}.items() if v}
    if args.memory_limit:
        settings["temp_directory"] = str(data / "spill")
    results = {}
    with tempfile.TemporaryDirectory(prefix="idxlang-bench-", dir=args.data_dir) as tmp:
        for name in args.scenarios.split(","):
            print(f"{name}:", file=sys.stderr, flush=True)
            results[name] = run_scenario(SCENARIOS[name], args.impls.split(","), data, Path(tmp), args.runs, settings)
    print(report(results, shape, args.runs, settings))
    return 0


if __name__ == "__main__":
    sys.exit(main())
