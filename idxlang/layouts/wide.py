"""`wide("{variable}_{period}", first..last)`: one row per entity and a column per
variable and period (`le_1990`, UNDP's and the World Bank's tables); the periods are
stated, so that every column read is named in the SQL; unpivoted there."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from sqlglot import exp

from .. import ast
from ..diagnostics import did_you_mean
from ..sql.dialects import Dialect
from .base import Declared, Layout, Source, Table, crossed_with_periods, periods, written_spans


@dataclass(frozen=True)
class Wide(Layout):
    pattern: str
    periods: tuple[int, ...]

    name = "wide"
    usage = "wide(pattern, first..last)"
    signature = (ast.String, ast.Range)

    @classmethod
    def declared(cls, lay: ast.Layout, d: Declared) -> Layout:
        pattern, years = periods(lay, d, "columns", '"{variable}_{period}"')
        if "{variable}" not in pattern and len(d.variables) != 1:
            raise d.error('wide("..."): the column pattern names {variable} and {period}, as "{variable}_{period}"',
                          lay.args[0].span, 'a file (or sheet) of one variable may name the period alone, "{period}", '
                          "for a table of that one column")
        return cls(pattern, years)

    def column(self, variable: str, period: int) -> str:
        return self.pattern.replace("{variable}", variable).replace("{period}", str(period))

    def cells(self, variables: tuple[str, ...]) -> tuple[tuple[str, str, int], ...]:
        """Each column the spec reads, with its variable and period."""
        return tuple((self.column(v, p), v, p) for v in variables for p in self.periods)

    def parse(self, column: str, variables: tuple[str, ...]) -> tuple[str, int] | None:
        """The variable and period a column of the file names, by the pattern (the one
        variable of `variables` where the pattern names the period alone)."""
        parts = re.escape(self.pattern).replace(r"\{variable\}", "(?P<v>.+?)").replace(r"\{period\}", r"(?P<p>\d+)")
        found = re.fullmatch(parts, column)
        if not found:
            return None
        return (found["v"] if "{variable}" in self.pattern else variables[0], int(found["p"]))

    def keys(self, t: Table) -> tuple[str, ...]:
        return tuple(k for k in t.keys if k != t.time)

    def values(self, t: Table) -> tuple[str, ...]:
        return tuple(c for c, _, _ in self.cells(t.columns))

    def unpublished(self, source: Source, present: set[str]) -> list[str]:
        """The columns the spec reads that the file leaves out although it has the
        variable for other periods and the period for other variables (UNDP publishes its
        inequality variables from 2010). A variable or a period the file has no column for
        at all is not filled: the checks report it (missing)."""
        cells = self.cells(source.variables)
        held = [(v, p) for c, v, p in cells if c in present]
        variables, years = {v for v, _ in held}, {p for _, p in held}
        return [c for c, v, p in cells if c not in present and v in variables and p in years]

    def missing(self, t: Table, missing: list[str], types: Mapping[str, str]) -> list[tuple[str, str | None]]:
        """One message for each variable the file has no column for at all (the closest
        of its variables suggested), one for the periods none of the spec's variables has a
        column for (its own periods given), where the column-by-column message would say
        32 times that `le_2022` is missing."""
        variables = t.columns
        laid = [found for c in types if (found := self.parse(c, variables))]
        held = {v for v, _ in laid}
        out: list[tuple[str, str | None]] = []
        for v in variables:
            if v not in held:
                example = self.column(v, self.periods[0])
                out.append((f"the file has no column for variable '{v}' (no {self.pattern.replace('{variable}', v)}, such as {example})",
                            did_you_mean(v, sorted(held)) or f"its variables: {', '.join(sorted(held)) or 'none by the pattern'}"))
        years = sorted({p for v, p in laid if v in variables})
        gone = [p for p in self.periods if all(self.column(v, p) in missing for v in variables if v in held)]
        if gone and any(v in held for v in variables):
            cut = [self.column(v, p) for p in gone for v in variables if v in held]
            shown = ", ".join(cut[:3]) + (f", … {len(cut) - 3} more" if len(cut) > 3 else "")
            spans = written_spans(years)
            out.append((f"the file has no column for {written_spans(gone)} ({shown}): its periods are {spans}",
                        f'state them: wide("{self.pattern}", {spans})' if years and "," not in spans else None))
        return out

    def rows(self, t: Table, columns: tuple[str, ...], repeated: str | None, dialect: Dialect) -> exp.Expr:
        """The entity's row crossed with the periods, each variable taking its period's
        column."""
        cells = {c: (lambda p, c=c: self.column(c, p)) for c in columns}
        return crossed_with_periods(t, self.periods, (), cells).subquery(t.name)

