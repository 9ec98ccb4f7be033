"""The pandas baseline of `python -m bench`, written the way an experienced pandas user would.

Vectorised column arithmetic, `groupby(...).transform` for per-period windows and
`groupby(...).agg` for aggregates; no Python loops over rows. Reads and writes Parquet.
"""

from __future__ import annotations

from functools import reduce
from operator import add
from pathlib import Path

import numpy as np
import pandas as pd

BANDS = [0, 10, 25, 40, 55, 70, 85, 100]
CLASSES = ["D", "C", "C+", "B", "B+", "A", "A+"]


def _round2(y: pd.Series) -> pd.Series:
    """Round to 2 decimals, half away from zero (like C's std::round)."""
    return np.sign(y) * np.floor(np.abs(y * 100) + 0.5) / 100


def _classify(score: pd.Series) -> pd.Series:
    """(lo, hi] bands, the lowest band closed at 0; NULL outside [0, 100]."""
    return pd.cut(score, BANDS, labels=CLASSES, include_lowest=True).astype("str")


def innovation(data: Path, out: Path) -> None:
    xs = [f"x{k}" for k in range(1, 11)]
    df = pd.read_parquet(data / "panel.parquet", columns=["entity", "period", "district", *xs])
    pct = df[xs] / df.groupby("period")[xs].transform("max") * 100  # NaN stays NaN
    df["activity"] = reduce(add, (pct[x] for x in xs[:7])) / 7
    df["receptivity"] = reduce(add, (pct[x] for x in xs[7:])) / 3
    df["score"] = _round2((df["activity"] + df["receptivity"]) / 2)
    df["class"] = _classify(df["score"])
    df["place"] = df.groupby("period")["score"].rank(method="min", ascending=False).astype("Int64")

    out.mkdir(parents=True, exist_ok=True)
    cols = ["entity", "period", "activity", "receptivity", "score", "class", "place"]
    df[cols].to_parquet(out / "entities.parquet", index=False)  # input is sorted by entity, period
    districts = df.groupby(["district", "period"], as_index=False)["score"].mean()
    districts["class"] = _classify(districts["score"])
    districts.to_parquet(out / "districts.parquet", index=False)


def import_substitution(data: Path, out: Path) -> None:
    xs = ["x1", "x2", "x3", "x4"]
    df = pd.read_parquet(data / "panel.parquet", columns=["entity", "period", *xs])
    eco = pd.read_parquet(data / "economy.parquet", columns=["period", "f1", "f2", "f3"]).sort_values("period")

    # The panel is sorted by entity, period: the previous row is the previous period
    # of the same entity exactly when the entity matches and the period is one less.
    prev = df.shift()
    same = (df["entity"] == prev["entity"]) & (df["period"] == prev["period"] + 1)
    chain = (df[xs] / prev[xs]).where(same, np.nan).fillna(1.0)

    logs = np.log(pd.DataFrame({
        "initial": chain["x1"],
        "factors": chain["x2"] * chain["x3"],
        "x4": chain["x4"],
    }))
    prod = np.exp(logs.groupby(df["period"]).sum())  # products across entities, by period

    res = eco.merge(prod, left_on="period", right_index=True, how="left")
    res["basic"] = res["factors"] * res["f1"] / 100 * (1 + res["f2"] / 100)
    res["stability"] = res["x4"] * res["f3"] / res["f3"].shift()  # one row per consecutive period
    res["structural"] = res["initial"] * res["basic"] * res["stability"]

    out.mkdir(parents=True, exist_ok=True)
    res[["period", "initial", "basic", "stability", "structural"]].to_parquet(out / "indices.parquet", index=False)
