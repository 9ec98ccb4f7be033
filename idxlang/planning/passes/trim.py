"""Each statement shows only the columns it reads.

The plan's steps are shared by the statements of a run: a read of the user's data has
every column any output needs, a Derive step every column any of them computes there.
One statement (an output, a stage, a count) reads only some of them; the CTEs it is
written with keep those alone, so that the SQL a reviewer reads for it says what it
computes and nothing else. Rows are never touched: a step keeps its rows whatever
columns it keeps, and a Derive step left with no column of its own is read through
(its readers read its source, which has the same rows).

Run by compile.script for each statement, after the plan passes: unlike them it is
not a rewrite of the plan, which every statement still shares.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from .. import steps as s
from .reads import referenced


def trimmed(steps: Mapping[str, s.Step], names: list[str], demand: dict[str, set[str]]) -> dict[str, s.Step]:
    """The steps `names` (a statement's CTEs, in plan order) each cut to the columns read
    of it: `demand` says what the statement's own query reads of each step it reads
    (those steps stay, whatever is left of them); a Derive step read only by the others
    and left with nothing of its own is read through."""
    wanted = {n: set(cols) for n, cols in demand.items()}
    cut: dict[str, s.Step] = {}
    for name in reversed(names):
        step = _cut(steps[name], wanted.get(name, set()))
        cut[name] = step
        for source, cols in _reads(step, wanted.get(name, set())).items():
            wanted.setdefault(source, set()).update(cols)
    through = {n: st.source for n, st in cut.items() if n not in demand
               and isinstance(st, s.Derive) and not st.columns and not st.joins and st.source in cut}
    swap = lambda n: _final(n, through)  # noqa: E731
    return {n: s.redirect(cut[n], swap) for n in names if n not in through}


def _final(name: str, through: dict[str, str]) -> str:
    while name in through:
        name = through[name]
    return name


def _cut(step: s.Step, wanted: set[str]) -> s.Step:
    """step with only the columns of its own that are wanted: a Derive's computed
    columns; a plain read of the user's data, its variables."""
    if isinstance(step, s.Derive):  # its keys are columns every reader has (an attribute joined by its entity)
        wanted = wanted | set(step.keys)
        return replace(step, columns=tuple(c for c in step.columns if c.name in wanted),
                       joins=tuple(j for j in step.joins if set(j.columns) & _used(step, wanted)))
    if isinstance(step, s.Read) and _plain(step):
        return replace(step, table=replace(step.table, columns=tuple(c for c in step.table.columns if c in wanted)))
    return step


def _used(step: s.Derive, wanted: set[str]) -> set[str]:
    """The names a Derive step's kept columns read, and what is wanted of it."""
    return wanted | referenced(replace(step, columns=tuple(c for c in step.columns if c.name in wanted)))


def _plain(step: s.Read) -> bool:
    """A read of the user's data as it is: one column per variable, no screen reading
    its columns, no check of repeated keys in it."""
    t = step.table
    return t.layout is None and step.screen is None and not t.repeated


def _reads(step: s.Step, wanted: set[str]) -> dict[str, set[str]]:
    """What step, cut, reads of each step it reads: everything it names (its keys, its
    expressions' names, a join's columns and keys), and what it passes on of its
    source's columns (a Derive's `*`)."""
    names = referenced(step) | wanted if isinstance(step, s.Derive) else referenced(step) | set(s.provides(step)) | wanted
    names |= {k for j in getattr(step, "joins", ()) for k in j.keys}  # the rows' side of each join
    found: dict[str, set[str]] = {}
    for source in s.reads(step):
        found.setdefault(source, set()).update(names)
    for j in getattr(step, "joins", ()):
        found.setdefault(j.source, set()).update((*j.columns, *j.keys))
    return found
