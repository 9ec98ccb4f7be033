"""`idxc sensitivity`: uncertainty and sensitivity analysis of an output's ranks over
params (the Handbook's step 7), with every draw evaluated inside one DuckDB query.

The varied params become columns of a table `input.draws`, one row per draw; the
compiler plans the spec in draw mode (`planning/draws.py`: a `draw` axis on every grain), where
every input row is cross-joined with the draws and every window, group and join is
per draw. The draws
follow Saltelli's design: two base samples A and B of N points each, and for each
varied param i the sample AB_i (A with column i taken from B): N (k + 2) draws. From
the ranks they give:

- per entity: the nominal rank (params at their spec values), the median rank and the
  5-95 % interval over the A and B draws;
- per entity and param: the first-order index S_i = mean((f_B - m) (f_ABi - f_A)) / V
  (Saltelli 2010, with f_B centred on m, the mean over A and B, as SALib does: the
  same expectation, far less noise when ranks are large numbers) and the total index ST_i = mean((f_A - f_ABi)^2) / 2 / V (Jansen
  1999), V the variance of the rank over the A and B draws; and their means over the
  entities whose rank varies at all.

Draws come from Python's `random.Random(seed)`: the same seed gives the same draws.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass
from typing import Callable

import duckdb
import pyarrow as pa
from sqlglot import exp

from ..semantics import model as m
from ..compile import Compiled, Kind, compile_model
from ..data.sources import Source
from ..data.checks import check_data
from ..diagnostics import Diagnostic, IdxError, did_you_mean
from ..planning.draws import DRAW, DRAWS
from ..engines.duckdb import session
from ..sql.trees import INPUT_SCHEMA, as_double, binary, col, ident, is_null, lit, select, set_with, table, to_sql

_VARY = re.compile(r"^\s*([A-Za-z_][A-Za-z0-9_]*)\s*=\s*(uniform|choice)\s*\(([^)]*)\)\s*$")


@dataclass(frozen=True)
class Vary:
    """One varied param: uniform(lo, hi), or choice(a, b, ...) with equal chances."""

    name: str
    kind: str
    values: tuple[float, ...]

    def at(self, u: float) -> float:
        if self.kind == "uniform":
            lo, hi = self.values
            return lo + u * (hi - lo)
        return self.values[min(int(u * len(self.values)), len(self.values) - 1)]


def parse_vary(text: str) -> Vary:
    found = _VARY.match(text)
    if not found:
        raise IdxError(Diagnostic("error", f"--vary {text}: write NAME=uniform(LOW, HIGH) or NAME=choice(A, B, ...)"))
    name, kind, inner = found.groups()
    try:
        values = tuple(float(v) for v in inner.split(","))
    except ValueError:
        raise IdxError(Diagnostic("error", f"--vary {text}: the bounds and choices are numbers")) from None
    if kind == "uniform" and (len(values) != 2 or values[0] >= values[1]):
        raise IdxError(Diagnostic("error", f"--vary {text}: uniform(LOW, HIGH) with LOW below HIGH"))
    if kind == "choice" and len(values) < 2:
        raise IdxError(Diagnostic("error", f"--vary {text}: choice needs two values or more"))
    return Vary(name, kind, values)


def design(varies: list[Vary], n: int, seed: int) -> pa.Table:
    """Saltelli's design: draw, block (A, B or AB), the param AB takes from B, the base point."""
    rng = random.Random(seed)
    a = [[rng.random() for _ in varies] for _ in range(n)]
    b = [[rng.random() for _ in varies] for _ in range(n)]
    rows: list[tuple[str, int, list[float]]] = [("A", -1, p) for p in a] + [("B", -1, p) for p in b]
    for i in range(len(varies)):
        rows += [("AB", i, [bj[i] if c == i else aj[c] for c in range(len(varies))]) for aj, bj in zip(a, b)]
    columns: dict[str, list] = {"draw": list(range(len(rows))), "block": [r[0] for r in rows],
                                "param": [varies[r[1]].name if r[1] >= 0 else None for r in rows],
                                "base": [k % n for k in range(len(rows))]}
    for c, v in enumerate(varies):
        columns[v.name] = [v.at(r[2][c]) for r in rows]
    return pa.table(columns)


