"""`idxc decompose SPEC ENTITY`: one entity's results taken back to the data (the
Handbook's "back to the details"). Every definition an output's columns are built from,
with its value for the entity in each period, and for an arithmetic mean (weighted or
not) or a sum of components, what each component contributes: w·x / Σw over the
components present (x itself for a sum), so that the contributions add up to the value.

The values are computed by the spec itself: the output is run beside one more output,
written as syntax and checked like any other, whose columns are those definitions and
components at the output's grain. Nothing is recomputed in Python.
"""

from __future__ import annotations

import math

from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from .. import ast
from ..semantics import model as m
from ..compile import check
from ..diagnostics import Diagnostic, IdxError, did_you_mean

if TYPE_CHECKING:
    from ..api import Spec

PARTS = "idx_decomposition"
# the aggregates of components whose value is shared out among them: a mean's w·x / Σw and
# a sum's x add up to it; a geometric mean's terms w·ln x / Σw add up to its logarithm. A
# harmonic mean (or any other) shows its components without shares.
COMBINED = ("mean", "sum", "geomean", "hmean", "genmean")
SHARED = ("mean", "sum", "geomean")


@dataclass(frozen=True)
class Part:
    """A definition or a component of one, with the column that holds its value."""

    text: str
    column: str
    line: int | None = None
    doc: str | None = None
    weight: str | None = None  # the column (or number) holding its weight in a mean
    parts: tuple["Part", ...] = ()
    combine: str | None = None  # how its parts make it (COMBINED); None: it merely uses them
    rounded: bool = False  # its value is rounded after its parts are combined

    @property
    def name(self) -> str:
        """Its definition's name (`text` may read `alias = name`)."""
        return self.text.split(" = ")[0]


@dataclass
class Decomposition:
    output: str
    entity_axis: str
    entity: str
    keys: tuple[str, ...]
    columns: list[str]  # the output's own columns
    rows: list[dict[str, object]]  # per period: the output's row and every part's value
    tree: list[Part] = field(default_factory=list)


@dataclass(frozen=True)
class Extended:
    """The spec with the output of parts added, and the tree of parts of `output`'s columns."""

    spec: "Spec"
    output: m.Output
    entity_axis: str
    tree: list[Part]

    def joined(self, tables: dict) -> list[dict[str, object]]:
        """The output's rows, each with its parts' values beside its own columns."""
        keys = self.output.keys
        by_key = {tuple(str(r[k]) for k in keys): r for r in tables[PARTS].to_pylist()}
        return [{**row, **by_key.get(tuple(str(row[k]) for k in keys), {})} for row in tables[self.output.name].to_pylist()]


def extend(spec: "Spec", output: str | None = None) -> Extended:
    """`spec` with one more output whose columns are the parts of `output`'s columns."""
    out = spec.model.outputs[spec.output(output)]
    axis = next((k for k in out.keys if k in spec.model.axes.entities), None)
    if axis is None:
        raise IdxError(Diagnostic("error", f"output {out.name} is by {', '.join(out.keys) or 'nothing'}: no entity to "
                                  "decompose", hint="name an output by an entity axis with --output"))
    assert spec.module is not None
    builder = _Builder(spec.model, spec.module, out)
    tree = [builder.part(c.source, c.alias) for c in out.columns if (d := spec.model.lookup(c.source, out.name))
            and m.covers(spec.model.axes, out.grain, d.grain)]
    module = replace(spec.module, statements=(*spec.module.statements, builder.statement()))
    from ..api import Spec as _Spec

    return Extended(_Spec(check(module, spec.params), module, spec.params), out, axis, tree)


def decompose(spec: "Spec", entity: str, output: str | None = None, data: dict[str, str] | list[str] | None = None,
              period: str | None = None) -> Decomposition:
    ext = extend(spec, output)
    out = ext.output
    result = ext.spec.run(data, [out.name, PARTS])
    rows = _rows(ext.joined(result.tables), out.keys, ext.entity_axis, entity, period)
    return Decomposition(out.name, ext.entity_axis, entity, out.keys, [c.alias for c in out.columns], rows, ext.tree)


class _Builder:
    """The extra output's columns: each definition once, each component of a mean or sum."""

    def __init__(self, model: m.Model, module: ast.Module, out: m.Output) -> None:
        self.model, self.out = model, out
        self.lets = {st.name: st for st in module.statements if isinstance(st, ast.Let)}
        self.items: list[ast.OutputItem] = []
        self.made: dict[str, Part] = {}

    def column(self, value: ast.Expr) -> str:
        name = f"part_{len(self.items)}"
        self.items.append(ast.OutputItem(value, ast.Name(name)))
        return name

    def part(self, name: str, alias: str | None = None) -> Part:
        """A definition of the model, with its components when it is a mean or a sum of them."""
        if name in self.made:
            return self.made[name]
        d = self.model.lookup(name, self.out.name)
        assert d is not None
        own = name not in self.model.definitions  # an output's own column: its value is in the output
        column = alias if own and alias else self.column(ast.Name(name))
        body = ast.unrounded(self.lets[name].value) if name in self.lets else None
        combine = None
        if isinstance(body, ast.Call) and body.func in COMBINED and not (body.over or body.by):
            combine = body.func
            parts = tuple(self.component(a) for a in body.args)
        else:  # the definitions and data it uses, at a grain the output shows
            used = {r.name: r for r in m.refs(d.expr) if m.covers(self.model.axes, self.out.grain, r.grain)}
            parts = tuple(self.part(n) if n in self.model.definitions else self.data(r) for n, r in used.items()
                          if n in self.model.definitions or r.kind is m.RefKind.COLUMN)
        rounded = name in self.lets and body is not self.lets[name].value
        made = Part(name if alias in (None, name) else f"{alias} = {name}", column, d.line, d.doc, parts=parts, combine=combine,
                    rounded=rounded)
        self.made[name] = made
        return made

    def data(self, ref: m.Ref) -> Part:
        """A column of an input table, as the file gives it."""
        if ref.name not in self.made:
            doc = next((t.docs.get(ref.name) for t in self.model.tables.values() if ref.name in t.columns), None)
            self.made[ref.name] = Part(ref.name, self.column(ast.Name(ref.name)), doc=doc)
        return self.made[ref.name]

    def component(self, arg: ast.Arg) -> Part:
        weight = None
        if arg.weight is not None:
            weight = self.column(arg.weight)
        if isinstance(arg.value, ast.Name) and arg.value.id in self.model.definitions:
            return replace(self.part(arg.value.id), weight=weight)
        return Part(ast.unparse(arg.value), self.column(arg.value), weight=weight)

    def statement(self) -> ast.Output:
        keys = tuple(ast.Name(k) for k in self.out.keys)
        return ast.Output(PARTS, keys, tuple(self.items))


