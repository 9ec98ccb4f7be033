"""Query plan → sqlglot expression trees → SQL text for review and for DuckDB.

Nothing the user wrote is pasted into SQL: names become quoted identifiers and
numbers literals, so the same tree prints for DuckDB and transpiles elsewhere.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlglot import exp
from sqlglot.dialects.dialect import Dialect
from sqlglot.errors import ErrorLevel, UnsupportedError

from . import model as m
from .diagnostics import Diagnostic, IdxError
from .plan import Join, Plan, Step
from .share import SHARED_SCHEMA, RunPlan

INPUT_SCHEMA = "input"


def ident(name: str) -> exp.Identifier:
    return exp.to_identifier(name, quoted=True)


def col(name: str, table: str | None = None) -> exp.Column:
    return exp.Column(this=ident(name), table=ident(table) if table else None)


def lit(value: float | int | str | None) -> exp.Expression:
    if value is None:
        return exp.Null()
    if isinstance(value, str):
        return exp.Literal.string(value)
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return exp.Literal.number(repr(value))
    return exp.Literal.number(str(value)) if value >= 0 else exp.Neg(this=exp.Literal.number(str(-value)))


_PRECEDENCE = {exp.Or: 1, exp.And: 2, exp.Not: 3, exp.EQ: 4, exp.NEQ: 4, exp.LT: 4, exp.LTE: 4, exp.GT: 4,
               exp.GTE: 4, exp.Add: 5, exp.Sub: 5, exp.Mul: 6, exp.Div: 6, exp.Pow: 7, exp.Neg: 8}


def _prec(e: exp.Expression) -> int:
    return _PRECEDENCE.get(type(e), 9)


def binary(cls: type, left: exp.Expression, right: exp.Expression) -> exp.Expression:
    """A binary node with parentheses only where precedence needs them."""
    p = _prec(cls(this=None, expression=None))
    if _prec(left) < p:
        left = exp.Paren(this=left)
    if _prec(right) < p or (_prec(right) == p and cls in (exp.Sub, exp.Div, exp.Pow)):
        right = exp.Paren(this=right)
    return cls(this=left, expression=right)


def paren(e: exp.Expression, level: int = 8) -> exp.Expression:
    return exp.Paren(this=e) if _prec(e) < level else e


class Scope:
    """Where each column is found in the FROM clause of the statement being built."""

    def __init__(self, source: str | None, joins: tuple[Join, ...], where: dict[str, str], draws: bool = False) -> None:
        self.draws = draws  # rows carry a draw: every window and group is per draw
        self.source = source
        self.joins = {j.source for j in joins}
        self.where = where
        self.qualify = bool(joins)

    def column(self, ref: m.Ref) -> exp.Column:
        if not self.qualify:
            return col(ref.name)
        src = self.where.get(ref.name)
        return col(ref.name, src if src in self.joins else self.source)

    def key(self, name: str) -> exp.Column:
        return col(name, self.source if self.qualify else None)


def window(func: exp.Expression, partition: list[exp.Expression], order: list[exp.Ordered] | None = None,
           spec: exp.WindowSpec | None = None) -> exp.Window:
    # copies: a sqlglot node has one parent, and one partition list often serves several windows
    return exp.Window(this=func, partition_by=[p.copy() for p in partition] or None,
                      order=exp.Order(expressions=[o.copy() for o in order]) if order else None,
                      spec=spec.copy() if spec else None)


def _agg(func: str, x: exp.Expression, wrap) -> exp.Expression:  # type: ignore[no-untyped-def]
    """An aggregate, wrapped in OVER (...) when computed as a window. Products are
    EXP(SUM(LN(|x|))) with the sign and zeros handled explicitly: portable SQL has
    no PRODUCT aggregate."""
    if func == "product":
        nonzero = exp.Abs(this=exp.Nullif(this=x.copy(), expression=lit(0)))
        magnitude = exp.Exp(this=wrap(exp.Sum(this=exp.Ln(this=nonzero))))
        negatives = wrap(exp.Sum(this=exp.If(this=exp.LT(this=x.copy(), expression=lit(0)), true=lit(1), false=lit(0))))
        sign = exp.If(this=exp.EQ(this=exp.Mod(this=negatives, expression=lit(2)), expression=lit(1)),
                      true=lit(-1), false=lit(1))
        zero = exp.EQ(this=wrap(exp.Min(this=exp.Abs(this=x.copy()))), expression=lit(0))
        return exp.Case(ifs=[exp.If(this=zero, true=lit(0))], default=binary(exp.Mul, magnitude, sign))
    if func == "geomean":  # defined for positive values only: any other makes it missing
        positive = exp.Case(ifs=[exp.If(this=exp.GT(this=x.copy(), expression=lit(0)), true=x.copy())])
        undefined = exp.LTE(this=wrap(exp.Min(this=x.copy())), expression=lit(0))
        return exp.Case(ifs=[exp.If(this=undefined, true=exp.Null())],
                        default=exp.Exp(this=wrap(exp.Avg(this=exp.Ln(this=positive)))))
    cls = {"sum": exp.Sum, "mean": exp.Avg, "min": exp.Min, "max": exp.Max, "count": exp.Count,
           "sd": exp.StddevSamp, "median": exp.Median, "skew": exp.Skewness, "kurt": exp.Kurtosis}[func]
    return wrap(cls(this=x))


_BINARY = {"+": exp.Add, "-": exp.Sub, "*": exp.Mul, "^": exp.Pow, "==": exp.EQ, "!=": exp.NEQ,
           "<": exp.LT, "<=": exp.LTE, ">": exp.GT, ">=": exp.GTE, "and": exp.And, "or": exp.Or}
_FUNCS = {"ln": exp.Ln, "exp": exp.Exp, "abs": exp.Abs, "sqrt": exp.Sqrt}


class ExprBuilder:
    def __init__(self, scope: Scope, grouped: bool = False) -> None:
        self.scope = scope
        self.grouped = grouped

    def __call__(self, e: m.Expr) -> exp.Expression:
        return getattr(self, "b_" + type(e).__name__.lower())(e)

    def b_const(self, e: m.Const) -> exp.Expression:
        return lit(e.value)

    def b_ref(self, e: m.Ref) -> exp.Expression:
        if e.kind in ("key", "attribute"):
            return self.scope.key(e.name)
        return self.scope.column(e)

    def b_op(self, e: m.Op) -> exp.Expression:
        args = [self(a) for a in e.args]
        if e.op == "/":
            den = args[1]
            if not (isinstance(den, exp.Literal) and float(den.this) != 0):
                den = exp.Nullif(this=den, expression=lit(0))  # division by zero is missing
            return binary(exp.Div, args[0], den)
        if e.op in _BINARY:
            return binary(_BINARY[e.op], args[0], args[1])
        if e.op == "neg":
            return exp.Neg(this=paren(args[0]))
        if e.op == "not":
            return exp.Not(this=paren(args[0]))
        if e.op == "coalesce":
            return exp.Coalesce(this=args[0], expressions=[args[1]])
        if e.op == "if":
            return exp.Case(ifs=[exp.If(this=args[0], true=args[1])], default=args[2])
        if e.op == "round":
            return exp.Round(this=args[0], decimals=args[1] if len(args) > 1 else None)
        if e.op in ("least", "greatest"):
            # missing propagates, as in arithmetic (SQL's LEAST would skip it)
            cls = exp.Least if e.op == "least" else exp.Greatest
            anynull = exp.or_(*[exp.Is(this=a.copy(), expression=exp.Null()) for a in args])
            return exp.Case(ifs=[exp.If(this=anynull, true=exp.Null())],
                            default=cls(this=args[0], expressions=args[1:]))
        if e.op in ("ln", "sqrt"):  # outside their domain the result is missing, not NaN or -inf
            low = exp.GT if e.op == "ln" else exp.GTE
            args[0] = exp.Case(ifs=[exp.If(this=low(this=args[0], expression=lit(0)), true=args[0].copy())])
        return _FUNCS[e.op](this=args[0])

    def partition(self, grain: m.Grain, drop: str | None = None) -> list[exp.Expression]:
        return [self.scope.key(d) for d in grain.dims if d != drop] + ([self.scope.key("draw")] if self.scope.draws else [])

    def b_reduce(self, e: m.Reduce) -> exp.Expression:
        x = self(e.arg)
        if e.within:
            t = self.scope.key(e.axis)
            x = exp.Case(ifs=[exp.If(this=exp.Between(this=t, low=lit(e.within[0]), high=lit(e.within[1])), true=x)])
        if e.func == "quantile":  # interpolated, as R's default and DuckDB's quantile_cont
            q = exp.PercentileCont(this=x, expression=lit(e.param or 0))
            return q if self.grouped else window(q, self.partition(e.grain))
        if self.grouped:
            return _agg(e.func, x, lambda a: a)
        part = self.partition(e.grain)
        return _agg(e.func, x, lambda a: window(a, part))

    def b_at(self, e: m.At) -> exp.Expression:
        x = exp.Case(ifs=[exp.If(this=exp.EQ(this=self.scope.key(e.time), expression=lit(e.period)), true=self(e.arg))])
        if self.grouped:
            return exp.Max(this=x)
        return window(exp.Max(this=x), self.partition(e.grain))

    def b_window(self, e: m.Window) -> exp.Expression:
        x = self(e.arg)
        if e.kind == "lag":
            return self.lag(x, e)
        if e.kind in ("fill_forward", "fill_backward", "interpolate"):
            return self.fill(x, e)
        if e.kind in ("cumprod", "cumsum"):
            spec = exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING", end="CURRENT ROW")
            order = [exp.Ordered(this=self.scope.key(e.axis))]
            part = self.partition(e.grain, e.axis)
            return _agg("product" if e.kind == "cumprod" else "sum", x, lambda a: window(a, part, order, spec))
        # rank: missing values get no rank and do not push others down
        part = self.partition(e.grain, e.axis) + ([self.scope.key(e.group)] if e.group else [])
        order = [exp.Ordered(this=x, desc=e.descending, nulls_first=False)]
        if e.ties == "first":
            order.append(exp.Ordered(this=self.scope.key(e.axis)))
        func = {"min": exp.Anonymous(this="RANK"), "max": exp.Anonymous(this="RANK"),
                "dense": exp.Anonymous(this="DENSE_RANK"), "first": exp.RowNumber(),
                "average": exp.Anonymous(this="RANK")}[e.ties]
        ranked: exp.Expression = window(func, part, order)
        if e.ties in ("average", "max"):
            peers = binary(exp.Sub, window(exp.Count(this=exp.Star()), part + [x.copy()]), lit(1))
            ranked = binary(exp.Add, ranked, binary(exp.Div, peers, lit(2.0)) if e.ties == "average" else peers)
        return exp.Case(ifs=[exp.If(this=exp.Is(this=x.copy(), expression=exp.Null()), true=exp.Null())], default=ranked)

    def fill(self, x: exp.Expression, e: m.Window) -> exp.Expression:
        """Missing values imputed along time within each entity: the last observed value
        (forward), the next one (backward), or the straight line between them by
        calendar period (interpolate; no extrapolation past the first or last)."""
        t = self.scope.key(e.axis)
        part, order = self.partition(e.grain, e.axis), [exp.Ordered(this=t)]

        def nearest(value: exp.Expression, after: bool, inclusive: bool) -> exp.Expression:
            near = lit(1) if not inclusive else None
            spec = (exp.WindowSpec(kind="ROWS", start=near or "CURRENT ROW", start_side="FOLLOWING" if near else None,
                                   end="UNBOUNDED", end_side="FOLLOWING") if after else
                    exp.WindowSpec(kind="ROWS", start="UNBOUNDED", start_side="PRECEDING",
                                   end=near or "CURRENT ROW", end_side="PRECEDING" if near else None))
            func = exp.FirstValue if after else exp.LastValue
            return window(exp.IgnoreNulls(this=func(this=value)), part, order, spec)

        if e.kind != "interpolate":
            return nearest(x, e.kind == "fill_backward", inclusive=True)
        observed_at = exp.Case(ifs=[exp.If(this=exp.Not(this=exp.Is(this=x.copy(), expression=exp.Null())), true=t.copy())])
        p, tp = nearest(x.copy(), False, False), nearest(observed_at.copy(), False, False)
        n, tn = nearest(x.copy(), True, False), nearest(observed_at, True, False)
        slope = binary(exp.Div, binary(exp.Sub, n, p.copy()), binary(exp.Sub, tn, tp.copy()))
        line = binary(exp.Add, p, binary(exp.Mul, slope, binary(exp.Sub, t.copy(), tp)))
        return exp.Coalesce(this=x, expressions=[line])

    def lag(self, x: exp.Expression, e: m.Window) -> exp.Expression:
        """The value `offset` calendar periods back, missing when the panel lacks that
        period. One period back is the previous row exactly when that row's period is
        t-1, so LAG suffices (one sort, no frame); further back, a gap before t-k
        could hide t-k from LAG, so a RANGE frame of exactly period t-k is used."""
        t = self.scope.key(e.axis)
        part, order = self.partition(e.grain, e.axis), [exp.Ordered(this=t)]
        if e.offset == 1:
            previous = binary(exp.Sub, t.copy(), lit(1))
            same = exp.EQ(this=window(exp.Lag(this=t.copy()), part, order), expression=previous)
            return exp.Case(ifs=[exp.If(this=same, true=window(exp.Lag(this=x), part, order))])
        spec = exp.WindowSpec(kind="RANGE", start=lit(e.offset), start_side="PRECEDING",
                              end=lit(e.offset), end_side="PRECEDING")
        return window(exp.FirstValue(this=x), part, order, spec)

    def b_classify(self, e: m.Classify) -> exp.Expression:
        x = self(e.arg)
        ifs = []
        for b in e.bands:
            conds = []
            if b.low != float("-inf"):
                conds.append((exp.GTE if b.low_closed else exp.GT)(this=x.copy(), expression=lit(b.low)))
            if b.high != float("inf"):
                conds.append((exp.LTE if b.high_closed else exp.LT)(this=x.copy(), expression=lit(b.high)))
            ifs.append(exp.If(this=exp.and_(*conds) if conds else exp.true(), true=lit(b.code)))
        return exp.Case(ifs=ifs)


def present_cells(columns: list[str] | tuple[str, ...]) -> tuple[exp.Expression, exp.Expression]:
    """Aggregates over a group of rows: the cells of `columns` present, and all cells."""
    present: exp.Expression = exp.Count(this=col(columns[0]))
    for c in columns[1:]:
        present = binary(exp.Add, present, exp.Count(this=col(c)))
    return present, binary(exp.Mul, exp.Count(this=exp.Star()), lit(len(columns)))


def screened(screen: m.Screen, kept: bool) -> exp.Select:
    """The entities a screen keeps (kept=True), or those it drops with their availability."""
    present, cells = present_cells(screen.columns)
    share = binary(exp.Div, present, cells)
    shares = (exp.select(col(screen.entity), share.as_(ident("availability")))
              .from_(exp.Table(this=ident(screen.table), db=ident(INPUT_SCHEMA))).group_by(col(screen.entity)))
    compare = exp.GTE if kept else exp.LT
    select = exp.select(col(screen.entity), *([] if kept else [col("availability")]))
    return (select.from_(exp.Subquery(this=shares, alias=exp.TableAlias(this=ident("screen"))))
            .where(compare(this=col("availability"), expression=lit(screen.threshold))))


def _from(select: exp.Select, source: str | None, joins: tuple[Join, ...]) -> exp.Select:
    if source is None:
        return select
    select = select.from_(exp.Table(this=ident(source)))
    for j in joins:
        table = exp.Table(this=ident(j.source))
        if j.keys:
            select = select.join(table, using=[ident(k) for k in j.keys], join_type="left")
        else:
            select = select.join(table, join_type="cross")
    return select


class SqlBuilder:
    def __init__(self, model: m.Model, plan: Plan, ordered: bool = True) -> None:
        self.model = model
        self.plan = plan
        self.ordered = ordered  # outputs are sorted by their keys; a stage need not be

    def scope(self, source: str | None, joins: tuple[Join, ...] = ()) -> Scope:
        return Scope(source, joins, self.plan.where, bool(self.model.drawn))

    def step(self, s: Step) -> exp.Select:
        if s.kind == "table":
            return self.table_step(s)
        scope = self.scope(s.source, s.joins)
        if s.kind == "merge":  # a column of a pooled GROUP BY, merged into its grain's rows
            taken = exp.Select(expressions=[*(col(k) for k in s.keys), col(s.name)]).from_(exp.Table(this=ident(s.source)))
            return self.merged(taken, s)
        if s.kind == "row":
            built = ExprBuilder(scope)
            values = [built(e).as_(ident(n)) for n, e in ((s.name, s.value), *s.also) if e is not None]
            # with joins, carry only this grain's own columns forward
            star = exp.Column(this=exp.Star(), table=ident(s.source)) if s.joins and s.source else exp.Star()
            select = exp.Select(expressions=[star, *values] if s.source else values)
            return _from(select, s.source, s.joins)
        return self.group_step(s)

    def group_step(self, s: Step) -> exp.Select:
        scope = self.scope(s.source)
        keys = [col(k) for k in s.keys]
        built = ExprBuilder(scope, grouped=True)
        values = [built(e).as_(ident(n)) for n, e in ((s.name, s.value), *s.also) if e is not None]
        grouped = exp.Select(expressions=[*keys, *values]).from_(exp.Table(this=ident(s.source)))
        if keys:
            grouped = grouped.group_by(*[k.copy() for k in keys])
        return self.merged(grouped, s)

    def merged(self, inner: exp.Select, s: Step) -> exp.Select:
        """Full-join a new source into the existing pipeline at its grain: rows of either are kept."""
        if s.merge_into is None:
            return inner
        sub = exp.Subquery(this=inner, alias=exp.TableAlias(this=ident(s.name)))
        select = exp.Select(expressions=[exp.Star()]).from_(exp.Table(this=ident(s.merge_into)))
        if s.keys:
            return select.join(sub, using=[ident(k) for k in s.keys], join_type="full")
        return select.join(sub, join_type="cross")

    def table_step(self, s: Step) -> exp.Select:
        t = s.table
        assert t is not None
        cols: list[exp.Expression] = [col(k) for k in s.keys]
        if t.schema == INPUT_SCHEMA:  # the user's numbers, whatever type the file gave them
            cols += [exp.Cast(this=col(c), to=exp.DataType.build("DOUBLE")).as_(ident(c)) for c in t.columns]
        else:  # computed earlier in this run, already typed
            cols += [col(c) for c in t.columns]
        inner = exp.Select(expressions=cols).from_(exp.Table(this=ident(t.name), db=ident(t.schema)))
        if self.model.drawn and t.schema == INPUT_SCHEMA:  # every row once per draw
            inner = inner.join(exp.Table(this=ident("draws"), db=ident(INPUT_SCHEMA)), join_type="cross")
        screen = self.model.screens.get(t.entity or "") if t.schema == INPUT_SCHEMA else None
        if screen is not None:
            inner = inner.where(exp.In(this=col(screen.entity), query=exp.Subquery(this=screened(screen, kept=True))))
        return self.merged(inner, s)

    def final(self) -> exp.Select:
        p = self.plan
        keys = (*p.output.keys, *self.model.draw_keys)
        scope = self.scope(p.source, p.joins)
        build = ExprBuilder(scope)
        exprs = [scope.key(k).as_(ident(k)) if scope.qualify else col(k) for k in keys]
        for c in p.columns:
            e = build(c.ref)
            exprs.append(e if isinstance(e, exp.Column) and e.name == c.alias and not scope.qualify else e.as_(ident(c.alias)))
        select = _from(exp.Select(expressions=exprs), p.source, p.joins)
        return select.order_by(*[scope.key(k) for k in keys]) if keys and self.ordered else select

    def ctes(self) -> list[exp.CTE]:
        out = []
        for s in self.plan.steps:
            cte = exp.CTE(this=self.step(s), alias=exp.TableAlias(this=ident(s.name)))
            cte.add_comments([" " + s.comment + " "])
            out.append(cte)
        return out

    def statement(self) -> exp.Select:
        select = self.final()
        ctes = self.ctes()
        if ctes:
            select.set("with_" if "with_" in exp.Select.arg_types else "with", exp.With(expressions=ctes))
        return select

    def tallies(self) -> exp.Select | None:
        """One row: for each reduction, how many cells it reduced (`cells_<i>`) and how
        many were missing (`missing_<i>`). Reductions over the same rows are counted
        in one pass, so ten leaders read the panel once."""
        if not self.plan.tallies:
            return None
        groups: dict[tuple, list[int]] = {}
        for i, t in enumerate(self.plan.tallies):
            groups.setdefault((t.source, t.joins, t.within), []).append(i)
        query: exp.Select | None = None
        for n, members in enumerate(groups.values()):
            part = exp.Subquery(this=self.tally(members), alias=exp.TableAlias(this=ident(f"tally_{n}")))
            query = exp.Select(expressions=[exp.Star()]).from_(part) if query is None else query.join(part, join_type="cross")
        assert query is not None
        query.set("with_" if "with_" in exp.Select.arg_types else "with", exp.With(expressions=self.ctes()))
        return query

    def tally(self, members: list[int]) -> exp.Select:
        t = self.plan.tallies[members[0]]
        scope = self.scope(t.source, t.joins)
        exprs: list[exp.Expression] = []
        for i in members:
            t = self.plan.tallies[i]
            rows = exp.Count(this=exp.Star())
            missing = lit(0) if t.never_missing else binary(exp.Sub, rows.copy(), exp.Count(this=ExprBuilder(scope)(t.arg)))
            exprs += [rows.as_(ident(f"cells_{i}")), missing.as_(ident(f"missing_{i}"))]
        select = _from(exp.Select(expressions=exprs), t.source, t.joins)
        if t.within:
            axis, lo, hi = t.within
            select = select.where(exp.Between(this=scope.key(axis), low=lit(lo), high=lit(hi)))
        return select


@dataclass(frozen=True)
class Query:
    """One statement of a run, with what it computes and what counts its skipped values."""

    label: str
    tree: exp.Expression
    builder: SqlBuilder
    reports_for: tuple[str, ...]  # outputs its skipped-value counts are reported under
    output: str | None = None  # the output it returns; None for a stage, which stores a table


def script(run: RunPlan) -> list[Query]:
    """The statements `idxc run` executes, in order: each stage's table, then each output."""
    queries = []
    for st in run.stages:
        built = SqlBuilder(st.model, st.plan, ordered=False)
        create = exp.Create(this=exp.Table(this=ident(st.table.name), db=ident(SHARED_SCHEMA)), kind="TABLE",
                            expression=built.statement())
        label = f"shared {', '.join(sorted(st.names))}: computed once, read by {', '.join(st.consumers)}"
        queries.append(Query(label, create, built, st.consumers))
    for name, p in run.outputs.items():
        built = SqlBuilder(run.model, p)
        queries.append(Query(f"output {name}", built.statement(), built, (name,), name))
    return queries


def schema_for(run: RunPlan) -> exp.Expression | None:
    """The schema stages are written to, when the run has any."""
    if not run.stages:
        return None
    return exp.Create(this=exp.Table(this=ident(SHARED_SCHEMA)), kind="SCHEMA", exists=True)


def to_sql(tree: exp.Expression, dialect: str = "duckdb", pretty: bool = True) -> str:
    try:
        Dialect.get_or_raise(dialect)
    except ValueError as err:  # sqlglot names the closest dialect
        raise IdxError(Diagnostic("error", f"--dialect: {err}")) from None
    try:
        return tree.sql(dialect=dialect, pretty=pretty, unsupported_level=ErrorLevel.RAISE, identify=True)
    except UnsupportedError as err:
        first = str(err).splitlines()[0]
        raise IdxError(Diagnostic("error", f"the SQL cannot be written for {dialect}: {first}",
                                  hint="imputation along time (fill_forward, fill_backward, interpolate) needs "
                                       "IGNORE NULLS" if "IGNORE NULLS" in first else None)) from None
