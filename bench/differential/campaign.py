"""A long campaign: N generated cases through idxc and its oracles, disagreements
grouped by signature, each signature's first case shrunk by hypothesis to a small one,
and (with a folder) saved as a case folder the corpus test replays.

Phase 1 draws the cases from `cases()` with a fixed seed and records every outcome
without failing. Phase 2 shrinks, per signature: hypothesis replays the same seed, the
test skipping every case before the one that showed the signature, failing on it and
on every smaller case with that signature, so hypothesis's shrinker works from there.
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
from .oracle import ORACLES, Outcome, reference_evaluator, run_case
from .report import render, signatures
from .specs import cases


@dataclass
class Stats:
    tried: int = 0
    seconds: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    reference: Counter[str] = field(default_factory=Counter)
    signatures: Counter[str] = field(default_factory=Counter)
    first: dict[str, tuple[int, Outcome]] = field(default_factory=dict)  # signature -> (case index, outcome)
    constructs: Counter[str] = field(default_factory=Counter)
    disagreeing: int = 0

    def add(self, index: int, out: Outcome) -> None:
        self.tried += 1
        self.seconds.append(out.seconds)
        self.statuses[out.status] += 1
        self.reference[out.reference.split(":")[0]] += 1
        self.constructs.update(out.case.constructs)
        found = signatures(out) if out.disagrees else []
        self.disagreeing += bool(found)
        for s in found:
            self.signatures[s] += 1
            self.first.setdefault(s, (index, out))


def run_campaign(n: int, seed_value: int = 0, oracles: tuple[str, ...] = ORACLES,
                 progress: Callable[[int, Stats], None] | None = None) -> Stats:
    """Phase 1: n cases, every outcome recorded."""
    stats = Stats()
    evaluate = reference_evaluator()

    @seed(seed_value)
    @settings(max_examples=n, deadline=None, database=None, phases=[Phase.generate],
              suppress_health_check=list(HealthCheck))
    @given(cases())
    def one(case: Case) -> None:
        stats.add(stats.tried, run_case(case, oracles=oracles, evaluate=evaluate))
        if progress:
            progress(stats.tried, stats)

    one()
    return stats


def shrink(sig: str, index: int, seed_value: int, oracles: tuple[str, ...] = ORACLES,
           budget: float = 120.0) -> Outcome | None:
    """The smallest case hypothesis finds with this signature, starting from the index-th
    case of the campaign with this seed (None if the replay does not reach it)."""
    evaluate = reference_evaluator()
    cache: dict[str, Outcome] = {}
    calls = {"n": 0}
    best: dict[str, Outcome] = {}
    started = [0.0]

    class Found(Exception):
        pass

    @seed(seed_value)
    @settings(max_examples=index + 1, deadline=None, database=None, phases=[Phase.generate, Phase.shrink],
              suppress_health_check=list(HealthCheck), report_multiple_bugs=False, print_blob=False)
    @given(cases())
    def replay(case: Case) -> None:
        calls["n"] += 1
        if calls["n"] <= index:
            return  # cases before the one that showed the signature: not run again
        if not started[0]:
            started[0] = time.monotonic()
        key = _fingerprint(case)
        out = cache.get(key)
        if out is None:
            if time.monotonic() - started[0] > budget:
                return  # out of time: only cases already seen still fail
            out = cache[key] = run_case(case, oracles=oracles, evaluate=evaluate)
        if sig in signatures(out):
            best["out"] = out
            raise Found(sig)

    try:
        replay()
    except Found:
        pass
    except Exception:  # noqa: BLE001 - a flaky replay keeps the best case seen
        pass
    return best.get("out")


def _fingerprint(case: Case) -> str:
    data = json.dumps([(t.name, t.layout, t.format, t.labels, t.rows) for t in case.tables], default=str)
    return hashlib.sha256((case.spec + data + json.dumps(case.params)).encode()).hexdigest()


def save(out: Outcome, folder: Path, sig: str) -> Path:
    """A case folder: spec.idx, its data files, expected.json (the oracle's rows)."""
    name = hashlib.sha256(sig.encode()).hexdigest()[:10]
    target = folder / name
    if target.exists():
        shutil.rmtree(target)
    files.write(out.case, target)
    oracle = next((o for o, d in out.diffs if sig.startswith(o + ":")), None) if out.status == "ok" else "accept"
    expected = {
        "signature": sig,
        "oracle": oracle,
        "params": out.case.params,
        "calendar": out.case.axes.calendar,
        "time": out.case.axes.time,
        "keys": {o: list(k) for o, k in out.case.keys.items()},
        "outputs": {n: f.as_json() for n, f in out.expected.get(oracle or "", {}).items()},
        "idxc": {n: f.as_json() for n, f in out.frames.items()},
        "message": out.message[-2000:],
    }
    (target / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (target / "report.txt").write_text(render(out) + "\n", encoding="utf-8")
    return target


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
             f"cases with a disagreement: {stats.disagreeing}; distinct signatures: {len(stats.signatures)}"]
    for sig, n in stats.signatures.most_common():
        lines.append(f"  {n:5d}  {sig}   (first: case {stats.first[sig][0]})")
    yes, no = builtins_exercised(stats.constructs)
    lines.append(f"constructs exercised: {len(stats.constructs)} distinct; idxc built-ins called: {len(yes)} of "
                 f"{len(REGISTRY)}" + (f" (never: {', '.join(no)})" if no else ""))
    lines.append("  " + ", ".join(f"{c} {n}" for c, n in sorted(stats.constructs.items())))
    for sig, out in shrunk.items():
        lines += ["", f"##### smallest case found for: {sig}", render(out)]
    return "\n".join(lines)
