"""A spec's formulas as mathematics (MathML Core), for the report's methodology.

A reader of a methodology thinks in the paper's notation, not in the spec's: a weighted
mean is a fraction, a reduction over regions is a Σ under which the regions run, a
geometric mean is a root. MathML is what browsers draw natively (Chromium since 109,
Firefox, Safari) and what prints as text, so the page needs no script or font for it.
Built as an element tree, so that no name of the spec can break out of the markup.
Anything without a notation of its own reads as a function call, as the spec writes it.
"""

from __future__ import annotations

from typing import cast
from xml.etree import ElementTree as ET

from .. import ast

E = ET.Element
_OPS = {"+": "+", "-": "−", "*": "·", "==": "=", "!=": "≠", "<": "<", "<=": "≤", ">": ">", ">=": "≥",
        "and": "∧", "or": "∨", "??": "??"}
_LEVEL = {"or": 1, "and": 2, "??": 3, "==": 4, "!=": 4, "<": 4, "<=": 4, ">": 4, ">=": 4, "+": 5, "-": 5,
          "*": 6, "/": 6, "^": 8}
_UNARY = 7
_BIG = {"sum": "∑", "product": "∏"}  # reductions with a big operator of their own


def definition(name: str, value: ast.Expr, params: tuple[str, ...] = ()) -> str:
    """`name = value` (`name(params) = value` for a function) as a <math> element's text."""
    head = _name(name) if not params else _row(_name(name), _paren(_joined([_name(p) for p in params], ",")))
    math = E("math")  # inline: a block formula is centred, and the table's column reads from the left
    math.append(_row(head, _mo("="), expr(value)))
    return ET.tostring(math, encoding="unicode", short_empty_elements=False)


def expr(e: ast.Expr, parent: int = 0) -> ET.Element:
    if isinstance(e, ast.Number):
        return _leaf("mn", _number(e.value))
    if isinstance(e, ast.String):
        return _leaf("ms", e.value)
    if isinstance(e, ast.Name):
        return _name(e.id)
    if isinstance(e, ast.Label):
        return _leaf("mi", e.text)
    if isinstance(e, ast.Unary) and e.op.startswith("is "):
        node = _row(expr(e.operand, 5), _leaf("mtext", f"\u00a0{e.op}"))
        return _paren(node) if parent > 4 else node
    if isinstance(e, ast.Unary):
        node = _row(_mo("−" if e.op == "-" else "¬"), expr(e.operand, _UNARY))
        return _paren(node) if parent > _UNARY else node
    if isinstance(e, ast.Binary):
        return _binary(e, parent)
    if isinstance(e, ast.If):
        return _cases(e)
    if isinstance(e, ast.At):
        return _wrap("msub", _wrapped(e.value), _period(e.period))  # x at 2005: x₂₀₀₅
    if isinstance(e, ast.Call):
        return _call(e)
    return _leaf("mtext", ast.unparse(e))


def _binary(e: ast.Binary, parent: int) -> ET.Element:
    level = _LEVEL[e.op]
    if e.op == "/":  # a fraction needs no brackets around its parts
        node = E("mfrac")
        node.extend([expr(e.left), expr(e.right)])
    elif e.op == "^":
        node = E("msup")
        node.extend([_wrapped(e.left), expr(e.right)])
    else:  # left-associative: a right operand of the same level keeps its brackets
        node = _row(expr(e.left, level), _mo(_OPS[e.op]), expr(e.right, level + 1))
    return _paren(node) if parent > level else node


def _cases(e: ast.If) -> ET.Element:
    table = E("mtable", {"columnalign": "left"})
    for value, cond in ((e.then, _row(_leaf("mtext", "if\u00a0"), expr(e.cond))), (e.orelse, _leaf("mtext", "otherwise"))):
        tr = ET.SubElement(table, "mtr")
        ET.SubElement(tr, "mtd").append(expr(value))
        ET.SubElement(tr, "mtd").append(cond)
    return _row(_mo("{"), table)


def _call(e: ast.Call) -> ET.Element:
    args = [a.value for a in e.args]
    plain = not (e.over or e.by or e.within or e.direction or e.ties or e.polarity or e.present or e.power
                 or e.unclipped or e.where)
    if plain and e.func == "sqrt" and len(args) == 1:
        return _wrap("msqrt", expr(args[0]))
    if plain and e.func == "abs" and len(args) == 1:
        return _row(_mo("|"), expr(args[0]), _mo("|"))
    if plain and e.func == "exp" and len(args) == 1:
        return _wrap("msup", _leaf("mi", "e"), expr(args[0]))
    if plain and len(args) > 1 and e.func in ("mean", "sum", "product", "geomean"):
        return _row_wise(e)
    if (e.over or e.by) and len(args) == 1 and not (e.direction or e.ties or e.where or e.polarity):
        return _reduction(e, args[0])
    return _function(e)


