"""Files as statistics offices publish them: the reader of each format, and for CSV
the two things DuckDB's sniffer does not settle, the encoding (Windows-1251 and other
legacy code pages) and the decimal comma (`10,5` beside a `;` delimiter).

Both are read off the file, or stated in the spec (`encoding "cp1251"`). A file in a
legacy encoding is copied once, as UTF-8, to a temporary file that the run reads; the
user's file is never written.
"""

from __future__ import annotations

import atexit
import codecs
import csv
import re
import shutil
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb
from sqlglot import exp

from ..diagnostics import Diagnostic, IdxError, did_you_mean
from ..sql.trees import col, is_null, lit, select, to_sql

if TYPE_CHECKING:
    import pyarrow as pa
    from openpyxl import Workbook

PARQUET = (".parquet", ".pq")
CSV = (".csv", ".tsv", ".txt", ".gz")
JSON_LINES = (".jsonl", ".ndjson")
WORKBOOK = (".xlsx", ".xlsm")
DATABASE = (".duckdb", ".ddb", ".db")
# Legacy code pages met in statistics files, the first that decodes a sample wins
# by charset-normalizer's measure of how plausible the text is.
LEGACY = ("cp1251", "koi8_r", "cp1252", "cp1250", "iso8859_15", "utf_16")
SAMPLE = 1 << 20
# A number written with a decimal comma: digits, a space or a dot grouping thousands, a comma
DECIMAL_COMMA = r"\s*[-+]?[0-9]{1,3}([ .]?[0-9]{3})*(,[0-9]+)?\s*"

_copies: Path | None = None


def reader(path: Path, decimal_comma: bool = False, thousands: str | None = None,
           text: tuple[str, ...] = (), delim: str | None = None, skip: int = 0) -> exp.Expr:
    """The table function that reads `path` (CSV with a decimal comma, and a character
    grouping thousands, if asked; the columns in `text` read as text, whatever the
    sniffer typed them from the first rows). A CSV's delimiter, when known (delimiter()),
    is stated with RFC 4180 quoting: DuckDB then types the columns without sniffing the
    dialect, which costs 0.2 s on every read of a 1,000-column file. The `skip` lines
    above the header (a title, a source) are passed over (header_line)."""
    suffix = path.suffix.lower()
    if suffix not in (*PARQUET, *CSV, *JSON_LINES):
        raise IdxError(Diagnostic("error", f"{path}: unknown data format '{suffix}' (use .csv, .parquet, .jsonl or .xlsx)"))
    if suffix in PARQUET:
        return exp.Anonymous(this="read_parquet", expressions=[lit(str(path))])
    if suffix in JSON_LINES:  # one JSON object per line, keys as columns
        return exp.Anonymous(this="read_json", expressions=[lit(str(path))])
    # the header always: a spec names the columns, and a header of years (`region,2020,2021`)
    # over rows of numbers would look like data to the sniffer
    options = [exp.EQ(this=col("header"), expression=exp.true())]
    if skip:
        options.append(exp.EQ(this=col("skip"), expression=lit(skip)))
    if delim is not None:
        options += [exp.EQ(this=col(k), expression=lit(v)) for k, v in (("delim", delim), ("quote", '"'), ("escape", '"'))]
    if decimal_comma:
        options.append(exp.EQ(this=col("decimal_separator"), expression=lit(",")))
    if thousands:
        options.append(exp.EQ(this=col("thousands"), expression=lit(thousands)))
    if text:
        types = exp.Struct(expressions=[exp.PropertyEQ(this=lit(c), expression=lit("VARCHAR")) for c in text])
        options.append(exp.EQ(this=col("types"), expression=types))
    return exp.Anonymous(this="read_csv", expressions=[lit(str(path)), *options])


def is_workbook(path: Path) -> bool:
    return path.suffix.lower() in WORKBOOK


SCAN_ROWS = 30  # the rows of a sheet looked through for its header, where titles sit above it
ROW = "_row"  # a sheet's row number, as a spreadsheet shows it, kept beside its cells for messages


