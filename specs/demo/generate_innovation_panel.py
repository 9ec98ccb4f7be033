"""Write the SYNTHETIC demo panel of specs/innovation_competitiveness.idx.

The paper (seed 002_40dff1997a2dd20f) publishes results, not its regional inputs,
so the demo runs on invented numbers: 85 regions in 8 districts, 2005-2008, the
ten indicators of the methodology. Deterministic: the same file on every run.

    python specs/demo/generate_innovation_panel.py [OUT.csv]
"""

from __future__ import annotations

import csv
import math
import random
import sys
from pathlib import Path

INDICATORS = (
    "rd_costs", "tech_innovation_costs", "innovative_output", "patents", "innovative_orgs",
    "research_activity", "tech_activity", "labour_productivity", "capital_productivity", "eco_efficiency",
)
DISTRICTS = ("Central", "North-Western", "Southern", "North Caucasian", "Volga", "Ural", "Siberian", "Far Eastern")
SIZES = (18, 11, 8, 7, 14, 6, 12, 9)  # 85 regions
YEARS = range(2005, 2009)
SEED = 2010
DEFAULT = Path(__file__).with_name("innovation_competitiveness") / "regions_synthetic.csv"


def rows(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    out: list[dict[str, object]] = []
    number = 0
    for district, size in zip(DISTRICTS, SIZES):
        level = rng.uniform(-0.6, 0.4)
        for _ in range(size):
            number += 1
            region = f"Synthetic region {number:02d}"
            talent = level + rng.gauss(0, 0.7)
            base = {ind: math.exp(talent + rng.gauss(0, 0.5)) for ind in INDICATORS}
            for year in YEARS:
                row: dict[str, object] = {"region": region, "year": year, "district": district}
                for ind in INDICATORS:
                    drift = 1 + 0.03 * (year - 2005) + rng.gauss(0, 0.05)
                    row[ind] = round(100 * base[ind] * drift, 3)
                out.append(row)
    return out


def write(path: Path, seed: int = SEED) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = rows(seed)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
