"""Small builders of sqlglot trees, shared by every stage that speaks SQL.

Nothing the user wrote is pasted into SQL: names become quoted identifiers and
numbers literals, so the same tree prints for DuckDB and transpiles elsewhere.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Callable, Sequence

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, UnsupportedError
from sqlglot.generator import Generator

from ..diagnostics import Diagnostic, IdxError

INPUT_SCHEMA = "input"


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=ident(name), table=ident(table) if table else None)


def table(name: str, schema: str | None = None) -> exp.Table:
    return exp.Table(this=ident(name), db=ident(schema) if schema else None)


def lit(value: float | int | str | None) -> exp.Expr:
    if value is None:
        return exp.Null()
    if isinstance(value, bool):
        return exp.Boolean(this=value)
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return exp.Literal.number(repr(value))
    return exp.Literal.number(str(value)) if value >= 0 else exp.Neg(this=exp.Literal.number(str(-value)))


def number(value: float | int | str | None) -> exp.Expr:
    """A number of the spec as every engine computes with it: a whole number written
    as one (an integer), any other a DOUBLE read from its shortest text, which every
    engine rounds correctly; never a DECIMAL literal, whose arithmetic differs by
    engine (`0.25 / 3` is 0.083333, six digits, on Spark; 0.1 + 0.2 is exactly 0.3
    where doubles give 0.30000000000000004)."""
    if isinstance(value, float) and math.isfinite(value):
        return exp.Cast(this=exp.Literal.string(repr(value)), to=exp.DataType(this=exp.DataType.Type.DOUBLE))
    return lit(value)


def constant(e: exp.Expr) -> bool:
    """A literal, or a number() of one: known when the SQL is written."""
    return isinstance(e, exp.Literal) or (isinstance(e, exp.Cast) and isinstance(e.this, exp.Literal))


def named(value: float | int, name: str) -> exp.Expr:
    """A param's value with its name beside it: `0.4 /* w_innovation */`."""
    node = number(value)
    node.add_comments([f" {name} "])
    return node


_PRECEDENCE: dict[type[exp.Expr], int] = {exp.Or: 1, exp.And: 2, exp.Not: 3, exp.EQ: 4, exp.NEQ: 4, exp.LT: 4, exp.LTE: 4, exp.GT: 4,
               exp.GTE: 4, exp.Is: 4, exp.Add: 5, exp.Sub: 5, exp.Mul: 6, exp.Div: 6, exp.Pow: 7, exp.Neg: 8}


def _prec(e: exp.Expr) -> int:
    return _PRECEDENCE.get(type(e), 9)


def binary(cls: type, left: exp.Expr, right: exp.Expr) -> exp.Expr:
    """A binary node with parentheses only where precedence needs them."""
    p = _prec(cls(this=None, expression=None))
    if _prec(left) < p:
        left = exp.Paren(this=left)
    if _prec(right) < p or (_prec(right) == p and cls in (exp.Sub, exp.Div, exp.Pow)):
        right = exp.Paren(this=right)
    return cls(this=left, expression=right)


def paren(e: exp.Expr, level: int = 8) -> exp.Expr:
    return exp.Paren(this=e) if _prec(e) < level else e


def as_double(e: exp.Expr) -> exp.Cast:
    """The user's numbers as DOUBLE, whatever type the file gave them."""
    return exp.Cast(this=e, to=exp.DataType(this=exp.DataType.Type.DOUBLE))


def is_null(e: exp.Expr) -> exp.Expr:
    """`e IS NULL`, with `e` in parentheses unless it is one term: IS binds tighter than
    NOT (and looser than =), so `NOT NOT (x > 10) IS NULL` would test `x > 10`."""
    if isinstance(e, (exp.Not, exp.Connector, exp.Predicate)):
        e = exp.Paren(this=e)
    return exp.Is(this=e, expression=exp.Null())


