"""What two statements of a run compute is computed once, into a table.

A run executes one statement per output and one per set of rows whose skipped values
are counted. A step two of them read (the scores both an entity output and a
district output show; the rows a count reads) is computed once, into a temporary
table of the session named as the step, and later statements read that table: its stage. A stage keeps only
the columns later statements read. Only the last step of a chain that the same
statements read is staged, and the statements that read an earlier step of the chain
read the stage instead, which has the same rows and more columns. The user's data is
never copied into a stage for its own sake: reading it again costs a scan.

    before:  output regions: WITH regions, ..., score SELECT ...    (score computed twice)
             output districts: WITH regions, ..., score, districts SELECT ...
    after:   CREATE TEMPORARY TABLE score AS WITH regions, ..., score SELECT keys, used columns FROM score
             output regions: SELECT ... FROM score ...
"""

from __future__ import annotations

from dataclasses import replace
from ...semantics import model as m
from .. import steps as s
from .reads import available, referenced

def queries(plan: s.Plan) -> dict[object, list[str]]:
    """Each statement of a run and the steps it reads directly (as compile.script forms them)."""
    found: dict[object, list[str]] = {f"output {o}": s.query_reads(q) for o, q in plan.outputs.items()}
    for t in plan.tallies:
        found.setdefault(("count", *s.tally_group(t)), s.query_reads(t))
    return found


def share(plan: s.Plan) -> s.Plan:
    """Stage, from the last step back, every step two statements still compute: the
    queries, and the statements that compute the stages already chosen."""
    staged: list[str] = []
    counts = _computing(plan, staged)
    for name in reversed(list(plan.steps)):
        step = plan.steps[name]
        if _input(step) or _pointwise(plan, name) or isinstance(step, s.Merge):
            continue  # reading the user's data again costs a scan, not a copy; a column of a pool, a join
        if counts.get(name, 0) >= 2 or checked(step):
            staged.append(name)
            plan = _read_through(plan, name)
            counts = _computing(plan, staged)
    if not staged:
        return plan
    staged = [n for n in plan.steps if n in staged]
    outputs = {o: s.upstream(plan.steps, s.query_reads(q)) for o, q in plan.outputs.items()}
    names: dict[int, set[str]] = {}  # what each step or query names, found once for all stages
    stages = tuple(s.Stage(n, _kept(plan, n, names), tuple(o for o, up in outputs.items() if n in up)) for n in staged)
    return replace(plan, stages=stages)


def checked(step: s.Step) -> tuple[str, ...]:
    """What data/checks.py checks in the stage of a file laid out long, if `step` reads one:
    whether a key repeats a variable. Its pivot is staged even when
    one statement reads it, so that the check reads the pivoted rows instead of grouping
    the file's rows once more."""
    if not isinstance(step, s.Read) or step.merge_into or step.table.repeated is None:
        return ()
    return (step.table.repeated,)


def _computing(plan: s.Plan, staged: list[str]) -> dict[str, int]:
    """For each step, how many statements compute it, when the steps in `staged` are
    tables computed before them."""
    starts = [*queries(plan).values(), *(list(s.reads(plan.steps[n])) for n in staged)]
    counts: dict[str, int] = {}
    for reads in starts:
        for name in s.upstream(plan.steps, reads, stop=set(staged)):  # up to the staged tables, which it reads
            counts[name] = counts.get(name, 0) + 1
    return counts


def _input(step: s.Step) -> bool:
    """A plain read of the user's data: read again rather than copied. A file laid out
    long or wide by period is reshaped when read, which is worth doing once."""
    return isinstance(step, s.Read) and not step.merge_into and step.table.layout is None


_POINTWISE = (m.Ref, m.Const, m.Param, m.Op, m.Classify)


def _pointwise(plan: s.Plan, name: str) -> bool:
    """Row-wise arithmetic on the user's data (`P0i0 / GDP`): computed again by each
    statement as cheaply as the data is scanned again, rather than copied with it into
    a stage; each statement then shows only the columns it reads (planning/passes/trim.py)."""
    step = plan.steps[name]
    if not isinstance(step, s.Derive) or step.joins or step.source not in plan.steps:
        return False
    if not all(isinstance(n, _POINTWISE) for c in step.columns for n in m.walk(c.expr)):
        return False
    assert step.source is not None  # it is in plan.steps
    source = plan.steps[step.source]
    return _input(source) or _pointwise(plan, step.source)


def _chain(plan: s.Plan, name: str) -> list[str]:
    """The steps before `name` with the same rows: its Derive sources, back to the first."""
    found = []
    step = plan.steps[name]
    while isinstance(step, s.Derive) and step.source in plan.steps:
        assert step.source is not None  # it is in plan.steps
        found.append(step.source)
        step = plan.steps[step.source]
    return found


def _read_through(plan: s.Plan, stage: str) -> s.Plan:
    """Readers of an earlier step of the stage's chain read the stage (same rows, more
    columns), unless the stage is computed from them, or the step is the user's data
    (scanning it again is cheaper than copying its columns into the stage)."""
    before = s.upstream(plan.steps, [stage])
    # a column the stage has beyond the earlier step's, which a step after it adds again
    # (an attribute, attached to every grain's rows that carry it), would then be there twice
    added = {c for n, st in plan.steps.items() if n not in before for c in s.provides(st)}
    have = available(plan.steps, stage)
    earlier = {n for n in _chain(plan, stage) if not _input(plan.steps[n])
               and not (have - available(plan.steps, n)) & added}
    swap = lambda n: stage if n in earlier else n  # noqa: E731
    moved = s.redirect_plan(plan, swap)
    steps = {n: plan.steps[n] if n in before else st for n, st in moved.steps.items()}  # what the stage is computed from stays
    return replace(moved, steps=s.ordered(steps))


def _kept(plan: s.Plan, stage: str, names: dict[int, set[str]]) -> tuple[str, ...]:
    """The stage's columns that a statement after it reads: its keys and what any step
    or query downstream of it names."""
    readers: dict[str, list[str]] = {}
    for st in plan.steps.values():
        for n in s.reads(st):
            readers.setdefault(n, []).append(st.name)
    below, todo = set(), [stage]
    while todo:
        n = todo.pop()
        for reader in readers.get(n, ()):
            if reader not in below:
                below.add(reader)
                todo.append(reader)
    reach = below | {stage}
    found: list[s.Reader] = [plan.steps[n] for n in below]
    statements: tuple[s.OutputQuery | s.Tally, ...] = (*plan.outputs.values(), *plan.tallies)
    found += [q for q in statements if reach & set(s.query_reads(q))]
    named: set[str] = set(plan.steps[stage].keys)
    for r in found:
        if id(r) not in names:
            names[id(r)] = referenced(r) | {c for j in getattr(r, "joins", ()) for c in (*j.columns, *j.keys)}
        named |= names[id(r)]
    have = available(plan.steps, stage)
    order = [c for c in _in_order(plan, stage) if c in have]
    kept = tuple(c for c in order if c in named) or tuple(order[:1])  # its rows are read: a scalar's one row
    return (*kept, *(c for c in checked(plan.steps[stage]) if c not in kept))


def _in_order(plan: s.Plan, stage: str) -> list[str]:
    """The stage's columns in the order its chain adds them."""
    order: list[str] = []
    for n in [*reversed(_chain(plan, stage)), stage]:
        step = plan.steps[n]
        order += [*step.keys, *s.provides(step)]
        inherited = getattr(step, "merge_into", None)
        if inherited:
            order = list(_in_order(plan, inherited)) + order
    return list(dict.fromkeys(order))
