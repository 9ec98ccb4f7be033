"""Text → syntax tree (`ast.Module`), with lark's LALR parser.

The language is line-oriented: a statement starts at column 1 and an indented
line continues it. Inside `table` and `scale` bodies every indented line is one
item line, so a band's label can never be mistaken for the next band's code.
The post-lexer below turns newlines into the tokens that say which is which.
"""

from __future__ import annotations

import re

from functools import lru_cache
from pathlib import Path
from typing import Iterator

from lark import Lark, Token, Transformer, v_args
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken, VisitError

from . import ast
from .diagnostics import Diagnostic, IdxError

_BLOCK_KEYWORDS = {"TABLE", "SCALE"}
_OPENERS = {"LPAR", "LSQB", "OPEN"}
_CLOSERS = {"RPAR", "RSQB", "CLOSE"}


class LinePostlexer:
    """Decides what a newline means: end of statement, item line, or nothing."""

    always_accept = ("_NL",)

    def process(self, stream: Iterator[Token]) -> Iterator[Token]:
        # Decide on each newline at once, from its own text: the contextual
        # lexer lexes the next token in the parser state the newline leaves.
        depth = 0
        block = False
        at_statement_start = True
        for tok in stream:
            if tok.type == "_NL":
                if depth == 0 and "\n" in tok.value:
                    if tok.value.rsplit("\n", 1)[-1] == "":
                        at_statement_start = True
                        yield tok
                    elif block:
                        yield Token.new_borrow_pos("_LINE", tok.value, tok)
                continue
            if at_statement_start:
                block = tok.type in _BLOCK_KEYWORDS
                at_statement_start = False
            if tok.type in _OPENERS or tok.value in ("(", "["):
                depth += 1
            elif tok.type in _CLOSERS or tok.value in (")", "]"):
                depth = max(0, depth - 1)
            yield tok


def _grammar_path() -> Path:
    # The wheel carries the grammar inside the package; a source checkout keeps
    # it in grammar/ at the project root, where the design card puts it.
    here = Path(__file__).resolve().parent
    for candidate in (here / "grammar" / "idx.lark", here.parent / "grammar" / "idx.lark"):
        if candidate.exists():
            return candidate
    raise FileNotFoundError("idx.lark not found beside the idxlang package")


@lru_cache(maxsize=1)
def parser() -> Lark:
    return Lark(
        _grammar_path().read_text(encoding="utf-8"),
        parser="lalr",
        lexer="contextual",
        postlex=LinePostlexer(),
        propagate_positions=True,
        maybe_placeholders=True,
        cache=True,
    )


def _span(meta) -> ast.Span:  # type: ignore[no-untyped-def]
    if getattr(meta, "empty", True):
        return ast.Span(0, 0, 0, 0)
    return ast.Span(meta.line, meta.column, meta.end_line, meta.end_column)


def _tspan(tok: Token) -> ast.Span:
    return ast.Span(tok.line or 0, tok.column or 0, tok.end_line or 0, tok.end_column or 0)


def _name(tok: Token) -> str:
    text = str(tok)
    return text[1:-1] if text.startswith("`") else text


def _string(tok: Token) -> str:
    return bytes(str(tok)[1:-1], "utf-8").decode("unicode_escape") if "\\" in tok else str(tok)[1:-1]


def _number(tok: Token) -> float | int:
    text = str(tok)
    return int(text) if text.isdigit() else float(text)


