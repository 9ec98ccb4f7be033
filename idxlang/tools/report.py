"""`idxc report SPEC --out report.html`: what a reviewer of the methodology and a reader
of the results work with, in one self-contained HTML file that works offline and prints
whole (issue 23: a report a statistics office would publish).

The page is a jinja2 template (templates/report.html.j2); its charts are inline SVG
drawn by matplotlib (tools/charts.py). Everything shown is computed by the spec's own SQL: the
outputs, one more output holding each entity's parts (tools/decompose.py), the skipped-value
counts and the `idxc analyse` tables. Python only arranges them, in the spec's language
(tools/report_text.py), headed by the spec's doc strings.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, cast

from .. import ast
from . import charts, mathml
from ..semantics import model as m
from ..semantics.calendar import Calendar
from .decompose import PARTS, SHARED, Extended, Part, contributions, extend
from .explain import explain
from .framework_tree import Node, framework
from .report_text import LABELS, Text, css_string, decimals, grouped, is_number, language, written_in

if TYPE_CHECKING:
    from decimal import Decimal

    from ..api import Spec
    from ..run import Result

LEADERS = 10  # entities drawn over time
DECOMPOSED = 25  # entities whose score is drawn as its components' contributions
Row = dict[str, Any]  # a row of an output, its parts beside its columns


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

    ranked = next(((c, call) for c in out.columns if (call := func(c)) is not None and call.func == "rank"), None)
    score = None
    if ranked is not None and isinstance(ranked[1], m.Call) and isinstance(ranked[1].args[0], m.Ref):
        name = ranked[1].args[0].name
        score = next((c.alias for c in out.columns if c.source == name), None)
    klass = next((c.alias for c in out.columns if _classify(model, out, c.alias) is not None), None)
    time = next((k for k in out.keys if model.axes.is_time(k)), None)
    return Roles(entity, time, score, klass, ranked[0].alias if ranked else None)


# ---------------------------------------------------------------- tables


@dataclass(frozen=True)
class Cell:
    text: str
    value: float | None = None  # a number's own value: what the table sorts by
    code: bool = False  # spec notation, shown as code
    math: str = ""  # the formula as mathematics (MathML), shown under its notation


@dataclass(frozen=True)
class Formula:
    """A formula cell's value: the spec's notation and the same as mathematics."""

    text: str
    math: str


@dataclass(frozen=True)
class Heading:
    text: str  # what the reader sees: the doc string where there is one
    name: str = ""  # the identifier, shown on hover


@dataclass(frozen=True)
class Group:
    text: str
    span: int


@dataclass(frozen=True)
class Table:
    """A table as the template lays it out: numbers right-aligned, each numeric column
    with one number of decimals."""

    headings: list[Heading]
    numeric: list[bool]
    rows: list[list[Cell]]
    groups: list[Group] = field(default_factory=list)
    title: str = ""
    note: str = ""

    def column(self, k: int) -> list[Cell]:
        return [row[k] for row in self.rows]


def _plain(v: object) -> str:
    return "" if v is None else v.text if isinstance(v, Formula) else str(v)


def _cells(values: Sequence[object], text: Text) -> tuple[bool, list[Cell]]:
    """A column's cells: numbers all with the same decimals (and thousands separated
    when it reaches five digits); anything else as written."""
    present = [v for v in values if v is not None]
    if not present or not all(is_number(v) for v in present):
        return False, [Cell(_plain(v), math=v.math if isinstance(v, Formula) else "") for v in values]
    numbers = cast("list[float | int | Decimal]", present)  # each one a number, as just checked
    places, group = decimals(numbers), grouped(numbers)
    cells = []
    for v in cast("Sequence[float | int | Decimal | None]", values):
        shown = "" if v is None else text.number(v, places, group)
        cells.append(Cell(shown, float(v) if shown and v is not None else None))
    return True, cells


def table(headings: list[Heading], rows: Sequence[Sequence[object]], text: Text, code: Sequence[int] = (),
          groups: list[Group] | None = None, title: str = "", note: str = "") -> Table:
    """Rows of values as a Table, each column formatted as a whole; columns `code` in
    spec notation."""
    columns = [_cells([row[k] for row in rows], text) for k in range(len(headings))]
    cells = [[columns[k][1][i] for k in range(len(headings))] for i in range(len(rows))]
    cells = [[Cell(c.text, c.value, k in code, c.math) for k, c in enumerate(row)] for row in cells]
    return Table(headings, [numeric for numeric, _ in columns], cells, groups or [], title, note)


def _headings(text: Text, *keys: str) -> list[Heading]:
    return [Heading(text(k)) for k in keys]


def _described(headings: list[Heading], rows: Sequence[Sequence[object]], code: Sequence[int], text: Text,
               **kw: Any) -> Table:
    """A methodology table without the columns nothing fills (no doc string anywhere, no
    label in the scale): an empty column reads as something missing."""
    keep = [k for k in range(len(headings)) if any(row[k] not in (None, "") for row in rows)] if rows \
        else list(range(len(headings)))
    return table([headings[k] for k in keep], [[row[k] for k in keep] for row in rows], text,
                 code=[i for i, k in enumerate(keep) if k in code], **kw)


# ---------------------------------------------------------------- the spec's words


@dataclass(frozen=True)
class Words:
    """What the spec says of its names: doc strings, scales' titles, comments above."""

    model: m.Model
    module: ast.Module | None

    @property
    def scales(self) -> dict[str, ast.Scale]:
        return {st.name: st for st in self._statements() if isinstance(st, ast.Scale)}

    @property
    def defs(self) -> list[ast.Def]:
        return [st for st in self._statements() if isinstance(st, ast.Def)]

    def _statements(self) -> tuple[ast.Statement, ...]:
        return self.module.statements if self.module is not None else ()

    def comment(self, line: int, lang: str) -> str:
        """The comment block right above a statement's first line: the author's note on
        it, when written in the page's language (a Russian page with English notes would
        mix the two)."""
        lines = self.module.source.splitlines() if self.module is not None else []
        found: list[str] = []
        k = line - 2
        while 0 <= k < len(lines) and lines[k].lstrip().startswith("#"):
            found.insert(0, lines[k].lstrip().lstrip("#").strip())
            k -= 1
        note = " ".join(found)
        return note if note and written_in(note) == lang else ""

    def heading(self, out: m.Output, name: str) -> Heading:
        """An output column's heading: its doc string, its scale's title for a class,
        a table column's doc, else its name."""
        column = next((c for c in out.columns if c.alias == name), None)
        source = column.source if column is not None else name
        d = self.model.lookup(source, out.name) if column is not None else None
        if d is not None and d.doc:
            return Heading(d.doc, name)
        klass = _classify(self.model, out, name) if column is not None else None
        if klass is not None and self.scale_title(klass.scale) != klass.scale:
            return Heading(self.scale_title(klass.scale), name)
        doc = next((t.docs[source] for t in self.model.tables.values() if source in t.docs), None)
        return Heading(doc or name, name)

    def scale_title(self, name: str) -> str:
        scale = self.scales.get(name)
        return scale.title if scale is not None and scale.title else name


