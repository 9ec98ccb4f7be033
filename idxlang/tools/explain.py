"""`idxc explain SPEC`: the methodology as a reviewer reads it, each output's columns as
a tree of what they are computed from, down to the data, with grain, formula, doc string
and spec line; a definition met again is shown once and referred to after. The same
dependencies as a graph for Graphviz (`--format dot`) or Mermaid (`--format mermaid`)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..semantics import model as m

# the tree's own words (the spec's keywords, `output`, `param`, `by`, stay as written);
# the report passes its page's language
WORDS = {"nothing": "nothing", "see_above": "see above", "column": "column of table {table}",
         "attribute": "attribute of table {table}", "key": "key"}


def explain(model: m.Model, words: dict[str, str] | None = None) -> str:
    say = {**WORDS, **(words or {})}
    spec = Path(model.path).name
    lines = [f"{model.name}" + (f": {model.title}" if model.title else "")]
    shown: set[str] = set()
    for out in model.outputs.values():
        keys = ", ".join(out.keys) or say["nothing"]
        lines.append(f"\noutput {out.name} by {keys}  ({spec}:{out.line})")
        for i, c in enumerate(out.columns):
            _column(model, out, c.source, c.alias, "", i == len(out.columns) - 1, shown, lines, say)
    return "\n".join(lines)


def _column(model: m.Model, out: m.Output, name: str, alias: str, prefix: str, last: bool, shown: set[str],
            lines: list[str], say: dict[str, str] = WORDS) -> None:
    branch, below = ("└─ ", "   ") if last else ("├─ ", "│  ")
    shown_as = name if alias == name else f"{alias} = {name}"
    d = model.lookup(name, out.name)
    if d is None:
        lines.append(f"{prefix}{branch}{shown_as}  {_data(model, name, say)}")
        return
    spec = Path(model.path).name
    key = name if name in model.definitions else f"{out.name}.{name}"  # an output's own column is its own
    if key in shown:
        lines.append(f"{prefix}{branch}{shown_as}  {d.grain}  ({say['see_above']}, {spec}:{d.line})")
        return
    shown.add(key)
    lines.append(f"{prefix}{branch}{shown_as}  {d.grain}  {spec}:{d.line}")
    lines.append(f"{prefix}{below}  {d.text}")
    if d.doc:
        lines.append(f"{prefix}{below}  \"{d.doc}\"")
    parts = list(dict.fromkeys(r.name for r in m.refs(d.expr)))
    params = list(dict.fromkeys(n.name for n in m.walk(d.expr) if isinstance(n, m.Param)))
    for i, p in enumerate(params):
        info = model.params[p]
        tail = f"  \"{info.doc}\"" if info.doc else ""
        lines.append(f"{prefix}{below}{'└─ ' if i == len(params) - 1 and not parts else '├─ '}"
                     f"param {p} = {info.value:g}  {spec}:{info.line}{tail}")
    for i, r in enumerate(parts):
        _column(model, out, r, r, prefix + below, i == len(parts) - 1, shown, lines, say)


def _data(model: m.Model, name: str, say: dict[str, str] = WORDS) -> str:
    """What a name that is not a definition is: a table column, an attribute or a key."""
    for t in model.tables.values():
        if name in t.columns or name in t.attributes:
            kind = "attribute" if name in t.attributes else "column"
            doc = t.docs.get(name)
            table = f"{t.name} ({t.title})" if t.title else t.name
            return say[kind].format(table=table) + (f"  \"{doc}\"" if doc else "")
    return say["key"]


@dataclass(frozen=True)
class Node:
    """One box of the dependency graph: an output, a definition, a param or a data column."""

    id: str
    kind: str  # output, definition, param, data
    title: str
    details: tuple[str, ...] = ()


def graph(model: m.Model) -> tuple[dict[str, Node], list[tuple[str, str]]]:
    """The methodology as nodes and edges (a node, then what it is computed from)."""
    spec = Path(model.path).name
    nodes: dict[str, Node] = {}
    edges: list[tuple[str, str]] = []

    def visit(name: str, output: str) -> str:
        d = model.lookup(name, output)
        if d is None:
            node = Node(f"data:{name}", "data", name, (_data(model, name),))
            nodes.setdefault(node.id, node)
            return node.id
        key = f"let:{name}" if name in model.definitions else f"col:{output}.{name}"
        if key in nodes:
            return key
        nodes[key] = Node(key, "definition", name, (f"{d.grain}  ({spec}:{d.line})", d.text, *((f'"{d.doc}"',) if d.doc else ())))
        for p in dict.fromkeys(n.name for n in m.walk(d.expr) if isinstance(n, m.Param)):
            info = model.params[p]
            nodes.setdefault(f"param:{p}", Node(f"param:{p}", "param", f"param {p} = {info.value:g}",
                                                (f"{spec}:{info.line}", *((f'"{info.doc}"',) if info.doc else ()))))
            edges.append((key, f"param:{p}"))
        for r in dict.fromkeys(r.name for r in m.refs(d.expr)):
            edges.append((key, visit(r, output)))
        return key

    for out in model.outputs.values():
        oid = f"output:{out.name}"
        nodes[oid] = Node(oid, "output", f"output {out.name}", (f"by {', '.join(out.keys) or 'nothing'}  ({spec}:{out.line})",))
        for c in out.columns:
            edges.append((oid, visit(c.source, out.name)))
    return nodes, list(dict.fromkeys(edges))


SHAPES = {"output": ("box", "lightblue"), "definition": ("box", "white"), "param": ("ellipse", "lightyellow"),
          "data": ("cylinder", "lightgrey")}


def to_dot(model: m.Model) -> str:
    """Graphviz: `idxc explain SPEC --format dot | dot -Tsvg > spec.svg`."""
    nodes, edges = graph(model)
    quote = lambda s: '"' + s.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'  # noqa: E731
    lines = [f"digraph {quote(model.name)} {{", "  rankdir=BT;", '  node [fontname="Helvetica", fontsize=10];']
    for n in nodes.values():
        shape, fill = SHAPES[n.kind]
        label = "\n".join((n.title, *n.details))
        lines.append(f"  {quote(n.id)} [label={quote(label)}, shape={shape}, style=filled, fillcolor={fill}];")
    lines += [f"  {quote(b)} -> {quote(a)};" for a, b in edges]
    return "\n".join([*lines, "}"])


def to_mermaid(model: m.Model) -> str:
    """Mermaid, which GitHub and many editors draw from a ```mermaid block."""
    nodes, edges = graph(model)
    ids = {n: f"n{i}" for i, n in enumerate(nodes)}
    text = lambda s: s.replace("&", "#amp;").replace('"', "#quot;").replace("<", "#lt;").replace(">", "#gt;")  # noqa: E731
    opening = {"output": '["', "definition": '["', "param": '(["', "data": '[("'}
    closing = {"output": '"]', "definition": '"]', "param": '"])', "data": '")]'}
    lines = ["flowchart BT"]
    for key, n in nodes.items():
        label = "<br/>".join(text(s) for s in (n.title, *n.details))
        lines.append(f"  {ids[key]}{opening[n.kind]}{label}{closing[n.kind]}")
    lines += [f"  {ids[b]} --> {ids[a]}" for a, b in edges]
    return "\n".join(lines)


FORMATS = {"text": explain, "dot": to_dot, "mermaid": to_mermaid}
