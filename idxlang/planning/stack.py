"""User functions and treatments applied to many columns: lowered once, over a long form.

A function whose body needs steps of its own (a treatment, or a window of a window)
and is applied to several columns of one grain is planned once: its arguments are
laid out long, one row per application along a new axis (`Stack`), the body is
computed there with every window and group per application, and each application
reads its own value back (`Pick`). The SQL then shows the function once, and its
size does not grow with the number of columns. Treatments applied to several
columns directly are stacked the same way. Every other application is inlined.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import overload

from ..semantics import model as m
from ..ast import fill
from ..names import reserve

_WINDOWED = m.ACROSS_ROWS


@dataclass(frozen=True)
class _Site:
    """One application to stack: the shared template, its arguments and their text."""

    func: str
    template: m.Expr  # the body, with Placeholders
    args: tuple[m.Expr, ...]
    texts: tuple[str, ...]
    params: tuple[str, ...] = ("x",)
    line: int = 0
    definition: str = ""


def _reaches(model: m.Model, e: m.Expr, member: Callable[[m.Expr], bool], seen: set[str] | None = None) -> bool:
    """True when e holds a `member` of a stack, itself or through the lets it reads:
    laid out long with them, f(f(x))'s argument, or treat(v0)'s with `let v0 =
    treat(c0)`, would be read from the long form it is part of (a circle)."""
    seen = set() if seen is None else seen
    for n in m.walk(e):
        if member(n):
            return True
        if isinstance(n, m.Ref) and n.kind is m.RefKind.LET and n.name not in seen:
            seen.add(n.name)
            d = next((x for x in model.all_definitions() if x.name == n.name), None)
            if d is not None and _reaches(model, d.expr, member, seen):
                return True
    return False


def _applies_one_of(funcs: set[str]) -> Callable[[m.Expr], bool]:
    return lambda n: isinstance(n, m.Apply) and n.func in funcs


def _inline(apply: m.Apply) -> m.Expr:
    """An application replaced by its body, the arguments in the parameters' places."""
    def rewrite(node: m.Expr) -> m.Expr | None:
        if isinstance(node, m.Placeholder):
            return apply.args[node.index]
        if isinstance(node, m.Apply):
            return _inline(replace(node, args=tuple(m.transform(a, rewrite) for a in node.args),
                                   texts=tuple(fill(t, apply.texts) for t in node.texts)))
        if isinstance(node, _WINDOWED) and node.label:
            inner = m.transform(node.arg, rewrite)
            return replace(node, arg=inner, label=fill(node.label, apply.texts))
        return None

    body = m.transform(apply.body, rewrite)
    label = f"{apply.func}({', '.join(apply.texts)})"
    return replace(body, hint=apply.func, label=label) if isinstance(body, m.Op) else body


def _flat(e: m.Expr) -> m.Expr:
    """e with every application inside it inlined."""
    return m.transform(e, lambda n: _flat(_inline(n)) if isinstance(n, m.Apply) else None)


def heavy(body: m.Expr) -> bool:
    """True when the body needs steps of its own: a treatment, or a window of a window."""
    def nested(e: m.Expr, inside: bool) -> bool:
        if isinstance(e, m.Treat) or (inside and isinstance(e, _WINDOWED)):
            return True
        return any(nested(c, inside or isinstance(e, _WINDOWED)) for c in m.children(e))

    return nested(body, False)


@overload
def _computes(node: m.Apply) -> tuple[str, str, m.Expr]: ...
@overload
def _computes(node: m.Treat) -> tuple[str, m.Treat]: ...
@overload
def _computes(node: m.Expr) -> tuple | None: ...
def _computes(node: m.Expr) -> tuple | None:
    """What an application computes but for its arguments, which its stack is found
    by: a function's name and flattened body, or a treatment with a placeholder."""
    if isinstance(node, m.Apply):
        return ("apply", node.func, _flat_body(node))
    if isinstance(node, m.Treat):
        return ("treat", replace(node, arg=m.Placeholder(0, node.arg.grain)))
    return None


