"""The case strategy: tables with data, then params, scales, user functions, lets,
outputs at several grains and screens, written as one valid spec.

`cases()` is the hypothesis strategy the campaign and the tests draw from."""

from __future__ import annotations

import re
from dataclasses import replace

from hypothesis import strategies as st

from .case import Axes, Case, Table
from .data import E1, Draw, axes, chance, tables, weighted
from .exprs import PLACEHOLDER, Def, E, Gen, Names
from .grains import SCALAR, Grain, Lattice, lattice
from .values import APPROX, DET, EXACT, POOLS, Size, literal, pool_size


@st.composite
def cases(draw: Draw) -> Case:
    ax = draw(axes())
    tabs = draw(tables(ax))
    names = Names(ax, draw)
    lat = lattice({_grain(t) for t in tabs if t.columns}, ax.attributes, ax.time)
    scope = _columns(tabs)
    gen = Gen(draw, ax, lat, names, scope)
    lines = _table_lines(draw, ax, tabs, names.used)
    defs = [_def(draw, gen, i) for i in range(weighted(draw, [(5, 0), (4, 1), (2, 2)]))]
    lets = _lets(draw, gen, defs)
    outputs, (columns, uses), out_lines, keys = _outputs(draw, gen)
    screens = _screens(draw, tabs, names.used)
    head = []
    if chance(draw, 0.2):
        head.append('index demo "A generated spec"')
        names.used.add("index")
    body = head + lines + names.statements() + list(names.scales.values()) + \
        [f"def {d.name}({', '.join(d.params)}) = {d.result.text}" for d in defs] + lets + out_lines + screens
    spec = "\n".join(body) + "\n"
    if head and any(o == "spec" for o in outputs):
        outputs = ["demo" if o == "spec" else o for o in outputs]
        columns = {("demo" if o == "spec" else o, c): v for (o, c), v in columns.items()}
        keys = {("demo" if o == "spec" else o): v for o, v in keys.items()}
        uses = {("demo" if o == "spec" else o, c): v for (o, c), v in uses.items()}
    overrides = _overrides(draw, names)
    _data_constructs(ax, tabs, names.used)
    return Case(spec, ax, tabs, outputs, overrides, frozenset(names.used), columns, keys, uses)


def _grain(t: Table) -> Grain:
    return frozenset(t.keys)


def _columns(tabs: list[Table]) -> dict[Grain, list[E]]:
    """Every numeric column, exact, at its table's grain."""
    scope: dict[Grain, list[E]] = {}
    for t in tabs:
        for c in t.columns:
            values = [r[c] for r in t.rows if isinstance(r.get(c), float) and r[c] == r[c]]
            pool = tuple(values) or (1.0,)
            size = pool_size(tuple(v for p in POOLS for v in p))  # any pool: the bound holds for every draw
            scope.setdefault(_grain(t), []).append(E(c, _grain(t), level=EXACT, size=size,
                                                     positive=min(pool) > 0, top="column"))
    return scope


def _table_lines(draw: Draw, ax: Axes, tabs: list[Table], used: set[str]) -> list[str]:
    lines = []
    for t in tabs:
        title = chance(draw, 0.1)
        items = len(t.attributes) + len(t.columns)
        doc = draw(st.integers(0, items - 1)) if items and chance(draw, 0.2) else None
        lines.append(t.statement(ax.calendar, title, doc, one_per_line=chance(draw, 0.5)))
        used.update({f"table:{t.name}", f"layout:{t.layout}", f"format:{t.format}"})
    return lines


