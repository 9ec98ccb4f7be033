"""The checked model: names resolved, params named, a grain on every expression.

`check.py` builds it from the syntax tree, keeping built-in calls (`Call`) and
user-function applications (`Apply`) as the author wrote them, so `idxc debug model`
and `idxc explain` speak the spec's vocabulary. `planning/lower.py` then expands every
`Call` into the core nodes below the line (`Reduce`, `Window`, `Treat`, ...), and
`planning/stack.py` either inlines each `Apply` or lowers a function applied to many columns
once, over a long form (`Stack` and `Pick`). `plan.py` reads only core nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from enum import Enum
from typing import Callable, Iterator, Mapping, TypeVar, Union, dataclass_transform

from ..ast import Band, Span
from .calendar import Calendar
from ..layouts import Layout
from ..names import fresh


@dataclass(frozen=True)
class Axes:
    """Which names are entity axes, time axes, entity attributes, and the axes a
    stacked function's applications are laid along (`slots`)."""

    entities: frozenset[str]
    times: frozenset[str]
    attributes: Mapping[str, str] = field(hash=False, compare=False)  # attribute -> its entity
    slots: frozenset[str] = frozenset()
    calendars: Mapping[str, Calendar] = field(default_factory=dict, hash=False, compare=False)  # time axis -> its periods

    def is_time(self, dim: str) -> bool:
        return dim in self.times

    def calendar(self, dim: str) -> Calendar:
        return self.calendars.get(dim, Calendar.YEAR)


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
    return Grain(tuple(sorted(set(dims), key=lambda d: (axes.is_time(d), d))))


class RefKind(Enum):
    COLUMN = "column"  # a numeric column of a table
    KEY = "key"  # an entity or time axis (or a draw's number)
    ATTRIBUTE = "attribute"  # constant per entity
    LET = "let"  # a definition


class Mode(Enum):
    OVER = "over"  # removes the axis
    BY = "by"  # replaces the entity by a group


_T = TypeVar("_T")


@dataclass_transform(frozen_default=True, field_specifiers=(field,))
def node(cls: type[_T]) -> type[_T]:
    """A frozen dataclass whose hash is computed once: expressions are compared and
    looked up by value (structural sharing, memos), and a stacked function's value is
    a large tree reached from every application."""
    cls = dataclass(frozen=True)(cls)
    plain = cls.__hash__

    def cached(self: object) -> int:
        found = self.__dict__.get("_hash")
        if found is None:
            found = plain(self)
            object.__setattr__(self, "_hash", found)
        return found

    cls.__hash__ = cached  # type: ignore[method-assign]  # the cached hash replaces the one dataclass wrote, on purpose
    return cls


def _span() -> Span | None:
    return field(default=None, compare=False, repr=False)


# ---------------------------------------------------------------- checked nodes


@node
class Const:
    value: float | int | str | None  # None: missing
    grain: Grain = SCALAR
    span: Span | None = _span()


@node
class Param:
    """A param: a number with a name, which the SQL keeps beside the value."""

    name: str
    value: float | int
    grain: Grain = SCALAR
    span: Span | None = _span()


@node
class Ref:
    """A column: a table column, a key or attribute, or a definition."""

    name: str
    grain: Grain
    kind: RefKind
    span: Span | None = _span()


ON_ROWS = "on_rows"  # Op(ON_ROWS, (value,)): the value on its grain's rows only (a normaliser's)


@node
class Op:
    """An operator (+ - * / ^ neg not and or == != < <= > >= coalesce if present known
    clip) or a scalar function (ln exp abs sqrt round least greatest), row by row; and
    `on_rows`, which a normaliser's formula is wrapped in: like every call that works
    across rows it is defined on its grain's rows only (docs/reference.md, "Windows"),
    missing on a finer row whose keys its grain has no row for."""

    op: str
    args: tuple[Expr, ...]
    grain: Grain
    span: Span | None = _span()
    hint: str = field(default="", compare=False)  # the function it expands (minmax, impute): names its column
    label: str = field(default="", compare=False)  # that function's call as written


