"""`series(variable, "{period}", first..last)`: a row per entity and variable (a series)
and a column per period, as the World Bank's WDI and the IMF's WEO files come
(`Country Code, Indicator Code, 2000, 2001, ...`); unpivoted by period and pivoted by
variable in the SQL, in the one pass of a long file (long.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from sqlglot import exp

from .. import ast
from ..names import reserve
from ..sql.trees import INPUT_SCHEMA, as_double, col, ident, join, lit, select, table
from .base import Declared, Layout, Table, periods
from .long import Long
from .wide import _spans


@dataclass(frozen=True)
class Series(Long):
    pattern: str = "{period}"
    periods: tuple[int, ...] = ()

    name = "series"
    usage = "series(variable, pattern, first..last)"
    signature = (ast.Name, ast.String, ast.Range)

    @classmethod
    def declared(cls, lay: ast.Layout, d: Declared) -> Layout:
        variable = lay.args[0]
        assert isinstance(variable, ast.Name)
        pattern, years = periods(lay, d, "columns", '"{period}" or "YR{period}"', at=1)
        if variable.id in {*d.keys, *d.attributes}:
            raise d.error("series(variable, ...): the column naming each row's variable is none of the keys and "
                          "attributes", variable.span)
        value = reserve("value", {*d.keys, *d.attributes, *d.variables, variable.id})
        return cls(variable.id, value, pattern, years)

    def column(self, period: int) -> str:
        return self.pattern.replace("{period}", str(period))

    def keys(self, t: Table) -> tuple[str, ...]:
        return tuple(k for k in t.keys if k != t.time)

    def values(self, t: Table) -> tuple[str, ...]:
        return tuple(self.column(p) for p in self.periods)

    def missing(self, t: Table, missing: list[str], types: Mapping[str, str]) -> list[tuple[str, str | None]]:
        """The periods the file has no column for, in one message with those it has."""
        gone = [p for p in self.periods if self.column(p) in missing]
        if not gone:
            return []
        held = sorted(p for p in self.periods if p not in gone)
        spans = _spans(held)
        return [(f"the file has no column for {_spans(gone)} (such as {self.column(gone[0])}): its periods are {spans}",
                 f'state them: series({self.variable}, "{self.pattern}", {spans})' if held and "," not in spans else None)]

    def observations(self, t: Table) -> exp.Expr:
        """A row per entity, variable and period: the file's row crossed with the periods,
        the value its period's column."""
        assert t.time is not None
        period = col(t.time, "periods")
        value = exp.Case(this=period.copy(), ifs=[exp.If(this=lit(p), true=as_double(col(self.column(p))))
                                                  for p in self.periods])
        keys = [col(k) for k in t.keys if k != t.time and k not in t.extra_keys]
        years = exp.Values(expressions=[exp.Tuple(expressions=[lit(p)]) for p in self.periods],
                           alias=exp.TableAlias(this=ident("periods"), columns=[ident(t.time)]))
        query = select(*keys, col(self.variable), period.as_(ident(t.time), copy=False), value.as_(ident(self.value), copy=False)
                       ).from_(table(t.name, INPUT_SCHEMA), copy=False)
        return join(query, years, "cross").subquery("observations")

