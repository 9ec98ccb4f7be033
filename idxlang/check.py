"""Syntax tree → checked model: resolve every name against the declarations, bind
params by name, infer every grain, and reject what the language forbids with a
pointed message. Built-in calls are checked by their own rule in the registry
(`builtins/`); user functions stay applications (`Apply`) with their body checked
for the arguments' grains. Nothing is expanded here: that is `planning/lower.py`'s job.
"""

from __future__ import annotations

from collections import ChainMap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from . import ast
from .ast import MARK
from .semantics import model as m
from .builtins import REGISTRY, require
from .builtins.means import ROW_WISE
from .builtins.time import time_axis
from .semantics.calendar import Calendar, parse_label
from .semantics.declare import Declarations, declare
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .names import fresh

@dataclass
class _Scope:
    """Names visible while resolving one expression."""

    locals: dict[str, m.Expr] = field(default_factory=dict)  # def params and output aliases
    calls: tuple[str, ...] = ()  # user functions being checked, for recursion
    texts: dict[str, str] = field(default_factory=dict)  # def params -> their place in the text
    wrong: set[str] = field(default_factory=set)  # output columns found wrong: using one is a follow-on


class _Context:
    """The checker as a built-in's grain rule sees it: in the caller's scope."""

    def __init__(self, checker: Checker, scope: _Scope) -> None:
        self.checker, self.scope, self.axes = checker, scope, checker.decl.axes

    def expr(self, e: ast.Expr) -> m.Expr:
        return self.checker.expr(e, self.scope)

    def error(self, message: str, span: ast.Span | None, hint: str | None = None) -> IdxError:
        return self.checker.decl.error(message, span, hint)

    def combine(self, parts: list[m.Expr], spans: list[ast.Span]) -> m.Grain:
        return self.checker.combine(parts, spans)

    def period(self, p: ast.Period, axis: str, edge: str = "at") -> int | float:
        return self.checker.period(p, axis, edge)

    def number(self, e: ast.Expr) -> float | None:
        if isinstance(e, ast.Number):
            return float(e.value)
        if isinstance(e, ast.Name) and e.id in self.checker.decl.params:
            return float(self.checker.decl.params[e.id].value)
        return None

    def text(self, e: ast.Expr | ast.Label) -> str:
        return ast.unparse(e, names=self.scope.texts)

    def scale(self, e: ast.Expr) -> ast.Scale:
        scales = self.checker.decl.scales
        if not isinstance(e, ast.Name) or e.id not in scales:
            name = e.id if isinstance(e, ast.Name) else ast.unparse(e)
            raise self.error(f"classify(x, scale): '{name}' is not a scale", e.span, did_you_mean(name, scales))
        return scales[e.id]


_OPERANDS = {**dict.fromkeys(("+", "-", "*", "/", "^", "<", "<=", ">", ">="), "number"),
             "and": "condition", "or": "condition"}


class _FollowOn(Exception):
    """A statement that uses one found wrong: its error is that one's, already reported."""


