"""`sdmx(DIMENSION)`: SDMX-CSV, the exchange format of Eurostat, the OECD, the IMF and the
ECB: a row per observation, a column per dimension (DATAFLOW, FREQ, GEO, ..., TIME_PERIOD),
its number in OBS_VALUE and its flag in OBS_FLAG. Read as long(DIMENSION, OBS_VALUE),
the dimension named holding the variables; the table's entity is the dimension of its
name and its time axis TIME_PERIOD, each matched whatever the case the office writes."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from .. import ast
from .base import Declared, Layout, Source
from .long import Long

TIME = "TIME_PERIOD"
VALUE = "OBS_VALUE"
FLAG = "OBS_FLAG"


@dataclass(frozen=True)
class Sdmx(Long):
    name = "sdmx"
    usage = "sdmx(dimension)"
    signature = (ast.Name,)
    flag_column = FLAG

    @classmethod
    def declared(cls, lay: ast.Layout, d: Declared) -> Layout:
        (dimension,) = lay.args
        assert isinstance(dimension, ast.Name)
        if d.table.time is None or dimension.id in {*d.keys, *d.attributes}:
            raise d.error("sdmx(dimension): the table has a time axis (TIME_PERIOD) and the dimension holding its "
                          "variables is none of its keys and attributes", lay.span)
        return cls(dimension.id, VALUE)

    def renamed(self, source: Source, types: Mapping[str, str]) -> dict[str, str]:
        """TIME_PERIOD as the time axis, a dimension as the spec names it (`GEO` for
        `geo`), OBS_VALUE and OBS_FLAG, whatever their case."""
        upper = {c.upper(): c for c in types}
        names = {upper[TIME]: source.time} if TIME in upper and source.time and source.time not in types else {}
        for c in (*source.columns, FLAG):
            if c not in types and c.upper() in upper and upper[c.upper()] not in names:
                names[upper[c.upper()]] = c
        return names
