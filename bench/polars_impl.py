"""The polars baseline of `python -m bench`, written the way an experienced polars user would.

Lazy queries from `pl.scan_parquet` to Parquet, per-period windows as `.over()`
expressions, aggregates with `group_by`; polars pushes the column selection into the scan.
"""

from __future__ import annotations

from functools import reduce
from operator import add
from pathlib import Path

import polars as pl

RATING = [("A+", 85, 100), ("A", 70, 85), ("B+", 55, 70), ("B", 40, 55), ("C+", 25, 40), ("C", 10, 25)]


def _round2(y: pl.Expr) -> pl.Expr:
    """Round to 2 decimals, half away from zero (like C's std::round)."""
    return y.sign() * ((y * 100).abs() + 0.5).floor() / 100


def _classify(score: pl.Expr) -> pl.Expr:
    """(lo, hi] bands, "D" closed at 0; NULL outside [0, 100]."""
    expr = pl.when(score.is_between(0, 10, closed="both")).then(pl.lit("D"))
    for name, lo, hi in RATING:
        expr = expr.when(score.is_between(lo, hi, closed="right")).then(pl.lit(name))
    return expr.otherwise(None)


def _mean(exprs: list[pl.Expr]) -> pl.Expr:
    """Mean that propagates NULLs (unlike pl.mean_horizontal, which skips them)."""
    return reduce(add, exprs) / len(exprs)


def innovation(data: Path, out: Path) -> None:
    pct = [pl.col(f"x{k}") / pl.col(f"x{k}").max().over("period") * 100 for k in range(1, 11)]
    scored = (
        pl.scan_parquet(data / "panel.parquet")
        .select("entity", "period", "district", activity=_mean(pct[:7]), receptivity=_mean(pct[7:]))
        .with_columns(score=_round2((pl.col("activity") + pl.col("receptivity")) / 2))
    )
    entities = scored.select(
        "entity", "period", "activity", "receptivity", "score",
        _classify(pl.col("score")).alias("class"),
        pl.col("score").rank("min", descending=True).over("period").cast(pl.Int64).alias("place"),
    )  # row order of the scan: sorted by entity, period
    districts = (
        scored.group_by("district", "period")
        .agg(pl.col("score").mean())
        .with_columns(_classify(pl.col("score")).alias("class"))
        .sort("district", "period")
    )
    out.mkdir(parents=True, exist_ok=True)
    pl.collect_all([  # one run, sharing the scan and the scores
        entities.sink_parquet(out / "entities.parquet", lazy=True),
        districts.sink_parquet(out / "districts.parquet", lazy=True),
    ])


def import_substitution(data: Path, out: Path) -> None:
    # The panel is sorted by entity, period: the previous row is the previous period of
    # the same entity exactly when the entity matches and the period is one less (a plain
    # shift, several times faster than shift().over("entity") with many small groups).
    prev_is_last_period = (pl.col("entity").shift() == pl.col("entity")) & (pl.col("period").shift() == pl.col("period") - 1)

    def chain(x: str) -> pl.Expr:  # x(t) / x(t-1) of the same entity, 1 when missing
        return pl.when(prev_is_last_period).then(pl.col(x) / pl.col(x).shift()).fill_null(1.0)

    def product(v: pl.Expr) -> pl.Expr:
        return v.log().sum().exp()

    products = (
        pl.scan_parquet(data / "panel.parquet")
        .select("period", initial=chain("x1"), factors=chain("x2") * chain("x3"), x4=chain("x4"))
        .group_by("period")
        .agg(product(pl.col("initial")), product(pl.col("factors")), product(pl.col("x4")))
    )
    economy = pl.scan_parquet(data / "economy.parquet").select("period", "f1", "f2", "f3")
    (
        economy.join(products, on="period", how="left")
        .sort("period")
        .with_columns(
            basic=pl.col("factors") * pl.col("f1") / 100 * (1 + pl.col("f2") / 100),
            stability=pl.col("x4") * pl.col("f3") / pl.col("f3").shift(),  # one row per consecutive period
        )
        .with_columns(structural=pl.col("initial") * pl.col("basic") * pl.col("stability"))
        .select("period", "initial", "basic", "stability", "structural")
        .sink_parquet(out / "indices.parquet", mkdir=True)
    )
