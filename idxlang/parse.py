"""Text → syntax tree (`ast.Module`), with lark's LALR parser.

The language is line-oriented: a statement starts at column 1 and an indented
line continues it. Inside `table` and `scale` bodies every indented line is one
item line, so a band's label can never be mistaken for the next band's code.
The post-lexer below turns newlines into the tokens that say which is which.
"""

from __future__ import annotations

from dataclasses import replace

import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator, cast

from lark import Lark, Token, Transformer
from lark.exceptions import UnexpectedCharacters, UnexpectedEOF, UnexpectedInput, UnexpectedToken

from . import ast
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .layouts import LAYOUTS

_BLOCK_KEYWORDS = {"TABLE", "SCALE", "FRAMEWORK"}
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
        maybe_placeholders=True,
        transformer=_ToAst(),
        cache=True,
    )


# Terminals the grammar names; the others are keywords and punctuation, which rules
# marked `!` keep only so that their nodes' spans start and end where the text does.
_NAMED = frozenset({"NAME", "NUMBER", "STRING", "COMP_OP", "ADD_OP", "MINUS", "MUL_OP", "DIRECTION",
                    "OPEN", "CLOSE", "INF", "ATTRIBUTE"})


def _tspan(tok: Token) -> ast.Span:
    return ast.Span(tok.line or 0, tok.column or 0, tok.end_line or 0, tok.end_column or 0)


def _place(item: object) -> ast.Span | None:
    if isinstance(item, Token):
        return _tspan(item)
    if isinstance(item, list):
        return _cover(item)
    found = getattr(item, "span", None)
    return found if isinstance(found, ast.Span) and found.line else None


def _cover(items: list) -> ast.Span:
    """From the start of the first item placed in the text to the end of the last."""
    placed = [p for p in map(_place, items) if p is not None]
    if not placed:
        return ast.Span(0, 0, 0, 0)
    return ast.Span(placed[0].line, placed[0].column, placed[-1].end_line, placed[-1].end_column)


def _kept(items: list) -> list:
    """The items a rule's meaning needs: without its keywords and punctuation."""
    return [i for i in items if not (isinstance(i, Token) and i.type not in _NAMED)]


def _name(tok: Token) -> str:
    text = str(tok)
    return text[1:-1] if text.startswith("`") else text


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _string(tok: Token) -> str:
    """A string's text: `\\"`, `\\\\`, `\\n` and `\\t` read as such, any other backslash kept
    as written (a Windows path, a regular expression)."""
    body = str(tok)[1:-1]
    return re.sub(r"\\(.)", lambda m: _ESCAPES.get(m.group(1), m.group()), body) if "\\" in body else body


def _number(tok: Token) -> float | int:
    """A number as written; one beyond what a double holds is an error where it stands."""
    text = str(tok)
    try:
        value = int(text) if text.isdigit() else float(text)
        finite = math.isfinite(float(value))
    except (OverflowError, ValueError):
        finite = False
    if finite and isinstance(value, int) and value > 2**53:  # beyond exact integers: a double, as SQL would read it
        value = float(value)
    if not finite:
        raise IdxError(Diagnostic("error", f"the number {text[:30]}{'...' if len(text) > 30 else ''} is out of "
                                  "range (a double holds at most about 1.8e308)", span=_tspan(tok)))
    return value


def _ident(tok: Token) -> ast.Name:
    return ast.Name(_name(tok), _tspan(tok))


_ARGUMENTS = 'a column\'s name as a name (indicator), a pattern as a string ("{variable}_{period}"), periods as first..last'


@dataclass(frozen=True)
class _Placed:
    """A node with the whole text it came from (a column's span is its name's)."""

    node: object
    span: ast.Span


