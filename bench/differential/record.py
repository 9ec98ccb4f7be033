"""python -m bench.differential.record FOLDER "what the bug was": a hand-made corpus
case (spec.idx and its data files in FOLDER) gets its expected.json from the reference
interpreter, and report.txt the bug it records, so that tests/test_differential.py
replays it like a case the campaign saved. The reference's rows are printed to be read
against the numbers worked out by hand before the case is committed.

The reference reads one column per variable only: a case whose data is laid out long
or wide keeps, in FOLDER/plain/, the same spec and data in the default layout, which
the reference evaluates instead."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import idxlang
from idxlang.reference import evaluate, load_tables

from .compare import data_magnitude
from .frames import from_reference


def record(folder: Path, about: str) -> dict[str, object]:
    plain = folder / "plain"
    model = idxlang.load((plain if plain.is_dir() else folder) / "spec.idx").model
    keys = {o: len(model.outputs[o].keys) for o in model.outputs}
    time = next(iter(sorted(model.axes.times)), None)
    tables = load_tables(model, {})
    frames = from_reference(evaluate(model, tables), keys, time)
    expected = {
        "signature": f"hand-made: {about}",
        "oracle": "reference",
        "rows_from": "reference",
        "params": {},
        "calendar": model.axes.calendar(time).value if time else "yearly",
        "time": time,
        "outputs": {n: f.as_json() for n, f in frames.items()},
        "data_magnitude": data_magnitude([(tables[t], model.tables[t].columns) for t in tables]),
    }
    (folder / "expected.json").write_text(json.dumps(expected, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    (folder / "report.txt").write_text(about.strip() + "\n", encoding="utf-8")
    return expected


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    expected = record(Path(argv[0]), argv[1])
    for name, frame in expected["outputs"].items():  # type: ignore[union-attr]
        print(f"{name}: {frame['columns']}")
        for row in frame["rows"]:
            print("   ", row)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
