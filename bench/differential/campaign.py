"""A long campaign: N generated cases through idxc and its oracles, disagreements
grouped by signature, each signature's first case shrunk by hypothesis to a small one,
and (with a folder) saved as a case folder the corpus test replays.

Case i of a campaign with seed S is the second example of a hypothesis run seeded
S·1000003 + i (the first example of every run is the same simplest case), so each
case is reproducible alone: phase 2 replays that run with shrinking on, failing on the
case and on every smaller case with the signature, and hypothesis's shrinker works
from there.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import statistics
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from hypothesis import HealthCheck, Phase, given, seed, settings

from idxlang.builtins import REGISTRY

from . import files
from .case import Case
from .frames import Frame, from_reference
from .oracle import ORACLES, Outcome, data_of, reference_evaluator, run_case
from .report import primary, render, signatures
from .specs import cases


@dataclass
class Stats:
    tried: int = 0
    seconds: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    reference: Counter[str] = field(default_factory=Counter)
    reference_errors: Counter[str] = field(default_factory=Counter)  # what the reference refused or failed on
    signatures: Counter[str] = field(default_factory=Counter)
    first: dict[str, tuple[int, Outcome]] = field(default_factory=dict)  # signature -> (case index, outcome)
    constructs: Counter[str] = field(default_factory=Counter)
    disagreeing: int = 0
    all_signatures: Counter[str] = field(default_factory=Counter)  # every signature, not only the primary ones

    def add(self, index: int, out: Outcome) -> None:
        self.tried += 1
        self.seconds.append(out.seconds)
        self.statuses[out.status] += 1
        self.reference[out.reference.split(":")[0]] += 1
        if out.reference.startswith(("error", "unsupported")):
            self.reference_errors[out.reference[:200]] += 1
        self.constructs.update(out.case.constructs)
        main = primary(out)
        self.disagreeing += main is not None
        if main is not None:
            self.signatures[main] += 1
            self.first.setdefault(main, (index, out))
            self.all_signatures.update(signatures(out))


def case_seed(seed_value: int, index: int) -> int:
    return seed_value * 1_000_003 + index


def _second(seed_value: int, test: Callable[[Case], None], shrinking: bool = False) -> None:
    """Run `test` on the second example of a hypothesis run with this seed (and, when
    shrinking, on every smaller case hypothesis tries once it fails)."""
    calls = {"n": 0}

    @seed(seed_value)
    @settings(max_examples=2, deadline=None, database=None, print_blob=False, report_multiple_bugs=False,
              phases=[Phase.generate, Phase.shrink] if shrinking else [Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def one(case: Case) -> None:
        calls["n"] += 1
        if calls["n"] > 1:  # the first is hypothesis's simplest case, the same for every seed
            test(case)

    one()


def run_campaign(n: int, seed_value: int = 0, oracles: tuple[str, ...] = ORACLES,
                 progress: Callable[[int, Stats], None] | None = None, jobs: int = 1) -> Stats:
    """Phase 1: n cases, every outcome recorded; with `jobs` > 1, cases i, i + jobs,
    ... in each of `jobs` processes (the same cases, each from its own seed), merged."""
    if jobs > 1:
        return _in_processes(n, seed_value, oracles, jobs)
    return _cases(range(n), seed_value, oracles, progress)


def _cases(indices: range, seed_value: int, oracles: tuple[str, ...],
           progress: Callable[[int, Stats], None] | None = None) -> Stats:
    stats = Stats()
    evaluate = reference_evaluator()
    for done, i in enumerate(indices, 1):
        _second(case_seed(seed_value, i), lambda case: stats.add(i, run_case(case, oracles=oracles, evaluate=evaluate)))
        if progress:
            progress(done, stats)
    return stats


def _in_processes(n: int, seed_value: int, oracles: tuple[str, ...], jobs: int) -> Stats:
    from concurrent.futures import ProcessPoolExecutor

    with ProcessPoolExecutor(jobs) as pool:
        parts = list(pool.map(_cases, [range(j, n, jobs) for j in range(jobs)], [seed_value] * jobs, [oracles] * jobs))
    merged = Stats()
    for part in parts:
        merged.tried += part.tried
        merged.seconds += part.seconds
        merged.disagreeing += part.disagreeing
        for name in ("statuses", "reference", "reference_errors", "signatures", "constructs", "all_signatures"):
            getattr(merged, name).update(getattr(part, name))
        for sig, (index, out) in part.first.items():
            if sig not in merged.first or index < merged.first[sig][0]:
                merged.first[sig] = (index, out)
    return merged


def shrink(sig: str, index: int, seed_value: int, oracles: tuple[str, ...] = ORACLES,
           budget: float = 120.0) -> Outcome | None:
    """The smallest case hypothesis finds with this signature, from the campaign's
    index-th case (None if the replay does not show the signature again)."""
    evaluate = reference_evaluator()
    oracles = tuple(o for o in oracles if sig.startswith(o + ":"))  # only the run that shows it: faster steps
    cache: dict[str, Outcome] = {}
    best: dict[str, Outcome] = {}
    started = time.monotonic()

    class Found(Exception):
        pass

    class Stop(BaseException):  # not an Exception: hypothesis lets it through and stops
        pass

    def test(case: Case) -> None:
        key = _fingerprint(case)
        out = cache.get(key)
        if out is None:
            if time.monotonic() - started > budget:
                raise Stop()  # out of time: the smallest failing case so far is kept
            out = cache[key] = run_case(case, oracles=oracles, evaluate=evaluate)
        if primary(out) == sig:
            best["out"] = out
            raise Found(sig)

    try:
        _second(case_seed(seed_value, index), test, shrinking=True)
    except (Found, Stop):
        pass
    except Exception:  # noqa: BLE001 - a flaky replay keeps the best case seen
        pass
    return best.get("out")


def _fingerprint(case: Case) -> str:
    data = json.dumps([(t.name, t.layout, t.format, t.labels, t.rows) for t in case.tables], default=str)
    return hashlib.sha256((case.spec + data + json.dumps(case.params)).encode()).hexdigest()


def save(out: Outcome, folder: Path, sig: str) -> Path:
    """A case folder: spec.idx, its data files, expected.json (the reference
    interpreter's rows when it gives them, else the rows of the idxc run the signature
    compared with), report.txt."""
    name = hashlib.sha256(sig.encode()).hexdigest()[:10]
    target = folder / name
    if target.exists():
        shutil.rmtree(target)
    files.write(out.case, target)
    oracle = sig.split(":")[0] if out.status == "ok" else "accept"
    rows, source = out.expected.get("reference"), "reference"
    if rows is None:
        rows, source = _reference_rows(out, target), "reference"
    if rows is None:
        rows, source = out.expected.get(oracle), oracle
    expected = {
        "signature": sig,
        "oracle": oracle,
        "rows_from": source if rows is not None else None,
        "params": out.case.params,
        "calendar": out.case.axes.calendar,
        "time": out.case.axes.time,
        "outputs": {n: f.as_json() for n, f in (rows or {}).items()},
        "data_magnitude": data_of(out.case),
        "idxc": {n: f.as_json() for n, f in out.frames.items()},
        "message": out.message[-2000:],
    }
    (target / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (target / "report.txt").write_text(render(out) + "\n", encoding="utf-8")
    (target / "case.json").write_text(json.dumps(out.case.to_json(), indent=1, ensure_ascii=False) + "\n",
                                      encoding="utf-8")
    return target


def _reference_rows(out: Outcome, folder: Path) -> dict[str, Frame] | None:
    """The reference interpreter's frames for the case, or None if it has none."""
    evaluate = reference_evaluator()
    if evaluate is None:
        return None
    try:
        import idxlang

        model = idxlang.load(folder / "spec.idx", params=out.case.params).model
        keys = {o: len(model.outputs[o].keys) for o in model.outputs}
        return from_reference(evaluate(model, out.case.rows()), keys, out.case.axes.time)
    except Exception:  # noqa: BLE001 - no rows from the reference: the oracle's are saved
        return None


