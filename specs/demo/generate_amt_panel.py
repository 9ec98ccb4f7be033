"""Write the SYNTHETIC demo panel of specs/amt_portfolio.idx.

The news release (seed 000_76e7bcdaf1d7011e) publishes aggregates, not its regional
data, so the demo runs on invented regions whose aggregates match what is published:

- 85 regions of nine types, 2011-2018; AMT used, split by source (developed in-house,
  acquired in Russia, acquired abroad; here the three sources add up to the total);
- the national total of every year 2014-2018 equals the AMT count printed in Table 5 of
  seed 003_3969d2344ee7b1ab (NATIONAL below); the 2011 total makes 2011-2018 growth 33 %;
- every type's share of imported AMT lies in 16-38 % except one agricultural type, and
  every type's in-house share is under 22 %, both as the ratio of the type's totals and
  as the mean of its regions' shares, in every year.

Deterministic: the same file on every run (`write` checks those properties before it
writes anything).

    python specs/demo/generate_amt_panel.py [OUT.csv]
"""

from __future__ import annotations

import csv
import random
import sys
from collections import defaultdict
from pathlib import Path

SEED = 2018
DEFAULT = Path(__file__).with_name("amt_portfolio") / "amt_synthetic.csv"
SOURCES = ("amt_in_house", "amt_russia", "amt_abroad")

# Table 5 of seed 003 (amt_used_units) for 2014-2018; 2011 = 2018 / 1.33 (the release's
# +33 %); 2012 and 2013 lie on the geometric path from 2011 to 2014.
NATIONAL = {2011: 191_674, 2012: 195_872, 2013: 200_162,
            2014: 204_546, 2015: 218_018, 2016: 232_388, 2017: 240_054, 2018: 254_927}

# name, regions, relative size of a region, target shares (in-house, abroad).
# The release does not list its nine types; these names are illustrative.
TYPES = (
    ("Financial and economic centres", 4, 12.0, (0.18, 0.35)),
    ("Diversified economies", 10, 3.0, (0.17, 0.33)),
    ("Developed, extractive industries", 9, 2.0, (0.10, 0.26)),
    ("Developed, manufacturing", 11, 2.2, (0.12, 0.25)),
    ("Industrial, medium development", 12, 1.2, (0.09, 0.29)),
    ("Industrial and agricultural", 10, 0.8, (0.07, 0.27)),
    ("Agricultural, developed", 9, 0.6, (0.06, 0.21)),
    ("Agricultural, lagging", 12, 0.3, (0.04, 0.09)),
    ("Northern and sparsely populated", 8, 0.5, (0.05, 0.20)),
)
EXCEPTION = "Agricultural, lagging"   # the one type outside the 16-38 % import range


def apportion(total: int, weights: list[float]) -> list[int]:
    """Split an integer total in proportion to weights, largest remainder first."""
    scale = total / sum(weights)
    exact = [w * scale for w in weights]
    parts = [int(x) for x in exact]
    order = sorted(range(len(weights)), key=lambda i: exact[i] - parts[i], reverse=True)
    for i in order[: total - sum(parts)]:
        parts[i] += 1
    return parts


def rows(seed: int = SEED) -> list[dict[str, object]]:
    rng = random.Random(seed)
    regions = []
    for type_name, count, size, (in_house, abroad) in TYPES:
        for _ in range(count):
            weight = size * rng.lognormvariate(0, 0.5)
            mix = (max(0.01, in_house + rng.gauss(0, 0.02)), max(0.01, abroad + rng.gauss(0, 0.03)))
            regions.append((type_name, weight, rng.uniform(-0.02, 0.04), mix))
    out: list[dict[str, object]] = []
    for year, national in NATIONAL.items():
        weights = [w * (1 + trend) ** (year - 2011) * rng.uniform(0.95, 1.05) for _, w, trend, _ in regions]
        for number, (total, (type_name, _, _, (in_house, abroad))) in enumerate(
                zip(apportion(national, weights), regions), start=1):
            h = max(0.005, in_house + rng.gauss(0, 0.01))
            a = max(0.005, abroad + rng.gauss(0, 0.015))
            split = apportion(total, [h, 1 - h - a, a])
            out.append({"region": f"Synthetic region {number:02d}", "year": year, "region_type": type_name,
                        "amt_total": total, **dict(zip(SOURCES, split))})
    out.sort(key=lambda r: (r["region"], r["year"]))
    return out


def check(data: list[dict[str, object]]) -> None:
    """Fail loudly if the panel no longer has the published aggregates."""
    totals: dict[int, int] = defaultdict(int)
    for r in data:
        totals[r["year"]] += r["amt_total"]
        assert sum(r[s] for s in SOURCES) == r["amt_total"]
    assert totals == NATIONAL and round(100 * (totals[2018] / totals[2011] - 1)) == 33
    for type_name, *_ in TYPES:
        for year in NATIONAL:
            own = [r for r in data if r["region_type"] == type_name and r["year"] == year]
            pooled = {s: sum(r[s] for r in own) / sum(r["amt_total"] for r in own) for s in SOURCES}
            mean = {s: sum(r[s] / r["amt_total"] for r in own) / len(own) for s in SOURCES}
            for shares in (pooled, mean):
                assert shares["amt_in_house"] < 0.22, (type_name, year, shares)
                assert (type_name == EXCEPTION) != (0.16 <= shares["amt_abroad"] <= 0.38), (type_name, year, shares)


def write(path: Path, seed: int = SEED) -> None:
    data = rows(seed)
    check(data)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=list(data[0]))
        writer.writeheader()
        writer.writerows(data)


if __name__ == "__main__":
    write(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT)
