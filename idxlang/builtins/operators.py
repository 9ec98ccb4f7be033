"""Operators and scalar functions, row by row. Missing values propagate through all
of them (also through `least`/`greatest`, unlike SQL), and outside a function's
domain the result is missing, never NaN or infinity (`ln` of x ≤ 0, `sqrt` of
x < 0, division by zero)."""

from __future__ import annotations

from typing import Callable

from sqlglot import exp

from .. import ast
from .. import model as m
from ..sql import binary, case, is_null, lit, paren
from . import Builtin, CheckContext, require

_BINARY = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul, "^": exp.Pow, "==": exp.EQ, "!=": exp.NEQ,
           "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE, "and": exp.And, "or": exp.Or}


def _divide(a: list[exp.Expression]) -> exp.Expression:
    den = a[1]
    if not (isinstance(den, exp.Literal) and float(den.this) != 0):
        den = exp.Nullif(this=den, expression=lit(0))  # division by zero is missing
    return binary(exp.Div, a[0], den)


def _extreme(cls: type) -> Callable[[list[exp.Expression]], exp.Expression]:
    def build(a: list[exp.Expression]) -> exp.Expression:  # missing propagates, as in arithmetic
        plain = cls(this=a[0], expressions=a[1:], ignore_nulls=True)
        maybe = [x for x in a if not isinstance(x, exp.Literal)]
        return case((exp.or_(*[is_null(x.copy()) for x in maybe]), exp.Null()), default=plain) if maybe else plain
    return build


def _ln(a: list[exp.Expression]) -> exp.Expression:
    """Missing outside the domain (x ≤ 0), the argument written once."""
    x = a[0]
    if isinstance(x, (exp.Column, exp.Literal)):
        return exp.Ln(this=case((exp.GT(this=x, expression=lit(0)), x.copy())))
    return exp.Ln(this=exp.Nullif(this=exp.Greatest(this=x, expressions=[lit(0)], ignore_nulls=True), expression=lit(0)))


def _sqrt(a: list[exp.Expression]) -> exp.Expression:
    return exp.Sqrt(this=case((exp.GTE(this=a[0], expression=lit(0)), a[0].copy())))


OPERATORS: dict[str, Callable[[list[exp.Expression]], exp.Expression]] = {
    **{op: (lambda cls: lambda a: binary(cls, a[0], a[1]))(cls) for op, cls in _BINARY.items()},
    "/": _divide,
    "neg": lambda a: exp.Neg(this=paren(a[0])),
    "not": lambda a: exp.Not(this=paren(a[0])),
    "coalesce": lambda a: exp.Coalesce(this=a[0], expressions=a[1:]),
    "if": lambda a: case((a[0], a[1]), default=None if isinstance(a[2], exp.Null) else a[2]),
    "present": lambda a: case((is_null(a[0]), lit(0)), default=lit(1)),
    "known": lambda a: exp.Not(this=is_null(a[0])),
    "round": lambda a: exp.Round(this=a[0], decimals=a[1] if len(a) > 1 else None),
    "least": _extreme(exp.Least),
    "greatest": _extreme(exp.Greatest),
    "ln": _ln,
    "sqrt": _sqrt,
    # x limited to [lo, hi], for values known to be present (a treatment's bounds)
    "clip": lambda a: exp.Least(this=exp.Greatest(this=a[0], expressions=[a[1]], ignore_nulls=True),
                                expressions=[a[2]], ignore_nulls=True),
    "exp": lambda a: exp.Exp(this=a[0]),
    "abs": lambda a: exp.Abs(this=a[0]),
}


def _scalar(name: str, lo: int, hi: int) -> Builtin:
    def check(ctx: CheckContext, e: ast.Call) -> m.Expr:
        require(ctx, e, lo, hi)
        args = [ctx.expr(a.value) for a in e.args]
        if name == "round" and len(args) == 2 and not isinstance(args[1], (m.Const, m.Param)):
            raise ctx.error("round(x, digits): digits must be a number", e.args[1].span)
        return m.Op(name, tuple(args), ctx.combine(args, [a.span for a in e.args]), e.span)

    shown = {1: "x", 2: "x, digits"}.get(hi, "a, b, ...")
    return Builtin(name, f"{name}({shown})", check)


BUILTINS = (_scalar("ln", 1, 1), _scalar("exp", 1, 1), _scalar("abs", 1, 1), _scalar("sqrt", 1, 1),
            _scalar("round", 1, 2), _scalar("least", 2, 99), _scalar("greatest", 2, 99))