@node
class Clauses:
    """What a call's clauses say, resolved: axes by name, periods as numbers."""

    over: str | None = None
    by: str | None = None
    within: tuple[float | int, float | int] | None = None
    descending: bool | None = None  # asc / desc
    ties: str | None = None
    direction: int = 1  # -1: higher values are worse
    present: float | None = None
    power: float | None = None
    unclipped: bool = False
    where: Expr | None = None


@node
class Call:
    """A built-in function as written, checked; `planning/lower.py` expands it."""

    func: str
    args: tuple[Expr, ...]
    grain: Grain
    clauses: Clauses = Clauses()
    weights: tuple[Expr, ...] = ()  # row-wise means: one per argument
    axis: str | None = None  # the axis it works across, once resolved (normalisations, ranks, treat)
    label: str = ""  # its source text, for reports
    texts: tuple[str, ...] = ()  # its arguments' source text, for the labels of what it expands into
    span: Span | None = _span()


@node
class Placeholder:
    """A user function's i-th parameter inside the function's body (`Apply.body`)."""

    index: int
    grain: Grain


@node
class Apply:
    """A user function applied to arguments. `body` is the function's body, checked for
    these argument grains, with `Placeholder`s for the parameters: two applications of
    one function to arguments of the same grains have equal bodies."""

    func: str
    args: tuple[Expr, ...]
    body: Expr
    grain: Grain
    texts: tuple[str, ...] = ()  # the arguments' source text
    params: tuple[str, ...] = ()  # the function's parameters
    line: int = 0  # where the function is defined
    definition: str = ""  # the function's statement, as written
    span: Span | None = _span()


@node
class At:
    """Value of `arg` in one period of its time axis."""

    arg: Expr
    time: str
    period: int | float
    grain: Grain
    label: str = field(default="", compare=False)
    span: Span | None = _span()


# ---------------------------------------------------------------- core nodes


@node
class Reduce:
    """A reduction that removes `axis` (over) or replaces the entity by a group (by)."""

    func: str  # a reduction of builtins/reductions.py
    arg: Expr
    grain: Grain  # the result grain
    axis: str  # the axis removed, or the attribute grouped by
    mode: Mode
    within: tuple[int | float, int | float] | None = None
    param: float | None = None  # quantile(x, p over e): p
    label: str = field(default="", compare=False)
    report: bool = field(default=True, compare=False)  # count what it skips (not for a statistic inside treat)
    span: Span | None = _span()


@node
class Window:
    """Along time (lag, cumulation, imputation) or across entities (rank); keeps the grain."""

    kind: str  # a window of builtins/time.py or builtins/ranks.py
    arg: Expr
    grain: Grain
    axis: str  # time axis for lag/cum/fill, ranked axis for rank
    offset: int = 1
    descending: bool = False
    ties: str = "min"
    group: str | None = None  # rank(x desc by district): ranked within each group
    label: str = field(default="", compare=False)
    span: Span | None = _span()


@node
class Classify:
    arg: Expr
    scale: str
    bands: tuple[Band, ...]
    grain: Grain
    span: Span | None = _span()


@node
class Treat:
    """COINr's outlier treatment of `arg` across `axis`, within each cell of the other
    axes: planned as one chain of steps (builtins/outliers.py), never unrolled."""

    arg: Expr
    grain: Grain
    axis: str
    winmax: int
    label: str = field(default="", compare=False)
    span: Span | None = _span()


@node
class Stack:
    """The `index`-th argument of each application of one function, laid out long:
    one row per application (its `slot`) along the axis `axis`."""

    args: tuple[Expr, ...]  # one per application
    slots: tuple[str, ...]
    axis: str
    index: int
    grain: Grain

    @property
    def column(self) -> str:
        """Its column in the long form: `score_value` for score's argument."""
        return f"{self.axis.removesuffix('_input')}_value" + (f"_{self.index + 1}" if self.index else "")


@node
class Pick:
    """The value of a long-form quantity at one slot: one application's result."""

    arg: Expr
    axis: str
    slot: str
    grain: Grain