def _classify(model: m.Model, out: m.Output, alias: str) -> m.Classify | None:
    """The classification an output column shows, if it is one."""
    column = next((c for c in out.columns if c.alias == alias), None)
    d = model.lookup(column.source, out.name) if column is not None else None
    return d.expr if d is not None and isinstance(d.expr, m.Classify) else None


# ---------------------------------------------------------------- the context


def build(spec: "Spec", data: dict[str, str] | list[str] | None = None, output: str | None = None,
          lang: str | None = None, against: "Spec | None" = None, against_name: str = "") -> dict[str, Any]:
    """The template's context: every table and chart of the report, in `lang` (the
    spec's own language when None); with `against`, what changed from that version."""
    from .analyse import analyse
    from ..data.sources import resolve_sources

    model = spec.model
    text = Text(lang or language(model, spec.module))
    words = Words(model, spec.module)
    main = _main_output(model, output)
    ext = extend(spec, main) if main and _by_entity(model, model.outputs[main]) else None
    runner = ext.spec if ext else spec
    result = runner.run(data)
    tables = {k: v for k, v in result.tables.items() if k != PARTS}
    analysis = analyse(model, resolve_sources(model, data), tables)
    title = model.title or model.name
    context: dict[str, Any] = {
        "lang": text.lang, "t": text, "title": title, "name": model.name, "spec": Path(model.path).name,
        "page_title": css_string(title), "page_word": css_string(text("page")),
        "methodology": explain(model, {k[5:]: v for k, v in LABELS[text.lang].items() if k.startswith("tree_")}), "definitions": _definitions(words, text), "functions": _functions(words, text),
        "scales": _scales(words, text), "params": _params(model, text), "data_tables": _data_tables(model, text), "skipped": _skipped(result, text),
        "charts": [], "analysis": _analysis(analysis, text), "ranking": None, "decomposition": None,
        "undecomposed": None,
    }
    if ext is not None:
        context.update(_main(words, ext, result, text))
    context["framework"] = _framework(words, context.get("roles"), main)
    context["correlations"] = _correlation_charts(analysis, text)
    context["changes"] = _changes(against, spec, against_name, data, text, words) if against is not None else None
    shown = [o for o in model.outputs if o != (ext.output.name if ext else None) and o in tables]
    first = [o for o in shown if o == main]  # an output asked for that is not by an entity: first
    context["outputs"] = [_output_section(words, model.outputs[o], tables[o].to_pylist(), text)
                          for o in first + [o for o in shown if o not in first]]
    return context


