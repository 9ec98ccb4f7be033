"""`idxc fmt SPEC [--check]`: one canonical layout for a spec, so that a diff between two
versions of a methodology shows what changed in it, not in its spacing.

The layout keeps the author's lines (where a statement breaks, comments, blank lines
between paragraphs) and fixes everything else:

- statements at column 1; a line that continues inside a bracket starts just after the
  innermost bracket still open above it; any other continuation (a table's or a scale's
  items, an output's columns) is indented by two spaces;
- one space around binary operators, `=`, `??`, after commas and colons; none inside
  brackets, before commas, around `..`, between a function and its `(`, after a unary
  minus;
- in a table or a scale, the doc strings of one-column lines and the bands' intervals
  and labels are aligned into columns;
- a comment keeps its text, two spaces after the code it follows; no trailing blanks, at
  most one blank line in a row, one newline at the end.

Formatting never changes meaning: the result is parsed again and must give the same
syntax tree (spans aside), else nothing is written. Formatting twice changes nothing.
"""

from __future__ import annotations

import re
from dataclasses import fields, is_dataclass
from typing import Any, cast

from .. import ast
from ..diagnostics import Diagnostic, IdxError
from ..parse import parse

_TOKEN = re.compile(r"""
    (?P<comment>\#[^\n]*)
  | (?P<string>"(?:[^"\\\n]|\\.)*")
  | (?P<quoted>`[^`\n]+`)
  | (?P<period>\d{4}(?:Q[1-4]|-\d\d)(?!\w))
  | (?P<number>\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\.\.|\?\?|==|!=|<=|>=|[-+*/^<>=(),:\[\]])
  | (?P<space>[ \t\f]+)
  | (?P<other>.)
""", re.VERBOSE)
KEYWORDS = {"if", "then", "else", "and", "or", "not", "over", "by", "in", "at", "as", "from", "ties", "direction",
            "present", "power", "where", "unclipped", "desc", "asc", "let", "def", "param", "table", "scale", "output",
            "index", "screen", "of", "availability", "encoding", "sheet", "is", "missing", "framework", "flags", "header",
            "row"}  # `long(`, `wide(`, `sheets(`, `sdmx(` read as calls
OPENERS, CLOSERS = "([", ")]"
BINARY = {"+", "-", "*", "/", "^", "<", ">", "<=", ">=", "==", "!=", "=", "??"}


def tokens(line: str) -> list[tuple[str, str]]:
    """A line's tokens as (kind, text), spaces dropped."""
    return [(kind, text) for kind, text, _ in _positioned(line)]


def _unary(prev: tuple[str, str] | None) -> bool:
    """A minus is a sign where no operand precedes it."""
    return prev is None or prev[1] in (*OPENERS, ",", ":", "..", *BINARY) or (prev[0] == "name" and prev[1] in KEYWORDS)


def _space(prev: tuple[str, str] | None, prev2: tuple[str, str] | None, tok: tuple[str, str]) -> str:
    """The space written between two tokens."""
    kind, text = tok
    if prev is None:
        return ""
    pk, pt = prev
    if kind == "comment":
        return "  "
    if pt in OPENERS or text in (*CLOSERS, ",", ":", "..") or pt == "..":
        return ""
    if pt == "-" and _unary(prev2):
        return ""
    if text in ("(", "[") and pk in ("name", "quoted") and pt not in KEYWORDS:
        return ""  # a call
    return " "


def format_line(line: str) -> str:
    """One line's code with canonical spacing (its indentation is decided elsewhere)."""
    out: list[str] = []
    seen: list[tuple[str, str]] = []
    for tok in tokens(line):
        prev = seen[-1] if seen else None
        prev2 = seen[-2] if len(seen) > 1 else None
        out.append(_space(prev, prev2, tok) + tok[1])
        seen.append(tok)
    return "".join(out)


def _depths(line: str, stack: list[int], indent: int) -> list[int]:
    """The columns just after each bracket still open at the end of `line` (written at
    `indent`), given those open before it."""
    stack = list(stack)
    for kind, text, start in _positioned(line):
        if kind in ("string", "comment", "quoted"):
            continue
        if text in OPENERS:
            stack.append(indent + start + 1)
        elif text in CLOSERS and stack:
            stack.pop()
    return stack


def _positioned(line: str) -> list[tuple[str, str, int]]:
    """A line's tokens as (kind, text, column), spaces dropped."""
    return [(cast(str, m.lastgroup), m.group(), m.start()) for m in _TOKEN.finditer(line)  # every alternative is named
            if m.lastgroup != "space"]


