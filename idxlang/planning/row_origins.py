"""Where an output's rows come from, grain by grain.

An output's rows at a grain are those of the tables it reads at that grain (full-joined
on their keys) and of the reductions it groups onto that grain (`sum(x by district)`),
merged in, all of them before any column is computed there. A table is read for the
columns the output uses, and one that only supplies rows (the output's grain, no
column read there) only when no other table at its grain supplies them. Attributes
never bring a table or a row: they are looked up by their entity. Two outputs whose rows at a grain come from the same tables and
the same reductions share that grain's steps in a run; otherwise each has its own.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from ..semantics import model as m

def closure(model: m.Model, output: str) -> list[m.Definition]:
    """The definitions an output needs, each after those it reads (depth first, in the
    order its columns name them)."""
    out = model.outputs[output]
    done: dict[str, m.Definition] = {}
    seen: set[str] = set()

    def visit(name: str) -> None:
        d = model.lookup(name, output)
        if d is None or name in seen:
            return
        seen.add(name)
        for r in m.refs(d.expr):
            if r.kind is m.RefKind.LET:
                visit(r.name)
        done[name] = d

    for c in out.columns:
        visit(c.source)
    return list(done.values())


def group_sites(e: m.Expr, grain: m.Grain) -> list[m.Reduce | m.At] | None:
    """The aggregates of a definition computable as one GROUP BY onto its grain, or None."""
    sites: list[m.Reduce | m.At] = []

    def walk(x: m.Expr) -> bool:
        if isinstance(x, (m.Reduce, m.At)) and x.grain == grain and x.arg.grain != grain:
            sites.append(x)
            return True
        if isinstance(x, (m.Const, m.Param)):
            return True
        if isinstance(x, (m.Op, m.Classify)):
            return all(walk(c) for c in m.children(x))
        return False

    if not walk(e) or not sites or len({s.arg.grain for s in sites}) != 1:
        return None
    return sites


# a reduction bringing rows: it, the definition it is in, whether it is all of it, the grain it reduces
Site = tuple[m.Expr, m.Definition, bool, m.Grain]


def merges(defs: list[m.Definition]) -> dict[m.Grain, tuple[Site, ...]]:
    """The reductions that bring rows to each grain, in the order found: whole
    definitions computed as a GROUP BY, and reductions reached in a definition of
    another grain than their argument's (`sum(y over industry)` inside a region × year
    definition). A reduction used on its own argument's rows (`x / max(x over region)`)
    brings none: its value goes back to the rows it came from."""
    found: dict[m.Grain, dict[m.Expr, Site]] = {}
    seen: set[tuple[int, m.Grain]] = set()  # a stacked value, read by each application: once

    def visit(e: m.Expr, at: m.Grain, d: m.Definition) -> None:
        if (id(e), at) in seen:
            return
        seen.add((id(e), at))
        if isinstance(e, (m.Reduce, m.At)):
            if e.arg.grain != at:
                found.setdefault(e.grain, {}).setdefault(e, (e, d, False, e.arg.grain))
            visit(e.arg, e.arg.grain, d)
        elif isinstance(e, (m.Window, m.Treat)):  # computed on rows of its own grain
            visit(e.arg, e.grain, d)
        elif isinstance(e, m.Pick):
            visit(e.arg, e.arg.grain, d)
        else:
            for c in m.children(e):
                visit(c, at, d)

    for d in defs:
        sites = group_sites(d.expr, d.grain)
        if sites is None:
            visit(d.expr, d.grain, d)
            continue
        found.setdefault(d.grain, {}).setdefault(d.expr, (d.expr, d, True, sites[0].arg.grain))
        for site in sites:
            visit(site.arg, site.arg.grain, d)
    return {g: tuple(s.values()) for g, s in found.items()}


@dataclass(frozen=True)
class Rows:
    """An output's row sources: the tables it reads, its attributes, and its merges."""

    tables: tuple[m.TableInfo, ...]  # with only the columns it reads
    carried: frozenset[str]  # attributes its rows must carry
    merged: dict[m.Grain, tuple[Site, ...]]

    def key(self, grain: m.Grain) -> tuple:
        """What the grain's rows are made of: its tables, and each reduction merged in
        with what makes the rows it reduces (two outputs merging the same reduction of
        different rows have different rows)."""
        names = tuple(sorted(t.name for t in self.tables if t.grain == grain))
        return (grain, names, frozenset((e, self.key(fine)) for e, _, _, fine in self.merged.get(grain, ())))


def rows(model: m.Model, output: str, defs: list[m.Definition]) -> Rows:
    out = model.outputs[output]
    used: set[str] = set(out.keys) | {c.source for c in out.columns}
    for d in defs:
        used.update(r.name for r in m.refs(d.expr) if r.kind is not m.RefKind.LET)
        used |= m.grouped_by(d.expr)
    carried = frozenset(a for a in model.axes.attributes if a in used)
    tables: list[m.TableInfo] = []
    have: set[m.Grain] = set()

    def idle(t: m.TableInfo) -> bool:
        return not any(c in used for c in t.columns)

    for t in sorted(model.tables.values(), key=idle):  # an attribute brings no table: it is looked up by its entity
        cols = tuple(c for c in t.columns if c in used)
        for_rows = t.grain == out.grain and t.grain not in have
        if not cols and not for_rows:
            continue
        tables.append(replace(t, columns=cols))
        have.add(t.grain)
    return Rows(tuple(tables), carried, merges(defs))
