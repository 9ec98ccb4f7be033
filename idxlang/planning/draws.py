"""Draw mode (idxc sensitivity) as one transform of the model: a new axis, `draw`.

Every input row is taken once per draw, so every quantity that reads data varies per
draw too: the axis joins every grain, and every window, GROUP BY and join is per draw
without the planner or the SQL knowing draws exist. The params that vary become
columns of a table of draws (`input.draws`, one row per draw), read like any other
table at grain `draw`.
"""

from __future__ import annotations

from dataclasses import replace

from ..semantics import model as m

DRAW = "draw"
DRAWS = "draws"


def with_draws(model: m.Model, names: tuple[str, ...]) -> m.Model:
    """The model evaluated once per draw, the params `names` taken from each draw."""
    axes = replace(model.axes, entities=model.axes.entities | {DRAW})
    draw = m.Grain((DRAW,))

    def per_draw(grain: m.Grain) -> m.Grain:
        return m.make_grain(axes, (*grain.dims, DRAW))

    memo: dict[int, tuple[m.Expr, tuple[m.Expr, bool]]] = {}  # keeps each node alive: ids stay unique

    def rewrite(e: m.Expr) -> tuple[m.Expr, bool]:
        """e per draw, and whether it varies by draw (a constant does not)."""
        if id(e) not in memo:
            memo[id(e)] = (e, once(e))
        return memo[id(e)][1]

    def once(e: m.Expr) -> tuple[m.Expr, bool]:
        if isinstance(e, m.Param) and e.name in names:
            return m.Ref(e.name, draw, m.RefKind.COLUMN, e.span), True
        if isinstance(e, (m.Const, m.Param)):
            return e, False
        if isinstance(e, m.Ref):
            return replace(e, grain=per_draw(e.grain)), True
        kids = [rewrite(c) for c in m.children(e)]
        rebuilt = m.with_children(e, [k for k, _ in kids])
        if not any(v for _, v in kids):
            return rebuilt, False
        return replace(rebuilt, grain=per_draw(rebuilt.grain)), True

    tables = {n: replace(t, extra_keys=(DRAW,)) for n, t in model.tables.items()}
    tables[DRAWS] = m.TableInfo(DRAWS, DRAW, None, None, names, ())
    outputs = {k: replace(o, keys=(*o.keys, DRAW), grain=per_draw(o.grain),
                          columns=tuple(replace(c, grain=per_draw(c.grain)) for c in o.columns))
               for k, o in model.outputs.items()}
    drawn = replace(model, axes=axes, tables=tables, outputs=outputs)
    return drawn.map_exprs(lambda e: rewrite(e)[0])
