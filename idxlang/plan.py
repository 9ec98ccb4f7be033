"""Core model → plan: every definition of a run's outputs placed as a column of a step.

A grain's rows come from its tables and the reductions merged into it (`rows.py`);
definitions at that grain are computed on those rows in layers: each layer is one
step holding every definition whose inputs the layers before it already hold, so
the SQL has as many steps as the spec has levels, not as many as definitions. A
reduction to a coarser grain is a GROUP BY merged into that grain's rows, or, inside a
finer definition, a window; an argument that is itself windowed becomes a column of
its own first ("lifted"), computed once however often it is reached. Stacked functions
(`stack.py`) get a long-form grain of their own; treatments a family of steps.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import model as m
from . import pretty
from . import steps as s
from .builtins import outliers
from .ast import MARK, fill
from .diagnostics import Diagnostic, IdxError
from .rows import Rows, closure, group_sites, rows

_WINDOWED = (m.Reduce, m.At, m.Window, m.Treat, m.Pick)


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower()[:48] or "value"


def has_window(e: m.Expr) -> bool:
    return any(isinstance(n, _WINDOWED) for n in m.walk(e))


@dataclass
class _Pipe:
    """The steps of one grain's rows, shared by the outputs whose rows there agree."""

    key: tuple  # type: ignore[type-arg]
    grain: m.Grain
    keys: tuple[str, ...] = ()
    steps: list[str] = field(default_factory=list)
    base: int = -1  # position of the last step that set the rows (a read, a merge)
    where: dict[str, str] = field(default_factory=dict)  # column -> step that first has it


@dataclass
class _Layer:
    """A Derive step while it is being filled."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str | None
    columns: list[s.Column] = field(default_factory=list)
    joins: dict[str, s.Join] = field(default_factory=dict)


@dataclass
class _Group:
    """An Aggregate step while it is being filled (a pivot gains a column per pick)."""

    name: str
    grain: m.Grain
    keys: tuple[str, ...]
    source: str
    columns: list[s.Column] = field(default_factory=list)
    note: str = ""
    merge_into: str | None = None


@dataclass
class _Needs:
    """What an expression placed on a step's rows needs: same-grain columns, joins, tallies."""

    columns: set[str] = field(default_factory=set)
    joins: dict[str, s.Join] = field(default_factory=dict)
    tallies: list[tuple[m.Reduce, m.Expr]] = field(default_factory=list)


@dataclass
class _Output:
    """Planning one output: its row sources and the columns it reaches."""

    name: str
    rows: Rows
    reached: set[tuple[str, str]] = field(default_factory=set)  # (step, column)