def _applications(model: m.Model) -> dict[tuple, list[_Site]]:
    """Applications of heavy functions, grouped by what they compute; a treatment that
    several functions compute alike (`score` and `score_worse` both treat `impute(x)`)
    is a stack of its own, and the rest of each function, light, is inlined."""
    apps = [(node, _computes(node)) for d in model.all_definitions() for node in m.walk(d.expr)
            if isinstance(node, m.Apply) and len({a.grain for a in node.args}) == 1
            and node.grain == node.args[0].grain  # a result of another grain (by district) is inlined
            and not any(_reaches(model, a, _applies_one_of({node.func})) for a in node.args)]  # so is f(f(x)): a circle
    # a body that does not use its parameters (`def f(a) = interpolate(c1)`) is one value
    # whatever it is applied to: written out, nothing to stack
    heavy_apps = [(node, key, _core(key[2])) for node, key in apps
                  if heavy(key[2]) and any(isinstance(n, m.Placeholder) for n in m.walk(key[2]))]
    users: dict[m.Treat, set[str]] = {}
    for node, _, core in heavy_apps:
        if core is not None:
            users.setdefault(core, set()).add(node.func)
    found: dict[tuple, list[_Site]] = {}
    for node, key, core in heavy_apps:
        # a treatment several functions share, but not for what another of them computes (`worse(score(c0))`)
        if core is not None and len(users[core]) > 1 \
                and not any(_reaches(model, a, _applies_one_of(users[core])) for a in node.args):
            site = _Site("treatment", core, node.args, node.texts, node.params, node.line)
            found.setdefault(("core", core), []).append(site)
        else:
            found.setdefault(key, []).append(_Site(node.func, key[2], node.args, node.texts, node.params, node.line, node.definition))
    return found


def _core(body: m.Expr) -> m.Treat | None:
    """The one treatment in a function's body, with what it treats (a parameter inside),
    when the rest of the body needs no steps of its own once that treatment's value is a
    column."""
    treats = list(dict.fromkeys(_outermost_treats(body)))
    if len(treats) != 1 or not any(isinstance(n, m.Placeholder) for n in m.walk(treats[0])):
        return None
    return None if heavy(_without(body, treats[0])) else treats[0]


def _outermost_treats(e: m.Expr) -> list[m.Treat]:
    return [e] if isinstance(e, m.Treat) else [t for c in m.children(e) for t in _outermost_treats(c)]


_CORE = "\0core"  # where a body's stacked treatment is, until its value is put there


def _without(body: m.Expr, core: m.Treat) -> m.Expr:
    """body with each copy of `core` a column named _CORE."""
    return m.transform(body, lambda n: m.Ref(_CORE, core.grain, m.RefKind.LET) if isinstance(n, m.Treat) and n == core else None)


def _treatments(model: m.Model) -> dict[tuple, list[_Site]]:
    """Treatments, grouped by what they compute but for their argument; a treatment of
    what another of its stack computes (`treat(v0)`, `let v0 = treat(c0)`) is left
    out, computed on its own (campaign: the fuzz test's seed 59747)."""
    found: dict[tuple, list[_Site]] = {}
    for d in model.all_definitions():
        for node in m.walk(d.expr):
            if isinstance(node, m.Treat):
                key = _computes(node)
                if _reaches(model, node.arg, lambda n: isinstance(n, m.Treat) and _computes(n) == key):
                    continue
                text = node.arg.name if isinstance(node.arg, m.Ref) else node.label
                line = node.span.line if node.span else 0
                found.setdefault(key, []).append(_Site("treat", key[1], (node.arg,), (text,), ("x",), line))
    return found


def _flat_body(apply: m.Apply) -> m.Expr:
    """An application's body with the applications inside it inlined (parameters kept)."""
    return m.transform(apply.body, lambda n: _flat(_inline(n)) if isinstance(n, m.Apply) else None)


def stack(model: m.Model) -> m.Model:
    """The model with heavy functions applied to several columns stacked, the rest
    inlined; then treatments of several columns stacked."""
    model = _stack(model, _applications(model))
    return _stack(model, _treatments(model))


def _stack(model: m.Model, found: dict[tuple, list[_Site]]) -> m.Model:
    if not any(len(dict.fromkeys(s.args for s in sites)) > 1 for sites in found.values()) and not _applies(model):
        return model  # nothing to stack and nothing to inline
    picks: dict[tuple, m.Pick] = {}  # (site key, args) -> the application's value
    axes, stacks = model.axes, dict(model.stacks)
    taken = {*model.tables, *model.definitions, *(c for t in model.tables.values() for c in (*t.columns, *t.attributes)),
             *axes.entities, *axes.times, *axes.slots}
    for key, sites in found.items():
        distinct = list(dict.fromkeys((s.args, s.texts) for s in sites))
        if len(distinct) < 2:
            continue
        axis = reserve(f"{sites[0].func}_input", taken)
        slots = _distinct_slots(tuple(", ".join(texts) for _, texts in distinct))
        axes = replace(axes, slots=axes.slots | {axis})
        first = sites[0]
        lines = {(s.args, s.texts): s.line for s in reversed(sites)}  # a treatment several functions share
        stacks[axis] = m.StackInfo(first.func, first.params, first.line,
                                   {slot: texts for slot, (_, texts) in zip(slots, distinct)}, first.definition,
                                   {slot: lines[d] for slot, d in zip(slots, distinct)} if key[0] == "core" else {})
        value = _long(sites[0].template, [args for args, _ in distinct], slots, axis, axes)
        for slot, (args, _) in zip(slots, distinct):
            picks[(key, args)] = m.Pick(value, axis, slot, sites[0].template.grain)
    stacked = replace(model, axes=axes, stacks=stacks)
    memo: m.Memo = {}  # one stack's value is read by each application: rewritten once
    return stacked.map_exprs(lambda e: _replace_sites(e, picks, memo))


