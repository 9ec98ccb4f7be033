"""A progress bar for long runs, on stderr: statements done, and within the running one
the share the engine reports (DuckDB's query progress, polled from a thread). It appears
only after IDXC_PROGRESS_DELAY seconds (2 by default), so short runs print nothing, and
never when stderr is not a terminal or with --quiet."""

from __future__ import annotations

import os
import shutil
import sys
import threading
import time
from contextlib import contextmanager
from typing import Callable, Iterator

from tqdm import tqdm

POLL = 0.1  # seconds between two looks at the engine's progress


def delay() -> float:
    try:
        return max(0.0, float(os.environ.get("IDXC_PROGRESS_DELAY", "2")))
    except ValueError:
        return 2.0


class Progress:
    """One bar for a run: each statement is 100 steps, filled as the engine reports."""

    def __init__(self, statements: int, enabled: bool, engine_share: Callable[[], float] | None) -> None:
        self.share = engine_share
        self.done = 0
        self.bar = tqdm(total=max(statements, 1) * 100, delay=delay(), file=sys.stderr, disable=not enabled,
                        leave=False, bar_format="{desc}: {percentage:3.0f}%|{bar}| {elapsed}",
                        ncols=shutil.get_terminal_size().columns,  # a terminal of unknown size: 80 × 24
                        nrows=shutil.get_terminal_size().lines)

    @contextmanager
    def statement(self, label: str) -> Iterator[None]:
        if self.bar.disable:
            yield
            return
        shown = time.time() - self.bar.start_t >= self.bar.delay  # before the delay, nothing is drawn
        self.bar.set_description_str(label[:40], refresh=shown)
        stop = threading.Event()
        watcher = threading.Thread(target=self._watch, args=(stop,), daemon=True)
        if self.share is not None:
            watcher.start()
        try:
            yield
        finally:
            stop.set()
            if watcher.is_alive():
                watcher.join()
            self.done += 1
            self._show(self.done * 100)

    def _watch(self, stop: threading.Event) -> None:
        while not stop.wait(POLL):
            share = self.share() if self.share else -1.0
            if 0 <= share <= 100:
                self._show(self.done * 100 + int(share))

    def _show(self, position: int) -> None:
        if position > self.bar.n:
            self.bar.update(position - self.bar.n)

    def close(self) -> None:
        self.bar.close()


__all__ = ["Progress", "delay"]