def _def(draw: Draw, gen: Gen, i: int) -> Def:
    """A user function over one or two parameters of a grain holding columns; heavy ones
    (a treatment, a window of a window) are laid out long when applied to several columns."""
    grains = sorted((g for g in gen.lat.base if gen.scope.get(g)), key=lambda g: (-len(g), sorted(g)))
    g = grains[0] if chance(draw, 0.7) else grains[draw(st.integers(0, len(grains) - 1))]
    params = ("x",) if chance(draw, 0.7) else ("x", "y")
    heavy = bool(gen.lat.entity_axes(g)) and len(gen.lat.entity_axes(g)) == 1 and chance(draw, 0.5)
    own = lattice({g}, gen.ax.attributes, gen.ax.time)  # the body reaches what its parameters reduce to
    inner = Gen(draw, gen.ax, own, gen.names, {g: [E(p, g, level=EXACT, size=PLACEHOLDER, top="param") for p in params]})
    inner.defs_allowed = False
    if heavy:
        body, uses = inner.collect(lambda: _heavy(draw, inner, g))
    else:
        body, uses = inner.collect(lambda: inner.num(g if chance(draw, 0.8) else inner.pick(own.under(g)),
                                                     draw(st.integers(1, 3))))
    body = replace(body, uses=uses | {f"def:{'heavy' if heavy else 'light'}"})
    if "y" in params and not re.search(r"\by\b", body.text):  # every parameter is used
        body = E(f"{body.wrapped} + y", g, level=body.level, size=body.size.plus(PLACEHOLDER), atomic=False, top=body.top)
    d = Def(f"fn{i + 1}", params, g, body, heavy)
    gen.names.defs.append(d)
    gen.names.used.add(f"def:{'heavy' if heavy else 'light'}:defined")
    return d


HEAVY_USES = {"minmax_treat": ("norm:minmax", "treat"), "treat": ("treat",), "rank_chain": ("rank", "window:chain"),
              "leader_lag": ("reduce:max", "window:lag"), "impute": ("norm:minmax", "reduce:median", "op:??")}


def _heavy(draw: Draw, gen: Gen, g: Grain) -> E:
    """A body with steps of its own: a treatment, or a window of a window."""
    e = gen.lat.entity_axes(g)[0]
    x = gen.num(g, 1, DET)
    timed = gen.time in g
    kind = weighted(draw, [(3, "minmax_treat"), (2, "treat"), (2, "impute")] +
                    ([(2, "rank_chain"), (2, "leader_lag")] if timed else []))
    groups = [a for a, owner in gen.ax.attributes.items() if owner == e]
    uses = list(HEAVY_USES[kind])
    if kind == "minmax_treat":
        text = f"minmax(treat({x.text}), 1, 100)"
    elif kind == "treat":
        text = f"treat({x.text})"
    elif kind == "rank_chain":
        text = f"rank(chain({x.text}) desc)"
    elif kind == "leader_lag":
        text = f"{x.wrapped} / max(lag({x.text}) over {e}) * 100"
    else:
        group = f"by {groups[0]}" if groups else f"over {e}"
        fill = f"interpolate({x.text})" if timed else x.text
        uses += ["window:interpolate"] if timed else []
        text = f"minmax({fill} ?? median({x.text} {group}))"
    gen.note(f"def:heavy:{kind}", *uses)
    return E(text, g, level=EXACT if kind == "rank_chain" else APPROX, size=Size(1e4, 53), top=f"def-body:{kind}")


def _lets(draw: Draw, gen: Gen, defs: list[Def]) -> list[str]:
    """Lets at reachable grains; a heavy function is applied to several columns here."""
    lines = []
    n = 0

    def let(e: E, uses: frozenset[str], doc: bool = False) -> None:
        nonlocal n
        n += 1
        name = f"v{n}"
        lines.append(f"let {name} = {e.text}" + (' "a documented let"' if doc else ""))
        gen.scope.setdefault(e.grain, []).append(E(name, e.grain, level=e.level, size=e.size, positive=e.positive,
                                                   top="let", uses=uses | {"let"}))
        gen.names.used.add("let")

    for d in defs:
        columns = [a for a in gen.scope.get(d.grain, []) if a.top == "column"]
        if d.heavy and len(columns) >= 2 and len(d.params) == 1:
            k = draw(st.integers(2, min(4, len(columns))))
            for c in columns[:k]:
                let(E(f"{d.name}({c.text})", d.result.grain, level=d.result.level, size=d.result.size,
                      top=f"def:{d.name}"), d.result.uses | {"def:stacked"})
            d.applied += k
            gen.names.used.add("def:stacked")
    grains = gen.lat.reachable()
    for _ in range(weighted(draw, [(2, 0), (3, 1), (3, 2), (2, 3), (1, 5)])):
        g = grains[0] if chance(draw, 0.5) else grains[draw(st.integers(0, len(grains) - 1))]
        e, uses = gen.collect(lambda: gen.num(g, weighted(draw, [(3, 1), (2, 2), (1, 3)])))
        let(e, uses, doc=chance(draw, 0.1))
    return lines


