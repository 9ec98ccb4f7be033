"""Write the SYNTHETIC data and metadata of specs/framework_example.idx.

An indicator framework the size of the real ones, from a metadata table as COINr keeps
it (iMeta): 24 indicators in 6 pillars, 2 sub-indices and an index, weights, two
indicators where higher is worse, five to be divided by a denominator (population or
GDP), and the data for 40 countries in two groups over 2021-2022 with missing cells.
Invented numbers, drawn without outliers so that `treat` leaves them as they are (the
test computes the index in plain Python and says so). Deterministic.

    python specs/demo/generate_framework_panel.py [OUT.csv]   (meta.csv is written beside it)
"""

from __future__ import annotations

import csv
import random
import sys
from pathlib import Path

SEED = 2024
FOLDER = Path(__file__).with_name("framework_example")
DEFAULT = FOLDER / "countries_synthetic.csv"
PILLARS = {"Trade": "Economy", "Finance": "Economy", "Infrastructure": "Economy",
           "People": "Society", "Institutions": "Society", "Environment": "Society"}
WORSE = {"Inf3", "Env2"}
DENOMINATED = {"Tra1": "GDP", "Tra2": "GDP", "Fin1": "GDP", "Peo1": "Population", "Env1": "Population"}


def meta() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    rows: list[dict[str, object]] = []
    for pillar in PILLARS:
        for k in range(1, 5):
            code = f"{pillar[:3]}{k}"
            rows.append({"Level": 1, "iCode": code, "iName": f"{pillar} indicator {k}", "Parent": pillar,
                         "Weight": rng.choice((1, 1, 1, 0.5, 2)), "Direction": -1 if code in WORSE else 1,
                         "Denominator": DENOMINATED.get(code, ""), "Type": "Indicator"})
    rows += [{"Level": 2, "iCode": p, "iName": f"{p} pillar", "Parent": s, "Weight": 1, "Direction": 1,
              "Denominator": "", "Type": "Aggregate"} for p, s in PILLARS.items()]
    rows += [{"Level": 3, "iCode": s, "iName": f"{s} sub-index", "Parent": "Index", "Weight": w, "Direction": 1,
              "Denominator": "", "Type": "Aggregate"} for s, w in (("Economy", 2), ("Society", 1))]
    rows.append({"Level": 4, "iCode": "Index", "iName": "Connectivity index", "Parent": "", "Weight": 1,
                 "Direction": 1, "Denominator": "", "Type": "Aggregate"})
    rows += [{"Level": "", "iCode": d, "iName": n, "Parent": "", "Weight": "", "Direction": "", "Denominator": "",
              "Type": "Denominator"} for d, n in (("GDP", "GDP, billion"), ("Population", "Population, million"))]
    return rows


def data(codes: list[str]) -> list[dict[str, object]]:
    rng = random.Random(SEED + 1)
    rows = []
    for n in range(1, 41):
        group = "Europe" if n <= 22 else "Asia"
        level = rng.uniform(0.7, 1.3)
        for year in (2021, 2022):
            row: dict[str, object] = {"country": f"C{n:02d}", "group": group, "year": year,
                                      "GDP": round(rng.uniform(50, 500), 1), "Population": round(rng.uniform(2, 80), 2)}
            for code in codes:
                value = rng.gauss(50 * level, 8)  # near-normal: nothing for treat to do
                if code in DENOMINATED:
                    value *= float(row[DENOMINATED[code]]) / 100  # a count, divided back by its denominator
                row[code] = "" if rng.random() < 0.04 else round(value, 3)
            rows.append(row)
    return rows


def write(path: Path = DEFAULT) -> None:
    """The data at `path`, its metadata (meta.csv) beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    m = meta()
    with (path.parent / "meta.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(m[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(m)
    codes = [str(r["iCode"]) for r in m if r["Type"] == "Indicator"]
    d = data(codes)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(d[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(d)


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
