"""A case's data on disk: one file per table, in the table's layout (one column per
variable, long, wide by period, a series per row) and format (CSV, CSV with semicolons and decimal
commas, Parquet with NaN, JSON lines); and every table again as a default-layout
Parquet file, which must give the same results (a metamorphic check of the readers)."""

from __future__ import annotations

import csv
import json
import math
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from .case import Case, Row, Table, period_text


def write(case: Case, folder: Path) -> Path:
    """The spec and its data files; the spec's path."""
    folder.mkdir(parents=True, exist_ok=True)
    spec = folder / "spec.idx"
    spec.write_text(case.spec, encoding="utf-8")
    for t in case.tables:
        write_table(t, folder / t.file, case.axes.calendar)
    return spec


def write_default(case: Case, folder: Path) -> tuple[dict[str, str], dict[str, str]]:
    """Every table as a default-layout Parquet file: (data paths, layouts) to run with."""
    folder.mkdir(parents=True, exist_ok=True)
    data, layouts = {}, {}
    for t in case.tables:
        plain = Table(t.name, t.entity, t.time, t.columns, t.attributes, t.rows, "default", "parquet")
        path = folder / f"{t.name}.parquet"
        write_table(plain, path, case.axes.calendar)
        data[t.name], layouts[t.name] = str(path), "default"
    return data, layouts


def write_table(t: Table, path: Path, calendar: str) -> None:
    header, rows = _laid_out(t, calendar)
    if t.format == "parquet":
        _parquet(t, header, rows, path)
    elif t.format == "jsonl":
        with path.open("w", encoding="utf-8") as f:
            for r in rows:
                f.write(json.dumps({h: _json(v) for h, v in zip(header, r)}) + "\n")
    else:
        semicolons = t.format == "csv;"
        with path.open("w", encoding="utf-8", newline="") as f:
            w = csv.writer(f, delimiter=";" if semicolons else ",", lineterminator="\n")
            w.writerow(header)
            for r in rows:
                w.writerow([_text(v, semicolons) for v in r])


def _laid_out(t: Table, calendar: str) -> tuple[list[str], list[list[object]]]:
    """The file's header and rows for the table's layout."""
    when = lambda r: period_text(int(r[t.time]), calendar, t.labels)  # noqa: E731
    keys = lambda r: ([r[t.entity]] if t.entity else []) + ([when(r)] if t.time else [])  # noqa: E731
    if t.layout == "long":
        header = [*t.keys, *t.attributes, "indicator", "value"]
        rows = []
        named = set()  # every variable is named in some row: a variable the file lacks is an error
        for i, r in enumerate(t.rows):
            held = [c for c in t.columns if r.get(c) is not None]
            for c in t.columns:
                last = i + 1 == len(t.rows) and c not in named
                if r.get(c) is None and (held or c != t.columns[0]) and not last:
                    continue  # a missing cell needs no row, so long as its key keeps one
                rows.append([*keys(r), *[r.get(a) for a in t.attributes], c, r.get(c)])
                named.add(c)
        return header, rows
    if t.layout in ("wide", "wide1"):
        first, last = t.periods()
        periods = range(first, last + 1)
        name = (lambda c, p: f"{c}_{p}") if t.layout == "wide" else (lambda c, p: str(p))
        header = [str(t.entity), *t.attributes, *[name(c, p) for c in t.columns for p in periods]]
        by_entity: dict[object, dict[int, Row]] = {}
        for r in t.rows:
            by_entity.setdefault(r[t.entity], {})[int(r[t.time])] = r  # type: ignore[call-overload,index]
        rows = []
        for e, cells in by_entity.items():
            any_row = next(iter(cells.values()))
            rows.append([e, *[any_row.get(a) for a in t.attributes],
                         *[cells.get(p, {}).get(c) for c in t.columns for p in periods]])
        return header, rows
    if t.layout == "series":  # a row per entity and variable, a column per period
        first, last = t.periods()
        periods = range(first, last + 1)
        header = [str(t.entity), *t.attributes, "indicator", *[str(p) for p in periods]]
        series: dict[object, dict[int, Row]] = {}
        for r in t.rows:
            series.setdefault(r[t.entity], {})[int(r[t.time])] = r  # type: ignore[call-overload,index]
        rows = [[e, *[next(iter(cells.values())).get(a) for a in t.attributes], c, *[cells.get(p, {}).get(c) for p in periods]]
                for e, cells in series.items() for c in t.columns]
        return header, rows
    header = [*t.keys, *t.attributes, *t.columns]
    return header, [[*keys(r), *[r.get(a) for a in t.attributes], *[r.get(c) for c in t.columns]] for r in t.rows]


def _parquet(t: Table, header: list[str], rows: list[list[object]], path: Path) -> None:
    columns = list(zip(*rows)) if rows else [[] for _ in header]
    arrays = []
    for h, values in zip(header, columns):
        if h == t.time and t.labels == "typed":
            arrays.append(pa.array(values, pa.date32()))
        elif h == t.time and isinstance(next(iter(values), 0), int):
            arrays.append(pa.array(values, pa.int64()))
        elif h == t.entity or h in t.attributes or h == "indicator" or h == t.time:
            arrays.append(pa.array([None if v is None else str(v) for v in values], pa.string()))
        else:
            arrays.append(pa.array([None if v is None else float(v) for v in values], pa.float64()))  # type: ignore[arg-type]
    pq.write_table(pa.Table.from_arrays(arrays, names=header), path)


def _text(v: object, decimal_comma: bool) -> str:
    if v is None:
        return ""
    if isinstance(v, float):
        if math.isnan(v):
            return "NaN"
        s = str(int(v)) if v.is_integer() else repr(v)
        return s.replace(".", ",") if decimal_comma else s
    return str(v)


def _json(v: object) -> object:
    if isinstance(v, float) and math.isnan(v):
        return None
    return v
