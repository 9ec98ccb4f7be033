"""The composite49 scenario: a typical published composite index (the shape of COINr's
ASEM example), 51 countries x 49 indicators in one year, 2023.

The methodology: denominate some indicators by population or GDP, impute a missing
value by its group's mean, treat outliers (COINr's rule) on every indicator, min-max
onto 0-100, arithmetic means at three levels (7 pillars of 7 indicators, 3 dimensions
of pillars, the index) and a rank. It is written three ways:

- two idx specs for the same methodology, the natural `def` form and the "one `let`
  per step and indicator" form, so the bench shows what the form of a spec costs;
- `bench/composite_hand.py`, the pipeline as an expert writes it in DuckDB (the
  baseline idxc is timed against);
- `plain()` below, the same pipeline in plain Python (no SQL), so the baseline is
  checked against something that shares no engine with it.

Small panel, large plan: the point is the cost of a wide methodology (49 treated
indicators, each Winsorisation step a definition), not of the data.

    python -m bench.composite DIR    # write panel.csv and both specs into DIR
"""

from __future__ import annotations

import csv
import math
import random
import re
import statistics
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .coinr import treat

SEED = 49
YEAR = 2023
GROUP_SIZES = (14, 12, 10, 9, 6)      # 51 countries in 5 groups
MISSING = 0.05                        # share of indicator cells left empty
INDICATORS = tuple(f"i{k:02d}" for k in range(1, 50))
PILLARS = tuple(INDICATORS[7 * p:7 * p + 7] for p in range(7))
DIMENSIONS = ((1, 2, 3), (4, 5), (6, 7))   # pillar numbers
OUTPUT_KEYS = ("country", "year")
OUTPUT_COLUMNS = (*OUTPUT_KEYS, "grp", *(f"p{p}" for p in range(1, 8)), *(f"d{d}" for d in range(1, 4)),
                  "index", "place")
# One indicator the smallest group never reports: imputation has nothing to borrow, so
# the gap reaches the pillar, dimension and index of those countries, and they get no
# place. Checks that every implementation propagates a missing value the same way.
GROUP_GAP = ("i38", "g5")

# Outlier-prone indicators (after denomination), about a third of the 49:
HEAVY = {4: 1.6, 12: 2.0, 20: 2.4, 23: 1.4, 29: 1.8, 37: 2.2, 44: 3.0, 46: 2.6}  # lognormal, sigma
HIGH_OUTLIERS = {6: 1, 15: 2, 26: 3, 34: 2, 42: 1, 49: 3}   # a few points far above the rest
LOW_OUTLIERS = {9: 2, 39: 1}                                # far below: skews left
# Near zero but for 6 hubs far above, and complete (no empty cell): 5 points Winsorised
# leave 6 equal hubs, still skewed (Excel's KURT about 4), so treat() takes the log.
HUBS = {17: 6, 31: 6}


@dataclass(frozen=True)
class Denominator:
    column: str    # "population" or "gdp"
    scale: float   # i / column * scale


def denominator(indicator: str) -> Denominator | None:
    """A third of the indicators are counts per 100,000 residents, a third amounts per
    billion of GDP (GDP is in millions), a third are already rates and stay raw."""
    k = int(indicator[1:])
    return {1: Denominator("gdp", 1000.0), 2: Denominator("population", 100000.0)}.get(k % 3)


def _group_of(number: int) -> str:
    """Countries 1..51 in groups g1..g5 of GROUP_SIZES, in order."""
    bound = 0
    for g, size in enumerate(GROUP_SIZES, 1):
        bound += size
        if number <= bound:
            return f"g{g}"
    raise ValueError(number)


def _sig(x: float) -> float:
    """Six significant digits, as a published table would give them."""
    return float(f"{x:.6g}")


