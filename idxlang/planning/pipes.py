"""One grain's rows as a pipeline of steps, and the layers definitions are placed in.

The rows of a grain are set by its bases (a table read, a GROUP BY merged in, the
unpivot of a stack); after the last base, columns are computed in layers,
each layer one step holding every column whose inputs the steps before it already
hold. A column goes into the first layer that can take it: after what it reads, and
not into a layer that what it joins is itself computed from.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Protocol, Union, overload

from ..semantics import model as m
from . import steps as s
from .row_origins import Site
from ..names import reserve


@dataclass
class Pipe:
    """The steps of one grain's rows, shared by the outputs whose rows there agree."""

    key: tuple
    grain: m.Grain
    keys: tuple[str, ...] = ()
    steps: list[str] = field(default_factory=list)
    base: int = -1  # position of the last step that set the rows (a read, a merge)
    where: dict[str, str] = field(default_factory=dict)  # column -> step that first has it
    building: bool = False  # its merges are being placed
    pending: list[Site] = field(default_factory=list)  # the merges still to place, while building
    current: Site | None = None  # the merge being placed, while building
    whole: bool = False  # every row is there (the merges left add values, no rows), and the attributes
    merged_from: set[tuple] = field(default_factory=set)  # the pipes whose groups were merged in
    long: bool = False  # a stacked function's long form: rows from its unpivot or its groups, as they come


@dataclass
class Layer:
    """A Derive step while it is being filled."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str | None
    columns: list[s.Column] = field(default_factory=list)
    joins: dict[str, s.Join] = field(default_factory=dict)


@dataclass
class Group:
    """An Aggregate step while it is being filled (a pivot gains a column per pick)."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str
    columns: list[s.Column] = field(default_factory=list)
    note: str = ""
    merge_into: str | None = None
    groups: tuple[str, ...] = ()  # attribute keys: an entity without a value belongs to no group


@dataclass
class Needs:
    """What an expression placed on a step's rows needs: same-grain columns, joins, tallies."""

    columns: set[str] = field(default_factory=set)
    joins: dict[str, s.Join] = field(default_factory=dict)
    tallies: list[tuple[m.Reduce, m.Expr]] = field(default_factory=list)

    def join(self, other: dict[str, s.Join]) -> None:
        """Take `other`'s joins too; a step joined by both is joined once, for all columns."""
        for source, j in other.items():
            had = self.joins.get(source)
            self.joins[source] = j if had is None else replace(
                had, columns=tuple(dict.fromkeys((*had.columns, *j.columns))))


Building = Union[s.Step, Layer, Group]  # a step, or a builder still being filled


class Draft:
    """The steps of a plan while they are being placed, and their names: CTEs and
    columns are two namespaces."""

    def __init__(self, columns: set[str]) -> None:
        self.steps: dict[str, Building] = {}  # name -> step, or a builder still being filled
        self.columns = set(columns)
        self.step_names: set[str] = set()

    def unique(self, base: str, steps: bool = True) -> str:
        return reserve(base, self.step_names if steps else self.columns)

    def add_base(self, pipe: Pipe, step: Building, columns: tuple[str, ...]) -> None:
        """A step that sets the pipeline's rows: later columns are computed after it."""
        name = step.name
        self.steps[name] = step
        pipe.steps.append(name)
        pipe.base = len(pipe.steps) - 1
        for c in columns:
            pipe.where.setdefault(c, name)

    def position(self, pipe: Pipe, column: str) -> int:
        return pipe.steps.index(pipe.where[column])

    def earliest(self, pipe: Pipe, columns: set[str]) -> str:
        """The first step of the current rows that has every one of `columns`."""
        at = max([pipe.base, *(self.position(pipe, c) for c in columns if c in pipe.where)])
        return pipe.steps[at]

    def add_column(self, pipe: Pipe, column: s.Column, needs: Needs) -> str:
        """The column in the first layer that can take it; returns that layer's name."""
        layer = self.layer_for(pipe, needs)
        layer.columns.append(column)
        joins = Needs(joins=layer.joins)
        joins.join(needs.joins)
        layer.joins = joins.joins
        pipe.where[column.name] = layer.name
        return layer.name

    def layer_for(self, pipe: Pipe, needs: Needs) -> Layer:
        assert pipe.whole or not pipe.steps, f"a column computed on the rows of {pipe.grain} before they are all merged"
        lowest = max([pipe.base + 1, *(self.position(pipe, c) + 1 for c in needs.columns if c in pipe.where)])
        for at in range(lowest, len(pipe.steps)):
            layer = self.steps[pipe.steps[at]]
            if isinstance(layer, Layer) and not any(layer.name in self.upstream(j) for j in needs.joins):
                return layer
        source = pipe.steps[-1] if pipe.steps else None
        layer = Layer(self.unique(f"#{len(self.steps)}"), pipe.grain, pipe.keys, source)
        self.steps[layer.name] = layer
        pipe.steps.append(layer.name)
        if source is None:
            pipe.base = 0
        return layer

    def upstream(self, start: str) -> set[str]:
        seen: set[str] = set()
        todo = [start]
        while todo:
            n = todo.pop()
            if n in seen or n not in self.steps:
                continue
            seen.add(n)
            step = self.steps[n]
            todo += [x for x in (getattr(step, "source", None), getattr(step, "merge_into", None)) if x]
            todo += list(getattr(step, "joins", {}))
        return seen

    def freeze(self) -> tuple[dict[str, s.Step], dict[str, str]]:
        """The steps as values, in dependency order, each layer named after what it
        holds; and the new name of each layer."""
        names = {name: self.unique(_layer_name([c.name for c in step.columns]))
                 for name, step in self.steps.items() if isinstance(step, Layer)}

        @overload
        def rename(n: str) -> str: ...
        @overload
        def rename(n: None) -> None: ...
        def rename(n: str | None) -> str | None:
            return names.get(n, n) if n else n

        return s.ordered({rename(n): _frozen(step, rename) for n, step in self.steps.items()}), names


def _layer_name(columns: list[str]) -> str:
    if len(columns) == 1:
        return columns[0]
    if len(columns) == 2:
        return f"{columns[0]}_and_{columns[1]}"
    return f"{columns[0]}_to_{columns[-1]}"


class _Rename(Protocol):
    """A step's new name, given its name (or none)."""

    @overload
    def __call__(self, n: str, /) -> str: ...
    @overload
    def __call__(self, n: None, /) -> None: ...


def _frozen(step: Building, rename: _Rename) -> s.Step:
    if isinstance(step, Layer):
        joins = tuple(replace(j, source=rename(j.source)) for j in step.joins.values())
        notes = "; ".join(c.note for c in step.columns if c.note)
        return s.Derive(rename(step.name), step.grain, step.keys, rename(step.source), tuple(step.columns), joins, notes)
    if isinstance(step, Group):
        return s.Aggregate(step.name, step.grain, step.keys, rename(step.source), tuple(step.columns), step.note,
                           rename(step.merge_into), step.groups)
    return s.redirect(step, rename)
