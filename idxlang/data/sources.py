"""Which file feeds which table: the spec's own, or one given for the run; each as a
`Source`, what the reading and the checks of its file need to know."""

from __future__ import annotations

from collections.abc import Set
from dataclasses import dataclass
from pathlib import Path

from ..diagnostics import Diagnostic, IdxError, did_you_mean
from ..layouts import Layout
from ..semantics import model as m


@dataclass(frozen=True)
class Source:
    table: str
    path: Path
    numbers: tuple[str, ...] = ()  # the file's columns that hold numbers (a decimal comma is looked for there)
    encoding: str | None = None  # as stated in the spec; else read off the file
    part: str | None = None  # a workbook's sheet or a database file's table, when stated
    time: str | None = None
    missing: tuple[str, ...] = ()  # the file's marks of a missing value, as the spec states them
    marked: tuple[str, ...] = ()  # the file's columns a mark may be in: its values and attributes
    columns: tuple[str, ...] = ()  # the file's columns the spec reads: its view holds only those when all are there
    header: int | None = None  # the header's row (line) of the file, when stated
    flags: tuple[str, ...] = ()  # the flags a number may carry after it (`12.3 p`)
    layout: Layout | None = None  # how the file lays out the table (None: a column per variable)
    variables: tuple[str, ...] = ()  # the table's variables the spec reads


def resolve_sources(model: m.Model, data: list[str] | dict[str, str] | None, skip: Set[str] = frozenset()) -> list[Source]:
    """Which file feeds which table: --data NAME=FILE, a bare FILE for a one-table
    spec, else the file the table names itself (relative to the spec); none for the
    tables in `skip` (already in the engine: --table)."""
    given: dict[str, str] = {}
    items = list(data.items()) if isinstance(data, dict) else [(None, d) for d in (data or [])]
    for name, value in items:
        if name is None and "=" in value and value.split("=", 1)[0] in model.tables:
            name, value = value.split("=", 1)
        if name is None:
            if len(model.tables) != 1:
                raise IdxError(Diagnostic("error", f"--data {value}: the spec reads {len(model.tables)} tables "
                                          f"({', '.join(model.tables)}); say which with --data TABLE=FILE"))
            name = next(iter(model.tables))
        if name not in model.tables:
            raise IdxError(Diagnostic("error", f"--data {name}=...: the spec has no table '{name}'",
                                      hint=did_you_mean(name, model.tables)))
        given[name] = value
    sources = []
    for t in model.tables.values():
        if t.name in skip:
            continue
        path = given.get(t.name) or t.source
        if path is None:
            raise IdxError(Diagnostic("error", f"no data for table {t.name}: pass --data {t.name}=FILE"))
        p = Path(path)
        where = "named by the spec" if t.name not in given else "given for the run"
        if not p.exists():
            raise IdxError(Diagnostic("error", f"data file for table {t.name} not found: {p} ({where})"))
        if p.is_dir():
            raise IdxError(Diagnostic("error", f"data for table {t.name} is a folder, not a file: {p} ({where})",
                                      hint="name the file inside it"))
        if p.stat().st_size == 0:
            raise IdxError(Diagnostic("error", f"data file for table {t.name} is empty: {p} ({where})"))
        sources.append(Source(t.name, p, t.raw_values, t.encoding, t.part, t.time, t.missing,
                              (*t.raw_values, *t.attributes), t.raw_columns, t.header, t.flags, t.layout, t.columns))
    return sources
