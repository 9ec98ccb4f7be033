"""Where each output of a run goes, and in which format: the extension decides where it
names one, so that `--out r.json` is a JSON file that `json.load` reads, never a
folder named `r.json`.

Kept apart from data/formats.py (the writers), which imports DuckDB: `idxc sql` and
`idxc check` stay quick.
"""

from __future__ import annotations

from pathlib import Path

from ..diagnostics import Diagnostic, IdxError, did_you_mean

# format -> what it is; the first extension of each is the one a folder's files take
FORMATS: dict[str, tuple[str, ...]] = {
    "csv": (".csv",),
    "tsv": (".tsv", ".tab"),
    "parquet": (".parquet", ".pq"),
    "jsonl": (".jsonl", ".ndjson"),  # one JSON object per line
    "json": (".json",),  # one JSON array of objects
    "xlsx": (".xlsx",),  # one sheet per output, named after it
}
DATABASE = (".duckdb", ".ddb", ".db")  # one table per output, named after it
MANY = ("xlsx",)  # the file formats that hold several outputs
# files of formats idxc does not write, which a path ending so surely meant (another
# ending, `results.v2`, names a folder)
NOT_WRITTEN = (".txt", ".dat", ".xls", ".xlsm", ".ods", ".feather", ".arrow", ".ipc", ".orc", ".avro", ".dta",
               ".sav", ".rds", ".rdata", ".sas7bdat", ".html", ".htm", ".pdf", ".sqlite", ".xml", ".gz", ".zip")
BY_SUFFIX = {suffix: fmt for fmt, suffixes in FORMATS.items() for suffix in suffixes}


def targets(out: Path, names: list[str], fmt: str | None) -> dict[str, tuple[Path, str]]:
    """Each output's file and format for `--out OUT [--format FMT]`: a database file or
    a workbook holds them all; a file of another format holds one; a folder (any other
    path, or one that is a folder already) a file each. A path naming a format idxc
    does not write (`.txt`, `.xls`) is refused, not taken for a folder."""
    suffix = out.suffix.lower()
    if suffix in DATABASE and not out.is_dir():
        if fmt:
            raise IdxError(Diagnostic("error", f"--out {out} is a DuckDB database; --format does not apply"))
        return {n: (out, "duckdb") for n in names}
    if suffix in BY_SUFFIX and not out.is_dir():
        own = BY_SUFFIX[suffix]
        if fmt and fmt != own:
            raise IdxError(Diagnostic("error", f"--out {out} is a .{suffix[1:]} file but --format is {fmt}",
                                      hint=f"drop --format, or write --out {out.with_suffix(FORMATS[fmt][0])}"))
        if len(names) > 1 and own not in MANY:
            raise IdxError(Diagnostic("error", f"--out {out}: the spec has {len(names)} outputs "
                                      f"({', '.join(names)}) and a .{suffix[1:]} file holds one",
                                      hint="give a folder, a workbook (.xlsx) or a database (.duckdb), "
                                           "or pick one output with --output NAME"))
        return {n: (out, own) for n in names}
    if suffix in NOT_WRITTEN and not out.is_dir() and not fmt:
        known = [*BY_SUFFIX, *DATABASE]
        raise IdxError(Diagnostic("error", f"--out {out}: '{suffix}' is not an output format",
                                  hint=did_you_mean(suffix, known) or
                                  f"a file: {', '.join(known)}; or a folder"))
    chosen = fmt or "csv"
    return {n: (out / f"{n}{FORMATS[chosen][0]}", chosen) for n in names}


def sheet_names(names: list[str]) -> dict[str, str]:
    """Each output's sheet in a workbook: its name, cut to Excel's 31 characters and
    kept distinct."""
    found: dict[str, str] = {}
    for n in names:
        base, k = n[:31], 1
        name = base
        while name.lower() in {v.lower() for v in found.values()}:
            k += 1
            name = f"{base[:31 - len(str(k)) - 1]}_{k}"
        found[n] = name
    return found


__all__ = ["BY_SUFFIX", "DATABASE", "FORMATS", "MANY", "sheet_names", "targets"]
