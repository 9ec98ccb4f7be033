"""`idxc lsp`: a language server for `.idx` files (pygls, over stdio), so that an editor
shows the checker's diagnostics as you type, a name's grain and doc on hover, and goes
to where a name is declared. Editors start it as `idxc lsp`; editors/vscode holds the
highlighting grammar and the client settings.

What a position means is worked out from the text alone (`Document`): the spec is
parsed and checked as the command line would, and the declarations are read off the
syntax tree, so hover and go-to-definition work even while the spec has an error
further down (from the last text that parsed)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from .. import __version__
from .. import ast
from ..semantics import model as m
from ..builtins import REGISTRY
from ..compile import check
from ..diagnostics import Diagnostic, IdxError
from ..semantics.frameworks import expand
from ..parse import parse

_WORD = re.compile(r"`[^`\n]+`|[^\W\d]\w*")


@dataclass(frozen=True)
class Declared:
    """Where a name is declared and what it is."""

    name: str
    kind: str  # let, param, column, attribute, key, def, scale, table
    span: ast.Span
    text: str  # what hover shows


class Document:
    """One spec's text as the server knows it: its diagnostics, declarations and model."""

    def __init__(self, text: str, path: str) -> None:
        self.text, self.path = text, path
        self.diagnostics: list[Diagnostic] = []
        self.module: ast.Module | None = None
        self.model: m.Model | None = None
        try:
            self.module = expand(parse(text, path))
            self.model = check(self.module)
            self.diagnostics = list(self.model.warnings)
        except IdxError as err:
            self.diagnostics = list(err.diagnostics)

    def declarations(self) -> dict[str, Declared]:
        found: dict[str, Declared] = {}
        if self.module is None:
            return found
        for st in self.module.statements:
            for d in _declared(st, self.model):
                found.setdefault(d.name, d)
        return found

    def word_at(self, line: int, character: int) -> str | None:
        """The name under a 0-based position."""
        lines = self.text.splitlines()
        if not 0 <= line < len(lines):
            return None
        for w in _WORD.finditer(lines[line]):
            if w.start() <= character <= w.end():
                return w.group().strip("`")
        return None

    def hover(self, line: int, character: int) -> str | None:
        word = self.word_at(line, character)
        if word is None:
            return None
        declared = self.declarations().get(word)
        if declared is not None:
            return declared.text
        builtin = REGISTRY.get(word)
        return f"```\n{builtin.signature}\n```\nbuilt-in function" if builtin else None

    def definition(self, line: int, character: int) -> ast.Span | None:
        word = self.word_at(line, character)
        declared = self.declarations().get(word) if word else None
        return declared.span if declared else None


def _declared(st: object, model: m.Model | None) -> list[Declared]:
    """The names a statement declares, each with its hover text."""
    if isinstance(st, ast.Let):
        d = model.definitions.get(st.name) if model else None
        grain = f"  ({d.grain})" if d else ""
        return [Declared(st.name, "let", st.name_span, f"```\nlet {st.name} = {ast.unparse(st.value)}\n```\n"
                         f"definition{grain}" + (f"\n\n{st.doc}" if st.doc else ""))]
    if isinstance(st, ast.Param):
        value = model.params[st.name].value if model and st.name in model.params else st.value
        return [Declared(st.name, "param", _after_keyword(st.span, "param"),
                         f"```\nparam {st.name} = {value:g}\n```" + (f"\n\n{st.doc}" if st.doc else ""))]
    if isinstance(st, ast.Def):
        return [Declared(st.name, "def", _after_keyword(st.span, "def"),
                         f"```\ndef {st.name}({', '.join(p.id for p in st.params)}) = {ast.unparse(st.body)}\n```\n"
                         "user function")]
    if isinstance(st, ast.Scale):
        bands = "\n".join(f'"{b.code}" {b.text()}' + (f' "{b.label}"' if b.label else "") for b in st.bands)
        return [Declared(st.name, "scale", _after_keyword(st.span, "scale"),
                         f"scale {st.name}" + (f": {st.title}" if st.title else "") + f"\n\n```\n{bands}\n```")]
    if isinstance(st, ast.Table):
        return _table(st, model)
    return []


