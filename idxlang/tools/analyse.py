"""`idxc analyse`: the Handbook's step 4 (multivariate analysis) on a spec's outputs,
computed in DuckDB: data availability by indicator and by entity, descriptive
statistics, correlations among indicators and with their aggregates, and Cronbach's
alpha of each aggregate's components.

Outputs that share their keys are joined into one table first, so an aggregate in one
output (`scores`) and its components in another (`indicators`) are analysed together.
"""

from __future__ import annotations

from itertools import combinations

import duckdb
import pyarrow as pa
from sqlglot import exp

from ..semantics import model as m
from ..data.sources import Source
from ..engines.duckdb import session
from ..sqlgen import input_rows
from ..sql.trees import as_double, binary, col, ident, join, lit, present_cells, to_sql

STATISTICS = (("n", exp.Count), ("mean", exp.Avg), ("sd", exp.StddevSamp), ("min", exp.Min), ("max", exp.Max),
              ("skew", exp.Skewness), ("kurt", exp.Kurtosis))


Group = tuple[str, tuple[str, ...], str]  # label, keys, relation in the analysis connection


def analyse(model: m.Model, sources: list[Source], outputs: dict[str, pa.Table]) -> dict[str, pa.Table]:
    """The analysis tables, by name, each with a column saying which data it describes.
    One connection: the raw tables are read in place (never copied into Python), and
    the outputs, already computed, are registered beside them."""
    con = session(sources)
    found: dict[str, list[pa.Table]] = {}
    for label, keys, relation in _inputs(con, model) + _outputs(con, model, outputs):
        rel = con.table(relation)
        columns = [c for c, t in zip(rel.columns, rel.types) if c not in keys
                   and str(t) in ("DOUBLE", "BIGINT", "INTEGER", "FLOAT", "HUGEINT", "DECIMAL")]
        if not columns:
            continue
        entity = next((k for k in keys if k in model.axes.entities), None)
        parts = {
            "availability_by_indicator": _by_indicator(relation, columns),
            "availability_by_entity": _by_entity(relation, entity, columns) if entity else None,
            "statistics": _statistics(relation, columns),
            "correlations": _correlations(relation, columns),
            "alpha": _alpha(model, relation, columns),
        }
        for name, query in parts.items():
            if query is not None:
                table = con.sql(to_sql(query, pretty=False)).to_arrow_table()
                found.setdefault(name, []).append(table.add_column(0, "data", pa.array([label] * table.num_rows, pa.string())))
    return {name: pa.concat_tables(parts, promote_options="permissive") for name, parts in found.items()}


def _view(con: duckdb.DuckDBPyConnection, name: str, query: exp.Select) -> str:
    con.execute(to_sql(exp.Create(this=exp.Table(this=ident(name)), kind="VIEW", expression=query), pretty=False))
    return name


def _inputs(con: duckdb.DuckDBPyConnection, model: m.Model) -> list[Group]:
    """The spec's input tables as read, numeric columns as numbers: availability of the raw data."""
    groups: list[Group] = []
    for number, t in enumerate(model.tables.values()):
        cols: list[exp.Expr] = [col(k) for k in t.keys]
        cols += [as_double(col(c)).as_(ident(c), copy=False) for c in t.columns]
        query = exp.select(*cols).from_(input_rows(t), copy=False)
        groups.append((f"table {t.name}", t.keys, _view(con, f"input_{number}", query)))
    return groups


def _outputs(con: duckdb.DuckDBPyConnection, model: m.Model, tables: dict[str, pa.Table]) -> list[Group]:
    """Outputs that share their keys, joined side by side (a column name seen twice keeps
    its first): an aggregate in one output and its components in another are analysed together."""
    by_keys: dict[tuple[str, ...], list[str]] = {}
    for name in tables:
        by_keys.setdefault(model.outputs[name].keys, []).append(name)
    groups: list[Group] = []
    for number, (keys, names) in enumerate(by_keys.items()):
        seen: set[str] = set(keys)
        query: exp.Select | None = None
        for i, name in enumerate(names):
            part = f"output_{number}_{i}"
            con.register(part, tables[name])
            fresh = [c for c in tables[name].column_names if c not in seen]
            seen.update(fresh)
            sub = exp.Subquery(this=exp.select(*[col(k) for k in keys], *[col(c) for c in fresh]).from_(ident(part), copy=False),
                               alias=exp.TableAlias(this=ident(f"p{i}")))
            query = exp.select(exp.Star()).from_(sub, copy=False) if query is None else join(query, sub, "full", using=keys)
        assert query is not None
        groups.append(("outputs " + ", ".join(names), keys, _view(con, f"outputs_{number}", query)))
    return groups