def _row_wise(e: ast.Call) -> ET.Element:
    """mean(a: wa, b: wb) = (wa·a + wb·b) / (wa + wb); geomean(a, b, c) = ∛(a·b·c)."""
    weighted = any(a.weight is not None for a in e.args)
    weight = lambda a: a.weight if a.weight is not None else ast.Number(1)  # noqa: E731
    if e.func == "sum":
        return _joined([expr(a.value, 5) for a in e.args], "+")
    if e.func == "product":
        return _joined([expr(a.value, 6) for a in e.args], "·")
    if e.func == "mean":
        top = _joined([_row(expr(a.weight, 6), _mo("·"), expr(a.value, 6)) if a.weight is not None else expr(a.value, 5)
                       for a in e.args], "+")
        bottom = _joined([expr(weight(a), 5) for a in e.args], "+") if weighted else _leaf("mn", str(len(e.args)))
        return _wrap("mfrac", top, bottom)
    if not weighted:  # geomean
        return _wrap("mroot", _joined([expr(a.value, 6) for a in e.args], "·"), _leaf("mn", str(len(e.args))))
    powers = _joined([_wrap("msup", _wrapped(a.value), expr(weight(a))) for a in e.args], "·")
    share = _wrap("mfrac", _leaf("mn", "1"), _joined([expr(weight(a), 5) for a in e.args], "+"))
    return _wrap("msup", _paren(powers), share)


def _reduction(e: ast.Call, arg: ast.Expr) -> ET.Element:
    """A reduction over an axis (or by a group): its operator with the axis beneath."""
    under = [_name(e.over.id)] if e.over else [_leaf("mtext", "by\u00a0"), _name(cast(ast.Name, e.by).id)]  # over or by
    if e.within:
        under += [_leaf("mtext", "\u00a0in\u00a0"), _period(e.within.start), _mo(".."), _period(e.within.end)]
    op = _mo(_BIG[e.func]) if e.func in _BIG else _leaf("mi", e.func)
    head = _wrap("munder", op, _row(*under))
    return _row(head, expr(arg, 6) if e.func in _BIG else _paren(expr(arg)))


def _function(e: ast.Call) -> ET.Element:
    """f(args, clauses): as the spec writes it, each argument as mathematics, the clauses
    (over, by, direction, ties, where …) in the spec's words."""
    parts = [_row(expr(a.value), *([_mo(":"), expr(a.weight)] if a.weight is not None else [])) for a in e.args]
    inside = [_joined(parts, ",")] if parts else []
    if ast.clauses(e):
        inside.append(_leaf("mtext", "\u00a0" + " ".join(ast.clauses(e))))
    return _row(_leaf("mi", e.func), _paren(_row(*inside)))


# ------------------------------------------------------------------ leaves


def _name(text: str) -> ET.Element:
    """`w_activity` as w with the subscript activity: a weight's usual notation."""
    head, _, tail = text.partition("_")
    if len(head) == 1 and tail:
        return _wrap("msub", _leaf("mi", head), _leaf("mi", tail))
    return _leaf("mi", text)


def _period(p: ast.Period) -> ET.Element:
    return _leaf("mn", _number(p.value)) if isinstance(p, ast.Number) else \
        _leaf("mi", p.id if isinstance(p, ast.Name) else p.text)


def _number(v: float | int) -> str:
    return str(int(v)) if isinstance(v, float) and v.is_integer() and abs(v) < 1e15 else str(v)


def _wrapped(e: ast.Expr) -> ET.Element:
    """e as the base of a power or a subscript: bracketed unless it is one symbol or call."""
    node = expr(e)
    return node if isinstance(e, (ast.Number, ast.Name, ast.Label, ast.Call)) else _paren(node)


def _leaf(tag: str, text: str) -> ET.Element:
    node = E(tag)
    node.text = text
    return node


def _mo(text: str) -> ET.Element:
    return _leaf("mo", text)


def _row(*children: ET.Element) -> ET.Element:
    return _wrap("mrow", *children)


def _wrap(tag: str, *children: ET.Element) -> ET.Element:
    node = E(tag)
    node.extend(children)
    return node


def _paren(node: ET.Element) -> ET.Element:
    """Brackets that grow with what they hold where it is tall (a fraction, a Σ), and
    keep the text's size around a function's arguments: nested calls stay readable."""
    tall = any(n.tag in ("mfrac", "munder", "mroot", "msqrt", "mtable") for n in node.iter())
    attrs = {} if tall else {"stretchy": "false"}
    return _row(_fence("(", attrs), node, _fence(")", attrs))


def _fence(text: str, attrs: dict[str, str]) -> ET.Element:
    node = E("mo", attrs)
    node.text = text
    return node


def _joined(nodes: list[ET.Element], sep: str) -> ET.Element:
    row = E("mrow")
    for i, n in enumerate(nodes):
        if i:
            row.append(_mo(sep))
        row.append(n)
    return row


__all__ = ["definition", "expr"]
