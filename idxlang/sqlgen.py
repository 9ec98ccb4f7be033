"""Plan → sqlglot expression trees: one CTE per step (a few for a treatment), named
after what it computes, each column beside the spec line it comes from.

Each kind of step and each kind of expression has one builder, chosen by type; the
constructs' own SQL lives with their family in `builtins/`.
"""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

from .semantics import model as m
from .planning import steps as s
from .builtins import operators, ranking, reductions, time
from .builtins.outliers import bounds_sql
from .semantics.calendar import Calendar, to_label, to_number
from .sql.dialects import DUCKDB, Dialect
from .names import reserve
from .sql.trees import INPUT_SCHEMA, as_double, binary, col, ident, is_null, join, lit, named, number, data_number, present_cells, select, set_with, table, window
from .sql.windows import name_windows

_WINDOWS: dict[str, Callable] = {**time.WINDOWS, "rank": ranking.sql_rank}


class ExprBuilder:
    """Model expressions → SQL over one FROM clause: a source and the steps joined to it."""

    def __init__(self, source: str | None, joins: tuple[s.Join, ...] = (), grouped: bool = False,
                 dialect: Dialect = DUCKDB) -> None:
        self.source, self.grouped, self.dialect = source, grouped, dialect
        self.qualify = bool(joins)
        self.windows: list[exp.Window] = []
        self.origin = {c: j.source for j in joins for c in j.columns}
        self.build: dict[type, Callable] = {
            m.Const: lambda e: number(e.value), m.Param: lambda e: named(e.value, e.name), m.Ref: self.ref,
            m.Op: lambda e: operators.OPERATORS[e.op]([self(a) for a in e.args]),
            m.Reduce: lambda e: reductions.sql_reduce(self, e), m.At: lambda e: reductions.sql_at(self, e),
            m.Window: lambda e: _WINDOWS[e.kind](self, e), m.Classify: lambda e: ranking.sql_classify(self, e)}

    def __call__(self, e: m.Expr) -> exp.Expr:
        return self.build[type(e)](e)

    def ref(self, e: m.Ref) -> exp.Expr:
        if e.kind in (m.RefKind.KEY, m.RefKind.ATTRIBUTE):
            return self.key(e.name)
        if not self.qualify:
            return col(e.name)
        return col(e.name, self.origin.get(e.name, self.source))

    def key(self, name: str) -> exp.Column:
        return col(name, self.source if self.qualify else None)

    def partition(self, grain: m.Grain, drop: str | None = None) -> list[exp.Expr]:
        return [self.key(d) for d in grain.dims if d != drop]

    def window(self, func: exp.Expr, partition: list[exp.Expr], order: list[exp.Ordered] | None = None,
               spec: exp.WindowSpec | None = None) -> exp.Window:
        """A window, kept in `windows` so that those used twice can be named (sql/windows.py)."""
        made = window(func, partition, order, spec)
        self.windows.append(made)
        return made


def _from(query: exp.Select, source: str | None, joins: tuple[s.Join, ...]) -> exp.Select:
    """The source with coarser steps joined by their keys: `USING` where every join has
    the same keys; else `ON source.key = step.key`, as a step joined by the entity may
    carry an attribute (a district) that another is joined by, which `USING` would find
    twice."""
    if source is None:
        return query
    query = query.from_(table(source), copy=False)
    alike = len({j.keys for j in joins if j.keys}) <= 1
    for j in joins:
        if not j.keys:
            query = join(query, table(j.source), "cross")
        elif alike:
            query = join(query, table(j.source), "left", using=j.keys)
        else:
            on = exp.and_(*[exp.EQ(this=col(k, source), expression=col(k, j.source)) for k in j.keys])
            query = join(query, table(j.source), "left", on=on)
    return query


def _documented(e: exp.Expr, doc: str | None) -> exp.Expr:
    """A column of the user's data with its doc string beside it."""
    if doc:
        e.add_comments([f" {doc} "])
    return e