def _applies(model: m.Model) -> bool:
    return any(isinstance(n, m.Apply) for d in model.all_definitions() for n in m.walk(d.expr))


def _replace_sites(e: m.Expr, picks: dict[tuple, m.Pick], memo: m.Memo) -> m.Expr:
    def rewrite(node: m.Expr) -> m.Expr | None:
        key = _computes(node)
        if key is None:
            return None
        assert isinstance(node, (m.Apply, m.Treat))  # what _computes reads
        pick = picks.get((key, node.args if isinstance(node, m.Apply) else (node.arg,)))
        if pick is not None:
            return replace(pick, grain=node.grain)
        core = _core(key[2]) if key[0] == "apply" else None
        pick = picks.get((("core", core), node.args)) if core is not None and isinstance(node, m.Apply) else None
        if pick is not None:  # the body inlined, its treatment the stack's value
            assert core is not None and isinstance(node, m.Apply)  # a core is an application's
            value = replace(pick, grain=core.grain)
            inlined = _inline(replace(node, body=_without(key[2], core)))
            return m.transform(inlined, lambda n: value if isinstance(n, m.Ref) and n.name == _CORE else None)
        return _replace_sites(_flat(node), picks, memo) if isinstance(node, m.Apply) else None

    return m.transform(e, rewrite, memo)


def _long(template: m.Expr, apps: list[tuple[m.Expr, ...]], slots: tuple[str, ...], axis: str, axes: m.Axes) -> m.Expr:
    """The template over the long form: each parameter a column of all applications'
    arguments, and every node that depends on one varying along the new axis too."""
    def extend(e: m.Expr) -> tuple[m.Expr, bool]:
        if isinstance(e, m.Placeholder):
            args = tuple(app[e.index] for app in apps)
            return m.Stack(args, slots, axis, e.index, m.make_grain(axes, (*e.grain.dims, axis))), True
        kids = [extend(c) for c in m.children(e)]
        if not any(long for _, long in kids):
            return e, False
        rebuilt = m.with_children(e, [k for k, _ in kids])
        return replace(rebuilt, grain=m.make_grain(axes, (*rebuilt.grain.dims, axis))), True

    return extend(template)[0]


def _distinct_slots(slots: tuple[str, ...]) -> tuple[str, ...]:
    seen: set[str] = set()
    return tuple(reserve(s, seen) for s in slots)


def only_picked(defs: list[m.Definition], roots: set[str]) -> list[m.Definition]:
    """The definitions of one output with each long form cut to the applications the
    output reads back (its Picks), and without the definitions only a cut application
    read: an application it does not use must not bring the rows of its own argument's
    tables (`score(a)` shown alone has a's rows, not also those of the table b of
    `score(b)`, nor of a let `score(b)` was applied to). `roots`: the definitions the
    output's columns show."""
    picked: set[tuple[str, str]] = set()
    while True:
        memo: m.Memo = {}

        def cut(e: m.Expr) -> m.Expr | None:
            if not isinstance(e, m.Stack):
                return None
            keep = [i for i, slot in enumerate(e.slots) if (e.axis, slot) in picked]
            args = tuple(m.transform(e.args[i], cut, memo) for i in keep)
            return replace(e, args=args, slots=tuple(e.slots[i] for i in keep))

        cut_defs = [replace(d, expr=m.transform(d.expr, cut, memo)) for d in defs]
        cut_defs = _reached(cut_defs, roots)
        found = {(n.axis, n.slot) for d in cut_defs for n in m.walk(d.expr) if isinstance(n, m.Pick)}
        if found <= picked:
            return cut_defs
        picked |= found


def _reached(defs: list[m.Definition], roots: set[str]) -> list[m.Definition]:
    """The definitions reached from roots through the lets they read, in their order."""
    by_name = {d.name: d for d in defs}
    seen: set[str] = set()
    todo = [r for r in roots if r in by_name]
    while todo:
        name = todo.pop()
        if name not in seen:
            seen.add(name)
            todo.extend(r.name for r in m.refs(by_name[name].expr) if r.kind is m.RefKind.LET and r.name in by_name)
    return [d for d in defs if d.name in seen]
