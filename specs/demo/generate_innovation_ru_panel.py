"""Write the SYNTHETIC demo panel of specs/innovation_rating_ru.idx, laid out as Rosstat
publishes its regional tables: `;` between fields, a decimal comma and a space grouping
thousands (`12 345,6`), Windows-1251, Cyrillic names and headers, an empty cell where a
value is missing.

The numbers are invented (24 regions in the 8 federal districts, 2019-2022); the
region names are placeholders, not real regions. Deterministic: the same bytes on
every run.

    python specs/demo/generate_innovation_ru_panel.py [OUT.csv]
"""

from __future__ import annotations

import math
import random
import sys
from pathlib import Path

INDICATORS = ("затраты_на_исследования", "затраты_на_инновации", "инновационные_товары", "патенты",
              "производительность")
DISTRICTS = ("Центральный", "Северо-Западный", "Южный", "Северо-Кавказский", "Приволжский", "Уральский",
             "Сибирский", "Дальневосточный")
YEARS = range(2019, 2023)
SEED = 2022
DEFAULT = Path(__file__).with_name("innovation_rating_ru") / "регионы_synthetic.csv"


def number(value: float) -> str:
    """12345.6 as Rosstat prints it: 12 345,6."""
    whole, frac = f"{value:.1f}".split(".")
    groups = []
    while len(whole) > 3:
        whole, groups = whole[:-3], [whole[-3:], *groups]
    return " ".join([whole, *groups]) + "," + frac


def rows(seed: int = SEED) -> list[list[str]]:
    rng = random.Random(seed)
    out = []
    for d, district in enumerate(DISTRICTS):
        level = rng.uniform(-0.8, 0.6)
        for k in range(3):
            region = f"Регион {d * 3 + k + 1:02d}"
            talent = level + rng.gauss(0, 0.6)
            base = [math.exp(talent + rng.gauss(0, 0.5)) for _ in INDICATORS]
            for year in YEARS:
                cells = []
                for i, b in enumerate(base):
                    value = 1000 * b * (1 + 0.04 * (year - 2019) + rng.gauss(0, 0.05))
                    cells.append("" if rng.random() < 0.02 else number(value))
                out.append([region, str(year), district, *cells])
    return out


def write(path: Path, seed: int = SEED) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = [";".join(["регион", "год", "округ", *INDICATORS]), *(";".join(r) for r in rows(seed))]
    path.write_bytes(("\r\n".join(lines) + "\r\n").encode("cp1251"))


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
