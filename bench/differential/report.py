"""Disagreements as a reader needs them: a signature that groups the cases one bug
causes (so it does not print 500 times), and a report with the spec, the data as CSV
text and the differing cells, both sides' values side by side."""

from __future__ import annotations

import re

from .compare import Diff
from .oracle import Outcome

_PATH = re.compile(r"(/[^\s:'\"]+)+")
_QUOTED = re.compile(r'"[^"]*"|\'[^\']*\'')
_NUMBER = re.compile(r"\b\d+(\.\d+)?\b")


def normalised(message: str) -> str:
    """A message's first error line without what varies from case to case: paths,
    quoted names, numbers."""
    lines = [ln for ln in message.splitlines() if ln.strip()]
    errors = [ln for ln in lines if "Error" in ln or "error" in ln]
    line = (errors[-1] if errors and "Traceback" in message else errors[0] if errors else lines[0] if lines else "")
    line = _PATH.sub("<path>", line)
    line = _QUOTED.sub("<name>", line)
    return _NUMBER.sub("N", line).strip()[:160]


def signature(oracle: str, d: Diff, out: Outcome) -> str:
    """What a difference says about the bug: which oracle, what kind of difference, in
    a column built how (the construct at the column's root), in an output of what grain."""
    keys = out.case.keys.get(d.output, ())
    grain = " × ".join(keys) or "scalar"
    if d.kind == "error":
        return f"{oracle}: run failed: {normalised(str(d.actual))}"
    if d.kind in ("missing-row", "extra-row", "duplicate-key", "columns"):
        return f"{oracle}: {d.kind} in an output by {grain}"
    top = out.case.columns.get((d.output, d.column), "?")
    return f"{oracle}: {d.pattern()} in {top} (output by {grain})"


def signatures(out: Outcome) -> list[str]:
    """Every distinct signature of an outcome, in a stable order."""
    if out.status != "ok":
        return [f"{out.status}: {normalised(out.message)}"]
    return sorted({signature(o, d, out) for o, d in out.diffs})


def render(out: Outcome, limit: int = 20) -> str:
    """The case and its differences, for a person to read."""
    case = out.case
    parts = [f"=== {len(signatures(out))} signature(s): " + "; ".join(signatures(out)),
             "--- spec.idx", case.spec.rstrip()]
    if case.params:
        parts.append(f"--- params (--param): {case.params}")
    parts += ["--- data", case.data_text().rstrip()]
    if out.status != "ok":
        parts += [f"--- idxc: {out.status}", out.message.rstrip()]
        return "\n".join(parts)
    parts.append(f"--- differences (reference: {out.reference})")
    by_oracle: dict[str, list[Diff]] = {}
    for o, d in out.diffs:
        by_oracle.setdefault(o, []).append(d)
    for o, diffs in by_oracle.items():
        side = {"reference": "the reference interpreter", "alone": "idxc running the output alone",
                "unshared": "idxc without shared steps", "layout": "idxc on default-layout Parquet copies",
                "invariant": "the output's invariants"}.get(o, o)
        parts.append(f"{o}: expected = {side}; got = idxc, all outputs together")
        parts += [d.render() for d in diffs[:limit]]
        if len(diffs) > limit:
            parts.append(f"  ... and {len(diffs) - limit} more")
    for o, frames in out.expected.items():
        names = sorted({d.output for oo, d in out.diffs if oo == o and d.output in frames})
        for name in names:
            parts.append(f"--- {name}: {o} | idxc")
            parts.append(_side_by_side(frames[name], out.frames.get(name)))
    return "\n".join(parts)


def _side_by_side(expected, actual) -> str:  # type: ignore[no-untyped-def]
    def show(f):  # type: ignore[no-untyped-def]
        if f is None:
            return ["(none)"]
        return [", ".join(f.columns)] + [", ".join(_short(v) for v in r) for r in f.rows[:30]]
    left, right = show(expected), show(actual)
    width = max(len(x) for x in left)
    rows = [f"  {a.ljust(width)} | {b}" for a, b in zip(left + [""] * (len(right) - len(left)),
                                                        right + [""] * (len(left) - len(right)))]
    return "\n".join(rows)


def _short(v: object) -> str:
    if v is None:
        return "·"
    if isinstance(v, float):
        return f"{v:.10g}"
    return str(v)
