"""The plan: what the SQL computes, step by step, one class per kind of step.

Each step is one relation (a CTE, or a few for a treatment) at a grain; its `keys`
are the key columns every row carries (the grain's axes and the attributes carried
along). Steps are values: two equal steps compute the same relation. The planner
(`plan.py`) builds them, the passes (`planning/passes/`) rewrite a plan into a plan, and
`sqlgen.py` turns each kind into SQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from typing import Any, TypeVar, Union

from ..semantics import model as m
from ..builtins.outliers import BOUNDS
from ..semantics.calendar import Calendar


@dataclass(frozen=True)
class Column:
    """A computed column: its name, its expression over the step's rows, and the spec
    text it comes from (shown beside it in the SQL)."""

    name: str
    expr: m.Expr
    note: str = field(default="", compare=False)
    line: int = field(default=0, compare=False)  # the spec line of the definition it computes: where an engine's error is placed


@dataclass(frozen=True)
class Join:
    """Coarser values broadcast onto a step's rows: `columns` of `source`, by `keys`."""

    source: str
    keys: tuple[str, ...]
    columns: tuple[str, ...] = ()


@dataclass(frozen=True)
class Read:
    """A table's rows: the input data (numbers cast to DOUBLE, screened entities left
    out), or a table computed earlier in the run; full-joined into `merge_into`."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    table: m.TableInfo
    note: str = field(default="", compare=False)
    merge_into: str | None = None
    screen: m.Screen | None = None
    # attributes the table declares, when they are all its rows carry: each entity's one
    # value over its rows (a window), the same as s.Attributes's lookup, without the join
    attributes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Attributes:
    """An entity's attributes, one row per entity: the value each takes in the rows of
    the table declaring it (data/checks.py checks there is one). Joined by the entity key onto
    rows already made, it can neither multiply nor split them, and an entity without a
    value gets a missing one, never a row of its own."""

    name: str
    grain: m.Grain  # the entity
    keys: tuple[str, ...]  # (entity,)
    table: m.TableInfo  # the table declaring them
    attributes: tuple[str, ...]
    note: str = field(default="", compare=False)


@dataclass(frozen=True)
class Derive:
    """Columns computed on the rows of `source`, which it keeps, windows included."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str | None  # None: one row of constants
    columns: tuple[Column, ...]
    joins: tuple[Join, ...] = ()
    note: str = field(default="", compare=False)


@dataclass(frozen=True)
class Aggregate:
    """A GROUP BY of `source`'s rows onto a coarser grain; full-joined into `merge_into`
    when that grain has rows already."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str
    columns: tuple[Column, ...]
    note: str = field(default="", compare=False)
    merge_into: str | None = None
    groups: tuple[str, ...] = ()  # attribute keys: an entity without a value belongs to no group


@dataclass(frozen=True)
class Merge:
    """Columns taken from a pooled GROUP BY (`pool`), full-joined into `merge_into`."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    pool: str
    columns: tuple[str, ...]
    note: str = field(default="", compare=False)
    merge_into: str | None = None


@dataclass(frozen=True)
class Unpivot:
    """The long form of a stacked function's arguments: each row of `source` once per
    application (`slots`, along `axis`), with that application's arguments as columns."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str
    axis: str
    slots: tuple[str, ...]
    values: tuple[tuple[str, tuple[m.Expr, ...]], ...]  # column, its expression per slot
    note: str = field(default="", compare=False)


@dataclass(frozen=True)
class TreatBounds:
    """COINr's treatment rule for `column` of `source` across `axis`: per cell of the
    other axes, the bounds the values are clipped to, or whether they are logged."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str
    column: str
    axis: str
    winmax: int
    note: str = field(default="", compare=False)


Step = Union[Read, Attributes, Derive, Aggregate, Merge, Unpivot, TreatBounds]


