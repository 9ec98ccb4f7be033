"""Checked model → query plan: one pipeline of steps per grain, in dependency order.

Every definition becomes one step (a CTE named after it). A step at grain G
either extends G's pipeline with a column (`row`), possibly using window
functions over G and joining coarser values onto G's rows, or aggregates a finer
pipeline onto G (`group`) and merges the result into G's pipeline. A reduction
or window whose argument is itself windowed cannot be one SQL expression, so its
argument is lifted into a step of its own, named after what it computes.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace

from . import model as m
from .diagnostics import Diagnostic, IdxError


@dataclass(frozen=True)
class Join:
    """Coarser values broadcast onto a step's rows."""

    source: str
    keys: tuple[str, ...]


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


@dataclass(frozen=True)
class Step:
    name: str
    grain: m.Grain
    keys: tuple[str, ...]  # key columns every row of this step carries
    kind: str  # "table", "row", "group", or "merge" (a column of a pooled GROUP BY)
    comment: str
    value: m.Expr | None = None
    source: str | None = None  # previous step at this grain (row) or the finer one (group)
    joins: tuple[Join, ...] = ()
    merge_into: str | None = None  # group/table: existing step at this grain to full-join
    table: m.TableInfo | None = None
    also: tuple[tuple[str, m.Expr], ...] = ()  # row: more columns computed in the same SELECT


@dataclass(frozen=True)
class OutputColumn:
    alias: str
    ref: m.Ref


@dataclass(frozen=True)
class Plan:
    output: m.OutputSpec
    steps: tuple[Step, ...]
    source: str
    joins: tuple[Join, ...]
    columns: tuple[OutputColumn, ...]
    where: dict[str, str] = field(hash=False, compare=False)
    tallies: tuple[Tally, ...] = ()
    tables: tuple[m.TableInfo, ...] = ()