def _framework(words: Words, r: Roles | None, main: str | None) -> Node | None:
    """The tree of the score the report ranks by, else of the last column of the first
    output (an index by year): the spec's framework."""
    model = words.model
    out = model.outputs.get(main) if main else next(iter(model.outputs.values()), None)
    if out is None or words.module is None or not out.columns:
        return None
    column = next((c for c in out.columns if r is not None and c.alias == r.score), out.columns[-1])
    return framework(model, words.module, column.source)


def _changes(old: "Spec", new: "Spec", name: str, data: Any, text: Text, words: Words) -> dict[str, Any]:
    """What changed from the earlier version (`idxc diff`): each statement, and per
    output the values that moved most."""
    from . import diff

    assert old.module is not None and new.module is not None  # specs loaded from their text
    found = diff.changes(old.module, new.module)
    reach = {**diff.reached(old), **diff.reached(new)}
    statements = table(_headings(text, "col_change", "col_statement", "col_name", "col_before", "col_after", "col_reaches"),
                       [[text(f"change_{c.what}"), c.kind, c.name, c.old.text if c.old else "", c.new.text if c.new else "",
                         ", ".join(reach.get((c.kind, c.name), []))] for c in found], text, code=(2, 3, 4))
    moved = []
    for o in diff.results(old, new, data, data):
        out = new.model.outputs[o.name]
        label = {c: words.heading(out, c).text for c in (*out.keys, *(x.alias for x in out.columns))}
        rows = []
        for c in o.columns:
            shown = c.changed[:LEADERS]
            numbers = [v for x in shown for v in (x.old, x.new) if is_number(v)]
            places = decimals(numbers) if numbers else 0  # one number of decimals per column, as its values need
            cell = lambda v: text.number(v, places) if is_number(v) else "" if v is None else str(v)  # noqa: E731
            rows += [[", ".join(map(str, x.key)), label.get(c.column, c.column), cell(x.old), cell(x.new), x.delta]
                     for x in shown]
        if rows or o.only_old or o.only_new:
            note = text("changes_output_note", n=sum(len(c.changed) for c in o.columns), k=LEADERS,
                        before=len(o.only_old), after=len(o.only_new))
            moved.append({"name": o.name, "note": note,
                          "table": table(_headings(text, "col_key", "col_column", "col_before", "col_after",
                                                   "col_delta"), rows, text)})
    return {"against": name, "statements": statements, "outputs": moved}


