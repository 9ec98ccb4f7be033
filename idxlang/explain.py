"""`idxc explain SPEC`: the methodology as a reviewer reads it, each output's columns as
a tree of what they are computed from, down to the data, with grain, formula, doc string
and spec line; a definition met again is shown once and referred to after."""

from __future__ import annotations

from pathlib import Path

from . import model as m


def explain(model: m.Model) -> str:
    spec = Path(model.path).name
    lines = [f"{model.name}" + (f": {model.title}" if model.title else "")]
    shown: set[str] = set()
    for out in model.outputs.values():
        keys = ", ".join(out.keys) or "nothing"
        lines.append(f"\noutput {out.name} by {keys}  ({spec}:{out.line})")
        for i, c in enumerate(out.columns):
            _column(model, out, c.source, c.alias, "", i == len(out.columns) - 1, shown, lines)
    return "\n".join(lines)


def _column(model: m.Model, out: m.Output, name: str, alias: str, prefix: str, last: bool, shown: set[str],
            lines: list[str]) -> None:
    branch, below = ("└─ ", "   ") if last else ("├─ ", "│  ")
    shown_as = name if alias == name else f"{alias} = {name}"
    d = model.lookup(name, out.name)
    if d is None:
        lines.append(f"{prefix}{branch}{shown_as}  {_data(model, name)}")
        return
    spec = Path(model.path).name
    key = name if name in model.definitions else f"{out.name}.{name}"  # an output's own column is its own
    if key in shown:
        lines.append(f"{prefix}{branch}{shown_as}  {d.grain}  (see above, {spec}:{d.line})")
        return
    shown.add(key)
    lines.append(f"{prefix}{branch}{shown_as}  {d.grain}  {spec}:{d.line}")
    lines.append(f"{prefix}{below}  {d.text}")
    if d.doc:
        lines.append(f"{prefix}{below}  \"{d.doc}\"")
    parts = list(dict.fromkeys(r.name for r in m.refs(d.expr)))
    params = list(dict.fromkeys(n.name for n in m.walk(d.expr) if isinstance(n, m.Param)))
    for i, p in enumerate(params):
        info = model.params[p]
        tail = f"  \"{info.doc}\"" if info.doc else ""
        lines.append(f"{prefix}{below}{'└─ ' if i == len(params) - 1 and not parts else '├─ '}"
                     f"param {p} = {info.value:g}  {spec}:{info.line}{tail}")
    for i, r in enumerate(parts):
        _column(model, out, r, r, prefix + below, i == len(parts) - 1, shown, lines)


def _data(model: m.Model, name: str) -> str:
    """What a name that is not a definition is: a table column, an attribute or a key."""
    for t in model.tables.values():
        if name in t.columns or name in t.attributes:
            kind = "attribute" if name in t.attributes else "column"
            doc = t.docs.get(name)
            return f"{kind} of table {t.name}" + (f"  \"{doc}\"" if doc else "")
    return "key"
