"""Strategies for a case's axes and tables: several tables with different entity sets
and period ranges (entity × time, time only, entity only, a second entity axis ×
time), attributes declared in a time table, in an entity table or in a table of their
own, with empty cells and entities without one; gaps in time, missing and NaN cells,
and values from small dyadic pools so that ties happen and results are exact.

Every draw's simplest value comes first, so hypothesis shrinks towards a small case:
one panel, two entities, two periods, no missing cells, the default layout as CSV.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Sequence, TypeVar

from hypothesis import strategies as st

from .case import Axes, Row, Table
from .values import POOLS

T = TypeVar("T")
Draw = Callable[[st.SearchStrategy[T]], T]

E1, E2 = "region", "firm"
TIME = {"yearly": "year", "quarterly": "quarter", "monthly": "month"}
FIRST = {"yearly": 2000, "quarterly": 2000 * 4, "monthly": 2000 * 12}
CODES = {E1: ("A", "B", "C", "D", "E", "F", "G"), E2: ("X", "Y", "Z", "W")}
GROUPS = {"district": ("D1", "D2", "D3"), "macro": ("M1", "M2"), "sector": ("S1", "S2")}


def weighted(draw: Draw, choices: Sequence[tuple[int, T]]) -> T:
    """One of `choices` by weight; shrinks to the first."""
    total = sum(w for w, _ in choices)
    n = draw(st.integers(0, total - 1))
    for w, value in choices:
        if n < w:
            return value
        n -= w
    raise AssertionError("unreachable")


def chance(draw: Draw, p: float) -> bool:
    """True with probability about p; shrinks to False."""
    return draw(st.integers(0, 99)) >= 100 - round(p * 100)


def subset(draw: Draw, items: Sequence[T], least: int = 1) -> list[T]:
    """A non-empty subset in the items' order; shrinks to the first `least` items."""
    n = draw(st.integers(least, len(items)))
    if n == len(items):
        return list(items)
    skip = set(draw(st.lists(st.integers(0, len(items) - 1), min_size=0, max_size=len(items) - n, unique=True)))
    kept = [x for i, x in enumerate(items) if i not in skip]
    return kept[:max(n, least)] if len(kept) >= least else list(items[:least])


@st.composite
def axes(draw: Draw) -> Axes:
    calendar = weighted(draw, [(16, "yearly"), (2, "quarterly"), (2, "monthly")])
    n = draw(st.integers(2, 6 if calendar == "yearly" else 8))
    periods = tuple(FIRST[calendar] + i for i in range(n))
    entities = {E1: tuple(CODES[E1][:draw(st.integers(2, 7))])}
    if chance(draw, 0.2):
        entities[E2] = tuple(CODES[E2][:draw(st.integers(2, 4))])
    attributes = {a: E1 for a in ("district", "macro")[:weighted(draw, [(3, 0), (6, 1), (2, 2)])]}
    if E2 in entities and chance(draw, 0.5):
        attributes["sector"] = E2
    groups = {a: GROUPS[a][:draw(st.integers(1, len(GROUPS[a])))] for a in attributes}
    return Axes(entities, TIME[calendar], calendar, periods, attributes, groups)


@dataclass
class Plan:
    """What a table will be before its rows are drawn."""

    name: str
    entity: str | None
    time: str | None
    prefix: str
    entities: list[str] = field(default_factory=list)
    periods: list[int] = field(default_factory=list)
    attributes: list[str] = field(default_factory=list)
    columns: int = 1


@st.composite
def tables(draw: Draw, ax: Axes) -> list[Table]:
    """The case's tables: a panel always; others as drawn; each attribute owned by one."""
    t = ax.time
    plans = [Plan("panel", E1, t, "p", columns=draw(st.integers(1, 4)))]
    if chance(draw, 0.35):
        plans.append(Plan("extra", E1, t, "q", columns=draw(st.integers(1, 2))))
    if chance(draw, 0.35):
        plans.append(Plan("yearly", None, t, "y", columns=draw(st.integers(1, 2))))
    if chance(draw, 0.25):
        plans.append(Plan("static", E1, None, "s", columns=draw(st.integers(1, 2))))
    if E2 in ax.entities:
        plans.append(Plan("firms", E2, t, "f", columns=draw(st.integers(1, 2))))
    for p in plans:
        if p.entity:
            p.entities = subset(draw, ax.entities[p.entity], least=min(2, len(ax.entities[p.entity])))
        if p.time:
            lo = draw(st.integers(0, len(ax.periods) - 1)) if p.prefix != "p" else 0
            hi = draw(st.integers(lo, len(ax.periods) - 1)) if p.prefix != "p" else len(ax.periods) - 1
            if p.prefix == "p" and chance(draw, 0.3):
                hi = draw(st.integers(0, len(ax.periods) - 1))
                lo = draw(st.integers(0, hi))
            p.periods = list(ax.periods[lo:hi + 1])
    for a, entity in ax.attributes.items():
        owners = [p for p in plans if p.entity == entity]
        choice = weighted(draw, [(4, "time"), (3, "own")] + ([(2, "static")] if any(not p.time for p in owners) else []))
        if choice == "own":
            own = next((p for p in plans if p.prefix == "g" and p.entity == entity), None)
            if own is None:
                own = Plan("groups" if entity == E1 else "sectors", entity, None, "g", columns=0)
                plans.append(own)
            owner = own
        elif choice == "static":
            owner = next(p for p in owners if not p.time)
        else:
            timed = [p for p in owners if p.time]
            owner = timed[draw(st.integers(0, len(timed) - 1))]
        owner.attributes.append(a)
    for p in plans:  # an attribute's table holds every entity the other tables of its entity hold
        if p.attributes:
            p.entities = sorted({e for q in plans if q.entity == p.entity for e in q.entities} | set(p.entities),
                                key=ax.entities[p.entity].index)  # type: ignore[index]
    return [_table(draw, ax, p) for p in plans]


