"""User functions, inlined: an application `f(a, b)` is its body with each parameter
(`Placeholder`) replaced by the argument. Every meaning is pointwise or defined on the
rows of its grain, and a body's context is the caller's (docs/reference.md), so the
inlined expression means exactly what the application does."""

from __future__ import annotations

from ..semantics import model as m

_Memo = dict[int, tuple[m.Expr, m.Expr]]  # by identity; the node kept alive beside its replacement


class Inliner:
    def __init__(self) -> None:
        self._outside: _Memo = {}  # outside any body, a node means the same wherever it is

    def __call__(self, e: m.Expr) -> m.Expr:
        return self._inline(e, None, self._outside)

    def _inline(self, e: m.Expr, args: tuple[m.Expr, ...] | None, memo: _Memo) -> m.Expr:
        if isinstance(e, m.Placeholder):
            assert args is not None, "a parameter outside its function's body"
            return args[e.index]
        found = memo.get(id(e))
        if found is not None:
            return found[1]
        if isinstance(e, m.Apply):
            given = tuple(self._inline(a, args, memo) for a in e.args)
            new = self._inline(e.body, given, {})  # one memo per application: its parameters mean its arguments
        else:
            new = m.with_children(e, [self._inline(k, args, memo) for k in m.children(e)])
        memo[id(e)] = (e, new)
        return new