def _column(c: s.Column, built: exp.Expr) -> exp.Expr:
    """A computed column, its note beside it for the reader and its definition's line
    kept on the node (meta), for placing an engine's error (engines/locate.py)."""
    aliased = built.as_(ident(c.name), copy=False)
    if c.note:
        aliased.add_comments([f" {c.note} "])
    if c.line:
        aliased.meta["line"] = c.line
    return aliased


def _merged(inner: exp.Select, name: str, keys: tuple[str, ...], into: str | None) -> exp.Select:
    """Full-join a new source into the rows its grain has already: rows of either are kept."""
    if into is None:
        return inner
    sub = exp.Subquery(this=inner, alias=exp.TableAlias(this=ident(name)))
    query = select(exp.Star()).from_(table(into), copy=False)
    return join(query, sub, "full" if keys else "cross", using=keys)


def input_rows(t: m.TableInfo, columns: tuple[str, ...] | None = None, repeated: str | None = None,
               dialect: Dialect = DUCKDB) -> exp.Expr:
    """An input table as the spec sees it: one row per key, one column per variable, from
    its file's view as its layout reshapes it (idxlang/layouts/: a long file pivoted, each
    variable named, its `repeated` column named as the whole table names it, `repeated`
    when given; a wide one unpivoted)."""
    if t.layout is None:
        return table(t.name, INPUT_SCHEMA)
    return t.layout.rows(t, t.columns if columns is None else columns, repeated or t.repeated, dialect)


def _read(step: s.Read, dialect: Dialect) -> exp.Select:
    t = step.table
    one = lambda a: window(exp.Min(this=col(a)), [col(t.entity or "")]).as_(ident(a), copy=False)  # noqa: E731
    cols: list[exp.Expr] = [one(k) if k in step.attributes else col(k) for k in step.keys]
    if t.calendar is not Calendar.YEAR:  # a quarter's or month's number
        cols = [to_number(t.calendar, c).as_(ident(c.name), copy=False) if c.name == t.time else c for c in cols]
    typed = t.layout is not None and t.layout.pivoted  # a pivot's values are numbers already; else the user's, whatever type the file gave them
    cols += [_documented((col(c) if typed else data_number(col(c), dialect.nan_test)).as_(ident(c), copy=False), t.docs.get(c))
             for c in t.columns]
    if t.repeated:  # for the check of the stage (planning/passes/share.py): the keys that repeat a variable
        cols.append(col(t.repeated))
    inner = select(*cols).from_(input_rows(t, dialect=dialect), copy=False)
    if t.extra_keys:  # every row once per draw (idxc sensitivity)
        inner = join(inner, table("draws", INPUT_SCHEMA), "cross")
    if step.screen is not None:
        inner = _screened_read(inner, t, step.screen, dialect)
    return _merged(inner, step.name, step.keys, step.merge_into)


def _screened_read(inner: exp.Select, t: m.TableInfo, screen: m.Screen, dialect: Dialect) -> exp.Select:
    """The rows of the entities the screen keeps. A pivoted (long) file screened by its own
    columns is pivoted once, into a CTE that both the rows and the screen read (an
    engine computes a CTE read twice once: DuckDB, bench/layouts.py); else the screen
    reads its table's rows itself."""
    shared = t.layout is not None and t.layout.pivoted and screen.rows.name == t.name and not t.extra_keys
    if not shared:
        kept = screened(screen, True, input_rows(screen.rows, screen.columns, dialect=dialect), dialect)
        return inner.where(exp.In(this=col(screen.entity), query=exp.Subquery(this=kept)), copy=False)
    name = reserve(f"{t.name}_cells", {t.name, *t.columns, *t.keys, *t.attributes})
    both = tuple(dict.fromkeys((*t.columns, *screen.columns)))
    pivot = exp.CTE(this=input_rows(t, both, dialect=dialect).this, alias=exp.TableAlias(this=ident(name)))
    kept = screened(screen, True, table(name), dialect)
    inner = inner.from_(exp.Table(this=ident(name), alias=exp.TableAlias(this=ident(t.name))), copy=False)
    return set_with(inner.where(exp.In(this=col(screen.entity), query=exp.Subquery(this=kept)), copy=False), [pivot])


