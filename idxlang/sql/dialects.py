"""What each SQL engine can take, so that every construct lowers to SQL with its one
documented meaning there (docs/language.md, "One meaning on every engine").

The compiler asks these profiles, never the dialect's name: a construct with a
portable form uses it everywhere; one an engine lacks is rewritten for it (planning/lower.py
for model-level rewrites, the family's SQL in builtins/ for expression-level ones) or
refused, naming the construct, the spec line and the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from ..diagnostics import Diagnostic, IdxError, did_you_mean


class Summing(Enum):
    """How a sum of doubles (a sum, a mean, the power sums of skew and kurt) adds its
    values on an engine: in one order, the same on every engine that runs it, since a
    double sum's last bits follow the order of its additions (reductions.Over). Over a
    whole window partition it is `SUM(x) OVER (... ORDER BY x ROWS BETWEEN UNBOUNDED
    PRECEDING AND UNBOUNDED FOLLOWING)` everywhere, which each adds row by row."""

    ORDERED = "ordered"  # the engine's SUM adds in the order asked: SUM(x ORDER BY x); a running window's, by its rows
    FOLDED = "folded"  # the values gathered into a list in order and added one by one (AGGREGATE, LIST_REDUCE)
    PLAIN = "plain"  # SUM(x) in whatever order the engine meets the rows (dialects idxc only prints)


class Staging(Enum):
    """How a step several outputs read is kept for the run, without touching anything
    that outlives it: a temporary table, a cached temporary view, or not at all (each
    output computes it)."""

    TEMP_TABLE = "temporary table"
    CACHED_VIEW = "cached temporary view"
    NONE = "none"


@dataclass(frozen=True)
class Dialect:
    name: str  # sqlglot's
    ignore_nulls: bool = True  # LAST_VALUE(x IGNORE NULLS) over a window: the fills, interpolate
    staging: Staging = Staging.TEMP_TABLE
    temp_schema: str | None = None  # where the session's temporary tables are, to drop one and not a namesake
    runs: bool = False  # `idxc run --engine` executes on it here
    grouped_sums: Summing = Summing.PLAIN  # in a GROUP BY: ordered by value, or a fold of the sorted values
    running_sums: Summing = Summing.PLAIN  # a running window's (cumsum): the frame's rows in order
    signed_zero_sum: bool = False  # SUM starts from its first value, not 0: a sum of -0.0 alone is -0.0 (+ 0 makes it 0.0)
    enum_lookup: bool = False  # a name's bit found by casting it to an ENUM of the names (sql.looked_up)
    # NaN (a missing value, as pandas writes one) found by IS_NAN rather than as the value
    # equal to NaN (NULLIF(x, 'NaN')), where NaN is not equal to itself (BigQuery, Trino)
    nan_test: bool = False


DIALECTS: dict[str, Dialect] = {d.name: d for d in (
    # DuckDB's running SUM window adds a segment tree's partial sums, not row by row: folded there
    Dialect("duckdb", runs=True, grouped_sums=Summing.ORDERED, running_sums=Summing.FOLDED, enum_lookup=True),
    Dialect("postgres", ignore_nulls=False, temp_schema="pg_temp", runs=True, grouped_sums=Summing.ORDERED,
            running_sums=Summing.ORDERED, signed_zero_sum=True),
    # Spark's SUM takes no ORDER BY (nor WITHIN GROUP): a GROUP BY folds the sorted values
    Dialect("spark", staging=Staging.CACHED_VIEW, runs=True, grouped_sums=Summing.FOLDED,
            running_sums=Summing.ORDERED),
    Dialect("bigquery", nan_test=True),
    Dialect("snowflake"),
    Dialect("trino", staging=Staging.NONE, nan_test=True),
)}

ENGINES = tuple(name for name, d in DIALECTS.items() if d.runs)


def dialect(name: str) -> Dialect:
    """The profile of `name`, or a clear error naming those there are."""
    found = DIALECTS.get(name.lower())
    if found is None:
        raise IdxError(Diagnostic("error", f"--dialect {name}: idxc writes SQL for {', '.join(DIALECTS)}",
                                  hint=did_you_mean(name.lower(), DIALECTS)))
    return found


DUCKDB = DIALECTS["duckdb"]

__all__ = ["Dialect", "DIALECTS", "DUCKDB", "ENGINES", "Staging", "Summing", "dialect"]