def reads(s: Step) -> tuple[str, ...]:
    """The steps s reads directly."""
    if isinstance(s, Read):
        return (s.merge_into,) if s.merge_into else ()
    if isinstance(s, Attributes):
        return ()
    if isinstance(s, Derive):
        return (*((s.source,) if s.source else ()), *(j.source for j in s.joins))
    if isinstance(s, Merge):
        return (s.pool, *((s.merge_into,) if s.merge_into else ()))
    if isinstance(s, Aggregate):
        return (s.source, *((s.merge_into,) if s.merge_into else ()))
    return (s.source,)


def provides(s: Step) -> tuple[str, ...]:
    """The columns s adds to the rows it reads."""
    if isinstance(s, Read):
        return (*s.keys, *s.table.columns)
    if isinstance(s, Attributes):
        return (*s.keys, *s.attributes)
    if isinstance(s, (Derive, Aggregate)):
        return tuple(c.name for c in s.columns)
    if isinstance(s, Merge):
        return s.columns
    if isinstance(s, Unpivot):
        return (s.axis, *(v for v, _ in s.values))
    return tuple(f"{s.name}_{b}" for b in BOUNDS)


@dataclass(frozen=True)
class OutputQuery:
    """An output: its keys and columns, read from `source` with coarser values joined."""

    output: str
    keys: tuple[str, ...]
    source: str
    joins: tuple[Join, ...]
    columns: tuple[tuple[str, m.Expr], ...]  # alias, value
    periods: Mapping[str, Calendar] = field(default_factory=dict, hash=False, compare=False)  # keys written as labels


@dataclass(frozen=True)
class Tally:
    """What one reduction skipped: its argument, counted over the rows it reduced."""

    label: str
    line: int
    source: str
    joins: tuple[Join, ...]
    arg: m.Expr
    within: tuple[str, float | int, float | int] | None
    never_missing: bool = False  # nothing to count: the engine need not compute arg
    outputs: tuple[str, ...] = ()  # reported under these outputs
    slot_axis: str | None = None  # in a stacked function: counted per application
    reduce: m.Reduce | None = field(default=None, compare=False)  # the reduction, as its step computes it
    counted: tuple[str, str] | None = None  # columns of `source` already holding its cells and present cells


@dataclass(frozen=True)
class Stage:
    """A step computed once into a table of its own, keeping only what later queries read."""

    step: str
    columns: tuple[str, ...]
    consumers: tuple[str, ...]  # the queries that read it, for the script's comments


@dataclass(frozen=True)
class Plan:
    steps: Mapping[str, Step]  # in an order where each step follows what it reads
    outputs: Mapping[str, OutputQuery]
    tallies: tuple[Tally, ...] = ()
    stages: tuple[Stage, ...] = ()  # in the order they are computed (planning/passes/share.py)


def merge_tallies(tallies: tuple[Tally, ...] | list[Tally]) -> tuple[Tally, ...]:
    """One tally for a reduction counted over the same rows, reported under every
    output that reaches it."""
    found: dict[Tally, tuple[str, ...]] = {}
    for t in tallies:
        key = replace(t, outputs=())
        found[key] = tuple(dict.fromkeys((*found.get(key, ()), *t.outputs)))
    return tuple(replace(t, outputs=o) for t, o in found.items())


def upstream(steps: Mapping[str, Step], starts: list[str] | tuple[str, ...],
             stop: Container[str] = frozenset()) -> set[str]:
    """The steps that `starts` read, directly or through others, themselves included;
    not past the steps in `stop` (tables computed earlier, which a statement reads)."""
    seen: set[str] = set()
    todo = [s for s in starts if s]
    while todo:
        n = todo.pop()
        if n in seen or n not in steps:
            continue
        seen.add(n)
        if n not in stop:
            todo += reads(steps[n])
    return seen


Reader = Union[Step, OutputQuery, Tally]
_R = TypeVar("_R", bound=Reader)  # a reader redirected is of its own kind


