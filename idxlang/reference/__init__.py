"""A reference interpreter for the checked model: each output's rows and values
computed directly in plain Python from docs/language.md and the rules of
docs/reference.md, independent of the compiler's lowering and SQL. It is the oracle
the compiler is tested against, on panels of a few hundred rows.

    from idxlang.reference import evaluate, Frame, load_tables
    spec = idxlang.load("spec.idx")
    frames = evaluate(spec.model, load_tables(spec.model, {}))
"""

from __future__ import annotations

from typing import Mapping, Sequence

from ..semantics import model as m
from .files import load_tables
from .frame import Frame
from .inline import Inliner
from .keys import Projector, dims
from .panel import DataError, Panel
from .values import Evaluator


def evaluate(model: m.Model, tables: Mapping[str, Sequence[Mapping[str, object]]],
             outputs: Sequence[str] | None = None) -> dict[str, Frame]:
    """Every output (or those named), one Frame each: the output's keys then its columns,
    one row per key of R_O(Output.grain), sorted by the keys."""
    panel = Panel(model, tables)
    projector = Projector(model.axes.attributes, panel.attribute)
    inline = Inliner()
    names = list(outputs) if outputs is not None else list(model.outputs)
    unknown = [n for n in names if n not in model.outputs]
    if unknown:
        raise KeyError(f"no output {', '.join(unknown)}; outputs: {', '.join(model.outputs)}")
    inlined: dict[tuple[str, str], m.Expr | None] = {}

    frames: dict[str, Frame] = {}
    for name in names:
        output = model.outputs[name]

        def definition(let: str, output: str = name) -> m.Expr | None:
            if (output, let) not in inlined:
                found = model.lookup(let, output)
                inlined[(output, let)] = None if found is None else inline(found.expr)
            return inlined[(output, let)]

        frames[name] = _frame(model, output, Evaluator(model, output, panel, projector, definition))
    return frames


def _column_expr(model: m.Model, output: m.Output, column: m.OutputColumn) -> m.Expr:
    """What an output column shows, as an expression of its grain."""
    if model.lookup(column.source, output.name) is not None:
        kind = m.RefKind.LET
    elif column.source in model.axes.attributes:
        kind = m.RefKind.ATTRIBUTE
    elif any(column.source in t.columns for t in model.tables.values()):
        kind = m.RefKind.COLUMN
    else:
        kind = m.RefKind.KEY
    return m.Ref(column.source, column.grain, kind)


def _cell(v: object) -> object:
    """Numbers as floats; text, booleans and missing (None) as they are."""
    if isinstance(v, int) and not isinstance(v, bool):
        return float(v)
    return v


def _frame(model: m.Model, output: m.Output, ev: Evaluator) -> Frame:
    g = dims(output.grain)
    where = [g.index(k) for k in output.keys]
    exprs = [_column_expr(model, output, c) for c in output.columns]
    rows = []
    for key in ev.rows.rows(g):
        shown = tuple(key[i] for i in where)
        rows.append((shown, tuple(_cell(ev.inner(e, key, g)) for e in exprs)))
    rows.sort(key=lambda r: r[0])
    return Frame(tuple(output.keys) + tuple(c.alias for c in output.columns),
                 tuple(shown + values for shown, values in rows))


__all__ = ["evaluate", "Frame", "load_tables", "DataError"]
