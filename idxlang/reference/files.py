"""Reading a table's file for the interpreter: CSV (the csv module) or Parquet
(pyarrow, imported only here), in the default layout, one column per variable. Other
layouts (long, wide, sheets) are refused with a clear error.

- The spec's keys, its own attributes and its numeric columns are read; other columns
  are not. A table without a file named falls back to its `from` file.
- CSV: the text encoding the spec states, else UTF-8 (a byte-order mark is fine), else
  Windows-1251; the delimiter sniffed from the header (`,` `;` tab `|`). An empty cell,
  `NaN` or `NA` is missing, and so is a cell holding one of the table's marks of a
  missing value (`missing ".."`), spaces around it aside; a number may carry the
  table's flags after a space (`flags "p"`: `12.3 p` is 12.3, `: c` is the mark `:`).
  In a file not separated by commas, a number may be written with a decimal comma and
  a space or dot grouping thousands (`1 204,5`). Lines above the header are passed over:
  those `header row N` states, else those before the first line naming every column read.
- Time keys: a year is a whole number; a quarter (`2024Q1`, `2024-Q1`, `2024 q1`, a date)
  or a month (`2024-03`, `2024M03`, `2024/03`, a date) becomes its period number
  (semantics/calendar.py: year × 4 + quarter − 1, year × 12 + month − 1).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from pathlib import Path
from typing import TYPE_CHECKING, Mapping, cast

from ..semantics import model as m
from ..semantics.calendar import Calendar
from .panel import DataError

if TYPE_CHECKING:
    from _typeshed import ConvertibleToFloat

MISSING_TEXT = frozenset({"", "nan", "na", "null"})


def load_tables(model: m.Model, files: Mapping[str, Path | str] | None = None) -> dict[str, list[dict[str, object]]]:
    """Every table of the model with a file (`files` first, else its `from` file), as
    row dicts ready for `evaluate`."""
    files = dict(files or {})
    out: dict[str, list[dict[str, object]]] = {}
    for name, info in model.tables.items():
        path = files.get(name, info.source)
        if path is None:
            continue
        if info.layout is not None:
            raise DataError(f"table {name}: the reference loader reads one column per variable only, not the "
                            f"{info.layout.name} layout of {Path(path).name}")
        out[name] = read_table(info, Path(path))
    return out


def read_table(info: m.TableInfo, path: Path) -> list[dict[str, object]]:
    suffix = path.suffix.lower()
    if suffix in (".csv", ".tsv", ".txt"):
        raw, decimal_comma = _csv(path, info.encoding, [*info.keys, *info.attributes, *info.columns], info.header)
    elif suffix == ".parquet":
        import pyarrow.parquet as pq

        raw, decimal_comma = pq.read_table(path).to_pylist(), False
    else:
        raise DataError(f"table {info.name}: the reference loader reads .csv and .parquet files, not {path.name}")
    wanted = [*info.keys, *info.attributes, *info.columns]
    if raw:
        absent = [c for c in wanted if c not in raw[0]]
        if absent:
            raise DataError(f"table {info.name}: {path.name} has no column {', '.join(absent)}")
    rows = []
    for i, r in enumerate(raw):
        where = f"{path.name}, row {i + 2 if suffix != '.parquet' else i + 1}"
        row: dict[str, object] = {}
        if info.entity:
            row[info.entity] = _text(r[info.entity])
        if info.time:
            row[info.time] = _period(r[info.time], info.calendar, f"{where}, column {info.time}")
        for a in info.attributes:
            text = _text(r[a])
            row[a] = None if text in info.missing else text
        for c in info.columns:
            cell = _unflagged(r[c], info.flags)
            marked = isinstance(cell, str) and cell.strip() in info.missing
            row[c] = None if marked else _number(cell, decimal_comma, f"{where}, column {c}")
        rows.append(row)
    return rows


def _unflagged(v: object, flags: tuple[str, ...]) -> object:
    """A cell without the flags written after it: the last word, when it is made of flags."""
    if not flags or not isinstance(v, str):
        return v
    words = v.strip().rsplit(None, 1)
    if len(words) == 2 and _all_flags(words[1], flags):
        return words[0]
    return v


def _all_flags(word: str, flags: tuple[str, ...]) -> bool:
    return word == "" or any(word.startswith(f) and _all_flags(word[len(f):], flags) for f in flags)


def _csv(path: Path, encoding: str | None, wanted: list[str], header: int | None) -> tuple[list[dict[str, object]], bool]:
    data = path.read_bytes()
    if encoding is not None:
        content = data.decode(encoding)
    else:
        try:
            content = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            content = data.decode("cp1251")
    content = content.lstrip("\ufeff")
    lines = content.split("\n")
    skip = header - 1 if header else next((i for i, line in enumerate(lines[:30])
                                             if all(re.search(rf"(^|[,;\t|\"])\s*{re.escape(w)}\s*($|[,;\t|\"])", line) for w in wanted)), 0)
    content = "\n".join(lines[skip:])
    try:
        delimiter = csv.Sniffer().sniff(lines[skip], delimiters=",;\t|").delimiter
    except csv.Error:
        delimiter = ","
    rows = list(csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter))
    return rows, delimiter != ","


def _text(v: object) -> str | None:
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return None
    s = str(v).strip() if isinstance(v, str) else str(v)
    return s or None


_GROUPED = re.compile(r"[-+]?\d{1,3}([ .\u00a0\u202f]\d{3})*(,\d+)?|[-+]?\d+(,\d+)?")


def _number(v: object, decimal_comma: bool, where: str) -> float | None:
    if v is None:
        return None
    if isinstance(v, (int, float)) and not isinstance(v, bool):
        return None if math.isnan(float(v)) else float(v)
    s = str(v).strip()
    if s.lower() in MISSING_TEXT:
        return None
    try:
        return float(s)
    except ValueError:
        pass
    if decimal_comma and _GROUPED.fullmatch(s):
        return float(re.sub(r"[ .\u00a0\u202f]", "", s).replace(",", "."))
    raise DataError(f"{where}: {s!r} is not a number")


_QUARTER = re.compile(r"(\d{4})[- ]?[Qq]([1-4])")
_MONTH = re.compile(r"(\d{4})[-/M](0[1-9]|1[0-2])")
_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})([ T].*)?")


def _period(v: object, calendar: Calendar, where: str) -> int:
    """A time key as the period number the model uses."""
    if calendar is Calendar.YEAR:
        try:
            f = float(cast("ConvertibleToFloat", v))  # a number or its text: anything else is a TypeError
        except (TypeError, ValueError):
            raise DataError(f"{where}: {v!r} is not a year") from None
        if not f.is_integer():
            raise DataError(f"{where}: {v!r} is not a whole year")
        return int(f)
    if isinstance(v, (dt.date, dt.datetime)):
        year, month = v.year, v.month
    else:
        s = str(v).strip()
        found = _QUARTER.fullmatch(s) if calendar is Calendar.QUARTER else _MONTH.fullmatch(s)
        date = _DATE.fullmatch(s)
        if found is not None:
            year, within = int(found.group(1)), int(found.group(2))
            return year * calendar.per_year + within - 1
        if date is None:
            raise DataError(f"{where}: {v!r} is not a {calendar.noun}")
        year, month = int(date.group(1)), int(date.group(2))
    if calendar is Calendar.QUARTER:
        return year * 4 + (month - 1) // 3
    return year * 12 + month - 1
