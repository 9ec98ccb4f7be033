"""Indicator frameworks from metadata: `framework NAME from "meta.csv"` and its rules,
expanded into the lets they stand for before the spec is checked.

A composite of 30–100 indicators keeps its tree in a table (COINr's iMeta): each row a
code, its parent, its weight in the parent, its direction, its denominator, its name.
The spec says the method once:

    framework asem from "asem_meta.csv"
      indicators = score(x)          # every indicator; x is its column (÷ its denominator)
      worse = score_worse(x)         # indicators of direction -1
      aggregates = mean              # each parent: the weighted mean of its children

and this module writes what a generator script used to: one `let n_CODE = score(...)`
per indicator and one `let CODE = mean(child: weight, ...)` per aggregate, in the
framework's place, each with its name as doc string. A table's column line
`framework asem` declares every indicator and denominator column the metadata names.
The checker sees plain lets (and reports their errors at the framework's rule); the
metadata's own mistakes (an unknown parent, a weight that is not a number, a code
twice, an indicator that is no column) are reported at the metadata file's row. The
stacked layout of a def applied to many columns (planning/stack.py) keeps the SQL growing with
the method, not with the indicators.
"""

from __future__ import annotations

import csv
import math
from collections.abc import Iterable
from dataclasses import dataclass, replace
from pathlib import Path

from .. import ast
from ..diagnostics import Diagnostic, IdxError, did_you_mean

HEADERS = {"code": ("code", "icode"), "parent": ("parent",), "weight": ("weight",), "direction": ("direction",),
           "level": ("level",), "denominator": ("denominator", "denom"), "name": ("name", "iname"),
           "type": ("type",)}
ROLES = ("indicators", "worse", "aggregates")
NODES = {"indicator", "aggregate"}  # COINr's types that are nodes of the tree (not a group or a denominator)


@dataclass(frozen=True)
class Row:
    code: str
    parent: str | None
    weight: float
    direction: int
    denominator: str | None
    name: str | None
    kind: str  # indicator, aggregate, denominator, ...
    line: int  # the metadata file's line


def expand(module: ast.Module) -> ast.Module:
    """The module with every framework's lets in its place and its tables' `framework`
    column lines spelled out (unchanged when it has none)."""
    frameworks = {st.name: st for st in module.statements if isinstance(st, ast.Framework)}
    named = any(isinstance(c, ast.FrameworkColumns) for st in module.statements if isinstance(st, ast.Table)
                for c in st.columns)
    if not frameworks and not named:
        return module
    rows = {name: read(f, module) for name, f in frameworks.items()}
    columns = {name: _columns(r) for name, r in rows.items()}
    statements: list[ast.Statement] = []
    for st in module.statements:
        if isinstance(st, ast.Table):
            statements.append(_table(st, columns, module))
        elif isinstance(st, ast.Framework):
            statements += [st, *lets(st, rows[st.name], module)]
        else:
            statements.append(st)
    declared = {c.name for st in statements if isinstance(st, ast.Table) for c in st.columns}
    for name, f in frameworks.items():
        _all_columns(f, rows[name], declared, module)
    return replace(module, statements=tuple(statements))


def read(f: ast.Framework, module: ast.Module) -> list[Row]:
    path = Path(module.path).parent / f.source.value
    if not path.is_file():
        raise _error(module, f"framework {f.name}: no metadata file {f.source.value}", f.source.span,
                     "give the table of the framework's codes, parents and weights (a CSV file)")
    names, records = _records(path)
    header = {h.strip().lower(): h for h in names}
    field = {k: next((header[a] for a in aliases if a in header), None) for k, aliases in HEADERS.items()}
    if field["code"] is None or field["parent"] is None:
        raise _error(module, f"framework {f.name}: {path.name} has no column 'code' (or iCode) and 'parent'",
                     f.source.span, f"its columns: {', '.join(names)}")
    found = [_row(raw, field, line, path, module) for line, raw in records if any(raw.values())]
    _validate(found, path, module)
    return found


def _records(path: Path) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The table's header and its rows with their line (CSV) or row (a workbook's first
    sheet, its header the first row that is not empty)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        import openpyxl

        sheet = openpyxl.load_workbook(path, read_only=True, data_only=True).worksheets[0]
        rows = [(k, ["" if v is None else str(v) for v in values])
                for k, values in enumerate(sheet.iter_rows(values_only=True), 1)]
        rows = [(k, v) for k, v in rows if any(x.strip() for x in v)]
        if not rows:
            return [], []
        (_, names), body = rows[0], rows[1:]
        return names, [(k, dict(zip(names, values))) for k, values in body]
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        return list(reader.fieldnames or []), [(k + 2, raw) for k, raw in enumerate(reader)]


