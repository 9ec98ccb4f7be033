"""PostgreSQL through psycopg 3: the inputs are copied into temporary tables, the
statements run in one session, outputs come back as CSV through COPY (exact: PostgreSQL
prints doubles in their shortest round-tripping form) and are read by pyarrow."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

from sqlglot import exp

from ..semantics import model as m
from ..diagnostics import Diagnostic, IdxError
from ..sql.trees import ident, table, to_sql
from . import ROWS, EngineOptions, export, first_line, in_order, input_name

if TYPE_CHECKING:
    import duckdb
    import pyarrow as pa

    from ..data.sources import Source

# DuckDB's types of an exported input → PostgreSQL's, integers as wide as they were (an
# entity's code keeps its type in the outputs, as on DuckDB; PostgreSQL has no TINYINT)
_TYPES = {"DOUBLE": "DOUBLE PRECISION", "BIGINT": "BIGINT", "INTEGER": "INTEGER", "SMALLINT": "SMALLINT",
          "TINYINT": "SMALLINT", "HUGEINT": "NUMERIC", "BOOLEAN": "BOOLEAN", "DATE": "DATE"}
# PostgreSQL's type OIDs of an output's columns → Arrow's
_ARROW = {16: "bool", 20: "int64", 21: "int16", 23: "int32", 700: "float64", 701: "float64", 1700: "float64"}


def new_session(options: "EngineOptions", sources: list["Source"], con: "duckdb.DuckDBPyConnection") -> "PostgresSession":
    dsn = options.get("dsn")
    return PostgresSession(dsn if isinstance(dsn, str) else None)


class PostgresSession:
    name = "PostgreSQL"

    def __init__(self, dsn: str | None) -> None:
        try:
            import psycopg
        except ImportError:
            raise IdxError(Diagnostic("error", "--engine postgres needs psycopg 3",
                                      hint="pip install 'idxlang[postgres]'")) from None
        if not dsn:
            raise IdxError(Diagnostic("error", "--engine postgres needs a connection: --dsn 'host=... dbname=... user=...'",
                                      hint="or a URI: --dsn postgresql://user@host:5432/dbname"))
        self.psycopg = psycopg
        self.error = psycopg.Error
        try:
            self.con = psycopg.connect(dsn, autocommit=True)
        except psycopg.Error as err:
            raise IdxError(Diagnostic("error", f"cannot connect to PostgreSQL: {first_line(err)}",
                                      hint="check --dsn (host, port, dbname, user)")) from None

    def load(self, con: "duckdb.DuckDBPyConnection", model: m.Model, sources: list["Source"]) -> dict[str, exp.Table]:
        """Each input's used columns copied into a temporary table of this session."""
        places = {}
        with tempfile.TemporaryDirectory(prefix="idx-pg-") as tmp:
            for s in sources:
                path = Path(tmp) / f"{s.table}.csv"
                columns = export(con, model.tables[s.table], path, "csv")
                name = input_name(s.table)
                defs = [exp.ColumnDef(this=ident(c), kind=exp.DataType.build(_TYPES.get(t, "TEXT"), dialect="postgres"))
                        for c, t in columns]
                self.execute(to_sql(exp.Drop(tables=[table(name, "pg_temp")], kind="TABLE", exists=True), "postgres", False))
                create = exp.Create(this=exp.Schema(this=table(name), expressions=defs), kind="TABLE",
                                    properties=exp.Properties(expressions=[exp.TemporaryProperty()]))
                self.execute(to_sql(create, "postgres", False))
                self._copy_in(name, path)
                places[s.table] = table(name)
        return places

    def _copy_in(self, name: str, path: Path) -> None:
        sql = self.psycopg.sql
        statement = sql.SQL("COPY {} FROM STDIN WITH (FORMAT csv, HEADER true)").format(sql.Identifier(name))
        with self.con.cursor() as cur, cur.copy(statement) as copy, open(path, "rb") as f:
            while chunk := f.read(1 << 20):
                copy.write(chunk)

    def execute(self, sql: str) -> None:
        with self.con.cursor() as cur:
            cur.execute(sql.encode())  # bytes: psycopg reads no placeholders in it

    def rows(self, sql: str) -> list[tuple]:
        with self.con.cursor() as cur:
            cur.execute(sql.encode())
            return cur.fetchall()

    def arrow(self, sql: str) -> "pa.Table":
        import pyarrow as pa
        import pyarrow.csv as pacsv

        query = self.psycopg.sql.SQL(sql)  # the compiler's SQL, built as a tree
        with self.con.cursor() as cur:
            cur.execute(self.psycopg.sql.SQL("SELECT * FROM ({}) AS q LIMIT 0").format(query))
            described = [(d.name, _ARROW.get(d.type_code, "string")) for d in cur.description or []]
            buffer = io.BytesIO()
            copy_sql = self.psycopg.sql.SQL("COPY ({}) TO STDOUT WITH (FORMAT csv, HEADER true)").format(query)
            with cur.copy(copy_sql) as copy:
                for chunk in copy:
                    buffer.write(chunk)
        names = [n for n, _ in described]
        types = {n: pa.type_for_alias(t) for n, t in described}
        if not buffer.getvalue():
            return pa.table({n: pa.array([], type=types[n]) for n in names})
        buffer.seek(0)
        return pacsv.read_csv(buffer, read_options=pacsv.ReadOptions(column_names=names, skip_rows=1),
                              convert_options=pacsv.ConvertOptions(column_types=types, strings_can_be_null=True,
                                                                   quoted_strings_can_be_null=False,
                                                                   true_values=["t"], false_values=["f"]))

    def relation(self, sql: str, con: "duckdb.DuckDBPyConnection", order: list[str]) -> "duckdb.DuckDBPyRelation":
        """An output for the writer: its rows through COPY, as Arrow, handed to DuckDB
        ordered by the output's keys (engines.in_order; registered under one name, each
        output's relation is written before the next replaces it)."""
        con.register(ROWS, self.arrow(sql))
        return in_order(con, table(ROWS), order)

    def close(self) -> None:
        self.con.close()  # its temporary tables go with it