def _by_entity(model: m.Model, out: m.Output) -> bool:
    return any(k in model.axes.entities for k in out.keys)


def _main_output(model: m.Model, output: str | None) -> str | None:
    """The output the report is about: the one named (ranked when it is by an entity,
    else shown first), else the first by an entity."""
    if output is not None:
        if output not in model.outputs:
            from ..diagnostics import Diagnostic, IdxError, did_you_mean

            raise IdxError(Diagnostic("error", f"--output {output}: the specification has no such output",
                                      hint=did_you_mean(output, model.outputs) or f"its outputs: {', '.join(model.outputs)}"))
        return output
    return next((o.name for o in model.outputs.values() if _by_entity(model, o)), None)


# ---------------------------------------------------------------- every output, as its rows fit


def _output_section(words: Words, out: m.Output, rows: list[Row], text: Text) -> dict[str, Any]:
    """An output's section: over time only, every period and a chart of its columns; by
    groups (or entities) over time, the last period and a chart of each group's first
    number over time; with no time axis, all its rows."""
    model = words.model
    columns = [*out.keys, *(c.alias for c in out.columns)]
    headings = [words.heading(out, c) for c in columns]
    label = {h.name: h.text for h in headings}
    time = next((k for k in out.keys if k in model.axes.times), None)
    others = [k for k in out.keys if k != time]
    numbers = [c.alias for c in out.columns if _numeric(rows, c.alias)]
    title = text("output_title", name=out.name, keys=", ".join(out.keys)) if out.keys else \
        text("output_title_scalar", name=out.name)
    periods = sorted({r[time] for r in rows if r[time] is not None}, key=_order) if time else []
    charts: list[dict[str, Any]] = []
    if time and not others:
        shown = sorted(rows, key=lambda r: _order(r[time]))
        note = text("series_note")
        if numbers and len(periods) > 1:
            charts.append(_series_chart(out, shown, time, _headline(rows, numbers), label, text))
    elif time:
        last = periods[-1] if periods else None
        shown = sorted((r for r in rows if r[time] == last), key=lambda r: [_order(r[k]) for k in others])
        yearly = model.axes.calendar(time) is Calendar.YEAR
        note = text("last_period_note", when=text.period(last, yearly), keys=", ".join(others))
        if numbers and len(periods) > 1:
            charts.append(_groups_chart(out, rows, others, time, numbers[0], label, periods, text))
    else:
        shown = sorted(rows, key=lambda r: [_order(r[k]) for k in out.keys])
        note = text("all_rows_note", n=len(rows))
    comment = words.comment(out.line, text.lang)
    return {"id": f"output-{out.name}", "name": out.name, "title": title, "comment": comment, "note": note,
            "table": table(headings, [[r.get(c) for c in columns] for r in shown], text), "charts": charts}


def _order(v: object) -> tuple[bool, object]:
    """Keys in their own order, missing last: numbers by value, text as written."""
    return (v is None, v if isinstance(v, (int, float)) else str(v))


def _numeric(rows: list[Row], column: str) -> bool:
    present = [r.get(column) for r in rows if r.get(column) is not None]
    return bool(present) and all(is_number(v) for v in present)


def _headline(rows: list[Row], numbers: list[str]) -> list[str]:
    """The columns drawn on one chart: those of the last one's order of magnitude (an
    index beside its parts, not beside a count in thousands)."""
    def size(c: str) -> float:
        return max(abs(float(r[c])) for r in rows if r.get(c) is not None) or 1.0

    last = size(numbers[-1])
    return [c for c in numbers if last / 30 <= size(c) <= last * 30]