class Planner:
    def __init__(self, model: m.Model) -> None:
        self.model = model
        self.steps: dict[str, object] = {}  # name -> step, or a builder still being filled
        self.pipes: dict[tuple, _Pipe] = {}  # type: ignore[type-arg]
        self.foreign: dict[tuple[tuple, str], tuple[str, m.Grain]] = {}  # type: ignore[type-arg]
        self.memo: dict[tuple, str] = {}  # type: ignore[type-arg]  # (pipe key, expr) -> column
        self.tallies: list[tuple[s.Tally, str, str]] = []  # tally, its column's step and column
        self.deps: dict[tuple[str, str], set[tuple[str, str]]] = {}
        self.slot_base: dict[tuple[str, str], tuple] = {}  # type: ignore[type-arg]  # (output, axis) -> pipe key
        self.families: dict[tuple, tuple[_Pipe, m.Ref]] = {}  # type: ignore[type-arg]  # (value, pipe) -> its column
        self.columns = {*model.tables, *model.definitions, *model.axes.entities, *model.axes.times, *model.axes.slots,
                        *model.axes.attributes, *(c for t in model.tables.values() for c in t.columns),
                        *(n for o in model.outputs.values() for n in o.definitions)}
        self.step_names: set[str] = set()

    # ------------------------------------------------------------ names
    def unique(self, base: str, steps: bool = True) -> str:
        """A fresh step name (steps=True) or column name: CTEs and columns are two namespaces."""
        taken = self.step_names if steps else self.columns
        name, n = base, 2
        while name in taken:
            name, n = f"{base}_{n}", n + 1
        taken.add(name)
        return name

    # ------------------------------------------------------------ pipelines
    def pipe(self, ctx: _Output, grain: m.Grain, base: _Pipe | None = None) -> _Pipe:
        """The steps of `grain`'s rows for this output. A long-form grain's rows come from
        the pipeline its family was unpivoted from (`base`, given when it is made)."""
        slot = _slot(self.model, grain)
        if slot is None:
            key = ctx.rows.key(grain)
        else:
            if base is not None:
                self.slot_base.setdefault((ctx.name, slot), base.key)
            key = (grain, "stack", self.slot_base[(ctx.name, slot)])
        found = self.pipes.get(key)
        if found is None:
            found = self.pipes[key] = _Pipe(key, grain, self.key_columns(ctx, grain))
            for t in ctx.rows.tables:
                if t.grain == grain:
                    self.read(found, t)
        return found

    def key_columns(self, ctx: _Output, grain: m.Grain) -> tuple[str, ...]:
        attrs = self.model.axes.attributes
        carried = [a for e in grain.dims for a in sorted(attrs) if attrs[a] == e and a in ctx.rows.carried]
        return (*grain.dims, *carried)

    def read(self, pipe: _Pipe, t: m.TableInfo) -> None:
        name = self.unique(t.name)
        keys = tuple(k for k in pipe.keys if k in t.keys or k in t.attributes)
        head = pipe.steps[-1] if pipe.steps else None
        note = f"table {t.name}: {' by '.join(t.keys) or 'scalar'}" if t.schema is m.Schema.INPUT else \
            f"{t.schema.value}.{t.name}: computed earlier in this run"
        screen = self.model.screens.get(t.entity or "") if t.schema is m.Schema.INPUT else None
        self.add_base(pipe, s.Read(name, pipe.grain, keys, t, note, head, screen), t.columns)

    def add_base(self, pipe: _Pipe, step: object, columns: tuple[str, ...]) -> None:
        """A step that sets the pipeline's rows: later columns are computed after it."""
        name = step.name  # type: ignore[attr-defined]
        self.steps[name] = step
        pipe.steps.append(name)
        pipe.base = len(pipe.steps) - 1
        for c in columns:
            pipe.where.setdefault(c, name)

    def position(self, pipe: _Pipe, column: str) -> int:
        return pipe.steps.index(pipe.where[column])

    def earliest(self, pipe: _Pipe, columns: set[str]) -> str:
        """The first step of the current rows that has every one of `columns`."""
        at = max([pipe.base, *(self.position(pipe, c) for c in columns if c in pipe.where)])
        return pipe.steps[at]

    # ------------------------------------------------------------ definitions
    def place(self, ctx: _Output, d: m.Definition, pipe: _Pipe | None = None) -> str:
        """d as a column of its grain's steps (once); returns the step holding it."""
        pipe = pipe or self.pipe(ctx, d.grain)
        if d.name not in pipe.where:
            note = f"{_where(self.model, d.line)} {d.text}"
            sites = group_sites(d.expr, d.grain)
            if sites is not None:
                self.group(ctx, pipe, d.name, d.expr, sites, note, d.line)
            else:
                needs = _Needs()
                value = self.rowify(ctx, d.expr, pipe, needs, d.name, d.line, top=True)
                self.add_row(ctx, pipe, d.name, value, needs, note, d.line)
        ctx.reached.add((pipe.where[d.name], d.name))
        return pipe.where[d.name]

    def add_row(self, ctx: _Output, pipe: _Pipe, name: str, value: m.Expr, needs: _Needs, note: str, line: int) -> None:
        layer = self.layer_for(pipe, needs)
        layer.columns.append(s.Column(name, value, note))
        for source, join in needs.joins.items():
            had = layer.joins.get(source)
            layer.joins[source] = join if had is None else replace(had, columns=tuple(dict.fromkeys((*had.columns, *join.columns))))
        pipe.where[name] = layer.name
        self.record(ctx, pipe, layer.name, name, needs, line)

    def record(self, ctx: _Output, pipe: _Pipe, step: str, name: str, needs: _Needs, line: int) -> None:
        """What the new column reads, and the tallies of the reductions inside it,
        each counted over the first step that has the rows and what it counts."""
        here = (step, name)
        self.deps[here] = {(pipe.where[c], c) for c in needs.columns if c in pipe.where}
        self.deps[here] |= {(j.source, c) for j in needs.joins.values() for c in j.columns}
        for node, arg in dict.fromkeys(needs.tallies):  # a reduction used twice is counted once
            used = {r.name for r in m.refs(arg)}
            never = m.never_missing(arg, self.resolve)
            # counted over the first step with the rows and what it counts; what is
            # never missing is not counted at all, so only the rows matter
            joins = () if never else tuple(j for j in needs.joins.values() if used & set(j.columns))
            source = pipe.steps[pipe.base] if never else self.earliest(pipe, used)
            tally = s.Tally(node.label, line, source, joins, arg, (node.axis, *node.within) if node.within else None,  # type: ignore[arg-type]
                            never, slot_axis=_slot(self.model, arg.grain))
            if all(t != tally for t, _, _ in self.tallies):
                self.tallies.append((tally, step, name))

    def resolve(self, name: str) -> m.Expr | None:
        d = self.model.definitions.get(name)
        return d.expr if d else None

    def layer_for(self, pipe: _Pipe, needs: _Needs) -> _Layer:
        """The first layer after what the column reads that can take it, or a new one."""
        lowest = max([pipe.base + 1, *(self.position(pipe, c) + 1 for c in needs.columns if c in pipe.where)])
        for at in range(lowest, len(pipe.steps)):
            layer = self.steps[pipe.steps[at]]
            if isinstance(layer, _Layer) and not any(layer.name in self.upstream(j) for j in needs.joins):
                return layer
        source = pipe.steps[-1] if pipe.steps else None
        layer = _Layer(self.unique(f"#{len(self.steps)}"), pipe.grain, pipe.keys, source)
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

    # ------------------------------------------------------------ expressions
    def rowify(self, ctx: _Output, e: m.Expr, pipe: _Pipe, needs: _Needs, owner: str, line: int,
               top: bool = False) -> m.Expr:
        """e rewritten to be evaluated on pipe's rows: what cannot be is lifted. A
        treatment is a column of its own wherever it is used (its bounds are joined),
        unless it is the whole of the definition being placed (`top`)."""
        rec = lambda x: self.rowify(ctx, x, pipe, needs, owner, line)  # noqa: E731
        if isinstance(e, (m.Const, m.Param)):
            return e
        if isinstance(e, m.Ref):
            return self.reference(ctx, e, pipe, needs)
        if isinstance(e, m.Stack):
            needs.columns.add(_value_column(e))
            return m.Ref(_value_column(e), e.grain, m.RefKind.COLUMN)
        if isinstance(e, (m.Op, m.Classify)):
            return m.transform(e, lambda x: None if x is e else rec(x))
        if isinstance(e, m.Pick):
            return self.reference(ctx, self.pick(ctx, e, pipe), pipe, needs)
        if isinstance(e, m.Treat) and not top:
            return rec(self.lift(ctx, e, owner, line, pipe if e.grain == pipe.grain else None))
        if isinstance(e, m.Treat):
            x = self.column(ctx, e.arg, pipe, owner, line)
            bounds = self.treat(ctx, e, pipe, x.name)
            return rec(outliers.treated(x, bounds, e.span))
        inline = e.arg.grain == pipe.grain if isinstance(e, (m.Reduce, m.At)) else e.grain == pipe.grain
        if not inline:
            return rec(self.lift(ctx, e, owner, line))
        arg = self.plain(ctx, e.arg, pipe, needs, owner, line)
        if isinstance(e, m.Reduce) and e.report:
            needs.tallies.append((e, arg))
        return replace(e, arg=arg)

    def plain(self, ctx: _Output, e: m.Expr, pipe: _Pipe, needs: _Needs, owner: str, line: int) -> m.Expr:
        """e as a window's argument: on the rows as they are, with no window inside it
        (a treatment, a stacked value or a lag inside become columns first); what
        still holds a window becomes a column as a whole."""
        scratch = _Needs()
        arg = self.rowify(ctx, e, pipe, scratch, owner, line)
        if has_window(arg):
            ref = self.column(ctx, e, pipe, owner, line)
            return self.reference(ctx, ref, pipe, needs)
        needs.columns |= scratch.columns
        for source, join in scratch.joins.items():
            had = needs.joins.get(source)
            needs.joins[source] = join if had is None else replace(
                had, columns=tuple(dict.fromkeys((*had.columns, *join.columns))))
        return arg

    def reference(self, ctx: _Output, e: m.Ref, pipe: _Pipe, needs: _Needs) -> m.Expr:
        """A column: on pipe's rows already, or joined from the step of a coarser grain."""
        if e.kind in (m.RefKind.KEY, m.RefKind.ATTRIBUTE):
            return e
        found = self.foreign.get((pipe.key, e.name))
        if found is not None:
            step, grain = found
        else:
            home = pipe if e.grain == pipe.grain else self.pipe(ctx, e.grain)
            d = self.model.lookup(e.name, ctx.name) if e.kind is m.RefKind.LET else None
            if d is not None:
                self.place(ctx, d, home)
            if home is pipe:
                needs.columns.add(e.name)
                return e
            step, grain = home.where[e.name], e.grain  # the value a key has there it keeps after any merge
        join = needs.joins.setdefault(step, s.Join(step, grain.dims, ()))
        needs.joins[step] = replace(join, columns=tuple(dict.fromkeys((*join.columns, e.name))))
        return e

    def column(self, ctx: _Output, e: m.Expr, pipe: _Pipe, owner: str, line: int) -> m.Ref:
        """e as a column of pipe's rows: itself when it is one already, else lifted."""
        if isinstance(e, m.Ref) and e.grain == pipe.grain:
            self.reference(ctx, e, pipe, _Needs())
            return e
        if isinstance(e, m.Stack):
            return m.Ref(_value_column(e), e.grain, m.RefKind.COLUMN)
        return self.lift(ctx, e, owner, line, pipe)

    def lift(self, ctx: _Output, e: m.Expr, owner: str, line: int, pipe: _Pipe | None = None,
             called: str | None = None) -> m.Ref:
        """e computed as a column of its own, named after what it computes; once per rows."""
        pipe = pipe or self.pipe(ctx, e.grain)
        key = (pipe.key, e)
        name = self.memo.get(key)
        if name is None:
            name = self.memo[key] = self.unique(_slug(called or _lift_name(e, owner)), steps=False)
            d = m.Definition(name, e, e.grain, self.describe(e, owner, called), line)
            self.place(ctx, d, pipe)
        else:
            ctx.reached.add((pipe.where[name], name))
        return m.Ref(name, e.grain, m.RefKind.LET)

    def describe(self, e: m.Expr, owner: str, called: str | None) -> str:
        """What a column the compiler made computes, in the spec's words."""
        info = next((i for i in self.model.stacks.values() if i.func == called), None)
        if info is not None and info.definition:
            return info.definition
        label = getattr(e, "label", "") or pretty.text(e)
        return f"{_display(self.model, label)}, in {owner}"

    # ------------------------------------------------------------ groups
    def group(self, ctx: _Output, pipe: _Pipe, name: str, e: m.Expr, sites: list, note: str, line: int) -> None:  # type: ignore[type-arg]
        """A definition computed as one GROUP BY of a finer grain's rows, merged into
        its own grain's rows (or starting them)."""
        fine = self.pipe(ctx, sites[0].arg.grain)
        mapping: dict[int, m.Expr] = {}
        needs = _Needs()
        for site in sites:
            arg, plain = site.arg, _Needs()
            if not has_window(arg):
                arg = self.rowify(ctx, arg, fine, plain, name, line)
            if has_window(site.arg) or plain.joins:  # an Aggregate joins nothing: give it a column
                arg, plain = self.column(ctx, site.arg, fine, name, line), _Needs()
                plain.columns.add(arg.name)
            needs.columns |= plain.columns
            mapping[id(site)] = replace(site, arg=arg)
            if isinstance(site, m.Reduce) and site.report:
                needs.tallies.append((site, arg))
        source = self.earliest(fine, needs.columns)
        value = m.transform(e, lambda n: mapping.get(id(n)))
        head = pipe.steps[-1] if pipe.steps else None
        step = _Group(self.unique(name), pipe.grain, pipe.keys, source, [s.Column(name, value, note)], note, head)
        self.add_base(pipe, step, (name,))
        self.record(ctx, fine, step.name, name, needs, line)

    def pick(self, ctx: _Output, e: m.Pick, pipe: _Pipe) -> m.Ref:
        """One application's value from its stacked family: a column of the family's pivot."""
        found = self.families.get((id(e.arg), pipe.key))
        if found is None:  # each application reads the one value: plan it once
            long = self.family(ctx, e.arg, pipe)
            info = self.model.stacks[e.axis]
            found = self.families[(id(e.arg), pipe.key)] = (long, self.lift(ctx, e.arg, info.func, info.line, long,
                                                                             called=info.func))
        long, value = found
        source = self.earliest(long, {value.name})
        pivot_key = (pipe.key, ("pivot", e.axis, source))
        pivot_name = self.memo.get(pivot_key)
        if pivot_name is None:
            pivot_name = self.memo[pivot_key] = self.unique(e.axis.removesuffix("_input") + "_results")
            self.steps[pivot_name] = _Group(pivot_name, pipe.grain, pipe.keys, source,
                                            note=f"each application of {e.axis.removesuffix('_input')} in its own column")
        pivot = self.steps[pivot_name]
        assert isinstance(pivot, _Group)
        column = self.memo.get((pivot_name, e.slot))
        if column is None:
            column = self.memo[(pivot_name, e.slot)] = self.unique(_slug(f"{e.axis.removesuffix('_input')}_{e.slot}"),
                                                                   steps=False)
            chosen = m.Op("if", (m.Op("==", (m.Ref(e.axis, long.grain, m.RefKind.KEY), m.Const(e.slot)), long.grain),
                                 value, m.Const(None)), long.grain)
            pick = m.Reduce("max", chosen, pipe.grain, e.axis, m.Mode.OVER, report=False)
            pivot.columns.append(s.Column(column, pick, f"{e.axis.removesuffix('_input')}({e.slot})"))
            self.foreign[(pipe.key, column)] = (pivot_name, pipe.grain)
            self.deps[(pivot_name, column)] = {(source, value.name)}
        ctx.reached.add((pivot_name, column))
        return m.Ref(column, pipe.grain, m.RefKind.LET)

    def family(self, ctx: _Output, value: m.Expr, pipe: _Pipe) -> _Pipe:
        """The long-form rows of a stacked family: its arguments unpivoted from pipe."""
        stacks = sorted(dict.fromkeys(n for n in m.walk(value) if isinstance(n, m.Stack)), key=lambda st: st.index)
        first = stacks[0]
        long = self.pipe(ctx, first.grain, base=pipe)
        if long.steps:
            return long
        cols = [[self.column(ctx, a, pipe, first.axis, 0) for a in st.args] for st in stacks]
        source = self.earliest(pipe, {r.name for c in cols for r in c})
        long.keys = self.key_columns(ctx, first.grain)
        func = first.axis.removesuffix("_input")
        values = tuple((_value_column(st), tuple(c)) for st, c in zip(stacks, cols))
        step = s.Unpivot(self.unique(f"{func}_inputs"), first.grain, long.keys, source, first.axis, first.slots, values,
                         f"the arguments of {func}, one row per application")
        self.add_base(long, step, (first.axis, *(v for v, _ in values)))
        return long

    def treat(self, ctx: _Output, e: m.Treat, pipe: _Pipe, column: str) -> dict[str, m.Expr]:
        """The bounds of COINr's rule for each cell, joined back by the cell's keys."""
        key = (pipe.key, ("treat", column, e.axis, e.winmax))
        name = self.memo.get(key)
        grain = e.grain.without(e.axis)
        if name is None:
            name = self.memo[key] = self.unique(_slug(f"treat_{column}"))
            self.columns |= {f"{name}_{b}" for b in outliers.BOUNDS}
            source = self.earliest(pipe, {column})
            self.steps[name] = s.TreatBounds(name, grain, grain.dims, source, column, e.axis, e.winmax,
                                             f"{e.label}: the bounds of each cell")
            for b in outliers.BOUNDS:
                self.foreign[(pipe.key, f"{name}_{b}")] = (name, grain)
                self.deps[(name, f"{name}_{b}")] = {(source, column)}
        return {b: m.Ref(f"{name}_{b}", grain, m.RefKind.LET) for b in outliers.BOUNDS}