def panel_rows(seed: int = SEED) -> list[dict[str, object]]:
    """The panel, one row per country. Each indicator's value per unit (after the
    spec's denomination) is drawn first; a denominated indicator is stored as a count
    or an amount, so dividing by the denominator gives that value back (to 6 digits)."""
    rng = random.Random(seed)
    countries = [(f"C{n:02d}", _group_of(n)) for n in range(1, sum(GROUP_SIZES) + 1)]
    groups = sorted({g for _, g in countries})
    shift = {(g, i): rng.gauss(0, 0.25) for g in groups for i in INDICATORS}  # groups differ a little
    values: dict[str, list[float]] = {i: [] for i in INDICATORS}
    people = [math.exp(rng.uniform(13.0, 21.0)) for _ in countries]            # 440 thousand to 1.3 billion
    gdp = [p * math.exp(rng.gauss(9.3, 0.9)) / 1e6 for p in people]           # millions
    for i in INDICATORS:
        k = int(i[1:])
        level = rng.uniform(5, 80)
        for _, g in countries:
            if k in HEAVY:
                y = level / 10 * math.exp(HEAVY[k] * rng.gauss(0, 1))
            elif k in HUBS:
                y = level / 50 * math.exp(0.5 * rng.gauss(0, 1))
            else:
                y = level * (1 + 0.2 * rng.gauss(0, 1))
            values[i].append(abs(y) * math.exp(shift[(g, i)]))
        for c in rng.sample(range(len(countries)), HIGH_OUTLIERS.get(k, 0)):
            values[i][c] *= rng.uniform(8, 25)
        for c in rng.sample(range(len(countries)), HUBS.get(k, 0)):
            values[i][c] = level * rng.uniform(10, 30)
        for c in rng.sample(range(len(countries)), LOW_OUTLIERS.get(k, 0)):
            values[i][c] = statistics.fmean(values[i]) * rng.uniform(-4, -2)   # far below, negative
    rows: list[dict[str, object]] = []
    for c, (name, g) in enumerate(countries):
        row: dict[str, object] = {"country": name, "year": YEAR, "grp": g,
                                  "population": round(people[c]), "gdp": _sig(gdp[c])}
        for i in INDICATORS:
            d = denominator(i)
            unit = {"population": people[c], "gdp": gdp[c]}[d.column] / d.scale if d else 1.0
            gap = (i, g) == GROUP_GAP or (rng.random() < MISSING and int(i[1:]) not in HUBS)
            row[i] = "" if gap else _sig(values[i][c] * unit)
        rows.append(row)
    return rows


def empty_share(panel: Path) -> float:
    """The share of indicator cells a panel leaves empty."""
    with panel.open(encoding="utf-8") as f:
        cells = [r[i] for r in csv.DictReader(f) for i in INDICATORS]
    return sum(c == "" for c in cells) / len(cells)


