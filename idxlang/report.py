"""`idxc report SPEC --out report.html`: what a reviewer of the methodology and a reader
of the results work with, in one self-contained HTML file that works offline.

The page is a jinja2 template (templates/report.html.j2); its charts are plotly figures
with plotly.js inlined once. Everything shown is computed by the spec's own SQL: the
outputs, one more output holding each entity's parts (decompose.py), the skipped-value
counts and the `idxc analyse` tables. Python only arranges them.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from . import model as m
from .decompose import PARTS, Extended, Part, contributions, extend
from .explain import explain

if TYPE_CHECKING:
    from .api import Spec
    from .run import Result

LEADERS = 10  # entities drawn over time
DECOMPOSED = 25  # entities whose score is drawn as its components' contributions


@dataclass(frozen=True)
class Roles:
    """Which columns of the main output play which part: its score (what it ranks), its
    class, its place, and the entity and time keys."""

    entity: str
    time: str | None
    score: str | None
    klass: str | None
    place: str | None


def roles(model: m.Model, out: m.Output, entity: str) -> Roles:
    def func(c: m.OutputColumn) -> m.Call | None:
        d = model.lookup(c.source, out.name)
        return d.expr if d is not None and isinstance(d.expr, m.Call) else None

    ranked = next(((c, func(c)) for c in out.columns if func(c) is not None and func(c).func == "rank"), None)  # type: ignore[union-attr]
    score = None
    if ranked is not None and isinstance(ranked[1].args[0], m.Ref):  # type: ignore[union-attr]
        name = ranked[1].args[0].name  # type: ignore[union-attr]
        score = next((c.alias for c in out.columns if c.source == name), None)
    klass = next((c.alias for c in out.columns if isinstance(getattr(model.lookup(c.source, out.name), "expr", None),
                                                               m.Classify)), None)
    time = next((k for k in out.keys if model.axes.is_time(k)), None)
    return Roles(entity, time, score, klass, ranked[0].alias if ranked else None)


def build(spec: "Spec", data: dict[str, str] | list[str] | None = None, output: str | None = None) -> dict[str, Any]:
    """The template's context: every table and chart of the report."""
    from .analyse import analyse
    from .data import resolve_sources

    model = spec.model
    main = _main_output(model, output)
    ext = extend(spec, main) if main else None
    runner = ext.spec if ext else spec
    result = runner.run(data)
    tables = {k: v for k, v in result.tables.items() if k != PARTS}
    analysis = analyse(model, resolve_sources(model, data), tables)
    context: dict[str, Any] = {
        "title": model.title or model.name, "name": model.name, "spec": Path(model.path).name,
        "methodology": explain(model), "definitions": _definitions(model), "params": _params(model),
        "skipped": _skipped(result), "outputs": [], "charts": [], "analysis": _analysis(analysis),
    }
    if ext is not None:
        context.update(_main(model, ext, result))
    context["charts"] += _correlation_charts(analysis)
    return context


def _main_output(model: m.Model, output: str | None) -> str | None:
    """The output the report is about: the one named, else the first by an entity."""
    if output is not None:
        return output
    return next((o.name for o in model.outputs.values() if any(k in model.axes.entities for k in o.keys)), None)


def _main(model: m.Model, ext: Extended, result: "Result") -> dict[str, Any]:
    out, joined = ext.output, ext.joined(result.tables)
    r = roles(model, out, ext.entity_axis)
    periods = sorted({row[r.time] for row in joined}, key=str) if r.time else []
    last = [row for row in joined if not r.time or row[r.time] == periods[-1]]
    if r.place:
        last.sort(key=lambda row: (row[r.place] is None, row[r.place]))
    columns = [*out.keys, *(c.alias for c in out.columns)]
    charts = []
    if r.klass:
        charts.append(_classes_chart(last, r, periods))
    if r.score and r.time and len(periods) > 1:
        charts.append(_over_time_chart(joined, last, r))
    score_part = next((p for p in ext.tree if p.column == r.score or p.text == r.score), None)
    decomposition = None
    if r.score and score_part is not None and score_part.mean is not None and score_part.parts:
        charts.append(_decomposition_chart(last, r, score_part))
        decomposition = _decomposition_table(last, r, score_part)
    return {"ranking": {"columns": columns, "rows": [[_cell(row.get(c)) for c in columns] for row in last],
                        "output": out.name, "period": periods[-1] if periods else None},
            "charts": charts, "roles": r, "decomposition": decomposition}


def _decomposition_table(last: list[dict], r: Roles, part: Part) -> dict[str, Any]:  # type: ignore[type-arg]
    """Every entity's score in the last period, each component with its value and its
    contribution (`idxc decompose ENTITY` shows the whole tree for one)."""
    columns = [r.entity, r.score, *(f"{p.text}: value / contribution" for p in part.parts)]
    rows = []
    for row in last:
        shares = contributions(part, row)
        rows.append([_cell(row[r.entity]), _cell(row.get(r.score)),  # type: ignore[index]
                     *(f"{_cell(row.get(p.column))} / {_cell(s)}" for p, s in zip(part.parts, shares))])
    return {"columns": columns, "rows": rows}


def _cell(v: object) -> str:
    if v is None:
        return ""
    return f"{v:.6g}" if isinstance(v, float) else str(v)


def _definitions(model: m.Model) -> list[dict[str, Any]]:
    return [{"name": d.name, "grain": str(d.grain), "text": d.text, "doc": d.doc or "", "line": d.line}
            for d in model.definitions.values()]


def _params(model: m.Model) -> list[dict[str, Any]]:
    return [{"name": p.name, "value": f"{p.value:g}", "doc": p.doc or "", "line": p.line} for p in model.params.values()]