def _attributes(step: s.Attributes, dialect: Dialect) -> exp.Select:
    """One row per entity: its value of each attribute in the declaring table's rows.
    The checks (data/checks.py) make sure there is one; the GROUP BY makes sure, even
    unchecked, that joining it cannot multiply rows."""
    entity = col(step.keys[0])
    values = [exp.Min(this=col(a)).as_(ident(a), copy=False) for a in step.attributes]
    return select(entity, *values).from_(table(step.table.name, INPUT_SCHEMA), copy=False).group_by(entity.copy(), copy=False)


def _derive(step: s.Derive, dialect: Dialect) -> exp.Select:
    built = ExprBuilder(step.source, step.joins, dialect=dialect)
    star = exp.Column(this=exp.Star(), table=ident(step.source)) if step.joins and step.source else exp.Star()
    values = [_column(c, built(c.expr)) for c in step.columns]
    return name_windows(_from(select(*([star] if step.source else []), *values), step.source, step.joins), built.windows)


def _aggregate(step: s.Aggregate, dialect: Dialect) -> exp.Select:
    built = ExprBuilder(step.source, grouped=True, dialect=dialect)
    keys = [col(k) for k in step.keys]
    query = select(*keys, *[_column(c, built(c.expr)) for c in step.columns]).from_(table(step.source), copy=False)
    if step.groups:  # an entity without the attribute belongs to no group, not to a group of its own
        query = query.where(exp.and_(*[exp.Not(this=is_null(col(g))) for g in step.groups]), copy=False)
    if keys:
        query = query.group_by(*[k.copy() for k in keys], copy=False)
    return _merged(query, step.name, step.keys, step.merge_into)


def _merge(step: s.Merge, dialect: Dialect) -> exp.Select:
    taken = select(*[col(k) for k in step.keys], *[col(c) for c in step.columns]).from_(table(step.pool), copy=False)
    return _merged(taken, step.name, step.keys, step.merge_into)


def _unpivot(step: s.Unpivot, dialect: Dialect) -> exp.Select:
    """One row per application: the source's rows crossed with the slots, each slot
    taking its own arguments."""
    built = ExprBuilder(step.source, dialect=dialect)
    slot = col(step.axis, "slots")
    keys = [col(k) for k in step.keys if k != step.axis]
    values = [exp.Case(this=slot.copy(), ifs=[exp.If(this=lit(name), true=built(e)) for name, e in zip(step.slots, exprs)])
              .as_(ident(column), copy=False) for column, exprs in step.values]
    slots = exp.Values(expressions=[exp.Tuple(expressions=[lit(n)]) for n in step.slots],
                       alias=exp.TableAlias(this=ident("slots"), columns=[ident(step.axis)]))
    return join(select(*keys, slot, *values).from_(table(step.source), copy=False), slots, "cross")


_STEPS: dict[type, Callable] = {s.Read: _read, s.Attributes: _attributes, s.Derive: _derive, s.Aggregate: _aggregate,
                                s.Merge: _merge, s.Unpivot: _unpivot}


def ctes(plan_steps: dict[str, s.Step], names: list[str], dialect: Dialect = DUCKDB) -> list[exp.CTE]:
    """The CTEs computing `names`, in the order given."""
    out: list[exp.CTE] = []
    values: dict[tuple[str, str], str] = {}  # treatments of one column rank its values once
    for name in names:
        step = plan_steps[name]
        if isinstance(step, s.TreatBounds):
            made = values.setdefault((step.source, step.column), f"{step.name}_values")
            parts = bounds_sql(step.name, step.source, step.column, step.keys, step.winmax,
                               None if made == f"{step.name}_values" else made, dialect)
            out += [_cte(n, q, step.note if n == step.name else "") for n, q in parts]
            continue
        cte = _cte(name, _STEPS[type(step)](step, dialect), _note(step))
        if isinstance(step, s.Read):  # the table it reads, for placing an engine's error (engines/locate.py)
            cte.meta["table"] = step.table.name
        out.append(cte)
    return out


