"""`long(variable, value)`: one row per entity, period and variable, the variable's name
in column `variable` and its number in `value` (Eurostat's and the World Bank's bulk
files); pivoted in the SQL to one row per key."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from sqlglot import exp

from .. import ast
from ..diagnostics import did_you_mean
from ..names import reserve
from ..sql.dialects import Dialect
from ..sql.trees import INPUT_SCHEMA, MAX_BITS, binary, case, col, data_number, exact, ident, is_null, lit, name_bits, select, table
from .base import Checker, Declared, Layout, Table


@dataclass(frozen=True)
class Long(Layout):
    """The table's columns are variables, named in the file's column `variable`."""

    variable: str
    value: str

    name = "long"
    usage = "long(variable, value)"
    signature: ClassVar[tuple[type, ...]] = (ast.Name, ast.Name)
    pivoted = True

    @classmethod
    def declared(cls, lay: ast.Layout, d: Declared) -> Layout:
        variable, value = (a.id for a in lay.args if isinstance(a, ast.Name))
        if variable == value or {variable, value} & {*d.keys, *d.attributes}:
            raise d.error("long(variable, value): two columns of the file, apart from the keys and attributes", lay.span)
        return cls(variable, value)

    def named(self) -> tuple[str, ...]:
        return (self.variable,)

    def values(self, t: Table) -> tuple[str, ...]:
        return (self.value,)

    def check(self, checker: Checker, t: Table, rel: exp.Table) -> None:
        """Every column the spec names is a variable in the file."""
        variable = col(self.variable)
        found = [str(r[0]) for r in checker.q(select(variable).from_(rel.copy(), copy=False).distinct()
                                              .where(exp.Not(this=is_null(variable.copy())), copy=False))]
        for c in t.columns:
            if c not in found:
                shown = ", ".join(sorted(found)[:8]) + (", ..." if len(found) > 8 else "")
                checker.fail(t.name, f"variable '{c}' is not in column '{self.variable}'",
                             did_you_mean(c, found) or f"variables: {shown}")

    def read_rows(self, variables: tuple[str, ...]) -> exp.Expr | None:
        return exp.In(this=col(self.variable), expressions=[lit(c) for c in variables])

    def observations(self, t: Table) -> exp.Expr:
        """The file's rows as observations: its keys, the variable and the value."""
        return table(t.name, INPUT_SCHEMA)

    def rows(self, t: Table, columns: tuple[str, ...], repeated: str | None, dialect: Dialect) -> exp.Expr:
        """One row per key the file holds (whatever its variables: the rows a wide file
        would have), in one pass that also finds repeated cells.

        Each row's variable becomes a bit (sql.name_bits: `CASE variable WHEN 'gdp' THEN 1
        WHEN 'pop' THEN 2 ...`, 31 to a set). A variable's value is the sum of `value * (bit
        = its bit)`: its one row's value among zeros, exact; the OR of the bits of the rows
        holding a value says which variables are there (else NULL). A key holds a variable
        twice exactly when the sum of its rows' bits exceeds their OR: the `repeated`
        column data/checks.py reports, the one test of a repeat in a long file. This costs
        no more than `MAX(CASE WHEN variable = 'gdp' THEN value END)` per variable, which
        needs a second grouping of the file to find repeats."""
        assert repeated is not None
        groups = [k for k in t.keys if k not in t.extra_keys]  # the attributes are looked up by entity (sqlgen._attributes)
        taken = {*groups, *columns, self.variable, self.value, repeated}
        sets = [columns[i:i + MAX_BITS] for i in range(0, len(columns), MAX_BITS)]
        suffix = lambda n: "" if len(sets) == 1 else f"_{n + 1}"  # noqa: E731
        bits = [reserve(f"bit{suffix(n)}", taken) for n in range(len(sets))]
        present = [reserve(f"present{suffix(n)}", taken) for n in range(len(sets))]
        value = col(self.value)
        cells = select(*[col(g) for g in groups], data_number(col(self.value), dialect.nan_test).as_(ident(self.value), copy=False),
                       *[name_bits(col(self.variable), vs).as_(ident(b), copy=False) for vs, b in zip(sets, bits)]
                       ).from_(self.observations(t), copy=False)
        sums, seen, twice = [], [], []
        for vs, b, p in zip(sets, bits, present):
            sums += [exact(exp.Sum(this=binary(exp.Mul, value.copy(), exp.Cast(
                this=exp.EQ(this=col(b), expression=lit(1 << i)), to=exp.DataType.build("INT"))))).as_(ident(c), copy=False)
                for i, c in enumerate(vs)]
            seen.append(exp.BitwiseOrAgg(this=case((exp.Not(this=is_null(value.copy())), col(b)))).as_(ident(p), copy=False))
            twice.append(exp.GT(this=exact(exp.Sum(this=col(b))), expression=exp.BitwiseOrAgg(this=col(b))))
        grouped = (select(*[col(g) for g in groups], *sums, *seen,
                          (exp.or_(*twice) if twice else exp.false()).as_(ident(repeated), copy=False))  # read for its keys alone: none
                   .from_(cells.subquery("cells"), copy=False).group_by(*[col(g) for g in groups], copy=False))
        held = lambda p, i: exp.NEQ(this=exp.BitwiseAnd(this=col(p), expression=lit(1 << i)), expression=lit(0))  # noqa: E731
        values = [case((held(p, i), col(c))).as_(ident(c), copy=False) for vs, p in zip(sets, present) for i, c in enumerate(vs)]
        query = select(*[col(g) for g in groups], *values, col(repeated)).from_(grouped.subquery("pivoted"), copy=False)
        return query.subquery(t.name)