class Checker:
    def __init__(self, decl: Declarations) -> None:
        self.decl = decl
        self.errors: list[Diagnostic] = []  # every independent error, in the order found
        self.failed: set[str] = set()  # lets found wrong: what uses them is not checked again
        self.locals: set[str] = set()  # the names outputs' own columns took: one namespace with the lets
        self.resolved: dict[str, m.Definition] = {}
        self.resolving: list[tuple[str, ast.Span]] = []
        self.dispatch: dict[type, Callable[[Any, _Scope], m.Expr]] = {
            ast.Number: lambda e, s: m.Const(e.value, span=e.span),
            ast.String: lambda e, s: m.Const(e.value, span=e.span),
            ast.Name: self.name, ast.Unary: self.unary, ast.Binary: self.binary, ast.If: self.if_,
            ast.At: self.at, ast.Call: self.call}

    # ------------------------------------------------------------ lets
    def let_value(self, name: str) -> m.Expr | None:
        """A let's checked value, when it has been checked."""
        return self.resolved[name].expr if name in self.resolved else None

    def let(self, name: str, span: ast.Span) -> m.Definition:
        if name in self.resolved:
            return self.resolved[name]
        if name in self.failed:
            raise _FollowOn(name)
        names = [n for n, _ in self.resolving]
        if name in names:
            cycle = names[names.index(name):] + [name]
            raise self.decl.error(f"cycle: {' → '.join(cycle)}", span,
                                  "a definition cannot depend on itself; use lag() to refer to the previous period")
        st = self.decl.lets[name]
        self.resolving.append((name, span))
        try:
            expr = self.expr(st.value, _Scope())
        except _FollowOn:
            self.failed.add(name)
            raise
        except IdxError as err:  # this let's own mistake: reported once, and what uses it is not checked
            self.failed.add(name)
            self.errors += err.diagnostics
            raise _FollowOn(name) from None
        finally:
            self.resolving.pop()
        d = m.Definition(name, expr, expr.grain, f"let {name} = {ast.unparse(st.value)}", st.span.line, st.span,
                         st.doc, _components(st.value))
        self.resolved[name] = d
        return d

    # ------------------------------------------------------------ grains
    def combine(self, parts: list[m.Expr], spans: list[ast.Span]) -> m.Grain:
        """The grain of an element-wise combination: the finest part, if it covers the rest."""
        grain = m.SCALAR
        for part, span in zip(parts, spans):
            if m.covers(self.decl.axes, part.grain, grain):
                grain = part.grain
            elif not m.covers(self.decl.axes, grain, part.grain):
                raise self.decl.error(
                    f"grain mismatch: this is {part.grain}, but the expression it joins is {grain}", span,
                    "neither grain contains the other, so the values cannot be broadcast; "
                    "reduce one side first (over/by) or use data at a common grain")
        return grain

    # ------------------------------------------------------------ expressions
    def expr(self, e: ast.Expr, scope: _Scope) -> m.Expr:
        return self.dispatch[type(e)](e, scope)

    def name(self, e: ast.Name, scope: _Scope) -> m.Expr:
        if e.id in scope.wrong:
            raise _FollowOn(e.id)
        d = self.decl
        if e.id in scope.locals:
            return scope.locals[e.id]
        if e.id in d.lets:
            return m.Ref(e.id, self.let(e.id, e.span).grain, m.RefKind.LET, e.span)
        if e.id in d.columns:
            grain, kind = d.columns[e.id]
            if kind is m.RefKind.KEY and d.axes.calendar(e.id) is not Calendar.YEAR:
                raise d.error(f"'{e.id}' counts {d.axes.calendar(e.id).noun}s, which are not numbers to compute with",
                              e.span, f"select periods with 'at' or 'in a..b' (x at {d.axes.calendar(e.id).example()}), "
                              f"and list '{e.id}' after an output's 'by' to show it")
            return m.Ref(e.id, grain, kind, e.span)
        if e.id in d.params:
            return m.Param(e.id, d.params[e.id].value, span=e.span)
        if e.id in d.scales:
            raise d.error(f"'{e.id}' is a scale; use it as classify(x, {e.id})", e.span)
        if e.id in d.defs:
            raise d.error(f"'{e.id}' is a function; call it as {e.id}(...)", e.span)
        candidates = [*scope.locals, *d.lets, *d.columns, *d.params]
        raise d.error(f"unknown name '{e.id}'", e.span, did_you_mean(e.id, candidates))

    def unary(self, e: ast.Unary, scope: _Scope) -> m.Expr:
        arg = self.expr(e.operand, scope)
        if e.op.startswith("is "):  # `x is missing`: a condition that is never missing itself
            known = m.Op("known", (arg,), arg.grain, e.span)
            return known if e.op == "is not missing" else m.Op("not", (known,), arg.grain, e.span)
        op = "neg" if e.op == "-" else "not"
        self.expect(arg, "number" if op == "neg" else "condition", e.operand.span, "-" if op == "neg" else "not")
        return m.Op(op, (arg,), arg.grain, e.span)

    def binary(self, e: ast.Binary, scope: _Scope) -> m.Expr:
        left, right = self.expr(e.left, scope), self.expr(e.right, scope)
        grain = self.combine([left, right], [e.left.span, e.right.span])
        wants = _OPERANDS.get(e.op)
        if wants is not None:
            self.expect(left, wants, e.left.span, e.op)
            self.expect(right, wants, e.right.span, e.op)
        elif self.kind(left) and self.kind(right) and self.kind(left) != self.kind(right):
            raise self.decl.error(f"'{e.op}' joins a {self.kind(left)} and a {self.kind(right)}", e.span,
                                  "both sides must be numbers, both texts, or both conditions")
        return m.Op("coalesce" if e.op == "??" else e.op, (left, right), grain, e.span)

    def if_(self, e: ast.If, scope: _Scope) -> m.Expr:
        parts = [self.expr(x, scope) for x in (e.cond, e.then, e.orelse)]
        self.expect(parts[0], "condition", e.cond.span, "if")
        then, orelse = self.kind(parts[1]), self.kind(parts[2])
        if then and orelse and then != orelse:
            raise self.decl.error(f"if's branches are a {then} and a {orelse}", e.orelse.span,
                                  "both must be numbers, both texts, or both conditions (for 1 or 0: if c then 1 else 0)")
        return m.Op("if", tuple(parts), self.combine(parts, [e.cond.span, e.then.span, e.orelse.span]), e.span)

    def kind(self, e: m.Expr) -> str | None:
        return m.kind(e, lambda name: self.resolved[name].expr if name in self.resolved else None)

    def expect(self, e: m.Expr, wanted: str, span: ast.Span, op: str) -> None:
        """An operator's operand of the kind it takes (a number for `+`, a condition for
        `and`), when its kind is known: else the engine fails on it at run time."""
        found = self.kind(e)
        if found is not None and found != wanted:
            hint = "for 1 or 0, write if c then 1 else 0" if found == "condition" else \
                "compare it instead: x > 0" if wanted == "condition" else None
            raise self.decl.error(f"'{op}' takes a {wanted}, not a {found}", span, hint)

    def period(self, p: ast.Period, axis: str, edge: str = "at") -> int | float:
        """The period's number on the axis's calendar (semantics/calendar.py). On a quarterly or
        monthly axis a year bounds a range (`in 2014..2017`: its first period to its
        last) but is not one period (`at`)."""
        calendar = self.decl.axes.calendar(axis)
        if isinstance(p, ast.Label):
            found = parse_label(p.text)
            if found is None or found[0] is not calendar:
                kind = f"a {found[0].noun}" if found else "not a period"
                raise self.decl.error(f"'{p.text}' is {kind}, but time axis '{axis}' is {calendar.value}", p.span,
                                      f"write a {calendar.noun} as {calendar.example()}")
            return found[1]
        value = p.value if isinstance(p, ast.Number) else self._param_period(p)
        if calendar is Calendar.YEAR:
            return value
        if edge == "at" or not float(value).is_integer():
            raise self.decl.error(f"time axis '{axis}' is {calendar.value}: name one {calendar.noun}, not the year "
                                  f"{value:g}", p.span, f"write {calendar.example(int(value))}, or a range of whole "
                                  f"years with 'in {value:g}..{value:g}'")
        return calendar.year_bounds(int(value))[0 if edge == "start" else 1]

    def _param_period(self, p: ast.Name) -> int | float:
        if p.id in self.decl.params:
            return self.decl.params[p.id].value
        raise self.decl.error(f"a period must be a number or a param, not '{p.id}'", p.span,
                              did_you_mean(p.id, self.decl.params))

    def at(self, e: ast.At, scope: _Scope) -> m.Expr:
        arg = self.expr(e.value, scope)
        time = time_axis(_Context(self, scope), arg, "'at'", e.span)
        if _only_axes(arg, self.let_value):
            raise self.decl.error("'x at PERIOD' takes a quantity's value in one period; this holds no data, only "
                                  f"axes or attributes ({_names(arg)})", e.value.span)
        if isinstance(e.period, ast.Name) and e.period.id in ("first", "last") and e.period.id not in self.decl.params:
            return self.edge(e, arg, time, scope)
        return m.At(arg, time, self.period(e.period, time), arg.grain.without(time),
                    ast.unparse(e, names=scope.texts), e.span)

    def edge(self, e: ast.At, arg: m.Expr, time: str, scope: _Scope) -> m.Expr:
        """`x at first` (`at last`): x in the earliest (latest) period in which it is
        present, for each row of the coarser grain (an entity's first observation):
        the period found as a reduction of the periods where x is present, then x there."""
        assert isinstance(e.period, ast.Name)  # `at first` / `at last` (see `at`)
        span, grain, first = e.span, arg.grain.without(time), e.period.id == "first"
        t = m.Ref(time, m.Grain((time,)), m.RefKind.KEY, span)  # a key has its own axis as grain
        when = m.Op("if", (m.Op("known", (arg,), arg.grain, span), t, m.Const(None)), arg.grain, span)
        value = ast.unparse(e.value, names=scope.texts)
        period = m.Call("min" if first else "max", (when,), grain, m.Clauses(over=time),
                        label=f"the {'first' if first else 'last'} period of {value}", span=span)
        there = m.Op("if", (m.Op("==", (t, period), arg.grain, span), arg, m.Const(None)), arg.grain, span)
        return m.Call("max", (there,), grain, m.Clauses(over=time), label=ast.unparse(e, names=scope.texts), span=span)

    def call(self, e: ast.Call, scope: _Scope) -> m.Expr:
        if e.func in self.decl.defs:
            return self.apply(e, scope)
        builtin = REGISTRY.get(e.func)
        if builtin is None:
            raise self.decl.error(f"unknown function '{e.func}'", e.func_span,
                                  did_you_mean(e.func, [*REGISTRY, *self.decl.defs]))
        found = builtin.check(_Context(self, scope), e)
        first = _reduced(found) if isinstance(found, m.Call) else None  # across an axis as written, or by default
        if first is not None and _only_axes(first, self.let_value):
            assert isinstance(found, m.Call)
            what = f"{e.func}(... {'over' if e.over else 'by'} ...) reduces a quantity" if e.over or e.by else \
                f"{e.func}() works across the rows of {found.clauses.over or found.clauses.by}"
            raise self.decl.error(f"{what}; this holds no data, only axes or attributes ({_names(first)})", e.args[0].span)
        return found

    def apply(self, e: ast.Call, scope: _Scope) -> m.Expr:
        """A user function's application: its arguments, and its body checked once for
        their grains, each parameter a placeholder (equal bodies stack, see planning/stack.py)."""
        d = self.decl.defs[e.func]
        if e.func in scope.calls:
            raise self.decl.error(f"cycle: function {e.func} calls itself", e.span)
        require(_Context(self, scope), e, len(d.params), len(d.params))
        args = tuple(self.expr(a.value, scope) for a in e.args)
        inner = _Scope({p.id: m.Placeholder(i, a.grain) for i, (p, a) in enumerate(zip(d.params, args))},
                       scope.calls + (e.func,), {p.id: MARK.format(i) for i, p in enumerate(d.params)})
        body = self.expr(d.body, inner)
        texts = tuple(ast.unparse(a.value, names=scope.texts) for a in e.args)
        empty = _reduces_nothing(body, args, self.let_value)
        if empty is not None:
            raise self.decl.error(f"{e.func}({', '.join(texts)}) reduces {ast.unparse(e.args[empty[0]].value, names=scope.texts)}"
                                  f" ({ast.fill(empty[1], texts)}); it holds no data, only axes or attributes ({_names(args[empty[0]])})",
                                  e.args[empty[0]].span)
        definition = f"def {d.name}({', '.join(p.id for p in d.params)}) = {ast.unparse(d.body)}"
        return m.Apply(e.func, args, body, body.grain, texts, tuple(p.id for p in d.params), d.span.line, definition,
                       e.span)

    # ------------------------------------------------------------ outputs
    def output(self, st: ast.Output, default_name: str) -> m.Output:
        name, axes = st.name or default_name, self.decl.axes
        dims: list[str] = []
        for k in st.keys:
            known = [*axes.entities, *axes.times, *axes.attributes]
            if k.id not in known:
                raise self.decl.error(f"unknown axis '{k.id}'", k.span, did_you_mean(k.id, known))
            dims.append(k.id)
        grain = m.make_grain(axes, set(dims))
        scope = _Scope()
        columns: list[m.OutputColumn] = []
        local: dict[str, m.Definition] = {}
        for item in st.items:
            try:
                columns.append(self.column(item, name, grain, dims, scope, columns, local))
            except (_FollowOn, IdxError) as err:  # each column on its own; one using a wrong one is not checked
                if isinstance(err, IdxError):
                    self.errors += err.diagnostics
                scope.wrong.add(item.alias.id if item.alias else ast.unparse(item.value))
        if scope.wrong:
            raise _FollowOn(name)
        return m.Output(name, grain, tuple(dims), tuple(columns), local, st.span.line)

    def column(self, item: ast.OutputItem, name: str, grain: m.Grain, dims: list[str], scope: _Scope,
               columns: list[m.OutputColumn], local: dict[str, m.Definition]) -> m.OutputColumn:
        """One column of an output: its value at the output's grain, under its alias."""
        axes = self.decl.axes
        value = self.expr(item.value, scope)
        if item.alias is None and not isinstance(item.value, ast.Name):
            raise self.decl.error("name this column: add 'as <name>'", item.span)
        if item.alias:
            alias = item.alias.id
        else:
            assert isinstance(item.value, ast.Name)  # else raised just above
            alias = item.value.id
        if any(c.alias == alias for c in columns) or alias in dims:
            raise self.decl.error(f"output {name} has two columns named '{alias}'", item.span)
        if not m.covers(axes, grain, value.grain):
            raise self.decl.error(f"'{alias}' is {value.grain}, finer than the output's {grain}", item.span,
                                  "reduce it to the output's grain (over/by), or output it by its own axes")
        if isinstance(value, m.Ref):
            source = value.name
        else:
            source = self.local_name(name, alias)
            text = f"output {name}: {ast.unparse(item.value)} as {alias}"
            local[source] = m.Definition(source, value, value.grain, text, item.span.line, item.span)
            value = m.Ref(source, value.grain, m.RefKind.LET, item.span)
        scope.locals[alias] = value
        return m.OutputColumn(alias, source, value.grain)

    def local_name(self, output: str, alias: str) -> str:
        """The name of an output's own column: its alias, unless a let, a column, a
        table (whose steps share the one namespace of CTEs) or another output's column
        has it already: two outputs' `c1` are two columns, also where they share rows."""
        d = self.decl
        taken: ChainMap[str, Any] = ChainMap(d.lets, d.columns, d.tables, dict.fromkeys(self.locals))
        name = fresh(alias if alias not in taken else f"{output}_{alias}", taken)
        self.locals.add(name)
        return name

    # ------------------------------------------------------------ driver
    def run(self) -> m.Model:
        """Every let and output checked, each on its own: all independent errors are
        reported together (in the order of the spec), none that follows from another."""
        d = self.decl
        st: ast.Statement
        for name, st in d.lets.items():
            try:
                self.let(name, st.name_span)
            except _FollowOn:
                pass
        index = next((s for s in d.module.statements if isinstance(s, ast.Index)), None)
        spec_name = index.name if index else Path(d.module.path).stem
        outputs: dict[str, m.Output] = {}
        for st in d.module.statements:
            if isinstance(st, ast.Output):
                try:
                    out = self.output(st, spec_name)
                    if out.name in outputs:
                        raise d.error(f"two outputs are named '{out.name}': the first is on line "
                                      f"{outputs[out.name].line}", st.span,
                                      "give each output its own name: output <name> by ...")
                    outputs[out.name] = out
                except _FollowOn:
                    pass
                except IdxError as err:
                    self.errors += err.diagnostics
        if self.errors:
            raise IdxError(*_distinct(self.errors))
        if not outputs:
            raise IdxError(Diagnostic("error", "the spec has no output", d.module.path, d.module.source,
                                      hint="add: output by <axes>: <columns>"))
        return m.Model(spec_name, index.title if index else None, d.module.path, d.axes, d.tables,
                       self.resolved, outputs, d.params, tuple(d.warnings), d.screens)


