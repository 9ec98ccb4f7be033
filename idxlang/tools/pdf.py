"""The report as a PDF: the HTML page printed by headless Chromium, with the page's own
print stylesheet (A4, whole tables, charts not split, the spec's title and page numbers
in the margins). Chromium is the one printer that runs the page's charts and its CSS
paged media as a reader's browser does; without it the command says so and names the
HTML it can write instead."""

from __future__ import annotations

import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..diagnostics import Diagnostic, IdxError
from ..data.outputs import beside

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable", "chrome")
TIMEOUT = 180  # seconds: a page of a few hundred rows prints in a few


def chromium() -> str | None:
    """The browser to print with: $IDX_CHROMIUM, else the first of NAMES on PATH."""
    given = os.environ.get("IDX_CHROMIUM")
    if given:
        return shutil.which(given) or (given if Path(given).is_file() else None)
    return next((found for found in map(shutil.which, NAMES) if found), None)


def print_pdf(page: str, out: Path) -> int:
    """`page` (a self-contained HTML text) printed to `out`, written beside it and renamed
    over it; its size in bytes."""
    browser = chromium()
    if browser is None:
        raise IdxError(Diagnostic("error", "--pdf prints the page with headless Chromium, and none was found "
                                  f"(looked for $IDX_CHROMIUM and {', '.join(NAMES)} on PATH)",
                                  hint="install Chromium (Debian: apt-get install chromium), or write the HTML "
                                       "page with --out report.html and print it from a browser"))
    with tempfile.TemporaryDirectory(prefix="idxc-pdf-") as work:
        html = Path(work) / "report.html"
        html.write_text(page, encoding="utf-8")
        with beside(out) as tmp:
            _run(browser, html, tmp, Path(work))
    return out.stat().st_size


def _run(browser: str, html: Path, pdf: Path, work: Path) -> None:
    command = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--no-pdf-header-footer",
               f"--user-data-dir={work / 'profile'}", "--virtual-time-budget=10000",
               f"--print-to-pdf={pdf}", html.as_uri()]
    try:
        proc = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise IdxError(Diagnostic("error", f"{browser} did not print the page within {TIMEOUT} s")) from None
    if proc.returncode != 0 or not pdf.is_file() or pdf.read_bytes()[:5] != b"%PDF-":
        last = (proc.stderr.strip().splitlines() or ["no message"])[-1]
        raise IdxError(Diagnostic("error", f"{browser} could not print the page to PDF: {last}"))


__all__ = ["chromium", "print_pdf"]