def _rows(joined: list[dict], keys: tuple[str, ...], axis: str, entity: str,
          period: str | None) -> list[dict[str, object]]:
    """The entity's rows (each period's, or the one asked for), the output's columns and
    the parts side by side."""
    known = sorted({str(r[axis]) for r in joined})
    if entity not in known:
        raise IdxError(Diagnostic("error", f"no {axis} '{entity}' in the output", hint=did_you_mean(entity, known)
                                  or f"{len(known)} {axis} values, e.g. {', '.join(known[:5])}"))
    found = []
    for row in joined:
        if str(row[axis]) != entity:
            continue
        if period is not None and not any(str(row[k]) == period for k in keys if k != axis):
            continue
        found.append(row)
    if not found:
        raise IdxError(Diagnostic("error", f"{axis} '{entity}' has no row for period {period}"))
    return found


def contributions(part: Part, row: dict[str, object]) -> list[float | None]:
    """Each component's share of the value, over the components present (missing where
    the component is): w·x / Σw for a mean, x for a sum; for a geometric mean G the terms
    of its logarithm, w·ln x / Σw, which add up to ln G (missing where a value is not
    positive: it has no logarithm, and G is missing); none for any other."""
    if part.combine not in SHARED:
        return []
    values = [row.get(p.column) for p in part.parts]
    weights = [1.0 if p.weight is None else row.get(p.weight) for p in part.parts]
    present = [(float(v), float(w)) for v, w in zip(values, weights)
               if isinstance(v, (int, float)) and isinstance(w, (int, float))]
    total = sum(w for _, w in present)
    out: list[float | None] = []
    for v, w in zip(values, weights):
        if not (isinstance(v, (int, float)) and isinstance(w, (int, float))):
            out.append(None)
        elif part.combine == "sum":
            out.append(float(v))
        elif part.combine == "mean":
            out.append(float(w) * float(v) / total if total else None)
        elif float(v) > 0 and total:  # geomean: a term of ln G
            out.append(float(w) * math.log(float(v)) / total)
        else:
            out.append(None)
    return out


def render(d: Decomposition, spec_path: str) -> str:
    """The decomposition as text: per period, the output's columns, then each column's
    tree of parts with values and contributions."""
    name = Path(spec_path).name
    lines = []
    for row in d.rows:
        period = ", ".join(f"{k} {row[k]}" for k in d.keys if k != d.entity_axis)
        lines.append(f"{d.entity_axis} {d.entity}" + (f", {period}" if period else "") + f"  (output {d.output})")
        lines.append("  " + "  ".join(f"{c} = {_shown(row.get(c))}" for c in d.columns))
        seen: set[str] = set()
        for i, part in enumerate(d.tree):
            _render(part, row, "  ", i == len(d.tree) - 1, None, lines, name, seen)
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


def _render(part: Part, row: dict[str, object], prefix: str, last: bool, share: float | None, lines: list[str],
            spec: str, seen: set[str]) -> None:
    branch, below = ("└─ ", "   ") if last else ("├─ ", "│  ")
    tail = f"  contributes {_shown(share)}" if share is not None or part.weight is not None else ""
    where = f"  ({spec}:{part.line})" if part.line else ""
    again = part.column in seen and part.parts
    lines.append(f"{prefix}{branch}{part.text} = {_shown(row.get(part.column))}{tail}{where}" + ("  (parts above)" if again else ""))
    if again:
        return
    seen.add(part.column)
    shares = contributions(part, row) if part.parts else []
    if shares and part.combine == "geomean":
        logs = [x for x in shares if x is not None]
        lines.append(f"{prefix}{below}  (a geometric mean: each component contributes w·ln x / Σw to ln "
                     f"{part.name} = {_shown(sum(logs) if len(logs) == len(shares) else None)})")
    elif shares and part.rounded:
        lines.append(f"{prefix}{below}  (rounded from {_shown(sum(s for s in shares if s is not None))}, the sum of its "
                     "contributions)")
    for i, child in enumerate(part.parts):
        child_share = shares[i] if shares else None
        _render(child, row, prefix + below, i == len(part.parts) - 1, child_share, lines, spec, seen)


def _shown(v: object) -> str:
    if v is None:
        return "missing"
    if isinstance(v, float):
        return f"{v:.6g}"
    return str(v)


__all__ = ["PARTS", "Decomposition", "Extended", "Part", "contributions", "decompose", "extend", "render"]