def _output_grains(gen: Gen) -> list[tuple[int, Grain]]:
    found = []
    for g in gen.lat.reachable():
        weight = {2: 8, 1: 4, 0: 2}.get(len(g), 1)
        if any(d in gen.ax.attributes for d in g):
            weight = 4
        found.append((weight, g))
    return found


def _outputs(draw: Draw, gen: Gen) -> tuple[list[str], tuple[dict, dict], list[str], dict[str, tuple[str, ...]]]:  # type: ignore[type-arg]
    names, columns, lines, by, uses = [], {}, [], {}, {}
    unnamed = False
    for i in range(weighted(draw, [(3, 1), (4, 2), (3, 3), (1, 4)])):
        g = weighted(draw, _output_grains(gen))
        name = f"o{i + 1}"
        if not unnamed and chance(draw, 0.1):
            unnamed, name = True, "spec"
            gen.names.used.add("output:unnamed")
        keys = _keys(draw, gen, g)
        items, tops = _items(draw, gen, g, name)
        head = f"output{'' if name == 'spec' else ' ' + name}{' by ' + ', '.join(keys) if keys else ''}:"
        if len(items) > 2 and chance(draw, 0.4):
            lines.append(head + "\n  " + ",\n  ".join(items))
        else:
            lines.append(head + " " + ", ".join(items))
        names.append(name)
        by[name] = tuple(keys)
        columns.update({(name, alias): top for alias, top, _ in tops})
        uses.update({(name, alias): u for alias, _, u in tops})
        gen.names.used.add("output:grain:" + (" × ".join(keys) or "scalar"))
    return names, (columns, uses), lines, by


def _keys(draw: Draw, gen: Gen, g: Grain) -> list[str]:
    keys = sorted(g, key=lambda d: (d == gen.time, d))
    if len(keys) > 1 and chance(draw, 0.15):
        keys.reverse()
        gen.names.used.add("output:keys-reversed")
    return keys