def _needs_join(e: m.Expr, pipe: _Pipe) -> bool:
    return any(r.grain != pipe.grain and r.kind not in (m.RefKind.KEY, m.RefKind.ATTRIBUTE) for r in m.refs(e))


def _value_column(st: m.Stack) -> str:
    return f"{st.axis.removesuffix('_input')}_value" + (f"_{st.index + 1}" if st.index else "")


def _slot(model: m.Model, grain: m.Grain) -> str | None:
    return next((d for d in grain.dims if d in model.axes.slots), None)


def _display(model: m.Model, text: str) -> str:
    """Text of a stacked function's body with its parameters' names in their places."""
    for info in model.stacks.values():
        if MARK.format(0) in text:
            return fill(text, info.params)
    return text


def _where(model: m.Model, line: int) -> str:
    from pathlib import Path

    return f"{Path(model.path).name}:{line}" if line else Path(model.path).name


_OP_NAMES = {"neg": "minus", "+": "sum", "-": "difference", "*": "product", "/": "ratio", "coalesce": "filled"}


def _lift_name(e: m.Expr, owner: str) -> str:
    """A column's name from what it computes: `max_x_over_region`, `treat_x`, `impute_x`."""
    first = _first_name(e) or owner
    if isinstance(e, m.Reduce):
        return f"{e.func}_{first}_{e.mode.value}_{e.axis}" + (f"_{e.within[0]:g}_{e.within[1]:g}" if e.within else "")
    if isinstance(e, m.At):
        return f"{first}_at_{e.period:g}"
    if isinstance(e, m.Window):
        return f"{e.kind}_{first}"
    if isinstance(e, m.Treat):
        return f"treat_{first}"
    if isinstance(e, m.Op):
        return f"{e.hint or _OP_NAMES.get(e.op, 'part')}_{first}"
    return f"{owner}_part"


