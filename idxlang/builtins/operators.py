"""Operators and scalar functions, row by row. Missing values propagate through all
of them (also through `least`/`greatest`, unlike SQL), and outside a function's
domain the result is missing, never NaN or infinity (`ln` of x ≤ 0, `sqrt` of
x < 0, division by zero, a negative number to a fractional power, zero to a negative
one)."""

from __future__ import annotations

from typing import Callable, cast

from sqlglot import exp

from .. import ast
from ..semantics import model as m
from ..sql.trees import as_double, binary, case, constant, is_null, lit, paren
from . import Builtin, CheckContext, require

_BINARY = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul, "==": exp.EQ, "!=": exp.NEQ,
           "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE}


def _divide(a: list[exp.Expr]) -> exp.Expr:
    den = a[1]
    # a constant is a literal or holds one (sql/trees.py)
    if not (constant(den) and float(cast(exp.Literal, den.find(exp.Literal)).this) != 0):
        den = exp.Nullif(this=den, expression=lit(0))  # division by zero is missing
    return binary(exp.Div, a[0], den)


def _power(a: list[exp.Expr]) -> exp.Expr:
    """x ^ y, missing outside its domain: a negative x to a fractional power, zero to a
    negative one (NaN and infinity on the engines)."""
    x, y = a
    fractional = exp.And(this=exp.LT(this=x.copy(), expression=lit(0)),
                         expression=exp.NEQ(this=y.copy(), expression=exp.Floor(this=y.copy())))
    pole = exp.And(this=exp.EQ(this=x.copy(), expression=lit(0)), expression=exp.LT(this=y.copy(), expression=lit(0)))
    if isinstance(y, exp.Literal):  # the usual case, a number: only the test it needs
        k = float(y.this)
        tests = [t for t, needed in ((fractional, not k.is_integer()), (pole, k < 0)) if needed]
        if not tests:
            return exp.Pow(this=x, expression=y)
        return case((exp.or_(*tests), exp.Null()), default=exp.Pow(this=x, expression=y))
    return case((exp.or_(fractional, pole), exp.Null()), default=exp.Pow(this=x, expression=y))


def _logical(cls: type) -> Callable[[list[exp.Expr]], exp.Expr]:
    """`and`, `or`: missing when a side is, as every operator (SQL's `NULL AND FALSE` is
    FALSE, `NULL OR TRUE` TRUE)."""
    def build(a: list[exp.Expr]) -> exp.Expr:
        known = exp.and_(*[exp.Not(this=is_null(x.copy())) for x in a])
        plain = binary(cls, a[0], a[1])
        guarded = case((known, plain.copy()))
        if cls is exp.And:  # where missing and false mean the same (_if, a rank's where): SQL's own, but only
            guarded.meta["plain"] = plain  # for `and`: SQL's `NULL OR TRUE` is TRUE, where a missing side is missing
        return guarded
    return build


def _if(a: list[exp.Expr]) -> exp.Expr:
    """`if c then a else b`: missing when c is (SQL's CASE would take the else branch),
    unless c cannot be (`x IS NULL`, as `present N` asks)."""
    if isinstance(a[2], exp.Null):  # missing or false, the same: nothing
        return case((a[0].meta.get("plain", a[0]), a[1]))
    if isinstance(a[0].unnest(), exp.Is) or (isinstance(a[0], exp.Not) and isinstance(a[0].this.unnest(), exp.Is)):
        return case((a[0], a[1]), default=a[2])
    return case((a[0], a[1]), (exp.Not(this=paren(a[0].copy())), a[2]))


def _extreme(cls: type) -> Callable[[list[exp.Expr]], exp.Expr]:
    def build(a: list[exp.Expr]) -> exp.Expr:  # missing propagates, as in arithmetic
        plain = cls(this=a[0], expressions=a[1:], ignore_nulls=True)
        maybe = [x for x in a if not constant(x)]
        return case((exp.or_(*[is_null(x.copy()) for x in maybe]), exp.Null()), default=plain) if maybe else plain
    return build


def _ln(a: list[exp.Expr]) -> exp.Expr:
    """Missing outside the domain (x ≤ 0), the argument written once."""
    x = a[0]
    if isinstance(x, (exp.Column, exp.Literal)):
        return exp.Ln(this=case((exp.GT(this=x, expression=lit(0)), x.copy())))
    return exp.Ln(this=exp.Nullif(this=exp.Greatest(this=x, expressions=[lit(0)], ignore_nulls=True), expression=lit(0)))


def _digits(e: exp.Expr) -> int:
    """round's digits, a number or a param (check.py allows no other), as written: an
    integer literal, its negation, or a whole number() (`CAST('2.0' AS DOUBLE)`)."""
    literal = e.find(exp.Literal)
    assert literal is not None
    return int(float(literal.this)) * (-1 if isinstance(e, exp.Neg) else 1)


