"""Imputation along time (issue 5): carry forward, carry backward and linear
interpolation by calendar period, compared with a plain-Python fill of the same
series, including a period absent from the data and missing values at the ends."""

from __future__ import annotations

import pytest

import idxlang

PANEL = "firm,year,x\nA,1,1\nA,2,\nA,3,\nA,4,7\nA,5,\nB,1,\nB,2,4\nB,3,\nB,5,10\nC,1,\nC,2,\n"


def by_hand(series: dict[int, float | None]) -> dict[str, dict[int, float | None]]:
    years = sorted(series)
    seen = [(t, v) for t, v in sorted(series.items()) if v is not None]
    out: dict[str, dict[int, float | None]] = {"ff": {}, "fb": {}, "li": {}}
    for t in years:
        before = [(s, v) for s, v in seen if s <= t]
        after = [(s, v) for s, v in seen if s >= t]
        out["ff"][t] = before[-1][1] if before else None
        out["fb"][t] = after[0][1] if after else None
        if series[t] is not None:
            out["li"][t] = series[t]
        elif before and after:
            (t0, v0), (t1, v1) = before[-1], after[0]
            out["li"][t] = v0 + (v1 - v0) * (t - t0) / (t1 - t0)
        else:
            out["li"][t] = None
    return out


def test_fill_forward_backward_and_interpolate(write):
    write("panel.csv", PANEL)
    spec = idxlang.load(write("s.idx", 'table t: firm by year from "panel.csv"\n  x\n'
                                       "output by firm, year: fill_forward(x) as ff, fill_backward(x) as fb, interpolate(x) as li\n"))
    got = {(r["firm"], r["year"]): r for r in spec.table().to_pylist()}
    series: dict[str, dict[int, float | None]] = {}
    for line in PANEL.strip().splitlines()[1:]:
        firm, year, x = line.split(",")
        series.setdefault(firm, {})[int(year)] = float(x) if x else None
    for firm, values in series.items():
        want = by_hand(values)
        for column, expected in want.items():
            for year, value in expected.items():
                assert got[(firm, year)][column] == (pytest.approx(value) if value is not None else None), (firm, year, column)
    assert got[("B", 3)]["li"] == pytest.approx(6)  # 4 in year 2, 10 in year 5: by calendar, not by row


def test_imputation_needs_a_time_axis(write):
    write("panel.csv", "firm,x\nA,1\n")
    with pytest.raises(idxlang.IdxError, match="interpolate"):
        idxlang.load(write("s.idx", 'table t: firm from "panel.csv"\n  x\noutput by firm: interpolate(x) as y\n'))
