"""`idxc sensitivity`: uncertainty and sensitivity analysis of an output's ranks over
params (the Handbook's step 7), with every draw evaluated inside one DuckDB query.

The varied params become columns of a table `input.draws`, one row per draw; the
compiler plans the spec in draw mode (`Model.drawn`), where every input row is
cross-joined with the draws and every window, group and join is per draw. The draws
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
from pathlib import Path

import duckdb
import pyarrow as pa

from . import model as m
from .check import check
from .data import Source, check_data, register
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .parse import parse_file
from .run import connect
from .share import run_plan
from .sqlgen import INPUT_SCHEMA, ident, schema_for, script, to_sql

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


def analyse(path: str | Path, sources: list[Source], varies: list[Vary], n: int, seed: int, output: str, column: str,
            params: dict[str, str] | None = None, check_first: bool = True) -> dict[str, pa.Table]:
    """Run the design in one query and compute the rank statistics over the data `sources`."""
    names = tuple(v.name for v in varies)
    module = parse_file(path)
    nominal_model = check(module, params)
    _validate(nominal_model, varies, output, column)
    model = check(module, params, drawn=names)
    con = connect()
    register(con, sources)
    if check_first:
        check_data(con, model, sources)
    plan = design(varies, n, seed)
    con.register("design_rows", plan)
    drawn = ", ".join(ident(c).sql("duckdb") for c in ("draw", *names))
    con.execute(f"CREATE TABLE {ident(INPUT_SCHEMA).sql('duckdb')}.draws AS SELECT {drawn} FROM design_rows")
    con.execute("CREATE TABLE design AS SELECT draw, block, param, base FROM design_rows")
    _create(con, model, output, "ranked")
    _create(con, nominal_model, output, "nominal")  # the same inputs, without the draws
    keys = nominal_model.outputs[output].keys
    return {name: con.sql(sql).to_arrow_table() for name, sql in _queries(keys, column).items()}


def _validate(model: m.Model, varies: list[Vary], output: str, column: str) -> None:
    for v in varies:
        if v.name not in model.params:
            raise IdxError(Diagnostic("error", f"--vary {v.name}: the spec has no param '{v.name}'",
                                      hint=did_you_mean(v.name, model.params) or "declare it: param NAME = VALUE"))
    if len({v.name for v in varies}) < len(varies):
        raise IdxError(Diagnostic("error", "--vary: a param is varied twice"))
    if output not in model.outputs:
        raise IdxError(Diagnostic("error", f"the spec has no output '{output}'", hint=did_you_mean(output, model.outputs)))
    reserved = {"draw", "block", "param", "base", "_rank", "ya", "yb", "yab", "v", "n", "nominal"}
    names = {*model.outputs[output].keys, *(c for t in model.tables.values() for c in (*t.keys, *t.attributes, *t.columns))}
    if names & reserved:
        raise IdxError(Diagnostic("error", f"idxc sensitivity names its own columns {', '.join(sorted(reserved))}; "
                                  f"the spec uses {', '.join(sorted(names & reserved))}",
                                  hint="rename that key or column in the spec"))
    aliases = [c.alias for c in model.outputs[output].columns]
    if column not in aliases:
        raise IdxError(Diagnostic("error", f"output {output} has no column '{column}'", hint=did_you_mean(column, aliases)))


def _create(con: duckdb.DuckDBPyConnection, model: m.Model, output: str, table: str) -> None:
    """Run the output as one statement (every draw inside it), keeping it as a table."""
    run = run_plan(model, [output], share=False)
    schema = schema_for(run)
    if schema is not None:
        con.execute(to_sql(schema, pretty=False))
    for q in script(run):
        sql = to_sql(q.tree, pretty=False)
        try:
            con.execute(sql if q.output is None else f"CREATE TABLE {ident(table).sql('duckdb')} AS {sql}")
        except duckdb.Error as err:
            raise IdxError(Diagnostic("error", f"DuckDB failed on {q.label.split(':')[0]}: {str(err).splitlines()[0]}")) from None


def _queries(keys: tuple[str, ...], column: str) -> dict[str, str]:
    """The statistics, as SQL over `ranked` (draws) and `nominal`; names are quoted by sqlglot."""
    q = lambda name: ident(name).sql("duckdb")  # noqa: E731
    k = ", ".join(q(x) for x in keys)
    r_keys = ", ".join(f"r.{q(x)}" for x in keys)
    draws = f"""_draws AS (SELECT {r_keys}, d.block, d.param, d.base, CAST(r.{q(column)} AS DOUBLE) AS _rank
                  FROM ranked r JOIN design d USING (draw))"""
    ranks = f"""WITH {draws}
        SELECT {k}, n.{q(column)} AS nominal, median(_rank) AS median, quantile_cont(_rank, 0.05) AS q05,
               quantile_cont(_rank, 0.95) AS q95, count(_rank) AS draws
        FROM _draws JOIN nominal n USING ({k}) WHERE block IN ('A', 'B')
        GROUP BY {k}, n.{q(column)} ORDER BY {k}"""
    by_entity = f"""WITH {draws},
        a AS (SELECT {k}, base, _rank AS ya FROM _draws WHERE block = 'A'),
        b AS (SELECT {k}, base, _rank AS yb FROM _draws WHERE block = 'B'),
        ab AS (SELECT {k}, param, base, _rank AS yab FROM _draws WHERE block = 'AB'),
        v AS (SELECT {k}, var_pop(_rank) AS v, avg(_rank) AS m FROM _draws WHERE block IN ('A', 'B') GROUP BY {k})
        SELECT {k}, param, avg((yb - m) * (yab - ya)) / nullif(v, 0) AS first_order,
               avg((ya - yab) * (ya - yab)) / 2 / nullif(v, 0) AS total
        FROM ab JOIN a USING ({k}, base) JOIN b USING ({k}, base) JOIN v USING ({k})
        GROUP BY {k}, param, v, m ORDER BY {k}, param"""
    summary = f"""SELECT param, avg(first_order) AS first_order, avg(total) AS total, count(first_order) AS entities
        FROM ({by_entity}) WHERE first_order IS NOT NULL GROUP BY param ORDER BY param"""
    return {"ranks": ranks, "indices": summary, "indices_by_entity": by_entity}
