"""`idxc report` (issue 12): one self-contained HTML page. It renders for every spec in
specs/; it holds no reference to anything online; and in headless Chromium (Debian's
`chromium`, installed by .ci/setup-engines) it loads with no console message and draws
its charts."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

import idxlang
from conftest import ROOT, SPECS, idxc
from idxlang.report import build

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def headless(page: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0",
                           "--virtual-time-budget=5000", *args, page.as_uri()],
                          capture_output=True, text=True, timeout=120)


@pytest.fixture(scope="module")
def innovation(tmp_path_factory) -> tuple[Path, dict]:
    out = tmp_path_factory.mktemp("report") / "innovation.html"
    proc = idxc("report", str(SPECS / "innovation_competitiveness.idx"), "--out", str(out))
    assert proc.returncode == 0 and "works offline" in proc.stderr, proc.stderr
    return out, build(idxlang.load(SPECS / "innovation_competitiveness.idx"))


def test_the_report_shows_what_the_issue_lists(innovation) -> None:
    path, context = innovation
    page = path.read_text(encoding="utf-8")
    for section in ("ranking", "charts", "methodology", "skipped", "analysis"):
        assert f'<section id="{section}">' in page
    assert [c["id"] for c in context["charts"]] == ["classes", "over-time", "decomposition", "correlations-0",
                                                     "correlations-1"]
    ranking = context["ranking"]
    assert ranking["period"] == 2008 and len(ranking["rows"]) == 85  # the regions in the last year
    places = [int(r[ranking["columns"].index("place")]) for r in ranking["rows"]]
    assert places == sorted(places) and places[0] == 1
    assert "let score = round(mean(activity: w_activity, receptivity: w_receptivity), 2)" in page
    assert "Weight of innovation activity in the score" in page  # a param's doc
    assert "max(rd_costs over region)" in page  # a skipped-value count
    table = context["decomposition"]  # every region's score back to its components, in the last year
    assert len(table["rows"]) == 85 and table["columns"][:2] == ["region", "score"]
    for row in table["rows"]:
        parts = [float(cell.split(" / ")[1]) for cell in row[2:]]
        # adds up to the score: it is rounded to 2 decimals (0.005), the parts shown to 6 digits
        assert abs(sum(parts) - float(row[1])) <= 0.005 + sum(5e-6 * abs(p) for p in parts) + 1e-12


def test_the_report_works_offline(innovation) -> None:
    page = innovation[0].read_text(encoding="utf-8")
    assert not re.search(r'<(script|link|img)[^>]+(src|href)="(https?:)?//', page)  # nothing fetched
    assert page.count("<script") >= 2 and "Plotly.newPlot" in page


@pytest.mark.parametrize("path", sorted(SPECS.glob("*.idx")), ids=lambda p: p.stem)
def test_every_spec_has_a_report(path, tmp_path) -> None:
    proc = idxc("report", str(path), "--out", str(tmp_path / "r.html"))
    assert proc.returncode == 0 and "works offline" in proc.stderr, proc.stderr
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    context = build(idxlang.load(path))
    assert context["definitions"] and context["methodology"].startswith(idxlang.load(path).model.name)
    by_entity = any(any(k in idxlang.load(path).model.axes.entities for k in o.keys)
                    for o in idxlang.load(path).model.outputs.values())
    assert bool(context.get("ranking")) == by_entity


def test_an_input_is_never_overwritten(tmp_path) -> None:
    spec = tmp_path / "s.idx"
    spec.write_text((SPECS / "gvc_participation.idx").read_text(encoding="utf-8").replace(
        'from "demo/', f'from "{SPECS}/demo/'), encoding="utf-8")
    proc = idxc("report", str(spec), "--out", str(spec))
    assert proc.returncode == 2 and "--out would overwrite an input" in proc.stderr


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (.ci/setup-engines installs Debian's)")
def test_the_report_loads_in_chromium_with_no_console_message_and_draws_its_charts(innovation) -> None:
    path, context = innovation
    proc = headless(path, "--dump-dom")
    assert proc.returncode == 0, proc.stderr[-2000:]
    console = [line for line in proc.stderr.splitlines() if ":CONSOLE" in line]
    assert console == [], console
    dom = proc.stdout
    for chart in context["charts"]:  # each chart's div holds plotly's drawing
        start = dom.index(f'id="chart-{chart["id"]}"')
        assert 'class="main-svg"' in dom[start:start + 20000], chart["id"]


@pytest.mark.skipif(CHROMIUM is None, reason="no chromium here (.ci/setup-engines installs Debian's)")
def test_chromium_reports_a_console_error_when_there_is_one(tmp_path) -> None:
    """The check above would see an error: a page that raises one is caught."""
    bad = tmp_path / "bad.html"
    bad.write_text("<html><body><script>undefinedFunction();</script></body></html>", encoding="utf-8")
    proc = headless(bad, "--dump-dom")
    assert any(":CONSOLE" in line and "undefinedFunction" in line for line in proc.stderr.splitlines())


def test_the_docs_keep_a_screenshot_of_the_demo_report() -> None:
    shot = ROOT / "docs" / "report.png"
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and shot.stat().st_size > 50_000
    assert "docs/report.png" in (ROOT / "README.md").read_text(encoding="utf-8")
