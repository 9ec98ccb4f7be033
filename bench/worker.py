"""Run one baseline implementation of one scenario: python -m bench.worker IMPL SCENARIO DATA OUT [k=v ...]."""

from __future__ import annotations

import sys
from pathlib import Path


def main(argv: list[str]) -> None:
    impl, scenario, data, out, *settings = argv
    data_dir, out_dir = Path(data), Path(out)
    out_dir.mkdir(parents=True, exist_ok=True)
    if impl in ("hand", "scan"):
        import duckdb

        from . import hand
        from .scenarios import SCENARIOS

        config = {"preserve_insertion_order": False, **dict(s.split("=", 1) for s in settings)}
        con = duckdb.connect(config=config)
        if impl == "scan":
            hand.scan(data_dir, list(SCENARIOS[scenario].reads), con)
        else:
            getattr(hand, scenario)(data_dir, out_dir, con)
    elif impl in ("pandas", "polars"):
        module = __import__(f"bench.{impl}_impl", fromlist=[scenario])
        getattr(module, scenario)(data_dir, out_dir)
    else:
        raise SystemExit(f"unknown implementation {impl}")


if __name__ == "__main__":
    main(sys.argv[1:])
