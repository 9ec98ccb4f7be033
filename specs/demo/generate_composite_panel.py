"""Write the SYNTHETIC raw panel of specs/composite_example.idx.

A worked example needs raw data with the troubles a real one has: counts to be
denominated by population or GDP, missing cells, a couple of outliers, and an
indicator where higher is worse. Invented numbers: 40 regions in 4 macro-regions,
2019-2023. Deterministic: the same file on every run.

    python specs/demo/generate_composite_panel.py [OUT.csv]
"""

from __future__ import annotations

import csv
import math
import random
import sys
from pathlib import Path

MACRO = ("North", "East", "South", "West")
YEARS = range(2019, 2024)
SEED = 2008  # the year the OECD/JRC Handbook appeared
DEFAULT = Path(__file__).with_name("composite_example") / "regions_synthetic.csv"
COLUMNS = ("region", "macro_region", "year", "population", "gdp", "patents", "rd_spend",
           "unemployment", "co2", "renewables")


def rows(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    for number in range(1, 41):
        macro = MACRO[(number - 1) % 4]
        people = math.exp(rng.uniform(12.5, 15.5))  # about 270,000 to 5.4 million
        wealth = rng.gauss(0, 0.35)
        for year in YEARS:
            grow = 1 + 0.02 * (year - 2019)
            gdp = people * 30_000 * math.exp(wealth + rng.gauss(0, 0.05)) * grow
            patents = people / 1e5 * math.exp(1.5 + wealth + rng.gauss(0, 0.6))
            if number in (7, 23):  # two innovation hubs: outliers across regions
                patents *= 25
            row = {"region": f"Synthetic region {number:02d}", "macro_region": macro, "year": year,
                   "population": round(people), "gdp": round(gdp / 1e6, 1),
                   "patents": round(patents), "rd_spend": round(gdp / 1e6 * rng.uniform(0.004, 0.03), 2),
                   "unemployment": round(max(1.5, 7 - 6 * wealth + rng.gauss(0, 1)), 1),
                   "co2": round(people * rng.uniform(4, 11) / 1e3, 1),
                   "renewables": round(min(95.0, max(2.0, 30 + 25 * rng.gauss(0, 1))), 1)}
            for column in ("patents", "rd_spend", "unemployment", "co2", "renewables"):
                if rng.random() < 0.04:
                    row[column] = ""  # a missing cell
            out.append(row)
    return out


def write(path: Path = DEFAULT, seed: int = SEED) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
        w.writeheader()
        w.writerows(rows(seed))


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
