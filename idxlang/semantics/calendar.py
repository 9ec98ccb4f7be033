"""Periods of a time axis: years, quarters or months.

Inside the generated SQL every period is one whole number counted from year 0
(a quarter is year × 4 + quarter − 1, a month year × 12 + month − 1), so `lag`,
`chain`, `interpolate` and `in a..b` stay integer arithmetic on every engine and
a missing quarter is a gap exactly as a missing year is. The file's labels
(`2024Q1`, `2024-03`, a DATE) are turned into that number where the table is
read, and back into a label (`2024Q1`, `2024-03`) where an output is written.
"""

from __future__ import annotations

import re
from enum import Enum

from sqlglot import exp

from ..sql.trees import binary, case, lit


class Calendar(Enum):
    """How a time axis counts periods; the value is the word a spec uses."""

    YEAR = "yearly"
    QUARTER = "quarterly"
    MONTH = "monthly"

    @property
    def per_year(self) -> int:
        return {"yearly": 1, "quarterly": 4, "monthly": 12}[self.value]

    @property
    def noun(self) -> str:
        return {"yearly": "year", "quarterly": "quarter", "monthly": "month"}[self.value]

    def example(self, year: int = 2024) -> str:
        return {"yearly": str(year), "quarterly": f"{year}Q1", "monthly": f"{year}-03"}[self.value]

    @property
    def numbering(self) -> str:
        """How the SQL numbers the periods, for a reader of `idxc sql`."""
        if self is Calendar.YEAR:
            return "by year"
        return f"year * {self.per_year} + {self.noun} - 1 ({self.example()} is {self.number(self.example())})"

    def number(self, label: str) -> int:
        found = parse_label(label)
        assert found is not None and found[0] is self, label
        return found[1]

    def label(self, period: int) -> str:
        """The period's name, as outputs write it."""
        year, within = divmod(int(period), self.per_year)
        if self is Calendar.QUARTER:
            return f"{year}Q{within + 1}"
        return f"{year}-{within + 1:02d}" if self is Calendar.MONTH else str(year)

    def year_bounds(self, year: int) -> tuple[int, int]:
        """The first and last period of a whole year."""
        return year * self.per_year, year * self.per_year + self.per_year - 1


_LABEL = re.compile(r"(\d{4})(?:Q([1-4])|-(\d{2}))")


def parse_label(text: str) -> tuple[Calendar, int] | None:
    """A period written in a spec, `2024Q1` or `2024-03`, as its calendar and number."""
    found = _LABEL.fullmatch(text)
    if found is None:
        return None
    year, quarter, month = found.groups()
    if quarter:
        return Calendar.QUARTER, int(year) * 4 + int(quarter) - 1
    if not 1 <= int(month) <= 12:
        return None
    return Calendar.MONTH, int(year) * 12 + int(month) - 1


# A file's period labels that to_number reads, as a regular expression over the text
# the engine casts the column to: `2024Q1`, `2024-Q1`, `2024 q1` for quarters; `2024-03`,
# `2024M03`, `2024/03` for months; and for both an ISO date or timestamp `2024-03-31`.
_DATE = r"\d{4}-\d{2}-\d{2}([ T].*)?"
FILE_LABELS = {
    Calendar.QUARTER: rf"\d{{4}}[- ]?[Qq][1-4]|{_DATE}",
    Calendar.MONTH: rf"\d{{4}}[-/M](0[1-9]|1[0-2])|{_DATE}",
}


def _text(e: exp.Expr) -> exp.Expr:
    return exp.Cast(this=e, to=exp.DataType.build("TEXT"))


def _int(e: exp.Expr) -> exp.Expr:
    return exp.Cast(this=e, to=exp.DataType.build("INT"))


def to_number(calendar: Calendar, column: exp.Expr) -> exp.Expr:
    """The SQL turning a file's period label (text or DATE) into the period's number."""
    text = _text(column)
    year = _int(exp.Substring(this=text.copy(), start=lit(1), length=lit(4)))
    month = _int(exp.Substring(this=text.copy(), start=lit(6), length=lit(2)))
    if calendar is Calendar.MONTH:
        return binary(exp.Sub, binary(exp.Add, binary(exp.Mul, year, lit(12)), month), lit(1))
    named = exp.Like(this=exp.Upper(this=text.copy()), expression=lit("%Q%"))
    quarter = case((named, binary(exp.Sub, _int(exp.Right(this=text.copy(), expression=lit(1))), lit(1))),
                   default=exp.IntDiv(this=exp.Paren(this=binary(exp.Sub, month, lit(1))), expression=lit(3)))
    return binary(exp.Add, binary(exp.Mul, year, lit(4)), quarter)


def to_label(calendar: Calendar, number: exp.Expr) -> exp.Expr:
    """The SQL turning a period's number back into its label: `2024Q1`, `2024-03`."""
    per = lit(calendar.per_year)
    year = exp.IntDiv(this=number.copy(), expression=per)
    within = binary(exp.Add, binary(exp.Sub, number.copy(), binary(exp.Mul, exp.Paren(this=year.copy()), per.copy())),
                    lit(1))
    if calendar is Calendar.QUARTER:
        return exp.DPipe(this=exp.DPipe(this=_text(year), expression=lit("Q")), expression=_text(within))
    two_digits = exp.Pad(this=_text(within), expression=lit(2), fill_pattern=lit("0"), is_left=True)
    return exp.DPipe(this=exp.DPipe(this=_text(year), expression=lit("-")), expression=two_digits)


__all__ = ["Calendar", "FILE_LABELS", "parse_label", "to_label", "to_number"]
