"""How a data file lays out a table when not one column per variable: one module per
layout, owning all that is particular to it (its declaration, how its file is read,
checked and reshaped); the stages ask a layout through the hooks of `base.Layout`. A new
layout is a module here and its entry in LAYOUTS (docs/compiler.md, "Adding a data layout")."""

from __future__ import annotations

from .. import ast
from .base import Declared, Layout
from .long import Long
from .sdmx import Sdmx
from .series import Series
from .sheets import Sheets
from .wide import Wide

LAYOUTS: dict[str, type[Layout]] = {cls.name: cls for cls in (Long, Wide, Sheets, Sdmx, Series)}


def declared(lay: ast.Layout, d: Declared) -> Layout:
    """The layout the spec declares for a table (its name and arguments were checked by
    the parser: parse.py, `layout`)."""
    return LAYOUTS[lay.name.id].declared(lay, d)


__all__ = ["LAYOUTS", "Declared", "Layout", "Long", "Sdmx", "Series", "Sheets", "Wide", "declared"]
