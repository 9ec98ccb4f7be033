"""Model expressions as text in the spec's own notation: what `idxc debug` prints, and
what the SQL says beside a column the compiler made on its own."""

from __future__ import annotations

from . import model as m

_PRECEDENCE = {"coalesce": 1, "or": 2, "and": 3, "==": 5, "!=": 5, "<": 5, "<=": 5, ">": 5, ">=": 5,
               "+": 6, "-": 6, "*": 7, "/": 7, "^": 9}
_SYMBOL = {"coalesce": "??"}
_ACROSS = ("minmax", "zscore", "distance", "prank", "rank", "treat", "clip")  # their `over` is the axis resolved


def _number(v: float | int | str | None) -> str:
    if v is None:
        return "missing"
    if isinstance(v, str):
        return '"' + v.replace('"', '\\"') + '"'
    return f"{v:g}" if isinstance(v, float) else str(v)


def text(e: m.Expr, parent: int = 0) -> str:
    """e in idx notation, with parentheses only where precedence needs them."""
    return _TEXT[type(e)](e, parent)


_TEXT = {
    m.Const: lambda e, p: _number(e.value),
    m.Param: lambda e, p: e.name,
    m.Ref: lambda e, p: e.name,
    m.Placeholder: lambda e, p: f"#{e.index + 1}",
    m.Op: lambda e, p: _op(e, p),
    m.Call: lambda e, p: _call(e),
    m.Apply: lambda e, p: f"{e.func}({', '.join(text(a) for a in e.args)})",
    m.At: lambda e, p: f"{text(e.arg, 10)} at {e.period:g}",
    m.Reduce: lambda e, p: _reduce(e),
    m.Window: lambda e, p: _window(e),
    m.Classify: lambda e, p: f"classify({text(e.arg)}, {e.scale})",
    m.Treat: lambda e, p: f"treat({text(e.arg)}{'' if e.winmax == 5 else f', {e.winmax}'} over {e.axis})",
    m.Stack: lambda e, p: e.column,
    m.Pick: lambda e, p: f"{e.axis.removesuffix('_input')}({e.slot})",
}


def _op(e: m.Op, parent: int) -> str:
    if e.op in _PRECEDENCE:
        p = _PRECEDENCE[e.op]
        out = f"{text(e.args[0], p)} {_SYMBOL.get(e.op, e.op)} {text(e.args[1], p + 1)}"
        return f"({out})" if p < parent else out
    if e.op == "neg":
        return f"-{text(e.args[0], 8)}"
    if e.op == "not":
        return f"not {text(e.args[0], 4)}"
    if e.op == "if":
        out = f"if {text(e.args[0])} then {text(e.args[1])} else {text(e.args[2])}"
        return f"({out})" if parent else out
    return f"{e.op}({', '.join(text(a) for a in e.args)})"


def _call(e: m.Call) -> str:
    weights: tuple[m.Expr | None, ...] = e.weights or (None,) * len(e.args)
    args = [text(a) + (f": {text(w)}" if w is not None and not (isinstance(w, m.Const) and w.value == 1) else "")
            for a, w in zip(e.args, weights)]
    c = e.clauses
    clauses = [f"over {c.over}" if c.over and e.func not in _ACROSS else "",
               f"by {c.by}" if c.by else "", f"in {c.within[0]:g}..{c.within[1]:g}" if c.within else "",
               ("desc" if c.descending else "asc") if c.descending is not None else "",
               f"ties {c.ties}" if c.ties and c.ties != "min" else "", "direction -1" if c.direction == -1 else "",
               f"present {c.present:g}" if c.present is not None else "", f"power {c.power:g}" if c.power else "",
               "unclipped" if c.unclipped else "", f"where {text(c.where)}" if c.where is not None else ""]
    if e.axis and e.func in _ACROSS:
        clauses.append(f"over {e.axis}")
    return f"{e.func}({' '.join([', '.join(args), *(x for x in clauses if x)])})"


def _reduce(e: m.Reduce) -> str:
    extra = f", {e.param:g}" if e.param is not None else ""
    within = f" in {e.within[0]:g}..{e.within[1]:g}" if e.within else ""
    func = "count" if e.func == "cells" else e.func  # the compiler's own count reads as one
    return f"{func}({text(e.arg)}{extra} {e.mode.value} {e.axis}{within})"


def _window(e: m.Window) -> str:
    if e.kind == "lag":
        return f"lag({text(e.arg)}{'' if e.offset == 1 else f', {e.offset}'})"
    if e.kind == "rank":
        group = f" by {e.group}" if e.group else ""
        ties = f" ties {e.ties}" if e.ties != "min" else ""
        return f"rank({text(e.arg)} {'desc' if e.descending else 'asc'}{ties} over {e.axis}{group})"
    if e.kind in ("cumprod", "cumsum"):
        return f"{e.kind}({text(e.arg)} over {e.axis})"
    return f"{e.kind}({text(e.arg)})"