def _row(raw: dict[str, str], field: dict[str, str | None], line: int, path: Path, module: ast.Module) -> Row:
    def get(k: str) -> str:
        column = field[k]
        return str(raw.get(column) or "").strip() if column else ""

    code = get("code")
    if not code.isidentifier():
        raise _file_error(path, line, f"code {code!r} is not a name the spec can use (letters, digits, _)")
    weight = _number(get("weight") or "1", path, line, "weight")
    direction = _number(get("direction") or "1", path, line, "direction")
    if direction not in (1, -1):
        raise _file_error(path, line, f"direction of {code} is {get('direction')}: write 1 (higher is better) or -1")
    level = get("level").removesuffix(".0")  # a workbook's 1 is 1.0
    kind = get("type").lower() or ("indicator" if level in ("", "1") else "aggregate")
    return Row(code, get("parent") or None, weight, int(direction), get("denominator") or None, get("name") or None,
               kind, line)


def _number(text: str, path: Path, line: int, what: str) -> float:
    try:
        value = float(text)
    except ValueError:
        raise _file_error(path, line, f"{what} {text!r} is not a number") from None
    if not math.isfinite(value):
        raise _file_error(path, line, f"{what} {text!r} is not a finite number")
    return value


def _validate(rows: list[Row], path: Path, module: ast.Module) -> None:
    seen: dict[str, Row] = {}
    for r in rows:
        if r.code in seen:
            raise _file_error(path, r.line, f"code {r.code} is given twice (first on line {seen[r.code].line})")
        seen[r.code] = r
    aggregates = {r.code for r in rows if r.kind == "aggregate"}
    for r in rows:
        if r.kind in NODES and r.parent is not None and r.parent not in aggregates:
            raise _file_error(path, r.line, f"parent {r.parent} of {r.code} is not an aggregate of the framework",
                              did_you_mean(r.parent, aggregates))
        if r.denominator is not None and r.denominator not in seen:
            raise _file_error(path, r.line, f"denominator {r.denominator} of {r.code} is not a code of the framework",
                              did_you_mean(r.denominator, seen))
    for r in rows:  # every chain of parents ends at a root
        chain, at = [r.code], r
        while at.parent is not None:
            if at.parent in chain:
                raise _file_error(path, r.line, f"the parents of {r.code} go round: {' → '.join([*chain, at.parent])}")
            chain.append(at.parent)
            at = seen[at.parent]
    for code in aggregates:
        if not any(r.parent == code for r in rows if r.kind in NODES):
            raise _file_error(path, seen[code].line, f"aggregate {code} has no children")


def lets(f: ast.Framework, rows: list[Row], module: ast.Module) -> list[ast.Let]:
    """The framework's lets: each indicator's rule applied to its column, then each
    aggregate, children first."""
    rules = {r.name.id: r for r in f.rules}
    r: ast.Rule | Row
    for r in f.rules:
        if r.name.id not in ROLES:
            raise _error(module, f"framework {f.name}: unknown rule '{r.name.id}'", r.name.span,
                         did_you_mean(r.name.id, ROLES) or f"the rules: {', '.join(ROLES)}")
    nodes = [r for r in rows if r.kind in NODES]
    made: list[ast.Let] = []
    for r in (n for n in nodes if n.kind == "indicator"):
        rule = rules.get("worse" if r.direction < 0 and "worse" in rules else "indicators")
        if rule is None:
            raise _error(module, f"framework {f.name}: no rule 'indicators' for its indicators", f.span,
                         "add a line: indicators = <formula of x>, x being each indicator's column")
        if r.direction < 0 and "worse" not in rules:
            raise _error(module, f"framework {f.name}: indicator {r.code} has direction -1 and the framework has no "
                         "rule 'worse'", f.span, "add a line: worse = <formula of x> (e.g. with direction -1)")
        x: ast.Expr = ast.Name(r.code, rule.span)
        if r.denominator is not None:
            x = ast.Binary("/", x, ast.Name(r.denominator, rule.span), rule.span)
        value = _substitute(rule.value, x)
        made.append(ast.Let(indicator_let(r.code), value, r.name, rule.span, rule.name.span))
    how = rules.get("aggregates")
    for r in _bottom_up(n for n in nodes if n.kind == "aggregate"):
        if how is None or not isinstance(how.value, ast.Name):
            raise _error(module, f"framework {f.name}: say how each aggregate is made: aggregates = mean (or "
                         "geomean, hmean, sum)", how.span if how else f.span)
        children = [c for c in nodes if c.parent == r.code]
        args = tuple(ast.Arg(ast.Name(indicator_let(c.code) if c.kind == "indicator" else c.code, how.span),
                             ast.Number(_plain(c.weight), how.span), how.span) for c in children)
        made.append(ast.Let(r.code, ast.Call(how.value.id, args, span=how.span, func_span=how.value.span), r.name,
                            how.span, how.name.span))
    return made


