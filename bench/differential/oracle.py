"""Running one case through idxc and its oracles.

The reference interpreter (`idxlang.reference.evaluate`, branch `ref`) is the oracle
when it is installed. Whether or not it is, idxc is also compared with itself:
all outputs run together (shared steps) against each output run alone, against the
unshared statements (share=False), and against the same data rewritten as
default-layout Parquet files. Each of these must give the same rows, so a difference
is a bug of one of the two runs, whichever the reference says. And every output
must have one row per key and no NaN or infinity.
"""

from __future__ import annotations

import signal
import tempfile
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import idxlang
from idxlang.diagnostics import IdxError

from . import files
from .case import Case
from .compare import Diff, compare, data_magnitude, invariants
from .frames import Frame, from_idxc, from_reference

TIMEOUT = 60.0  # seconds for one run of idxc
ORACLES = ("reference", "alone", "unshared", "layout")


class Hang(Exception):
    pass


@dataclass
class Outcome:
    """What one case gave: idxc's frames, each oracle's frames, their differences."""

    case: Case
    status: str = "ok"  # ok | rejected (idxc refused the valid case) | crash | timeout
    message: str = ""
    frames: dict[str, Frame] = field(default_factory=dict)  # idxc, all outputs together
    expected: dict[str, dict[str, Frame]] = field(default_factory=dict)  # oracle -> output -> frame
    diffs: list[tuple[str, Diff]] = field(default_factory=list)  # (oracle, difference)
    reference: str = "absent"  # absent | used | unsupported: ... | error: ...
    seconds: float = 0.0

    @property
    def disagrees(self) -> bool:
        return bool(self.diffs) or self.status != "ok"


def rotating(case: Case) -> tuple[str, ...]:
    """The reference and one of idxc's own variants, in turn by case: a third of the
    cost of all of them, for the quick test."""
    import hashlib

    variants = ["alone", "unshared"] + (["layout"] if any((t.layout, t.format) != ("default", "parquet")
                                                          for t in case.tables) else [])
    turn = int(hashlib.sha256(case.spec.encode()).hexdigest(), 16) % len(variants)
    return ("reference", variants[turn])


def reference_evaluator() -> Callable[..., Any] | None:
    """The reference interpreter's evaluate(), if this checkout has it."""
    try:
        from idxlang.reference import evaluate  # type: ignore[import-not-found]
    except ImportError:
        return None
    return evaluate  # type: ignore[no-any-return]


def run_case(case: Case, folder: Path | None = None, oracles: tuple[str, ...] = ORACLES,
             evaluate: Callable[..., Any] | None = None) -> Outcome:
    """Write the case, run idxc and the oracles, compare."""
    started = time.perf_counter()
    if folder is None:
        with tempfile.TemporaryDirectory(prefix="idxdiff-") as tmp:
            out = _run(case, Path(tmp), oracles, evaluate)
    else:
        out = _run(case, folder, oracles, evaluate)
    out.seconds = time.perf_counter() - started
    return out


def _run(case: Case, folder: Path, oracles: tuple[str, ...], evaluate: Callable[..., Any] | None) -> Outcome:
    out = Outcome(case)
    path = files.write(case, folder)
    try:
        spec = _timed(lambda: idxlang.load(path, params=case.params))
        result = _timed(lambda: spec.run())
    except IdxError as err:
        out.status, out.message = "rejected", err.render()
        return out
    except Hang:
        out.status, out.message = "timeout", f"idxc gave no answer within {TIMEOUT:g} s"
        return out
    except Exception as err:  # noqa: BLE001 - a crash is what this looks for
        out.status, out.message = "crash", "".join(traceback.format_exception(err))[-3000:]
        return out
    keys = {o: len(spec.model.outputs[o].keys) for o in spec.outputs}
    ax = case.axes
    frames = lambda r: from_idxc(r.tables, keys, ax.time, ax.calendar)  # noqa: E731
    out.frames = frames(result)
    for name, f in out.frames.items():
        out.diffs += [("invariant", d) for d in invariants(name, f)]
    if "reference" in oracles:
        _reference(out, spec, keys, evaluate if evaluate is not None else reference_evaluator())
    runs: dict[str, Callable[[], dict[str, Frame]]] = {
        "unshared": lambda: frames(spec.run(share=False, check=False)),
        "alone": lambda: {o: frames(spec.run(outputs=[o], check=False))[o] for o in spec.outputs},
    }
    if any((t.layout, t.format) != ("default", "parquet") for t in case.tables):
        def plain() -> dict[str, Frame]:
            data, layouts = files.write_default(case, folder / "default")
            return frames(idxlang.load(path, params=case.params, layouts=layouts).run(data, check=False))
        runs["layout"] = plain
    for oracle, run in runs.items():
        if oracle not in oracles:
            continue
        try:
            found = _timed(run)
        except Hang:
            out.diffs.append((oracle, Diff("*", "error", actual=f"no answer within {TIMEOUT:g} s")))
            continue
        except Exception as err:  # noqa: BLE001
            out.diffs.append((oracle, Diff("*", "error", actual=f"{type(err).__name__}: {err}"[:500])))
            continue
        _against(out, oracle, found)
    return out


def _reference(out: Outcome, spec: idxlang.Spec, keys: dict[str, int], evaluate: Callable[..., Any] | None) -> None:
    if evaluate is None:
        return
    try:
        found = evaluate(spec.model, out.case.rows())
    except NotImplementedError as err:
        out.reference = f"unsupported: {err}"[:300]
        return
    except Exception as err:  # noqa: BLE001 - the reference is being written; its errors are reported apart
        out.reference = f"error: {type(err).__name__}: {err}"[:300]
        return
    out.reference = "used"
    _against(out, "reference", from_reference(found, keys, out.case.axes.time))


def _against(out: Outcome, oracle: str, expected: dict[str, Frame]) -> None:
    out.expected[oracle] = expected
    data = data_of(out.case)
    for name, actual in out.frames.items():
        if name not in expected:
            out.diffs.append((oracle, Diff(name, "error", actual="output not computed by the oracle")))
            continue
        out.diffs += [(oracle, d) for d in compare(name, expected[name], actual, data=data)]


def data_of(case: Case) -> float:
    return data_magnitude([(t.rows, t.columns) for t in case.tables])


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def _timed(f: Callable[[], Any]) -> Any:
    """f(), or Hang after TIMEOUT seconds (main thread only; elsewhere no limit)."""
    try:
        previous = signal.signal(signal.SIGALRM, _alarm)
    except ValueError:  # not the main thread
        return f()
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
    try:
        return f()
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
