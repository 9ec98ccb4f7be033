"""`idxc diff OLD.idx NEW.idx`: what a reviewer of a methodology change needs, in the
order they ask for it.

1. What changed in the method: every statement (table, param, scale, def, let, output)
   added, removed or changed, by name, the old and new text side by side with their
   lines. Comments, blank lines and spacing do not count.
2. What changed in the SQL `idxc run` executes (a unified diff, line numbers of the
   spec taken out of its comments, so that a statement moved down does not show as a
   change of everything after it).
3. What changed in the results: per output the two runs share, the rows only one has,
   and per column the rows whose value changed, largest change first (COINr's
   `compare_coins`, per column and with the class and rank moves as their own rows).

OLD may be `REV:PATH` (a git revision of a file, `HEAD~1:specs/x.idx`): it is read
with `git show` and checked as if it stood at PATH, so its data files are the same.
"""

from __future__ import annotations

import difflib
import math
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

from .. import ast
from ..diagnostics import Diagnostic, IdxError

if TYPE_CHECKING:
    from ..api import Spec

TOLERANCE = 1e-9  # relative: a change below it is rounding, not a change of method


@dataclass(frozen=True)
class Statement:
    kind: str  # table, param, scale, def, let, output, screen, index
    name: str
    text: str  # as written, comments out and each run of spaces one
    line: int

    @property
    def key(self) -> str:
        """What is compared: the text without the spaces around punctuation either."""
        return re.sub(r"\s*([(),:=+*/^<>-])\s*", r"\1", self.text)


@dataclass(frozen=True)
class Change:
    kind: str
    name: str
    old: Statement | None  # None: added
    new: Statement | None  # None: removed

    @property
    def what(self) -> str:
        return "added" if self.old is None else "removed" if self.new is None else "changed"


@dataclass(frozen=True)
class Moved:
    """One row's value of one column in the two runs."""

    key: tuple[Any, ...]
    old: Any
    new: Any

    @property
    def delta(self) -> float | None:
        if _number(self.old) and _number(self.new):
            return float(self.new) - float(self.old)
        return None


@dataclass(frozen=True)
class ColumnDiff:
    column: str
    changed: list[Moved]  # largest change first; text columns (a class) in key order
    compared: int  # rows both runs have


@dataclass(frozen=True)
class OutputDiff:
    name: str
    keys: tuple[str, ...]
    only_old: list[tuple[Any, ...]]
    only_new: list[tuple[Any, ...]]
    columns: list[ColumnDiff]
    note: str = ""  # why it is not compared, when it is not


def read_old(reference: str) -> tuple[str, str]:
    """The text of OLD and the path it is checked at: a file, or `REV:PATH` from git."""
    path = Path(reference)
    if path.is_file():
        return path.read_text(encoding="utf-8"), str(path)
    rev, sep, name = reference.partition(":")
    if not sep or not name:
        raise IdxError(Diagnostic("error", f"no spec file {reference}",
                                  hint="give a file, or a git revision of one as REV:PATH (HEAD~1:specs/x.idx)"))
    target = Path(name)
    try:
        top = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=target.parent if target.parent.is_dir() else ".",
                             capture_output=True, text=True, check=True).stdout.strip()
        inside = (target.resolve()).relative_to(Path(top).resolve()).as_posix()
        shown = subprocess.run(["git", "show", f"{rev}:{inside}"], cwd=top, capture_output=True, text=True, check=True)
    except (subprocess.CalledProcessError, FileNotFoundError, ValueError) as err:
        detail = getattr(err, "stderr", "") or str(err)
        raise IdxError(Diagnostic("error", f"cannot read {reference} from git: {detail.strip().splitlines()[-1] if detail.strip() else err}",
                                  hint="REV:PATH names a revision git knows and a file of this repository")) from None
    return shown.stdout, str(target)