def _items(draw: Draw, gen: Gen, g: Grain, output: str) -> tuple[list[str], list[tuple[str, str, frozenset[str]]]]:
    """An output's columns; each alias is visible to the columns after it."""
    saved = {k: list(v) for k, v in gen.scope.items()}
    items: list[str] = []
    tops: list[tuple[str, str, frozenset[str]]] = []  # alias, root construct, every construct
    aliases: set[str] = set(g)
    for j in range(draw(st.integers(1, 4))):
        # the first column has the output's grain: an output takes its rows from data or a
        # definition of its grain (idxc: "no data or definition in it has the grain ...")
        kinds = [(14, "num"), (2, "code"), (1, "family")] + ([(2, "bool"), (1, "attribute"), (2, "bare")] if j else [])
        kind = weighted(draw, kinds)
        columns = [a for a in gen.scope.get(g, []) if a.top == "column" and f"t_{a.text}" not in aliases]
        if kind == "family" and len(gen.lat.entity_axes(g)) == 1 and len(columns) >= 2:
            # treat() applied directly to several columns of one grain: one stacked family
            for a in columns[:draw(st.integers(2, min(3, len(columns))))]:
                alias = f"t_{a.text}"
                items.append(f"treat({a.text}) as {alias}")
                tops.append((alias, "treat", frozenset({"treat", "treat:family"})))
                aliases.add(alias)
            gen.names.used.update({"treat", "treat:family"})
            continue
        if kind == "family":
            kind = "num"
        alias = f"c{j + 1}"
        lets = [a.text for gs in gen.scope.values() for a in gs if a.top == "let" and a.text not in aliases]
        if kind == "attribute":
            attrs = [a for a, e in gen.ax.attributes.items() if e in g and a not in aliases]
            if attrs:
                a = attrs[draw(st.integers(0, len(attrs) - 1))]
                items.append(a)
                tops.append((a, "attribute", frozenset({"output:attribute"})))
                aliases.add(a)
                gen.names.used.add("output:attribute")
                continue
            kind = "num"
        if kind == "bare":
            bare = [a for h in gen.lat.under(g) for a in gen.scope.get(h, []) if a.top in ("let", "column")
                    and a.text not in aliases]
            if bare:
                a = bare[draw(st.integers(0, len(bare) - 1))]
                items.append(a.text)
                tops.append((a.text, a.top, a.uses | {f"output:bare-{a.top}"}))
                aliases.add(a.text)
                gen.names.used.add(f"output:bare-{a.top}")
                continue
            kind = "num"
        h = g if j == 0 or chance(draw, 0.75) else gen.pick(gen.lat.under(g))
        if h != g:
            gen.names.used.add("output:broadcast")
        if kind == "bool":
            e, uses = gen.collect(lambda: gen.cond(h, draw(st.integers(0, 2))))
            gen.names.used.add("output:bool")
        elif kind == "code":
            x, uses = gen.collect(lambda: gen.num(h, draw(st.integers(0, 2)), DET))
            e = E(f"classify({x.text}, {_scale(draw, gen)})", x.grain, kind="code", top="classify")
            uses |= {"classify"}
            gen.names.used.add("classify")
        else:
            e, uses = gen.collect(lambda: gen.num(h, weighted(draw, [(2, 0), (4, 1), (3, 2), (1, 3)])))
        if lets and e.kind == "num" and chance(draw, 0.12):
            alias = lets[draw(st.integers(0, len(lets) - 1))]
            gen.names.used.add("output:alias-shadows-let")
            for gs in gen.scope.values():
                gs[:] = [a for a in gs if a.text != alias]
        items.append(f"{e.text} as {alias}")
        tops.append((alias, e.top, uses))
        aliases.add(alias)
        if e.kind == "num":
            gen.scope.setdefault(e.grain, []).append(E(alias, e.grain, level=e.level, size=e.size,
                                                       positive=e.positive, top="alias", uses=uses))
    gen.scope.clear()
    gen.scope.update(saved)
    return items, tops


def _scale(draw: Draw, gen: Gen) -> str:
    """A scale of bands with open and closed ends, infinite ends and gaps, or one
    already declared."""
    if gen.names.scales and chance(draw, 0.4):
        names = sorted(gen.names.scales)
        return names[draw(st.integers(0, len(names) - 1))]
    cuts = sorted(set(draw(st.lists(st.sampled_from([0.0, 1.0, 2.0, -1.0, 0.5, 3.0, 4.0, 10.0, 50.0, 100.0]),
                                    min_size=1, max_size=4))))
    points = ([float("-inf")] if chance(draw, 0.6) else []) + cuts + ([float("inf")] if chance(draw, 0.6) else [])
    if len(points) < 2:
        points = [points[0], float("inf")] if points[0] != float("inf") else [float("-inf"), points[0]]
    bands = []
    closed_high_prev = False
    for k, (lo, hi) in enumerate(zip(points, points[1:])):
        if k and chance(draw, 0.15):  # a gap: this interval gets no class
            closed_high_prev = False
            gen.names.used.add("scale:gap")
            continue
        low_closed = lo != float("-inf") and not closed_high_prev and chance(draw, 0.5)
        high_closed = hi != float("inf") and chance(draw, 0.5)
        if lo == float("-inf") and chance(draw, 0.2):
            low_closed = False
        closed_high_prev = high_closed
        code = "ABCDEFG"[len(bands)]
        label = f' "band {code}"' if chance(draw, 0.3) else ""
        bands.append(f'  "{code}" {"[" if low_closed else "("}{literal(lo)}, {literal(hi)}{"]" if high_closed else ")"}{label}')
        gen.names.used.update({"scale:" + ("closed" if low_closed else "open") + "-low",
                               "scale:" + ("closed" if high_closed else "open") + "-high"})
        if float("inf") in (lo, hi) or float("-inf") in (lo, hi):
            gen.names.used.add("scale:inf")
    if not bands:
        bands.append('  "A" (-inf, inf)')
    if chance(draw, 0.3):
        bands.reverse()
    name = f"sc{len(gen.names.scales) + 1}"
    gen.names.scales[name] = f"scale {name}" + (' "A scale"' if chance(draw, 0.2) else "") + "\n" + "\n".join(bands)
    return name


