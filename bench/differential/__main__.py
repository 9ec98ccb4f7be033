"""python -m bench.differential --cases 10000 [--seed N] [--save DIR]: a campaign of
generated specs and data through idxc and its oracles (see bench/differential/)."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from .campaign import run_campaign, save, shrink, summary
from .reduce import reduce
from .oracle import ORACLES


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.differential", description=__doc__)
    ap.add_argument("--cases", type=int, default=1000, help="how many generated cases to run")
    ap.add_argument("--seed", type=int, default=0, help="hypothesis seed (the same seed gives the same cases)")
    ap.add_argument("--save", type=Path, help="write each distinct disagreement's smallest case here")
    ap.add_argument("--shrink", type=int, default=20, help="shrink at most this many signatures (0: none)")
    ap.add_argument("--shrink-budget", type=float, default=60.0, help="seconds of hypothesis shrinking per signature")
    ap.add_argument("--reduce-budget", type=float, default=60.0,
                    help="seconds of deleting statements, columns, tables and rows per signature, after shrinking")
    ap.add_argument("--oracles", default=",".join(ORACLES), help=f"comma-separated, of {', '.join(ORACLES)}")
    ap.add_argument("--jobs", type=int, default=1, help="processes running cases side by side (no progress line)")
    ap.add_argument("--quiet", action="store_true", help="no progress line")
    args = ap.parse_args(argv)
    oracles = tuple(o for o in args.oracles.split(",") if o)
    started = time.monotonic()

    def progress(i: int, stats) -> None:  # type: ignore[no-untyped-def]
        if not args.quiet and (i % 25 == 0 or i == args.cases):
            print(f"\r{i}/{args.cases} cases, {stats.disagreeing} disagreeing, {len(stats.signatures)} signatures",
                  end="", file=sys.stderr, flush=True)

    stats = run_campaign(args.cases, args.seed, oracles, progress, jobs=args.jobs)
    if not args.quiet:
        print(file=sys.stderr)
    shrunk = {}
    for sig, _ in stats.signatures.most_common():
        index, first = stats.first[sig]
        smallest = None
        if len(shrunk) < args.shrink:
            smallest = shrink(sig, index, args.seed, oracles, args.shrink_budget)
            smallest = reduce(smallest or first, sig, oracles, args.reduce_budget)
        shrunk[sig] = smallest or first
        if args.save:
            save(shrunk[sig], args.save, sig)
    print(summary(stats, shrunk, time.monotonic() - started))
    return 1 if stats.signatures else 0


if __name__ == "__main__":
    sys.exit(main())
