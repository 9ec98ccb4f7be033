"""Names the compiler makes up: for a CTE, a column, a window or a stacked axis, from
what it holds, never clashing with a name already taken."""

from __future__ import annotations

import hashlib
import re
from collections.abc import Container


def slug(text: str) -> str:
    """Text as a plain SQL name: `min(x over region)` → `min_x_over_region`."""
    return re.sub(r"[^A-Za-z0-9_]+", "_", text).strip("_").lower()[:48] or "value"


# PostgreSQL cuts identifiers at 63 bytes (a Cyrillic letter takes two), so two made-up
# names that differ only further on would become one. A made-up name keeps to LONGEST
# bytes, leaving room for the suffixes added to it (`_statistics`, `_present`, `_2`).
LONGEST = 50


def bounded(base: str) -> str:
    """`base`, or when longer than LONGEST bytes in UTF-8 its start and a hash of the whole."""
    if len(base.encode("utf-8")) <= LONGEST:
        return base
    head = base.encode("utf-8")[:LONGEST - 9].decode("utf-8", errors="ignore").rstrip("_")
    return f"{head}_{hashlib.sha1(base.encode('utf-8')).hexdigest()[:8]}"


def fresh(base: str, taken: Container[str]) -> str:
    """`base` (bounded), or `base_2`, `base_3`, ..., the first not in `taken`."""
    base = bounded(base)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}_{n}", n + 1
    return name


def reserve(base: str, taken: set[str]) -> str:
    """A fresh name, added to `taken` so that the next one differs."""
    name = fresh(base, taken)
    taken.add(name)
    return name
