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
from .base import Declared, Layout, Table, crossed_with_periods, periods, written_spans
from .long import Long


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
        spans = written_spans(held)
        return [(f"the file has no column for {written_spans(gone)} (such as {self.column(gone[0])}): its periods are {spans}",
                 f'state them: series({self.variable}, "{self.pattern}", {spans})' if held and "," not in spans else None)]

    def observations(self, t: Table) -> exp.Expr:
        """A row per entity, variable and period: the file's row crossed with the periods,
        the value its period's column."""
        return crossed_with_periods(t, self.periods, (self.variable,), {self.value: self.column}).subquery("observations")

