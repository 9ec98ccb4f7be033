"""The methodology library: every spec in specs/ runs on its bundled demo data with no
argument but --out, has a documentation page, and has one line in the README."""

from __future__ import annotations

import importlib.util
import re

import pytest

import idxlang
from conftest import ROOT, SPECS, idxc, read_csv

SPEC_FILES = sorted(SPECS.glob("*.idx"))
NAMES = [p.stem for p in SPEC_FILES]
GENERATORS = sorted((SPECS / "demo").glob("generate_*.py"))


def test_library_holds_the_seed_methodologies_the_worked_examples_the_hdi_and_a_russian_file():
    assert NAMES == ["amt_portfolio", "composite_example", "framework_example", "gvc_participation",
                     "human_development", "import_substitution", "innovation_competitiveness", "innovation_rating_ru"]


@pytest.mark.parametrize("name", NAMES)
def test_spec_runs_on_its_demo_data(name, tmp_path):
    proc = idxc("run", f"specs/{name}.idx", "--out", str(tmp_path / "out"), cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    spec = idxlang.load(SPECS / f"{name}.idx")
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == sorted(f"{o}.csv" for o in spec.outputs)
    for output in spec.outputs:
        rows = read_csv(tmp_path / "out" / f"{output}.csv")
        assert rows, output
        out = spec.model.outputs[output]
        assert list(rows[0]) == [*out.keys, *(c.alias for c in out.columns)]


@pytest.mark.parametrize("name", NAMES)
def test_spec_has_a_documentation_page(name):
    doc = (ROOT / "docs" / "specs" / f"{name}.md").read_text(encoding="utf-8")
    header = (SPECS / f"{name}.idx").read_text(encoding="utf-8")
    seed = (re.search(r"seed (\d{3}_[0-9a-f]{16})", header) or re.search(r"(Handbook on Constructing Composite Indicators)", header)
            or re.search(r"^# Source: (.+?)\s*$", header, flags=re.M))
    assert seed and seed.group(1) in doc, "the page names the source the header names"
    assert f"idxc run specs/{name}.idx" in doc, "the page shows how to run the demo"
    assert f"docs/specs/{name}.md" in header, "the spec header points to its page"
    for section in ("## Source", "## Formulas and spec lines", "## Choices", "## Run it"):
        assert section in doc, section


def test_spec_lines_quoted_in_the_docs_exist_in_the_spec():
    """A page quotes spec lines in backquotes beside the paper's formulas; a quote that no
    longer matches the spec means the page has gone stale."""
    for name in NAMES:
        doc = (ROOT / "docs" / "specs" / f"{name}.md").read_text(encoding="utf-8")
        spec = " ".join((SPECS / f"{name}.idx").read_text(encoding="utf-8").split())
        quoted = re.findall(r"^\| .*? \| `([^`]+)` \|", doc, flags=re.M)
        assert quoted, name
        for text in quoted:
            assert " ".join(text.split()) in spec, f"{name}: `{text}` is not in the spec"


def test_readme_lists_each_spec_on_one_line():
    lines = (ROOT / "README.md").read_text(encoding="utf-8").splitlines()
    for name in NAMES:
        hits = [line for line in lines if line.startswith("|") and f"`{name}.idx`" in line]
        assert len(hits) == 1, name
        assert f"docs/specs/{name}.md" in hits[0]


@pytest.mark.parametrize("path", GENERATORS, ids=[p.stem for p in GENERATORS])
def test_demo_generator_rewrites_its_bundled_file_byte_for_byte(path, tmp_path):
    spec = importlib.util.spec_from_file_location(path.stem, path)
    gen = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen)
    gen.write(tmp_path / "again.csv")
    assert (tmp_path / "again.csv").read_bytes() == gen.DEFAULT.read_bytes()
    assert "synthetic" in gen.DEFAULT.name and "SYNTHETIC" in (gen.__doc__ or "")