def _table(draw: Draw, ax: Axes, p: Plan) -> Table:
    columns = [f"{p.prefix}{i + 1}" for i in range(p.columns)]
    fmt = weighted(draw, [(6, "csv"), (5, "parquet"), (1, "jsonl"), (1, "csv;")])
    gaps = weighted(draw, [(3, 0.0), (3, 0.15), (1, 0.4)]) if p.time else 0.0
    missing = weighted(draw, [(3, 0.0), (4, 0.1), (1, 0.35)])
    nan = fmt in ("parquet", "csv") and chance(draw, 0.25)
    pools = [POOLS[draw(st.integers(0, len(POOLS) - 1))] for _ in columns]
    groups = {a: {e: _group(draw, ax, a) for e in p.entities} for a in p.attributes}
    empty_cells = p.time is not None and p.attributes and chance(draw, 0.3)
    keys = [(e, t) for e in (p.entities or [None]) for t in (p.periods or [None])]
    rows: list[Row] = []
    for i, (e, t) in enumerate(keys):
        last_of_entity = i + 1 == len(keys) or keys[i + 1][0] != e
        held = bool(rows) and rows[-1].get(p.entity) == e if p.entity else bool(rows)  # type: ignore[arg-type]
        if t is not None and gaps and (held or not last_of_entity) and chance(draw, gaps):
            continue  # a gap in time; every entity keeps a row
        row: Row = {}
        if e is not None:
            row[p.entity] = e  # type: ignore[index]
        if t is not None:
            row[p.time] = t  # type: ignore[index]
        for a in p.attributes:
            row[a] = None if empty_cells and chance(draw, 0.3) else groups[a][e]
        for c, pool in zip(columns, pools):
            if missing and chance(draw, missing):
                row[c] = float("nan") if nan and chance(draw, 0.5) else None
            else:
                row[c] = pool[draw(st.integers(0, len(pool) - 1))]
        rows.append(row)
    layout = _layout(draw, ax, p, columns)
    labels = weighted(draw, [(3, "label"), (1, "dashed"), (1, "spaced"), (1, "date")] + ([(1, "typed")] if fmt == "parquet" else []))
    table = Table(p.name, p.entity, p.time, columns, list(p.attributes), rows, layout, fmt,
                  labels if ax.calendar != "yearly" and p.time else "label")
    if layout in ("wide", "wide1", "series"):
        _complete(table, p)
    return table


def _group(draw: Draw, ax: Axes, attribute: str) -> str | None:
    """An entity's group, or none (an entity without one)."""
    codes = ax.groups[attribute]
    return None if chance(draw, 0.12) else codes[draw(st.integers(0, len(codes) - 1))]


def _layout(draw: Draw, ax: Axes, p: Plan, columns: list[str]) -> str:
    if not columns:  # a long file of attributes alone crashes idxc's pivot (reported); not generated
        return "default"
    options = [(12, "default"), (2, "long")]
    if p.entity and p.time and ax.calendar == "yearly":
        options += [(2, "wide"), (2, "series")]
        if len(columns) == 1:
            options.append((1, "wide1"))
    return weighted(draw, options)


def _complete(t: Table, p: Plan) -> None:
    """A wide file (and a file of a series per row) gives every entity a row for every
    period of its range (the docs' rule), so the logical table has those rows, their
    cells missing; an entity's attributes are one cell of its row."""
    have = {(r[t.entity], r[t.time]): r for r in t.rows}  # type: ignore[index]
    first, last = t.periods()
    attrs = {}
    for r in t.rows:
        for a in t.attributes:
            if r.get(a) is not None:
                attrs[(r[t.entity], a)] = r[a]  # type: ignore[index]
    rows = []
    for e in p.entities:
        if not any(k[0] == e for k in have):
            continue
        for period in range(first, last + 1):
            r = dict(have.get((e, period), {t.entity: e, t.time: period, **{c: None for c in t.columns}}))  # type: ignore[dict-item]
            for a in t.attributes:
                r[a] = attrs.get((e, a))
            rows.append(r)
    t.rows = rows
