"""The Python API: load a spec, read its SQL, run it and get Arrow tables back."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Mapping
from typing import TYPE_CHECKING

from . import ast
from .semantics import model as m
from .compile import Compiled, check, compile_model, load_module, standalone
from .semantics.declare import parse_param_values
from .parse import with_layouts
from .sql.dialects import dialect as profile
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .sql.trees import to_sql

if TYPE_CHECKING:
    import pyarrow as pa

    from .run import Result


@dataclass(frozen=True)
class Spec:
    model: m.Model
    module: ast.Module | None = field(default=None, compare=False)  # the syntax it was checked from (idxc decompose extends it)
    params: dict[str, float | int] = field(default_factory=dict, compare=False)  # the overrides it was checked with

    @property
    def outputs(self) -> list[str]:
        return list(self.model.outputs)

    @property
    def warnings(self) -> list[str]:
        return [w.render() for w in self.model.warnings]

    def compile(self, outputs: list[str] | None = None, share: bool = True, dialect: str = "duckdb") -> Compiled:
        return compile_model(self.model, self.names(outputs), share, dialect=profile(dialect))

    def sql(self, output: str | None = None, dialect: str = "duckdb") -> str:
        """One output (the first when not named) as one self-contained statement."""
        return to_sql(standalone(self.model, self.output(output), dialect=profile(dialect)), profile(dialect).name)

    def script(self, outputs: list[str] | None = None, dialect: str = "duckdb") -> str:
        """The statements `run` executes for these outputs (all by default), in order:
        what several of them need is computed once into a temporary table."""
        return self.compile(outputs, dialect=dialect).sql()

    def run(self, data: dict[str, str] | list[str] | None = None, outputs: list[str] | None = None,
            check: bool = True, share: bool = True, engine: str = "duckdb", tables: dict[str, str] | None = None,
            **options: object) -> Result:
        """Run outputs (all by default) on `engine` (duckdb, postgres with `dsn=`, spark)
        and return them as Arrow tables in `Result.tables`; share=False runs each output
        as its own statement, as `sql()` prints it. `tables` names spec tables already in
        the engine (NAME: schema.table) instead of files; `options` are the engine's own
        (engines.REGISTRY: dsn, spark_master, memory_limit, threads, temp_dir)."""
        from .data.sources import resolve_sources  # DuckDB loads only when something runs
        from .engines import EngineOptions
        from .run import execute

        chosen = EngineOptions(engine, options, tables=dict(tables or {}))
        sources = resolve_sources(self.model, data, skip=set(chosen.tables))
        return execute(self.compile(outputs, share, engine), sources, check=check, engine=chosen)

    def table(self, output: str | None = None, data: dict[str, str] | list[str] | None = None) -> "pa.Table":
        name = self.output(output)
        return self.run(data, [name]).tables[name]

    def output(self, name: str | None) -> str:
        """The output called `name` (the first when None), or a clear error."""
        if name is None:
            return self.outputs[0]
        if name not in self.model.outputs:
            raise IdxError(Diagnostic("error", f"the spec has no output '{name}'",
                                      hint=did_you_mean(name, self.outputs) or f"outputs: {', '.join(self.outputs)}"))
        return name

    def names(self, outputs: list[str] | None) -> list[str]:
        return [self.output(o) for o in outputs] if outputs else self.outputs


def load(path: str | Path, params: Mapping[str, object] | None = None, layouts: dict[str, str] | None = None) -> Spec:
    """The spec at `path`; `layouts` overrides how named tables' files are laid out
    ({"panel": "long(indicator, value)"}, as the spec would write it after `from`)."""
    module = with_layouts(load_module(path), layouts) if layouts else load_module(path)
    values = parse_param_values({k: str(v) for k, v in (params or {}).items()})
    return Spec(check(module, values), module, values)


def loads(text: str, params: Mapping[str, object] | None = None, path: str = "<spec>") -> Spec:
    module = load_module(path, text)
    values = parse_param_values({k: str(v) for k, v in (params or {}).items()})
    return Spec(check(module, values), module, values)
