"""The Python API: load a spec, read its SQL, run it and get Arrow tables back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import model as m
from .check import check
from .parse import parse, parse_file
from .plan import plan
from .share import run_plan
from .sqlgen import SqlBuilder, schema_for, script, to_sql

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

    def sql(self, output: str | None = None, dialect: str = "duckdb") -> str:
        """One output (the first when not named) as one self-contained statement."""
        name = self._output(output)
        return to_sql(SqlBuilder(self.model, plan(self.model, name)).statement(), dialect)

    def script(self, outputs: list[str] | None = None, dialect: str = "duckdb") -> str:
        """The statements `run` executes for these outputs (all by default), in order:
        definitions several of them need are computed once into schema `shared`."""
        names = [self._output(o) for o in outputs] if outputs else self.outputs
        run = run_plan(self.model, names)
        parts = [to_sql(s, dialect) + ";" for s in filter(None, [schema_for(run)])]
        for q in script(run):
            parts.append(f"-- {q.label}\n{to_sql(q.tree, dialect)};")
        return "\n\n".join(parts)

    def run(self, data: dict[str, str] | list[str] | None = None, outputs: list[str] | None = None,
            check: bool = True, share: bool = True) -> Result:
        """Run outputs (all by default) and return them as Arrow tables in `Result.tables`;
        share=False runs each output as its own statement, as `sql()` prints it."""
        from .data import resolve_sources  # DuckDB loads only when something runs
        from .run import execute

        names = [self._output(o) for o in outputs] if outputs else self.outputs
        return execute(self.model, resolve_sources(self.model, data), names, check=check, share=share)

    def table(self, output: str | None = None, data: dict[str, str] | list[str] | None = None) -> "pa.Table":
        name = self._output(output)
        return self.run(data, [name]).tables[name]

    def _output(self, name: str | None) -> str:
        from .diagnostics import Diagnostic, IdxError, did_you_mean

        if name is None:
            return self.outputs[0]
        if name not in self.model.outputs:
            raise IdxError(Diagnostic("error", f"the spec has no output '{name}'",
                                      hint=did_you_mean(name, self.outputs) or f"outputs: {', '.join(self.outputs)}"))
        return name


def load(path: str | Path, params: dict[str, str] | None = None) -> Spec:
    return Spec(check(parse_file(path), {k: str(v) for k, v in (params or {}).items()}))


def loads(text: str, params: dict[str, str] | None = None, path: str = "<spec>") -> Spec:
    return Spec(check(parse(text, path), {k: str(v) for k, v in (params or {}).items()}))