def layout(text: str) -> str:
    """The canonical layout of a spec's text (not yet checked to mean the same)."""
    lines = text.replace("\r\n", "\n").replace("\r", "\n").lstrip("\ufeff").split("\n")
    out: list[str] = []
    open_at: list[int] = []
    block: str | None = None  # "table" or "scale" while in its body
    body: list[int] = []  # indices in `out` of the block's item lines, aligned at its end
    for raw in lines:
        stripped = raw.strip()
        if not stripped:
            _align(out, body, block)
            body = []
            if out and out[-1] != "":
                out.append("")
            continue
        starts_statement = not raw[:1].isspace() and not open_at
        if starts_statement:
            _align(out, body, block)
            body = []
            first = tokens(stripped)[0][1] if tokens(stripped) else ""
            block = first if first in ("table", "scale") else None
            indent = 0
        elif stripped.startswith("#") and not open_at:
            indent = 0 if not raw[:1].isspace() else 2
        else:
            indent = open_at[-1] if open_at else 2
        code = format_line(stripped)
        if block and not starts_statement and not open_at and not stripped.startswith("#"):
            body.append(len(out))
        out.append(" " * indent + code)
        open_at = _depths(code, open_at, indent)
    _align(out, body, block)
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n"


def _align(out: list[str], body: list[int], block: str | None) -> None:
    """A table's one-column lines with their doc strings in one column; a scale's bands
    with intervals and labels in columns."""
    if not body or block is None:
        return
    split = [_cells(out[i].strip(), block) for i in body]
    if block == "table":
        rows = [(i, cells) for i, cells in zip(body, split) if cells is not None and len(cells) in (2, 3)]
    else:
        rows = [(i, cells) for i, cells in zip(body, split) if cells is not None]
    if len(rows) < 2:
        return
    width = max(len(c) for _, cells in rows for c in cells[:1])
    wide2 = max(len(cells[1]) for _, cells in rows if len(cells) > 2) if any(len(c) > 2 for _, c in rows) else 0
    gap = "  " if block == "table" else " "  # a column and its doc; a band's code and its interval
    for i, cells in rows:
        head = cells[0].ljust(width) + gap + (cells[1].ljust(wide2) if len(cells) > 2 else cells[1])
        rest = "  ".join(cells[2:])
        out[i] = "  " + (head + ("  " + rest if rest else "")).rstrip()


def _cells(line: str, block: str) -> list[str] | None:
    """The columns of an item line: a table's `name [attribute]` and its doc string (and
    a trailing comment); a scale's code, interval, label (and comment)."""
    toks = _positioned(line)
    if not toks:
        return None
    comment = [line[t[2]:] for t in toks if t[0] == "comment"]
    code = [t for t in toks if t[0] != "comment"]
    if block == "table":
        if not code or code[-1][0] != "string" or any(t[1] == "," for t in code):
            return None
        doc_start = code[-1][2]
        return [line[:doc_start].rstrip(), line[doc_start:(toks[-1][2] if comment else None)].rstrip(), *comment]
    if len(code) < 6 or code[0][0] != "string":
        return None
    closing = next((k for k, t in enumerate(code) if t[1] in (")", "]") and k > 1), None)
    if closing is None:
        return None
    end_interval = code[closing][2] + 1
    label = line[end_interval:(toks[-1][2] if comment else None)].strip()
    cells = [line[:code[1][2]].rstrip(), line[code[1][2]:end_interval]]
    return [*cells, label, *comment] if label or comment else cells


def _shape(node: Any) -> Any:
    """A syntax tree without its spans and source text: what formatting must keep."""
    if isinstance(node, ast.Module):
        return _shape(node.statements)
    if is_dataclass(node):
        return (type(node).__name__, tuple(_shape(getattr(node, f.name)) for f in fields(node)
                                           if f.name not in ("span", "name_span", "func_span")))
    if isinstance(node, (list, tuple)):
        return tuple(_shape(x) for x in node)
    return node


def format_spec(text: str, path: str = "<spec>") -> str:
    """The spec in its canonical layout, checked to parse to the same tree."""
    before = parse(text, path)
    formatted = layout(text)
    try:
        after = parse(formatted, path)
    except IdxError as err:
        raise IdxError(Diagnostic("error", f"{path}: formatting would break the spec ({err.diagnostics[0].message}); "
                                  "nothing was written", hint="please report this spec")) from None
    if _shape(before) != _shape(after):
        raise IdxError(Diagnostic("error", f"{path}: formatting would change the spec's meaning; nothing was written",
                                  hint="please report this spec"))
    return formatted


__all__ = ["format_line", "format_spec", "layout"]
