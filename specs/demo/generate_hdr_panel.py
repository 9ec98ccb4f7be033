"""Write the SYNTHETIC demo file of specs/human_development.idx, laid out as UNDP
publishes its composite indices time series: one row per country, a column per
indicator and year (`le_2015`, ..., `gnipc_2022`), UTF-8 with a byte-order mark.

The countries are invented (`Synthetic country 01` ...), with plausible levels and
trends of life expectancy, expected and mean years of schooling and GNI per capita
(2017 PPP $); a few cells are empty, as in the published file. Deterministic: the same
file on every run.

    python specs/demo/generate_hdr_panel.py [OUT.csv]
"""

from __future__ import annotations

import csv
import math
import random
import sys
from pathlib import Path

YEARS = range(2015, 2023)
COUNTRIES = 30
SEED = 2024
DEFAULT = Path(__file__).with_name("human_development") / "hdr_synthetic.csv"


def rows(seed: int = SEED) -> list[list[object]]:
    rng = random.Random(seed)
    out = []
    for n in range(1, COUNTRIES + 1):
        level = rng.uniform(0, 1)  # how developed the country is
        le0, eys0 = 55 + 28 * level + rng.gauss(0, 2), 8 + 10 * level + rng.gauss(0, 1)
        mys0, gni0 = 3 + 10 * level + rng.gauss(0, 1), math.exp(7 + 3.8 * level + rng.gauss(0, 0.3))
        cells: dict[str, list[object]] = {"le": [], "eys": [], "mys": [], "gnipc": []}
        for k, _ in enumerate(YEARS):
            dip = 1.5 if k in (5, 6) else 0.0  # a dip in life expectancy, as in 2020-2021
            cells["le"].append(round(le0 + 0.25 * k - dip, 3))
            cells["eys"].append(round(eys0 + 0.05 * k, 3))
            cells["mys"].append(round(mys0 + 0.08 * k, 3))
            cells["gnipc"].append(round(gni0 * (1 + rng.gauss(0.02, 0.02)) ** k))
        if n % 11 == 0:
            cells["mys"][2] = ""  # a survey year missing
        out.append([f"SY{n:02d}", f"Synthetic country {n:02d}", *(v for name in cells for v in cells[name])])
    return out


def write(path: Path = DEFAULT) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["iso3", "country", *(f"{name}_{year}" for name in ("le", "eys", "mys", "gnipc") for year in YEARS)])
        w.writerows(rows())


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