def redirect(r: _R, swap: Callable[[str], str]) -> _R:
    """r reading step `swap(n)` wherever it read step n; two joins that now join the
    same step by the same keys are one, with the columns of both (a step joined twice
    is an alias named twice: an error on every engine)."""
    fields: dict[str, Any] = {f: swap(getattr(r, f)) for f in ("source", "merge_into", "pool") if getattr(r, f, None)}
    if isinstance(r, (Derive, OutputQuery, Tally)):
        fields["joins"] = _joined_once(tuple(replace(j, source=swap(j.source)) for j in r.joins))
    return replace(r, **fields)


def _joined_once(joins: tuple[Join, ...]) -> tuple[Join, ...]:
    found: dict[tuple[str, tuple[str, ...]], list[str]] = {}
    for j in joins:
        found.setdefault((j.source, j.keys), []).extend(j.columns)
    if len(found) == len(joins):
        return joins
    return tuple(Join(source, keys, tuple(dict.fromkeys(columns))) for (source, keys), columns in found.items())


def redirect_plan(plan: Plan, swap: Callable[[str], str]) -> Plan:
    """The plan with every step, output and count redirected (`redirect`)."""
    return replace(plan, steps={n: redirect(st, swap) for n, st in plan.steps.items()},
                   outputs={o: redirect(q, swap) for o, q in plan.outputs.items()},
                   tallies=tuple(redirect(t, swap) for t in plan.tallies))


def tally_group(t: Tally) -> tuple:
    """What makes tallies one statement: the same rows, counted the same way (whichever
    columns each takes from the same joins: joined_columns)."""
    return (t.source, tuple((j.source, j.keys) for j in t.joins), t.within, t.slot_axis, t.counted is None)


def joined_columns(tallies: Sequence[Tally]) -> tuple[Join, ...]:
    """The joins of tallies of one group (tally_group), each with every column any of them reads."""
    return tuple(replace(j, columns=tuple(dict.fromkeys(c for t in tallies for c in t.joins[k].columns)))
                 for k, j in enumerate(tallies[0].joins))


def query_reads(q: OutputQuery | Tally) -> list[str]:
    return [q.source, *(j.source for j in q.joins)]


def ordered(steps: Mapping[str, Step]) -> dict[str, Step]:
    """The steps in an order where each follows what it reads, otherwise as given."""
    done: dict[str, Step] = {}

    def visit(s: Step) -> None:
        if s.name in done:
            return
        for n in reads(s):
            if n in steps:
                visit(steps[n])
        done[s.name] = s

    for s in steps.values():
        visit(s)
    return done


def walk_steps(plan: Plan) -> Iterator[tuple[Step, Column]]:
    for s in plan.steps.values():
        for c in getattr(s, "columns", ()):
            if isinstance(c, Column):
                yield s, c


def check_rows(plan: Plan) -> None:
    """Every step has one row per key of its grain, by construction: a table is read on
    its keys (unique: data/checks.py checks), rows are full-joined on the grain's keys, a GROUP
    BY groups by them, and what is joined onto rows (a coarser grain's values, an
    entity's attributes) has one row per key it is joined by. A plan that breaks this
    is a compiler error, found here rather than as rows multiplied at run time."""
    def joined(where: str, j: Join) -> None:
        source = plan.steps[j.source]
        assert j.keys == source.grain.dims, f"{where} joins {j.source} by {j.keys}, not its grain {source.grain}"

    for step in plan.steps.values():
        if isinstance(step, (Read, Aggregate, Merge)) and step.merge_into:
            into = plan.steps[step.merge_into]
            assert step.keys == step.grain.dims == into.grain.dims, f"{step.name} is merged into {into.name} by {step.keys}"
        if isinstance(step, (Aggregate, Attributes)):
            assert step.keys == step.grain.dims, f"{step.name} groups by {step.keys}, not its grain {step.grain}"
        if isinstance(step, Derive):
            if step.source is not None:
                assert plan.steps[step.source].grain == step.grain, f"{step.name} changes the grain of {step.source}"
            for j in step.joins:
                joined(step.name, j)
    for q in plan.outputs.values():
        for j in q.joins:
            joined(f"output {q.output}", j)