class _ToAst(Transformer):
    """Grammar rules → ast dataclasses, one method per rule, called by the parser as it
    reduces (no parse tree is built: half the parsing time went to building it)."""

    def start(self, items: list[Any]) -> list[ast.Statement]:
        return list(items)

    # statements
    def index_decl(self, items: list[Any]) -> ast.Index:
        name, title = _kept(items)
        return ast.Index(_name(name), _string(title) if title else None, _cover(items))

    def entity_axes(self, items: list[Any]) -> tuple[ast.Name, ast.Name | None, ast.Name | None]:
        entity, time, calendar = items
        return (_ident(entity), _ident(time) if time else None, _ident(calendar) if calendar else None)

    def time_axes(self, items: list[Any]) -> tuple[None, ast.Name, ast.Name | None]:
        time, calendar = items
        return (None, _ident(time), _ident(calendar) if calendar else None)

    def source(self, items: list[Any]) -> tuple[ast.String | None, ast.Layout | None, ast.String | None,
                                                 tuple[ast.String, ...], ast.Part | None, tuple[ast.String, ...],
                                                 ast.Number | None]:
        path, layout, encoding, markers, flags, part, header = _kept(items)
        text = lambda tok: ast.String(_string(tok), _tspan(tok)) if tok else None  # noqa: E731
        return text(path), layout, text(encoding), markers or (), part, flags or (), header

    def missing_markers(self, items: list[Any]) -> tuple[ast.String, ...]:
        return tuple(ast.String(_string(tok), _tspan(tok)) for tok in _kept(items))

    flag_marks = missing_markers

    def header_row(self, items: list[Any]) -> ast.Number:
        (row,) = _kept(items)
        return ast.Number(_number(row), _tspan(row))

    def part(self, items: list[Any]) -> ast.Part:
        kind, name = items
        return ast.Part(str(kind), ast.String(_string(name), _tspan(name)), _cover(items))

    def layout(self, items: list[Any]) -> ast.Layout:
        """A layout by its name and its arguments' kinds (idxlang/layouts/); what they mean
        is checked with the table (semantics/declare.py)."""
        name, *args = (_ident(i) if isinstance(i, Token) and i.type == "NAME" else
                       ast.String(_string(i), _tspan(i)) if isinstance(i, Token) else i for i in _kept(items))
        assert isinstance(name, ast.Name)  # the rule starts with a NAME
        kind = LAYOUTS.get(name.id)
        if kind is None:
            raise IdxError(Diagnostic("error", f"syntax error: no layout '{name.id}'", span=name.span,
                                      hint=did_you_mean(name.id, LAYOUTS) or f"the layouts: {', '.join(LAYOUTS)}"))
        if tuple(type(a) for a in args) != kind.signature:
            raise IdxError(Diagnostic("error", f"syntax error: write the layout as {kind.usage}", span=_cover(items),
                                      hint=_ARGUMENTS))
        return ast.Layout(name, tuple(args), _cover(items))

    def layout_periods(self, items: list[Any]) -> ast.Range:
        first, last = _kept(items)
        return ast.Range(ast.Number(_number(first), _tspan(first)), ast.Number(_number(last), _tspan(last)), _cover(items))

    def column(self, items: list[Any]) -> _Placed:
        name, attr, doc = items
        return _Placed(ast.Column(_name(name), attr is not None, _string(doc) if doc else None, _tspan(name)), _cover(items))

    def column_line(self, items: list[Any]) -> list[_Placed]:
        return [c for c in items if isinstance(c, _Placed)]

    def framework_columns(self, items: list[Any]) -> list[_Placed]:
        name = _kept(items)[-1]
        return [_Placed(ast.FrameworkColumns(_ident(name), _tspan(name)), _cover(items))]

    def framework_rule(self, items: list[Any]) -> ast.Rule:
        name, value = _kept(items)
        return ast.Rule(_ident(name), value, _cover(items))

    def framework_decl(self, items: list[Any]) -> ast.Framework:
        name, path, title, *rules = _kept(items)
        return ast.Framework(_name(name), ast.String(_string(path), _tspan(path)), _string(title) if title else None,
                             tuple(rules), _cover(items))

    def table_decl(self, items: list[Any]) -> ast.Table:
        name, title, axes, source, *lines = _kept(items)
        columns = tuple(c.node for line in lines for c in line)
        path, layout, encoding, markers, part, flags, header = source or (None, None, None, (), None, (), None)
        return ast.Table(_name(name), _string(title) if title else None, axes[0], axes[1], path, columns, _cover(items),
                         layout, encoding, part, axes[2], markers, flags, header)

    def signed_number(self, items: list[Any]) -> ast.Number:
        sign, num = items
        value = _number(num)
        return ast.Number(-value if sign else value, _cover(items))

    def param_decl(self, items: list[Any]) -> ast.Param:
        name, value, doc = _kept(items)
        return ast.Param(_name(name), value.value, _string(doc) if doc else None, _cover(items))

    def screen_decl(self, items: list[Any]) -> ast.Screen:
        table, threshold, *columns = _kept(items)
        names = tuple(_ident(c) for c in columns if c is not None)
        return ast.Screen(_ident(table), ast.Number(_number(threshold), _tspan(threshold)), names, _cover(items))

    def def_decl(self, items: list[Any]) -> ast.Def:
        name, *params, body = _kept(items)
        return ast.Def(_name(name), tuple(_ident(p) for p in params), body, _cover(items))

    def let_decl(self, items: list[Any]) -> ast.Let:
        name, value, doc = _kept(items)
        return ast.Let(_name(name), value, _string(doc) if doc else None, _cover(items), _tspan(name))

    def bound(self, items: list[Any]) -> float:
        sign, value = items
        magnitude = float("inf") if value.type == "INF" else float(_number(value))
        return -magnitude if sign else magnitude

    def band(self, items: list[Any]) -> ast.Band:
        code, opener, low, high, closer, label = items
        low = float("-inf") if low == float("inf") else low  # `(inf, 0]` reads as from minus infinity
        return ast.Band(_string(code), low, high, opener == "[", closer == "]", _string(label) if label else None, _cover(items))

    def scale_decl(self, items: list[Any]) -> ast.Scale:
        name, title, *bands = _kept(items)
        return ast.Scale(_name(name), _string(title) if title else None, tuple(bands), _cover(items))

    def output_item(self, items: list[Any]) -> ast.OutputItem:
        value, alias = items
        return ast.OutputItem(value, _ident(alias) if alias else None, _cover(items))

    def output_decl(self, items: list[Any]) -> ast.Output:
        name, *rest = _kept(items)
        keys = tuple(_ident(k) for k in rest if isinstance(k, Token))
        outs = tuple(i for i in rest if isinstance(i, ast.OutputItem))
        return ast.Output(_name(name) if name else None, keys, outs, _cover(items))

    # expressions
    def number(self, items: list[Any]) -> ast.Number:
        return ast.Number(_number(items[0]), _tspan(items[0]))

    def string(self, items: list[Any]) -> ast.String:
        return ast.String(_string(items[0]), _tspan(items[0]))

    def name(self, items: list[Any]) -> ast.Name:
        return ast.Name(_name(items[0]), _tspan(items[0]))

    def neg(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("-", items[1], _cover(items))

    def not_op(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("not", _kept(items)[0], _cover(items))

    def is_missing(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("is missing", _kept(items)[0], _cover(items))

    def is_not_missing(self, items: list[Any]) -> ast.Unary:
        return ast.Unary("is not missing", _kept(items)[0], _cover(items))

    def if_expr(self, items: list[Any]) -> ast.If:
        cond, then, orelse = _kept(items)
        return ast.If(cond, then, orelse, span=_cover(items))

    def _chain(self, items: list[Any], ops: str | None = None) -> ast.Expr:  # left-associative operator chains
        left = items[0]
        rest = items[1:]
        if ops is not None:
            for right in rest:
                left = ast.Binary(ops, left, right, ast.Span(left.span.line, left.span.column, right.span.end_line, right.span.end_column))
            return left
        for op, right in zip(rest[0::2], rest[1::2]):
            left = ast.Binary(str(op), left, right, ast.Span(left.span.line, left.span.column, right.span.end_line, right.span.end_column))
        return left

    def coalesce(self, items: list[Any]) -> ast.Expr:
        return self._chain(items, "??")

    def or_expr(self, items: list[Any]) -> ast.Expr:
        return self._chain(items, "or")

    def and_expr(self, items: list[Any]) -> ast.Expr:
        return self._chain(items, "and")

    def comparison(self, items: list[Any]) -> ast.Expr:
        return self._chain(items)

    sum = comparison
    term = comparison

    def power(self, items: list[Any]) -> ast.Binary:
        return ast.Binary("^", items[0], items[1], _cover(items))

    def at(self, items: list[Any]) -> ast.At:
        return ast.At(items[0], items[1], _cover(items))

    def period(self, items: list[Any]) -> ast.Period:
        (value,) = items
        if isinstance(value, Token):
            return ast.Label(str(value), _tspan(value)) if value.type == "PERIOD" else _ident(value)
        return value

    def arg(self, items: list[Any]) -> ast.Arg:
        return ast.Arg(items[0], items[1], _cover(items))

    def over(self, items: list[Any]) -> tuple[str, ast.Name | tuple[ast.Name, tuple[ast.Name, ...]]]:
        names = [_ident(t) for t in items[1:] if isinstance(t, Token) and t.type == "NAME"]
        return ("over", names[0]) if len(names) == 1 else ("over", (names[0], tuple(names[1:])))

    def by(self, items: list[Any]) -> tuple[str, ast.Name]:
        return ("by", _ident(items[-1]))

    def within(self, items: list[Any]) -> tuple[str, ast.Range]:
        low, high = _kept(items)
        return ("within", ast.Range(low, high, _cover(items)))

    def direction(self, items: list[Any]) -> tuple[str, str]:
        return ("direction", str(items[0]))

    def polarity(self, items: list[Any]) -> tuple[str, ast.Number]:
        return ("polarity", ast.Number(items[-1].value, _cover(items)))

    def power_clause(self, items: list[Any]) -> tuple[str, ast.Number]:  # genmean(a, b power 2); `power` is the ^ operator
        return ("power", ast.Number(items[-1].value, _cover(items)))

    def where(self, items: list[Any]) -> tuple[str, ast.Expr]:
        return ("where", items[-1])

    def unclipped(self, items: list[Any]) -> tuple[str, bool]:
        return ("unclipped", True)

    def present(self, items: list[Any]) -> tuple[str, ast.Number]:
        return ("present", ast.Number(items[-1].value, _cover(items)))

    def ties(self, items: list[Any]) -> tuple[str, ast.Name]:
        return ("ties", _ident(items[-1]))

    def call(self, items: list[Any]) -> ast.Call:
        func, *rest = _kept(items)
        args = tuple(a for a in rest if isinstance(a, ast.Arg))
        clauses: dict[str, Any] = {}
        for item in rest:
            if isinstance(item, tuple):
                key, value = item
                if key in clauses:
                    raise IdxError(Diagnostic("error", f"'{key}' is given twice in {func}(...)", span=_cover(items),
                                              hint="over two axes: over a, b" if key == "over" else None))
                if key == "over" and isinstance(value, tuple):  # over a, b: the first, and the others
                    value, clauses["over_more"] = value
                clauses[key] = value
        return ast.Call(_name(func), args, span=_cover(items), func_span=_tspan(func), **clauses)


_FRIENDLY = {
    "NAME": "a name",
    "NUMBER": "a number",
    "STRING": "a quoted string",
    "PERIOD": "a period (2024Q1, 2024-03)",
    "COMP_OP": "a comparison (==, !=, <, <=, >, >=)",
    "ADD_OP": "'+' or '-'",
    "MUL_OP": "'*' or '/'",
    "DIRECTION": "'asc' or 'desc'",
    "OPEN": "'[' or '('",
    "CLOSE": "']' or ')'",
    "CALENDAR": "'yearly', 'quarterly' or 'monthly'",
    "$END": "the end of the file",
}
_VALUE = {"NAME", "NUMBER", "STRING", "LPAR", "MINUS"}  # what can start a value
_LAYOUT = {"_NL", "_LINE"}  # where a line ends or continues: never what to type
STATEMENTS = ("index", "table", "param", "def", "let", "scale", "output", "screen", "framework")


def _terminal(name: str) -> str:
    """What a terminal looks like to the user: its literal text, or a description;
    never the grammar's name for it (CIRCUMFLEX, LPAR)."""
    if name in _FRIENDLY:
        return _FRIENDLY[name]
    found = next((t for t in parser().terminals if t.name == name), None)
    if found is not None and found.pattern.type == "str":
        return repr(found.pattern.value)
    return repr(name.lower())


def _describe_expected(expected: set[str]) -> str:
    if _VALUE <= expected:  # after an operator, a comma or '(': a value, whatever else would do
        return "a value: a number, a name, a quoted string, '(' or '-'"
    names = sorted({_terminal(e) for e in expected if e not in _LAYOUT}) or ["a new line"]
    if len(names) > 8:
        names = names[:8] + ["..."]
    return ", ".join(names)


def _syntax_error(err: UnexpectedInput, path: str, text: str) -> IdxError:
    line, column = getattr(err, "line", 0) or 0, getattr(err, "column", 0) or 0
    hint: str | None
    if isinstance(err, UnexpectedCharacters):
        pos = cast(int, err.pos_in_stream)  # lark declares it None on the base class; the lexer sets it
        char = text[pos] if pos < len(text) else ""
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
        after = _before(text, line, column)
        wanted = _describe_expected(set(err.expected))
        hint = f"expected {wanted}" if not after or not wanted.startswith("a value") else \
            f"expected {wanted.replace('a value', f'a value after {after!r}', 1)}"
        if tok.type in ("_NL", "_LINE"):
            # point just after the last thing on the line, where something is missing
            line = tok.line or line
            column = tok.column or column
    unclosed = _unclosed(text, line, column)
    if unclosed is not None and (isinstance(err, UnexpectedEOF) or str(getattr(err, "token", "")) in STATEMENTS
                                 or getattr(getattr(err, "token", None), "type", "") in ("_NL", "$END")):
        (at_line, at_column), closes = unclosed
        return IdxError(Diagnostic("error", f"syntax error: this '{closes[0]}' is never closed", path, text,
                                   ast.Span(at_line, at_column, at_line, at_column + 1),
                                   f"close it with '{closes[1]}' before the statement ends (line {line} starts another)"
                                   if line > at_line else f"close it with '{closes[1]}'"))
    token = getattr(err, "token", None)
    if token is not None and str(token) in STATEMENTS and column > 1:
        return IdxError(Diagnostic("error", f"syntax error: '{token}' is indented, so it continues the statement above",
                                   path, text, ast.Span(line, column, line, column + len(str(token))),
                                   "start each statement at the beginning of its line: an indented line continues "
                                   "the statement above (a table's columns, a scale's bands, a long formula)"))
    width_span = ast.Span(line, column, line, column + 1)
    keyword = _keyword_before(text, line, column)
    if keyword:  # the word is what is wrong, not the comma after it
        word, at = keyword
        return IdxError(Diagnostic("error", f"syntax error: '{word}' is a clause keyword inside a call", path, text,
                                   ast.Span(line, at, line, at + len(word)),
                                   f"to use it as a name there, write it in backquotes: `{word}`"))
    return IdxError(Diagnostic("error", f"syntax error: {message}", path, text, width_span, hint))


def _before(text: str, line: int, column: int) -> str | None:
    """The operator or punctuation just before the error, if that is what it follows."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    found = re.search(r"(\*\*|[-+*/^,(:=<>!?]+)\s*$", lines[line - 1][: max(column - 1, 0)])
    return found.group(1) if found else None


def _unclosed(text: str, line: int, column: int) -> tuple[tuple[int, int], str] | None:
    """The last '(' or '[' opened and not closed in the statement up to the error (quoted
    text, backquoted names and comments aside), with its closing bracket."""
    lines = text.splitlines()
    first = line - 1 if column > 1 else line - 2  # a token at column 1 starts the next statement
    while first > 0 and (first >= len(lines) or not lines[first][:1].strip() or lines[first].startswith("#")
                         or not lines[first].split()[0] in STATEMENTS):
        first -= 1
    opened: list[tuple[int, int, str]] = []
    for k in range(first, min(line, len(lines))):
        row = lines[k] if k < line - 1 else lines[k][: max(column - 1, 0)]
        quote = None
        for j, ch in enumerate(row):
            if quote:
                quote = None if ch == quote else quote
            elif ch in "\"`":
                quote = ch
            elif ch == "#":
                break
            elif ch in "([":
                opened.append((k + 1, j + 1, ch))
            elif ch in ")]" and opened:
                opened.pop()
    if not opened:
        return None
    at_line, at_column, ch = opened[-1]
    return (at_line, at_column), ch + {"(": ")", "[": "]"}[ch]


CLAUSE_WORDS = frozenset({"over", "by", "in", "ties", "asc", "desc", "direction", "present", "power", "unclipped", "where"})


def _keyword_before(text: str, line: int, column: int) -> tuple[str, int] | None:
    """A clause keyword just before the error, which the author most likely meant as a
    name (a column called `power` in `mean(power, x)`), and its column."""
    lines = text.splitlines()
    if not 1 <= line <= len(lines):
        return None
    found = re.search(r"([A-Za-z_]+)\s*$", lines[line - 1][: max(column - 1, 0)])
    return (found.group(1), found.start(1) + 1) if found and found.group(1) in CLAUSE_WORDS else None


def parse(text: str, path: str = "<spec>") -> ast.Module:
    """Parse spec text; raise IdxError naming file:line:col on a syntax error."""
    text = text.removeprefix("\ufeff")  # a byte-order mark an editor wrote
    try:
        # the transformer (`_ToAst.start`) makes the parse's result the list of statements
        statements = cast(list[ast.Statement], parser().parse(text + ("\n" if not text.endswith("\n") else "")))
    except UnexpectedInput as err:
        raise _syntax_error(err, path, text) from None
    except IdxError as err:  # raised by a rule's method, which knows neither file nor text
        d = err.diagnostics[0]
        raise IdxError(Diagnostic(d.severity, d.message, path, text, d.span, d.hint)) from None
    for st in statements:
        _shallow_enough(st, path, text)
    return ast.Module(path, text, tuple(statements))


MAX_DEPTH = 500  # nested calls or operators in one expression: the later stages recurse over them


def _shallow_enough(st: object, path: str, text: str) -> None:
    """Every expression at most MAX_DEPTH deep, measured without recursing."""
    stack: list[tuple[object, int]] = [(st, 0)]
    while stack:
        node, depth = stack.pop()
        if depth > MAX_DEPTH:
            span = getattr(st, "span", None)
            raise IdxError(Diagnostic("error", f"an expression nested more than {MAX_DEPTH} deep", path, text, span,
                                      "name its parts with let, or sum many terms with sum(a, b, ...)"))
        children = (getattr(node, f) for f in getattr(node, "__dataclass_fields__", ()))
        for child in children:
            for item in child if isinstance(child, tuple) else (child,):
                if hasattr(item, "__dataclass_fields__"):  # an operator or call is a level; its parts are not
                    stack.append((item, depth + isinstance(item, (ast.Unary, ast.Binary, ast.If, ast.At, ast.Call))))


def parse_layout(text: str, where: str) -> ast.Layout | None:
    """A layout given on the command line (`--layout panel="long(indicator, value)"`),
    read by the spec's own grammar as the clause after `from "file"`; "wide" alone, or
    an empty text, is the default layout (one column per variable)."""
    if text.strip() in ("", "default", "columns"):
        return None
    module = parse(f'table _t: _e by _p from "_" {text}\n', where)
    table = module.statements[0]
    assert isinstance(table, ast.Table)
    return table.layout


def with_layouts(module: ast.Module, layouts: dict[str, str]) -> ast.Module:
    """The module with the named tables' layouts replaced (the command line's --layout)."""
    tables = {st.name for st in module.statements if isinstance(st, ast.Table)}
    for name in layouts:
        if name not in tables:
            raise IdxError(Diagnostic("error", f"--layout {name}=...: the spec has no table '{name}'",
                                      hint=did_you_mean(name, tables)))
    def placed(st: ast.Table) -> ast.Layout | None:  # its messages point at the table the spec declares
        lay = parse_layout(layouts[st.name], f"--layout {st.name}")
        if lay is None:
            return None
        return replace(lay, span=st.span, args=tuple(replace(a, span=st.span) for a in lay.args))

    statements = tuple(replace(st, layout=placed(st)) if isinstance(st, ast.Table) and st.name in layouts else st
                       for st in module.statements)
    return replace(module, statements=statements)


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
