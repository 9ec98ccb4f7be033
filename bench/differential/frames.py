"""Outputs in one canonical form, whoever computed them: the reference interpreter's
`Frame` (columns, rows) and idxc's Arrow tables alike become a `Frame` whose rows are
sorted by the output's keys, periods as numbers (idxc writes quarters back as
labels, "2024Q1"), numbers as float, missing as None, codes as str, comparisons as
bool."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from idxlang.semantics.calendar import Calendar, parse_label


@dataclass(frozen=True)
class Frame:
    columns: tuple[str, ...]
    rows: tuple[tuple[Any, ...], ...]
    keys: int = 0  # how many leading columns are the output's keys

    def as_json(self) -> dict[str, Any]:
        return {"columns": list(self.columns), "keys": self.keys, "rows": [[_json(v) for v in r] for r in self.rows]}

    @staticmethod
    def from_json(d: Mapping[str, Any]) -> Frame:
        rows = tuple(tuple(_unjson(v) for v in r) for r in d["rows"])
        return Frame(tuple(d["columns"]), rows, int(d.get("keys", 0)))


def _json(v: Any) -> Any:
    if isinstance(v, float) and not math.isfinite(v):
        return {"float": repr(v)}
    return v


def _unjson(v: Any) -> Any:
    return float(v["float"]) if isinstance(v, dict) else v


def cell(v: Any) -> Any:
    """One value in canonical form: bools stay bools, other numbers become floats."""
    if v is None or isinstance(v, (bool, str)):
        return v
    if isinstance(v, (int, float)):
        return float(v)
    return str(v)


def sort_key(row: tuple[Any, ...], keys: int) -> tuple[Any, ...]:
    return tuple((v is None, str(type(v)), v if v is not None else 0) for v in row[:keys])


def canonical(columns: Iterable[str], rows: Iterable[Iterable[Any]], keys: int, time: str | None = None,
              calendar: str = "yearly") -> Frame:
    columns = tuple(columns)
    found = []
    at = columns.index(time) if time in columns[:keys] else None
    for r in rows:
        values = [cell(v) for v in r]
        if at is not None and isinstance(values[at], str):
            values[at] = float(period_number(values[at], calendar))
        found.append(tuple(values))
    return Frame(columns, tuple(sorted(found, key=lambda r: sort_key(r, keys))), keys)


def period_number(text: str, calendar: str) -> int:
    found = parse_label(text)
    if found is None:
        raise ValueError(f"not a period label: {text!r}")
    assert found[0] is Calendar(calendar), (text, calendar)
    return found[1]


def from_idxc(tables: Mapping[str, Any], key_counts: Mapping[str, int], time: str, calendar: str) -> dict[str, Frame]:
    """idxc's Result.tables (pyarrow) as frames."""
    out = {}
    for name, table in tables.items():
        rows = zip(*[table.column(c).to_pylist() for c in table.column_names]) if table.num_columns else []
        out[name] = canonical(table.column_names, rows, key_counts[name], time, calendar)
    return out


def from_reference(frames: Mapping[str, Any], key_counts: Mapping[str, int], time: str) -> dict[str, Frame]:
    """The reference interpreter's frames (periods already numbers)."""
    return {name: canonical(f.columns, f.rows, key_counts[name], time) for name, f in frames.items()}
