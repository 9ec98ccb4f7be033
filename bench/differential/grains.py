"""Grains as idxc infers them (docs/language.md, "Grains"): the set of axes a
quantity varies along, and which reductions lead from one grain to another. The
generator works backwards from the grain it needs to the finer grains that reduce
onto it, so every expression it writes is well-grained by construction."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Mapping

Grain = frozenset[str]
SCALAR: Grain = frozenset()


@dataclass(frozen=True)
class Step:
    """One reduction onto a grain: `over` an axis of `source`, `by` an attribute (the
    source holds its entity instead), or `at` one period of the time axis."""

    kind: str  # over | by | at
    source: Grain
    axis: str


@dataclass(frozen=True)
class Lattice:
    """The grains reachable from the tables' grains, and how each is reached."""

    attributes: Mapping[str, str]  # attribute -> its entity
    time: str
    base: frozenset[Grain]  # grains of table columns
    into: Mapping[Grain, tuple[Step, ...]]  # reductions that give each grain
    depth: Mapping[Grain, int]  # fewest reductions from a base grain

    def covers(self, fine: Grain, coarse: Grain) -> bool:
        """A `coarse` value broadcasts onto `fine` rows (idxc's model.covers)."""
        return all(d in fine or self.attributes.get(d) in fine for d in coarse)

    def reachable(self) -> list[Grain]:
        return sorted(self.depth, key=lambda g: (self.depth[g], sorted(g)))

    def under(self, fine: Grain) -> list[Grain]:
        """Reachable grains that broadcast onto `fine` (itself included), coarsest first."""
        return sorted((g for g in self.depth if self.covers(fine, g)), key=lambda g: (len(g), sorted(g)))

    def entity_axes(self, g: Grain) -> list[str]:
        return sorted(d for d in g if d != self.time)


def lattice(base: Iterable[Grain], attributes: Mapping[str, str], time: str) -> Lattice:
    """Close the base grains under over, by and at."""
    order = lambda g: (len(g), sorted(g))  # noqa: E731 - sets iterate by hash; the generator must not
    depth: dict[Grain, int] = {g: 0 for g in sorted(base, key=order)}
    into: dict[Grain, list[Step]] = {}
    frontier = list(depth)
    while frontier:
        nxt = []
        for g in frontier:
            for step, target in _steps(g, attributes, time):
                into.setdefault(target, [])
                if step not in into[target]:
                    into[target].append(step)
                if target not in depth:
                    depth[target] = depth[g] + 1
                    nxt.append(target)
        frontier = sorted(nxt, key=order)
    return Lattice(dict(attributes), time, frozenset(base), {g: tuple(s) for g, s in into.items()}, depth)


def _steps(g: Grain, attributes: Mapping[str, str], time: str) -> list[tuple[Step, Grain]]:
    found = [(Step("over", g, d), g - {d}) for d in sorted(g)]
    found += [(Step("by", g, a), (g - {e}) | {a}) for a, e in sorted(attributes.items()) if e in g]
    if time in g:
        found.append((Step("at", g, time), g - {time}))
    return found
