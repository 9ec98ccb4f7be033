"""Core model → plan: every definition of a run's outputs placed as a column of a step.

A grain's rows come from its tables and the reductions merged into it (`planning/row_origins.py`);
definitions at that grain are computed on those rows in layers: each layer is one
step holding every definition whose inputs the layers before it already hold, so
the SQL has as many steps as the spec has levels, not as many as definitions. A
reduction to a coarser grain is a GROUP BY merged into that grain's rows, or, inside a
finer definition, a window; an argument that is itself windowed becomes a column of
its own first ("lifted"), computed once however often it is reached. Stacked functions
(`planning/stack.py`) get a long-form grain of their own; treatments a chain of steps.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from .planning import stacked
from .semantics import model as m
from .semantics import pretty
from .planning import steps as s
from .ast import MARK, fill
from .builtins import outliers
from .semantics.calendar import Calendar
from .diagnostics import Diagnostic, IdxError
from .planning.pipes import Group, Draft, Layer, Needs, Pipe
from .names import slug
from .planning.row_origins import Rows, closure, group_sites, rows
from .planning.stack import only_picked

_WINDOWED = (*m.ACROSS_ROWS, m.Pick)


def has_window(e: m.Expr) -> bool:
    return any(isinstance(n, _WINDOWED) for n in m.walk(e))


@dataclass
class _Output:
    """Planning one output: its row sources and the columns it reaches."""

    name: str
    rows: Rows
    reached: set[tuple[str, str]] = field(default_factory=set)  # (step, column)
    defs: dict[str, m.Definition] = field(default_factory=dict)  # its definitions, long forms cut to its picks
    _slots: dict[str, tuple[str, ...]] = field(default_factory=dict)

    def lookup(self, model: m.Model, name: str) -> m.Definition | None:
        return self.defs.get(name) or model.lookup(name, self.name)

    def definition(self, model: m.Model) -> Callable[[str], m.Definition | None]:
        """lookup, of one argument (vanishes)."""
        return lambda name: self.lookup(model, name)

    def slots(self, axis: str) -> tuple[str, ...]:
        """The applications of a long form this output reads (stack.only_picked): two
        outputs share a long form's steps only when they read the same ones."""
        if axis not in self._slots:
            self._slots[axis] = tuple(sorted({slot for d in self.defs.values() for n in m.walk(d.expr)
                                              if isinstance(n, m.Stack) and n.axis == axis for slot in n.slots}))
        return self._slots[axis]