def sheet(con: duckdb.DuckDBPyConnection, path: Path, name: str | None, view: str,
          wanted: tuple[str, ...] = (), header: int | None = None, numbered: bool = True) -> exp.Expr:
    """A workbook's sheet registered with DuckDB as an Arrow table under `view`; what
    reads it. As offices publish them: the sheet is the one named, else the first that
    holds the `wanted` columns (a notes sheet before the data is passed over); its header
    the row stated, else the row of its first 30 holding most of them (titles above it
    skipped); blank rows, and the notes under the table (rows of one cell: `Source: ...`),
    left out. With `numbered`, each row keeps its sheet row number (column ROW) for the
    messages. Cells keep their types (numbers, text, dates); a column mixing numbers and
    text is text, which the data checks then report by row."""
    import openpyxl
    import pyarrow as pa

    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises zipfile's, KeyError, InvalidFileException ...
        raise IdxError(Diagnostic("error", f"cannot read {path}: {type(err).__name__}: {err}")) from None
    try:
        if name is not None and name not in book.sheetnames:
            raise IdxError(Diagnostic("error", f"{path}: no sheet '{name}'",
                                      hint=did_you_mean(name, book.sheetnames) or f"sheets: {', '.join(book.sheetnames)}"))
        chosen, at = _header_sheet(book, [name] if name else book.sheetnames, path, wanted, header)
        rows = list(book[chosen].iter_rows(values_only=True))
    finally:
        book.close()
    if at >= len(rows) and header is not None:
        raise IdxError(Diagnostic("error", f"{path}: header row {header}: sheet '{chosen}' has {len(rows)} rows"))
    head = rows[at] if rows else ()
    header_names = [str(h).strip() if h is not None else f"column_{i + 1}" for i, h in enumerate(head)]
    body = _table_rows(rows[at + 1:], at + 2)
    columns = {ROW: pa.array([n for n, _ in body], type=pa.int64())} if numbered else {}
    for i, h in enumerate(header_names):
        values = [r[i] if i < len(r) else None for _, r in body]
        try:
            columns[h] = pa.array(values)
        except (pa.ArrowInvalid, pa.ArrowTypeError):  # mixed: text, for the checks to report
            columns[h] = pa.array([None if v is None else str(v) for v in values], type=pa.string())
    con.register(view, pa.table(columns))
    return exp.Table(this=exp.to_identifier(view, quoted=True))


def _header_sheet(book: Workbook, names: list[str], path: Path, wanted: tuple[str, ...], header: int | None) -> tuple[str, int]:
    """The sheet and the row (from 0) of its header: the first sheet holding all the
    wanted columns in one row, else the one holding most; a workbook none of whose
    sheets holds any of them is refused, naming its sheets."""
    from itertools import islice

    best: tuple[int, str, int] | None = None
    for n in names:
        scanned = list(islice(book[n].iter_rows(values_only=True), SCAN_ROWS if header is None else header))
        rows = list(enumerate(scanned)) if header is None else [(header - 1, scanned[header - 1])] if len(scanned) >= header else []
        for i, row in rows:
            held = len(set(wanted) & {str(c).strip() for c in row if c is not None})
            if best is None or held > best[0]:
                best = (held, n, i)
        if best is not None and wanted and best[0] == len(set(wanted)):
            break
    if best is None:
        return names[0], (header - 1 if header else 0)
    if wanted and best[0] == 0 and len(names) > 1:
        raise IdxError(Diagnostic("error", f"{path}: no sheet holds the columns the spec reads ({', '.join(wanted)}); "
                                  f"its sheets: {', '.join(names)}",
                                  hint='name the sheet of the table: from "' + path.name + '" sheet "' + names[-1] + '"'))
    return best[1], best[2]


_NOTE = re.compile(r"(sources?|notes?|footnotes?|\*|\(|\[|\d+[).]|.*:)", re.IGNORECASE)


def _table_rows(rows: list[tuple], first: int) -> list[tuple[int, tuple]]:
    """The rows under a header, with their sheet row numbers: blank rows left out, and
    the notes under the table. A note is a row of one cell after the table's last row of
    two cells or more, below a blank row or reading as one (`Source: ...`, `* provisional`,
    `1) ...`, 60 characters or more); a row holding only its entity (its values all
    missing) stays."""
    filled = lambda row: [c for c in row if c is not None and str(c).strip() != ""]  # noqa: E731
    last = max((i for i, r in enumerate(rows) if len(filled(r)) > 1), default=-1)
    kept = [(first + i, r) for i, r in enumerate(rows[:last + 1]) if filled(r)]
    blank = False
    for i, r in enumerate(rows[last + 1:], start=last + 1):
        cells = filled(r)
        if not cells:
            blank = True
        elif not (blank or _NOTE.match(str(cells[0]).strip()) or len(str(cells[0])) >= 60):
            kept.append((first + i, r))
    return kept