def builtins_exercised(constructs: Counter[str]) -> tuple[list[str], list[str]]:
    """idxc's built-in functions (its registry) a campaign called, and those it did not."""
    called = set()
    for c in constructs:
        parts = c.split(":")
        called.update(parts[1:2] if len(parts) > 1 else parts)
        called.add(parts[0])
    called |= {"classify"} & set(constructs)
    yes = sorted(f for f in REGISTRY if f in called)
    return yes, sorted(set(REGISTRY) - set(yes))


def summary(stats: Stats, shrunk: dict[str, Outcome], seconds: float) -> str:
    per_case = statistics.mean(stats.seconds) if stats.seconds else 0.0
    lines = [f"cases tried: {stats.tried} in {seconds:.0f} s ({per_case:.2f} s per case on average, "
             f"median {statistics.median(stats.seconds) if stats.seconds else 0:.2f} s)",
             f"idxc: {dict(stats.statuses)}  (rejected: the compiler refused a valid spec and its data; crash: a "
             "Python exception)",
             f"reference interpreter: {dict(stats.reference)}",
             *[f"  {n:5d}  {msg}" for msg, n in stats.reference_errors.most_common(10)],
             f"cases with a disagreement: {stats.disagreeing}; distinct primary signatures: {len(stats.signatures)} "
             f"(each case counted once, under its first; {len(stats.all_signatures)} signatures in all)"]
    for sig, n in stats.signatures.most_common():
        lines.append(f"  {n:5d}  {sig}   (first: case {stats.first[sig][0]})")
    yes, no = builtins_exercised(stats.constructs)
    lines.append(f"constructs exercised: {len(stats.constructs)} distinct; idxc built-ins called: {len(yes)} of "
                 f"{len(REGISTRY)}" + (f" (never: {', '.join(no)})" if no else ""))
    lines.append("  " + ", ".join(f"{c} {n}" for c, n in sorted(stats.constructs.items())))
    for sig, out in shrunk.items():
        lines += ["", f"##### smallest case found for: {sig}", render(out)]
    return "\n".join(lines)
