"""The expression generator: well-grained, well-typed expressions of every built-in
family, as Csmith writes only programs without undefined behaviour.

`Gen.num(g, depth, need)` writes a numeric expression of exactly grain `g` whose
values are known at least as exactly as `need` (values.py): a column or let of that
grain, an operator or scalar function over it and coarser parts broadcast onto it, a
reduction from a finer grain (`over`, `by`, `in a..b`, `at`), a window along time, a
rank, a normalisation, a treatment, a row-wise mean or a user function. Every clause
the checker requires is written (a rank's direction, a reduction's axis, a
cumulation's time axis), every clause value is one the checker takes (weights ≥ 0,
`present N` within the components, `lag` k ≥ 1, probabilities in [0, 1]), and each
construct used is recorded in `used`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field, replace
from typing import Callable

from hypothesis import strategies as st

from .case import Axes
from .data import Draw, chance, weighted
from .grains import SCALAR, Grain, Lattice, Step
from .values import APPROX, DET, EXACT, Size, exactness, literal, worst


@dataclass(frozen=True)
class E:
    """A generated expression and what the generator knows of it."""

    text: str
    grain: Grain
    kind: str = "num"  # num | bool | code
    level: int = EXACT
    size: Size = Size()
    atomic: bool = True  # written without parentheses around it
    data: bool = True  # reads a column, let or function parameter, not only axes and constants
    positive: bool = False  # every value present is above zero
    top: str = "column"  # the construct at its root, for disagreement signatures
    uses: frozenset[str] = frozenset()  # a named atom (let, alias): the constructs its definition uses

    @property
    def wrapped(self) -> str:
        return self.text if self.atomic else f"({self.text})"


@dataclass
class Def:
    """A user function: its parameters' grain and what its body gives."""

    name: str
    params: tuple[str, ...]
    grain: Grain  # of each parameter
    result: E  # the body, as generated over placeholders of that grain
    heavy: bool
    applied: int = 0


# A function parameter stands for an exact argument no larger than this, so the body's
# exactness holds for every argument the generator passes (Def's arguments are checked).
PLACEHOLDER = Size(256.0, 4)


@dataclass
class Names:
    """Statements the expressions need, declared as they are first used."""

    axes: Axes
    draw: Draw
    params: dict[str, tuple[str, float]] = field(default_factory=dict)  # name -> (role, value)
    scales: dict[str, str] = field(default_factory=dict)  # name -> statement text
    defs: list[Def] = field(default_factory=list)
    used: set[str] = field(default_factory=set)

    ROLES = {
        "weight": (1.0, 2.0, 0.5, 3.0),
        "number": (2.0, 0.5, -1.0, 10.0),
        "lo": (0.0, 1.0, -1.0),
        "hi": (100.0, 10.0, 1.0),
        "digits": (0.0, 1.0, 2.0),
        "prob": (0.25, 0.5, 0.75, 0.1, 0.9),
        "target": (1.0, 4.0, 50.0),
        "centre": (0.0, 100.0),
        "spread": (1.0, 10.0),
    }

    def param(self, role: str, value: float | None = None) -> str:
        """A param of this role: one already declared, or a new one."""
        same = [n for n, (r, v) in self.params.items() if r == role and (value is None or v == value)]
        if same and chance(self.draw, 0.5):
            return same[self.draw(st.integers(0, len(same) - 1))]
        if value is None:
            pool = self.ROLES[role]
            value = pool[self.draw(st.integers(0, len(pool) - 1))]
        name = f"{role[:2]}{len(self.params) + 1}"
        self.params[name] = (role, value)
        self.used.add(f"param:{role}")
        return name

    def statements(self) -> list[str]:
        out = []
        for name, (role, value) in self.params.items():
            doc = f' "the {role}"' if chance(self.draw, 0.2) else ""
            out.append(f"param {name} = {literal(value)}{doc}")
        return out