Expr = Union[Const, Param, Ref, Op, Call, Placeholder, Apply, At, Reduce, Window, Classify, Treat, Stack, Pick]
_ONE_ARG = (At, Reduce, Window, Classify, Treat, Pick)
ACROSS_ROWS = (Reduce, At, Window, Treat)  # what reads rows other than its own; a Pick or a Stack, once stacking made them, too


def children(e: Expr) -> tuple[Expr, ...]:
    if isinstance(e, (Op, Stack)):
        return e.args
    if isinstance(e, Call):
        where = (e.clauses.where,) if e.clauses.where is not None else ()
        return (*e.args, *e.weights, *where)
    if isinstance(e, Apply):
        return e.args
    if isinstance(e, _ONE_ARG):
        return (e.arg,)
    return ()


def walk(e: Expr) -> Iterator[Expr]:
    """e and every expression inside it, outermost first, left to right (not into an
    Apply's body). A node shared by several parents (a stacked function's value, read
    by each application) is visited once."""
    seen: set[int] = set()
    todo = [e]
    while todo:
        node = todo.pop()
        if id(node) in seen:
            continue
        seen.add(id(node))
        yield node
        todo.extend(reversed(children(node)))


Memo = dict[int, tuple["Expr", "Expr"]]


def _with(e: Expr, **changes: object) -> Expr:
    """`dataclasses.replace` for a node whose fields need no checks: copied without
    running `__init__` (a third of planning went to it), the cached hash dropped."""
    made = object.__new__(type(e))
    made.__dict__.update(e.__dict__)
    made.__dict__.pop("_hash", None)
    made.__dict__.update(changes)
    return made


def with_children(e: Expr, kids: list[Expr]) -> Expr:
    """e with `kids` in place of its children (in the order `children` gives them);
    e itself when nothing changed."""
    if all(a is b for a, b in zip(kids, children(e))):
        return e
    if isinstance(e, (Op, Stack, Apply)):
        return _with(e, args=tuple(kids))
    if isinstance(e, Call):
        n, w = len(e.args), len(e.weights)
        clauses = replace(e.clauses, where=kids[n + w]) if e.clauses.where is not None else e.clauses
        return _with(e, args=tuple(kids[:n]), weights=tuple(kids[n:n + w]), clauses=clauses)
    return _with(e, arg=kids[0])


def transform(e: Expr, replace_node: Callable[[Expr], Expr | None], memo: Memo | None = None) -> Expr:
    """e with every node for which `replace_node` gives a replacement replaced, outermost
    first (a replaced node's insides are not visited). A node shared by several parents
    is rewritten once (`memo`, by identity, may be shared across calls; it keeps the
    node alive, so its identity cannot pass to another)."""
    memo = {} if memo is None else memo
    found = memo.get(id(e))
    if found is not None:
        return found[1]
    new = replace_node(e)
    if new is None:
        new = with_children(e, [transform(k, replace_node, memo) for k in children(e)])
    memo[id(e)] = (e, new)
    return new


def refs(e: Expr) -> list[Ref]:
    """References in e, left to right."""
    return [n for n in walk(e) if isinstance(n, Ref)]


def grouped_by(e: Expr) -> set[str]:
    """Attributes e groups by (`sum(x by district)`, `rank(x desc by district)`): every
    row that feeds them must carry the attribute."""
    found: set[str] = set()
    for node in walk(e):
        if isinstance(node, Reduce) and node.mode is Mode.BY:
            found.add(node.axis)
        elif isinstance(node, Window) and node.group:
            found.add(node.group)
    return found


