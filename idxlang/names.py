"""Names the compiler makes up: for a CTE, a column, a window or a stacked axis, from
what it holds, never clashing with a name already taken."""

from __future__ import annotations

import re
from collections.abc import Container


def slug(text: str) -> str:
    """Text as a plain SQL name: `min(x over region)` → `min_x_over_region`."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower()[:48] or "value"


def fresh(base: str, taken: Container[str]) -> str:
    """`base`, or `base_2`, `base_3`, ..., the first not in `taken`."""
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def reserve(base: str, taken: set[str]) -> str:
    """A fresh name, added to `taken` so that the next one differs."""
    name = fresh(base, taken)
    taken.add(name)
    return name