def _series_chart(out: m.Output, rows: list[Row], time: str, drawn: list[str], label: dict[str, str],
                  text: Text) -> dict[str, Any]:
    periods = [str(r[time]) for r in rows]
    series = {label[c]: [r.get(c) for r in rows] for c in drawn}
    title = _title(text("series_chart_title", name=out.name))
    svg = charts.lines(periods, series, label.get(time, time), ", ".join(series) if len(series) == 1 else "", text)
    return _figure(svg, f"output-{out.name}-series", title,
                   text("series_chart_note", columns=", ".join(series)), {"x": periods, "series": list(series)})


def _groups_chart(out: m.Output, rows: list[Row], others: list[str], time: str, column: str,
                  label: dict[str, str], periods: list[Any], text: Text) -> dict[str, Any]:
    """The column over time, one line per group: the LEADERS highest in the last period
    when there are more."""
    group = lambda r: " · ".join(str(r[k]) for k in others)  # noqa: E731
    last = sorted((r for r in rows if r[time] == periods[-1] and r.get(column) is not None),
                  key=lambda r: -float(r[column]))
    names = list(dict.fromkeys([*(group(r) for r in last), *sorted({group(r) for r in rows})]))
    kept = names[:LEADERS]
    values = {(group(r), r[time]): r.get(column) for r in rows}
    series = {g: [values.get((g, p)) for p in periods] for g in kept}
    title = _title(text("groups_chart_title", score=label[column], keys=", ".join(others)))
    note = text("groups_chart_note", keys=", ".join(others)) + \
        (" " + text("groups_chart_cut", k=len(kept), n=len(names)) if len(kept) < len(names) else "")
    svg = charts.lines([str(p) for p in periods], series, label.get(time, time), label[column], text)
    return _figure(svg, f"output-{out.name}-groups", title, note, {"x": [str(p) for p in periods], "series": kept})


@dataclass(frozen=True)
class Period:
    """The period the ranking shows (the last), as the reader's language writes it."""

    value: object
    shown: str

    def when(self, text: Text) -> str:
        return text("when", period=self.shown) if self.shown else ""


def _period(model: m.Model, r: Roles, periods: list[Any], text: Text) -> Period:
    if not periods or r.time is None:
        return Period(None, "")
    return Period(periods[-1], text.period(periods[-1], model.axes.calendar(r.time) is Calendar.YEAR))


def _main(words: Words, ext: Extended, result: "Result", text: Text) -> dict[str, Any]:
    model, out, joined = words.model, ext.output, ext.joined(result.tables)
    r = roles(model, out, ext.entity_axis)
    periods = sorted({row[r.time] for row in joined}, key=str) if r.time else []
    period = _period(model, r, periods, text)
    last = [row for row in joined if not r.time or row[r.time] == periods[-1]]
    if r.place:
        place = r.place
        last.sort(key=lambda row: (row[place] is None, row[place]))
    columns = [*out.keys, *(c.alias for c in out.columns)]
    headings = [words.heading(out, c) for c in columns]
    label = {h.name: h.text for h in headings}
    charts = []
    klass = _classify(model, out, r.klass) if r.klass else None
    if klass is not None:
        charts.append(_classes_chart(last, r, klass, words.scale_title(klass.scale), period, text))
    if r.score and r.time and len(periods) > 1:
        charts.append(_over_time_chart(joined, last, r, label, period, text))
    score_part = next((p for p in ext.tree if p.column == r.score or p.text == r.score), None)
    decomposition, undecomposed = None, None
    if r.score and score_part is not None and score_part.parts and score_part.combine in SHARED:
        charts.append(_decomposition_chart(last, r, score_part, label, period, text))
        decomposition = _decomposition_table(last, r, score_part, label, period, text)
    elif r.score and score_part is not None and score_part.parts and score_part.combine:
        undecomposed = text("no_decomposition", score=label[r.score], how=text(f"how_{score_part.combine}"))
    note = text("ranking_output", name=out.name, keys=", ".join(out.keys)) + " " + \
        (text("results_for", period=period.shown) if period.shown else text("results")) + \
        (text("ordered_by", place=label[r.place]) if r.place else "") + "."
    heading = text("ranking_for", period=period.shown) if period.shown else text("ranking")
    ranking = {"columns": columns, "table": table(headings, [[row.get(c) for c in columns] for row in last], text),
               "output": out.name, "period": period.value, "title": heading, "note": note, "hint": text("sort_hint")}
    return {"ranking": ranking, "charts": charts, "roles": r, "decomposition": decomposition,
            "undecomposed": undecomposed}


