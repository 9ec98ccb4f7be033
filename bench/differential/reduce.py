"""A case made smaller after hypothesis's shrinking, as C-Reduce does for C: delete
statements, output columns, tables, table columns, entities and rows, make layouts
default CSV and values 1, and keep every step that still shows the disagreement.

Hypothesis shrinks the choices the case was drawn from, and a deletion early in a
case (a table, a let) changes every draw after it, so it stops at cases that still
hold unused lets, tables and columns. These deletions are on the case itself."""

from __future__ import annotations

import re
import time
from dataclasses import replace
from typing import Callable, Iterator

from .case import Case, Table
from .oracle import ORACLES, Outcome, run_case
from .report import primary


def coarse(sig: str) -> str:
    """A signature without the construct it blames (deleting columns may move the blame)."""
    return re.sub(r" near \S+", "", sig)


def statements(spec: str) -> list[str]:
    """The spec's statements: each starts at column 1, indented lines continue it."""
    found: list[str] = []
    for line in spec.splitlines():
        if line[:1].isspace() and found:
            found[-1] += "\n" + line
        elif line.strip():
            found.append(line)
    return found


def items(output: str) -> tuple[str, list[str]]:
    """An output statement's head (up to its colon) and its columns."""
    head, _, body = output.partition(":")
    parts, depth, quoted, start = [], 0, False, 0
    for i, ch in enumerate(body):
        if ch == '"':
            quoted = not quoted
        elif not quoted and ch == "(":
            depth += 1
        elif not quoted and ch == ")":
            depth -= 1
        elif not quoted and depth == 0 and ch == ",":
            parts.append(body[start:i].strip())
            start = i + 1
    parts.append(body[start:].strip())
    return head + ":", [p for p in parts if p]


_CLAUSE = re.compile(r"\s+(over|by|in|desc|asc|ties|where|direction|present|power|unclipped)\b")


def subexpressions(expr: str) -> list[str]:
    """The arguments of every call and the contents of every parenthesis in expr,
    shortest first: what an expression may be replaced by to make it smaller."""
    found: set[str] = set()
    for start, ch in enumerate(expr):
        if ch != "(":
            continue
        depth = 0
        for end in range(start, len(expr)):
            depth += {"(": 1, ")": -1}.get(expr[end], 0)
            if depth == 0:
                break
        inner = expr[start + 1:end]
        _, parts = items(":" + inner)
        for part in parts:
            part = part.split(":")[0] if re.search(r":\s*[\w.]+\s*$", part) else part  # a weight
            cut = _CLAUSE.search(_masked(part))
            found.add((part[:cut.start()] if cut else part).strip())
    return sorted((f for f in found if f and f != expr.strip()), key=len)


def _masked(text: str) -> str:
    """text with everything inside parentheses blanked, so a clause is found at depth 0."""
    out, depth = [], 0
    for ch in text:
        depth += ch == "("
        out.append(ch if depth == 0 else "_")
        depth -= ch == ")"
    return "".join(out)


def alias(item: str) -> str:
    found = re.search(r"\bas\s+(\w+)\s*$", item)
    return found.group(1) if found else item.strip()


def output_name(head: str) -> str:
    words = head.rstrip(":").split()
    return words[1] if len(words) > 1 and words[1] != "by" else ""


def _rebuild(case: Case, stmts: list[str], tables: list[Table] | None = None) -> Case:
    """The case with these statements (tables regenerated from `tables`)."""
    tables = case.tables if tables is None else tables
    by_name = {t.name: t for t in tables}
    body = []
    for st in stmts:
        name = st.split()[1].rstrip(":") if st.startswith("table ") else None
        if name is not None:
            if name not in by_name:
                continue
            st = by_name[name].statement(case.axes.calendar)
        body.append(st)
    outputs = {}
    for st in body:
        if st.startswith("output"):
            head, cols = items(st)
            name = output_name(head) or ("demo" if any(s.startswith("index demo") for s in body) else "spec")
            outputs[name] = [alias(c) for c in cols]
    keep = lambda o, c: o in outputs and c in outputs[o]  # noqa: E731
    return replace(case, spec="\n".join(body) + "\n", tables=list(tables), outputs=list(outputs),
                   columns={k: v for k, v in case.columns.items() if keep(*k)},
                   uses={k: v for k, v in case.uses.items() if keep(*k)},
                   keys={o: k for o, k in case.keys.items() if o in outputs})