def is_parquet(path: Path) -> bool:
    return path.suffix.lower() in PARQUET


def is_database(path: Path) -> bool:
    return path.suffix.lower() in DATABASE


def attach(path: Path, alias: str, read_only: bool) -> str:
    options = [exp.AttachOption(this=exp.Var(this="READ_ONLY"))] if read_only else None
    return to_sql(exp.Attach(this=exp.Alias(this=lit(str(path)), alias=exp.to_identifier(alias, quoted=True)),
                             exists=False, expressions=options), pretty=False)


def detach(alias: str) -> str:
    return to_sql(exp.Detach(this=exp.to_identifier(alias, quoted=True), exists=True), pretty=False)


def database_table(con: duckdb.DuckDBPyConnection, path: Path, name: str, alias: str) -> exp.Expr:
    """A table of a DuckDB database file, attached read-only under `alias` (the file is
    never written): the one named, else the only table the file holds."""
    try:
        con.execute(attach(path, alias, read_only=True))
    except duckdb.Error as err:
        raise IdxError(Diagnostic("error", f"cannot open {path} as a DuckDB database: {str(err).splitlines()[0]}")) from None
    listed = select(col("schema_name"), col("table_name")).from_(exp.Table(this=exp.Anonymous(this="duckdb_tables")),
                                                                  copy=False)
    listed = listed.where(exp.EQ(this=col("database_name"), expression=lit(alias)), copy=False)
    found = {str(t): str(s) for s, t in con.execute(to_sql(listed, pretty=False)).fetchall()}
    schema, _, bare = name.rpartition(".")
    if bare not in found or (schema and found[bare] != schema):
        if len(found) != 1:
            raise IdxError(Diagnostic("error", f"{path}: no table '{name}'", hint=did_you_mean(bare, found) or (
                f"tables: {', '.join(sorted(found))}" if found else "the file holds no table")))
        bare = next(iter(found))
    return exp.Table(this=exp.to_identifier(bare, quoted=True), db=exp.to_identifier(found[bare], quoted=True),
                     catalog=exp.to_identifier(alias, quoted=True))


def is_csv(path: Path) -> bool:
    return path.suffix.lower() in CSV


def as_utf8(path: Path, stated: str | None) -> Path:
    """`path` itself when it is UTF-8 (a byte-order mark is fine), else a UTF-8 copy of
    it, decoded as `stated` or as the legacy code page its bytes read best in."""
    if not is_csv(path) or path.suffix.lower() == ".gz":
        return path
    encoding = stated or _detected(path)
    if encoding is None:
        return path
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise IdxError(Diagnostic("error", f"{path}: unknown encoding '{encoding}'",
                                  hint="a Python codec name: cp1251, koi8_r, cp1252, latin-1, utf-16 ...")) from None
    copy = _copy_folder() / f"{len(list(_copy_folder().iterdir()))}_{path.name}"
    try:
        with open(path, encoding=encoding, newline="") as src, open(copy, "w", encoding="utf-8", newline="") as dst:
            shutil.copyfileobj(src, dst, SAMPLE)
    except UnicodeDecodeError as err:
        raise IdxError(Diagnostic("error", f"{path}: not {encoding} text at byte {err.start}",
                                  hint="state the file's encoding: from \"file.csv\" encoding \"...\"")) from None
    return copy


def _detected(path: Path) -> str | None:
    """None for UTF-8 (the sample decodes, a character cut at its end aside), else the
    legacy code page the sample reads best in."""
    with open(path, "rb") as f:
        sample = f.read(SAMPLE)
    try:
        sample.decode("utf-8")
        return None
    except UnicodeDecodeError as err:
        if err.start >= len(sample) - 3 and len(sample) == SAMPLE:
            return None
    from charset_normalizer import from_bytes

    best = from_bytes(sample, cp_isolation=list(LEGACY)).best()
    if best is None:
        raise IdxError(Diagnostic("error", f"{path}: the text is neither UTF-8 nor a common legacy encoding",
                                  hint="state it: from \"file.csv\" encoding \"cp1251\""))
    return best.encoding