def _decomposition_table(last: list[Row], r: Roles, part: Part, label: dict[str, str], period: Period,
                         text: Text) -> Table:
    """Every entity's score in the last period, each component with its value and its
    contribution (`idxc decompose ENTITY` shows the whole tree for one)."""
    assert r.score is not None
    headings = [Heading(label.get(r.entity, r.entity), r.entity), Heading(label[r.score], r.score)]
    groups = [Group("", 1), Group("", 1)]
    for p in part.parts:
        headings += [Heading(text("value"), p.name), Heading(text(_how(part, "contribution")), p.name)]
        groups.append(Group(p.doc or p.name, 2))
    rows = []
    for row in last:
        shares = contributions(part, row)
        cells: list[object] = [row[r.entity], row.get(r.score)]
        for p, share in zip(part.parts, shares):
            cells += [row.get(p.column), share]
        rows.append(cells)
    score = label[r.score]
    return table(headings, rows, text, groups=groups, title=text("decomposition_table", score=score),
                 note=text(_how(part, "decomposition_table_note"), score=score, when=period.when(text)))


def _how(part: Part, key: str) -> str:
    """The label for how the parts make the score: a sum's or a geometric mean's own,
    else the (weighted) mean's."""
    own = f"{key}_{part.combine}"
    return own if own in LABELS["en"] else key


def _definitions(words: Words, text: Text) -> Table:
    lets = {st.name: st.value for st in words._statements() if isinstance(st, ast.Let)}
    rows: list[list[object]] = [[d.name, str(d.grain), _formula(d.text, d.name, lets.get(d.name)), d.doc or "",
                                 d.line or None] for d in words.model.definitions.values()]
    return _described(_headings(text, "col_name", "col_grain", "col_formula", "col_doc", "col_line"), rows, (0, 2),
                      text)


def _functions(words: Words, text: Text) -> Table:
    """Every `def` with its formula, where it is applied, and the author's note on it."""
    bodies = [(d.name, ast.unparse(d.body)) for d in words.defs]
    bodies += [(x.name, x.text) for x in words.model.all_definitions()]
    rows = []
    for d in words.defs:
        call = re.compile(rf"(?<![\w.]){re.escape(d.name)}\(")
        used = list(dict.fromkeys(name for name, body in bodies if name != d.name and call.search(body)))
        params = tuple(p.id for p in d.params)
        rows.append([f"{d.name}({', '.join(params)})", _formula(ast.unparse(d.body), d.name, d.body, params),
                     ", ".join(used),
                     words.comment(d.span.line, text.lang), d.span.line or None])
    return _described(_headings(text, "col_function", "col_formula", "col_used_in", "col_note", "col_line"), rows,
                      (0, 1, 2), text)


def _formula(written: str, name: str, value: ast.Expr | None, params: tuple[str, ...] = ()) -> Formula | str:
    return Formula(written, mathml.definition(name, value, params)) if value is not None else written


def _scales(words: Words, text: Text) -> list[Table]:
    """Every scale: its classes in its order, each with its interval and label."""
    found = []
    for scale in words.scales.values():
        rows = [[b.code, b.label or "", b.text(), text.interval(b)] for b in scale.bands]
        heading = scale.name if not scale.title else f"{scale.title} ({scale.name})"
        found.append(_described(_headings(text, "col_class", "col_label", "col_interval", "col_meaning"), rows, (2,),
                                text, title=heading, note=words.comment(scale.span.line, text.lang)))
    return found


