"""The checked model: names resolved, user functions inlined, params bound, and a
grain on every expression. `check.py` builds it; `plan.py` and `sqlgen.py` read it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Iterator, Union

from .ast import Band, Span


@dataclass(frozen=True)
class Axes:
    """Which names are entity axes, time axes and entity attributes."""

    entities: frozenset[str]
    times: frozenset[str]
    attributes: dict[str, str] = field(hash=False, compare=False)  # attribute -> its entity

    def is_time(self, dim: str) -> bool:
        return dim in self.times


@dataclass(frozen=True)
class Grain:
    """The axes a quantity varies along; time always last, so keys read naturally."""

    dims: tuple[str, ...]

    def __str__(self) -> str:
        return " × ".join(self.dims) if self.dims else "scalar"

    def without(self, dim: str) -> Grain:
        return Grain(tuple(d for d in self.dims if d != dim))

    def replace(self, old: str, new: str) -> Grain:
        return Grain(tuple(new if d == old else d for d in self.dims))


SCALAR = Grain(())


def covers(axes: Axes, fine: Grain, coarse: Grain) -> bool:
    """True when every value at `coarse` broadcasts onto rows at `fine`."""
    return all(d in fine.dims or axes.attributes.get(d) in fine.dims for d in coarse.dims)


def make_grain(axes: Axes, dims: set[str] | tuple[str, ...]) -> Grain:
    return Grain(tuple(sorted(dims, key=lambda d: (axes.is_time(d), d))))


# ---------------------------------------------------------------- expressions


@dataclass(frozen=True)
class Const:
    value: float | int | str | None  # None: missing
    grain: Grain = SCALAR
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Ref:
    """A column: a table column, a key or attribute, or a definition."""

    name: str
    grain: Grain
    kind: str  # "column", "key", "attribute", "let"
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Op:
    """Row-wise operator or scalar function: + - * / ^ neg not and or == != < <= > >=
    coalesce if ln exp abs round sqrt least greatest."""

    op: str
    args: tuple[Expr, ...]
    grain: Grain
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Reduce:
    """A reduction that removes `axis` (over) or replaces the entity by a group (by)."""

    func: str  # sum mean min max product geomean count sd median skew kurt quantile
    arg: Expr
    grain: Grain  # the result grain
    axis: str  # the axis removed, or the attribute grouped by
    mode: str  # "over" or "by"
    within: tuple[int | float, int | float] | None
    label: str
    span: Span | None = field(default=None, compare=False, repr=False)
    report: bool = field(default=True, compare=False)  # count what it skips (not for a treatment's inner statistics)
    param: float | None = None  # quantile(x, p over e): p


@dataclass(frozen=True)
class At:
    """Value of `arg` in one period of its time axis."""

    arg: Expr
    time: str
    period: int | float
    grain: Grain
    label: str
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Window:
    """Along time (lag, cumprod, cumsum) or across entities (rank); keeps the grain."""

    kind: str  # lag cumprod cumsum rank fill_forward fill_backward interpolate
    arg: Expr
    grain: Grain
    axis: str  # time axis for lag/cum, ranked axis for rank
    offset: int = 1
    descending: bool = False
    ties: str = "min"
    label: str = ""
    group: str | None = None  # rank(x desc by district): ranked within each group
    span: Span | None = field(default=None, compare=False, repr=False)


@dataclass(frozen=True)
class Classify:
    arg: Expr
    scale: str
    bands: tuple[Band, ...]
    grain: Grain
    span: Span | None = field(default=None, compare=False, repr=False)


Expr = Union[Const, Ref, Op, Reduce, At, Window, Classify]


def children(e: Expr) -> tuple[Expr, ...]:
    if isinstance(e, Op):
        return e.args
    if isinstance(e, (Reduce, At, Window, Classify)):
        return (e.arg,)
    return ()


# operators whose result is present whenever all their operands are
_TOTAL_OPS = frozenset({"+", "-", "*", "neg", "abs", "exp", "round", "not", "and", "or",
                        "==", "!=", "<", "<=", ">", ">=", "least", "greatest", "if"})


def never_missing(e: Expr, resolve: Callable[[str], Expr | None]) -> bool:
    """True when e is present on every row, so counting its missing values needs no
    query (and the engine can skip computing it): constants, keys, `x ?? v` with v
    never missing, and total operators over such values. Conservative: division,
    reductions and windows may be missing."""
    if isinstance(e, Const):
        return True
    if isinstance(e, Ref):
        target = resolve(e.name) if e.kind == "let" else None
        return e.kind == "key" or (target is not None and never_missing(target, resolve))
    if isinstance(e, Op) and e.op == "coalesce":
        return any(never_missing(a, resolve) for a in e.args)
    if isinstance(e, Op) and e.op in _TOTAL_OPS:
        return all(never_missing(a, resolve) for a in e.args)
    return False


def walk(e: Expr) -> Iterator[Expr]:
    """e and every expression inside it, outermost first."""
    yield e
    for c in children(e):
        yield from walk(c)


def grouped_by(e: Expr) -> set[str]:
    """Attributes e groups by (`sum(x by district)`, `rank(x desc by district)`): every
    row that feeds them must carry the attribute."""
    found: set[str] = set()
    for node in walk(e):
        if isinstance(node, Reduce) and node.mode == "by":
            found.add(node.axis)
        elif isinstance(node, Window) and node.group:
            found.add(node.group)
    return found


def transform(e: Expr, replace_node: Callable[[Expr], Expr | None]) -> Expr:
    """e with every node for which `replace_node` gives a replacement replaced, outermost
    first (a replaced node's insides are not visited)."""
    new = replace_node(e)
    if new is not None:
        return new
    if isinstance(e, Op):
        return replace(e, args=tuple(transform(a, replace_node) for a in e.args))
    if isinstance(e, (Classify, Reduce, At, Window)):
        return replace(e, arg=transform(e.arg, replace_node))
    return e


def refs(e: Expr) -> list[Ref]:
    """References in e, left to right."""
    if isinstance(e, Ref):
        return [e]
    return [r for c in children(e) for r in refs(c)]


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True)
class TableInfo:
    name: str
    entity: str | None
    time: str | None
    source: str | None  # default data file, resolved against the spec's folder
    columns: tuple[str, ...]  # numeric columns
    attributes: tuple[str, ...]
    span: Span | None = field(default=None, compare=False, repr=False)
    schema: str = "input"  # "input": the user's data; "shared": computed earlier in the same run

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k in (self.entity, self.time) if k)

    @property
    def grain(self) -> Grain:
        return Grain(self.keys)