def _copy_folder() -> Path:
    global _copies
    if _copies is None:
        _copies = Path(tempfile.mkdtemp(prefix="idx-utf8-"))
        atexit.register(shutil.rmtree, _copies, True)
    return _copies


DELIMITERS = (",", ";", "\t", "|")  # those a CSV's delimiter is looked for among, in Python
HEAD_BYTES = 1 << 16  # what of a CSV is read in Python for its header and delimiter


def header_line(path: Path, wanted: tuple[str, ...], stated: int | None) -> int:
    """The lines above a CSV's header: those the spec states (`header row 5`), else the
    lines before the first of the file's first 30 holding every column the spec reads
    under some delimiter (the World Bank's files open with four lines of titles); none
    when no line does (the checks then say which column is missing)."""
    if stated is not None:
        return stated - 1
    if not wanted:
        return 0
    for i, line in enumerate(_head(path)[0][:SCAN_ROWS]):
        for d in DELIMITERS:
            if set(wanted) <= {field.strip() for row in csv.reader([line], delimiter=d) for field in row}:
                return i
    return 0


def delimiter(con: duckdb.DuckDBPyConnection, path: Path, skip: int = 0) -> str:
    """The field delimiter: the one that splits the file's first lines into the same
    number of fields, more than one (the most fields where two do), read in Python off
    the first 64 KB; else what DuckDB's sniffer reads off the file (a file of one
    column, or lines too long to sample)."""
    found = _split_alike(path, skip)
    if found is not None:
        return found
    options = [exp.EQ(this=col("skip"), expression=lit(skip))] if skip else []
    sniffed = exp.Table(this=exp.Anonymous(this="sniff_csv", expressions=[lit(str(path)), *options]))
    rows = con.execute(to_sql(select(col("Delimiter")).from_(sniffed, copy=False), pretty=False)).fetchall()
    return str(rows[0][0]) if rows else ","


def _head(path: Path) -> tuple[list[str], bool]:
    """The lines of a CSV's first 64 KB, and whether the sample cuts the last of them."""
    with path.open("rb") as f:
        sample = f.read(HEAD_BYTES)
    return sample.decode("utf-8", errors="replace").lstrip("\ufeff").splitlines(), len(sample) == HEAD_BYTES


def _split_alike(path: Path, skip: int = 0) -> str | None:
    lines, cut = _head(path)
    lines = [line for line in (lines[:-1] if cut else lines)[skip:] if line.strip()][:50]
    if not lines:
        return None
    fields = {}
    for d in DELIMITERS:
        counts = {len(row) for row in csv.reader(lines, delimiter=d)}
        if len(counts) == 1 and (n := counts.pop()) > 1:
            fields[d] = n
    if not fields:
        return None
    return max(fields, key=lambda d: fields[d])


def decimal_comma(con: duckdb.DuckDBPyConnection, view: exp.Table, columns: list[str]) -> tuple[bool, str | None]:
    """Whether the file writes numbers with a decimal comma: some numeric column that
    DuckDB read as text has a number written with a comma, and every number in it is (its
    other cells blank, or text that is no number either way: `n/a`); and the character
    that groups thousands there, if any (a space or a dot). The file is then read again
    so; a column still holding text is reported by row as usual."""
    for c in columns:
        blank = exp.or_(is_null(col(c)), exp.EQ(this=exp.Trim(this=col(c)), expression=lit("")))
        number = exp.Anonymous(this="regexp_full_match", expressions=[col(c), lit(DECIMAL_COMMA)])
        text = is_null(exp.TryCast(this=col(c), to=exp.DataType.build("DOUBLE")))
        in_numbers = lambda ch: exp.LogicalOr(this=exp.and_(  # noqa: E731  # a number written with ch
            number.copy(), exp.Anonymous(this="contains", expressions=[col(c), lit(ch)])))
        query = (select(exp.LogicalAnd(this=exp.or_(blank, number, text)), in_numbers(","), in_numbers(" "), in_numbers("."))
                 .from_(view.copy(), copy=False))
        (found,) = con.execute(to_sql(query, pretty=False)).fetchall()  # fetched to the end: the connection is free
        if found[0] and found[1]:
            return True, " " if found[2] else "." if found[3] else None
    return False, None