class Gen:
    """Writes expressions over a scope of named atoms (columns, lets, aliases, params of
    a function being defined), grain by grain."""

    def __init__(self, draw: Draw, ax: Axes, lat: Lattice, names: Names, scope: dict[Grain, list[E]]) -> None:
        self.draw, self.ax, self.lat, self.names, self.scope = draw, ax, lat, names, scope
        self.used = names.used
        self.time = ax.time
        self.yearly = ax.calendar == "yearly"
        self.defs_allowed = True
        self.collectors: list[set[str]] = []  # the constructs of the expressions being written

    # ------------------------------------------------------------------ helpers
    def pick(self, items: list):  # type: ignore[no-untyped-def,type-arg]
        return items[self.draw(st.integers(0, len(items) - 1))]

    def note(self, *names: str) -> None:
        self.used.update(names)
        for c in self.collectors:
            c.update(names)

    def collect(self, write: Callable[[], E]) -> tuple[E, frozenset[str]]:
        """An expression and every construct it uses (through the lets and aliases it
        names too): what a disagreement in its column can be blamed on."""
        found: set[str] = set()
        self.collectors.append(found)
        try:
            e = write()
        finally:
            self.collectors.pop()
        return e, frozenset(found)

    def members(self, axis: str) -> int:
        """How many values an axis takes: the factor a sum over it may grow by."""
        if axis == self.time:
            return len(self.ax.periods)
        if axis in self.ax.entities:
            return len(self.ax.entities[axis])
        return len(self.ax.entities[self.ax.attributes[axis]])  # members of the largest group at most

    def atoms(self, g: Grain, need: int) -> list[E]:
        return [a for a in self.scope.get(g, []) if a.level <= need]

    def kind_of_axis(self, axis: str) -> str:
        return "time" if axis == self.time else "attribute" if axis in self.ax.attributes else "entity"

    # ------------------------------------------------------------------ numbers
    def num(self, g: Grain, depth: int, need: int = APPROX, forms: tuple[str, ...] | None = None) -> E:
        """A numeric expression of exactly grain g, at least as exact as `need`."""
        atoms = self.atoms(g, need)
        if forms is None and (depth <= 0 or (atoms and chance(self.draw, 0.4))):
            if atoms:
                return self.atom(atoms)
            return self.reduce_to(g, 0, need, forced=True)
        options = self.forms(g, need, depth)
        if forms is not None:
            options = [(w, f) for w, f in options if f in forms] or options
        for _ in range(4):
            form = weighted(self.draw, options)
            found = FORMS[form](self, g, depth - 1, need)
            if found is not None and found.level <= need and found.grain == g:
                return found
        return self.atom(atoms) if atoms else self.reduce_to(g, 0, need, forced=True)

    def atom(self, atoms: list[E]) -> E:
        a = self.pick(atoms)
        self.note(f"ref:{a.top}", *a.uses)
        return a

    def forms(self, g: Grain, need: int, depth: int) -> list[tuple[int, str]]:
        has_time = self.time in g
        entity = bool(self.lat.entity_axes(g))
        found = [(6, "arith"), (2, "divide"), (1, "unary"), (2, "scalar"), (2, "extreme"), (2, "if"), (2, "coalesce"),
                 (1, "power"), (5, "reduce"), (3, "rowwise")]
        if has_time:
            found += [(4, "window")]
            if g - {self.time}:
                found += [(1, "at_up")]
        if entity or has_time:
            found += [(3, "rank"), (3, "normalise")]
        if entity:
            found += [(2, "treat"), (1, "clip")]
        if self.defs_allowed and any(d.result.grain == g for d in self.names.defs):
            found += [(4, "apply")]
        if need < APPROX:  # forms that are never exact are left out up front
            found = [(w, f) for w, f in found if f not in ("normalise", "treat")]
        return found

    def constant(self, need: int = APPROX) -> E:
        """A number or a param, scalar."""
        if chance(self.draw, 0.25):
            name = self.names.param("number")
            value = self.names.params[name][1]
            self.note("ref:param")
            return E(name, SCALAR, level=EXACT, size=Size(abs(value) or 1.0, 1), data=False, positive=value > 0,
                     top="param")
        value = self.pick([2.0, 1.0, 0.5, 3.0, 10.0, 0.0, -1.0, 100.0, 0.25])
        self.note("number")
        return E(literal(value), SCALAR, level=EXACT, size=Size(abs(value) or 1.0, 2), data=False,
                 positive=value > 0, top="number")

    def part(self, g: Grain, depth: int, need: int) -> E:
        """An operand that broadcasts onto g: g itself, a coarser grain, or a constant."""
        if chance(self.draw, 0.2):
            return self.constant(need)
        coarser = [h for h in self.lat.under(g) if h != g]
        if coarser and chance(self.draw, 0.35):
            h = self.pick(coarser)
            self.note("broadcast")
            return self.num(h, depth, need)
        return self.num(g, depth, need)

    def with_data(self, e: E, g: Grain) -> E:
        """A reduction's argument reads data: add a column when it holds only axes."""
        if e.data:
            return e
        col = self.reduce_to(g, 0, EXACT, forced=True) if not self.atoms(g, EXACT) else self.pick(self.atoms(g, EXACT))
        return E(f"{e.wrapped} + {col.wrapped}", g, level=worst(e.level, col.level), size=e.size.plus(col.size),
                 atomic=False, top="op:+")

    # ------------------------------------------------------------------ reductions
    def reduce_to(self, g: Grain, depth: int, need: int, forced: bool = False) -> E:
        """A reduction from a finer grain onto g (the way down to the data when no atom of
        g is in scope: towards a grain nearer the tables)."""
        steps = list(self.lat.into.get(g, ()))
        if forced:
            closer = [s for s in steps if self.lat.depth.get(s.source, 99) < self.lat.depth.get(g, 99)] or steps
            steps = closer
        if not steps:
            raise Unreachable(g)
        step: Step = self.pick(steps)
        if step.kind == "at":
            return self.at(step, depth, need)
        return self.aggregate(step, depth, need, forced)

    def aggregate(self, step: Step, depth: int, need: int, forced: bool = False) -> E:
        funcs = {EXACT: ["sum", "min", "max", "count", "median", "quantile"],
                 DET: ["sum", "min", "max", "count", "median", "quantile", "mean"],
                 APPROX: ["sum", "mean", "min", "max", "count", "median", "quantile", "sd", "skew", "kurt",
                          "product", "geomean"]}[need]
        if forced:
            funcs = funcs[:3]
        func = self.pick(funcs)
        arg_need = {"min": need, "max": need, "count": APPROX}.get(func, EXACT if need < APPROX else APPROX)
        if func in ("product", "geomean", "skew", "kurt", "sd"):
            arg_need = APPROX
        arg = self.with_data(self.num(step.source, depth, arg_need), step.source)
        n = self.members(step.axis)
        p = None
        if func == "quantile":
            p = self.pick([0.5, 0.25, 0.75, 0.0, 1.0, 0.1, 0.9])
            p_text = self.names.param("prob", p) if chance(self.draw, 0.25) else literal(p)
        level, size = self.reduced_level(func, arg, n, p)
        if func == "product" and size.mag > 1e30:
            func, (level, size) = "max", self.reduced_level("max", arg, n, None)
        clause = f"{'over' if step.kind == 'over' else 'by'} {step.axis}"
        kind = self.kind_of_axis(step.axis) if step.kind == "over" else "by"
        if step.kind == "over" and step.axis == self.time and chance(self.draw, 0.3):
            clause += " in " + self.period_range()
            kind = "time-in"
        args = f"{arg.text}, {p_text}" if func == "quantile" else arg.text
        self.note(f"reduce:{func}", f"reduce:{func}:{kind}", f"reduce:{kind}")
        positive = arg.positive and func in ("sum", "mean", "min", "max", "median", "quantile", "geomean", "product")
        grain = step.source - {step.axis} if step.kind == "over" else \
            (step.source - {self.ax.attributes[step.axis]}) | {step.axis}
        return E(f"{func}({args} {clause})", grain, level=level, size=size, positive=positive or func == "count",
                 top=f"reduce:{func}")

    def reduced_level(self, func: str, arg: E, n: int, p: float | None) -> tuple[int, Size]:
        a, s = arg.level, arg.size
        if func == "count":
            return EXACT, Size(float(n), 0)
        if func in ("min", "max"):
            return a, s
        if func == "sum":
            return exactness(EXACT if a == EXACT else APPROX, s.scaled(n)), s.scaled(n) if a == EXACT else s.inexact(s.mag * n)
        if func == "median":
            return exactness(a if a == EXACT else APPROX, Size(s.mag, s.frac + 1)), Size(s.mag, s.frac + 1)
        if func == "quantile":
            dyadic = p in (0.0, 0.25, 0.5, 0.75, 1.0)
            grown = Size(s.mag, s.frac + 2 + max(1, n.bit_length()))
            return exactness(EXACT if a == EXACT and dyadic else APPROX, grown), grown
        if func == "mean":
            return (DET if a == EXACT else APPROX), s.inexact()
        if func == "product":
            return APPROX, s.inexact(s.mag ** n if s.mag < 1e6 else 1e300)
        if func in ("skew", "kurt"):
            return APPROX, s.inexact(float(n * n + 10))
        return APPROX, s.inexact(s.mag * 2)

    def at(self, step: Step, depth: int, need: int) -> E:
        arg = self.with_data(self.num(step.source, depth, need), step.source)
        period = self.pick(["first", "last"]) if chance(self.draw, 0.2) else self.period()
        self.note("at", f"at:{period}" if period in ("first", "last") else
                  "at:param" if not period[0].isdigit() else "at:literal")
        return E(f"{arg.wrapped} at {period}", step.source - {self.time}, level=arg.level, size=arg.size,
                 atomic=False, positive=arg.positive, top="at")

    def period(self) -> str:
        """A period for `at`: a literal of the axis's calendar or (years) a param."""
        periods = self.ax.periods
        number = self.pick(list(periods) + [periods[-1] + 1])  # one past the data: missing
        if self.yearly:
            return self.names.param("period", number) if chance(self.draw, 0.3) else str(number)
        return label(self.ax.calendar, number)

    def period_range(self) -> str:
        periods = self.ax.periods
        i = self.draw(st.integers(0, len(periods) - 1))
        j = self.draw(st.integers(i, len(periods) - 1))
        if self.yearly:
            a, b = str(periods[i]), str(periods[j])
            if chance(self.draw, 0.3):
                a, b = self.names.param("period", periods[i]), self.names.param("period", periods[j])
                self.note("in:param")
            return f"{a}..{b}"
        if chance(self.draw, 0.3):
            self.note("in:whole-years")
            year = periods[0] // {"quarterly": 4, "monthly": 12}[self.ax.calendar]
            return f"{year}..{year}"
        return f"{label(self.ax.calendar, periods[i])}..{label(self.ax.calendar, periods[j])}"

    # ------------------------------------------------------------------ conditions
    def cond(self, g: Grain, depth: int) -> E:
        """A condition whose grain broadcasts onto g: a comparison of exact values, of an
        entity or attribute with a code, of the year; and, or, not."""
        options = [(6, "compare"), (2, "missing")]
        texts = self.text_atoms(g)
        if texts:
            options += [(3, "text"), (2, "text-test")]
        if self.yearly and self.time in g:
            options.append((2, "year"))
        if depth > 0:
            options += [(2, "and"), (1, "or"), (1, "not")]
        form = weighted(self.draw, options)
        if form == "compare":
            h = self.pick(self.lat.under(g))
            left = self.num(h, depth, DET)
            right = self.part(h, depth - 1, DET) if chance(self.draw, 0.4) else self.threshold(left)
            op = self.pick([">", "<", ">=", "<=", "==", "!="])
            self.note(f"compare:{op}")
            return E(f"{left.wrapped} {op} {right.wrapped}", left.grain, kind="bool", atomic=False, top=f"compare:{op}")
        if form == "text":
            name, codes, grain = self.pick(texts)
            self.note("compare:text")
            return E(f'{name} {self.pick(["!=", "=="])} "{self.pick(list(codes))}"', grain, kind="bool", atomic=False,
                     data=False, top="compare:text")
        if form == "missing":  # `x is missing`: a condition that is never missing itself
            h = self.pick(self.lat.under(g))
            x = self.num(h, depth - 1, DET)
            test = self.pick(["is missing", "is not missing"])
            self.note(f"test:{test}")
            return E(f"{x.wrapped} {test}", x.grain, kind="bool", atomic=False, top=f"test:{test}")
        if form == "text-test":
            name, codes, grain = self.pick(texts)
            code = self.pick(list(codes))
            func = self.pick(["startswith", "contains"])
            part = code[:max(1, len(code) // 2)] if func == "startswith" else code[len(code) // 2:] or code
            self.note(f"fn:{func}")
            return E(f'{func}({name}, "{part}")', grain, kind="bool", atomic=False, data=False, top=f"fn:{func}")
        if form == "year":
            self.note("compare:year")
            return E(f"{self.time} {self.pick(['>', '>=', '<', '!='])} {self.pick(list(self.ax.periods))}",
                     frozenset({self.time}), kind="bool", atomic=False, data=False, top="compare:year")
        if form == "not":
            inner = self.cond(g, depth - 1)
            self.note("not")
            return E(f"not {inner.wrapped}", inner.grain, kind="bool", atomic=False, data=inner.data, top="not")
        a = self.cond(g, depth - 1)
        b = self.cond(a.grain, depth - 1)  # within a's grain: two grains neither of which holds the other do not combine
        self.note(form)
        return E(f"{a.wrapped} {form} {b.wrapped}", a.grain, kind="bool", atomic=False, data=a.data or b.data, top=form)

    def threshold(self, e: E) -> E:
        value = self.pick([0.0, 1.0, 2.0, 0.5, 3.0, 50.0, -1.0])
        return E(literal(value), SCALAR, data=False, top="number")

    def text_atoms(self, g: Grain) -> list[tuple[str, tuple[str, ...], Grain]]:
        """Entity keys and attributes usable in g (their grain is their entity)."""
        found = []
        for entity, codes in self.ax.entities.items():
            if entity in g:
                found.append((entity, codes, frozenset({entity})))
                found += [(a, self.ax.groups[a], frozenset({entity})) for a, e in self.ax.attributes.items()
                          if e == entity]
        return found


class Unreachable(Exception):
    """No reduction leads to the grain asked for (a generator bug)."""


def label(calendar: str, number: int) -> str:
    per = {"quarterly": 4, "monthly": 12}[calendar]
    year, within = divmod(number, per)
    return f"{year}Q{within + 1}" if per == 4 else f"{year}-{within + 1:02d}"


# ---------------------------------------------------------------------- the forms
Form = Callable[[Gen, Grain, int, int], "E | None"]


def _arith(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    op = gen.pick(["+", "-", "*"])
    left, right = gen.num(g, depth, need), gen.part(g, depth, need)
    if chance(gen.draw, 0.5):
        left, right = right, left
    size = left.size.plus(right.size) if op != "*" else left.size.times(right.size)
    if size.mag > 1e30:
        return None
    level = exactness(worst(left.level, right.level), size)
    if level == EXACT and op == "*" and not size.fits():
        level = DET
    gen.note(f"op:{op}")
    positive = left.positive and right.positive and op in ("+", "*")
    return E(f"{left.wrapped} {op} {right.wrapped}", g, level=level, size=size if level == EXACT else size.inexact(),
             atomic=False, data=left.data or right.data, positive=positive, top=f"op:{op}")


def _divide(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    left = gen.num(g, depth, need if need < APPROX else APPROX)
    if chance(gen.draw, 0.25):
        k = gen.pick([2.0, 4.0, 0.5])
        gen.note("op:/", "op:/:constant")
        return E(f"{left.wrapped} / {literal(k)}", g, level=left.level, size=Size(left.size.mag / k, left.size.frac + 2),
                 atomic=False, positive=left.positive, top="op:/")
    right = gen.part(g, depth, DET)
    level = DET if worst(left.level, right.level) <= DET else APPROX
    gen.note("op:/")
    return E(f"{left.wrapped} / {right.wrapped}", g, level=level,
             size=left.size.inexact(left.size.mag * 2.0 ** min(right.size.frac, 8) * 4), atomic=False,
             data=left.data or right.data, positive=left.positive and right.positive, top="op:/")


def _unary(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    x = gen.num(g, depth, need)
    if chance(gen.draw, 0.5):
        gen.note("op:neg")
        return E(f"-{x.wrapped}", g, level=x.level, size=x.size, atomic=False, top="op:neg")
    gen.note("fn:abs")
    return E(f"abs({x.text})", g, level=x.level, size=x.size, top="fn:abs")


def _scalar(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    fn = gen.pick(["round", "sqrt", "ln", "exp", "round"])
    if fn == "round":
        x = gen.num(g, depth, DET)
        digits = gen.pick([0, 1, 2, None])  # round(x, -1) is refused by idxc's checker (reported)
        if digits is None:
            gen.note("fn:round", "fn:round:no-digits")
            return E(f"round({x.text})", g, level=EXACT, size=Size(x.size.mag + 1, 0), top="fn:round")
        shown = gen.names.param("digits", float(digits)) if digits >= 0 and chance(gen.draw, 0.3) else str(digits)
        gen.note("fn:round", "fn:round:param" if not shown.lstrip("-").isdigit() else "fn:round:digits")
        level = EXACT if digits <= 0 else DET
        return E(f"round({x.text}, {shown})", g, level=level, size=Size(x.size.mag + 10, 0 if digits <= 0 else 53),
                 top="fn:round")
    if fn == "sqrt":
        x = gen.num(g, depth, DET)
        gen.note("fn:sqrt")
        return E(f"sqrt({x.text})", g, level=DET if x.level <= DET else APPROX, size=Size(math.sqrt(x.size.mag) + 1, 53),
                 top="fn:sqrt", positive=False)
    if need < APPROX:
        return None
    if fn == "ln":
        x = gen.num(g, depth, DET)
        gen.note("fn:ln")
        return E(f"ln({x.text})", g, level=APPROX, size=Size(math.log(x.size.mag + 2) + 40, 53), top="fn:ln")
    x = gen.num(g, depth, APPROX)
    if x.size.mag > 30:
        x = E(f"{x.wrapped} / {literal(2.0 ** math.ceil(math.log2(x.size.mag / 4)))}", g, level=x.level,
              size=Size(4.0, 53), atomic=False, data=x.data, top="op:/")
    gen.note("fn:exp")
    return E(f"exp({x.text})", g, level=APPROX, size=Size(math.exp(min(x.size.mag, 30)) + 1, 53), positive=True,
             top="fn:exp")


def _extreme(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    fn = gen.pick(["least", "greatest"])
    parts = [gen.num(g, depth, need)] + [gen.part(g, depth, need) for _ in range(gen.draw(st.integers(1, 2)))]
    if chance(gen.draw, 0.5):
        parts = _finest_first(parts[::-1], g)
    gen.note(f"fn:{fn}")
    return E(f"{fn}({', '.join(p.text for p in parts)})", g, level=worst(*(p.level for p in parts)),
             size=Size(max(p.size.mag for p in parts), max(p.size.frac for p in parts)),
             positive=all(p.positive for p in parts) if fn == "least" else any(p.positive for p in parts),
             top=f"fn:{fn}")


def _if(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    c = gen.cond(g, max(depth - 1, 0))
    a, b = gen.num(g, depth, need), gen.part(g, depth, need)
    if chance(gen.draw, 0.5) and (c.grain == g or gen.lat.covers(c.grain, b.grain)):
        a, b = b, a  # (idxc combines the parts in order: see _finest_first)
    gen.note("if")
    return _either(f"if {c.text} then {a.wrapped} else {b.wrapped}", g, a, b, "if")


def _either(text: str, g: Grain, a: E, b: E, top: str) -> E:
    """An expression whose value is one of a's and b's: the worse exactness, the larger size."""
    return E(text, g, level=worst(a.level, b.level), size=Size(max(a.size.mag, b.size.mag), max(a.size.frac, b.size.frac)),
             atomic=False, positive=a.positive and b.positive, top=top)


def _coalesce(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    a = gen.num(g, depth, need)
    entities = gen.lat.entity_axes(g)
    if len(entities) == 1 and chance(gen.draw, 0.4):  # imputation across entities: x ?? mean(x over region)
        e = entities[0]
        groups = [x for x, owner in gen.ax.attributes.items() if owner == e]
        func = gen.pick(["mean", "median", "min"] if need == APPROX else ["median", "min"])
        clause = f"by {gen.pick(groups)}" if groups and chance(gen.draw, 0.5) else f"over {e}"
        level = a.level if func == "min" else EXACT if func == "median" and a.level == EXACT else APPROX
        b = E(f"{func}({a.text} {clause})", g, level=level, size=Size(a.size.mag, a.size.frac + 1),
              top=f"reduce:{func}")
        gen.note("impute:across", f"reduce:{func}")
    else:
        b = gen.part(g, depth, need)
    gen.note("op:??")
    return _either(f"{a.wrapped} ?? {b.wrapped}", g, a, b, "op:??")


def _power(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    base = gen.num(g, depth, DET)
    k = gen.pick([2, 3, 0.5])
    if base.size.mag > 1e6:
        return None
    size = Size(base.size.mag ** k, int(base.size.frac * k) if k >= 1 else 53)
    level = exactness(EXACT, size) if base.level == EXACT and k >= 1 and size.fits() else APPROX
    gen.note("op:^", "op:^:half" if k == 0.5 else "op:^:whole")
    return E(f"{base.wrapped} ^ {literal(k)}", g, level=level, size=size if level == EXACT else size.inexact(),
             atomic=False, top="op:^")


def _reduce(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    steps = [s for s in gen.lat.into.get(g, ()) if s.kind != "at"]
    if not steps:
        return None
    return gen.aggregate(gen.pick(steps), depth, need)


def _at_up(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    """x at P broadcast back onto g (a base-period index: x / x at 2001)."""
    x = gen.num(g, depth, DET)
    step = Step("at", g, gen.time)
    base = gen.at(step, depth, DET)
    gen.note("op:/", "base-period")
    return E(f"{x.wrapped} / {base.wrapped} * 100", g, level=DET if worst(x.level, base.level) <= DET else APPROX,
             size=x.size.inexact(x.size.mag * 2.0 ** min(base.size.frac, 8) * 400), atomic=False, top="base-period")


def _window(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    fn = gen.pick(["lag", "lag_k", "chain", "cumsum", "cumprod", "fill_forward", "fill_backward", "interpolate"])
    t = gen.time
    if fn in ("lag", "lag_k", "fill_forward", "fill_backward"):
        x = gen.num(g, depth, need)
        k = gen.pick([2, 1, 3, 4]) if fn == "lag_k" else None
        if fn == "lag_k":
            text, name = f"lag({x.text}, {k})", "lag"
        else:
            text, name = f"{fn}({x.text})", fn
        gen.note(f"window:{fn}")
        return E(text, g, level=x.level, size=x.size, positive=x.positive, top=f"window:{name}")
    if fn == "chain":
        x = gen.num(g, depth, DET)
        gen.note("window:chain")
        return E(f"chain({x.text})", g, level=DET if x.level <= DET else APPROX, size=x.size.inexact(x.size.mag * 16),
                 positive=x.positive, top="window:chain")
    if fn == "cumsum":
        x = gen.num(g, depth, need)
        size = x.size.scaled(len(gen.ax.periods))
        gen.note("window:cumsum")
        return E(f"cumsum({x.text} over {t})", g, level=exactness(EXACT if x.level == EXACT else APPROX, size),
                 size=size, top="window:cumsum")
    if need < APPROX:
        return None
    x = gen.num(g, depth, APPROX)
    if fn == "cumprod":
        if x.size.mag ** len(gen.ax.periods) > 1e30:
            x = E(f"{x.wrapped} ?? 1", g, level=x.level, size=x.size, atomic=False) if x.size.mag <= 4 else \
                E(f"chain({x.text}) ?? 1", g, level=APPROX, size=Size(16.0, 53), atomic=False, top="window:chain")
            if x.size.mag ** len(gen.ax.periods) > 1e30:
                return None
        gen.note("window:cumprod")
        return E(f"cumprod({x.text} over {t})", g, level=APPROX, size=x.size.inexact(x.size.mag ** len(gen.ax.periods)),
                 top="window:cumprod")
    gen.note("window:interpolate")
    return E(f"interpolate({x.text})", g, level=APPROX, size=x.size.inexact(), top="window:interpolate")


def _across(gen: Gen, g: Grain, allow_by: bool = True, allow_time: bool = True) -> tuple[str, str] | None:
    """What a rank or normalisation works across: ('' or 'over A' or 'by G', its name)."""
    entities = gen.lat.entity_axes(g)
    options: list[tuple[int, tuple[str, str]]] = []
    if len(entities) == 1:
        options.append((6, ("", "default")))
        options.append((2, (f"over {entities[0]}", "over")))
        if allow_by:
            options += [(3, (f"by {a}", "by")) for a, e in gen.ax.attributes.items() if e == entities[0]]
    if allow_time and gen.time in g:
        options.append((1 if entities else 4, (f"over {gen.time}", "over-time")))
    return weighted(gen.draw, options) if options else None


def _rank(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    across = _across(gen, g, allow_by=False)
    if across is None:
        return None
    clause, how = across
    x = gen.num(g, depth, DET)
    direction = gen.pick(["desc", "asc"])
    parts = [x.text, direction]
    ties = gen.pick([None, "min", "max", "dense", "first", "average"])
    if ties:
        parts.append(f"ties {ties}")
    if clause:
        parts.append(clause)
    entities = gen.lat.entity_axes(g)
    groups = [a for a, e in gen.ax.attributes.items() if entities and e == entities[0]]
    if how != "over-time" and groups and chance(gen.draw, 0.3):
        parts.append(f"by {gen.pick(groups)}")
        gen.note("rank:by")
    if chance(gen.draw, 0.3):
        parts.append(f"where {gen.cond(g, max(depth - 1, 0)).text}")
        gen.note("rank:where")
    gen.note("rank", f"rank:{direction}", f"rank:ties-{ties or 'default'}", f"rank:{how}")
    n = max(gen.members(d) for d in g) if g else 1
    return E(f"rank({' '.join(parts)})", g, level=EXACT, size=Size(float(n), 1), positive=True, top="rank")


def _normalise(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    fn = gen.pick(["minmax", "zscore", "goalposts", "distance", "prank", "fracmax"])
    x = gen.num(g, depth, APPROX if fn == "goalposts" else DET)
    clauses = []
    args = [x.text]
    if fn == "goalposts":
        lo, hi = _bound(gen, "lo"), _bound(gen, "hi")
        args += [lo, hi]
        if chance(gen.draw, 0.3):
            clauses.append("unclipped")
            gen.note("norm:goalposts:unclipped")
    else:
        across = _across(gen, g)
        if across is None:
            return None
        if across[0]:
            clauses.append(across[0])
        gen.note(f"norm:{fn}:{across[1]}")
        if fn in ("minmax", "zscore") and chance(gen.draw, 0.4):
            roles = ("lo", "hi") if fn == "minmax" else ("centre", "spread")
            args += [_bound(gen, roles[0]), _bound(gen, roles[1])]
            gen.note(f"norm:{fn}:bounds")
        if fn == "distance":
            args.append(_bound(gen, "target"))
    if chance(gen.draw, 0.3):
        clauses.append("direction -1")
        gen.note(f"norm:{fn}:direction")
    gen.note(f"norm:{fn}")
    text = f"{fn}({', '.join(args)}{' ' + ' '.join(clauses) if clauses else ''})"
    return E(text, g, level=APPROX, size=Size(1e4, 53), top=f"norm:{fn}")


def _bound(gen: Gen, role: str) -> str:
    if chance(gen.draw, 0.3):
        gen.note("param:bound")
        return gen.names.param(role)
    return literal(gen.pick(list(Names.ROLES[role])))


def _treat(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    entities = gen.lat.entity_axes(g)
    if len(entities) != 1:
        return None
    x = gen.num(g, depth, DET)
    args = [x.text]
    if chance(gen.draw, 0.3):
        args.append(str(gen.pick([2, 1, 0, 3])))
        gen.note("treat:winmax")
    text = f"treat({', '.join(args)}{' over ' + entities[0] if chance(gen.draw, 0.2) else ''})"
    gen.note("treat")
    return E(text, g, level=APPROX, size=x.size.inexact(max(x.size.mag, 50.0)), top="treat")


def _clip(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    across = _across(gen, g)
    if across is None:
        return None
    x = gen.num(g, depth, need)
    lo, hi = gen.pick([(0.25, 0.75), (0.0, 0.5), (0.1, 0.9), (0.05, 0.95), (0.5, 1.0)])
    shown = [gen.names.param("prob", v) if chance(gen.draw, 0.2) else literal(v) for v in (lo, hi)]
    level = exactness(EXACT, Size(x.size.mag, x.size.frac + 6)) if x.level == EXACT and lo in (0.0, 0.25, 0.5) \
        and hi in (0.5, 0.75, 1.0) else APPROX
    if level > need:
        return None
    gen.note("clip", f"clip:{across[1]}")
    clause = f" {across[0]}" if across[0] else ""
    return E(f"clip({x.text}, {shown[0]}, {shown[1]}{clause})", g, level=level, size=Size(x.size.mag, x.size.frac + 6),
             positive=x.positive, top="clip")


def _rowwise(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    fn = gen.pick(["mean", "mean", "geomean", "hmean", "genmean", "sum", "product"])
    if need < APPROX and fn in ("geomean", "hmean", "genmean"):
        fn = "mean"
    n = gen.draw(st.integers(2, 4))
    parts = [gen.num(g, depth, EXACT if need < APPROX else APPROX)] + \
        [gen.part(g, depth, EXACT if need < APPROX else APPROX) for _ in range(n - 1)]
    order = gen.draw(st.permutations(range(n)))
    parts = _finest_first([parts[i] for i in order], g)
    if fn in ("sum", "product"):
        size = parts[0].size
        for p in parts[1:]:
            size = size.plus(p.size) if fn == "sum" else size.times(p.size)
        if size.mag > 1e30:
            return None
        level = exactness(worst(*(p.level for p in parts)), size)
        gen.note(f"rowwise:{fn}")
        return E(f"{fn}({', '.join(p.text for p in parts)})", g, level=level, size=size if level == EXACT else size.inexact(),
                 top=f"rowwise:{fn}")
    texts = []
    weights = chance(gen.draw, 0.4)
    for p in parts:
        if weights and chance(gen.draw, 0.7):
            if chance(gen.draw, 0.3):
                w = gen.names.param("weight")
                gen.note("rowwise:weight-param")
            else:
                w = literal(gen.pick([2.0, 1.0, 0.5, 3.0, 0.0]))
            texts.append(f"{p.text}: {w}")
        else:
            texts.append(p.text)
    if weights and all(t.endswith(": 0") for t in texts):
        texts[0] = parts[0].text
    clauses = []
    if fn == "genmean":
        clauses.append(f"power {literal(gen.pick([2.0, -1.0, 3.0, 0.5, -2.0]))}")
    if chance(gen.draw, 0.35):
        present = gen.pick([1, 2, 0.5, n, 0.75])
        present = min(present, n) if present >= 1 else present
        clauses.append(f"present {literal(float(present))}")
        gen.note(f"rowwise:{fn}:present-{'count' if present >= 1 else 'share'}")
    gen.note(f"rowwise:{fn}", *([f"rowwise:{fn}:weights"] if weights else []))
    level = DET if fn == "mean" and all(p.level == EXACT for p in parts) else APPROX
    mag = max(p.size.mag for p in parts)
    return E(f"{fn}({', '.join(texts)}{' ' + ' '.join(clauses) if clauses else ''})", g, level=level,
             size=Size(mag * 2, 53), positive=all(p.positive for p in parts), top=f"rowwise:{fn}")


def _apply(gen: Gen, g: Grain, depth: int, need: int) -> E | None:
    defs = [d for d in gen.names.defs if d.result.grain == g and d.result.level <= need]
    if not defs:
        return None
    d = gen.pick(defs)
    args = [gen.argument(d.grain, depth) for _ in d.params]
    d.applied += 1
    gen.note(*d.result.uses)
    gen.note("def:applied", f"def:{'heavy' if d.heavy else 'light'}", *(["def:two-params"] if len(d.params) > 1 else []))
    return replace(d.result, text=f"{d.name}({', '.join(a.text for a in args)})", atomic=True, top=f"def:{d.name}")


def _argument(gen: Gen, g: Grain, depth: int) -> E:
    """An argument of a user function: exact, within the placeholder's size."""
    for _ in range(3):
        a = gen.num(g, depth, EXACT)
        if a.size.mag <= PLACEHOLDER.mag and a.size.frac <= PLACEHOLDER.frac and a.data:
            return a
    return gen.pick(gen.atoms(g, EXACT) or [gen.reduce_to(g, 0, EXACT, forced=True)])


Gen.argument = _argument  # type: ignore[attr-defined]


def _finest_first(parts: list[E], g: Grain) -> list[E]:
    """The parts with one of grain g first. idxc's checker combines a call's parts in
    order and refuses two incomparable coarser parts before the finest one
    (`mean(y, mean(x over year), x)`: "grain mismatch", reported), though the finest
    covers both; the generator writes the order it takes."""
    i = next((k for k, p in enumerate(parts) if p.grain == g), 0)
    return [parts[i], *parts[:i], *parts[i + 1:]]

FORMS: dict[str, Form] = {
    "arith": _arith, "divide": _divide, "unary": _unary, "scalar": _scalar, "extreme": _extreme, "if": _if,
    "coalesce": _coalesce, "power": _power, "reduce": _reduce, "at_up": _at_up, "window": _window, "rank": _rank,
    "normalise": _normalise, "treat": _treat, "clip": _clip, "rowwise": _rowwise, "apply": _apply,
}
