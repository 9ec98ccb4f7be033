"""The input data as the interpreter reads it: each table's rows by key, after the
screens, and each attribute's value per entity.

- Values: a numeric cell that is None or NaN is missing; an infinite one is an error
  (as in a checked run); numbers become floats. An attribute cell that is None or ""
  is missing. Keys are kept as given.
- Screens (`screen T: availability >= s [of c1, c2]`), before anything else: an
  entity's availability is its present cells over all its cells of the named columns
  (every numeric column of T when none are named) among its rows in T; entities below
  s are removed from every table whose entity axis is the screen's.
- An attribute belongs to its entity: its value is the one non-missing value among the
  entity's rows in the table that declares it (two different values are an error, as
  the compiler's data check says); missing when there is none.
"""

from __future__ import annotations

import math
from typing import Mapping, Sequence, cast

from ..semantics import model as m
from .keys import Key, dims


class DataError(ValueError):
    """The data breaks a rule the compiler's data check enforces too."""


def number(v: object, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, (int, float)):
        raise DataError(f"{where}: {v!r} is not a number")
    f = float(v)
    if math.isnan(f):
        return None
    if math.isinf(f):
        raise DataError(f"{where}: an infinite value")
    return f


def text(v: object) -> str | None:
    if v is None or v == "" or (isinstance(v, float) and math.isnan(v)):
        return None
    return v if isinstance(v, str) else str(v)


class Panel:
    def __init__(self, model: m.Model, tables: Mapping[str, Sequence[Mapping[str, object]]]) -> None:
        self.model = model
        self.given = tables
        self.owner = {a: t.name for t in model.tables.values() for a in t.attributes}
        self.table_of = {c: t.name for t in model.tables.values() for c in t.columns}
        self._raw: dict[str, dict[Key, dict[str, object]]] = {}
        self._rows: dict[str, dict[Key, dict[str, object]]] = {}
        self._kept: dict[str, set[object] | None] = {}
        self._attributes: dict[str, dict[object, str | None]] = {}

    # ------------------------------------------------------------ tables
    def info(self, table: str) -> m.TableInfo:
        return self.model.tables[table]

    def raw(self, table: str) -> dict[Key, dict[str, object]]:
        """The table's rows by key (in the canonical order of its grain), before screening."""
        found = self._raw.get(table)
        if found is None:
            info = self.info(table)
            if table not in self.given:
                raise DataError(f"no data for table {table}")
            order = dims(info.grain)
            found = {}
            for i, row in enumerate(self.given[table]):
                clean: dict[str, object] = {}
                for k in info.keys:
                    if row.get(k) is None:
                        raise DataError(f"table {table}, row {i + 1}: no key '{k}'")
                    clean[k] = row[k]
                for c in info.columns:
                    clean[c] = number(row.get(c), f"table {table}, row {i + 1}, column {c}")
                for a in info.attributes:
                    clean[a] = text(row.get(a))
                key = tuple(clean[d] for d in order)
                if key in found:
                    raise DataError(f"table {table}: the key {key} has two rows")
                found[key] = clean
            self._raw[table] = found
        return found

    def rows(self, table: str) -> dict[Key, dict[str, object]]:
        """The table's rows by key, after the screen of its entity axis."""
        found = self._rows.get(table)
        if found is None:
            info = self.info(table)
            kept = self.kept(info.entity) if info.entity else None
            found = {k: r for k, r in self.raw(table).items() if kept is None or r[cast(str, info.entity)] in kept}
            self._rows[table] = found
        return found

    def cell(self, column: str, key: Key) -> float | None:
        row = self.rows(self.table_of[column]).get(key)
        return None if row is None else cast("float | None", row[column])  # a numeric column: number() made it

    # ------------------------------------------------------------ screens
    def kept(self, entity: str) -> set[object] | None:
        """The entities of this axis that its screen keeps (None: no screen)."""
        if entity not in self._kept:
            screen = self.model.screens.get(entity)
            self._kept[entity] = None if screen is None else self._screen(screen)
        return self._kept[entity]

    def _screen(self, screen: m.Screen) -> set[object]:
        """An entity without rows in the screened table has no availability: it is removed."""
        return {e for e, share in self.availability(screen.entity).items() if share >= screen.threshold}

    def availability(self, entity_axis: str) -> dict[object, float]:
        """Each entity's availability under the axis's screen (for reports and tests)."""
        screen = self.model.screens[entity_axis]
        info = self.info(screen.table)
        columns = screen.columns or info.columns
        out: dict[object, list[int]] = {}
        for row in self.raw(screen.table).values():
            seen = out.setdefault(row[screen.entity], [0, 0])
            seen[0] += sum(row[c] is not None for c in columns)
            seen[1] += len(columns)
        return {e: p / t for e, (p, t) in out.items() if t}

    # ------------------------------------------------------------ attributes
    def attribute(self, attribute: str, entity: object) -> str | None:
        values = self._attributes.get(attribute)
        if values is None:
            values = {}
            table = self.owner[attribute]
            axis = self.info(table).entity
            assert axis is not None, table  # an attribute's table has an entity axis
            for row in self.rows(table).values():
                e, v = row[axis], row[attribute]
                if v is None:
                    values.setdefault(e, None)
                elif values.get(e) is None:
                    assert isinstance(v, str)  # text() made it
                    values[e] = v
                elif values[e] != v:
                    raise DataError(f"attribute {attribute} of {e!r} is both {values[e]!r} and {v!r} in table {table}")
            self._attributes[attribute] = values
        return values.get(entity)
