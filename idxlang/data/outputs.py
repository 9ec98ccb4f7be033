"""Writing outputs so that nothing is lost: every file is written beside its target and
renamed over it, so a reader never sees half a file; a run's outputs are written into a
hidden folder beside their targets (`.idxc-partial-PID`) and moved into place only when
every one of them is written, so a run that fails or is interrupted (Ctrl-C, SIGTERM, an
engine error) changes no file. After SIGKILL, which nothing can catch, the hidden folder
stays and the next run removes it; the targets are as they were."""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

import duckdb

from . import formats

if TYPE_CHECKING:
    import pyarrow as pa

PARTIAL = ".idxc-partial-"


@contextmanager
def beside(path: Path, keep: bool = True) -> Iterator[Path]:
    """A temporary file next to `path`, renamed over it (with the permissions `path` has,
    or a new file's) when the block ends well, removed when it does not. keep=False
    hands over a name that does not exist yet (DuckDB makes a database file itself)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    if not keep:
        os.unlink(tmp)
    try:
        yield Path(tmp)
        os.chmod(tmp, _mode(path))
        os.replace(tmp, path)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)


def atomic_write(con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, path: Path, fmt: str,
                 name: str = "output") -> int:
    """Write next to the target, then rename: a reader never sees half a file. A
    database file gets its table in a copy of itself, renamed over it. Returns the rows
    written, read back from the file rather than by rerunning the query."""
    with beside(path, keep=fmt != "duckdb") as tmp:
        if fmt == "duckdb" and path.exists():  # the file's other tables stay
            shutil.copyfile(path, tmp)
        return formats.write(con, rel, tmp, fmt, name)


def write_text(path: Path, text: str) -> int:
    """A text file written beside its target and renamed over it; its size in bytes."""
    with beside(path) as tmp:
        tmp.write_text(text, encoding="utf-8")
    return path.stat().st_size


def _mode(path: Path) -> int:
    """The permissions the file has, or a new file's (mkstemp's are private to the owner)."""
    if path.exists():
        return stat.S_IMODE(path.stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask


class Staged:
    """A run's output files, written into a hidden folder beside each target and moved
    into place together by commit(); discard() leaves the targets as they were."""

    def __init__(self, targets: dict[str, tuple[Path, str]]) -> None:
        self.targets = targets
        self.folders: dict[Path, Path] = {}  # target folder -> its hidden folder
        self.staged: dict[Path, Path] = {}  # target -> its staged file
        self.sheets: dict[Path, dict[str, "pa.Table"]] = {}  # a workbook's sheets, by output, until commit
        for folder in {p.parent for p, _ in targets.values()}:
            _remove_stale(folder)

    def write(self, con: duckdb.DuckDBPyConnection, rel: duckdb.DuckDBPyRelation, output: str) -> int:
        path, fmt = self.targets[output]
        folder = self.folders.get(path.parent)
        if folder is None:
            path.parent.mkdir(parents=True, exist_ok=True)
            folder = self.folders[path.parent] = Path(tempfile.mkdtemp(prefix=f"{PARTIAL}{os.getpid()}-", dir=path.parent))
        staged = self.staged.get(path)
        if staged is None:
            staged = self.staged[path] = folder / path.name
            if fmt == "duckdb" and path.exists():  # the database's other tables stay
                shutil.copyfile(path, staged)
        if fmt == "xlsx":  # a sheet each: the workbook is written once every output is there
            table = rel.to_arrow_table()
            self.sheets.setdefault(path, {})[output] = table
            return table.num_rows
        return formats.write(con, rel, staged, fmt, output)

    def commit(self) -> None:
        for path, sheets in self.sheets.items():
            formats.workbook(sheets, self.staged[path])
        for path, staged in self.staged.items():
            os.chmod(staged, _mode(path))
            os.replace(staged, path)
        self.discard()

    def discard(self) -> None:
        """Every hidden folder of this run removed: those it holds, and one an interrupt
        left between its creation and its being held (mkdtemp made it, the signal came
        before the assignment), found by this process's name for it."""
        mine = {p for path, _ in self.targets.values() for p in path.parent.glob(f"{PARTIAL}{os.getpid()}-*")}
        for folder in {*self.folders.values(), *mine}:
            shutil.rmtree(folder, ignore_errors=True)
        self.folders, self.staged, self.sheets = {}, {}, {}


def _remove_stale(folder: Path) -> None:
    """Hidden folders that a killed run left (its process gone)."""
    if not folder.is_dir():
        return
    for old in folder.glob(f"{PARTIAL}*"):
        pid = old.name[len(PARTIAL):].split("-")[0]
        if pid.isdigit() and not _alive(int(pid)):
            shutil.rmtree(old, ignore_errors=True)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


__all__ = ["PARTIAL", "Staged", "atomic_write", "write_text"]
