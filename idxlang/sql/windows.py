"""Named windows: a window a SELECT uses more than once is declared once, in its WINDOW
clause, under a name that says what it is (`per_year`, `per_region_along_year_to_date`),
so a reviewer reads `MAX("x") OVER "per_year"` instead of the same PARTITION BY
spelled out again and again."""

from __future__ import annotations

from collections import Counter

from sqlglot import exp

from ..names import reserve
from .trees import ident


def _spec_key(w: exp.Window) -> tuple[object, ...]:
    """What makes two windows the same window (sqlglot compares trees by value)."""
    return (tuple(w.args.get("partition_by") or ()), w.args.get("order"), w.args.get("spec"))


def _frame(spec: exp.WindowSpec | None) -> str:
    if spec is None:
        return ""
    start, end = spec.args.get("start"), spec.args.get("end")
    start_side, end_side = spec.args.get("start_side"), spec.args.get("end_side")
    if start == "UNBOUNDED" and start_side == "PRECEDING":
        return "_to_date" if end == "CURRENT ROW" else "_whole" if end == "UNBOUNDED" else "_before"
    if end == "UNBOUNDED" and end_side == "FOLLOWING":
        return "_from_date" if start == "CURRENT ROW" else "_after"
    if isinstance(start, exp.Literal):
        return f"_back_{start.this}"
    return "_frame"


def _name(w: exp.Window) -> str:
    part = [c.name for c in w.args.get("partition_by") or []]
    name = "per_" + "_".join(part) if part else "over_all"
    order = w.args.get("order")
    if order is not None:
        cols = [o.this.name if isinstance(o.this, exp.Column) else "value" for o in order.expressions]
        desc = any(o.args.get("desc") for o in order.expressions)
        name += "_along_" + "_".join(cols) + ("_desc" if desc else "")
    return name + _frame(w.args.get("spec"))


def name_windows(query: exp.Select, found: list[exp.Window]) -> exp.Select:
    """query with every window spec used twice or more (of the windows `found` in it)
    declared once by name."""
    if len(found) < 2:
        return query
    counts = Counter(_spec_key(w) for w in found)
    names: dict[tuple[object, ...], str] = {}  # a window's spec (_spec_key) -> its name
    taken: set[str] = set()
    declared: list[exp.Window] = []
    for w in found:
        key = _spec_key(w)
        if counts[key] < 2:
            continue
        if key not in names:
            name = names[key] = reserve(_name(w), taken)
            declared.append(exp.Window(this=ident(name), partition_by=w.args.get("partition_by"),
                                       order=w.args.get("order"), spec=w.args.get("spec")))
        w.set("partition_by", None)
        w.set("order", None)
        w.set("spec", None)
        w.set("alias", ident(names[key]))
        w.set("over", "OVER")
    if declared:
        query.set("windows", declared)
    return query
