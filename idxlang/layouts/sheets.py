"""`sheets("{period}", first..last)`: a workbook with a sheet per period (a ministry's
yearly tables), each laid out one column per variable; the sheets stacked where the
workbook is read, the period as the time axis."""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp

from .. import ast
from ..diagnostics import Diagnostic, IdxError
from ..sql.trees import ident, lit, select
from .base import Declared, Layout, SheetReader, Source, periods


@dataclass(frozen=True)
class Sheets(Layout):
    pattern: str
    periods: tuple[int, ...]

    name = "sheets"
    usage = "sheets(pattern, first..last)"
    signature = (ast.String, ast.Range)
    reshaped = False

    @classmethod
    def declared(cls, lay: ast.Layout, d: Declared) -> Layout:
        pattern, years = periods(lay, d, "sheets", '"{period}"')
        if d.table.part is not None:
            raise d.error("sheets(...) names the sheets; drop the sheet clause", d.table.part.span)
        return cls(pattern, years)

    def sheet(self, period: int) -> str:
        return self.pattern.replace("{period}", str(period))

    def read(self, source: Source, sheets: SheetReader) -> exp.Expr | None:
        """The sheets stacked in SQL, the period as the time axis: `SELECT 2021 AS "year",
        * FROM <sheet 2021> UNION ALL BY NAME ...`; each sheet's header found by the
        columns the spec reads but the period it stands for."""
        if not sheets.workbook:
            raise IdxError(Diagnostic("error", f"table {source.table}: sheets(...) reads a workbook (.xlsx), not {source.path.name}"))
        assert source.time is not None
        header = tuple(c for c in source.columns if c != source.time)
        parts = [select(lit(period).as_(ident(source.time), copy=False), exp.Star())
                 .from_(sheets.sheet(self.sheet(period), f"_{period}", header), copy=False) for period in self.periods]
        stacked: exp.Query = parts[0]
        for part in parts[1:]:
            stacked = exp.Union(this=stacked, expression=part, distinct=False, by_name=True)
        return exp.Subquery(this=stacked)