def write(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path, fmt: str, name: str) -> int:
    """An output written to `path` as `fmt` (targets.FORMATS, or table `name` of a
    DuckDB database file); the rows written, read back from the file where the format
    allows, not recounted by running the query again. A workbook's sheets are written
    together (workbook), not here."""
    if fmt == "duckdb":
        return _database_table(con, rel, path, name)
    if fmt == "parquet":
        rel.write_parquet(str(path))
        return _count(con, exp.Anonymous(this="read_parquet", expressions=[lit(str(path))]))
    if fmt in ("json", "jsonl"):  # an array of objects, or one object per line
        view = "idx_output"
        rel.create_view(view, replace=True)
        params = [exp.CopyParameter(this=exp.Var(this="FORMAT"), expression=exp.Var(this="json"))]
        if fmt == "json":
            params.append(exp.CopyParameter(this=exp.Var(this="ARRAY"), expression=exp.true()))
        copy = exp.Copy(this=select(exp.Star()).from_(exp.to_identifier(view, quoted=True), copy=False).subquery(),
                        kind=False, files=[lit(str(path))], params=params)
        con.execute(to_sql(copy, pretty=False))
        return _count(con, exp.Anonymous(this="read_json", expressions=[lit(str(path))]))
    separator = "\t" if fmt == "tsv" else ","
    rel.write_csv(str(path), sep=separator)
    return _count(con, exp.ReadCSV(this=lit(str(path)), expressions=[
        exp.EQ(this=exp.column("header"), expression=exp.true()), exp.EQ(this=exp.column("delim"), expression=lit(separator))]))


def _count(con: duckdb.DuckDBPyConnection, reader: exp.Expr) -> int:
    counted = con.execute(to_sql(select(exp.Count(this=exp.Star())).from_(exp.Table(this=reader), copy=False), pretty=False))
    return int(counted.fetchall()[0][0])


def _database_table(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path, name: str) -> int:
    """The output as table `name` of the database file at `path` (replacing a table of
    that name; the file's other tables stay)."""
    alias, view = "idx_output_file", "idx_output"
    con.execute(attach(path, alias, read_only=False))
    try:
        rel.create_view(view, replace=True)
        target = exp.Table(this=exp.to_identifier(name, quoted=True), db=exp.to_identifier("main", quoted=True),
                           catalog=exp.to_identifier(alias, quoted=True))
        create = exp.Create(this=target, kind="TABLE", replace=True,
                            expression=select(exp.Star()).from_(exp.to_identifier(view, quoted=True), copy=False))
        con.execute(to_sql(create, pretty=False))
        counted = con.execute(to_sql(select(exp.Count(this=exp.Star())).from_(target.copy(), copy=False), pretty=False))
        return int(counted.fetchall()[0][0])
    finally:
        con.execute(detach(alias))


EXCEL_ROWS = 1_048_576  # a sheet's rows, its header included


def workbook(sheets: dict[str, "pa.Table"], path: Path) -> None:
    """Several outputs as the sheets of one workbook, each named after its output, the
    header then the rows (openpyxl's streaming writer)."""
    import openpyxl

    from .targets import sheet_names

    for name, table in sheets.items():
        if table.num_rows >= EXCEL_ROWS:
            raise IdxError(Diagnostic("error", f"output {name} has {table.num_rows:,} rows; an Excel sheet holds "
                                      f"{EXCEL_ROWS - 1:,} under its header", hint="write it as .csv or .parquet"))
    book = openpyxl.Workbook(write_only=True)
    for output, sheet_name in sheet_names(list(sheets)).items():
        table = sheets[output]
        sheet = book.create_sheet(sheet_name)
        sheet.append(table.column_names)
        for batch in table.to_batches():
            for row in zip(*(column.to_pylist() for column in batch.columns)):
                sheet.append(list(row))
    book.save(path)