def _distinct(found: list[Diagnostic]) -> list[Diagnostic]:
    """Each error once (a def wrong for the same reason wherever it is applied), in the
    order of the spec."""
    seen: dict[tuple[str, object], Diagnostic] = {}
    for diag in found:
        seen.setdefault((diag.message, diag.span), diag)
    return sorted(seen.values(), key=lambda x: (x.span.line, x.span.column) if x.span else (0, 0))


def _only_axes(e: m.Expr, let: Callable[[str], m.Expr | None] = lambda name: None) -> bool:
    """An expression built from axes and attributes alone: nothing of a table's numbers
    (nor a function's parameter, which may hold them) for a reduction to work on. A let
    (`let v0 = 1`) holds data when its value does; `let` gives a checked let's value
    (None: not known, taken to hold data)."""
    return bool(list(m.refs(e))) and not _holds_data(e, let, set())


def _holds_data(e: m.Expr, let: Callable[[str], m.Expr | None], seen: set[str]) -> bool:
    for n in m.walk(e):
        if isinstance(n, m.Placeholder) or (isinstance(n, m.Ref) and n.kind is m.RefKind.COLUMN):
            return True
        if isinstance(n, m.Ref) and n.kind is m.RefKind.LET and n.name not in seen:
            seen.add(n.name)
            value = let(n.name)
            if value is None or _holds_data(value, let, seen):
                return True
    return False


