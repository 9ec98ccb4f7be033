"""One test per diagnostic: the message, and the caret under the right spot."""

from __future__ import annotations

import pytest

import idxlang
from conftest import idxc

HEADER = """table regions: region by year
  district attribute
  rd_costs, patents
table industries: industry by year
  output
"""


def error_of(text: str) -> str:
    with pytest.raises(idxlang.IdxError) as info:
        idxlang.loads(text, path="spec.idx")
    return info.value.render()


def caret(rendered: str, line_no: int) -> int:
    """Column (1-based) of the first caret under the source line `line_no`."""
    lines = rendered.splitlines()
    src = next(i for i, ln in enumerate(lines) if ln.startswith(f"{line_no} | "))
    under = lines[src + 1]
    return under.index("^") - under.index("|") - 1


def test_syntax_error_names_file_line_column_with_caret():
    text = HEADER + "let x = rd_costs * * 2\n"
    out = error_of(text)
    assert out.startswith("spec.idx:6:20: error: syntax error: unexpected '*'")
    assert "6 | let x = rd_costs * * 2" in out
    assert caret(out, 6) == 20


def test_reduction_without_axis_is_rejected():
    out = error_of(HEADER + "let top = max(rd_costs)\n")
    assert "spec.idx:6:11: error: max() does not say what it reduces over" in out
    assert "max(x over <entity or time axis>)" in out
    assert caret(out, 6) == 11


def test_grain_mismatch_that_cannot_broadcast():
    out = error_of(HEADER + "let bad = rd_costs + output\n")
    assert "spec.idx:6:22: error: grain mismatch: this is industry × year, but the expression it joins is region × year" in out
    assert caret(out, 6) == 22


def test_coarser_grain_broadcasts_without_error():
    spec = idxlang.loads(HEADER + "let share = rd_costs / sum(rd_costs over region)\n"
                         "output by region, year: share\n", path="spec.idx")
    assert spec.model.definitions["share"].grain.dims == ("region", "year")


def test_unknown_name_suggests_the_closest():
    out = error_of(HEADER + "let x = rd_cost * 2\n")
    assert "spec.idx:6:9: error: unknown name 'rd_cost'" in out
    assert "did you mean 'rd_costs'?" in out
    assert caret(out, 6) == 9


def test_unknown_function_suggests_the_closest():
    out = error_of(HEADER + "let x = geomaen(rd_costs, patents)\n")
    assert "unknown function 'geomaen'" in out and "did you mean 'geomean'?" in out
    assert caret(out, 6) == 9


def test_cycle_is_reported_with_its_path():
    out = error_of(HEADER + "let a = b + 1\nlet b = a * 2\n")
    assert "error: cycle: a → b → a" in out
    assert "spec.idx:7:9:" in out and caret(out, 7) == 9


def test_overlapping_bands_are_rejected():
    out = error_of(HEADER + 'scale s\n  "hi" (50, 100]\n  "lo" [0, 50]\n  "mid" [40, 60]\n')
    assert "bands" in out and "overlap" in out
    assert "spec.idx:9:3:" in out or "spec.idx:8:3:" in out
    line = int(out.split(":")[1])
    assert caret(out, line) == 3


def test_band_gap_is_a_warning():
    spec = idxlang.loads(HEADER + 'scale s\n  "hi" (60, 100]\n  "lo" [0, 50]\n'
                         "output by region, year: classify(rd_costs, s) as c\n", path="spec.idx")
    assert len(spec.warnings) == 1
    w = spec.warnings[0]
    assert "warning: scale s has a gap (50, 60]" in w and "spec.idx:7:3:" in w
    assert caret(w, 7) == 3


def test_output_finer_than_its_grain_is_rejected():
    out = error_of(HEADER + "output by year: rd_costs\n")
    assert "'rd_costs' is region × year, finer than the output's year" in out


def test_rank_must_state_direction():
    out = error_of(HEADER + "output by region, year: rank(rd_costs) as place\n")
    assert "rank() must state its direction" in out