def case(*whens: tuple[exp.Expr, exp.Expr], default: exp.Expr | None = None) -> exp.Case:
    return exp.Case(ifs=[exp.If(this=c, true=v) for c, v in whens], default=default)


def window(func: exp.Expr, partition: list[exp.Expr], order: list[exp.Ordered] | None = None,
           spec: exp.WindowSpec | None = None) -> exp.Window:
    # copies: a sqlglot node has one parent, and one partition list often serves several windows
    return exp.Window(this=func, partition_by=[p.copy() for p in partition] or None,
                      order=exp.Order(expressions=[o.copy() for o in order]) if order else None,
                      spec=spec.copy() if spec else None)


def select(*expressions: exp.Expr) -> exp.Select:
    return exp.Select(expressions=list(expressions))


_JOINS = {"left": {"side": "LEFT"}, "full": {"side": "FULL"}, "cross": {"kind": "CROSS"}, "inner": {"kind": "INNER"}}


def join(query: exp.Select, source: exp.Expr, how: str, using: tuple[str, ...] | list[str] = (),
         on: exp.Expr | None = None) -> exp.Select:
    """Append a join built as a tree (sqlglot's `Select.join` parses its `join_type` text)."""
    if isinstance(source, exp.Select):
        source = source.subquery()
    made = exp.Join(this=source, on=on, using=[ident(k) for k in using] or None, **_JOINS[how])
    query.append("joins", made)
    return query


def set_with(select_: exp.Select, ctes: list[exp.CTE]) -> exp.Select:
    if ctes:
        select_.set("with_" if "with_" in exp.Select.arg_types else "with", exp.With(expressions=ctes))
    return select_


def data_number(e: exp.Expr, nan_test: bool = False) -> exp.Expr:
    """A number of the user's data as a double; NaN, which pandas writes for a missing
    value, is missing here too (NULL), not a number that sorts above every other: found
    by ISNAN where the engine has it and needs it (dialects.Dialect.nan_test), else as
    the value equal to NaN."""
    value = as_double(e)
    if nan_test:
        return exp.If(this=exp.IsNan(this=value.copy()), true=exp.Null(), false=value)
    return exp.Nullif(this=value, expression=as_double(lit("NaN")))


def present_cells(columns: list[str] | tuple[str, ...], nan_test: bool = False) -> tuple[exp.Expr, exp.Expr]:
    """Aggregates over a group of rows: the cells of `columns` present (NaN is missing),
    and all cells."""
    present: exp.Expr = exp.Count(this=data_number(col(columns[0]), nan_test))
    for c in columns[1:]:
        present = binary(exp.Add, present, exp.Count(this=data_number(col(c), nan_test)))
    return present, binary(exp.Mul, exp.Count(this=exp.Star()), lit(len(columns)))


def _keys_in_native_order(node: exp.Expr, ordering: str) -> exp.Expr:
    """An ORDER BY term that leaves the place of NULLs unsaid orders by a key, which is
    never missing (the data checks see to it): in another dialect, it takes that
    dialect's own default rather than DuckDB's, so that no NULLS FIRST/LAST is written
    (BigQuery refuses one in most windows). Where NULLs can occur, the builders say
    where they go (ranks: last)."""
    if not isinstance(node, exp.Ordered) or node.args.get("nulls_first") is not None:
        return node
    desc = bool(node.args.get("desc"))
    first = {"nulls_are_small": not desc, "nulls_are_large": desc}.get(ordering, False)
    return exp.Ordered(this=node.this, desc=node.args.get("desc"), nulls_first=first)


def rewritten(tree: exp.Expr, rules: Sequence[Callable[[exp.Expr], exp.Expr]]) -> exp.Expr:
    """`tree` with each node passed through `rules` (an engine's own forms: looked_up),
    in place, in one walk where a statement is built."""
    def each(node: exp.Expr) -> exp.Expr:
        for rule in rules:
            node = rule(node)
        return node
    return tree.transform(each, copy=False)


MAX_BITS = 31  # names per bits(): each bit an INT, a key's sum of them far inside a BIGINT