def _slug(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower()[:48] or "value"


def _table_comment(t: m.TableInfo) -> str:
    keys = " by ".join(t.keys) or "scalar"
    return f"table {t.name}: {keys}" if t.schema == "input" else f"{t.schema}.{t.name}: {keys}, computed earlier in this run"


def _has_window(e: m.Expr) -> bool:
    if isinstance(e, (m.Reduce, m.At, m.Window)):
        return True
    return any(_has_window(c) for c in m.children(e))


class Planner:
    def __init__(self, model: m.Model, out: m.OutputSpec) -> None:
        self.model = model
        self.out = out
        self.axes = model.axes
        self.steps: list[Step] = []
        self.heads: dict[m.Grain, str] = {}
        self.where: dict[str, str] = {}  # column -> step that introduced it
        self.grain_of: dict[str, m.Grain] = {}
        self.tallies: list[Tally] = []
        self.names: set[str] = set()
        self.carried: dict[str, tuple[str, ...]] = {}
        self.lifted: dict[str, m.Definition] = {}

    # ------------------------------------------------------------ helpers
    def lookup(self, name: str) -> m.Definition | None:
        """A definition of the spec, of the output, or one the planner lifted out."""
        return self.lifted.get(name) or self.out.definitions.get(name) or self.model.definitions.get(name)

    def resolve(self, name: str) -> m.Expr | None:
        d = self.lookup(name)
        return d.expr if d else None

    def tally(self, e: m.Reduce, line: int, source: str, arg: m.Expr) -> Tally:
        within = (e.axis, *e.within) if e.within else None
        return Tally(e.label, line, source, (), arg, within, m.never_missing(arg, self.resolve))  # type: ignore[arg-type]

    def key_columns(self, grain: m.Grain) -> tuple[str, ...]:
        cols: list[str] = []
        for d in grain.dims:
            cols.append(d)
            cols.extend(self.carried.get(d, ()))
        return (*cols, *self.model.draw_keys)

    def unique(self, base: str) -> str:
        name, n = base, 2
        while (name in self.names or name in self.model.definitions or name in self.model.tables
               or name in self.out.definitions):
            name, n = f"{base}_{n}", n + 1
        self.names.add(name)
        return name

    def order(self) -> list[m.Definition]:
        done: list[m.Definition] = []
        seen: set[str] = set()

        def visit(name: str) -> None:
            if name in seen:
                return
            seen.add(name)
            d = self.lookup(name)
            assert d is not None, name  # the checker resolved every name
            for r in m.refs(d.expr):
                if r.kind == "let":
                    visit(r.name)
            done.append(d)

        for col in self.out.columns:
            if col.source in self.out.definitions or col.source in self.model.definitions:
                visit(col.source)
        return done

    # ------------------------------------------------------------ tables
    def add_tables(self, defs: list[m.Definition]) -> list[m.TableInfo]:
        used: set[str] = set()
        for d in defs:
            used.update(r.name for r in m.refs(d.expr) if r.kind in ("column", "attribute", "key"))
        used.update(c.source for c in self.out.columns)
        used.update(self.out.keys)
        for d in defs:
            used |= m.grouped_by(d.expr)
        for entity in self.axes.entities:
            self.carried[entity] = tuple(a for a, e in sorted(self.axes.attributes.items()) if e == entity and a in used)
        tables = []
        # Tables that supply values come first, so a table read only for its rows
        # is read only when no other table at its grain supplies them.
        def idle(t: m.TableInfo) -> bool:
            return not any(c in used for c in (*t.columns, *t.attributes))

        for t in sorted(self.model.tables.values(), key=idle):
            cols = tuple(c for c in t.columns if c in used)
            needs_rows = any(k in self.out.keys or k in used for k in t.keys) and not self.heads.get(t.grain)
            if not cols and not any(a in used for a in t.attributes) and not (needs_rows and t.grain == self.out.grain):
                continue
            t = replace(t, columns=cols)
            tables.append(t)
            merge = self.heads.get(t.grain)
            self.names.add(t.name)
            self.steps.append(Step(t.name, t.grain, self.key_columns(t.grain), "table",
                                   _table_comment(t), table=t, merge_into=merge))
            self.heads[t.grain] = t.name
            for c in cols:
                self.where[c] = t.name
                self.grain_of[c] = t.grain
        return tables

    # ------------------------------------------------------------ shared windows
    def share_lags(self, defs: list[m.Definition]) -> list[m.Definition]:
        """Earlier periods of table columns, for every definition at once: one step per
        grain computes them all in one window pass (one sort of the panel), and the
        definitions read them as plain columns. Chain indices of raw data are the
        common case this serves."""
        found: dict[m.Grain, dict[tuple[str, int], tuple[str, m.Expr]]] = {}
        mapping: dict[int, m.Expr] = {}
        for d in defs:
            for node in m.walk(d.expr):
                if (isinstance(node, m.Window) and node.kind == "lag" and isinstance(node.arg, m.Ref)
                        and node.arg.kind == "column" and node.grain == node.arg.grain and node.grain in self.heads):
                    at_grain = found.setdefault(node.grain, {})
                    key = (node.arg.name, node.offset)
                    if key not in at_grain:
                        base = f"{node.arg.name}_previous" if node.offset == 1 else f"{node.arg.name}_lag_{node.offset}"
                        at_grain[key] = (self.unique(base), node)
                    mapping[id(node)] = m.Ref(at_grain[key][0], node.grain, "let")
        for grain, lags in found.items():
            name = self.unique(f"{self.heads[grain]}_earlier_periods")
            also = tuple(lags.values())
            self.steps.append(Step(name, grain, self.key_columns(grain), "row",
                                   "earlier periods of table columns, in one window pass", None,
                                   self.heads[grain], (), also=also))
            self.heads[grain] = name
            for col, _ in also:
                self.where[col] = name
                self.grain_of[col] = grain
        return [replace(d, expr=_substitute(d.expr, mapping)) if mapping else d for d in defs]

    # ------------------------------------------------------------ shared reductions
    def share_reductions(self, defs: list[m.Definition]) -> list[m.Definition]:
        """Reductions inside row-wise definitions (a leader's maximum, a period mean)
        would each be a window over the panel. Those whose argument reads only table
        columns are computed together instead: one GROUP BY per grain they reduce to,
        joined back onto the rows once, as an expert writes it. Only at grains where
        no definition merges rows of its own, so each reduction sees the rows its
        window would have seen. A single reduction stays a window."""
        merging = {d.grain for d in defs if self.group_sites(d.expr, d.grain) is not None}
        sites: dict[tuple[m.Grain, m.Grain], list[tuple[m.Expr, m.Definition]]] = {}
        for d in defs:
            if d.grain in merging or d.grain not in self.heads:
                continue
            for node in m.walk(d.expr):
                if isinstance(node, (m.Reduce, m.At)) and node.arg.grain == d.grain and self.reads_tables(node.arg, d.grain):
                    sites.setdefault((d.grain, node.grain), []).append((node, d))
        found: dict[tuple[m.Grain, m.Grain], dict[m.Expr, tuple[str, m.Expr, int]]] = {}
        mapping: dict[int, m.Expr] = {}
        for key, nodes in sites.items():
            if len({node for node, _ in nodes}) < 2:
                continue  # one reduction: its window is as quick as a GROUP BY joined back (measured)
            group = found.setdefault(key, {})
            for node, d in nodes:
                if node not in group:
                    group[node] = (self.unique(self.lift_name(node, d.name)), node, d.line)
                mapping[id(node)] = m.Ref(group[node][0], d.grain, "let")
        for (fine, coarse), group in found.items():
            name = self.unique(f"reductions_by_{'_'.join(coarse.dims) or 'all'}")
            source = self.heads[fine]
            labels = ", ".join(getattr(node, "label", "") for _, node, _ in group.values())
            self.steps.append(Step(name, coarse, self.key_columns(coarse), "group",
                                   f"in one GROUP BY: {labels}", None, source,
                                   also=tuple((n, node) for n, node, _ in group.values())))
            for n, node, line in group.values():
                self.where[n] = name
                if isinstance(node, m.Reduce) and node.report:
                    self.tallies.append(self.tally(node, line, source, node.arg))
            # joined back onto the rows once, for every definition that reads them
            joined = self.unique(f"{source}_with_{name}")
            self.steps.append(Step(joined, fine, self.key_columns(fine), "row", f"{name} on every row", None, source,
                                   (Join(name, (*coarse.dims, *self.model.draw_keys)),),
                                   also=tuple((n, m.Ref(n, coarse, "let")) for n, _, _ in group.values())))
            self.heads[fine] = joined
            for n, _, _ in group.values():  # `where` keeps the GROUP BY: the join reads from it
                self.grain_of[n] = fine
        return [replace(d, expr=_substitute(d.expr, mapping)) if mapping else d for d in defs]

    def reads_tables(self, e: m.Expr, grain: m.Grain) -> bool:
        """True when e reads only columns the tables (and their earlier periods) give grain's rows."""
        return self.plain_at(e, grain) and all(r.kind in ("key", "attribute") or r.name in self.where for r in m.refs(e))

    # ------------------------------------------------------------ definitions
    def add(self, d: m.Definition) -> None:
        self.names.add(d.name)
        sites = self.group_sites(d.expr, d.grain)
        if sites is not None:
            self.group_step(d, sites)
        else:
            acc = _Pending()
            value = self.rowify(d.expr, d.grain, d.name, acc, d.line)
            self.row_step(d.name, d.grain, value, acc, f"spec line {d.line}: {d.text}")

    def group_sites(self, e: m.Expr, grain: m.Grain) -> list[m.Expr] | None:
        """The aggregates of a definition computable as one GROUP BY, or None."""
        sites: list[m.Expr] = []

        def walk(x: m.Expr) -> bool:
            if isinstance(x, (m.Reduce, m.At)) and x.grain == grain and x.arg.grain != grain:
                sites.append(x)
                return True
            if isinstance(x, m.Const):
                return True
            if isinstance(x, (m.Op, m.Classify)):
                return all(walk(c) for c in m.children(x))
            return False

        if not walk(e) or not sites or len({s.arg.grain for s in sites}) != 1:  # type: ignore[union-attr]
            return None
        return sites

    def plain_at(self, e: m.Expr, grain: m.Grain) -> bool:
        """True when e can be evaluated on the rows of grain's pipeline as they are."""
        if _has_window(e):
            return False
        for r in m.refs(e):
            if r.kind in ("key", "attribute"):
                if r.name not in self.key_columns(grain):
                    return False
            elif r.grain != grain:
                return False
        return True

    def lift(self, e: m.Expr, base: str, line: int, text: str) -> m.Ref:
        name = self.unique(_slug(base))
        d = m.Definition(name, e, e.grain, text, line)
        self.lifted[name] = d
        self.add(d)
        return m.Ref(name, e.grain, "let")

    def group_step(self, d: m.Definition, sites: list[m.Expr]) -> None:
        fine = sites[0].arg.grain  # type: ignore[union-attr]
        mapping: dict[int, m.Expr] = {}
        for s in sites:
            assert isinstance(s, (m.Reduce, m.At))
            arg = s.arg
            if fine not in self.heads or not self.plain_at(arg, fine):
                arg = self.lift(arg, f"{d.name}_{getattr(s, 'func', 'at')}_arg", d.line,
                                f"argument of {s.label} in {d.name}")
            mapping[id(s)] = replace(s, arg=arg)
        source = self.heads[fine]
        for s in sites:
            if isinstance(s, m.Reduce) and s.report:
                self.tallies.append(self.tally(s, d.line, source, mapping[id(s)].arg))  # type: ignore[union-attr]
        value = _substitute(d.expr, mapping)
        merge = self.heads.get(d.grain)
        self.steps.append(Step(d.name, d.grain, self.key_columns(d.grain), "group",
                               f"spec line {d.line}: {d.text}", value, source, (), merge))
        self.heads[d.grain] = d.name
        self.where[d.name] = d.name
        self.grain_of[d.name] = d.grain

    def rowify(self, e: m.Expr, grain: m.Grain, owner: str, acc: _Pending, line: int) -> m.Expr:
        """Rewrite e so that it evaluates on grain's rows: lift what cannot."""
        rec = lambda x: self.rowify(x, grain, owner, acc, line)  # noqa: E731
        if isinstance(e, m.Const):
            return e
        if isinstance(e, m.Ref):
            if e.kind in ("key", "attribute"):
                return e
            if e.grain != grain:
                src = self.where[e.name]
                acc.joins.setdefault(src, Join(src, (*self.grain_of[e.name].dims, *self.model.draw_keys)))
            return e
        if isinstance(e, (m.Op, m.Classify)):
            return replace(e, args=tuple(rec(a) for a in e.args)) if isinstance(e, m.Op) else replace(e, arg=rec(e.arg))
        inline = (e.arg.grain == grain) if isinstance(e, (m.Reduce, m.At)) else (e.grain == grain)
        if not inline:
            return rec(self.lift(e, self.lift_name(e, owner), line, f"{e.label} in {owner}"))  # type: ignore[union-attr]
        arg = e.arg
        if _has_window(arg):
            arg = self.lift(arg, f"{owner}_{getattr(e, 'func', None) or getattr(e, 'kind', 'at')}_arg", line,
                            f"argument of {e.label} in {owner}")  # type: ignore[union-attr]
        arg = rec(arg)
        if isinstance(e, m.Reduce) and e.report:
            acc.tallies.append(self.tally(e, line, "", arg))
        return replace(e, arg=arg)

    def lift_name(self, e: m.Expr, owner: str) -> str:
        arg = getattr(e, "arg", None)
        what = arg.name if isinstance(arg, m.Ref) else owner
        if isinstance(e, m.Reduce):
            return f"{e.func}_{what}_{e.mode}_{e.axis}" + (f"_{e.within[0]:g}_{e.within[1]:g}" if e.within else "")
        if isinstance(e, m.At):
            return f"{what}_at_{e.period:g}"
        if isinstance(e, m.Window):
            return f"{e.kind}_{what}"
        return what

    def row_step(self, name: str, grain: m.Grain, value: m.Expr, acc: _Pending, comment: str) -> None:
        source = self.heads.get(grain)
        join_list = tuple(acc.joins.values())
        # reductions inlined as windows count what they skip over this step's rows
        self.tallies.extend(replace(t, source=source or "", joins=join_list) for t in acc.tallies)
        self.steps.append(Step(name, grain, self.key_columns(grain), "row", comment, value, source, join_list))
        self.heads[grain] = name
        self.where[name] = name
        self.grain_of[name] = grain

    # ------------------------------------------------------------ driver
    def build(self) -> Plan:
        defs = self.order()
        tables = self.add_tables(defs)
        for d in self.share_reductions(self.share_lags(defs)):
            self.add(d)
        grain = self.out.grain
        source = self.heads.get(grain)
        if source is None:
            raise IdxError(Diagnostic(
                "error", f"output {self.out.name} by {', '.join(self.out.keys) or 'nothing'}: no data or definition "
                f"in it has the grain {grain}, so it has no rows", self.model.path))
        acc = _Pending()
        columns = []
        for col in self.out.columns:
            kind = "let" if col.source in self.where and col.source not in self.model.tables else "column"
            if col.source in self.key_columns(grain):
                kind = "key"
            ref = m.Ref(col.source, col.grain, kind)
            self.rowify(ref, grain, self.out.name, acc, self.out.line)
            columns.append(OutputColumn(col.alias, ref))
        tallies = tuple(self.rewind(t) for t in self.tallies)
        self.pool_groups()
        return Plan(self.out, _in_dependency_order(self.steps), source, tuple(acc.joins.values()), tuple(columns),
                    dict(self.where), tallies, tuple(tables))

    def pool_groups(self) -> None:
        """GROUP BYs onto one grain from the same rows (a chain of row steps keeps its
        rows) are one GROUP BY: the products of three chain indices across entities
        read the panel once. Each definition keeps its step, which takes its column
        from the pooled GROUP BY and merges it into its grain's rows where it did."""
        steps = {s.name: s for s in self.steps}
        position = {s.name: i for i, s in enumerate(self.steps)}
        pools: dict[tuple[m.Grain, str], list[Step]] = {}
        for s in self.steps:
            if s.kind == "group" and s.value is not None and s.source in steps:
                pools.setdefault((s.grain, _chain_root(steps, s.source)), []).append(s)
        for members in pools.values():
            latest = max((g.source for g in members), key=position.__getitem__)  # type: ignore[arg-type]
            read = upstream(steps, [latest])
            members = [g for g in members if g.name not in read]
            if len(members) < 2:
                continue
            grain = members[0].grain
            name = self.unique(f"reductions_by_{'_'.join(grain.dims) or 'all'}")
            labels = ", ".join(g.name for g in members)
            self.steps.append(Step(name, grain, members[0].keys, "group", f"in one GROUP BY: {labels}", None, latest,
                                   also=tuple((g.name, g.value) for g in members)))  # type: ignore[misc]
            for g in members:
                self.steps[position[g.name]] = replace(g, kind="merge", source=name)

    def rewind(self, t: Tally) -> Tally:
        """Row steps keep their source's rows, so a tally may count over the earliest
        step of its chain that already has what its argument reads: the tally query
        then computes nothing the count does not need. An argument that is never
        missing is not evaluated at all, so only the rows matter."""
        steps = {s.name: s for s in self.steps}
        needed = {r.name for r in m.refs(t.arg)}
        source = t.source
        while source in steps and steps[source].kind == "row" and steps[source].source:
            s = steps[source]
            if not t.never_missing and needed & {s.name, *(n for n, _ in s.also)}:
                break
            source = s.source  # type: ignore[assignment]
        return replace(t, source=source, joins=() if t.never_missing else t.joins)


@dataclass
class _Pending:
    """What rewriting one definition needs from its step: joins, and tallies to count."""

    joins: dict[str, Join] = field(default_factory=dict)
    tallies: list[Tally] = field(default_factory=list)


def _chain_root(steps: dict[str, Step], name: str) -> str:
    """The step a chain of row steps starts from: every step of the chain has its rows."""
    while steps[name].kind == "row" and steps[name].source in steps:
        name = steps[name].source  # type: ignore[assignment]
    return name


def upstream(steps: dict[str, Step], starts: list[str | None]) -> set[str]:
    """The steps that `starts` read, directly or through others, themselves included."""
    seen: set[str] = set()
    todo = [s for s in starts if s]
    while todo:
        n = todo.pop()
        if n in seen or n not in steps:
            continue
        seen.add(n)
        s = steps[n]
        todo += [x for x in (s.source, s.merge_into, *(j.source for j in s.joins)) if x]
    return seen


def _in_dependency_order(steps: list[Step]) -> tuple[Step, ...]:
    """The steps as CTEs: each after the steps it reads, otherwise in planning order."""
    by_name = {s.name: s for s in steps}
    done: dict[str, Step] = {}

    def visit(s: Step) -> None:
        if s.name in done:
            return
        for n in (s.source, s.merge_into, *(j.source for j in s.joins)):
            if n in by_name:
                visit(by_name[n])
        done[s.name] = s

    for s in steps:
        visit(s)
    return tuple(done.values())


def _substitute(e: m.Expr, mapping: dict[int, m.Expr]) -> m.Expr:
    """e with the nodes in `mapping` (by identity) replaced."""
    return m.transform(e, lambda node: mapping.get(id(node)))


def plan(model: m.Model, output: str) -> Plan:
    return Planner(model, model.outputs[output]).build()
