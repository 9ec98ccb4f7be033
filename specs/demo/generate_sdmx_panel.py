"""Write the SYNTHETIC SDMX-CSV demo file read by specs/demo/sdmx/regional_gdp.idx.

SDMX-CSV is the exchange format of Eurostat, the OECD, the IMF and the ECB: a row per
observation, a column per dimension, the number in OBS_VALUE and its flag in OBS_FLAG.
This file is shaped as Eurostat's download of regional accounts (dataflow, last update,
`freq`, `unit`, `na_item`, `geo`, TIME_PERIOD, OBS_VALUE, OBS_FLAG), for twelve invented
regions of an invented country `XX`, 2018-2022, three items: GDP (million euro),
population and employment (thousand persons). As Eurostat publishes: the last year's
numbers provisional (`p`), some estimated (`e`), one region's 2019 GDP confidential (no
value, flag `c`), and rows in no particular order.

Deterministic: the same file on every run.

    python specs/demo/generate_sdmx_panel.py [OUT.csv]
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

SEED = 25
DEFAULT = Path(__file__).with_name("sdmx") / "synthetic_regional_accounts.csv"
YEARS = range(2018, 2023)
REGIONS = [f"XX{a}{b}" for a in (1, 2, 3) for b in (1, 2, 3, 4)]
HEADER = ["DATAFLOW", "LAST UPDATE", "freq", "unit", "na_item", "geo", "TIME_PERIOD", "OBS_VALUE", "OBS_FLAG"]
UNITS = {"B1GQ": "MIO_EUR", "POP": "THS_PER", "EMP": "THS_PER"}


def rows() -> list[list[str]]:
    rng = random.Random(SEED)
    out = []
    for geo in REGIONS:
        pop = rng.uniform(300, 3000)
        per_head = rng.uniform(18, 55)  # thousand euro
        employed = rng.uniform(0.38, 0.52)
        for year in YEARS:
            growth = (1 + rng.uniform(-0.01, 0.04)) ** (year - 2018)
            values = {"B1GQ": pop * per_head * growth, "POP": pop * (1 + 0.002 * (year - 2018)), "EMP": pop * employed}
            for item, value in values.items():
                flag = "p" if year == 2022 else "e" if rng.random() < 0.08 else ""
                text = f"{value:.1f}"
                if geo == "XX34" and year == 2019 and item == "B1GQ":
                    text, flag = "", "c"
                out.append(["ESTAT:SYNTHETIC_REGIONAL_ACCOUNTS(1.0)", "01/12/26 23:00:00", "A", UNITS[item], item, geo,
                            str(year), text, flag])
    rng.shuffle(out)
    return out


def write(path: Path = DEFAULT) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(HEADER)
        w.writerows(rows())
    return path


if __name__ == "__main__":
    print(write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT))