def _first_name(e: m.Expr) -> str | None:
    """The first column e reads (a stacked argument by its long-form column)."""
    if isinstance(e, m.Ref):
        return e.name
    if isinstance(e, m.Stack):
        return _value_column(e)
    return next((n for n in map(_first_name, m.children(e)) if n), None)


def plan(model: m.Model, outputs: list[str] | None = None) -> s.Plan:
    """The plan of these outputs (all by default), planned together: what two of them
    compute on the same rows is one column of one step."""
    planner = Planner(model)
    queries: dict[str, s.OutputQuery] = {}
    reached: dict[str, set[tuple[str, str]]] = {}
    names = outputs or list(model.outputs)
    found = {name: closure(model, name) for name in names}
    sources = {name: rows(model, name, found[name]) for name in names}
    # steps shared by outputs read and carry what any of them needs
    carried = frozenset().union(*(r.carried for r in sources.values()))
    columns: dict[str, set[str]] = {}
    for r in sources.values():
        for t in r.tables:
            columns.setdefault(t.name, set()).update(t.columns)
    for name in names:
        defs = found[name]
        tables = tuple(replace(t, columns=tuple(c for c in model.tables[t.name].columns if c in columns[t.name]))
                       for t in sources[name].tables)
        ctx = _Output(name, replace(sources[name], carried=carried, tables=tables))
        for d in defs:
            planner.place(ctx, d)
        queries[name] = _final(planner, ctx)
        reached[name] = ctx.reached
    return _freeze(planner, queries, reached)