def name_bits(value: exp.Expr, names: Sequence[str]) -> exp.Case:
    """Each of `names` as a bit of an INT, any other value NULL: `CASE variable WHEN 'gdp'
    THEN 1 WHEN 'pop' THEN 2 ... END`, compared name by name, row by row. DuckDB looks
    the name up instead (looked_up)."""
    assert len(names) <= MAX_BITS
    found = exp.Case(this=value, ifs=[exp.If(this=lit(n), true=lit(1 << i)) for i, n in enumerate(names)])
    found.meta["names"] = tuple(names)
    return found


def looked_up(node: exp.Expr) -> exp.Expr:
    """name_bits() as DuckDB's ENUM of the names: the text cast to it is found by hashing, once
    per distinct text of a dictionary-encoded column rather than once per row and name
    (a tenth of a long file's pivot, bench/layouts.py); a text not among them is NULL."""
    names = node.meta.get("names") if isinstance(node, exp.Case) else None
    if names is None:
        return node
    enum = exp.DataType(this=exp.DataType.Type.ENUM, expressions=[lit(n) for n in names])
    text = exp.Cast(this=node.this.copy(), to=exp.DataType.build("VARCHAR"))
    code = exp.Anonymous(this="enum_code", expressions=[exp.TryCast(this=text, to=enum)])
    return exp.BitwiseLeftShift(this=lit(1), expression=exp.Cast(this=code, to=exp.DataType.build("INT")))


def exact(node: exp.Sum) -> exp.Sum:
    """A sum whose rows add up exactly in any order (integers; one value among zeros):
    unlike a sum of doubles (builtins/reductions.Over), it needs no order of its own."""
    node.meta["exact"] = True
    return node


def _case_sql(self: Generator, expression: exp.Case) -> str:
    """A CASE laid out over several lines with each WHEN and its THEN on one line where
    they fit: an unpivot's slots and a rule's branches read as a table, one per line."""
    this = self.sql(expression, "this")
    head = f"CASE {this}" if this else "CASE"
    pairs = [(f"WHEN {self.sql(e, 'this')}", f"THEN {self.sql(e, 'true')}") for e in expression.args["ifs"]]
    default = self.sql(expression, "default")
    tail = [f"ELSE {default}"] if default else []
    flat = [head, *(part for pair in pairs for part in pair), *tail, "END"]
    if not (self.pretty and self.too_wide(flat)):
        return " ".join(flat)
    lines = [head]
    for when, then in pairs:
        both = f"{when} {then}"
        lines += [both] if "\n" not in both and len(both) <= self.max_text_width else [when, then]
    return self.indent("\n".join([*lines, *tail, "END"]), skip_first=True, skip_last=True)


@functools.cache
def _laid_out(generator: type[Generator]) -> type[Generator]:
    """The dialect's generator, but for how a long CASE is laid out (_case_sql)."""
    return type(generator.__name__, (generator,), {"case_sql": _case_sql})


def to_sql(tree: exp.Expr, dialect: str = "duckdb", pretty: bool = True) -> str:
    try:
        Dialect.get_or_raise(dialect)
    except ValueError as err:  # sqlglot names the closest dialect
        raise IdxError(Diagnostic("error", f"--dialect: {err}")) from None
    if dialect != "duckdb":
        tree = tree.transform(_keys_in_native_order, Dialect.get_or_raise(dialect).NULL_ORDERING)
    target = Dialect.get_or_raise(dialect)
    try:  # not copied (a third of compile time): generating moves a CTE's comment onto its alias, printed alike
        generator = _laid_out(target.generator_class)(dialect=target, pretty=pretty,
                                                       unsupported_level=ErrorLevel.RAISE, identify=True)
        return generator.generate(tree, copy=False)
    except UnsupportedError as err:
        first = str(err).splitlines()[0]
        raise IdxError(Diagnostic("error", f"the SQL cannot be written for {dialect}: {first}")) from None
