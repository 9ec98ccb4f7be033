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
    engine = re.search(r"\b[A-Z]\w* Error: .*", line)  # DuckDB's own message, without the statement it names
    if engine and "DuckDB" in line:
        line = "DuckDB: " + engine.group(0)
    line = _PATH.sub("<path>", line)
    line = _QUOTED.sub("<name>", line)
    return _NUMBER.sub("N", line).strip()[:160]


# constructs never blamed: references and constants are in every column
_NOT_BLAMED = ("ref:", "number", "broadcast", "output:bare", "let")
_ORACLE_ORDER = ("invariant", "alone", "unshared", "layout", "reference")


def blamed(out: Outcome, oracle: str, output: str, columns: set[str]) -> str:
    """The construct the differing columns share and the agreeing columns do not use
    (spectrum-based fault localisation): the most specific of them."""
    uses = out.case.uses
    rowless = {d.output for o, d in out.diffs if o == oracle and d.kind != "cell"}
    bad = [uses.get((output, c), frozenset()) for c in columns]
    good = set().union(*(u for (o, c), u in uses.items()
                         if o not in rowless and not (o == output and c in columns)))
    common = frozenset.intersection(*bad) if bad else frozenset()
    for found in (common - good, common):
        candidates = [c for c in found if not c.startswith(_NOT_BLAMED)]
        if candidates:
            return max(candidates, key=lambda c: (c.count(":"), -len(c), c))
    return out.case.columns.get((output, next(iter(sorted(columns)), "")), "?")


def signature(oracle: str, d: Diff, out: Outcome, columns: set[str] | None = None) -> str:
    """What a difference says about the bug: which oracle, what kind of difference, and
    for a cell the construct its column is blamed on; for rows the output's grain."""
    keys = out.case.keys.get(d.output, ())
    grain = " × ".join(keys) or "scalar"
    if d.kind == "error":
        return f"{oracle}: run failed: {normalised(str(d.actual))}"
    if d.kind in ("missing-row", "extra-row", "duplicate-key", "columns"):
        missing_key = " (a missing key)" if None in d.key else ""
        return f"{oracle}: {d.kind}{missing_key} in an output by {grain}"
    if d.kind == "nan":
        return f"{oracle}: NaN or infinity near {blamed(out, oracle, d.output, {d.column})}"
    return f"{oracle}: {d.pattern()} near {blamed(out, oracle, d.output, columns or {d.column})}"


def signatures(out: Outcome) -> list[str]:
    """Every distinct signature of an outcome, the primary one first (see primary)."""
    if out.status != "ok":
        return [f"{out.status}: {normalised(out.message)}"]
    differing: dict[tuple[str, str], set[str]] = {}
    for o, d in out.diffs:
        if d.kind == "cell":
            differing.setdefault((o, d.output), set()).add(d.column)
    found = {signature(o, d, out, differing.get((o, d.output))) for o, d in out.diffs}
    return sorted(found, key=_priority)


def primary(out: Outcome) -> str | None:
    """The signature a case is counted under: a refusal or crash; else an invariant;
    else a row difference; else a cell difference; idxc disagreeing with itself before
    the reference disagreeing with idxc."""
    found = signatures(out) if out.disagrees else []
    return found[0] if found else None


def _priority(sig: str) -> tuple[int, int, str]:
    oracle = sig.split(":")[0]
    rows = 0 if "row" in sig or "duplicate-key" in sig or "NaN" in sig or "run failed" in sig else 1
    return (rows, _ORACLE_ORDER.index(oracle) if oracle in _ORACLE_ORDER else 9, sig)


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