@dataclass(frozen=True)
class Screen:
    """Entities of `entity` kept only when `threshold` of the cells of `columns` in
    `table` (over all their periods) are present."""

    table: str
    entity: str
    threshold: float
    columns: tuple[str, ...]


@dataclass(frozen=True)
class Definition:
    """A named quantity: a `let`, or a computed column of an output."""

    name: str  # unique name used as CTE and column name
    expr: Expr
    grain: Grain
    text: str  # the spec statement it came from, on one line
    line: int
    span: Span | None = field(default=None, compare=False, repr=False)
    components: tuple[str, ...] = ()  # an aggregate's named components: `mean(a, b, c)` (for idxc analyse)


@dataclass(frozen=True)
class OutputColumn:
    alias: str
    source: str  # name of the definition or column it shows
    grain: Grain


@dataclass(frozen=True)
class OutputSpec:
    name: str
    grain: Grain
    keys: tuple[str, ...]
    columns: tuple[OutputColumn, ...]
    definitions: dict[str, Definition] = field(hash=False, compare=False)  # local items
    line: int = 0


@dataclass(frozen=True)
class Model:
    name: str
    title: str | None
    path: str
    axes: Axes
    tables: dict[str, TableInfo] = field(hash=False, compare=False)
    definitions: dict[str, Definition] = field(hash=False, compare=False)
    outputs: dict[str, OutputSpec] = field(hash=False, compare=False)
    params: dict[str, float | int] = field(hash=False, compare=False)
    warnings: tuple = ()
    screens: dict[str, Screen] = field(default_factory=dict, hash=False, compare=False)  # by entity axis
    drawn: tuple[str, ...] = ()  # params that vary per draw (idxc sensitivity): columns of input.draws

    @property
    def draw_keys(self) -> tuple[str, ...]:
        """Columns every row carries when params vary per draw: the draw and its params."""
        return ("draw", *self.drawn) if self.drawn else ()
