"""A saved case folder (spec.idx, its data files, expected.json) run through idxc again:
it must run (a case idxc refused or crashed on), hold the output invariants (one row
per key, no NaN), and give the expected rows (the reference interpreter's, or for a
case it has none for, those of the idxc run the disagreement was with)."""

from __future__ import annotations

import json
from pathlib import Path

import idxlang

from .compare import compare, invariants
from .frames import Frame, from_idxc


def replay(folder: Path, alone: bool = True, **engine: object) -> list[str]:
    """What still differs, one line each (nothing: the case passes): all outputs run
    together, and (`alone`) each output run by itself, must give the expected rows;
    `engine` as Spec.run takes it (engine="postgres", dsn=...)."""
    expected = json.loads((folder / "expected.json").read_text(encoding="utf-8"))
    try:
        spec = idxlang.load(folder / "spec.idx", params=expected.get("params") or None)
    except Exception as err:  # noqa: BLE001 - any refusal is what a saved case reports
        return [f"idxc failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"]
    runs = [None, *([[o] for o in spec.outputs] if alone and len(spec.outputs) > 1 else [])]
    return [f"{'together' if outputs is None else outputs[0] + ' alone'}: {p}"
            for outputs in runs for p in _run(spec, expected, outputs, engine)]


def _run(spec: idxlang.Spec, expected: dict, outputs: list[str] | None, engine: dict) -> list[str]:  # type: ignore[type-arg]
    try:
        result = spec.run(outputs=outputs, **engine)  # type: ignore[arg-type]
    except Exception as err:  # noqa: BLE001 - any refusal is what a saved case reports
        return [f"idxc failed: {type(err).__name__}: {str(err).splitlines()[0] if str(err) else ''}"]
    keys = {o: len(spec.model.outputs[o].keys) for o in result.tables}
    found = from_idxc(result.tables, keys, expected["time"], expected["calendar"])
    problems = [d.render() for name, f in found.items() for d in invariants(name, f)]
    for name, want in expected["outputs"].items():
        if outputs is not None and name not in outputs:
            continue
        if name not in found:
            problems.append(f"  {name}: not computed")
            continue
        problems += [d.render() for d in compare(name, Frame.from_json(want), found[name], data=expected.get("data_magnitude", 0.0))]
    return problems


def folders(root: Path) -> list[Path]:
    return sorted(p.parent for p in root.glob("*/expected.json"))