def candidates(case: Case) -> Iterator[Case]:
    """Smaller cases, the largest deletions first."""
    stmts = statements(case.spec)
    outputs = sum(s.startswith("output") for s in stmts)
    for i in reversed(range(len(stmts))):  # a whole statement (tables below, with their data)
        if not stmts[i].startswith("table ") and (outputs > 1 or not stmts[i].startswith("output")):
            yield _rebuild(case, stmts[:i] + stmts[i + 1:])
    for i, st in enumerate(stmts):  # an output's column
        if st.startswith("output"):
            head, cols = items(st)
            for j in reversed(range(len(cols))):
                if len(cols) > 1:
                    yield _rebuild(case, stmts[:i] + [head + " " + ", ".join(cols[:j] + cols[j + 1:])] + stmts[i + 1:])
    for i, st in enumerate(stmts):  # an expression replaced by one of its parts
        if st.startswith("output"):
            head, cols = items(st)
            for j, col in enumerate(cols):
                expr, named = (col.rsplit(" as ", 1) + [""])[:2] if " as " in col else (col, "")
                for sub in subexpressions(expr):
                    new = f"{sub} as {named}" if named else f"{sub} as {col}"
                    yield _rebuild(case, stmts[:i] + [head + " " + ", ".join(cols[:j] + [new] + cols[j + 1:])] + stmts[i + 1:])
        elif st.startswith("let "):
            name, _, expr = st[4:].partition(" = ")
            expr = re.sub(r'\s+"[^"]*"\s*$', "", expr)
            for sub in subexpressions(expr):
                yield _rebuild(case, stmts[:i] + [f"let {name} = {sub}"] + stmts[i + 1:])
    for k, t in enumerate(case.tables):
        yield _rebuild(case, stmts, case.tables[:k] + case.tables[k + 1:])  # a table
        if (t.layout, t.format) != ("default", "csv"):
            yield _rebuild(case, stmts, _swap(case.tables, k, replace(t, layout="default", format="csv", labels="label")))
        for c in t.columns:  # a column of a table
            rows = [{n: v for n, v in r.items() if n != c} for r in t.rows]
            cols = [x for x in t.columns if x != c]
            if cols or t.attributes:
                yield _rebuild(case, stmts, _swap(case.tables, k, replace(t, columns=cols, rows=rows)))
    entities = sorted({r[t.entity] for t in case.tables if t.entity for r in t.rows}, key=str)  # type: ignore[index]
    for e in entities:  # an entity, from every table
        yield _rebuild(case, stmts, [replace(t, rows=[r for r in t.rows if not t.entity or r.get(t.entity) != e])
                                     for t in case.tables])
    for k, t in enumerate(case.tables):  # rows, in halves then one by one
        if t.layout in ("wide", "wide1", "series") or len(t.rows) < 2:
            continue
        n = len(t.rows) // 2
        while n >= 1:
            for start in range(0, len(t.rows), n):
                kept = t.rows[:start] + t.rows[start + n:]
                if kept:
                    yield _rebuild(case, stmts, _swap(case.tables, k, replace(t, rows=kept)))
            n //= 2
    for k, t in enumerate(case.tables):  # values made 1
        for i, r in enumerate(t.rows):
            for c in t.columns:
                if r.get(c) is not None and r.get(c) == r.get(c) and r[c] != 1.0:
                    rows = list(t.rows)
                    rows[i] = {**r, c: 1.0}
                    yield _rebuild(case, stmts, _swap(case.tables, k, replace(t, rows=rows)))


def size(case: Case) -> float:
    """What reduction lessens: the text of the spec and data, then the values not 1."""
    values = sum(1 for t in case.tables for r in t.rows for c in t.columns if r.get(c) not in (None, 1.0))
    return len(case.spec) + len(case.data_text()) + 0.01 * values


def _swap(tables: list[Table], k: int, t: Table) -> list[Table]:
    return tables[:k] + [t] + tables[k + 1:]


def reduce(out: Outcome, sig: str, oracles: tuple[str, ...] = ORACLES, budget: float = 60.0,
           run: Callable[[Case], Outcome] | None = None) -> Outcome:
    """The smallest case reached by deletions that keep the signature (coarsely: the
    blamed construct may move), within the time budget."""
    oracles = tuple(o for o in oracles if sig.startswith(o + ":"))
    run = run or (lambda c: run_case(c, oracles=oracles))
    want = coarse(sig)
    best, started = out, time.monotonic()
    improved = True
    while improved and time.monotonic() - started < budget:
        improved = False
        for smaller in candidates(best.case):
            if time.monotonic() - started > budget:
                break
            if size(smaller) >= size(best.case):
                continue
            found = run(smaller)
            main = primary(found)
            if main is not None and coarse(main) == want:
                best, improved = found, True
                break
    return best