def indicator_let(code: str) -> str:
    """The let of an indicator's value after its rule (its column keeps the code)."""
    return f"n_{code}"


def _bottom_up(aggregates: Iterable[Row]) -> list[Row]:
    """Aggregates with their children's aggregates first (by depth from the leaves)."""
    found = list(aggregates)

    def depth(r: Row) -> int:
        return 1 + max((depth(c) for c in found if c.parent == r.code), default=0)

    return sorted(found, key=lambda r: (depth(r), r.line))


def _substitute(e: ast.Expr, x: ast.Expr) -> ast.Expr:
    """The rule with its `x` replaced by the indicator's column (÷ its denominator)."""
    if isinstance(e, ast.Name):
        return x if e.id == "x" else e
    if isinstance(e, ast.Unary):
        return replace(e, operand=_substitute(e.operand, x))
    if isinstance(e, ast.Binary):
        return replace(e, left=_substitute(e.left, x), right=_substitute(e.right, x))
    if isinstance(e, ast.If):
        return replace(e, cond=_substitute(e.cond, x), then=_substitute(e.then, x), orelse=_substitute(e.orelse, x))
    if isinstance(e, ast.At):
        return replace(e, value=_substitute(e.value, x))
    if isinstance(e, ast.Call):
        args = tuple(replace(a, value=_substitute(a.value, x),
                             weight=_substitute(a.weight, x) if a.weight is not None else None) for a in e.args)
        return replace(e, args=args, where=_substitute(e.where, x) if e.where is not None else None)
    return e


def _columns(rows: list[Row]) -> list[ast.Column]:
    """The data columns a framework names: its indicators and its denominators."""
    named = [r for r in rows if r.kind == "indicator"]
    denominators = {r.denominator for r in rows if r.denominator}
    named += [r for r in rows if r.code in denominators and r.kind != "indicator"]
    return [ast.Column(r.code, False, r.name) for r in named]


def _table(st: ast.Table, columns: dict[str, list[ast.Column]], module: ast.Module) -> ast.Table:
    if not any(isinstance(c, ast.FrameworkColumns) for c in st.columns):
        return st
    spelled: list[ast.Column] = []
    for c in st.columns:
        if isinstance(c, ast.FrameworkColumns):
            if c.framework.id not in columns:
                raise _error(module, f"table {st.name}: no framework {c.framework.id}", c.framework.span,
                             did_you_mean(c.framework.id, columns))
            spelled += [replace(x, span=c.span) for x in columns[c.framework.id]]
        else:
            spelled.append(c)
    return replace(st, columns=tuple(spelled))


def _all_columns(f: ast.Framework, rows: list[Row], declared: set[str], module: ast.Module) -> None:
    """Every indicator and denominator the metadata names is a column of a table."""
    path = Path(module.path).parent / f.source.value
    for r in rows:
        needed = [r.code] if r.kind == "indicator" else []
        needed += [r.denominator] if r.denominator else []
        for code in needed:
            if code not in declared:
                raise _file_error(path, r.line, f"{code} is no column of any table of the spec",
                                  did_you_mean(code, declared) or f"declare it, or give the table the line: "
                                  f"framework {f.name}")


def _plain(v: float) -> float | int:
    return int(v) if v.is_integer() else v


def _error(module: ast.Module, message: str, span: ast.Span | None, hint: str | None = None) -> IdxError:
    return IdxError(Diagnostic("error", message, module.path, module.source, span, hint))


def _file_error(path: Path, line: int, message: str, hint: str | None = None) -> IdxError:
    """A mistake of the metadata file, at its line (its header is line 1), shown as a
    spec's mistake is: file:line, the row, a caret under it (a workbook: its row)."""
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        return IdxError(Diagnostic("error", f"{path.name}, row {line}: {message}", hint=hint))
    text = path.read_text(encoding="utf-8-sig")
    row = text.splitlines()[line - 1] if 0 < line <= len(text.splitlines()) else ""
    return IdxError(Diagnostic("error", message, str(path), text, ast.Span(line, 1, line, max(2, len(row) + 1)), hint))


__all__ = ["expand", "indicator_let", "read"]