def _reduced(n: m.Expr) -> m.Expr | None:
    """What a node works on across rows: a call's first argument where it works across an
    axis (over or by, as written or by default), an `at`'s value."""
    if isinstance(n, m.Call) and (n.clauses.over or n.clauses.by) and n.args:
        return n.args[0]
    return n.arg if isinstance(n, m.At) else None


def _reduces_nothing(body: m.Expr, args: tuple[m.Expr, ...], let: Callable[[str], m.Expr | None]) -> tuple[int, str] | None:
    """The argument a function's body reduces (or takes `at` a period) that holds no
    data, only axes or attributes, and what reduces it: the check a reduction written
    out gets, made of the application (`def f(a) = mean(a over e)` with `f(startswith(g,
    "G"))`), functions called inside it too."""
    def filled(x: m.Expr, given: tuple[m.Expr, ...]) -> m.Expr:
        return m.transform(x, lambda n: given[n.index] if isinstance(n, m.Placeholder) else None)

    def search(e: m.Expr, given: tuple[m.Expr, ...]) -> tuple[int, str] | None:
        for n in m.walk(e):
            if isinstance(n, m.Apply):
                found = search(n.body, tuple(filled(a, given) for a in n.args))
                if found is not None:
                    return found
            reduced = _reduced(n)
            if reduced is None or not _only_axes(filled(reduced, given), let):
                continue
            used = [p.index for p in m.walk(reduced) if isinstance(p, m.Placeholder)]
            if used:
                if isinstance(n, m.Call):
                    return used[0], n.label or n.func
                assert isinstance(n, m.At)  # what `_reduced` reads into: a call or an `at`
                return used[0], n.label
        return None

    return search(body, args)


def _names(e: m.Expr) -> str:
    return ", ".join(sorted({r.name for r in m.refs(e)}))


def _components(v: ast.Expr) -> tuple[str, ...]:
    """An aggregate's named components, `mean(a, b, c)`, for Cronbach's alpha (idxc analyse)."""
    if not (isinstance(v, ast.Call) and v.func in ROW_WISE
            and not (v.over or v.by) and len(v.args) > 1):
        return ()
    parts = tuple(a.value.id for a in v.args if isinstance(a.value, ast.Name))
    return parts if len(parts) == len(v.args) else ()


def check(module: ast.Module, params: dict[str, float | int] | None = None) -> m.Model:
    """The checked model; `params` override the spec's values."""
    return Checker(declare(module, params, frozenset(REGISTRY))).run()