def analyse(model: m.Model, sources: list[Source], varies: list[Vary], n: int, seed: int, output: str, column: str,
            check_first: bool = True) -> dict[str, pa.Table]:
    """Run the design in one query and compute the rank statistics over the data `sources`."""
    _validate(model, varies, output, column)
    names = tuple(v.name for v in varies)
    con = session(sources)
    if check_first:
        check_data(con, model, sources)
    con.register("design_rows", design(varies, n, seed))
    rows = table("design_rows")
    _execute(con, exp.Create(this=table(DRAWS, INPUT_SCHEMA), kind="TABLE",
                             expression=select(*[col(c) for c in (DRAW, *names)]).from_(rows.copy(), copy=False)))
    _execute(con, exp.Create(this=table("design"), kind="TABLE",
                             expression=select(*[col(c) for c in (DRAW, "block", "param", "base")]).from_(rows.copy(), copy=False)))
    _create(con, compile_model(model, [output], share=False, drawn=names), "ranked")
    _create(con, compile_model(model, [output], share=False), "nominal")  # the same inputs, without the draws
    keys = model.outputs[output].keys
    return {name: con.sql(to_sql(query, pretty=False)).to_arrow_table() for name, query in _queries(keys, column).items()}


def _execute(con: duckdb.DuckDBPyConnection, tree: exp.Expr) -> None:
    try:
        con.execute(to_sql(tree, pretty=False))
    except duckdb.Error as err:
        raise IdxError(Diagnostic("error", f"DuckDB failed: {str(err).splitlines()[0]}")) from None


def _validate(model: m.Model, varies: list[Vary], output: str, column: str) -> None:
    for v in varies:
        if v.name not in model.params:
            raise IdxError(Diagnostic("error", f"--vary {v.name}: the spec has no param '{v.name}'",
                                      hint=did_you_mean(v.name, model.params) or "declare it: param NAME = VALUE"))
    if len({v.name for v in varies}) < len(varies):
        raise IdxError(Diagnostic("error", "--vary: a param is varied twice"))
    if output not in model.outputs:
        raise IdxError(Diagnostic("error", f"the spec has no output '{output}'", hint=did_you_mean(output, model.outputs)))
    reserved = {"draw", "draws", "block", "param", "base", "_rank", "ya", "yb", "yab", "v", "n", "nominal"}
    names = {*model.outputs[output].keys, *model.tables,
             *(c for t in model.tables.values() for c in (*t.keys, *t.attributes, *t.columns))}
    if names & reserved:
        raise IdxError(Diagnostic("error", f"idxc sensitivity names its own columns {', '.join(sorted(reserved))}; "
                                  f"the spec uses {', '.join(sorted(names & reserved))}",
                                  hint="rename that key or column in the spec"))
    aliases = [c.alias for c in model.outputs[output].columns]
    if column not in aliases:
        raise IdxError(Diagnostic("error", f"output {output} has no column '{column}'", hint=did_you_mean(column, aliases)))


def _create(con: duckdb.DuckDBPyConnection, compiled: Compiled, name: str) -> None:
    """Run the output as one statement (every draw inside it), keeping it as a table."""
    (statement,) = [st for st in compiled.statements if st.kind is Kind.OUTPUT]
    _execute(con, exp.Create(this=table(name), kind="TABLE", expression=statement.tree))


