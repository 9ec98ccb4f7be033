"""Writes probe.csv and world.csv, the probe spec's data: every case an engine could
get wrong, chosen by hand (run `python tests/engines/make_probe.py` after a change).

- h: half-way decimals for round() (1.005, 2.675, -2.5, 0.125, ...), which binary
  floating point stores just below or above the half.
- t: ties, for every tie rule of rank().
- o: one outlier per year (treat() must Winsorise it), plus missing cells.
- x, y: ordinary values with missing cells; region r03 has no row for 2012 (a gap in
  time, for lag, interpolate), r08 is mostly missing (the screen drops it).

probe_long.csv holds x, y and t of probe.csv laid out long (one row per region, year and
variable, a missing cell an absent row, plus a variable no spec reads), for long.idx;
probe_wide.csv holds x and y a column per year (`x_2010`), UTF-8 with a BOM, for wide.idx;
regions.csv a region's macro-region, an attribute in a table of its own, for wide.idx.
probe_quarterly.csv holds x and y by quarter, labelled 2021Q1..2023Q4, r03 without 2022Q2
(a gap), and probe_monthly.csv a price index by month as DATE (the month's first day),
r02 without 2023-03, for quarterly.idx.
"""

import csv
from pathlib import Path

HERE = Path(__file__).resolve().parent
REGIONS = [f"r{i:02d}" for i in range(1, 9)]
YEARS = range(2010, 2016)
HALVES = [1.005, 2.675, -2.5, 0.125, 1.255, 10.005, -1.005, 0.5, 2.5, 1234.5675, 0.285, 4.35]


def row(i: int, year: int) -> dict[str, object]:
    k = (year - 2010) * 8 + i
    x = round(10 + 3.7 * i + 1.9 * (year - 2010) + (i * year) % 5, 3)
    y = round(2 + (i * 7 + year) % 9 + 0.25 * i, 3)
    o = float(i + 1 + (year - 2010) % 3) if i != 6 else 100.0 + year - 2010  # r07 is the outlier
    out = {"region": REGIONS[i], "year": year, "grp": "A" if i < 4 else "B", "h": HALVES[k % len(HALVES)],
           "t": float((i // 2) * 10 + (year - 2010) % 2), "o": o, "x": x, "y": y}
    if (i + year) % 7 == 0:
        out["x"] = ""
    if (i * 3 + year) % 11 == 0:
        out["y"] = ""
    if i == 2 and year == 2014:
        out["o"] = ""
    if i == 7 and year != 2010:
        out["x"] = out["y"] = ""
    return out


QUARTERS = [f"{year}Q{q}" for year in (2021, 2022, 2023) for q in range(1, 5)]
MONTHS = [f"{year}-{m:02d}-01" for year in (2022, 2023) for m in range(1, 13)]


def calendar_rows() -> tuple[list[list[object]], list[list[object]]]:
    quarters = [[region, label, round(50 + 4.1 * i + 1.3 * k + (i * k) % 4, 3) if (i + k) % 9 else "",
                 round(1 + (i * 5 + k) % 7 + 0.5 * i, 3)]
                for i, region in enumerate(REGIONS[:5]) for k, label in enumerate(QUARTERS)
                if not (i == 2 and label == "2022Q2")]
    months = [[region, day, round(100 * (1.004 + 0.001 * i) ** k + (k % 3) * 0.1, 4)]
              for i, region in enumerate(REGIONS[:3]) for k, day in enumerate(MONTHS)
              if not (i == 1 and day == "2023-03-01")]
    return quarters, months


def main() -> None:
    rows = [row(i, year) for i in range(len(REGIONS)) for year in YEARS if not (i == 2 and year == 2012)]
    with open(HERE / "probe.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]))
        w.writeheader()
        w.writerows(rows)
    with open(HERE / "probe_long.csv", "w", newline="", encoding="utf-8") as f:  # the same, one row per variable
        w = csv.writer(f)
        w.writerow(["region", "year", "grp", "indicator", "value"])
        for r in rows:
            for name in ("x", "y", "t"):
                if r[name] != "":  # a missing cell is an absent row, as long files have it
                    w.writerow([r["region"], r["year"], r["grp"], name, r[name]])
            w.writerow([r["region"], r["year"], r["grp"], "unused", 1])
    with open(HERE / "probe_wide.csv", "w", newline="", encoding="utf-8-sig") as f:  # a column per variable and year
        w = csv.writer(f)
        w.writerow(["region", "grp", *(f"{v}_{year}" for v in ("x", "y") for year in YEARS)])
        for i, region in enumerate(REGIONS):
            cells = {(r["year"], v): r[v] for r in rows if r["region"] == region for v in ("x", "y")}
            w.writerow([region, "A" if i < 4 else "B", *(cells.get((year, v), "") for v in ("x", "y") for year in YEARS)])
    with open(HERE / "regions.csv", "w", newline="", encoding="utf-8") as f:  # an attribute in its own table
        w = csv.writer(f)
        w.writerow(["region", "macro"])
        w.writerows([region, "north" if i % 3 else "south"] for i, region in enumerate(REGIONS))
    quarters, months = calendar_rows()
    for name, header, lines in (("probe_quarterly.csv", ["region", "quarter", "x", "y"], quarters),
                                ("probe_monthly.csv", ["region", "month", "cpi"], months)):
        with open(HERE / name, "w", newline="", encoding="utf-8") as f:
            w = csv.writer(f)
            w.writerow(header)
            w.writerows(lines)
    with open(HERE / "world.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["year", "deflator"])
        for year in YEARS:
            w.writerow([year, round(100 * 1.021 ** (year - 2010), 4)])


if __name__ == "__main__":
    main()