def _note(step: s.Step) -> str:
    if isinstance(step, s.Derive):
        return ""  # each column carries its own
    if isinstance(step, s.Aggregate) and len(step.columns) == 1 and step.columns[0].note == step.note:
        return ""
    return step.note


def _cte(name: str, query: exp.Expr, note: str) -> exp.CTE:
    cte = exp.CTE(this=query, alias=exp.TableAlias(this=ident(name)))
    if note:
        cte.add_comments([f" {note} "])
    return cte


# How an output column is typed, the same on every engine (docs/language.md, "One meaning
# on every engine"): a year and a rank a BIGINT, any other number a DOUBLE; text, truth
# values and the data's own identifiers (entities, attributes) as they come.
INTEGER, NUMBER = "BIGINT", "DOUBLE"
_ALONG = frozenset({"lag", "fill_forward", "fill_backward"})  # windows whose value is one of their argument's
_LOGICAL = frozenset({"==", "!=", "<", "<=", ">", ">=", "and", "or", "not", "known", "startswith", "contains"})


def column_kinds(model: m.Model, output: str) -> dict[str, str | None]:
    """The type each column of `output` is written as (INTEGER, NUMBER, or None: as the
    engine gives it), keys included; read off the core model, whatever the engine."""
    out = model.outputs[output]
    axes = model.axes
    found: dict[str, str | None] = {k: INTEGER if axes.is_time(k) and axes.calendar(k) is Calendar.YEAR else None
                                    for k in out.keys}
    resolve = lambda name: model.lookup(name, output)  # noqa: E731
    for c in out.columns:
        d = resolve(c.source)
        found[c.alias] = _kind(d.expr, resolve, axes) if d else _kind(m.Ref(c.source, c.grain, _ref_kind(axes, c.source)),
                                                                         resolve, axes)
    return found


def _ref_kind(axes: m.Axes, name: str) -> m.RefKind:
    if name in axes.entities or name in axes.times:
        return m.RefKind.KEY
    return m.RefKind.ATTRIBUTE if name in axes.attributes else m.RefKind.COLUMN


def _kind(e: m.Expr, resolve: Callable[[str], m.Definition | None], axes: m.Axes) -> str | None:
    """INTEGER for a year and a rank, NUMBER for any other number, None for what is
    not a number (text, a truth value, an identifier) or not known to be one."""
    if isinstance(e, m.Const):
        return None if isinstance(e.value, str) or e.value is None else NUMBER
    if isinstance(e, m.Ref):
        if e.kind is m.RefKind.KEY:
            return INTEGER if axes.is_time(e.name) and axes.calendar(e.name) is Calendar.YEAR else None
        d = resolve(e.name) if e.kind is m.RefKind.LET else None
        return _kind(d.expr, resolve, axes) if d else NUMBER if e.kind is m.RefKind.COLUMN else None
    if isinstance(e, m.Classify) or (isinstance(e, m.Op) and e.op in _LOGICAL):
        return None
    if isinstance(e, m.Window) and e.kind == "rank":
        return NUMBER if e.ties == "average" else INTEGER
    if isinstance(e, (m.Window, m.At, m.Pick)) and (not isinstance(e, m.Window) or e.kind in _ALONG):
        return _kind(e.arg, resolve, axes)
    if isinstance(e, m.Op) and e.op in ("if", "coalesce", "least", "greatest"):
        kinds = {_kind(a, resolve, axes) for a in (e.args[1:] if e.op == "if" else e.args)
                 if not (isinstance(a, m.Const) and a.value is None)}
        return NUMBER if kinds <= {NUMBER, INTEGER} and kinds else None
    return NUMBER


def _typed(e: exp.Expr, kind: str | None) -> exp.Expr:
    return e if kind is None else exp.Cast(this=e, to=exp.DataType.build(kind))


