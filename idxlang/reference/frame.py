"""What `evaluate` returns for one output: its key columns, then its columns, one row
per key, sorted by the keys."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Frame:
    columns: tuple[str, ...]  # the output's keys (Output.keys, as written), then its column aliases in order
    rows: tuple[tuple[object, ...], ...]  # one per key, sorted by the keys

    def column(self, name: str) -> list[object]:
        """One column's values, top to bottom."""
        i = self.columns.index(name)
        return [row[i] for row in self.rows]

    def records(self) -> list[dict[str, object]]:
        """The rows as dicts by column name."""
        return [dict(zip(self.columns, row)) for row in self.rows]