def _final(planner: Planner, ctx: _Output) -> s.OutputQuery:
    out = planner.model.outputs[ctx.name]
    pipe = planner.pipe(ctx, out.grain)
    if not pipe.steps:
        raise IdxError(Diagnostic(
            "error", f"output {out.name} by {', '.join(out.keys) or 'nothing'}: no data or definition "
            f"in it has the grain {out.grain}, so it has no rows", planner.model.path))
    needs = _Needs()
    columns = []
    for c in out.columns:
        d = planner.model.lookup(c.source, ctx.name)
        kind = m.RefKind.LET if d is not None else m.RefKind.KEY if c.source in pipe.keys else m.RefKind.COLUMN
        ref = m.Ref(c.source, c.grain, kind)
        columns.append((c.alias, planner.rowify(ctx, ref, pipe, needs, out.name, out.line)))
    keys = out.keys
    source = planner.earliest(pipe, needs.columns)
    for step, col in {(planner.earliest(pipe, {c}), c) for c in needs.columns}:
        ctx.reached.add((step, col))
    for j in needs.joins.values():
        ctx.reached |= {(j.source, c) for c in j.columns}
    return s.OutputQuery(out.name, keys, source, tuple(needs.joins.values()), tuple(columns))


def _freeze(planner: Planner, queries: dict[str, s.OutputQuery], reached: dict[str, set[tuple[str, str]]]) -> s.Plan:
    """The plan as values: layers named after what they hold, steps in dependency order,
    and each tally reported under the outputs that reach its column."""
    names: dict[str, str] = {}
    for name, step in planner.steps.items():
        if isinstance(step, _Layer):
            names[name] = planner.unique(_layer_name([c.name for c in step.columns]))
    rename = lambda n: names.get(n, n) if n else n  # noqa: E731
    frozen: dict[str, s.Step] = {}
    for name, step in planner.steps.items():
        frozen[rename(name)] = _frozen(step, rename)
    closure = {o: _reach(planner.deps, r) for o, r in reached.items()}
    tallies = []
    for t, step, column in planner.tallies:
        outputs = tuple(o for o in queries if (step, column) in closure[o])
        tallies.append(replace(t, source=rename(t.source), joins=tuple(replace(j, source=rename(j.source)) for j in t.joins),
                               outputs=outputs))
    outputs = {o: replace(q, source=rename(q.source), joins=tuple(replace(j, source=rename(j.source)) for j in q.joins))
               for o, q in queries.items()}
    return s.Plan(s.ordered(frozen), outputs, tuple(tallies))


def _layer_name(columns: list[str]) -> str:
    if len(columns) == 1:
        return columns[0]
    if len(columns) == 2:
        return f"{columns[0]}_and_{columns[1]}"
    return f"{columns[0]}_to_{columns[-1]}"


def _frozen(step: object, rename) -> s.Step:  # type: ignore[no-untyped-def]
    if isinstance(step, _Layer):
        joins = tuple(replace(j, source=rename(j.source)) for j in step.joins.values())
        notes = "; ".join(c.note for c in step.columns if c.note)
        return s.Derive(rename(step.name), step.grain, step.keys, rename(step.source), tuple(step.columns), joins, notes)
    if isinstance(step, _Group):
        return s.Aggregate(step.name, step.grain, step.keys, rename(step.source), tuple(step.columns), step.note,
                           rename(step.merge_into))
    fields = {f: rename(getattr(step, f)) for f in ("source", "merge_into") if hasattr(step, f)}
    return replace(step, **fields)  # type: ignore[type-var]


def _reach(deps: dict[tuple[str, str], set[tuple[str, str]]], start: set[tuple[str, str]]) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    todo = list(start)
    while todo:
        here = todo.pop()
        if here not in seen:
            seen.add(here)
            todo += deps.get(here, ())
    return seen