def _union(selects: list[exp.Select]) -> exp.Expr | None:
    if not selects:
        return None
    query: exp.Expr = selects[0]
    for s in selects[1:]:
        query = exp.Union(this=query, expression=s, distinct=False)
    return query


def _by_indicator(relation: str, columns: list[str]) -> exp.Expr | None:
    rows = exp.Count(this=exp.Star())
    return _union([exp.select(lit(c).as_("indicator", copy=False), rows.copy().as_("cells", copy=False), exp.Count(this=col(c)).as_("present", copy=False),
                              binary(exp.Div, exp.Count(this=col(c)), rows.copy()).as_("share", copy=False))
                   .from_(exp.Table(this=ident(relation)), copy=False) for c in columns])


def _by_entity(relation: str, entity: str, columns: list[str]) -> exp.Select:
    """Per entity, over all its rows and indicators: the share of cells present, lowest first."""
    present, cells = present_cells(columns)
    return (exp.select(col(entity).as_("entity", copy=False), cells.as_("cells", copy=False), present.as_("present", copy=False),
                       binary(exp.Div, present.copy(), cells.copy()).as_("share", copy=False))
            .from_(exp.Table(this=ident(relation)), copy=False).group_by(col(entity), copy=False)
            .order_by(exp.Ordered(this=col("share")), exp.Ordered(this=col("entity")), copy=False))


def _statistics(relation: str, columns: list[str]) -> exp.Expr | None:
    return _union([exp.select(lit(c).as_("indicator", copy=False), *[f(this=col(c)).as_(name, copy=False) for name, f in STATISTICS])
                   .from_(exp.Table(this=ident(relation)), copy=False) for c in columns])


def _correlations(relation: str, columns: list[str]) -> exp.Expr | None:
    """Pearson correlations over the rows where both are present."""
    return _union([exp.select(lit(a).as_("a", copy=False), lit(b).as_("b", copy=False), exp.Corr(this=col(a), expression=col(b)).as_("r", copy=False),
                              exp.Count(this=exp.Add(this=col(a), expression=col(b))).as_("n", copy=False))
                   .from_(exp.Table(this=ident(relation)), copy=False) for a, b in combinations(columns, 2)])


def _alpha(model: m.Model, relation: str, columns: list[str]) -> exp.Expr | None:
    """Cronbach's alpha of each aggregate whose components are all here, over the rows
    where every component is present: k/(k-1) * (1 - sum of variances / variance of the sum)."""
    selects = []
    for d in model.definitions.values():
        parts = d.components
        if not parts or not all(p in columns for p in parts) or len(set(parts)) < 2:
            continue
        k = len(parts)
        total: exp.Expr = col(parts[0])
        variances: exp.Expr = exp.Variance(this=col(parts[0]))
        for p in parts[1:]:
            total = binary(exp.Add, total, col(p))
            variances = binary(exp.Add, variances, exp.Variance(this=col(p)))
        alpha = binary(exp.Mul, lit(k / (k - 1)),
                       binary(exp.Sub, lit(1), binary(exp.Div, variances, exp.Variance(this=total))))
        complete = exp.and_(*[exp.Not(this=exp.Is(this=col(p), expression=exp.Null())) for p in parts])
        selects.append(exp.select(lit(d.name).as_("aggregate", copy=False), lit(", ".join(parts)).as_("components", copy=False),
                                  lit(k).as_("k", copy=False), exp.Count(this=exp.Star()).as_("rows", copy=False), alpha.as_("alpha", copy=False))
                       .from_(exp.Table(this=ident(relation)), copy=False).where(complete, copy=False))
    return _union(selects)
