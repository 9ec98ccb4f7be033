"""Each stage of the compiler as text: `idxc debug ast|model|core|plan SPEC` prints one,
and the snapshot tests (tests/test_snapshots.py) keep every stage of a corpus of specs
under review, so a change to the compiler shows as a diff of what each stage made."""

from __future__ import annotations

import dataclasses
from enum import Enum

from .. import ast
from ..semantics import model as m
from ..semantics import pretty
from ..planning import steps as s
from ..compile import Compiled

STAGES = ("ast", "model", "core", "plan", "sql")


def show_ast(module: ast.Module) -> str:
    """The syntax tree, one node a line, indented, without positions."""
    lines: list[str] = []
    for st in module.statements:
        _node(st, 0, lines, "")
    return "\n".join(lines)


def _node(value: object, depth: int, lines: list[str], label: str) -> None:
    pad = "  " * depth + (f"{label}: " if label else "")
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        fields = [f for f in dataclasses.fields(value) if f.compare and f.name not in ("span", "source")]
        simple = [(f.name, getattr(value, f.name)) for f in fields if _simple(getattr(value, f.name))]
        nested = [(f.name, getattr(value, f.name)) for f in fields if not _simple(getattr(value, f.name))]
        head = " ".join(f"{k}={v!r}" for k, v in simple if v not in (None, False, ()))
        lines.append(f"{pad}{type(value).__name__}{(' ' + head) if head else ''}")
        for k, v in nested:
            _node(v, depth + 1, lines, k)
    elif isinstance(value, tuple):
        for item in value:
            _node(item, depth, lines, label)
    else:
        lines.append(f"{pad}{value!r}")


def _simple(v: object) -> bool:
    return v is None or isinstance(v, (str, int, float, bool, Enum)) or (
        isinstance(v, tuple) and all(isinstance(x, (str, int, float)) for x in v))


def show_model(model: m.Model) -> str:
    """The checked (or core) model: axes, tables, params, then each definition with its
    grain and value in the spec's notation, then the outputs."""
    a = model.axes
    lines = [f"model {model.name}",
             f"axes: entities {', '.join(sorted(a.entities))}; times {', '.join(sorted(a.times))}"
             + (f"; stacked {', '.join(sorted(a.slots))}" if a.slots else "")]
    lines += [f"attribute {k} of {v}" for k, v in sorted(a.attributes.items())]
    for t in model.tables.values():
        lines.append(f"table {t.name} by {', '.join(t.keys) or 'nothing'}: {', '.join(t.columns)}"
                     + (f"; attributes {', '.join(t.attributes)}" if t.attributes else ""))
    lines += [f"param {p.name} = {p.value}" for p in model.params.values()]
    for info in model.stacks.values():
        lines.append(f"stacked {info.func}({', '.join(info.params)}) over {', '.join(info.slots)}")
    for d in model.definitions.values():
        lines.append(f"let {d.name} : {d.grain} = {pretty.text(d.expr)}")
    for o in model.outputs.values():
        lines.append(f"output {o.name} by {o.grain}")
        for d in o.definitions.values():
            lines.append(f"  {d.name} : {d.grain} = {pretty.text(d.expr)}")
        lines += [f"  column {c.alias} <- {c.source}" for c in o.columns]
    return "\n".join(lines)


def show_plan(plan: s.Plan) -> str:
    """The plan after the passes: each step, what it reads, what it computes."""
    lines: list[str] = []
    for st in plan.steps.values():
        reads = ", ".join(s.reads(st))
        lines.append(f"{type(st).__name__} {st.name} at {st.grain} [{', '.join(st.keys)}]" + (f" <- {reads}" if reads else ""))
        lines += _step_detail(st)
    for stage in plan.stages:
        lines.append(f"stage {stage.step}: {', '.join(stage.columns)} (read by {', '.join(stage.consumers)})")
    for q in plan.outputs.values():
        lines.append(f"output {q.output} <- {', '.join(s.query_reads(q))}: "
                     + ", ".join(f"{alias} = {pretty.text(e)}" for alias, e in q.columns))
    for t in plan.tallies:
        lines.append(f"count {pretty.text(t.arg)} ({ast.fill(t.label, ('x',))}, line {t.line}) <- "
                     f"{', '.join(s.query_reads(t))}" + (" [never missing]" if t.never_missing else ""))
    return "\n".join(lines)


def _step_detail(st: s.Step) -> list[str]:
    if isinstance(st, s.Read):
        return [f"  table input.{st.table.name}: {', '.join(st.table.columns)}"]
    if isinstance(st, s.Attributes):
        return [f"  one row per {st.keys[0]}: {', '.join(st.attributes)} from table {st.table.name}"]
    if isinstance(st, (s.Derive, s.Aggregate)):
        out = [f"  {c.name} = {pretty.text(c.expr)}" for c in st.columns]
        if isinstance(st, s.Derive):
            out += [f"  join {j.source} by {', '.join(j.keys) or 'nothing'}: {', '.join(j.columns)}" for j in st.joins]
        return out
    if isinstance(st, s.Merge):
        return [f"  take {', '.join(st.columns)} from {st.pool}"]
    if isinstance(st, s.Unpivot):
        return [f"  {col} = {' | '.join(f'{slot}: {pretty.text(e)}' for slot, e in zip(st.slots, es))}"
                for col, es in st.values]
    return [f"  treat {st.column} across {st.axis}, at most {st.winmax} points"]


def show(compiled: Compiled, module: ast.Module, stage: str) -> str:
    """One stage of a compiled spec, by name (STAGES)."""
    if stage == "ast":
        return show_ast(module)
    if stage == "model":
        return show_model(compiled.model)
    if stage == "core":
        return show_model(compiled.core)
    if stage == "plan":
        return show_plan(compiled.plan)
    return compiled.sql()