_CONDITIONS = frozenset({"==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "known", "startswith", "contains"})


def kind(e: Expr, resolve: Callable[[str], Expr | None]) -> str | None:
    """What e's values are: "number", "text" (an attribute, a band's code) or
    "condition" (a comparison); None when it cannot be told (an entity key, a user
    function's parameter)."""
    if isinstance(e, Const):
        return None if e.value is None else "text" if isinstance(e.value, str) else "number"
    if isinstance(e, Ref):
        target = resolve(e.name) if e.kind is RefKind.LET else None
        return {RefKind.COLUMN: "number", RefKind.ATTRIBUTE: "text"}.get(e.kind) if e.kind is not RefKind.LET \
            else (kind(target, resolve) if target is not None else None)
    if isinstance(e, Op) and e.op in _CONDITIONS:
        return "condition"
    if isinstance(e, Op) and e.op in ("if", "coalesce"):
        found = [k for k in (kind(a, resolve) for a in (e.args[1:] if e.op == "if" else e.args)) if k]
        return found[0] if found else None
    if isinstance(e, (Classify, Call)) and (isinstance(e, Classify) or e.func == "classify"):
        return "text"
    if isinstance(e, Apply):
        return kind(e.body, resolve)
    if isinstance(e, (Placeholder,)):
        return None
    return "number"


# operators whose result is present whenever all their operands are
_TOTAL_OPS = frozenset({"+", "-", "*", "neg", "abs", "exp", "round", "not", "and", "or",
                        "==", "!=", "<", "<=", ">", ">=", "least", "greatest", "if", "startswith", "contains"})


def never_missing(e: Expr, resolve: Callable[[str], Expr | None]) -> bool:
    """True when e is present on every row, so counting its missing values needs no
    query (and the engine can skip computing it): constants, keys, `x ?? v` with v
    never missing, and total operators over such values. Conservative: division,
    reductions and windows may be missing."""
    if isinstance(e, (Const, Param)):
        return isinstance(e, Param) or e.value is not None
    if isinstance(e, Ref):
        target = resolve(e.name) if e.kind is RefKind.LET else None
        return e.kind is RefKind.KEY or (target is not None and never_missing(target, resolve))
    if isinstance(e, Op) and e.op in ("present", "known"):
        return True
    if isinstance(e, Op) and e.op == "coalesce":
        return any(never_missing(a, resolve) for a in e.args)
    if isinstance(e, Op) and e.op in _TOTAL_OPS:
        return all(never_missing(a, resolve) for a in e.args)
    return False


# ---------------------------------------------------------------- definitions


@dataclass(frozen=True)
class TableInfo:
    name: str
    entity: str | None
    time: str | None
    source: str | None  # default data file, resolved against the spec's folder
    columns: tuple[str, ...]  # numeric columns
    attributes: tuple[str, ...]
    span: Span | None = _span()
    docs: Mapping[str, str] = field(default_factory=dict, hash=False, compare=False)  # column -> doc string
    extra_keys: tuple[str, ...] = ()  # keys every row carries besides the axes (a draw)
    layout: Layout | None = None  # None: one column per variable (idxlang/layouts/)
    encoding: str | None = None  # the file's text encoding, when the spec states it
    missing: tuple[str, ...] = ()  # the file's marks of a missing value, as the spec states them
    flags: tuple[str, ...] = ()  # the flags a cell may carry after its number (Eurostat's `12.3 p`, `: c`)
    header: int | None = None  # the header's row of the file, when stated (titles above it)
    part: str | None = None  # the workbook's sheet (.xlsx) or the database file's table (.duckdb), when stated
    calendar: Calendar = Calendar.YEAR  # how the time axis counts periods
    title: str | None = None  # the table's doc string
    neighbours: tuple[str, ...] = ()  # the attributes of its entity declared by other tables: names to keep apart from

    @property
    def raw_columns(self) -> tuple[str, ...]:
        """The file's columns the spec reads, as laid out in the file."""
        return tuple(dict.fromkeys((*self.file_keys, *self.attributes, *self.named, *self.raw_values)))

    @property
    def file_keys(self) -> tuple[str, ...]:
        """The table's keys that its file holds as columns."""
        return self.keys if self.layout is None else self.layout.keys(self)

    @property
    def named(self) -> tuple[str, ...]:
        """The file's columns naming which variable a row holds (a long file's)."""
        return () if self.layout is None else self.layout.named()

    @property
    def repeated(self) -> str | None:
        """A pivoted file (long): the column its pivot adds, true for a key where one of
        the spec's variables has two rows (data/checks.py reports them), named apart from
        the table's."""
        if self.layout is None or not self.layout.pivoted:
            return None
        return fresh("repeated", {*self.raw_columns, *self.columns, *self.attributes, *self.neighbours, *self.keys})

    @property
    def raw_values(self) -> tuple[str, ...]:
        """The file's columns holding numbers, as laid out in the file."""
        return self.columns if self.layout is None else self.layout.values(self)

    @property
    def keys(self) -> tuple[str, ...]:
        return (*(k for k in (self.entity, self.time) if k), *self.extra_keys)

    @property
    def grain(self) -> Grain:
        entities = sorted(k for k in (self.entity, *self.extra_keys) if k)
        return Grain((*entities, *((self.time,) if self.time else ())))


@dataclass(frozen=True)
class Screen:
    """Entities of `entity` kept only when `threshold` of the cells of `columns` in
    `table` (over all their periods) are present."""

    table: str
    entity: str
    threshold: float
    columns: tuple[str, ...]
    source: TableInfo | None = field(default=None, compare=False)  # the table, as its file lays it out

    @property
    def rows(self) -> TableInfo:
        assert self.source is not None
        return self.source


@dataclass(frozen=True)
class ParamInfo:
    name: str
    value: float | int
    doc: str | None = None
    line: int = 0


@dataclass(frozen=True)
class Definition:
    """A named quantity: a `let`, or a computed column of an output."""

    name: str  # unique name used as CTE column name
    expr: Expr
    grain: Grain
    text: str  # the spec statement it came from, normalised on one line
    line: int
    span: Span | None = _span()
    doc: str | None = None
    components: tuple[str, ...] = ()  # an aggregate's named components: `mean(a, b, c)` (for idxc analyse)


@dataclass(frozen=True)
class OutputColumn:
    alias: str
    source: str  # name of the definition or column it shows
    grain: Grain


@dataclass(frozen=True)
class Output:
    name: str
    grain: Grain
    keys: tuple[str, ...]
    columns: tuple[OutputColumn, ...]
    definitions: Mapping[str, Definition] = field(hash=False, compare=False)  # its own computed columns
    line: int = 0


@dataclass(frozen=True)
class StackInfo:
    """A function stacked over a long-form axis (planning/stack.py): its applications by slot."""

    func: str
    params: tuple[str, ...]
    line: int
    slots: Mapping[str, tuple[str, ...]]  # slot -> the application's arguments, as written
    definition: str = ""
    lines: Mapping[str, int] = field(default_factory=dict)  # slot -> its function's line, where functions share the axis


@dataclass(frozen=True)
class Model:
    name: str
    title: str | None
    path: str
    axes: Axes
    tables: Mapping[str, TableInfo] = field(hash=False, compare=False)
    definitions: Mapping[str, Definition] = field(hash=False, compare=False)
    outputs: Mapping[str, Output] = field(hash=False, compare=False)
    params: Mapping[str, ParamInfo] = field(hash=False, compare=False)
    warnings: tuple = ()  # Diagnostics
    screens: Mapping[str, Screen] = field(default_factory=dict, hash=False, compare=False)  # by entity axis
    stacks: Mapping[str, StackInfo] = field(default_factory=dict, hash=False, compare=False)  # planning/stack.py, by axis

    def owner(self, attribute: str) -> TableInfo:
        """The table that declares an attribute: the one place its values come from."""
        return next(t for t in self.tables.values() if attribute in t.attributes)

    def lookup(self, name: str, output: str | None = None) -> Definition | None:
        """A spec definition, or an output's own column when `output` is named."""
        if output is not None and name in self.outputs[output].definitions:
            return self.outputs[output].definitions[name]
        return self.definitions.get(name)

    def all_definitions(self) -> Iterator[Definition]:
        yield from self.definitions.values()
        for out in self.outputs.values():
            yield from out.definitions.values()

    def map_exprs(self, f: Callable[[Expr], Expr]) -> Model:
        """The model with `f` applied to every definition's expression (in order: spec
        definitions first, then each output's own)."""
        def one(d: Definition) -> Definition:
            new = f(d.expr)
            return replace(d, expr=new, grain=new.grain)

        return replace(self, definitions={n: one(d) for n, d in self.definitions.items()},
                       outputs={k: replace(o, definitions={n: one(d) for n, d in o.definitions.items()})
                                for k, o in self.outputs.items()})