def write_panel(path: Path, seed: int = SEED) -> Path:
    """Write panel.csv (the same bytes on every run)."""
    rows = panel_rows(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(rows[0]), lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


# ---------------------------------------------------------------- the two specs

def _denominated(i: str) -> str:
    d = denominator(i)
    return f"{i} / {d.column} * {d.scale:g}" if d else i


def _header(form: str) -> str:
    columns = "\n".join("  " + ", ".join(INDICATORS[k:k + 10]) for k in range(0, len(INDICATORS), 10))
    return (f"# Bench scenario composite49 ({form} form), written by bench/composite.py: a synthetic\n"
            f"# composite of 51 countries x 49 indicators in {YEAR}. Denominate, impute by the group\n"
            f"# mean, treat outliers, min-max onto 0-100, three levels of means, a rank.\n\n"
            f"index composite49\n\n"
            f'table panel: country by year from "panel.csv"\n'
            f"  grp attribute\n  population, gdp\n{columns}\n\n")


def _aggregation(name: Callable[[str], str]) -> str:
    """Pillars, dimensions, index and the output; `name(i)` is indicator i's score."""
    lines = [f"let p{p} = mean({', '.join(name(i) for i in inds)})" for p, inds in enumerate(PILLARS, 1)]
    lines += [f"let d{d} = mean({', '.join(f'p{p}' for p in ps)})" for d, ps in enumerate(DIMENSIONS, 1)]
    lines += [f"let index = mean({', '.join(f'd{d}' for d in range(1, len(DIMENSIONS) + 1))})", ""]
    pillars = ", ".join(f"p{p}" for p in range(1, len(PILLARS) + 1))
    dims = ", ".join(f"d{d}" for d in range(1, len(DIMENSIONS) + 1))
    lines.append(f"output scores by country, year:\n  grp, {pillars}, {dims}, index, rank(index desc) as place")
    return "\n".join(lines) + "\n"


def spec_def() -> str:
    """The natural form: one def for the per-indicator steps, one let per indicator."""
    body = ["def prep(x) = minmax(treat(x ?? mean(x by grp)), 0, 100)", ""]
    body += [f"let n_{i} = prep({_denominated(i)})" for i in INDICATORS]
    return _header("def") + "\n".join(body) + "\n\n" + _aggregation(lambda i: f"n_{i}")


def spec_steps() -> str:
    """One let per step and indicator, as a spreadsheet user would lay it out."""
    body: list[str] = []
    for i in INDICATORS:
        x = i
        if denominator(i):
            body.append(f"let den_{i} = {_denominated(i)}")
            x = f"den_{i}"
        body += [f"let imp_{i} = {x} ?? mean({x} by grp)",
                 f"let trt_{i} = treat(imp_{i})",
                 f"let nrm_{i} = minmax(trt_{i}, 0, 100)"]
    return _header("steps") + "\n".join(body) + "\n\n" + _aggregation(lambda i: f"nrm_{i}")


FORMS = {"def": spec_def, "steps": spec_steps}


def write(folder: Path) -> dict[str, Path]:
    """panel.csv and composite49_<form>.idx for each form, side by side in folder."""
    folder.mkdir(parents=True, exist_ok=True)
    files = {"panel": write_panel(folder / "panel.csv")}
    for form, text in FORMS.items():
        files[form] = folder / f"composite49_{form}.idx"
        files[form].write_text(text(), encoding="utf-8")
    return files


# ------------------------------------------- the pipeline in plain Python (no SQL)

def _mean(xs: list[float | None]) -> float | None:
    """A row-wise mean: missing when any component is missing."""
    return None if any(x is None for x in xs) else math.fsum(xs) / len(xs)  # type: ignore[arg-type]


def plain(panel: Path) -> tuple[list[dict[str, Any]], dict[str, str]]:
    """The whole pipeline in Python, per year: the output rows (sorted by country, year)
    and the treat() branch of each indicator (`indicator` or `indicator@year` when the
    panel has several years)."""
    with panel.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    num = lambda s: None if s == "" else float(s)  # noqa: E731
    out: list[dict[str, Any]] = []
    branches: dict[str, str] = {}
    years = sorted({int(r["year"]) for r in rows})
    for year in years:
        here = [r for r in rows if int(r["year"]) == year]
        scores: dict[str, list[float | None]] = {}
        for i in INDICATORS:
            d = denominator(i)
            den: list[float | None] = []
            for r in here:
                x, by = num(r[i]), num(r[d.column]) if d else 1.0
                den.append(None if x is None or by is None or by == 0 else (x / by * d.scale if d else x))
            groups: dict[str, list[float]] = {}
            for r, x in zip(here, den):
                if x is not None:
                    groups.setdefault(r["grp"], []).append(x)
            means = {g: math.fsum(xs) / len(xs) for g, xs in groups.items()}
            imp = [x if x is not None else means.get(r["grp"]) for r, x in zip(here, den)]
            trt, branches[i if len(years) == 1 else f"{i}@{year}"] = treat(imp)
            present = [x for x in trt if x is not None]
            lo, hi = (min(present), max(present)) if present else (0.0, 0.0)
            scores[i] = [None if x is None or hi == lo else (x - lo) / (hi - lo) * 100 for x in trt]
        for c, r in enumerate(here):
            p = {n: _mean([scores[i][c] for i in inds]) for n, inds in enumerate(PILLARS, 1)}
            dims = {n: _mean([p[k] for k in ps]) for n, ps in enumerate(DIMENSIONS, 1)}
            out.append({"country": r["country"], "year": year, "grp": r["grp"], **{f"p{n}": v for n, v in p.items()},
                        **{f"d{n}": v for n, v in dims.items()}, "index": _mean(list(dims.values()))})
        ranked = [o for o in out if o["year"] == year]
        for o in ranked:  # ties min: one plus the number of strictly higher values
            x = o["index"]
            o["place"] = None if x is None else 1 + sum(1 for q in ranked if q["index"] is not None and q["index"] > x)
    out.sort(key=lambda o: (o["country"], o["year"]))
    return out, branches


def write_plain(panel: Path, out: Path) -> dict[str, str]:
    """Write plain()'s output as CSV (same columns as idxc's); return the branches."""
    rows, branches = plain(panel)
    with out.open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(OUTPUT_COLUMNS)
        w.writerows([["" if r[c] is None else repr(r[c]) if isinstance(r[c], float) else r[c] for c in OUTPUT_COLUMNS]
                     for r in rows])
    return branches


def summarise(branches: dict[str, str]) -> str:
    """'treat(): 33 left alone, 12 winsorised (...), 4 logged (...)'."""
    left = [i for i, b in branches.items() if b == "left alone"]
    wins = {i: b.split()[1] for i, b in branches.items() if b.startswith("winsorised")}
    logged = [i for i, b in branches.items() if b == "logged"]
    return (f"treat(): {len(left)} left alone, {len(wins)} Winsorised "
            f"({', '.join(f'{i}: {n} pt' for i, n in wins.items())}), "
            f"{len(logged)} log-transformed ({', '.join(logged)})")


# ----------------------------------------------------------------- the bench

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "specs" / "composite_example.idx"


def tally_share(spec: Path) -> float | None:
    """The share of an idxc run spent on the statements that count skipped missing
    values (bench/tallies.py, in a process of its own)."""
    import json
    import subprocess

    proc = subprocess.run([sys.executable, "-m", "bench.tallies", str(spec)], capture_output=True, text=True,
                          cwd=Path(__file__).resolve().parent.parent, check=False)
    if proc.returncode != 0:
        return None
    found = json.loads(proc.stdout)
    return found["counting"] / found["run"]


def _idxc(spec: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "idxlang.cli", "run", str(spec), "--out", str(out)]


def _hand(panel: Path, out: Path) -> list[str]:
    return [sys.executable, "-m", "bench.composite_hand", str(panel), str(out)]


def _failure(log: Path) -> str:
    """The engine's error from a failed run's stderr, without idxc's list of every
    definition in the statement (thousands of characters here)."""
    text = log.read_text(errors="replace")
    found = re.findall(r"\b([A-Z][A-Za-z]* Error: [^.\n]*)", text)
    return found[-1] if found else (text.strip().splitlines() or ["no message"])[-1][-160:]


@dataclass
class Measured:
    """One implementation's runs: times of the runs that finished, the verdict on its output."""
    label: str
    seconds: list[float]
    peak_mb: float
    verdict: str

    @property
    def median(self) -> float | None:
        return statistics.median(self.seconds) if self.seconds else None


def _measure(label: str, cmd: list[str], out: Path, runs: int, work: Path,
             check: tuple[str, Callable[[Path], str]] | None) -> Measured:
    """Run cmd once and check its output (`check`: what it is compared with, and the
    comparison; None for nothing to check); time counts only for a run that finished
    and whose output was found equal. Then the remaining runs, each in a fresh process."""
    from .timed import timed

    log = work / f"{out.stem}.log"
    seconds: list[float] = []
    peak = 0.0
    for n in range(runs):
        t = timed(cmd, log, ROOT)
        peak = max(peak, t.peak_mb)
        if t.exit != 0:
            return Measured(label, [], peak, f"failed after {t.seconds:.1f} s: {_failure(log)}")
        if n == 0 and check is not None:
            verdict = check[1](out)
            if verdict != "equal":
                return Measured(label, [], peak, f"differs from {check[0]}: {verdict}")
        seconds.append(t.seconds)
        print(f"  {label}: {t.seconds:.2f} s", file=sys.stderr, flush=True)
    return Measured(label, seconds, peak, f"equal to {check[0]}" if check else "-")


def report(runs: int, data_dir: Path, forms: tuple[str, ...] = tuple(FORMS)) -> str:
    """Write the scenario into data_dir/composite49, check the hand-written DuckDB
    against plain Python, then time idxc (each spec form), the hand script and
    `idxc run specs/composite_example.idx`; each form's output is checked equal to the
    hand script's before its time counts."""
    import os
    import platform
    import tempfile

    from .compare import compare_files

    files = write(data_dir / "composite49")
    with tempfile.TemporaryDirectory(prefix="composite49-", dir=data_dir) as tmp:
        work = Path(tmp)
        reference = work / "plain.csv"
        branches = write_plain(files["panel"], reference)
        hand_out = work / "hand.csv"
        print("composite49:", file=sys.stderr, flush=True)
        rows = [_measure("hand-written DuckDB (bench/composite_hand.py)", _hand(files["panel"], hand_out), hand_out,
                         runs, work, ("plain Python", lambda got: compare_files(reference, got, OUTPUT_KEYS)))]
        # idxc against the hand script's output once that is known to equal plain Python's
        name, ref = ("the hand script's", hand_out) if rows[0].seconds else ("plain Python", reference)
        for form in forms:
            out = work / f"idxc_{form}.csv"
            rows.append(_measure(f"idxc run composite49_{form}.idx", _idxc(files[form], out), out, runs, work,
                                 (name, lambda got: compare_files(ref, got, OUTPUT_KEYS))))
        example = _measure("idxc run specs/composite_example.idx", _idxc(EXAMPLE, work / "example"),
                           work / "example", runs, work, None)
    hand = rows[0].median
    lines = [(f"composite49: {sum(GROUP_SIZES)} countries x {len(INDICATORS)} indicators, {YEAR}, "
              f"{empty_share(files['panel']):.1%} of indicator cells empty; {summarise(branches)}; "
              f"median of {runs} run(s); {os.cpu_count()} cores, Python {platform.python_version()}"), "",
             "| implementation | median s | peak MB | output |", "|---|---:|---:|---|"]
    for m in [*rows, example]:
        lines.append(f"| {m.label} | {_seconds(m.median)} | {m.peak_mb:.0f} | {m.verdict} |")
    lines += ["", "| spec form | idxc / hand | share of idxc run counting skipped values |", "|---|---:|---|"]
    for form, m in zip(forms, rows[1:]):
        share = tally_share(files[form])
        ratio = f"{m.median / hand:.1f}" if m.median and hand else "-"
        lines.append(f"| {form} | {ratio} | {'not measured' if share is None else f'{share:.1%}'} |")
    return "\n".join(lines)


def _seconds(x: float | None) -> str:
    return "-" if x is None else f"{x:.2f}"


if __name__ == "__main__":
    files = write(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("composite49"))
    print(summarise(plain(files["panel"])[1]))