def _table(st: ast.Table, model: m.Model | None) -> list[Declared]:
    keys = " by ".join(k.id for k in (st.entity, st.time) if k) or "scalar"
    out = [Declared(st.name, "table", _after_keyword(st.span, "table"),
                    f"table {st.name}: {keys}" + (f"\n\n{st.title}" if st.title else ""))]
    for k in (st.entity, st.time):
        if k is not None:
            kind = "time axis" if k is st.time else "entity axis"
            out.append(Declared(k.id, "key", k.span, f"{k.id}: {kind} of table {st.name}"))
    for c in st.columns:
        what = f"attribute of {st.entity.id if st.entity else 'nothing'}" if c.attribute else f"column ({keys})"
        out.append(Declared(c.name, "attribute" if c.attribute else "column", c.span,
                            f"{c.name}: {what} of table {st.name}" + (f"\n\n{c.doc}" if c.doc else "")))
    return out


def _after_keyword(span: ast.Span, keyword: str) -> ast.Span:
    """The declared name's place: a statement's span starts at its keyword."""
    return ast.Span(span.line, span.column + len(keyword) + 1, span.line, span.column + len(keyword) + 1)


def serve() -> None:  # pragma: no cover - exercised over stdio by tests/test_lsp.py
    """Run the server on stdin/stdout until the editor exits."""
    from lsprotocol import types as t
    from pygls.lsp.server import LanguageServer

    server = LanguageServer("idxc", __version__)
    docs: dict[str, Document] = {}

    def _range(span: ast.Span | None) -> t.Range:
        if span is None or not span.line:
            return t.Range(t.Position(0, 0), t.Position(0, 0))
        end_line = max(span.end_line, span.line)
        end = span.end_column if span.end_line >= span.line and span.end_column else span.column
        return t.Range(t.Position(span.line - 1, max(span.column - 1, 0)), t.Position(end_line - 1, max(end, 1)))

    def _publish(uri: str, text: str) -> None:
        doc = docs[uri] = Document(text, _path(uri))
        items = [t.Diagnostic(range=_range(d.span), message=d.message + (f"\n{d.hint}" if d.hint else ""),
                              severity=t.DiagnosticSeverity.Error if d.severity == "error" else t.DiagnosticSeverity.Warning,
                              source="idxc") for d in doc.diagnostics]
        server.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri=uri, diagnostics=items))

    @server.feature(t.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: LanguageServer, params: t.DidOpenTextDocumentParams) -> None:
        _publish(params.text_document.uri, params.text_document.text)

    @server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: LanguageServer, params: t.DidChangeTextDocumentParams) -> None:
        doc = ls.workspace.get_text_document(params.text_document.uri)
        _publish(params.text_document.uri, doc.source)

    @server.feature(t.TEXT_DOCUMENT_HOVER)
    def hover(ls: LanguageServer, params: t.HoverParams) -> t.Hover | None:
        doc = docs.get(params.text_document.uri)
        text = doc.hover(params.position.line, params.position.character) if doc else None
        return t.Hover(contents=t.MarkupContent(kind=t.MarkupKind.Markdown, value=text)) if text else None

    @server.feature(t.TEXT_DOCUMENT_DEFINITION)
    def definition(ls: LanguageServer, params: t.DefinitionParams) -> t.Location | None:
        doc = docs.get(params.text_document.uri)
        span = doc.definition(params.position.line, params.position.character) if doc else None
        return t.Location(uri=params.text_document.uri, range=_range(span)) if span else None

    server.start_io()


def _path(uri: str) -> str:
    from urllib.parse import unquote, urlparse

    parsed = urlparse(uri)
    return unquote(parsed.path) if parsed.scheme == "file" else uri


__all__ = ["Declared", "Document", "serve"]