def _round(x: exp.Expr, digits: int) -> exp.Expr:
    """The one rounding rule (docs/language.md): half away from zero, a tie decided as
    if x had the 15 significant digits a spreadsheet shows, so that binary
    representation never decides it: round(1.005, 2) = 1.01 (1.005 is stored as
    1.00499999999999989…). Written out in plain double arithmetic, the same on every
    engine: y = |x|·10^d rounds up when its fraction is within 5·10⁻¹⁵·y of a half
    or above (the tolerance stops growing at y = 10¹³, past 15 digits)."""
    scale = as_double(lit(10 ** abs(digits)))
    y = binary(exp.Mul if digits >= 0 else exp.Div, exp.Abs(this=x.copy()), scale)
    whole = exp.Floor(this=y.copy())
    slack = binary(exp.Mul, as_double(lit(5e-15)), exp.Least(this=y.copy(), expressions=[as_double(lit(1e13))]))
    up = exp.GTE(this=binary(exp.Sub, y, whole.copy()), expression=binary(exp.Sub, lit(0.5), slack))
    rounded = case((up, binary(exp.Add, whole.copy(), lit(1))), default=whole)
    back = binary(exp.Div if digits >= 0 else exp.Mul, rounded, scale.copy())
    return binary(exp.Mul, exp.Sign(this=x), back)


def _sqrt(a: list[exp.Expr]) -> exp.Expr:
    return exp.Sqrt(this=case((exp.GTE(this=a[0], expression=lit(0)), a[0].copy())))


OPERATORS: dict[str, Callable[[list[exp.Expr]], exp.Expr]] = {
    **{op: (lambda cls: lambda a: binary(cls, a[0], a[1]))(cls) for op, cls in _BINARY.items()},
    "/": _divide,
    "^": _power,
    "pow": lambda a: exp.Pow(this=a[0], expression=a[1]),  # x ^ y for x known to be positive (genmean's terms)
    "neg": lambda a: exp.Neg(this=paren(a[0])),
    "not": lambda a: exp.Not(this=paren(a[0])),
    "coalesce": lambda a: exp.Coalesce(this=a[0], expressions=a[1:]),
    "if": _if,
    "and": _logical(exp.And),
    "or": _logical(exp.Or),
    "present": lambda a: case((is_null(a[0]), lit(0)), default=lit(1)),
    "known": lambda a: exp.Not(this=is_null(a[0])),
    "round": lambda a: _round(a[0], _digits(a[1]) if len(a) > 1 else 0),
    "least": _extreme(exp.Least),
    "greatest": _extreme(exp.Greatest),
    "ln": _ln,
    "sqrt": _sqrt,
    # x limited to [lo, hi], for values known to be present (a treatment's bounds)
    "clip": lambda a: exp.Least(this=exp.Greatest(this=a[0], expressions=[a[1]], ignore_nulls=True),
                                expressions=[a[2]], ignore_nulls=True),
    "exp": lambda a: exp.Exp(this=a[0]),
    m.ON_ROWS: lambda a: a[0],  # on its own grain's rows, where the planner computes it (plan.rowify)
    "abs": lambda a: exp.Abs(this=a[0]),
    # tests on text: the position of the part in the text (1: at its start), missing with the text
    "startswith": lambda a: exp.EQ(this=exp.StrPosition(this=a[0], substr=a[1]), expression=lit(1)),
    "contains": lambda a: exp.GT(this=exp.StrPosition(this=a[0], substr=a[1]), expression=lit(0)),
}


def _scalar(name: str, lo: int, hi: int) -> Builtin:
    def check(ctx: CheckContext, e: ast.Call) -> m.Expr:
        require(ctx, e, lo, hi)
        args = [ctx.expr(a.value) for a in e.args]
        if name == "round" and len(args) == 2:
            digits = args[1].value if isinstance(args[1], (m.Const, m.Param)) else None
            if not (isinstance(digits, (int, float)) and float(digits).is_integer() and abs(digits) <= 15):
                raise ctx.error("round(x, digits): digits must be a whole number from -15 to 15 (a double holds "
                                "about 15 significant digits)", e.args[1].span)
        return m.Op(name, tuple(args), ctx.combine(args, [a.span for a in e.args]), e.span)

    shown = {1: "x", 2: "x, digits"}.get(hi, "a, b, ...")
    return Builtin(name, f"{name}({shown})", check)


def _text_test(name: str) -> Builtin:
    """`startswith(region, "RU-")`, `contains(country, "Republic")`: conditions on text (an
    attribute, a key, a quoted string), case-sensitive, missing where the text is."""
    def check(ctx: CheckContext, e: ast.Call) -> m.Expr:
        require(ctx, e, 2, 2)
        args = [ctx.expr(a.value) for a in e.args]
        for a, arg in zip(args, e.args):
            if m.kind(a, lambda n: None) in ("number", "condition") and not isinstance(a, m.Ref):
                raise ctx.error(f"{name}() tests text (an attribute, a key or a quoted string), not a "
                                f"{m.kind(a, lambda n: None)}", arg.span)
            if isinstance(a, m.Ref) and a.kind is m.RefKind.COLUMN:
                raise ctx.error(f"{name}() tests text, and '{a.name}' is a numeric column", arg.span,
                                "declare it `attribute` in its table to read it as text")
        return m.Op(name, tuple(args), ctx.combine(args, [a.span for a in e.args]), e.span)

    return Builtin(name, f"{name}(text, part)", check)


BUILTINS = (_text_test("startswith"), _text_test("contains"), _scalar("ln", 1, 1), _scalar("exp", 1, 1), _scalar("abs", 1, 1), _scalar("sqrt", 1, 1),
            _scalar("round", 1, 2), _scalar("least", 2, 99), _scalar("greatest", 2, 99))
