"""A generated case: the spec's text, its tables with their rows as the oracle reads
them, how each table's file is laid out, and the constructs the case exercises."""

from __future__ import annotations

import csv
import datetime
import io
import math
from dataclasses import dataclass, field

Row = dict[str, object]  # entity code (str), period (int), attributes (str | None), numbers (float | None | NaN)


@dataclass(frozen=True)
class Axes:
    """The case's axes: entity axes with their members, one time axis, attributes."""

    entities: dict[str, tuple[str, ...]]  # entity axis -> its codes
    time: str
    calendar: str  # yearly | quarterly | monthly
    periods: tuple[int, ...]  # period numbers (idxlang/semantics/calendar.py)
    attributes: dict[str, str]  # attribute -> its entity axis
    groups: dict[str, tuple[str, ...]]  # attribute -> its codes


@dataclass
class Table:
    """A table of the spec and its logical rows: what any layout of its file reads as."""

    name: str
    entity: str | None
    time: str | None
    columns: list[str]
    attributes: list[str]  # declared here (own attributes)
    rows: list[Row]
    layout: str = "default"  # default | long | wide | wide1 (one variable, "{period}") | series
    format: str = "csv"  # csv | csv; (semicolons, decimal commas) | parquet | jsonl
    labels: str = "label"  # how a quarter or month is written: label | dashed | spaced | date | typed (a Parquet date)
    title: str | None = None
    docs: dict[str, str] = field(default_factory=dict)

    @property
    def keys(self) -> list[str]:
        return [k for k in (self.entity, self.time) if k]

    @property
    def file(self) -> str:
        ext = {"csv": "csv", "csv;": "csv", "parquet": "parquet", "jsonl": "jsonl"}[self.format]
        return f"{self.name}.{ext}"

    def statement(self, calendar: str, title: bool = False, doc: int | None = None, one_per_line: bool = True) -> str:
        """The table's statement: its axes, file and layout, then its attributes and
        columns (the doc-th item documented)."""
        every = "" if calendar == "yearly" else f" {calendar}"
        if self.entity and self.time:
            axes = f"{self.entity} by {self.time}{every}"
        else:
            axes = f"by {self.time}{every}" if self.time else str(self.entity)
        layout = ""
        if self.layout == "long":
            layout = " long(indicator, value)"
        elif self.layout in ("wide", "wide1"):
            first, last = self.periods()
            pattern = "{variable}_{period}" if self.layout == "wide" else "{period}"
            layout = f' wide("{pattern}", {first}..{last})'
        elif self.layout == "series":
            first, last = self.periods()
            layout = f' series(indicator, "{{period}}", {first}..{last})'
        items = [f"{a} attribute" for a in self.attributes] + list(self.columns)
        if doc is not None:
            items[doc] += ' "documented"'
        shown = ' "A table"' if title else ""
        head = f'table {self.name}{shown}: {axes} from "{self.file}"{layout}'
        body = [f"  {x}" for x in items] if one_per_line else ["  " + ", ".join(items)] if items else []
        return "\n".join([head, *body])

    def periods(self) -> tuple[int, int]:
        found = [int(r[self.time]) for r in self.rows] if self.time else []  # type: ignore[call-overload]
        return (min(found), max(found)) if found else (0, 0)


@dataclass
class Case:
    spec: str
    axes: Axes
    tables: list[Table]
    outputs: list[str]
    params: dict[str, float | int] = field(default_factory=dict)  # --param overrides
    constructs: frozenset[str] = frozenset()
    columns: dict[tuple[str, str], str] = field(default_factory=dict)  # (output, column) -> its top construct
    keys: dict[str, tuple[str, ...]] = field(default_factory=dict)  # output -> its keys, as its 'by' lists them
    uses: dict[tuple[str, str], frozenset[str]] = field(default_factory=dict)  # (output, column) -> its constructs

    def __repr__(self) -> str:  # what hypothesis prints for a falsifying case: the spec and its data
        return f"Case(params={self.params})\n--- spec.idx\n{self.spec}--- data\n{self.data_text()}"

    def to_json(self) -> dict[str, object]:
        """The whole case, to write beside a saved case (case.json) and read back."""
        nan = lambda v: {"float": "nan"} if isinstance(v, float) and v != v else v  # noqa: E731
        return {"spec": self.spec, "axes": vars(self.axes), "params": self.params, "outputs": self.outputs,
                "constructs": sorted(self.constructs),
                "tables": [{**vars(t), "rows": [{k: nan(v) for k, v in r.items()} for r in t.rows]} for t in self.tables],
                "columns": [[o, c, v] for (o, c), v in self.columns.items()],
                "keys": self.keys, "uses": [[o, c, sorted(v)] for (o, c), v in self.uses.items()]}

    @staticmethod
    def from_json(d: dict) -> Case:  # type: ignore[type-arg]
        unnan = lambda v: float("nan") if isinstance(v, dict) else v  # noqa: E731
        ax = d["axes"]
        axes = Axes({k: tuple(v) for k, v in ax["entities"].items()}, ax["time"], ax["calendar"], tuple(ax["periods"]),
                    dict(ax["attributes"]), {k: tuple(v) for k, v in ax["groups"].items()})
        tables = [Table(**{**t, "rows": [{k: unnan(v) for k, v in r.items()} for r in t["rows"]]}) for t in d["tables"]]
        return Case(d["spec"], axes, tables, list(d["outputs"]), dict(d["params"]), frozenset(d["constructs"]),
                    {(o, c): v for o, c, v in d["columns"]}, {o: tuple(k) for o, k in d["keys"].items()},
                    {(o, c): frozenset(v) for o, c, v in d["uses"]})

    def _repr_pretty_(self, p, cycle) -> None:  # type: ignore[no-untyped-def]  # hypothesis's printer
        p.text(repr(self))

    def rows(self) -> dict[str, list[Row]]:
        """The tables as the reference interpreter takes them."""
        return {t.name: [dict(r) for r in t.rows] for t in self.tables}

    def data_text(self) -> str:
        """Every table as CSV text (NaN written NaN, missing empty), for a report."""
        parts = []
        for t in self.tables:
            out = io.StringIO()
            names = [*t.keys, *t.attributes, *t.columns]
            w = csv.writer(out, lineterminator="\n")
            w.writerow(names)
            for r in t.rows:
                shown = {**r, **({t.time: period_text(int(r[t.time]), self.axes.calendar, t.labels)} if t.time else {})}  # type: ignore[call-overload]
                w.writerow([_cell(shown.get(n)) for n in names])
            parts.append(f"# {t.file} ({t.layout} layout, {t.format}; shown one column per variable)\n{out.getvalue()}")
        return "\n".join(parts)


def _cell(v: object) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        return str(int(v)) if v.is_integer() else repr(v)
    return str(v)


def period_text(number: int, calendar: str, labels: str) -> object:
    """A period as the file writes it."""
    if calendar == "yearly":
        return number
    per = 4 if calendar == "quarterly" else 12
    year, within = divmod(number, per)
    if calendar == "quarterly":
        q = within + 1
        if labels in ("date", "typed"):
            day = datetime.date(year, 3 * q, 1)
            return day if labels == "typed" else day.isoformat()
        return {"label": f"{year}Q{q}", "dashed": f"{year}-Q{q}", "spaced": f"{year} q{q}"}[labels]
    m = within + 1
    if labels in ("date", "typed"):
        day = datetime.date(year, m, 15)
        return day if labels == "typed" else day.isoformat()
    return {"label": f"{year}-{m:02d}", "dashed": f"{year}M{m:02d}", "spaced": f"{year}/{m:02d}"}[labels]
