"""`idxc decompose SPEC ENTITY` (issue 12): one entity's results back to the data. The
values come from the spec itself (an extra output); they are checked here against the
demo file read with the csv module, and the contributions against their definition:
w·x / Σw over the components present, adding up to the value before rounding."""

from __future__ import annotations

import csv
import math

import pytest

import idxlang
from conftest import ROOT, SPECS, idxc
from idxlang.tools.decompose import contributions, decompose

INNOVATION = SPECS / "innovation_competitiveness.idx"
REGION = "Synthetic region 07"


def panel() -> list[dict[str, str]]:
    with (SPECS / "demo" / "innovation_competitiveness" / "regions_synthetic.csv").open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_components_are_the_data_read_independently() -> None:
    rows = panel()
    found = decompose(idxlang.load(INNOVATION), REGION)
    assert [r["year"] for r in found.rows] == [2005, 2006, 2007, 2008]
    activity = next(p for p in found.tree if p.text == "activity")
    rd = next(p for p in activity.parts if p.text == "leader_pct(rd_costs)")
    for row in found.rows:
        year = [r for r in rows if int(r["year"]) == row["year"]]
        mine = next(float(r["rd_costs"]) for r in year if r["region"] == REGION)
        leader = max(float(r["rd_costs"]) for r in year)
        assert math.isclose(row[rd.column], mine / leader * 100, rel_tol=1e-12)


@pytest.mark.parametrize("params", [{}, {"w_activity": 3}])
def test_contributions_add_up_to_the_value_before_rounding(params) -> None:
    found = decompose(idxlang.load(INNOVATION, params), REGION)
    score = next(p for p in found.tree if p.text == "score")
    w = params.get("w_activity", 1)
    for row in found.rows:
        shares = contributions(score, row)
        a, r = row[score.parts[0].column], row[score.parts[1].column]
        assert math.isclose(shares[0], w * a / (w + 1), rel_tol=1e-12) and math.isclose(shares[1], r / (w + 1), rel_tol=1e-12)
        assert round(sum(shares), 2) == pytest.approx(row["score"], abs=1e-9)  # the score is published to 2 decimals
        activity = next(p for p in found.tree if p.text == "activity")
        assert math.isclose(sum(contributions(activity, row)), row["activity"], rel_tol=1e-12)


def test_a_missing_component_leaves_the_others_shares() -> None:
    """COINr's missing-component rule in `mean`: the present components' weights are
    renormalised; a missing one contributes nothing, shown as missing."""
    from idxlang.tools.decompose import Part

    part = Part("m", "m", parts=(Part("a", "a"), Part("b", "b"), Part("c", "c", weight="wc")), combine="mean")
    assert contributions(part, {"a": 2.0, "b": None, "c": 4.0, "wc": 3.0}) == [0.5, None, 3.0]


def test_the_command_prints_values_contributions_and_lines() -> None:
    proc = idxc("decompose", str(INNOVATION), REGION, "--period", "2008")
    assert proc.returncode == 0, proc.stderr
    out = proc.stdout
    assert out.startswith(f"region {REGION}, year 2008  (output regions)")
    assert "leader_pct(rd_costs) = " in out and "contributes" in out and "innovation_competitiveness.idx:47" in out
    assert "(rounded from " in out and out.count("\nregion ") == 0  # one period only


@pytest.mark.parametrize("args,message", [
    (["Synthetic region 7"], "no region 'Synthetic region 7' in the output"),
    ([REGION, "--period", "1999"], "has no row for period 1999"),
    ([REGION, "--output", "regoins"], "did you mean 'regions'?"),
])
def test_bad_requests_are_clear(args, message) -> None:
    proc = idxc("decompose", str(INNOVATION), *args)
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr, proc.stderr


def test_an_output_without_an_entity_is_refused() -> None:
    proc = idxc("decompose", str(SPECS / "import_substitution.idx"), "x")
    assert proc.returncode == 2 and "no entity to decompose" in proc.stderr


@pytest.mark.parametrize("path", [p for p in sorted(SPECS.glob("*.idx")) if p.stem != "import_substitution"],
                         ids=lambda p: p.stem)
def test_every_spec_with_an_entity_decomposes(path) -> None:
    spec = idxlang.load(path)
    first = spec.outputs[0]
    axis = next(k for k in spec.model.outputs[first].keys if k in spec.model.axes.entities)
    entity = str(spec.run(outputs=[first]).tables[first].column(axis)[0])
    proc = idxc("decompose", str(path), entity, cwd=ROOT)
    assert proc.returncode == 0 and proc.stdout.startswith(f"{axis} {entity}"), proc.stderr