def _screens(draw: Draw, tabs: list[Table], used: set[str]) -> list[str]:
    lines, screened = [], set()
    for t in tabs:
        if t.entity and t.columns and t.entity not in screened and chance(draw, 0.12):
            share = weighted(draw, [(2, 0.5), (1, 0.25), (1, 0.75), (1, 1.0)])
            of = ""
            if len(t.columns) > 1 and chance(draw, 0.5):
                of = " of " + ", ".join(t.columns[:draw(st.integers(1, len(t.columns)))])
                used.add("screen:of")
            lines.append(f"screen {t.name}: availability >= {literal(share)}{of}")
            screened.add(t.entity)
            used.add("screen")
    return lines


def _overrides(draw: Draw, names: Names) -> dict[str, float | int]:
    """--param values other than the spec's, for params whose every value is valid."""
    free = [n for n, (role, _) in names.params.items() if role in ("weight", "number", "digits", "target", "lo", "hi")]
    if not free or not chance(draw, 0.15):
        return {}
    name = free[draw(st.integers(0, len(free) - 1))]
    role = names.params[name][0]
    pool = [v for v in Names.ROLES[role] if v > 0 or role not in ("weight",)]
    value = pool[draw(st.integers(0, len(pool) - 1))]
    names.used.add("param:override")
    return {name: int(value) if role == "digits" else value}


def _data_constructs(ax: Axes, tabs: list[Table], used: set[str]) -> None:
    """What the data holds, as constructs: gaps, missing and NaN cells, ties, attribute
    placements and empty attribute cells."""
    used.add(f"calendar:{ax.calendar}")
    for t in tabs:
        cells = [r.get(c) for r in t.rows for c in t.columns]
        if any(v is None for v in cells):
            used.add("data:missing")
        if any(isinstance(v, float) and v != v for v in cells):
            used.add("data:nan")
        for c in t.columns:
            present = [r[c] for r in t.rows if isinstance(r.get(c), float) and r[c] == r[c]]
            if len(present) != len(set(present)):
                used.add("data:ties")
        if t.time and t.entity:
            ents = {r[t.entity] for r in t.rows}
            if len(t.rows) < len(ents) * len({r[t.time] for r in t.rows}):
                used.add("data:gaps")
        for a in t.attributes:
            kind = "time-table" if t.time else "own-table" if not t.columns else "entity-table"
            used.add(f"attribute:{kind}")
            values = [r.get(a) for r in t.rows]
            if any(v is None for v in values):
                used.add("attribute:empty-cells")
            per = {}
            for r in t.rows:
                per.setdefault(r[t.entity], set()).add(r.get(a))  # type: ignore[index]
            if any(v == {None} for v in per.values()):
                used.add("attribute:entity-without")
            if any(None in v and len(v) > 1 for v in per.values()):
                used.add("attribute:empty-in-some-rows")
    if len({t.periods() for t in tabs if t.time}) > 1:
        used.add("data:period-ranges-differ")
    if len({tuple(sorted({r[t.entity] for r in t.rows})) for t in tabs if t.entity == E1}) > 1:
        used.add("data:entity-sets-differ")
