"""`idxc`: check, print the SQL of, and run idx specs.

User errors exit with status 2 and a rendered message; `idxc sql` never imports
DuckDB, so printing SQL stays quick.
"""

from __future__ import annotations

import argparse
import os
import signal
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, Sequence, cast

import shtab

from . import __version__
from .diagnostics import Diagnostic, IdxError

from .data.targets import FORMATS, sheet_names, targets

if TYPE_CHECKING:  # imported where used, so that `idxc sql` stays quick
    import pyarrow as pa

    from .api import Spec
    from .engines import EngineOptions


def _params(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise IdxError(Diagnostic("error", f"--param {item}: write it as NAME=VALUE"))
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def _layouts(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        if "=" not in item:
            raise IdxError(Diagnostic("error", f"--layout {item}: write it as TABLE=LAYOUT",
                                      hint='e.g. --layout panel="long(indicator, value)"'))
        key, value = item.split("=", 1)
        out[key.strip()] = value.strip()
    return out


def _load(args: argparse.Namespace) -> Spec:
    from .api import load

    spec = load(args.spec, _params(args.param), _layouts(args.layout))
    for w in spec.warnings:
        print(w, file=sys.stderr)
    return spec


def cmd_sql(args: argparse.Namespace) -> int:
    spec = _load(args)
    names = [args.output] if args.output else spec.outputs
    note = f" ({args.dialect})" if args.dialect != "duckdb" else ""
    if not args.standalone:
        print((f"-- {args.dialect}\n" if note else "") + spec.script(names, args.dialect))
        return 0
    parts = [f"-- output {name}{note}\n{spec.sql(name, args.dialect)};" for name in names]
    print("\n\n".join(parts))
    return 0


def cmd_analyse(args: argparse.Namespace) -> int:
    """The Handbook's multivariate analysis of the raw tables and the outputs, in DuckDB."""
    from .tools.analyse import analyse
    from .data.sources import resolve_sources
    from .run import execute

    spec = _load(args)
    names = spec.names([args.output] if args.output else None)
    sources = resolve_sources(spec.model, args.data)
    result = execute(spec.compile(names), sources)
    found = analyse(spec.model, sources, result.tables)
    _emit(found, args.out, [s.path for s in sources] + [Path(args.spec)])
    return 0


def _emit(tables: dict, out: str | None, inputs: list[Path], quiet: tuple[str, ...] = ()) -> None:
    """Analysis tables: printed, or written atomically as OUT/<name>.csv (never over an input)."""
    from .engines.duckdb import connect
    from .data.outputs import atomic_write

    if out:
        _refuse_inputs([Path(out) / f"{name}.csv" for name in tables], inputs)
    con = connect()
    for name, table in tables.items():
        if not out:
            if name not in quiet:
                _print_table(name, table, True)
            continue
        path = Path(out) / f"{name}.csv"
        print(f"wrote {path} ({atomic_write(con, con.from_arrow(table), path, 'csv')} rows)", file=sys.stderr)


def _refuse_inputs(targets: list[Path], inputs: list[Path]) -> None:
    """Every command that writes: never over a spec or a data file the run reads."""
    protected = {p.resolve() for p in inputs}
    for path in targets:
        if path.resolve() in protected:
            raise IdxError(Diagnostic("error", f"--out would overwrite an input: {path}"))


def cmd_sensitivity(args: argparse.Namespace) -> int:
    """Rank intervals and sensitivity indices over varied params, all draws in one query."""
    from .data.sources import resolve_sources
    from .tools.sensitivity import analyse, parse_vary

    if not args.vary:
        raise IdxError(Diagnostic("error", "say which params to vary: --vary NAME=uniform(LOW, HIGH)"))
    if args.draws < 2:
        raise IdxError(Diagnostic("error", "--draws: at least 2 base draws"))
    spec = _load(args)
    output = spec.output(args.output)
    sources = resolve_sources(spec.model, args.data)
    found = analyse(spec.model, sources, [parse_vary(v) for v in args.vary], args.draws, args.seed, output, args.rank)
    _emit(found, args.out, [*(s.path for s in sources), Path(args.spec)], quiet=("indices_by_entity",))
    return 0


def cmd_explain(args: argparse.Namespace) -> int:
    """The methodology as a tree: each output's columns down to the data."""
    from .tools.explain import FORMATS as EXPLAINED

    print(EXPLAINED[args.format](_load(args).model))
    return 0


def cmd_decompose(args: argparse.Namespace) -> int:
    """One entity's results back to the data: every definition's value and contributions."""
    from .tools.decompose import decompose, render

    spec = _load(args)
    print(render(decompose(spec, args.entity, args.output, args.data, args.period), args.spec), end="")
    return 0


def cmd_fmt(args: argparse.Namespace) -> int:
    """The canonical layout: printed, written in place (--write), or checked (--check)."""
    import difflib

    from .tools.fmt import format_spec
    from .data.outputs import write_text

    differ = []
    for name in args.specs:
        path = Path(name)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as err:
            raise IdxError(Diagnostic("error", f"cannot read {path}: {err}")) from None
        formatted = format_spec(text, str(path))
        if args.check:
            if formatted != text:
                differ.append(path)
                sys.stdout.writelines(difflib.unified_diff(text.splitlines(True), formatted.splitlines(True),
                                                           str(path), f"{path} (formatted)"))
        elif args.write:
            if formatted != text:
                write_text(path, formatted)
                print(f"formatted {path}", file=sys.stderr)
        else:
            sys.stdout.write(formatted)
    if args.check:
        print(f"{len(differ)} of {len(args.specs)} spec(s) would be reformatted" if differ else
              f"{len(args.specs)} spec(s) already formatted", file=sys.stderr)
        return 1 if differ else 0
    return 0


def cmd_lsp(args: argparse.Namespace) -> int:
    """The language server, on stdin/stdout, for editors (editors/vscode)."""
    from .tools.lsp import serve

    serve()
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """One self-contained HTML page: methodology, ranking, charts, skipped values, analysis."""
    from .data.sources import resolve_sources
    from .data.outputs import write_text
    from .tools.report import build, render

    spec = _load(args)
    pdf = args.pdf or (args.out or "").lower().endswith(".pdf")
    out = Path(args.out or ("report.pdf" if pdf else "report.html"))
    _refuse_inputs([out], [s.path for s in resolve_sources(spec.model, args.data)] + [Path(args.spec)])
    against = None
    if args.against:
        from .api import loads
        from .tools.diff import read_old

        text, at = read_old(args.against)
        against = loads(text, _params(args.param), path=at)
    page = render(build(spec, args.data or None, args.output, args.lang, against, args.against or ""))
    if pdf:
        from .tools.pdf import print_pdf

        size = print_pdf(page, out)
        print(f"wrote {out} ({size / 1e6:.1f} MB, printed by headless Chromium)", file=sys.stderr)
        return 0
    size = write_text(out, page)
    print(f"wrote {out} ({size / 1e6:.1f} MB, works offline)", file=sys.stderr)
    return 0


def cmd_diff(args: argparse.Namespace) -> int:
    """What changed between two versions of a spec: its statements, its SQL, its results."""
    from .tools import diff
    from .api import loads

    text, at = diff.read_old(args.old)
    values = _params(args.param)
    old = loads(text, values, path=at)
    new = _load(argparse.Namespace(spec=args.new, param=args.param, layout=[]))
    assert old.module is not None and new.module is not None  # load and loads keep the module
    found = diff.changes(old.module, new.module)
    sql = diff.sql_diff(old, new, args.old, args.new)
    effects = None if args.no_run else diff.results(old, new, args.old_data or args.data or None, args.data or None)
    reach = {**diff.reached(old), **diff.reached(new)}
    print(diff.render(found, sql, effects, args.old, args.new, args.top, reach), end="")
    return 0


def cmd_debug(args: argparse.Namespace) -> int:
    """One stage of the compiler, as text."""
    from .compile import load_module
    from .tools.debug import show

    spec = _load(args)
    names = spec.names([args.output] if args.output else None)
    print(show(spec.compile(names), load_module(args.spec), args.stage))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    spec = _load(args)
    if args.data or all(t.source for t in spec.model.tables.values()):
        from .data.checks import check_data
        from .data.sources import resolve_sources
        from .engines.duckdb import session

        sources = resolve_sources(spec.model, args.data)
        check_data(session(sources), spec.model, sources)
        print(f"data ok: {', '.join(f'{s.table}={s.path}' for s in sources)}", file=sys.stderr)
    m = spec.model
    print(f"{m.path}: ok: {len(m.tables)} table(s), {len(m.definitions)} definition(s), "
          f"{len(m.outputs)} output(s): {', '.join(m.outputs)}")
    width = max((len(n) for n in m.definitions), default=0)
    for name, d in m.definitions.items():  # the grains the compiler inferred, for review
        print(f"  {name.ljust(width)}  {d.grain}   (line {d.line})")
    for out in m.outputs.values():
        print(f"  output {out.name} by {out.grain}: {', '.join(c.alias for c in out.columns)}")
    return 0


def _targets(args: argparse.Namespace, names: list[str], inputs: list[Path]) -> dict[str, tuple[Path, str]]:
    found = targets(Path(args.out), names, args.format)
    _refuse_inputs(list(dict.fromkeys(path for path, _ in found.values())), inputs)
    return found


def _engine(args: argparse.Namespace) -> EngineOptions:
    """The engine and how to reach it; options of another engine are refused, not ignored."""
    from .engines import REGISTRY, EngineOptions, check_engine

    engine = check_engine(args.engine)
    given = {o.name: value for e in REGISTRY.values() for o in e.options if (value := getattr(args, o.name)) is not None}
    tables = {}
    for item in args.table:
        if "=" not in item:
            raise IdxError(Diagnostic("error", f"--table {item}: write it as NAME=schema.table"))
        name, qualified = item.split("=", 1)
        tables[name.strip()] = qualified.strip()
    return EngineOptions(engine, given, tables)


def cmd_run(args: argparse.Namespace) -> int:
    from .data.sources import resolve_sources
    from .run import execute

    spec = _load(args)
    engine = _engine(args)
    names = spec.names([args.output] if args.output else None)
    sources = resolve_sources(spec.model, args.data, skip=set(engine.tables))
    targets = _targets(args, names, [s.path for s in sources] + [Path(args.spec)]) if args.out else None
    compiled = spec.compile(names, dialect=engine.engine)
    result = execute(compiled, sources, targets, check=not args.no_check, engine=engine,
                     progress=not args.quiet and sys.stderr.isatty())
    for name in names:
        if name in result.written:
            if not args.quiet:
                assert targets is not None  # only an output given a target is written
                path, fmt = targets[name]
                where = {"xlsx": f", sheet {sheet_names(names)[name]}", "duckdb": f", table {name}"}.get(fmt, "")
                print(f"wrote {path}{where if sum(p == path for p, _ in targets.values()) > 1 else ''} "
                      f"({result.rows[name]} rows)", file=sys.stderr)
        else:
            _print_table(name, result.tables[name], len(names) > 1)
    for d in result.screened:
        print(f"screened out of {d.screen.table}: {d.entity} (availability {d.availability:.2f} < "
              f"{d.screen.threshold:g} over {', '.join(d.screen.columns)})", file=sys.stderr)
    if result.marked:
        print("cells read by the marks and flags their tables state:", file=sys.stderr)
        for m in result.marked:
            print("  " + m.render(), file=sys.stderr)
    skipped = [s for s in result.skipped if s.missing]
    if skipped:
        print("missing values skipped by reductions:", file=sys.stderr)
        for s in skipped:
            print("  " + s.render(spec.model.path), file=sys.stderr)
    elif not args.quiet:
        print(f"no missing values were skipped ({len(result.skipped)} reduction(s) checked)", file=sys.stderr)
    return 0


def _print_table(name: str, table: pa.Table, titled: bool) -> None:
    """Aligned plain-text table: numbers right-aligned, missing shown as blank."""
    if titled:
        print(f"== {name} ({table.num_rows} rows)")
    cols = table.column_names
    data = table.to_pydict()

    def fmt(v: object, whole: bool) -> str:
        if v is None:
            return ""
        if isinstance(v, float):
            if whole:
                return f"{v:.0f}"
            return f"{v:.6g}" if abs(v) >= 1e6 or (v != 0 and abs(v) < 1e-4) else f"{v:.4f}"
        return str(v)

    def whole(values: list) -> bool:
        """Counts and totals stored as DOUBLE print without a run of zeros."""
        return all(v is None or (isinstance(v, float) and v.is_integer() and abs(v) < 1e15) for v in values)

    wholes = [whole(data[c]) for c in cols]
    cells = [[fmt(v, w) for v in data[c]] for c, w in zip(cols, wholes)]
    numeric = [all(isinstance(v, (int, float)) or v is None for v in data[c]) for c in cols]
    widths = [max([len(c)] + [len(x) for x in col]) for c, col in zip(cols, cells)]
    line = lambda vals: "  ".join(v.rjust(w) if n else v.ljust(w) for v, w, n in zip(vals, widths, numeric))  # noqa: E731
    print(line(cols).rstrip())
    for i in range(table.num_rows):
        print(line([col[i] for col in cells]).rstrip())
    if titled:
        print()


def build_parser() -> argparse.ArgumentParser:
    from .engines import REGISTRY
    parser = argparse.ArgumentParser(prog="idxc", description="Compile and run composite-index specs (.idx).")
    parser.add_argument("--version", action="version", version=f"idxc {__version__}")
    shtab.add_argument_to(parser, "--print-completion",
                          help=f"print a shell completion script ({', '.join(shtab.SUPPORTED_SHELLS)})")
    sub = parser.add_subparsers(dest="command")

    def common(p: argparse.ArgumentParser) -> None:
        # shtab reads the completion from an attribute it has the caller set on the action
        cast(Any, p.add_argument("spec", help="the .idx spec file")).complete = shtab.FILE
        p.add_argument("--param", action="append", default=[], metavar="NAME=VALUE", help="override a param")
        p.add_argument("--layout", action="append", default=[], metavar="TABLE=LAYOUT",
                       help='how a table\'s file is laid out, as the spec writes it after from: '
                            '"long(indicator, value)", "wide(\"{variable}_{period}\", 1990..2022)" or "default"')

    run = sub.add_parser("run", help="run the spec's outputs over panel data")
    common(run)
    run.add_argument("--data", action="append", default=[], metavar="[TABLE=]FILE",
                     help="panel file (CSV or Parquet) for a table; the spec's own default otherwise")
    run.add_argument("--out", metavar="PATH", help="write to a .csv/.parquet/.json/.xlsx file, a folder of outputs, "
                     "or a .duckdb database file (a table per output)")
    run.add_argument("--format", choices=list(FORMATS),
                     help="file format inside an --out folder (default csv); a file's extension decides its own")
    run.add_argument("--output", metavar="NAME", help="run only this output")
    run.add_argument("--no-check", action="store_true", help="skip the data checks (keys, types)")
    run.add_argument("--quiet", action="store_true",
                     help="no progress bar and no notes on stderr (errors and skipped values still)")
    run.add_argument("--engine", default="duckdb", metavar="ENGINE",
                     help=f"where the SQL runs: {', '.join(REGISTRY)} (default duckdb)")
    for engine in REGISTRY.values():  # each engine's own options (engines.REGISTRY), refused by the others
        for option in engine.options:
            run.add_argument(option.flag, type=option.kind, metavar=option.metavar, help=option.help,
                             action="append" if option.many else "store")
    run.add_argument("--table", action="append", default=[], metavar="NAME=SCHEMA.TABLE",
                     help="a spec table already in the engine, instead of a data file")
    run.set_defaults(func=cmd_run)

    sql = sub.add_parser("sql", help="print the SQL that run executes")
    common(sql)
    sql.add_argument("--output", metavar="NAME", help="only what running this output executes")
    sql.add_argument("--standalone", action="store_true",
                     help="each output as one self-contained statement, recomputing what outputs share")
    sql.add_argument("--dialect", default="duckdb",
                     help="write for another engine: postgres, spark, bigquery, snowflake, trino")
    sql.set_defaults(func=cmd_sql)

    ana = sub.add_parser("analyse", help="data availability, statistics, correlations and Cronbach's alpha")
    common(ana)
    ana.add_argument("--data", action="append", default=[], metavar="[TABLE=]FILE")
    ana.add_argument("--output", metavar="NAME", help="analyse this output (and the inputs) only")
    ana.add_argument("--out", metavar="DIR", help="write each analysis table as DIR/<name>.csv")
    ana.set_defaults(func=cmd_analyse)

    sen = sub.add_parser("sensitivity", help="rank intervals and sensitivity indices over varied params")
    common(sen)
    sen.add_argument("--data", action="append", default=[], metavar="[TABLE=]FILE")
    sen.add_argument("--vary", action="append", default=[], metavar="NAME=DIST",
                     help="a param and its distribution: uniform(LOW, HIGH) or choice(A, B, ...)")
    sen.add_argument("--draws", type=int, default=256, metavar="N", help="base draws N; N (k + 2) evaluations")
    sen.add_argument("--seed", type=int, default=1)
    sen.add_argument("--output", metavar="NAME", help="the output whose ranks are analysed (default: the first)")
    sen.add_argument("--rank", required=True, metavar="COLUMN", help="the output's rank column")
    sen.add_argument("--out", metavar="DIR", help="write ranks, indices and indices_by_entity as DIR/<name>.csv")
    sen.set_defaults(func=cmd_sensitivity)

    exp = sub.add_parser("explain", help="the definitions as a tree: grain, formula, doc and spec line")
    common(exp)
    exp.add_argument("--format", choices=("text", "dot", "mermaid"), default="text",
                     help="text: a tree (default); dot: Graphviz; mermaid: a Mermaid flowchart")
    exp.set_defaults(func=cmd_explain)

    dec = sub.add_parser("decompose", help="one entity's results back to the data: values and contributions")
    common(dec)
    dec.add_argument("entity", help="the entity, as the output shows it")
    dec.add_argument("--data", action="append", default=[], metavar="[TABLE=]FILE")
    dec.add_argument("--output", metavar="NAME", help="the output whose columns are decomposed (default: the first)")
    dec.add_argument("--period", metavar="PERIOD", help="only this period (default: every period)")
    dec.set_defaults(func=cmd_decompose)

    fmt = sub.add_parser("fmt", help="the canonical layout of specs: printed, --write in place, or --check")
    fmt.add_argument("specs", nargs="+", metavar="SPEC", help="the .idx spec files")
    mode = fmt.add_mutually_exclusive_group()
    mode.add_argument("--check", action="store_true", help="exit 1 and show the diff if a spec is not formatted")
    mode.add_argument("--write", "-w", action="store_true", help="rewrite the specs in place (atomically)")
    fmt.set_defaults(func=cmd_fmt)

    lsp = sub.add_parser("lsp", help="a language server on stdin/stdout: diagnostics, hover, go to definition")
    lsp.set_defaults(func=cmd_lsp)

    rep = sub.add_parser("report", help="one self-contained HTML report: methodology, ranking, charts, analysis")
    common(rep)
    rep.add_argument("--data", action="append", default=[], metavar="[TABLE=]FILE")
    rep.add_argument("--output", metavar="NAME", help="the output the ranking and charts show (default: the first by an entity)")
    rep.add_argument("--out", metavar="FILE", help="where to write it (default report.html, or report.pdf with --pdf; "
                                                   "a name ending .pdf asks for the PDF)")
    rep.add_argument("--against", metavar="OLD", help="a section on what changed from an earlier version of the "
                                                      "spec (a file, or REV:PATH from git), as idxc diff shows it")
    rep.add_argument("--pdf", action="store_true",
                     help="write the page as a PDF (A4, the print layout), printed by headless Chromium")
    rep.add_argument("--lang", choices=("en", "ru"),
                     help="the language of the report's own words (default: the spec's, from its titles and docs)")
    rep.set_defaults(func=cmd_report)

    dif = sub.add_parser("diff", help="what changed between two versions of a spec: statements, SQL, results")
    dif.add_argument("old", metavar="OLD", help="the earlier spec: a file, or a git revision of one as REV:PATH")
    dif.add_argument("new", metavar="NEW", help="the later spec")
    dif.add_argument("--data", action="append", default=[], metavar="[TABLE=]FILE", help="data for both (default: each spec's own)")
    dif.add_argument("--old-data", action="append", default=[], metavar="[TABLE=]FILE", help="data for OLD, when it differs")
    dif.add_argument("--param", action="append", default=[], metavar="NAME=VALUE")
    dif.add_argument("--top", type=int, default=10, metavar="N", help="rows shown per changed column (default 10)")
    dif.add_argument("--no-run", action="store_true", help="compare the statements and the SQL only")
    dif.set_defaults(func=cmd_diff)

    dbg = sub.add_parser("debug", help="print one stage of the compiler: ast, model, core, plan or sql")
    dbg.add_argument("stage", choices=("ast", "model", "core", "plan", "sql"),
                     help="ast: syntax tree; model: checked; core: lowered and stacked; plan: after the passes")
    common(dbg)
    dbg.add_argument("--output", metavar="NAME", help="only what this output needs")
    dbg.set_defaults(func=cmd_debug)

    chk = sub.add_parser("check", help="check the spec, and the data when given")
    common(chk)
    chk.add_argument("--data", action="append", default=[], metavar="[TABLE=]FILE")
    chk.set_defaults(func=cmd_check)
    return parser


def _terminated(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    try:
        args = parser.parse_args(argv)  # --print-completion and --help print here
    except BrokenPipeError:  # `idxc --print-completion bash | head`
        return _reader_gone()
    if args.command is None:  # `idxc` alone: what it can do
        parser.print_help()
        return 0
    if threading.current_thread() is threading.main_thread():  # SIGTERM unwinds like Ctrl-C: no file half-written
        signal.signal(signal.SIGTERM, _terminated)
    try:
        return int(args.func(args))
    except IdxError as err:
        print(err.render(), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: no output was changed", file=sys.stderr)
        return 130
    except RuntimeError as err:  # DuckDB's answer to Ctrl-C or SIGTERM during a query
        if "interrupted" not in str(err).lower():
            raise
        print("interrupted: no output was changed", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `idxc run ... | head`
        return _reader_gone()


def _reader_gone() -> int:
    """The reader of stdout has gone (`| head`): nothing more to say, and nothing for
    Python to flush into the closed pipe at exit."""
    os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
    return 0


if __name__ == "__main__":
    sys.exit(main())