def _skipped(result: "Result") -> list[dict[str, Any]]:
    rows = []
    for s in result.skipped:
        outputs = [o for o in s.outputs if o != PARTS]
        if outputs:
            rows.append({"label": s.label, "line": s.line, "cells": s.cells, "missing": s.missing,
                         "outputs": ", ".join(outputs)})
    return rows


def _analysis(found: dict) -> list[dict[str, Any]]:  # type: ignore[type-arg]
    tables = []
    for name in ("availability_by_indicator", "statistics", "alpha"):
        if name in found:
            t = found[name]
            tables.append({"name": name.replace("_", " "), "columns": t.column_names,
                           "rows": [[_cell(v) for v in row.values()] for row in t.to_pylist()]})
    return tables


def _figure(fig: Any, key: str, title: str, note: str) -> dict[str, str]:
    """A chart as the template places it: plotly's div (its JS inlined once, in the head)."""
    fig.update_layout(title=title, template="plotly_white", margin={"l": 60, "r": 20, "t": 50, "b": 50})
    return {"id": key, "title": title, "note": note,
            "html": fig.to_html(full_html=False, include_plotlyjs=False, div_id=f"chart-{key}",
                                config={"displaylogo": False, "responsive": True})}


def _classes_chart(last: list[dict], r: Roles, periods: list) -> dict[str, str]:  # type: ignore[type-arg]
    import plotly.graph_objects as go

    counts: dict[str, int] = {}
    for row in last:
        key = "missing" if row.get(r.klass) is None else str(row.get(r.klass))  # type: ignore[arg-type]
        counts[key] = counts.get(key, 0) + 1
    order = sorted(counts, key=lambda k: (k == "missing", k))
    fig = go.Figure(go.Bar(x=order, y=[counts[k] for k in order], marker_color="#4C78A8"))
    fig.update_layout(xaxis_title=r.klass, yaxis_title=f"{r.entity}s", height=360)
    when = f" in {periods[-1]}" if periods else ""
    return _figure(fig, "classes", f"Distribution of classes{when}", f"{len(last)} {r.entity}s by {r.klass}")


def _over_time_chart(joined: list[dict], last: list[dict], r: Roles) -> dict[str, str]:  # type: ignore[type-arg]
    import plotly.graph_objects as go

    leaders = [row[r.entity] for row in sorted((x for x in last if x.get(r.score) is not None),  # type: ignore[arg-type]
                                               key=lambda x: -x[r.score])[:LEADERS]]  # type: ignore[index]
    fig = go.Figure()
    for entity in leaders:
        rows = sorted((x for x in joined if x[r.entity] == entity), key=lambda x: str(x[r.time]))  # type: ignore[index]
        fig.add_trace(go.Scatter(x=[str(x[r.time]) for x in rows], y=[x.get(r.score) for x in rows],  # type: ignore[index]
                                 mode="lines+markers", name=str(entity)))
    fig.update_layout(xaxis_title=r.time, yaxis_title=r.score, height=420, xaxis_type="category")
    return _figure(fig, "over-time", f"{r.score} over time: the {len(leaders)} leading {r.entity}s",
                   f"the {len(leaders)} highest {r.score} in the last period")


def _decomposition_chart(last: list[dict], r: Roles, part: Part) -> dict[str, str]:  # type: ignore[type-arg]
    """Each entity's score as its components' contributions (w·x / Σw), stacked: the
    Handbook's "back to the data"."""
    import plotly.graph_objects as go

    rows = sorted((x for x in last if x.get(r.score) is not None), key=lambda x: -x[r.score])[:DECOMPOSED]  # type: ignore[index]
    names = [str(x[r.entity]) for x in rows][::-1]
    shares = [contributions(part, x) for x in rows][::-1]
    fig = go.Figure()
    for i, child in enumerate(part.parts):
        fig.add_trace(go.Bar(y=names, x=[s[i] for s in shares], name=child.text, orientation="h"))
    fig.update_layout(barmode="stack", height=max(360, 22 * len(names) + 120), xaxis_title=f"contribution to {r.score}")
    return _figure(fig, "decomposition", f"{r.score} decomposed: each component's contribution",
                   f"the {len(rows)} highest {r.score}; each bar adds up to the score before rounding")


def _correlation_charts(found: dict) -> list[dict[str, str]]:  # type: ignore[type-arg]
    import plotly.graph_objects as go

    if "correlations" not in found:
        return []
    rows = found["correlations"].to_pylist()
    charts = []
    for k, label in enumerate(dict.fromkeys(r["data"] for r in rows)):
        pairs = {(r["a"], r["b"]): r["r"] for r in rows if r["data"] == label}
        names = list(dict.fromkeys(n for ab in pairs for n in ab))
        if len(names) < 2:
            continue
        matrix = [[1.0 if a == b else pairs.get((a, b), pairs.get((b, a))) for b in names] for a in names]
        fig = go.Figure(go.Heatmap(z=matrix, x=names, y=names, zmin=-1, zmax=1, colorscale="RdBu",
                                   text=[["" if v is None else f"{v:.2f}" for v in row] for row in matrix],
                                   texttemplate="%{text}"))
        fig.update_layout(height=max(360, 28 * len(names) + 160), yaxis_autorange="reversed")
        charts.append(_figure(fig, f"correlations-{k}", f"Correlations: {label}", "Pearson's r, pairwise complete"))
    return charts


def render(context: dict[str, Any]) -> str:
    """The HTML page, plotly.js inlined so that it works offline."""
    import jinja2
    from plotly.offline import get_plotlyjs

    env = jinja2.Environment(loader=jinja2.PackageLoader("idxlang", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    return env.get_template("report.html.j2").render(plotly_js=get_plotlyjs(), escape=html.escape, **context)


__all__ = ["build", "render", "roles"]