@v_args(meta=True)
class _ToAst(Transformer):
    """Lark tree → ast dataclasses, one method per grammar rule."""

    def start(self, meta, items):
        return list(items)

    # statements
    def index_decl(self, meta, items):
        name, title = items
        return ast.Index(_name(name), _string(title) if title else None, _span(meta))

    def entity_axes(self, meta, items):
        entity, time = items
        return (ast.Name(_name(entity), _tspan(entity)), ast.Name(_name(time), _tspan(time)) if time else None)

    def time_axes(self, meta, items):
        (time,) = items
        return (None, ast.Name(_name(time), _tspan(time)))

    def source(self, meta, items):
        return ast.String(_string(items[0]), _tspan(items[0]))

    def column(self, meta, items):
        name, attr, doc = items
        return ast.Column(_name(name), attr is not None, _string(doc) if doc else None, _tspan(name))

    def column_line(self, meta, items):
        return [c for c in items if isinstance(c, ast.Column)]

    def table_decl(self, meta, items):
        name, title, axes, source, *lines = items
        columns = tuple(c for line in lines for c in line)
        return ast.Table(_name(name), _string(title) if title else None, axes[0], axes[1], source, columns, _span(meta))

    def signed_number(self, meta, items):
        sign, num = items
        value = _number(num)
        return -value if sign else value

    def param_decl(self, meta, items):
        name, value, doc = items
        return ast.Param(_name(name), value, _string(doc) if doc else None, _span(meta))

    def screen_decl(self, meta, items):
        table, threshold, *columns = items
        names = tuple(ast.Name(_name(c), _tspan(c)) for c in columns if c is not None)
        return ast.Screen(ast.Name(_name(table), _tspan(table)), ast.Number(_number(threshold), _tspan(threshold)),
                          names, _span(meta))

    def def_decl(self, meta, items):
        name, *params, body = items
        return ast.Def(_name(name), tuple(ast.Name(_name(p), _tspan(p)) for p in params), body, _span(meta))

    def let_decl(self, meta, items):
        name, value, doc = items
        return ast.Let(_name(name), value, _string(doc) if doc else None, _span(meta), _tspan(name))

    def bound(self, meta, items):
        (value,) = items
        if isinstance(value, Token):
            return float("inf")
        return float(value)

    def band(self, meta, items):
        code, opener, low, high, closer, label = items
        if opener == "[" and low == float("inf"):
            low = float("-inf")
        low = float("-inf") if low == float("inf") else low
        return ast.Band(_string(code), low, high, opener == "[", closer == "]", _string(label) if label else None, _span(meta))

    def scale_decl(self, meta, items):
        name, title, *bands = items
        return ast.Scale(_name(name), _string(title) if title else None, tuple(bands), _span(meta))

    def output_item(self, meta, items):
        value, alias = items
        return ast.OutputItem(value, ast.Name(_name(alias), _tspan(alias)) if alias else None, _span(meta))

    def output_decl(self, meta, items):
        name = items[0]
        keys = tuple(ast.Name(_name(k), _tspan(k)) for k in items[1:] if isinstance(k, Token))
        outs = tuple(i for i in items[1:] if isinstance(i, ast.OutputItem))
        return ast.Output(_name(name) if name else None, keys, outs, _span(meta))

    # expressions
    def number(self, meta, items):
        return ast.Number(_number(items[0]), _span(meta))

    def string(self, meta, items):
        return ast.String(_string(items[0]), _span(meta))

    def name(self, meta, items):
        return ast.Name(_name(items[0]), _span(meta))

    def neg(self, meta, items):
        return ast.Unary("-", items[1], _span(meta))

    def not_op(self, meta, items):
        return ast.Unary("not", items[0], _span(meta))

    def if_expr(self, meta, items):
        return ast.If(*items, span=_span(meta))

    def _chain(self, meta, items, ops=None):  # left-associative operator chains
        left = items[0]
        rest = items[1:]
        if ops is not None:
            for right in rest:
                left = ast.Binary(ops, left, right, ast.Span(left.span.line, left.span.column, right.span.end_line, right.span.end_column))
            return left
        for op, right in zip(rest[0::2], rest[1::2]):
            left = ast.Binary(str(op), left, right, ast.Span(left.span.line, left.span.column, right.span.end_line, right.span.end_column))
        return left

    def coalesce(self, meta, items):
        return self._chain(meta, items, "??")

    def or_expr(self, meta, items):
        return self._chain(meta, items, "or")

    def and_expr(self, meta, items):
        return self._chain(meta, items, "and")

    def comparison(self, meta, items):
        return self._chain(meta, items)

    sum = comparison
    term = comparison

    def power(self, meta, items):
        return ast.Binary("^", items[0], items[1], _span(meta))

    def at(self, meta, items):
        return ast.At(items[0], items[1], _span(meta))

    def period(self, meta, items):
        (value,) = items
        if isinstance(value, Token):
            return ast.Name(_name(value), _tspan(value))
        return ast.Number(value, _span(meta))

    def arg(self, meta, items):
        return ast.Arg(items[0], items[1], _span(meta))

    def over(self, meta, items):
        return ("over", ast.Name(_name(items[0]), _tspan(items[0])))

    def by(self, meta, items):
        return ("by", ast.Name(_name(items[0]), _tspan(items[0])))

    def within(self, meta, items):
        return ("within", ast.Range(items[0], items[1], _span(meta)))

    def direction(self, meta, items):
        return ("direction", str(items[0]))

    def polarity(self, meta, items):
        return ("polarity", ast.Number(items[0], _span(meta)))

    def power_clause(self, meta, items):  # genmean(a, b power 2); `power` is the ^ operator
        return ("power", ast.Number(items[0], _span(meta)))

    def where(self, meta, items):
        return ("where", items[0])

    def unclipped(self, meta, items):
        return ("unclipped", True)

    def present(self, meta, items):
        return ("present", ast.Number(items[0], _span(meta)))

    def ties(self, meta, items):
        return ("ties", ast.Name(_name(items[0]), _tspan(items[0])))

    def call(self, meta, items):
        func, *rest = items
        args = tuple(a for a in rest if isinstance(a, ast.Arg))
        clauses: dict = {}
        for item in rest:
            if isinstance(item, tuple):
                key, value = item
                if key in clauses:
                    raise IdxError(Diagnostic("error", f"'{key}' is given twice in {func}(...)", span=_span(meta)))
                clauses[key] = value
        return ast.Call(_name(func), args, span=_span(meta), func_span=_tspan(func), **clauses)