def statements(module: ast.Module) -> dict[tuple[str, str], Statement]:
    """Each named statement of a spec, its text without comments and spacing."""
    lines = module.source.splitlines()
    found: dict[tuple[str, str], Statement] = {}
    for st in module.statements:
        kind = type(st).__name__.lower()
        name = getattr(st, "name", None) or ("" if kind == "index" else "(unnamed)")
        span = st.span
        text = "\n".join(lines[span.line - 1:span.end_line]) if span.line else ""
        found[(kind, name)] = Statement(kind, name, _canonical(text), span.line)
    return found


def _canonical(text: str) -> str:
    """A statement as shown and compared: comments out, runs of spaces one, lines joined."""
    kept = [re.sub(r"\s+", " ", _uncommented(line)).strip() for line in text.splitlines()]
    return " ".join(k for k in kept if k)


def _uncommented(line: str) -> str:
    """The line before its `#` comment (a `#` inside a quoted string is text)."""
    quoted = False
    for i, ch in enumerate(line):
        if ch == '"':
            quoted = not quoted
        elif ch == "#" and not quoted:
            return line[:i]
    return line


def changes(old: ast.Module, new: ast.Module) -> list[Change]:
    a, b = statements(old), statements(new)
    found = [Change(k[0], k[1], a.get(k), b.get(k)) for k in dict.fromkeys([*b, *a])
             if a.get(k) is None or b.get(k) is None or a[k].key != b[k].key]
    order = {"index": 0, "table": 1, "param": 2, "scale": 3, "def": 4, "let": 5, "screen": 6, "output": 7}
    return sorted(found, key=lambda c: (order.get(c.kind, 9), cast(Statement, c.new or c.old).line))  # one side at least


def reached(spec: "Spec") -> dict[tuple[str, str], list[str]]:
    """For each let, param, scale and def, the outputs whose columns reach it: what a
    change of it can move."""
    from ..semantics import model as m

    model = spec.model
    found: dict[tuple[str, str], list[str]] = {}
    for out in model.outputs.values():
        seen: set[str] = set()
        todo = [model.lookup(c.source, out.name) for c in out.columns]
        while todo:
            d = todo.pop()
            if d is None or d.name in seen:
                continue
            seen.add(d.name)
            found.setdefault(("let", d.name), []).append(out.name)
            for n in m.walk(d.expr):
                if isinstance(n, m.Param):
                    _add(found, ("param", n.name), out.name)
                elif isinstance(n, m.Classify):
                    _add(found, ("scale", n.scale), out.name)
                elif isinstance(n, m.Apply):
                    _add(found, ("def", n.func), out.name)
            todo += [model.lookup(r.name, out.name) for r in m.refs(d.expr)]
    return found


def _add(found: dict[tuple[str, str], list[str]], key: tuple[str, str], output: str) -> None:
    if output not in found.setdefault(key, []):
        found[key].append(output)


def sql_diff(old: "Spec", new: "Spec", old_name: str, new_name: str) -> list[str]:
    """The unified diff of the two scripts, spec line numbers taken out of the comments."""
    def lines(spec: "Spec") -> list[str]:
        text = spec.script().replace(Path(spec.model.path).name, "spec.idx")  # the file's name is not the method
        return re.sub(r"(\b[\w.-]+\.idx):\d+", r"\1", text).splitlines()

    return list(difflib.unified_diff(lines(old), lines(new), old_name, new_name, n=2, lineterm=""))


def results(old: "Spec", new: "Spec", old_data: Any = None, new_data: Any = None) -> list[OutputDiff]:
    shared = [o for o in new.outputs if o in old.outputs]
    before, after = old.run(old_data, shared).tables, new.run(new_data, shared).tables
    return [_output(o, new.model.outputs[o].keys, old.model.outputs[o].keys, before[o].to_pylist(),
                    after[o].to_pylist()) for o in shared]


