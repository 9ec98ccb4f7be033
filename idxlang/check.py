"""Syntax tree → checked model: resolve names, inline user functions, bind params,
infer every grain, and reject what the language forbids with a pointed message.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from . import ast
from . import model as m
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .toolkit import NORMALISERS, CompositeChecks

REDUCTIONS = {"sum", "mean", "min", "max", "product", "geomean", "count", "sd", "median", "skew", "kurt", "quantile"}
ROW_WISE = {"sum", "mean", "product", "geomean", "hmean", "genmean"}
SCALAR_FUNCS = {"ln": (1, 1), "exp": (1, 1), "abs": (1, 1), "sqrt": (1, 1), "round": (1, 2),
                "least": (2, 99), "greatest": (2, 99)}
WINDOWS = {"lag", "chain", "cumprod", "cumsum", "rank", "fill_forward", "fill_backward", "interpolate"}
BUILTINS = REDUCTIONS | SCALAR_FUNCS.keys() | WINDOWS | NORMALISERS.keys() | {"classify", "hmean", "genmean", "treat", "clip"}
TIE_RULES = ("min", "max", "dense", "first", "average")


@dataclass
class _Scope:
    """Names visible while resolving one expression."""

    locals: dict[str, m.Expr] = field(default_factory=dict)  # def params and output aliases
    calls: tuple[str, ...] = ()  # user functions being expanded, for recursion
    texts: dict[str, str] = field(default_factory=dict)  # def params -> caller's argument text


class Checker(CompositeChecks):
    def __init__(self, module: ast.Module, params: dict[str, str] | None = None, drawn: tuple[str, ...] = ()) -> None:
        self.module = module
        self.drawn = drawn
        self.overrides = dict(params or {})
        self.warnings: list[Diagnostic] = []
        self.tables: dict[str, m.TableInfo] = {}
        self.columns: dict[str, tuple[m.Grain, str]] = {}  # name -> grain, kind
        self.params: dict[str, float | int] = {}
        self.defs: dict[str, ast.Def] = {}
        self.lets: dict[str, ast.Let] = {}
        self.scales: dict[str, ast.Scale] = {}
        self.resolved: dict[str, m.Definition] = {}
        self.resolving: list[tuple[str, ast.Span]] = []
        self.screens: dict[str, m.Screen] = {}
        self.axes = m.Axes(frozenset(), frozenset(), {})

    # ------------------------------------------------------------ diagnostics
    def error(self, message: str, span: ast.Span | None, hint: str | None = None) -> IdxError:
        return IdxError(Diagnostic("error", message, self.module.path, self.module.source, span, hint))

    def warn(self, message: str, span: ast.Span | None, hint: str | None = None) -> None:
        self.warnings.append(Diagnostic("warning", message, self.module.path, self.module.source, span, hint))

    def statement_text(self, span: ast.Span) -> str:
        lines = self.module.source.splitlines()[span.line - 1 : span.end_line]
        text = " ".join(re.sub(r"#.*$", "", ln).strip() for ln in lines)
        return re.sub(r"\s+", " ", text).strip()

    # ------------------------------------------------------------ declarations
    def declare(self) -> None:
        seen: dict[str, tuple[str, ast.Span]] = {}

        def claim(name: str, what: str, span: ast.Span) -> None:
            if name in seen:
                first_what, first = seen[name]
                raise self.error(f"'{name}' is already declared as {first_what} on line {first.line}", span)
            seen[name] = (what, span)

        entities: set[str] = set()
        times: set[str] = set()
        attributes: dict[str, str] = {}
        for st in self.module.statements:
            if isinstance(st, ast.Table):
                claim(st.name, "a table", st.span)
                if st.entity:
                    entities.add(st.entity.id)
                if st.time:
                    times.add(st.time.id)
        for st in self.module.statements:
            if not isinstance(st, ast.Table):
                continue
            keys = [k.id for k in (st.entity, st.time) if k]
            for k in (st.entity, st.time):
                if k and (k.id in entities and k is st.time or k.id in times and k is st.entity):
                    raise self.error(f"'{k.id}' is used both as an entity axis and as a time axis", k.span)
            numeric, attrs = [], []
            for col in st.columns:
                if col.name in keys:
                    raise self.error(f"'{col.name}' is a key of table {st.name}; do not list it as a column", col.span)
                if col.attribute:
                    if not st.entity:
                        raise self.error(f"attribute '{col.name}' needs an entity axis in table {st.name}", col.span)
                    claim(col.name, f"an attribute of {st.entity.id}", col.span)
                    attributes[col.name] = st.entity.id
                    self.columns[col.name] = (m.Grain((st.entity.id,)), "attribute")
                    attrs.append(col.name)
                else:
                    claim(col.name, f"a column of table {st.name}", col.span)
                    self.columns[col.name] = (m.Grain(tuple(keys)), "column")
                    numeric.append(col.name)
            source = None
            if st.source:
                source = str((Path(self.module.path).parent / st.source.value))
            self.tables[st.name] = m.TableInfo(
                st.name, st.entity.id if st.entity else None, st.time.id if st.time else None,
                source, tuple(numeric), tuple(attrs), st.span)
        self.axes = m.Axes(frozenset(entities), frozenset(times), attributes)
        for key in entities | times:
            self.columns.setdefault(key, (m.Grain((key,)), "key"))
        for st in self.module.statements:
            if isinstance(st, ast.Param):
                claim(st.name, "a param", st.span)
                self.params[st.name] = st.value
            elif isinstance(st, ast.Def):
                claim(st.name, "a function", st.span)
                if st.name in BUILTINS:
                    raise self.error(f"'{st.name}' is a built-in function; choose another name", st.span)
                self.defs[st.name] = st
            elif isinstance(st, ast.Let):
                claim(st.name, "a let", st.name_span)
                self.lets[st.name] = st
            elif isinstance(st, ast.Scale):
                claim(st.name, "a scale", st.span)
                self.scales[st.name] = st
            elif isinstance(st, ast.Screen):
                self.screen(st)
        self.apply_overrides()

    def screen(self, st: ast.Screen) -> None:
        table = self.tables.get(st.table.id)
        if table is None:
            raise self.error(f"unknown table '{st.table.id}'", st.table.span, did_you_mean(st.table.id, self.tables))
        if table.entity is None:
            raise self.error(f"table {table.name} has no entity axis to screen", st.table.span)
        if not 0 < st.threshold.value <= 1:
            raise self.error("availability is a share of cells, above 0 and at most 1", st.threshold.span)
        for c in st.columns:
            if c.id not in table.columns:
                raise self.error(f"'{c.id}' is not a numeric column of table {table.name}", c.span,
                                 did_you_mean(c.id, table.columns))
        if table.entity in self.screens:
            raise self.error(f"'{table.entity}' is screened twice", st.span)
        columns = tuple(c.id for c in st.columns) or table.columns
        self.screens[table.entity] = m.Screen(table.name, table.entity, st.threshold.value, columns)

    def apply_overrides(self) -> None:
        for key, raw in self.overrides.items():
            if key not in self.params:
                hint = did_you_mean(key, self.params)
                raise IdxError(Diagnostic("error", f"--param {key}: the spec has no param '{key}'", hint=hint or
                                          f"params: {', '.join(sorted(self.params)) or 'none'}"))
            try:
                value: float | int = int(raw) if re.fullmatch(r"[+-]?\d+", str(raw)) else float(raw)
            except ValueError:
                raise IdxError(Diagnostic("error", f"--param {key}={raw}: not a number")) from None
            self.params[key] = value

    # ------------------------------------------------------------ scales
    def check_scale(self, sc: ast.Scale) -> None:
        bands = sorted(sc.bands, key=lambda b: (b.low, not b.low_closed))
        for b in sc.bands:
            if b.low > b.high or (b.low == b.high and not (b.low_closed and b.high_closed)):
                raise self.error(f"band '{b.code}' {b.text()} is empty", b.span)
        codes = [b.code for b in sc.bands]
        for b in sc.bands:
            if codes.count(b.code) > 1:
                raise self.error(f"scale {sc.name} names class '{b.code}' twice", b.span)
        for lo, hi in zip(bands, bands[1:]):
            if hi.low < lo.high or (hi.low == lo.high and hi.low_closed and lo.high_closed):
                raise self.error(
                    f"bands '{lo.code}' {lo.text()} and '{hi.code}' {hi.text()} overlap", hi.span,
                    "a value must fall in one band only: close one end and open the other, e.g. (70, 85] and (85, 100]")
            if hi.low > lo.high or (hi.low == lo.high and not hi.low_closed and not lo.high_closed):
                gap = f"{'[' if not lo.high_closed else '('}{lo.high:g}, {hi.low:g}{']' if not hi.low_closed else ')'}"
                self.warn(f"scale {sc.name} has a gap {gap} between '{lo.code}' and '{hi.code}': "
                          "values there get no class", hi.span)

    # ------------------------------------------------------------ lets
    def let(self, name: str, span: ast.Span) -> m.Definition:
        if name in self.resolved:
            return self.resolved[name]
        names = [n for n, _ in self.resolving]
        if name in names:
            cycle = names[names.index(name):] + [name]
            raise self.error(f"cycle: {' → '.join(cycle)}", span,
                             "a definition cannot depend on itself; use lag() to refer to the previous period")
        st = self.lets[name]
        self.resolving.append((name, span))
        try:
            expr = self.expr(st.value, _Scope())
        finally:
            self.resolving.pop()
        v = st.value
        parts = tuple(a.value.id for a in v.args if isinstance(a.value, ast.Name)) if isinstance(v, ast.Call) else ()
        aggregate = isinstance(v, ast.Call) and v.func in ROW_WISE and not (v.over or v.by) and len(parts) == len(v.args) > 1
        d = m.Definition(name, expr, expr.grain, self.statement_text(st.span), st.span.line, st.span,
                         parts if aggregate else ())
        self.resolved[name] = d
        return d

    # ------------------------------------------------------------ grains
    def combine(self, parts: list[m.Expr], spans: list[ast.Span | None]) -> m.Grain:
        """The grain of an element-wise combination: the finest part, if it covers the rest."""
        grain = m.SCALAR
        for part, span in zip(parts, spans):
            if m.covers(self.axes, part.grain, grain):
                grain = part.grain
            elif not m.covers(self.axes, grain, part.grain):
                raise self.error(
                    f"grain mismatch: this is {part.grain}, but the expression it joins is {grain}", span,
                    "neither grain contains the other, so the values cannot be broadcast; "
                    "reduce one side first (over/by) or use data at a common grain")
        return grain

    # ------------------------------------------------------------ expressions
    def expr(self, e: ast.Expr, scope: _Scope) -> m.Expr:
        method: Callable[[ast.Expr, _Scope], m.Expr] = getattr(self, "x_" + type(e).__name__.lower())
        return method(e, scope)

    def x_number(self, e: ast.Number, scope: _Scope) -> m.Expr:
        return m.Const(e.value, span=e.span)

    def x_string(self, e: ast.String, scope: _Scope) -> m.Expr:
        return m.Const(e.value, span=e.span)

    def x_name(self, e: ast.Name, scope: _Scope) -> m.Expr:
        if e.id in scope.locals:
            return scope.locals[e.id]
        if e.id in self.lets:
            d = self.let(e.id, e.span)
            return m.Ref(e.id, d.grain, "let", e.span)
        if e.id in self.columns:
            grain, kind = self.columns[e.id]
            return m.Ref(e.id, grain, kind, e.span)
        if e.id in self.drawn:  # a column of the draws table, on every row
            return m.Ref(e.id, m.SCALAR, "key", e.span)
        if e.id in self.params:
            return m.Const(self.params[e.id], span=e.span)
        if e.id in self.scales:
            raise self.error(f"'{e.id}' is a scale; use it as classify(x, {e.id})", e.span)
        if e.id in self.defs:
            raise self.error(f"'{e.id}' is a function; call it as {e.id}(...)", e.span)
        candidates = [*scope.locals, *self.lets, *self.columns, *self.params]
        raise self.error(f"unknown name '{e.id}'", e.span, did_you_mean(e.id, candidates))

    def x_unary(self, e: ast.Unary, scope: _Scope) -> m.Expr:
        arg = self.expr(e.operand, scope)
        return m.Op("neg" if e.op == "-" else "not", (arg,), arg.grain, e.span)

    def x_binary(self, e: ast.Binary, scope: _Scope) -> m.Expr:
        left, right = self.expr(e.left, scope), self.expr(e.right, scope)
        grain = self.combine([left, right], [e.left.span, e.right.span])
        op = "coalesce" if e.op == "??" else e.op
        return m.Op(op, (left, right), grain, e.span)

    def x_if(self, e: ast.If, scope: _Scope) -> m.Expr:
        parts = [self.expr(x, scope) for x in (e.cond, e.then, e.orelse)]
        grain = self.combine(parts, [e.cond.span, e.then.span, e.orelse.span])
        return m.Op("if", tuple(parts), grain, e.span)

    def period(self, p: ast.Period) -> int | float:
        if isinstance(p, ast.Number):
            return p.value
        if p.id in self.params:
            return self.params[p.id]
        raise self.error(f"a period must be a number or a param, not '{p.id}'", p.span,
                         did_you_mean(p.id, self.params))

    def time_axis(self, arg: m.Expr, what: str, span: ast.Span) -> str:
        times = [d for d in arg.grain.dims if self.axes.is_time(d)]
        if not times:
            raise self.error(f"{what} needs a quantity with a time axis; this one is {arg.grain}", span)
        return times[0]

    def x_at(self, e: ast.At, scope: _Scope) -> m.Expr:
        arg = self.expr(e.value, scope)
        time = self.time_axis(arg, "'at'", e.span)
        return m.At(arg, time, self.period(e.period), arg.grain.without(time), ast.unparse(e, names=scope.texts), e.span)

    def x_call(self, e: ast.Call, scope: _Scope) -> m.Expr:
        if e.func in self.defs:
            return self.user_call(e, scope)
        if e.func in REDUCTIONS:
            return self.reduction(e, scope)
        if e.func in SCALAR_FUNCS:
            return self.scalar_call(e, scope)
        if e.func in WINDOWS:
            return self.window(e, scope)
        if e.func == "classify":
            return self.classify(e, scope)
        if e.func in NORMALISERS:
            return self.normalise(e, scope)
        if e.func in ("hmean", "genmean"):
            return self.row_wise(e, scope)
        if e.func == "treat":
            return self.treat(e, scope)
        if e.func == "clip":
            return self.clip(e, scope)
        raise self.error(f"unknown function '{e.func}'", e.func_span,
                         did_you_mean(e.func, [*BUILTINS, *self.defs]))

    def no_clauses(self, e: ast.Call, allowed: set[str]) -> None:
        for clause in ("over", "by", "within", "direction", "ties", "polarity", "present", "power", "unclipped", "where"):
            value = getattr(e, clause)
            if value not in (None, False) and clause not in allowed:
                word = {"within": "in", "direction": value, "polarity": "direction"}.get(clause, clause)
                raise self.error(f"{e.func}() takes no '{word}' clause", e.span)
        for a in e.args:
            if a.weight is not None and "weight" not in allowed:
                raise self.error(f"{e.func}() takes no weights", a.span)

    def arity(self, e: ast.Call, lo: int, hi: int) -> None:
        n = len(e.args)
        if not lo <= n <= hi:
            want = str(lo) if lo == hi else f"{lo} to {hi}" if hi < 99 else f"at least {lo}"
            raise self.error(f"{e.func}() takes {want} argument{'s' if hi != 1 else ''}, got {n}", e.span)

    def user_call(self, e: ast.Call, scope: _Scope) -> m.Expr:
        d = self.defs[e.func]
        if e.func in scope.calls:
            raise self.error(f"cycle: function {e.func} calls itself", e.span)
        self.no_clauses(e, set())
        self.arity(e, len(d.params), len(d.params))
        bound = {p.id: self.expr(a.value, scope) for p, a in zip(d.params, e.args)}
        texts = {p.id: ast.unparse(a.value, names=scope.texts) for p, a in zip(d.params, e.args)}
        return self.expr(d.body, _Scope(bound, scope.calls + (e.func,), texts))

    def scalar_call(self, e: ast.Call, scope: _Scope) -> m.Expr:
        self.no_clauses(e, set())
        self.arity(e, *SCALAR_FUNCS[e.func])
        args = [self.expr(a.value, scope) for a in e.args]
        if e.func == "round" and len(args) == 2 and not isinstance(args[1], m.Const):
            raise self.error("round(x, digits): digits must be a number", e.args[1].span)
        grain = self.combine(args, [a.span for a in e.args])
        return m.Op(e.func, tuple(args), grain, e.span)

    def reduction(self, e: ast.Call, scope: _Scope, arg: m.Expr | None = None) -> m.Expr:
        if e.over is None and e.by is None:
            if len(e.args) > 1 and e.func in ROW_WISE:
                return self.row_wise(e, scope)
            if len(e.args) > 1 and e.func in ("max", "min"):
                other = "greatest" if e.func == "max" else "least"
                raise self.error(f"{e.func}() reduces along an axis; for the row-wise {e.func}imum use {other}(...)", e.func_span)
            raise self.error(
                f"{e.func}() does not say what it reduces over", e.span,
                f"name the axis: {e.func}(x over <entity or time axis>) or {e.func}(x by <attribute>)")
        if e.over is not None and e.by is not None:
            raise self.error(f"{e.func}() takes 'over' or 'by', not both", e.span)
        self.no_clauses(e, {"over", "by", "within"})
        self.arity(e, *((2, 2) if e.func == "quantile" else (1, 1)))
        arg = arg if arg is not None else self.expr(e.args[0].value, scope)
        label = ast.unparse(e, names=scope.texts)
        param = self.probability(e.args[1].value) if e.func == "quantile" else None
        if e.over is not None:
            axis = e.over.id
            if axis not in arg.grain.dims:
                known = [*self.axes.entities, *self.axes.times, *self.axes.attributes]
                if axis not in known:
                    raise self.error(f"unknown axis '{axis}'", e.over.span, did_you_mean(axis, known))
                raise self.error(f"cannot reduce over '{axis}': the argument is {arg.grain}", e.over.span,
                                 "'over' removes one of the argument's axes" + (
                                     f"; to group by the attribute write {e.func}(x by {axis})"
                                     if axis in self.axes.attributes else ""))
            within = None
            if e.within is not None:
                if not self.axes.is_time(axis):
                    raise self.error(f"'in a..b' selects periods; '{axis}' is not a time axis", e.within.span)
                within = (self.period(e.within.start), self.period(e.within.end))
                if within[0] > within[1]:
                    raise self.error(f"empty period range {within[0]}..{within[1]}", e.within.span)
            return m.Reduce(e.func, arg, arg.grain.without(axis), axis, "over", within, label, e.span, param=param)
        assert e.by is not None
        group = e.by.id
        if e.within is not None:
            raise self.error("'in a..b' goes with 'over <time axis>'", e.within.span)
        entity = self.axes.attributes.get(group)
        if entity is None:
            if group in self.axes.entities or group in self.axes.times:
                raise self.error(f"'by' groups by an attribute; '{group}' is an axis", e.by.span,
                                 f"to keep '{group}' and remove the other axis, write {e.func}(x over <that axis>)")
            raise self.error(f"unknown attribute '{group}'", e.by.span, did_you_mean(group, self.axes.attributes))
        if entity not in arg.grain.dims:
            raise self.error(f"cannot group by '{group}': the argument is {arg.grain}, without {entity}", e.by.span)
        grain = m.make_grain(self.axes, set(arg.grain.replace(entity, group).dims))
        return m.Reduce(e.func, arg, grain, group, "by", None, label, e.span, param=param)

    def window(self, e: ast.Call, scope: _Scope, arg: m.Expr | None = None) -> m.Expr:
        label = ast.unparse(e, names=scope.texts)
        if e.func in ("lag", "chain"):
            self.no_clauses(e, set())
            self.arity(e, 1, 2 if e.func == "lag" else 1)
            arg = self.expr(e.args[0].value, scope)
            time = self.time_axis(arg, f"{e.func}()", e.span)
            offset = 1
            if len(e.args) == 2:
                k = e.args[1].value
                if not (isinstance(k, ast.Number) and isinstance(k.value, int) and k.value >= 1):
                    raise self.error("lag(x, k): k must be a whole number of periods, 1 or more", k.span)
                offset = k.value
            lag = m.Window("lag", arg, arg.grain, time, offset, label=label, span=e.span)
            if e.func == "lag":
                return lag
            return m.Op("/", (arg, lag), arg.grain, e.span)
        if e.func in ("fill_forward", "fill_backward", "interpolate"):  # imputation along time
            self.no_clauses(e, set())
            self.arity(e, 1, 1)
            arg = self.expr(e.args[0].value, scope)
            time = self.time_axis(arg, f"{e.func}()", e.span)
            return m.Window(e.func, arg, arg.grain, time, label=label, span=e.span)
        if e.func in ("cumprod", "cumsum"):
            self.no_clauses(e, {"over"})
            self.arity(e, 1, 1)
            arg = self.expr(e.args[0].value, scope)
            if e.over is None:
                raise self.error(f"{e.func}() does not say what it accumulates over", e.span,
                                 f"name the time axis: {e.func}(x over year)")
            if not self.axes.is_time(e.over.id) or e.over.id not in arg.grain.dims:
                raise self.error(f"{e.func}() accumulates along a time axis of its argument ({arg.grain})", e.over.span)
            return m.Window(e.func, arg, arg.grain, e.over.id, label=label, span=e.span)
        # rank
        self.no_clauses(e, {"over", "by", "direction", "ties", "where"})
        self.arity(e, 1, 1)
        arg = arg if arg is not None else self.expr(e.args[0].value, scope)
        if e.where is not None:  # outside the subset a value is missing: no rank, and it pushes no one down
            cond = self.expr(e.where, scope)
            grain = self.combine([arg, cond], [e.args[0].span, e.where.span])
            arg = m.Op("if", (cond, arg, m.Const(None)), grain, e.span)
        if e.direction is None:
            raise self.error("rank() must state its direction", e.span,
                             "write rank(x desc) to give 1 to the highest value, rank(x asc) for the lowest")
        ties = e.ties.id if e.ties else "min"
        if ties not in TIE_RULES:
            raise self.error(f"unknown tie rule '{ties}'", e.ties.span if e.ties else e.span,
                             did_you_mean(ties, TIE_RULES) or f"tie rules: {', '.join(TIE_RULES)}")
        candidates = [d for d in arg.grain.dims if not self.axes.is_time(d)]
        if e.over is not None:
            axis = e.over.id
            if axis not in arg.grain.dims:
                raise self.error(f"cannot rank over '{axis}': the argument is {arg.grain}", e.over.span)
        elif len(candidates) == 1:
            axis = candidates[0]
        else:
            raise self.error(f"rank() of a {arg.grain} quantity: say what to rank across with 'over'", e.span)
        group = None
        if e.by is not None:
            group = e.by.id
            if self.axes.attributes.get(group) != axis:
                raise self.error(f"rank(... by {group}): '{group}' must be an attribute of '{axis}'", e.by.span,
                                 did_you_mean(group, self.axes.attributes))
        return m.Window("rank", arg, arg.grain, axis, descending=e.direction == "desc", ties=ties,
                        label=label, span=e.span, group=group)

    def classify(self, e: ast.Call, scope: _Scope) -> m.Expr:
        self.no_clauses(e, set())
        self.arity(e, 2, 2)
        target = e.args[1].value
        if not isinstance(target, ast.Name) or target.id not in self.scales:
            name = target.id if isinstance(target, ast.Name) else ast.unparse(target)
            raise self.error(f"classify(x, scale): '{name}' is not a scale", target.span,
                             did_you_mean(name, self.scales))
        arg = self.expr(e.args[0].value, scope)
        sc = self.scales[target.id]
        return m.Classify(arg, sc.name, sc.bands, arg.grain, e.span)

    # ------------------------------------------------------------ outputs
    def output(self, st: ast.Output, default_name: str) -> m.OutputSpec:
        name = st.name or default_name
        dims: list[str] = []
        for k in st.keys:
            if k.id not in self.axes.entities | self.axes.times | set(self.axes.attributes):
                known = [*self.axes.entities, *self.axes.times, *self.axes.attributes]
                raise self.error(f"unknown axis '{k.id}'", k.span, did_you_mean(k.id, known))
            dims.append(k.id)
        grain = m.make_grain(self.axes, set(dims))
        scope = _Scope()
        columns: list[m.OutputColumn] = []
        local: dict[str, m.Definition] = {}
        for item in st.items:
            value = self.expr(item.value, scope)
            if item.alias is None and not isinstance(item.value, ast.Name):
                raise self.error("name this column: add 'as <name>'", item.span)
            alias = item.alias.id if item.alias else item.value.id  # type: ignore[union-attr]
            if any(c.alias == alias for c in columns) or alias in dims:
                raise self.error(f"output {name} has two columns named '{alias}'", item.span)
            if not m.covers(self.axes, grain, value.grain):
                raise self.error(
                    f"'{alias}' is {value.grain}, finer than the output's {grain}", item.span,
                    "reduce it to the output's grain (over/by), or output it by its own axes")
            if isinstance(value, m.Ref):
                source = value.name
            else:
                source = self.local_name(name, alias)
                text = f"{ast.unparse(item.value)} as {alias}"
                local[source] = m.Definition(source, value, value.grain, f"output {name}: {text}",
                                             item.span.line, item.span)
                value = m.Ref(source, value.grain, "let", item.span)
            scope.locals[alias] = value
            columns.append(m.OutputColumn(alias, source, value.grain))
        return m.OutputSpec(name, grain, tuple(dims), tuple(columns), local, st.span.line)

    def local_name(self, output: str, alias: str) -> str:
        """The step name of an output's own column: its alias, unless a let, a column or
        a table (whose steps share the one namespace of CTEs) has it already."""
        taken = lambda n: n in self.lets or n in self.columns or n in self.tables  # noqa: E731
        source, n = (alias, 2) if not taken(alias) else (f"{output}_{alias}", 2)
        base = source
        while taken(source):
            source, n = f"{base}_{n}", n + 1
        return source

    # ------------------------------------------------------------ driver
    def run(self) -> m.Model:
        self.declare()
        for sc in self.scales.values():
            self.check_scale(sc)
        for name, st in self.lets.items():
            self.let(name, st.name_span)
        index = next((s for s in self.module.statements if isinstance(s, ast.Index)), None)
        spec_name = index.name if index else Path(self.module.path).stem
        outputs: dict[str, m.OutputSpec] = {}
        for st in self.module.statements:
            if isinstance(st, ast.Output):
                out = self.output(st, spec_name)
                if out.name in outputs:
                    raise self.error(f"two outputs are named '{out.name}'", st.span,
                                     "give each output its own name: output <name> by ...")
                outputs[out.name] = out
        if not outputs:
            raise IdxError(Diagnostic("error", "the spec has no output", self.module.path, hint="add: output by <axes>: <columns>"))
        return m.Model(spec_name, index.title if index else None, self.module.path, self.axes, self.tables,
                       self.resolved, outputs, self.params, tuple(self.warnings), self.screens, self.drawn)


def check(module: ast.Module, params: dict[str, str] | None = None, drawn: tuple[str, ...] = ()) -> m.Model:
    """The checked model; `drawn` params vary per draw (a column of input.draws), not constants."""
    return Checker(module, params, drawn).run()