def _data_tables(model: m.Model, text: Text) -> Table:
    """Every input table, a row per column it reads: the spec's own account of its data."""
    rows: list[list[object]] = []
    for t in model.tables.values():
        keys = " × ".join(k for k in (t.entity, t.time) if k)
        name = f"{t.name} ({t.title})" if t.title else t.name
        source = Path(t.source).name if t.source else ""
        for kind, columns in (("kind_attribute", t.attributes), ("kind_number", t.columns)):
            rows += [[name, source, keys, c, text(kind), t.docs.get(c, "")] for c in columns]
    return _described(_headings(text, "col_table", "col_file", "col_rows", "col_column", "col_kind", "col_doc"),
                      rows, (3,), text)


def _params(model: m.Model, text: Text) -> Table:
    rows = [[p.name, p.value, p.doc or "", p.line or None] for p in model.params.values()]
    return _described(_headings(text, "col_name", "col_value", "col_doc", "col_line"), rows, (0,), text)


def _skipped(result: "Result", text: Text) -> Table:
    rows = []
    for s in result.skipped:
        outputs = [o for o in s.outputs if o != PARTS]
        if outputs:
            rows.append([s.label, s.missing, s.cells, ", ".join(outputs), s.line or None])
    return table(_headings(text, "col_reduction", "col_missing", "col_cells", "col_outputs", "col_line"), rows, text,
                 code=(0,))


def _data_label(label: str, text: Text) -> str:
    """analyse's name for what it read ("table regions", "outputs a, b") in the page's language."""
    kind, _, rest = label.partition(" ")
    if kind == "table":
        return text("data_table", name=rest)
    if kind == "outputs":
        return text("data_outputs", names=rest)
    return label


def _analysis(found: dict[str, Any], text: Text) -> list[Table]:
    tables = []
    for name in ("availability_by_indicator", "statistics", "alpha"):
        if name in found:
            t = found[name]
            rows = [[_data_label(v, text) if k == "data" else v for k, v in row.items()] for row in t.to_pylist()]
            headings = [Heading(_label(text, f"a_{c}", c), c) for c in t.column_names]
            tables.append(table(headings, rows, text, title=_label(text, f"table_{name}", name)))
    return tables


def _label(text: Text, key: str, default: str) -> str:
    """A fixed label where the report has one for `key` (analyse's columns), else `default`."""
    return text(key) if key in LABELS[text.lang] else default


# ---------------------------------------------------------------- charts


def _figure(svg: str, key: str, title: str, note: str, data: dict[str, list[Any]] | None = None) -> dict[str, Any]:
    """A chart as the template places it: its SVG, its caption (a sentence, even when a
    name starts it), the numbers it draws."""
    return {"id": key, "title": title, "note": _title(note), "data": data or {}, "html": svg}


def _title(text: str) -> str:
    """A chart's title starts with a capital, as a heading does, even when a name starts it."""
    return text[:1].upper() + text[1:]


def _classes_chart(last: list[Row], r: Roles, klass: m.Classify, scale: str, period: Period,
                   text: Text) -> dict[str, Any]:
    """How many entities each class holds, in the scale's order, an empty class at 0; the
    entities with no class (no score) last."""
    assert r.klass is not None
    counts = Counter(None if row.get(r.klass) is None else str(row.get(r.klass)) for row in last)
    codes = [b.code for b in klass.bands]
    codes += sorted(str(c) for c in counts if c is not None and c not in codes)  # none expected: a code of its own
    labels = {b.code: b.label for b in klass.bands}
    x = codes + ([text("no_class")] if counts[None] else [])
    y = [counts.get(c, 0) for c in codes] + ([counts[None]] if counts[None] else [])
    ticks = [f"{c}\n{labels[c]}" if labels.get(c) else c for c in x]
    title = _title(text("classes_title", scale=scale, when=period.when(text)))
    svg = charts.bars(ticks, y, text("classes_x"), text("classes_y"), text)
    return _figure(svg, "classes", title, text("classes_note", entity=r.entity, n=len(last)), {"x": x, "y": y})