def _queries(keys: tuple[str, ...], column: str) -> dict[str, exp.Select]:
    """The statistics over `ranked` (the draws) and `nominal`."""
    k = lambda: [col(x) for x in keys]  # noqa: E731
    using: Callable[..., list[exp.ExpOrStr]] = lambda *extra: [ident(x) for x in (*keys, *extra)]  # noqa: E731
    on_draw: list[exp.ExpOrStr] = [ident(DRAW)]
    rank = col("_rank")
    draws = (select(*[col(x, "r") for x in keys], col("block", "d"), col("param", "d"), col("base", "d"),
                    as_double(col(column, "r")).as_("_rank", copy=False))
             .from_(exp.Table(this=ident("ranked"), alias=exp.TableAlias(this=ident("r"))), copy=False)
             .join(exp.Table(this=ident("design"), alias=exp.TableAlias(this=ident("d"))), using=on_draw, copy=False))
    in_ab = exp.In(this=col("block"), expressions=[lit("A"), lit("B")])
    quantile = lambda p: exp.Anonymous(this="quantile_cont", expressions=[rank.copy(), lit(p)])  # noqa: E731
    ranks = (select(*k(), col(column, "n").as_("nominal", copy=False), exp.Median(this=rank.copy()).as_("median", copy=False),
                    quantile(0.05).as_("q05", copy=False), quantile(0.95).as_("q95", copy=False), exp.Count(this=rank.copy()).as_("draws", copy=False))
             .from_(table("_draws"), copy=False).join(exp.Table(this=ident("nominal"), alias=exp.TableAlias(this=ident("n"))),
                                   using=using(), copy=False).where(in_ab, copy=False).group_by(*k(), col(column, "n"), copy=False).order_by(*k(), copy=False))

    def block(name: str, value: str, *extra: str) -> exp.Select:
        return (select(*k(), *[col(x) for x in extra], col("base"), rank.copy().as_(value, copy=False)).from_(table("_draws"), copy=False)
                .where(exp.EQ(this=col("block"), expression=lit(name)), copy=False))

    spread = (select(*k(), exp.Anonymous(this="var_pop", expressions=[rank.copy()]).as_("v", copy=False),
                     exp.Avg(this=rank.copy()).as_("m", copy=False)).from_(table("_draws"), copy=False).where(in_ab.copy(), copy=False).group_by(*k(), copy=False))
    over_v = lambda e: binary(exp.Div, e, exp.Nullif(this=col("v"), expression=lit(0)))  # noqa: E731
    diff = lambda a, b: exp.Paren(this=binary(exp.Sub, col(a), col(b)))  # noqa: E731
    first = over_v(exp.Avg(this=binary(exp.Mul, diff("yb", "m"), diff("yab", "ya"))))
    total = over_v(binary(exp.Div, exp.Avg(this=binary(exp.Mul, diff("ya", "yab"), diff("ya", "yab"))), lit(2)))
    by_entity = (select(*k(), col("param"), first.as_("first_order", copy=False), total.as_("total", copy=False)).from_(table("ab"), copy=False)
                 .join(table("a"), using=using("base"), copy=False).join(table("b"), using=using("base"), copy=False).join(table("v"), using=using(), copy=False)
                 .group_by(*k(), col("param"), col("v"), col("m"), copy=False).order_by(*k(), col("param"), copy=False))
    steps = [("_draws", draws), ("a", block("A", "ya")), ("b", block("B", "yb")), ("ab", block("AB", "yab", "param")),
             ("v", spread)]
    with_steps = lambda q, used: set_with(q, [exp.CTE(this=body.copy(), alias=exp.TableAlias(this=ident(n)))  # noqa: E731
                                              for n, body in steps if n in used])
    entity = with_steps(by_entity, {"_draws", "a", "b", "ab", "v"})
    summary = (select(col("param"), exp.Avg(this=col("first_order")).as_("first_order", copy=False),
                      exp.Avg(this=col("total")).as_("total", copy=False), exp.Count(this=col("first_order")).as_("entities", copy=False))
               .from_(exp.Subquery(this=entity.copy(), alias=exp.TableAlias(this=ident("by_entity"))), copy=False)
               .where(exp.Not(this=is_null(col("first_order"))), copy=False).group_by(col("param"), copy=False).order_by(col("param"), copy=False))
    return {"ranks": with_steps(ranks, {"_draws"}), "indices": summary, "indices_by_entity": entity}