class Planner:
    def __init__(self, model: m.Model) -> None:
        self.model = model
        self.pipes: dict[tuple, Pipe] = {}
        self.foreign: dict[tuple[tuple, str], tuple[str, m.Grain]] = {}
        self.memo: dict[tuple, str] = {}  # (pipe key, expr) -> column
        self.placing: set[str] = set()  # the definitions being placed, whose placing is under way
        self.tallies: list[tuple[s.Tally, str, str]] = []  # tally, its column's step and column
        self.deps: dict[tuple[str, str], set[tuple[str, str]]] = {}
        self.slot_base: dict[tuple[str, str], tuple] = {}  # (output, axis) -> pipe key
        self.named: dict[m.Expr, str] = {}  # a lifted expression's column name
        self.lifted: dict[str, m.Expr] = {}  # and back
        self.stacks: dict[tuple, tuple[Pipe, m.Ref]] = {}  # (value, pipe) -> its column
        self.draft = Draft({*model.tables, *model.definitions, *model.axes.entities, *model.axes.times,
                              *model.axes.slots, *model.axes.attributes,
                              *(c for t in model.tables.values() for c in t.columns),
                              *(n for o in model.outputs.values() for n in o.definitions)})

    # ------------------------------------------------------------ pipelines
    def pipe(self, ctx: _Output, grain: m.Grain, base: Pipe | None = None) -> Pipe:
        """The steps of `grain`'s rows for this output. A long-form grain's rows come from
        the pipeline its stack was unpivoted from (`base`, given when it is made)."""
        slot = _slot(self.model, grain)
        if slot is None:
            key = ctx.rows.key(grain)
        else:
            if base is not None:
                self.slot_base.setdefault((ctx.name, slot), base.key)
            key = (grain, "stack", self.slot_base[(ctx.name, slot)], ctx.slots(slot))
        found = self.pipes.get(key)
        if found is None:
            found = self.pipes[key] = Pipe(key, grain, self.key_columns(ctx, grain))
            if slot is None:
                self.set_rows(ctx, found)
            found.whole = slot is not None or found.whole  # a long form's rows: its unpivot's, or its groups'
            found.long = slot is not None
        return found

    def set_rows(self, ctx: _Output, pipe: Pipe) -> None:
        """The grain's rows, whole before any column is computed on them: its tables,
        full-joined on the grain's keys, then every reduction that brings rows to it
        (rows.merges), then the attributes its rows carry, looked up by entity."""
        pipe.building = True
        for t in ctx.rows.tables:
            if t.grain == pipe.grain:
                self.read(pipe, t)
        pipe.pending = list(ctx.rows.merged.get(pipe.grain, ()))
        while pipe.pending:
            e, d, whole, grain = pipe.current = pipe.pending.pop(0)
            if self.waits(ctx, d.expr if whole else e):  # its value needs what is being placed: its rows first
                self.merge_keys(ctx, pipe, d, grain)
            elif whole:
                self.place(ctx, d, pipe)
            else:
                self.lift(ctx, e, d.name, d.line, pipe)
        pipe.building, pipe.current = False, None
        if not pipe.whole:
            self.attach(pipe)

    def complete(self, ctx: _Output, pipe: Pipe) -> None:
        """A merge onto the grain needs a column of the grain's own rows (`sum(x -
        lag(s) over region)` at year, s a year's total): the keys of the merges still
        to come are full-joined first, so that those rows are whole before the column is
        computed, and the merges then bring their values onto rows already there."""
        for _, d, _, grain in pipe.pending:
            self.merge_keys(ctx, pipe, d, grain)
        self.attach(pipe)

    def merge_keys(self, ctx: _Output, pipe: Pipe, d: m.Definition, grain: m.Grain) -> None:
        """The rows a reduction of `grain`'s rows brings, without its value (which then
        comes onto rows already there, when it is placed)."""
        fine = self.pipe(ctx, grain)
        if not fine.steps and fine.current is not None:  # its rows are being brought: their keys first
            self.merge_keys(ctx, fine, fine.current[1], fine.current[3])
        if fine.building and not fine.whole:  # and all of them, with their attributes
            self.complete(ctx, fine)
        pipe.merged_from.add(fine.key)
        if not pipe.grain.dims:  # the scalar grain has its one row whatever is merged into it
            return
        head = pipe.steps[-1] if pipe.steps else None
        groups = tuple(k for k in pipe.grain.dims if k in self.model.axes.attributes)
        keys = Group(self.draft.unique(f"{d.name}_rows"), pipe.grain, pipe.grain.dims, fine.steps[fine.base],
                     [], f"the rows {d.name} brings to {pipe.grain}", head, groups)
        self.draft.add_base(pipe, keys, ())

    def waits(self, ctx: _Output, e: m.Expr) -> bool:
        """True when e reads a definition being placed, or holds an expression being
        lifted (through the definitions it reads): placing it now would go round in a
        circle."""
        being_lifted = {self.lifted[n] for n in self.placing if n in self.lifted}
        seen: set[str] = set()
        todo = [e]
        while todo:
            here = todo.pop()
            if being_lifted and any(n in being_lifted for n in m.walk(here)):
                return True
            for r in m.refs(here):
                if r.kind is m.RefKind.LET and r.name not in seen:
                    if r.name in self.placing:
                        return True
                    seen.add(r.name)
                    d = ctx.lookup(self.model, r.name)
                    if d is not None:
                        todo.append(d.expr)
        return False

    def attach(self, pipe: Pipe) -> None:
        """The attributes the rows carry, joined from one row per entity (s.Attributes)."""
        pipe.whole = True
        carried = [k for k in pipe.keys if k not in pipe.grain.dims]
        if not carried or not pipe.steps:
            return
        only = self.draft.steps[pipe.steps[0]] if len(pipe.steps) == 1 else None
        if isinstance(only, s.Read) and (only.table.layout is None or not only.table.layout.reshaped) \
                and set(carried) <= set(only.table.attributes):  # the rows of the table declaring them: taken there
            self.draft.steps[only.name] = replace(only, keys=pipe.keys, attributes=tuple(carried))
            return
        joins = []
        for owner, attributes in _by_owner(self.model, carried).items():
            entity = self.model.axes.attributes[attributes[0]]
            name = self.memo.get(("attributes", owner, attributes))
            if name is None:
                name = self.memo[("attributes", owner, attributes)] = self.draft.unique(f"{entity}_attributes")
                self.draft.steps[name] = s.Attributes(name, m.Grain((entity,)), (entity,), self.model.tables[owner],
                                                       attributes, f"attributes of {entity}, from table {owner}")
            joins.append(s.Join(name, (entity,), attributes))
        columns = tuple(s.Column(a, m.Ref(a, m.Grain((self.model.axes.attributes[a],)), m.RefKind.COLUMN))
                        for a in carried)
        step = s.Derive(self.draft.unique(f"{pipe.grain.dims[0]}_with_attributes"), pipe.grain, pipe.keys,
                        pipe.steps[-1], columns, tuple(joins))
        self.draft.add_base(pipe, step, tuple(carried))

    def key_columns(self, ctx: _Output, grain: m.Grain) -> tuple[str, ...]:
        attrs = self.model.axes.attributes
        carried = [a for e in grain.dims for a in sorted(attrs) if attrs[a] == e and a in ctx.rows.carried]
        return (*grain.dims, *carried)

    def read(self, pipe: Pipe, t: m.TableInfo) -> None:
        name = self.draft.unique(t.name)
        keys = pipe.grain.dims
        head = pipe.steps[-1] if pipe.steps else None
        note = f"table {t.name}: {' by '.join(t.keys) or 'scalar'}" + (f' "{t.title}"' if t.title else "")
        if t.calendar is not Calendar.YEAR:
            note += f"; {t.time} numbered {t.calendar.numbering}"
        screen = self.model.screens.get(t.entity or "")
        self.draft.add_base(pipe, s.Read(name, pipe.grain, keys, t, note, head, screen), t.columns)

    # ------------------------------------------------------------ definitions
    def place(self, ctx: _Output, d: m.Definition, pipe: Pipe | None = None) -> str:
        """d as a column of its grain's steps (once); returns the step holding it."""
        pipe = pipe or self.pipe(ctx, d.grain)
        note = f"{_where(self.model, d.line)} {d.text}" + (f' "{d.doc}"' if d.doc else "")
        pivot = self.pivoted(ctx, d, pipe, note)
        if pivot is not None:
            return pivot
        if d.name not in pipe.where:
            # a formula that is not missing where its reductions are (`count(x over r) ?? 0`)
            # is computed on the grain's rows: rows a GROUP BY does not have take its value
            sites = group_sites(d.expr, d.grain) if vanishes(d.expr, d.grain, ctx.definition(self.model)) else None
            self.placing.add(d.name)
            if sites is not None:
                self.group(ctx, pipe, d.name, d.expr, sites, note, d.line)
            else:
                needs = Needs()
                value = self.rowify(ctx, d.expr, pipe, needs, d.name, d.line, top=True)
                self.add_row(ctx, pipe, d.name, value, needs, note, d.line)
            self.placing.discard(d.name)
        ctx.reached.add((pipe.where[d.name], d.name))
        return pipe.where[d.name]

    def pivoted(self, ctx: _Output, d: m.Definition, pipe: Pipe, note: str) -> str | None:
        """The pivot step holding d, when d is one application of a stacked function and
        nothing else: the pivot's column for it is named d (`n_P0i1`), not copied into a
        column of that name by a step of its own, one line per indicator."""
        if not isinstance(d.expr, m.Pick) or d.grain != pipe.grain or d.name in pipe.where or d.name in self.lifted:
            return None  # a value lifted to a column (lift) is read on the pipe's rows: a treatment's argument
        found = self.foreign.get((pipe.key, d.name))
        if found is None:
            if stacked.pick(self, ctx, d.expr, pipe, let=(d.name, note, d.line)).name != d.name:
                return None  # the pivot has this application's column under another name already
            found = self.foreign[(pipe.key, d.name)]
        ctx.reached.add((found[0], d.name))
        return found[0]

    def add_row(self, ctx: _Output, pipe: Pipe, name: str, value: m.Expr, needs: Needs, note: str, line: int) -> None:
        if pipe.building and not pipe.whole:
            self.complete(ctx, pipe)
        layer = self.draft.add_column(pipe, s.Column(name, value, note, line), needs)
        self.record(ctx, pipe, layer, name, needs, line)

    def record(self, ctx: _Output, pipe: Pipe, step: str, name: str, needs: Needs, line: int,
               rows: str | None = None) -> None:
        """What the new column reads, and the tallies of the reductions inside it, each
        counted over the rows it reduces: those the column's step reads (`rows` for a
        GROUP BY); planning/passes/rewind_tallies.py moves each to the first step that has them."""
        here = (step, name)
        self.deps[here] = {(pipe.where[c], c) for c in needs.columns if c in pipe.where}
        self.deps[here] |= {(j.source, c) for j in needs.joins.values() for c in j.columns}
        for node, arg in dict.fromkeys(needs.tallies):  # a reduction used twice is counted once
            used = {r.name for r in m.refs(arg)}
            joins = tuple(j for j in needs.joins.values() if used & set(j.columns))
            built = self.draft.steps[step]
            assert isinstance(built, (Layer, Group))  # the column's step, still being filled
            source = rows or built.source
            assert source is not None  # a reduction's rows: its layer reads a step
            tally = s.Tally(node.label, line, source, joins, arg, (node.axis, *node.within) if node.within else None,
                            m.never_missing(arg, self.resolve), slot_axis=_slot(self.model, arg.grain),
                            reduce=replace(node, arg=arg))
            if all(t != tally for t, _, _ in self.tallies):
                self.tallies.append((tally, step, name))

    def resolve(self, name: str) -> m.Expr | None:
        """The expression a column computes: a definition's, or one the planner lifted."""
        d = self.model.definitions.get(name)
        return d.expr if d else self.lifted.get(name)

    # ------------------------------------------------------------ expressions
    def rowify(self, ctx: _Output, e: m.Expr, pipe: Pipe, needs: Needs, owner: str, line: int,
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
            needs.columns.add(e.column)
            return m.Ref(e.column, e.grain, m.RefKind.COLUMN)
        if isinstance(e, m.Op) and e.op == m.ON_ROWS:  # a normaliser: on its grain's rows, joined to finer ones,
            inner = e.args[0]  # unless missing where its grain has no row: then the same written out here
            mine = e.grain == pipe.grain or vanishes(inner, e.grain, ctx.definition(self.model))
            return rec(inner) if mine else rec(self.lift(ctx, e, owner, line))
        if isinstance(e, (m.Op, m.Classify)):
            return m.transform(e, lambda x: None if x is e else rec(x))
        if isinstance(e, m.Pick) and e.grain != pipe.grain:  # a coarser stack's value: picked on its own rows
            return rec(self.lift(ctx, e, owner, line))
        if isinstance(e, m.Pick):
            return self.reference(ctx, stacked.pick(self, ctx, e, pipe), pipe, needs)
        if isinstance(e, m.Treat) and not top:
            return rec(self.lift(ctx, e, owner, line, pipe if e.grain == pipe.grain else None))
        if isinstance(e, m.Treat):
            x = self.column(ctx, e.arg, pipe, owner, line)
            bounds = stacked.treat(self, e, pipe, x.name)
            return rec(outliers.treated(x, bounds, e.span))
        inline = e.arg.grain == pipe.grain if isinstance(e, (m.Reduce, m.At)) else e.grain == pipe.grain
        if not inline:
            return rec(self.lift(ctx, e, owner, line))
        if not top and _earlier_period(e, pipe):  # all of them in the first layer: one window pass, one sort
            return rec(self.lift(ctx, e, owner, line, pipe))
        assert isinstance(e, (m.At, m.Reduce, m.Window))  # what is left of a core model's nodes
        arg = self.plain(ctx, e.arg, pipe, needs, owner, line)
        if isinstance(e, m.Reduce) and e.report:
            needs.tallies.append((e, arg))
        return replace(e, arg=arg)

    def plain(self, ctx: _Output, e: m.Expr, pipe: Pipe, needs: Needs, owner: str, line: int) -> m.Expr:
        """e as a window's argument: on the rows as they are, with no window inside it
        (a treatment, a stacked value or a lag inside become columns first); what
        still holds a window becomes a column as a whole."""
        scratch = Needs()
        arg = self.rowify(ctx, e, pipe, scratch, owner, line)
        if has_window(arg):
            ref = self.column(ctx, e, pipe, owner, line)
            return self.reference(ctx, ref, pipe, needs)
        needs.columns |= scratch.columns
        needs.join(scratch.joins)
        return arg

    def reference(self, ctx: _Output, e: m.Ref, pipe: Pipe, needs: Needs) -> m.Expr:
        """A column: on pipe's rows already, or joined from the step of a coarser grain."""
        if e.kind in (m.RefKind.KEY, m.RefKind.ATTRIBUTE):
            return e
        if e.kind is m.RefKind.LET and e.grain != pipe.grain:
            d = ctx.lookup(self.model, e.name)
            if d is not None and not vanishes(d.expr, d.grain, ctx.definition(self.model)):  # a formula, not a value of its grain's rows
                return self.rowify(ctx, self.own_rows_parts(ctx, d, pipe), pipe, needs, d.name, d.line)
        found = self.foreign.get((pipe.key, e.name))
        if found is not None:
            step, grain = found
            ctx.reached.add(found[:1] + (e.name,))
        else:
            home = pipe if e.grain == pipe.grain else self.pipe(ctx, e.grain)
            d = ctx.lookup(self.model, e.name) if e.kind is m.RefKind.LET else None
            if d is not None:
                self.place(ctx, d, home)
            pivot = self.foreign.get((home.key, e.name))
            if pivot is not None:  # a let that is a column of its grain's pivot (pivoted)
                step, grain = pivot
            elif home is pipe:
                needs.columns.add(e.name)
                return e
            else:
                step, grain = home.where[e.name], e.grain  # the value a key has there it keeps after any merge
        join = needs.joins.setdefault(step, s.Join(step, grain.dims, ()))
        needs.joins[step] = replace(join, columns=tuple(dict.fromkeys((*join.columns, e.name))))
        return e

    def own_rows_parts(self, ctx: _Output, d: m.Definition, used_on: Pipe) -> m.Expr:
        """A coarse formula used pointwise on finer rows, with the reductions it takes
        of its own grain's rows (`sum(x by district)`, `mean(y over district)` of
        district values) computed from those rows, as rows.merges saw them: values
        joined by their own keys, bringing no rows (on the finer rows they would bring
        rows of their own; on the formula's own rows, a row without the attribute would
        find none of them)."""
        home = self.pipe(ctx, d.grain)

        def there(x: m.Expr) -> m.Expr | None:
            if not (isinstance(x, (m.Reduce, m.At)) and x.arg.grain == d.grain):
                return None if isinstance(x, (m.Op, m.Classify)) else x  # the formula's own parts only
            key = (home.key, "values of its argument's rows", x)
            step = self.memo.get(key)
            if step is None:
                step = self.memo[key] = self.aside(ctx, home, x, d)
            group = self.draft.steps[step]
            assert isinstance(group, Group)  # aside's GROUP BY, its one column x
            name = group.columns[0].name
            self.foreign[(used_on.key, name)] = (step, x.grain)
            ctx.reached.add((step, name))
            return m.Ref(name, x.grain, m.RefKind.LET)

        return m.transform(d.expr, there)

    def aside(self, ctx: _Output, home: Pipe, x: m.Reduce | m.At, d: m.Definition) -> str:
        """x as a GROUP BY of home's rows onto x's grain, in no grain's rows: its values
        are joined where they are used."""
        if home.building and not home.whole:
            self.complete(ctx, home)
        name = self.draft.unique(slug(_lift_name(x, d.name)), steps=False)
        self.lifted[name] = x
        needs = Needs()
        arg = self.grouped_arg(ctx, x, home, needs, name, d.line)
        source = self.draft.earliest(home, needs.columns)
        note = self.describe(x, d.name, None)
        groups = tuple(k for k in x.grain.dims if k in self.model.axes.attributes)
        step = Group(self.draft.unique(name), x.grain, x.grain.dims, source, [s.Column(name, replace(x, arg=arg), note)],
                     note, None, groups)
        self.draft.steps[step.name] = step
        self.record(ctx, home, step.name, name, needs, d.line, rows=source)
        return step.name

    def column(self, ctx: _Output, e: m.Expr, pipe: Pipe, owner: str, line: int) -> m.Ref:
        """e as a column of pipe's rows: itself when it is one already, else lifted."""
        if isinstance(e, m.Ref) and e.grain == pipe.grain:
            self.reference(ctx, e, pipe, Needs())
            if (pipe.key, e.name) not in self.foreign:
                return e  # else a column of the pivot (pivoted): copied onto the rows, as any value joined
        if isinstance(e, m.Stack):
            return m.Ref(e.column, e.grain, m.RefKind.COLUMN)
        return self.lift(ctx, e, owner, line, pipe)

    def lift(self, ctx: _Output, e: m.Expr, owner: str, line: int, pipe: Pipe | None = None,
             called: str | None = None) -> m.Ref:
        """e computed as a column of its own, named after what it computes; once per rows."""
        pipe = pipe or self.pipe(ctx, e.grain)
        key = (pipe.key, e)
        name = self.memo.get(key)
        if name is None:  # one expression, one column name, whichever rows it is computed on
            name = self.named.get(e) or self.draft.unique(slug(called or _lift_name(e, owner)), steps=False)
            self.memo[key] = self.named[e] = name
            self.lifted[name] = e
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
        return f"{_display(self.model, label, e.grain)}, in {owner}"

    # ------------------------------------------------------------ groups
    def grouped_arg(self, ctx: _Output, site: m.Reduce | m.At, fine: Pipe, needs: Needs, name: str, line: int) -> m.Expr:
        """A reduction's argument on the rows a GROUP BY reads; its columns and tally
        go into `needs`. An Aggregate joins nothing and nests no window: such an
        argument is a column of its own first."""
        plain = Needs()
        arg = self.rowify(ctx, site.arg, fine, plain, name, line)
        if has_window(arg) or plain.joins:
            arg, plain = self.column(ctx, site.arg, fine, name, line), Needs()
            plain.columns.add(arg.name)
        needs.columns |= plain.columns
        if isinstance(site, m.Reduce) and site.report:
            needs.tallies.append((site, arg))
        return arg

    def group(self, ctx: _Output, pipe: Pipe, name: str, e: m.Expr, sites: list[m.Reduce | m.At], note: str,
              line: int) -> None:
        """A definition computed as one GROUP BY of a finer grain's rows, merged into
        its own grain's rows (or starting them)."""
        fine = self.pipe(ctx, sites[0].arg.grain)
        if fine.building and not fine.whole:  # the rows it reduces, whole and with their attributes, first
            self.complete(ctx, fine)
        mapping: dict[int, m.Expr] = {}
        needs = Needs()
        for site in sites:
            mapping[id(site)] = replace(site, arg=self.grouped_arg(ctx, site, fine, needs, name, line))
        source = self.draft.earliest(fine, needs.columns)
        value = m.transform(e, lambda n: mapping.get(id(n)))
        head = pipe.steps[-1] if pipe.steps else None
        # rows merged after columns are computed on them must be rows the grain has already
        # (the groups of rows merged before: the same reduction, or another of the same
        # rows, reached by another way); any other is a planner error
        assert pipe.building or not pipe.whole or pipe.long or not pipe.grain.dims or fine.key in pipe.merged_from, \
            f"{name}: rows merged into {pipe.grain} after its columns (rows.merges missed it)"
        pipe.merged_from.add(fine.key)
        groups = tuple(d for d in pipe.grain.dims if d in self.model.axes.attributes)
        carried = self.carried_through(pipe, fine, sites[0]) if pipe.long else []
        step = Group(self.draft.unique(name), pipe.grain, pipe.grain.dims, source, [s.Column(name, value, note, line), *carried],
                     note, head, groups)
        self.draft.add_base(pipe, step, (name, *(c.name for c in carried)))
        self.record(ctx, fine, step.name, name, needs, line, rows=source)


    def carried_through(self, pipe: Pipe, fine: Pipe, site: m.Reduce | m.At) -> list[s.Column]:
        """The attributes a long form's rows carry, taken through a GROUP BY onto them
        (one value per entity: its MIN): a long form is never attached to, and a
        reduction by an attribute of these rows (`min(sum(x over year) by district)`
        in a stacked function) reads them here."""
        wanted = [k for k in pipe.keys if k not in pipe.grain.dims and k not in pipe.where and k in fine.keys]
        axis, mode = (site.axis, site.mode) if isinstance(site, m.Reduce) else (site.time, m.Mode.OVER)
        return [s.Column(a, m.Reduce("min", m.Ref(a, fine.grain, m.RefKind.ATTRIBUTE), pipe.grain, axis, mode, report=False))
                for a in wanted]


_STRICT = frozenset({"+", "-", "*", "/", "^", "pow", "neg", "abs", "exp", "ln", "sqrt", "round", "least", "greatest",
                     "==", "!=", "<", "<=", ">", ">=", "not", "and", "or"})


def vanishes(e: m.Expr, grain: m.Grain, definition: Callable[[str], m.Definition | None] = lambda name: None) -> bool:
    """True when e is missing wherever its grain has no row: every value of that grain
    is (its tables' columns, its reductions, its windows), and so is a formula that is
    missing when one of them is. Such a definition is computed on its grain's rows and
    joined where it is used; any other (`cpi ?? 1`, `w_region * c_year`) is a formula
    of its inputs, computed where it is used, so that it has the same value used there
    as written out there (docs/language.md, "Rows"). A let is what its `definition` is:
    `v > 3` of `let v = min(x by district) ?? 2` is a formula too, False (not missing)
    for an entity of no district (campaign seed 2030)."""
    if isinstance(e, m.Const):
        return e.value is None
    if isinstance(e, m.Param):
        return False
    if isinstance(e, m.Ref):
        d = definition(e.name) if e.kind is m.RefKind.LET and e.grain == grain else None
        if d is not None:
            return vanishes(d.expr, d.grain, definition)
        return e.grain == grain and e.kind not in (m.RefKind.KEY, m.RefKind.ATTRIBUTE)
    each = lambda a: vanishes(a, grain, definition)  # noqa: E731
    if isinstance(e, m.Op) and e.op == m.ON_ROWS:  # a normaliser: a value of its grain's rows
        return e.grain == grain
    if isinstance(e, m.Op) and e.op in _STRICT:
        return any(map(each, e.args))
    if isinstance(e, m.Op) and e.op == "coalesce":
        return all(map(each, e.args))
    if isinstance(e, m.Op) and e.op == "if":  # missing with its condition, or with both branches
        return each(e.args[0]) or all(map(each, e.args[1:]))
    if isinstance(e, m.Op):
        return False  # present, known: never missing
    if isinstance(e, m.Classify):
        return each(e.arg)
    return e.grain == grain  # a reduction, a window, a treatment: computed on the grain's rows


def _by_owner(model: m.Model, attributes: list[str]) -> dict[str, tuple[str, ...]]:
    found: dict[str, tuple[str, ...]] = {}
    for a in attributes:
        owner = model.owner(a).name
        found[owner] = (*found.get(owner, ()), a)
    return found


def _earlier_period(e: m.Expr, pipe: Pipe) -> bool:
    """A table column in an earlier period (`lag(x)`, inside `chain(x)`): a column of its
    own, so every such column of the rows is taken in the same window pass and what
    uses it (a chain index inside a product) is a plain expression."""
    return isinstance(e, m.Window) and e.kind == "lag" and isinstance(e.arg, m.Ref) \
        and e.arg.kind is m.RefKind.COLUMN and e.arg.grain == pipe.grain


def _slot(model: m.Model, grain: m.Grain) -> str | None:
    return next((d for d in grain.dims if d in model.axes.slots), None)


def _display(model: m.Model, text: str, grain: m.Grain) -> str:
    """Text from a stacked function's body, its parameters' names in their places."""
    slot = _slot(model, grain)
    return fill(text, model.stacks[slot].params) if slot and MARK.format(0) in text else text


def _where(model: m.Model, line: int) -> str:
    return f"{Path(model.path).name}:{line}" if line else Path(model.path).name


_OP_NAMES = {"neg": "minus", "+": "sum", "-": "difference", "*": "product", "/": "ratio", "coalesce": "filled"}


def _lift_name(e: m.Expr, owner: str) -> str:
    """A column's name from what it computes: `max_x_over_region`, `treat_x`, `impute_x`."""
    first = _first_name(e) or owner
    if isinstance(e, m.Reduce):
        return f"{e.func}_{first}_{e.mode.value}_{e.axis}" + (f"_{e.within[0]:g}_{e.within[1]:g}" if e.within else "")
    if isinstance(e, m.At):
        return f"{first}_at_{e.period:g}"
    if isinstance(e, m.Window) and e.kind == "lag":
        return f"{first}_previous" if e.offset == 1 else f"{first}_lag_{e.offset}"
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
        return e.column
    return next((n for n in map(_first_name, m.children(e)) if n), None)


def plan(model: m.Model, outputs: list[str] | None = None) -> s.Plan:
    """The plan of these outputs (all by default), planned together: what two of them
    compute on the same rows is one column of one step."""
    planner = Planner(model)
    queries: dict[str, s.OutputQuery] = {}
    reached: dict[str, set[tuple[str, str]]] = {}
    names = outputs or list(model.outputs)
    found = {name: only_picked(closure(model, name), {c.source for c in model.outputs[name].columns}) for name in names}
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
        ctx = _Output(name, replace(sources[name], carried=carried, tables=tables), defs={d.name: d for d in defs})
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
    needs = Needs()
    columns = []
    for c in out.columns:
        d = ctx.lookup(planner.model, c.source)
        kind = m.RefKind.LET if d is not None else m.RefKind.KEY if c.source in pipe.keys else m.RefKind.COLUMN
        ref = m.Ref(c.source, c.grain, kind)
        columns.append((c.alias, planner.rowify(ctx, ref, pipe, needs, out.name, out.line)))
    keys = out.keys
    source = planner.draft.earliest(pipe, needs.columns)
    for step, col in {(planner.draft.earliest(pipe, {c}), c) for c in needs.columns}:
        ctx.reached.add((step, col))
    for j in needs.joins.values():
        ctx.reached |= {(j.source, c) for c in j.columns}
    axes = planner.model.axes
    periods = {k: axes.calendar(k) for k in keys if axes.is_time(k) and axes.calendar(k) is not Calendar.YEAR}
    return s.OutputQuery(out.name, keys, source, tuple(needs.joins.values()), tuple(columns), periods)


def _freeze(planner: Planner, queries: dict[str, s.OutputQuery], reached: dict[str, set[tuple[str, str]]]) -> s.Plan:
    """The plan as values; each tally reported under the outputs that reach its column."""
    steps, names = planner.draft.freeze()
    rename: Callable[[str], str] = lambda n: names.get(n, n)  # noqa: E731
    closure_of = {o: _reach(planner.deps, r) for o, r in reached.items()}
    tallies = tuple(replace(s.redirect(t, rename), outputs=tuple(o for o in queries if (step, column) in closure_of[o]))
                    for t, step, column in planner.tallies)
    return s.Plan(steps, {o: s.redirect(q, rename) for o, q in queries.items()}, s.merge_tallies(tallies))


def _reach(deps: dict[tuple[str, str], set[tuple[str, str]]], start: set[tuple[str, str]]) -> set[tuple[str, str]]:
    seen: set[tuple[str, str]] = set()
    todo = list(start)
    while todo:
        here = todo.pop()
        if here not in seen:
            seen.add(here)
            todo += deps.get(here, ())
    return seen