def _over_time_chart(joined: list[Row], last: list[Row], r: Roles, label: dict[str, str], period: Period,
                     text: Text) -> dict[str, Any]:
    assert r.score is not None and r.time is not None
    column = r.score
    leaders = [row[r.entity] for row in sorted((x for x in last if x.get(r.score) is not None),
                                               key=lambda x: -x[column])[:LEADERS]]
    periods = sorted({str(x[r.time]) for x in joined})
    values = {(str(x[r.entity]), str(x[r.time])): x.get(r.score) for x in joined}
    series = {str(e): [values.get((str(e), p)) for p in periods] for e in leaders}
    score = label[r.score]
    title = _title(text("over_time_title", score=score, k=len(leaders)))
    svg = charts.lines(periods, series, label.get(r.time, r.time), score, text)
    return _figure(svg, "over-time", title,
                   text("over_time_note", k=len(leaders), entity=r.entity, score=score, when=period.when(text)),
                   {"x": periods, "series": list(series)})


def _decomposition_chart(last: list[Row], r: Roles, part: Part, label: dict[str, str], period: Period,
                         text: Text) -> dict[str, Any]:
    """Each entity's score as its components' contributions (w·x / Σw), stacked: the
    Handbook's "back to the data"."""
    assert r.score is not None
    column = r.score
    rows = sorted((x for x in last if x.get(r.score) is not None), key=lambda x: -x[column])[:DECOMPOSED]
    names = [str(x[r.entity]) for x in rows]
    shares = [contributions(part, x) for x in rows]
    # a component missing for an entity (`mean(a, b present 1)`) adds nothing to its
    # score, the mean of those present: no segment (its share is None; stacked() drew a crash)
    parts = {child.doc or child.name: [s[i] or 0.0 for s in shares] for i, child in enumerate(part.parts)}
    score = label[r.score]
    title = _title(text(_how(part, "decomposition_title"), score=score))
    svg = charts.stacked(names, parts, text(_how(part, "decomposition_x"), score=score), text)
    return _figure(svg, "decomposition", title,
                   text(_how(part, "decomposition_note"), k=len(rows), entity=r.entity, score=score,
                        when=period.when(text)),
                   {"y": names, "parts": list(parts)})


def _correlation_charts(found: dict[str, Any], text: Text) -> list[dict[str, Any]]:
    if "correlations" not in found:
        return []
    rows = found["correlations"].to_pylist()
    drawn = []
    for k, label in enumerate(dict.fromkeys(r["data"] for r in rows)):
        pairs = {(r["a"], r["b"]): r["r"] for r in rows if r["data"] == label}
        names = list(dict.fromkeys(n for ab in pairs for n in ab))
        if len(names) < 2:
            continue
        matrix = [[1.0 if a == b else pairs.get((a, b), pairs.get((b, a))) for b in names] for a in names]
        title = _title(text("correlations_title", data=_data_label(label, text)))
        drawn.append(_figure(charts.heatmap(names, matrix, text), f"correlations-{k}", title,
                             text("correlations_note"), {"x": names}))
    return drawn


def render(context: dict[str, Any]) -> str:
    """The HTML page, self-contained: its charts are inline SVG, its one script sorts tables."""
    import jinja2

    env = jinja2.Environment(loader=jinja2.PackageLoader("idxlang", "templates"),
                             autoescape=jinja2.select_autoescape(["html", "j2"]))
    return env.get_template("report.html.j2").render(escape=html.escape, **context)


__all__ = ["Cell", "Heading", "Table", "build", "render", "roles", "table"]