def test_cli_user_error_exits_2_without_traceback(write):
    spec = write("bad.idx", HEADER + "let x = rd_cost * 2\noutput by region, year: x\n")
    proc = idxc("sql", str(spec))
    assert proc.returncode == 2
    assert "Traceback" not in proc.stderr
    assert f"{spec}:6:9: error: unknown name 'rd_cost'" in proc.stderr
    assert "^^^^^^^" in proc.stderr


def test_unreadable_or_malformed_inputs_exit_2(write, tmp_path):
    proc = idxc("check", str(tmp_path))
    assert proc.returncode == 2 and "cannot read spec file" in proc.stderr and "Traceback" not in proc.stderr
    spec = write("s.idx", HEADER.split("table industries")[0] + "output by region, year: rd_costs\n")
    data = write("panel.csv", 'region,year,district,rd_costs,patents\nA,2005,X,"1,2\n')
    proc = idxc("run", str(spec), "--data", str(data))
    assert proc.returncode == 2 and "Traceback" not in proc.stderr and "error" in proc.stderr


def test_unknown_param_override_suggests(write):
    spec = write("p.idx", HEADER + "param base_year = 2005\noutput by region, year: rd_costs\n")
    proc = idxc("sql", str(spec), "--param", "base_yaer=2006")
    assert proc.returncode == 2 and "did you mean 'base_year'?" in proc.stderr


def test_a_keyword_used_as_a_name_inside_a_call_gets_the_backquote_hint(write):
    write("k.csv", "r,y,power,b\nA,1,1,2\n")
    path = write("k.idx", 'table t: r by y from "k.csv"\n  power, b\noutput by r, y: mean(power, b) as m\n')
    with pytest.raises(idxlang.IdxError) as err:
        idxlang.load(path)
    text = err.value.render()
    assert "k.idx:3:22: error: syntax error: 'power' is a clause keyword" in text  # at the word, not the comma
    assert "write it in backquotes: `power`" in text
    fixed = write("k.idx", 'table t: r by y from "k.csv"\n  power, b\noutput by r, y: mean(`power`, b) as m\n')
    assert idxlang.load(fixed).table().to_pylist() == [{"r": "A", "y": 1, "m": 1.5}]


SPANNED = """table t: e by y
  x, w "weight"
let s = if not x > 1 then rank(x desc direction -1) else mean(x in 2001..2003)
"""


def _at(text: str, piece: str) -> tuple[int, int, int]:
    """(line, first column, column after the end) of `piece` in `text`, 1-based."""
    for number, line in enumerate(text.splitlines(), 1):
        if piece in line:
            col = line.index(piece) + 1
            return number, col, col + len(piece)
    raise AssertionError(piece)


def test_spans_run_from_the_keyword_to_the_closing_parenthesis() -> None:
    """The parser builds the AST as it reduces, with no parse tree: a node's span is
    the text it came from, keyword and `)` included, which carets are drawn under."""
    from idxlang.parse import parse

    table, let = parse(SPANNED, "spec.idx").statements
    assert (table.span.line, table.span.column, table.span.end_line) == (1, 1, 2)
    assert table.span.end_column == _at(SPANNED, '"weight"')[2]
    cond = let.value
    assert (let.span.line, let.span.column, let.span.end_column) == (3, 1, len(SPANNED.splitlines()[2]) + 1)
    assert (cond.span.column, cond.span.end_column) == _at(SPANNED, "if not")[1:2] + (let.span.end_column,)
    assert (cond.cond.span.column, cond.cond.span.end_column) == _at(SPANNED, "not x > 1")[1:]
    rank = cond.then
    assert (rank.span.column, rank.span.end_column) == _at(SPANNED, "rank(x desc direction -1)")[1:]
    assert (rank.polarity.span.column, rank.polarity.span.end_column) == _at(SPANNED, "direction -1")[1:]
    assert rank.polarity.value == -1
    window = cond.orelse.within
    assert (window.span.column, window.span.end_column) == _at(SPANNED, "in 2001..2003")[1:]


# ---------------------------------------------------------------- issue 24: syntax errors where the mistake is