_FRIENDLY = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a quoted string",
    "_NL": "a new line",
    "_LINE": "an indented line",
    "$END": "the end of the file",
    "COLON": "':'",
    "LPAR": "'('",
    "RPAR": "')'",
    "COMMA": "','",
    "EQUAL": "'='",
}


def _describe_expected(expected: set[str]) -> str:
    names = sorted({_FRIENDLY.get(e, repr(e.lower()) if e.isalpha() else e) for e in expected})
    if len(names) > 8:
        names = names[:8] + ["..."]
    return ", ".join(names)


def _syntax_error(err: UnexpectedInput, path: str, text: str) -> IdxError:
    line, column = getattr(err, "line", 0) or 0, getattr(err, "column", 0) or 0
    if isinstance(err, UnexpectedCharacters):
        char = text[err.pos_in_stream] if err.pos_in_stream < len(text) else ""
        message = f"unexpected character {char!r}"
        hint = None
    elif isinstance(err, UnexpectedEOF) or (isinstance(err, UnexpectedToken) and err.token.type == "$END"):
        message = "unexpected end of file"
        hint = f"expected {_describe_expected(set(err.expected))}"
        lines = text.splitlines() or [""]
        line, column = len(lines), len(lines[-1]) + 1
    else:
        assert isinstance(err, UnexpectedToken)
        tok = err.token
        shown = "a new statement" if tok.type == "_NL" else "an indented line" if tok.type == "_LINE" else repr(str(tok))
        message = f"unexpected {shown}"
        hint = f"expected {_describe_expected(set(err.expected))}"
        if tok.type in ("_NL", "_LINE"):
            # point just after the last thing on the line, where something is missing
            line = tok.line or line
            column = tok.column or column
    width_span = ast.Span(line, column, line, column + 1)
    word = _keyword_before(text, line, column)
    if word:
        hint = f"'{word}' is a keyword inside a call; to use it as a name there, write it in backquotes: `{word}`"
    return IdxError(Diagnostic("error", f"syntax error: {message}", path, text, width_span, hint))


CLAUSE_WORDS = frozenset({"over", "by", "in", "ties", "asc", "desc", "direction", "present", "power", "unclipped", "where"})


def _keyword_before(text: str, line: int, column: int) -> str | None:
    """A clause keyword just before the error, which the author most likely meant as a
    name (a column called `power` in `mean(power, x)`)."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    found = re.search(r"([A-Za-z_]+)\s*$", lines[line - 1][: max(column - 1, 0)])
    return found.group(1) if found and found.group(1) in CLAUSE_WORDS else None


def parse(text: str, path: str = "<spec>") -> ast.Module:
    """Parse spec text; raise IdxError naming file:line:col on a syntax error."""
    try:
        tree = parser().parse(text + ("\n" if not text.endswith("\n") else ""))
    except UnexpectedInput as err:
        raise _syntax_error(err, path, text) from None
    try:
        statements = _ToAst().transform(tree)
    except VisitError as err:
        inner = err.orig_exc
        if isinstance(inner, IdxError):
            d = inner.diagnostics[0]
            raise IdxError(Diagnostic(d.severity, d.message, path, text, d.span, d.hint)) from None
        raise
    return ast.Module(path, text, tuple(statements))


def parse_file(path: str | Path) -> ast.Module:
    p = Path(path)
    try:
        text = p.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise IdxError(Diagnostic("error", f"spec file not found: {p}")) from None
    except UnicodeDecodeError as err:
        raise IdxError(Diagnostic("error", f"spec file {p} is not UTF-8 text ({err.reason} at byte {err.start})")) from None
    except OSError as err:
        raise IdxError(Diagnostic("error", f"cannot read spec file {p}: {err.strerror}")) from None
    return parse(text, str(path))


__all__ = ["parse", "parse_file", "parser"]
