"""The rows of an output (docs/reference.md, "Rows").

- T_O, the tables an output reads: those with a numeric column used anywhere in its
  definitions (its columns, the lets they reach, user-function bodies included); when
  none has the output's grain, the first table in spec order that has it is added.
  Attributes never add a table.
- R_O(G), the rows of grain G: the keys of the tables of T_O whose grain is G, and the
  projections onto G of R_O(F) for every reduction (result grain G, argument grain F)
  "computed at its own grain": reached in a context whose grain is not F. The context
  is a definition's grain at its top (every let and computed output column is a
  definition; a let is visited as its own definition), F inside a reduction's
  argument, the call's grain inside a window, and unchanged elsewhere. The scalar
  grain always has its one row (the empty key), as a total over no rows is one value.
"""

from __future__ import annotations

from typing import Callable

from ..semantics import model as m
from .keys import Dims, Key, Projector, dims
from .kinds import is_reduction, is_window, reduced
from .panel import Panel


class OutputRows:
    def __init__(self, model: m.Model, output: m.Output, panel: Panel, projector: Projector,
                 definition: Callable[[str], m.Expr | None]) -> None:
        self.model, self.output, self.panel, self.projector = model, output, panel, projector
        self.definition = definition  # a let's or output column's (inlined) expression, by name
        self.read: set[str] = set()  # the tables with a numeric column used
        self.own: set[tuple[Dims, Dims]] = set()  # (F, G) of every reduction computed at its own grain
        self._visited: set[tuple[int, Dims]] = set()
        self._keep: list[m.Expr] = []  # the nodes visited, alive while their ids are remembered
        self._lets: set[str] = set()
        for column in output.columns:
            self._column(column)
        self.tables = self._tables()
        self._rows: dict[Dims, frozenset[Key]] = {}

    # ------------------------------------------------------------ what the output reads
    def _column(self, column: m.OutputColumn) -> None:
        if self.definition(column.source) is not None:
            self._let(column.source)
        elif column.source in self.panel.table_of:
            self.read.add(self.panel.table_of[column.source])

    def _let(self, name: str) -> None:
        if name in self._lets:
            return
        self._lets.add(name)
        expr = self.definition(name)
        assert expr is not None, name
        self._visit(expr, dims(expr.grain))

    def _visit(self, e: m.Expr, context: Dims) -> None:
        seen = (id(e), context)
        if seen in self._visited:
            return
        self._visited.add(seen)
        self._keep.append(e)
        if isinstance(e, m.Ref):
            if e.kind is m.RefKind.COLUMN:
                self.read.add(self.panel.table_of[e.name])
            elif e.kind is m.RefKind.LET:
                self._let(e.name)
            return
        inner = context
        if is_reduction(e):
            fine = dims(reduced(e).grain)
            if fine != context:
                self.own.add((fine, dims(e.grain)))
            inner = fine
        elif is_window(e):
            inner = dims(e.grain)
        for child in m.children(e):
            self._visit(child, inner)

    def _tables(self) -> list[str]:
        grain = set(self.output.grain.dims)
        found = [t for t in self.model.tables if t in self.read]  # spec order
        if not any(set(self.model.tables[t].grain.dims) == grain for t in found):
            first = next((t for t, info in self.model.tables.items() if set(info.grain.dims) == grain), None)
            if first is not None:
                found.append(first)
        return found

    # ------------------------------------------------------------ the rows
    def rows(self, grain: m.Grain | Dims) -> frozenset[Key]:
        """R_O(G)."""
        g = dims(grain)
        found = self._rows.get(g)
        if found is None:
            keys: set[Key] = {()} if not g else set()  # the scalar grain has its one row, always
            for t in self.tables:
                if dims(self.model.tables[t].grain) == g:
                    keys.update(self.panel.rows(t))
            for fine, coarse in self.own:
                if coarse == g:
                    for k in self.rows(fine):
                        p = self.projector.project(k, fine, g)
                        if p is not None:
                            keys.add(p)
            found = self._rows[g] = frozenset(keys)
        return found