def test_a_missing_parenthesis_is_reported_at_the_one_left_open() -> None:
    for body, at in [("let x = mean(rd_costs over region\noutput by year: x\n", (6, 13)),
                     ("let x = round(max(rd_costs over region), 2\nlet y = x\noutput by year: y\n", (6, 14)),
                     ("output by region, year: round(rd_costs, 2\n", (6, 30))]:
        out = error_of(HEADER + body)
        assert out.startswith(f"spec.idx:{at[0]}:{at[1]}: error: syntax error: this '(' is never closed"), out
        assert caret(out, at[0]) == at[1] and "close it with ')'" in out


def test_a_statement_indented_by_mistake_says_indented_lines_continue() -> None:
    out = error_of(HEADER + "let x = rd_costs * 2\n  let y = x + 1\noutput by region, year: x\n")
    assert "spec.idx:7:3: error: syntax error: 'let' is indented, so it continues the statement above" in out
    assert "an indented line continues the statement above" in out and caret(out, 7) == 3


def test_hints_never_name_the_grammars_terminals() -> None:
    """Every one-character deletion from a valid spec that breaks its syntax: the hint
    says what to type (`'^'`, `'+' or '-'`), never a terminal's name (`circumflex`)."""
    from idxlang.parse import parser

    internal = {f"'{t.name.lower()}'" for t in parser().terminals
                if t.pattern.type == "str" and t.name.lower() != t.pattern.value} | {"'minus'", "'close'", "'open'"}
    text = HEADER + ("let x = round(mean(rd_costs: 2, patents: 1) ^ 2 / (rd_costs + 1), 3)\n"
                     "let y = if x > 1 then x else -x ?? 0\n"
                     "output by region, year: x, y as z\n")
    broken = 0
    for i in range(len(HEADER), len(text)):
        if text[i] in " \n":
            continue
        try:
            idxlang.loads(text[:i] + text[i + 1:], path="spec.idx")
        except idxlang.IdxError as err:
            message = err.render()
            if "syntax error" in message:
                broken += 1
                assert not any(name in message for name in internal), message
                assert "a new line" not in message.split("hint:")[-1] or "expected a new line" in message, message
    assert broken > 30


# ---------------------------------------------------------------- issue 24: every error at once


THREE = HEADER + """let top = max(rd_cost over region)
let twice = top * 2
let spread = max(patents over regoin)
let ok = rd_costs / 2
output by year: twice, spread, sum(ok over region) as total, summ(patents over region) as p
output districts by district: ok
"""


def test_check_reports_every_independent_error_and_no_follow_on(write) -> None:
    """Four mistakes in four places: an unknown column, an unknown axis, an unknown
    function, a grain too fine. `twice` uses the wrong `top` and is not reported again;
    the first output's other columns are checked all the same."""
    with pytest.raises(idxlang.IdxError) as err:
        idxlang.loads(THREE, path="spec.idx")
    found = [(d.span.line, d.message) for d in err.value.diagnostics]
    assert found == [(6, "unknown name 'rd_cost'"), (8, "unknown axis 'regoin'"), (10, "unknown function 'summ'"),
                     (11, "'ok' is region × year, finer than the output's district")]
    path = write("three.idx", THREE)
    proc = idxc("check", str(path))
    assert proc.returncode == 2 and proc.stderr.count(": error: ") == 4 and "Traceback" not in proc.stderr
    assert proc.stderr.index("did you mean 'rd_costs'?") < proc.stderr.index("did you mean 'region'?")


def test_the_language_server_shows_every_error() -> None:
    from idxlang.tools.lsp import Document

    assert [d.span.line for d in Document(THREE, "spec.idx").diagnostics] == [6, 8, 10, 11]


def test_a_cycle_is_one_error_and_a_def_wrong_everywhere_is_reported_once() -> None:
    cyclic = HEADER + "let a = b + 1\nlet b = a * 2\noutput by region, year: a\n"
    with pytest.raises(idxlang.IdxError) as err:
        idxlang.loads(cyclic, path="spec.idx")
    assert [d.message for d in err.value.diagnostics] == ["cycle: a → b → a"]
    twice = HEADER + "def f(x) = x + nope\nlet a = f(rd_costs)\nlet b = f(patents)\noutput by region, year: a, b\n"
    with pytest.raises(idxlang.IdxError) as err:
        idxlang.loads(twice, path="spec.idx")
    assert [d.message for d in err.value.diagnostics] == ["unknown name 'nope'"]
