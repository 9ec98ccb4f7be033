"""The Python API: load a spec, read its SQL, run it and get Arrow tables back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .compile import Compiled, check, compile_model, load_module, standalone
from .declare import parse_param_values
from .diagnostics import Diagnostic, IdxError, did_you_mean
from .sql import to_sql

if TYPE_CHECKING:
    import pyarrow as pa

    from .run import Result


@dataclass(frozen=True)
class Spec:
    model: m.Model

    @property
    def outputs(self) -> list[str]:
        return list(self.model.outputs)

    @property
    def warnings(self) -> list[str]:
        return [w.render() for w in self.model.warnings]

    def compile(self, outputs: list[str] | None = None, share: bool = True) -> Compiled:
        return compile_model(self.model, self.names(outputs), share)

    def sql(self, output: str | None = None, dialect: str = "duckdb") -> str:
        """One output (the first when not named) as one self-contained statement."""
        return to_sql(standalone(self.model, self.output(output)), dialect)

    def script(self, outputs: list[str] | None = None, dialect: str = "duckdb") -> str:
        """The statements `run` executes for these outputs (all by default), in order:
        what several of them need is computed once into schema `shared`."""
        return self.compile(outputs).sql(dialect)

    def run(self, data: dict[str, str] | list[str] | None = None, outputs: list[str] | None = None,
            check: bool = True, share: bool = True) -> Result:
        """Run outputs (all by default) and return them as Arrow tables in `Result.tables`;
        share=False runs each output as its own statement, as `sql()` prints it."""
        from .data import resolve_sources  # DuckDB loads only when something runs
        from .run import execute

        return execute(self.compile(outputs, share), resolve_sources(self.model, data), check=check)

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


def load(path: str | Path, params: dict[str, object] | None = None) -> Spec:
    return Spec(check(load_module(path), parse_param_values({k: str(v) for k, v in (params or {}).items()})))


def loads(text: str, params: dict[str, object] | None = None, path: str = "<spec>") -> Spec:
    return Spec(check(load_module(path, text), parse_param_values({k: str(v) for k, v in (params or {}).items()})))