def _output(name: str, keys: tuple[str, ...], old_keys: tuple[str, ...], old: list[dict], new: list[dict]) -> OutputDiff:
    if tuple(keys) != tuple(old_keys):
        return OutputDiff(name, keys, [], [], [], note=f"its keys changed (by {', '.join(old_keys) or 'nothing'} → "
                                                       f"by {', '.join(keys) or 'nothing'}): rows not compared")
    a = {tuple(r[k] for k in keys): r for r in old}
    b = {tuple(r[k] for k in keys): r for r in new}
    columns = [c for c in (new[0] if new else {}) if c not in keys and (not old or c in old[0])]
    both = [k for k in b if k in a]
    diffs = []
    for c in columns:
        moved = [Moved(k, a[k].get(c), b[k].get(c)) for k in both if not _same(a[k].get(c), b[k].get(c))]
        moved.sort(key=lambda x: (-(abs(x.delta) if x.delta is not None else math.inf), str(x.key)))
        diffs.append(ColumnDiff(c, moved, len(both)))
    return OutputDiff(name, keys, sorted((k for k in a if k not in b), key=str),
                      sorted((k for k in b if k not in a), key=str), diffs)


def _number(v: Any) -> bool:
    return isinstance(v, (int, float)) and not isinstance(v, bool) and math.isfinite(v)


def _same(x: Any, y: Any) -> bool:
    if _number(x) and _number(y):
        return abs(float(x) - float(y)) <= TOLERANCE * max(abs(float(x)), abs(float(y)), 1e-300)
    return x == y


def render(found: list[Change], sql: list[str], effects: list[OutputDiff] | None, old_name: str, new_name: str,
           top: int = 10, reach: dict[tuple[str, str], list[str]] | None = None) -> str:
    out = [f"--- {old_name}", f"+++ {new_name}", ""]
    out.append(f"method: {len(found)} statement(s) changed" if found else "method: no statement changed")
    for c in found:
        where = f"  (line {c.new.line})" if c.new else f"  (was line {cast(Statement, c.old).line})"  # removed: old is there
        outputs = (reach or {}).get((c.kind, c.name))
        out.append(f"  {c.what} {c.kind} {c.name}{where}" + (f", reaches output {', '.join(outputs)}" if outputs else ""))
        if c.old is not None:
            out.append(f"    - {c.old.text}  [line {c.old.line}]")
        if c.new is not None:
            out.append(f"    + {c.new.text}  [line {c.new.line}]")
    out += ["", f"sql: {sum(1 for x in sql if x[:1] in '+-' and x[:3] not in ('+++', '---'))} line(s) changed"]
    out += ["  " + x for x in sql[2:]]
    if effects is not None:
        out += ["", "results:"]
        for o in effects:
            out += _render_output(o, top)
    return "\n".join(out).rstrip() + "\n"


def _render_output(o: OutputDiff, top: int) -> list[str]:
    head = f"  output {o.name} (by {', '.join(o.keys) or 'nothing'})"
    if o.note:
        return [f"{head}: {o.note}"]
    changed = [c for c in o.columns if c.changed]
    if not changed and not o.only_old and not o.only_new:
        return [f"{head}: the same rows and values"]
    out = [head + ":"]
    if o.only_old:
        out.append(f"    {len(o.only_old)} row(s) only before: {', '.join(map(_key, o.only_old[:top]))}")
    if o.only_new:
        out.append(f"    {len(o.only_new)} row(s) only after: {', '.join(map(_key, o.only_new[:top]))}")
    for c in o.columns:
        if not c.changed:
            continue
        out.append(f"    {c.column}: {len(c.changed)} of {c.compared} row(s) changed"
                   + (", largest first" if c.changed[0].delta is not None else ""))
        for x in c.changed[:top]:
            delta = f"  ({x.delta:+.6g})" if x.delta is not None else ""
            out.append(f"      {_key(x.key)}: {_value(x.old)} → {_value(x.new)}{delta}")
        if len(c.changed) > top:
            out.append(f"      … {len(c.changed) - top} more")
    return out


def _key(k: tuple[Any, ...]) -> str:
    return " ".join(str(v) for v in k) or "(the one row)"


def _value(v: Any) -> str:
    if v is None:
        return "missing"
    return f"{v:.6g}" if isinstance(v, float) else str(v)


__all__ = ["Change", "ColumnDiff", "OutputDiff", "changes", "reached", "read_old", "render", "results", "sql_diff",
           "statements"]
