"""Optimisation passes: each a plain function from plan to plan, run in this order.
Each keeps every value and every count as the plan before it computes them."""

from __future__ import annotations

from typing import Callable

from ..steps import Plan
from .dedupe import dedupe
from .fold_tallies import fold_tallies
from .pool_groups import pool_groups
from .pool_reductions import pool_reductions
from .report_outputs import report_outputs
from .rewind_tallies import rewind_tallies
from .share import share

PASSES: tuple[tuple[str, Callable[[Plan], Plan]], ...] = (
    ("dedupe", dedupe),  # steps equal but for their names: one step
    ("pool_reductions", pool_reductions),  # reductions of the same rows inside row-wise columns: one GROUP BY
    ("pool_groups", pool_groups),  # GROUP BYs of the same rows onto one grain: one GROUP BY
    ("rewind_tallies", rewind_tallies),  # a count of skipped values reads the first step with what it counts
    ("fold_tallies", fold_tallies),  # ... or adds up the counts of the GROUP BY that reduces those rows
    ("report_outputs", report_outputs),  # a count's line names every output that shows its reduction
    ("share", share),  # what two statements of a run compute: once, into a table
)