def final(q: s.OutputQuery, ordered: bool = True, dialect: Dialect = DUCKDB,
          kinds: dict[str, str | None] | None = None) -> exp.Select:
    """An output's statement: its keys and columns, each cast to its type (`kinds`,
    column_kinds) so that every engine writes the same types, ordered by the keys."""
    kinds = kinds or {}
    built = ExprBuilder(q.source, q.joins, dialect=dialect)
    exprs: list[exp.Expr] = [
        to_label(q.periods[k], built.key(k)).as_(ident(k), copy=False) if k in q.periods else
        _typed(built.key(k), kinds.get(k)).as_(ident(k), copy=False) if built.qualify or kinds.get(k) else col(k)
        for k in q.keys]
    for alias, value in q.columns:
        e = _typed(built(value), kinds.get(alias))
        plain = isinstance(e, exp.Column) and e.name == alias and not built.qualify
        exprs.append(e if plain else e.as_(ident(alias), copy=False))
    query = name_windows(_from(select(*exprs), q.source, q.joins), built.windows)
    return query.order_by(*[built.key(k) for k in q.keys], copy=False) if q.keys and ordered else query


def screened(screen: m.Screen, kept: bool, rows: exp.Expr, dialect: Dialect = DUCKDB) -> exp.Select:
    """The entities a screen keeps (kept=True), or those it drops with their availability,
    among the table's `rows` (input_rows)."""
    present, cells = present_cells(screen.columns, dialect.nan_test)
    share = binary(exp.Div, as_double(present), cells)  # not an integer division (PostgreSQL)
    shares = (select(col(screen.entity), share.as_(ident("availability"), copy=False))
              .from_(rows, copy=False).group_by(col(screen.entity), copy=False))
    compare = exp.GTE if kept else exp.LT
    query = select(col(screen.entity), *([] if kept else [col("availability")]))
    return (query.from_(exp.Subquery(this=shares, alias=exp.TableAlias(this=ident("screen"))), copy=False)
            .where(compare(this=col("availability"), expression=lit(screen.threshold)), copy=False))


def tally_queries(tallies: list[s.Tally], dialect: Dialect = DUCKDB) -> list[tuple[tuple[int, ...], exp.Select]]:
    """The counts of what the reductions skipped: per set of rows they reduce, one pass
    giving each reduction's cells and missing cells (per slot for a stacked function's,
    whose slot then comes first). Each query comes with the tallies it counts, in the
    order of its columns."""
    groups: dict[tuple, list[int]] = {}
    for i, t in enumerate(tallies):
        groups.setdefault(s.tally_group(t), []).append(i)
    return [(tuple(members), _tally(tallies, members, dialect)) for members in groups.values()]


def _tally(tallies: list[s.Tally], members: list[int], dialect: Dialect) -> exp.Select:
    first = tallies[members[0]]
    joins = s.joined_columns([tallies[i] for i in members])
    built = ExprBuilder(first.source, joins, dialect=dialect)
    rows = exp.Count(this=exp.Star())
    exprs: list[exp.Expr] = [built.key(first.slot_axis)] if first.slot_axis else []
    for k, i in enumerate(members):
        t = tallies[i]
        cells: exp.Expr
        if t.counted is not None:  # counted by the GROUP BY that reduced them: add the groups up
            cells, present = (exp.Sum(this=col(c)) for c in t.counted)
            missing: exp.Expr = binary(exp.Sub, cells.copy(), present)
        else:
            cells = rows.copy()
            missing = lit(0) if t.never_missing else exp.Sub(this=rows.copy(), expression=exp.Count(this=built(t.arg)))
        exprs += [cells.as_(ident(f"cells_{k}"), copy=False), missing.as_(ident(f"missing_{k}"), copy=False)]
    query = _from(select(*exprs), first.source, joins)
    if first.within:
        axis, lo, hi = first.within
        query = query.where(exp.Between(this=built.key(axis), low=lit(lo), high=lit(hi)), copy=False)
    if first.slot_axis:
        query = query.group_by(built.key(first.slot_axis), copy=False)
    return query


__all__ = ["ExprBuilder", "column_kinds", "ctes", "final", "input_rows", "screened", "tally_queries"]
