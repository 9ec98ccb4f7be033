"""Checked model → core model: every built-in call expanded by its own lowering in the
registry (`builtins/`), inside user functions' bodies too. What a normalisation, a
row-wise mean or a treatment means is stated once, in its family's module."""

from __future__ import annotations

from dataclasses import replace

from ..semantics import model as m
from ..builtins import REGISTRY
from ..builtins.reductions import moments_by_deviations, quantile_by_rank, sd_by_deviations


def lower_expr(e: m.Expr, axes: m.Axes) -> m.Expr:
    """e with its calls expanded, innermost first."""
    def rewrite(node: m.Expr) -> m.Expr | None:
        if isinstance(node, m.Apply):
            return replace(node, args=tuple(lower_expr(a, axes) for a in node.args), body=lower_expr(node.body, axes))
        if not isinstance(node, m.Call):
            return None
        inner = m.transform(node, lambda x: None if x is node else lower_expr(x, axes))
        builtin = REGISTRY[node.func]
        assert isinstance(inner, m.Call) and builtin.lower is not None, node.func
        lowered = builtin.lower(inner, axes)
        return replace(lowered, hint=node.func, label=node.label) if isinstance(lowered, m.Op) else lowered

    return m.transform(e, rewrite)


def lower(model: m.Model) -> m.Model:
    """The model in core nodes, the same for every engine: a construct whose engines'
    own functions would differ is written out alike for all (written_out)."""
    lowered = model.map_exprs(lambda e: lower_expr(e, model.axes))
    return lowered.map_exprs(lambda e: written_out(e, model.axes))


def written_out(e: m.Expr, axes: m.Axes) -> m.Expr:
    """Reductions whose engines' own functions give different values (docs/language.md,
    "One meaning on every engine"), written in reductions every engine computes alike:
    quantiles and medians from ranks, standard deviations, skewness and kurtosis from
    deviations."""
    def rewrite(node: m.Expr) -> m.Expr | None:
        if isinstance(node, m.Apply):
            return replace(node, args=tuple(written_out(a, axes) for a in node.args), body=written_out(node.body, axes))
        if isinstance(node, m.Reduce) and node.func in ("quantile", "median"):
            return quantile_by_rank(replace(node, arg=written_out(node.arg, axes)), axes)
        if isinstance(node, m.Reduce) and node.func == "sd":
            return sd_by_deviations(replace(node, arg=written_out(node.arg, axes)))
        if isinstance(node, m.Reduce) and node.func in ("skew", "kurt"):
            return moments_by_deviations(replace(node, arg=written_out(node.arg, axes)))
        return None

    return m.transform(e, rewrite)
