"""Differential testing (bench/differential): generated specs with data, each run
through idxc and compared with the reference interpreter (idxlang.reference) and with
idxc itself (each output alone, without shared steps, on default-layout Parquet copies
of the data); and the saved cases of tests/corpus/differential/, each replayed against
its expected.json. The long campaign: `python -m bench.differential --cases 10000`.

IDX_DIFFERENTIAL_EXAMPLES sets how many generated cases run (default: about a minute).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from bench.differential.oracle import reference_evaluator, rotating, run_case
from bench.differential.replay import folders, replay
from bench.differential.report import render
from bench.differential.specs import cases

EXAMPLES = int(os.environ.get("IDX_DIFFERENTIAL_EXAMPLES", "200"))
CORPUS = Path(__file__).resolve().parent / "corpus" / "differential"
EVALUATE = reference_evaluator()


@settings(max_examples=EXAMPLES, derandomize=True, deadline=None, database=None, print_blob=False,
          phases=[Phase.explicit, Phase.generate, Phase.shrink], suppress_health_check=list(HealthCheck))
@given(cases())
def test_generated_cases_agree_with_the_oracles(case) -> None:
    out = run_case(case, oracles=rotating(case), evaluate=EVALUATE)
    assert not out.disagrees, render(out)


@pytest.mark.parametrize("folder", folders(CORPUS), ids=lambda p: p.name)
def test_saved_case_gives_what_its_oracle_expects(folder: Path) -> None:
    problems = replay(folder)
    assert not problems, f"{folder.name}: {(folder / 'report.txt').read_text(encoding='utf-8')[:3000]}\n" + \
        "\n".join(problems[:30])


def test_cancelled_terms_agree_within_rounding_of_the_terms_and_errors_still_show() -> None:
    """A column that is all rounding residue (a sum of z-scores: 0 exactly in the reference,
    3e-16 in SQL) is measured against its terms, the case's data of size 80: it agrees,
    while a cell off by 1e-6 of those terms (a real error) and a missing cell still differ."""
    from bench.differential.compare import compare
    from bench.differential.frames import Frame

    want = Frame(("year", "s"), ((2000, 0.0), (2001, 0.0)), 1)
    residue = Frame(("year", "s"), ((2000, 3.05e-16), (2001, -2.2e-16)), 1)
    assert compare("o", want, residue, data=80.0) == []
    assert len(compare("o", want, residue)) == 2  # without the terms' size: only the column's own
    wrong = Frame(("year", "s"), ((2000, 8e-5), (2001, None)), 1)
    assert [d.pattern() for d in compare("o", want, wrong, data=80.0)] == ["float->float", "float->missing"]
