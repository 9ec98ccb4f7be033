"""What each SQL engine can take, so that every construct lowers to SQL with its one
documented meaning there (docs/language.md, "One meaning on every engine").

The compiler asks these profiles, never the dialect's name: a construct with a
portable form uses it everywhere; one an engine lacks is rewritten for it (lower.py
for model-level rewrites, the family's SQL in builtins/ for expression-level ones) or
refused, naming the construct, the spec line and the engine.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

from .diagnostics import Diagnostic, IdxError, did_you_mean


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
    quantile: bool = False  # an exact interpolated quantile and median, as an aggregate and as a window
    staging: Staging = Staging.TEMP_TABLE
    temp_schema: str | None = None  # where the session's temporary tables are, to drop one and not a namesake
    runs: bool = False  # `idxc run --engine` executes on it here
    compensated: bool = False  # FSUM, FAVG and ordered spreads (sql.compensated): deterministic in parallel
    enum_lookup: bool = False  # a name's bit found by casting it to an ENUM of the names (sql.looked_up)
    # NaN (a missing value, as pandas writes one) found by IS_NAN rather than as the value
    # equal to NaN (NULLIF(x, 'NaN')), where NaN is not equal to itself (BigQuery, Trino)
    nan_test: bool = False


DIALECTS: dict[str, Dialect] = {d.name: d for d in (
    Dialect("duckdb", quantile=True, runs=True, compensated=True, enum_lookup=True),
    Dialect("postgres", ignore_nulls=False, temp_schema="pg_temp", runs=True),
    Dialect("spark", staging=Staging.CACHED_VIEW, runs=True),
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

__all__ = ["Dialect", "DIALECTS", "DUCKDB", "ENGINES", "Staging", "dialect"]
