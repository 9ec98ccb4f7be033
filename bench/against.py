"""Two versions of idxc on the same data, alternated in one run, beside the hand SQL:
`python -m bench.against OTHER_CHECKOUT [--entities N] [--runs R]` (make the other
checkout with `git worktree add DIR REV`). Ratios to the hand SQL measured in the same
run are what BENCHMARKS.md compares across versions: the VM's speed moves between runs."""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from . import panel
from .scenarios import SCENARIOS

ROOT = Path(__file__).resolve().parent.parent


def _seconds(cmd: list[str], pythonpath: Path) -> float:
    proc = subprocess.run([sys.executable, "-m", "bench.timed", *cmd], capture_output=True, text=True, cwd=ROOT,
                          env={**os.environ, "PYTHONPATH": str(pythonpath)})
    if proc.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed:\n{proc.stderr[-2000:]}")
    return float(json.loads(proc.stdout)["seconds"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.against", description=__doc__.split("\n\n")[0])
    parser.add_argument("other", type=Path, help="another checkout of idxlang (git worktree add DIR REV)")
    panel.add_arguments(parser, 1_000_000)
    args = parser.parse_args(argv)
    shape, data = panel.generated(args)
    found: dict[tuple[str, str], list[float]] = {}
    with tempfile.TemporaryDirectory(prefix="idxlang-against-", dir=args.data_dir) as tmp:
        for name, scenario in SCENARIOS.items():
            datas = [x for table, file in scenario.data_files for x in ("--data", f"{table}={data / file}")]
            for _ in range(args.runs):
                for label, root in (("this", ROOT), ("other", args.other.resolve())):
                    for check in ([], ["--no-check"]):
                        spec = root / "bench" / "specs" / scenario.spec.name
                        cmd = [sys.executable, "-m", "idxlang.cli", "run", str(spec), *datas, "--out",
                               str(Path(tmp) / label), "--format", "parquet", *check]
                        found.setdefault((name, label + (" --no-check" if check else "")), []).append(
                            _seconds(cmd, root))
                hand = [sys.executable, "-m", "bench.worker", "hand", name, str(data), str(Path(tmp) / "hand")]
                found.setdefault((name, "hand"), []).append(_seconds(hand, ROOT))
                print(name, {k[1]: round(v[-1], 2) for k, v in found.items() if k[0] == name}, file=sys.stderr)
    print("| scenario | idxc run as | this / hand | other / hand |\n|---|---|---:|---:|")
    for name in SCENARIOS:
        hand_s = statistics.median(found[(name, "hand")])
        for variant in ("", " --no-check"):
            this = statistics.median(found[(name, "this" + variant)]) / hand_s
            other = statistics.median(found[(name, "other" + variant)]) / hand_s
            print(f"| {name} | idxc{variant} | {this:.2f} | {other:.2f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
