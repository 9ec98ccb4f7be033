"""What counting skipped missing values costs a run: `python -m bench.tallies SPEC`
prints, as JSON, the median over 5 runs (in one process, after a warm-up) of the
whole run (compile, data checks, every statement) and of its counting statements."""

from __future__ import annotations

import json
import statistics
import sys
import time
from pathlib import Path


def measure(spec: Path, runs: int = 5) -> dict[str, float]:
    import idxlang
    from idxlang.compile import Kind
    from idxlang.data.checks import check_data
    from idxlang.data.sources import resolve_sources
    from idxlang.engines.duckdb import session
    from idxlang.sql.trees import to_sql

    totals, counts = [], []
    for _ in range(runs + 1):
        start = time.perf_counter()
        loaded = idxlang.load(spec)
        compiled = loaded.compile()
        sources = resolve_sources(loaded.model, None)
        con = session(sources)
        check_data(con, loaded.model, sources)
        counting = 0.0
        for st in [*compiled.setup(), *compiled.statements]:
            began = time.perf_counter()
            sql = to_sql(st.tree, pretty=False)
            if st.kind is Kind.OUTPUT:
                con.sql(sql).fetchall()
            else:
                con.execute(sql).fetchall()
            if st.kind is Kind.TALLY:
                counting += time.perf_counter() - began
        totals.append(time.perf_counter() - start)
        counts.append(counting)
    return {"run": statistics.median(totals[1:]), "counting": statistics.median(counts[1:])}


if __name__ == "__main__":
    print(json.dumps(measure(Path(sys.argv[1]))))
