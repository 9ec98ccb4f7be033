"""The indicator framework of a spec, as the methodology's readers draw it: the index at
the top, then its sub-indices, pillars and indicators, down to the data, each with its
weight where it is averaged and marked where a higher value is worse.

Drawn from the spec's own statements (its lets and defs, as written), so that the
picture is the methodology and not a copy of it: a row-wise mean, sum, product or
geometric mean is a node whose children are its components (with their weights as
written, and a param's value beside its name); any other formula is a node whose
children are the definitions and data columns it uses.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .. import ast
from ..semantics import model as m

COMBINES = {"mean": "mean", "sum": "sum", "product": "product", "geomean": "geomean", "hmean": "hmean",
            "genmean": "genmean"}  # how a node's children make it, as the report names it


@dataclass(frozen=True)
class Node:
    text: str  # a definition's or a column's name, or a formula as written
    doc: str | None = None
    weight: str | None = None  # its weight in its parent's mean, as written (`w_activity = 0.5`)
    worse: bool = False  # normalised with `direction -1`: a higher value counts against
    how: str | None = None  # how its children make it (COMBINES); None: a formula of them
    children: tuple["Node", ...] = field(default=())
    data: bool = False  # a column of an input table
    formula: str | None = None  # a definition's formula, where it does not combine its children


def framework(model: m.Model, module: ast.Module, root: str) -> Node | None:
    """The tree under the definition `root` (None when it is not a let of the spec)."""
    lets = {st.name: st for st in module.statements if isinstance(st, ast.Let)}
    defs = {st.name: st for st in module.statements if isinstance(st, ast.Def)}
    if root not in lets:
        return None
    return _Builder(model, lets, defs).let(root, set())


class _Builder:
    def __init__(self, model: m.Model, lets: dict[str, ast.Let], defs: dict[str, ast.Def]) -> None:
        self.model, self.lets, self.defs = model, lets, defs
        self.docs = {c: t.docs[c] for t in model.tables.values() for c in t.docs}

    def let(self, name: str, above: set[str], weight: str | None = None) -> Node:
        st = self.lets[name]
        value = ast.unrounded(st.value)
        node = self.formula(value, above | {name})
        return Node(name, st.doc, weight, self.worse(value), node.how, node.children,
                    formula=None if node.how else ast.unparse(st.value))

    def formula(self, e: ast.Expr, above: set[str]) -> Node:
        """A formula's children: its components when it combines them row-wise, else the
        names it uses."""
        if isinstance(e, ast.Call) and e.func in COMBINES and len(e.args) > 1 and not (e.over or e.by):
            kids = tuple(self.child(a.value, above, self.weight(a.weight)) for a in e.args)
            return Node(ast.unparse(e), how=COMBINES[e.func], children=kids)
        return Node(ast.unparse(e), children=tuple(self.child(ast.Name(n), above) for n in self.names(e)))

    def child(self, e: ast.Expr, above: set[str], weight: str | None = None) -> Node:
        if isinstance(e, ast.Name) and e.id in self.lets and e.id not in above:
            return self.let(e.id, above, weight)
        if isinstance(e, ast.Name):
            return Node(e.id, self.docs.get(e.id), weight, data=e.id not in self.lets)
        inner = self.formula(ast.unrounded(e), above)
        return Node(ast.unparse(e), None, weight, self.worse(e), inner.how, inner.children)

    def names(self, e: ast.Expr) -> list[str]:
        """The lets and columns a formula uses, in the order written (a def's parameters
        replaced by what it is applied to; params and axes left out)."""
        found: list[str] = []

        def walk(x: ast.Expr) -> None:
            if isinstance(x, ast.Name):
                if x.id not in self.model.params and x.id not in self.model.axes.entities \
                        and x.id not in self.model.axes.times and x.id not in found:
                    found.append(x.id)
            for c in _children(x):
                walk(c)

        walk(e)
        return found

    def weight(self, w: ast.Expr | None) -> str | None:
        if w is None:
            return None
        text = ast.unparse(w)
        if isinstance(w, ast.Name) and w.id in self.model.params:
            return f"{text} = {_number(self.model.params[w.id].value)}"
        return text

    def worse(self, e: ast.Expr) -> bool:
        """A normaliser with `direction -1` in the formula, or in a def it applies."""
        def walk(x: ast.Expr, seen: frozenset[str]) -> bool:
            if isinstance(x, ast.Call):
                if x.polarity is not None and float(x.polarity.value) < 0:
                    return True
                d = self.defs.get(x.func)
                if d is not None and x.func not in seen and walk(d.body, seen | {x.func}):
                    return True
            return any(walk(c, seen) for c in _children(x))

        return walk(e, frozenset())


def _children(x: ast.Expr) -> list[ast.Expr]:
    if isinstance(x, ast.Unary):
        return [x.operand]
    if isinstance(x, ast.Binary):
        return [x.left, x.right]
    if isinstance(x, ast.If):
        return [x.cond, x.then, x.orelse]
    if isinstance(x, ast.At):
        return [x.value]
    if isinstance(x, ast.Call):
        return [a.value for a in x.args] + [a.weight for a in x.args if a.weight is not None] + \
            ([x.where] if x.where is not None else [])
    return []


def _number(v: object) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() else str(v)


__all__ = ["Node", "framework"]
