"""Keys of a grain: a key is a tuple of values, one per dim, in the grain's canonical
order (its dims sorted by name), so that two grains with the same dims share keys
whatever order an expression's grain lists them in. A coarser grain's key is found
from a finer one's by projection: a dim the two share is copied, an attribute dim is
looked up through the finer key's entity (no key when the entity's attribute is
missing)."""

from __future__ import annotations

from typing import Callable, Mapping

from ..semantics import model as m

Dims = tuple[str, ...]
Key = tuple[object, ...]
MISSING_KEY = None  # a projection that has no key: the entity's attribute is missing


def dims(grain: m.Grain | Dims) -> Dims:
    """The canonical order of a grain's dims."""
    return tuple(sorted(grain.dims if isinstance(grain, m.Grain) else grain))


class Projector:
    """Projections between grains, knowing each attribute's entity and values."""

    def __init__(self, entity_of: Mapping[str, str], attribute: Callable[[str, object], object]) -> None:
        self.entity_of = entity_of  # attribute -> its entity axis
        self.attribute = attribute  # (attribute, entity value) -> the attribute's value or None
        self._plans: dict[tuple[Dims, Dims], list[tuple[int, str | None]]] = {}

    def plan(self, fine: Dims, coarse: Dims) -> list[tuple[int, str | None]]:
        """For each dim of `coarse`: where it is in `fine`, and the attribute to look up
        there (None: copied as it is)."""
        found = self._plans.get((fine, coarse))
        if found is None:
            found = []
            for d in coarse:
                if d in fine:
                    found.append((fine.index(d), None))
                elif self.entity_of.get(d) in fine:
                    found.append((fine.index(self.entity_of[d]), d))
                else:
                    raise ValueError(f"cannot project {fine} onto {coarse}: no '{d}'")
            self._plans[(fine, coarse)] = found
        return found

    def project(self, key: Key, fine: Dims, coarse: Dims) -> Key | None:
        """The key of `coarse` that `key` (of `fine`) lies in; None when an attribute it
        needs is missing."""
        if fine == coarse:
            return key
        out = []
        for i, attribute in self.plan(fine, coarse):
            v = key[i] if attribute is None else self.attribute(attribute, key[i])
            if v is None:
                return MISSING_KEY
            out.append(v)
        return tuple(out)
