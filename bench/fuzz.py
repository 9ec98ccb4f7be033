"""python -m bench --fuzz N: the front end against N inputs nobody thought of (issue 13).

Half the inputs are mutations of the library's specs (deleted, duplicated and swapped
tokens and lines, truncation, random bytes and Unicode, 500-deep nesting, huge numbers,
10,000-character names, unknown functions, wrong arities, cyclic and self-referencing
lets, duplicate names, CRLF, a byte-order mark), half are specs generated from the
grammar's shapes. Each goes through `check` and `sql`, and one in RUN_EVERY through
`run` on the spec's demo data. Every input must end in a result or in a diagnostic that
names file, line and column; a Python exception, a RecursionError or a hang (TIMEOUT
seconds per input) is a failure, printed with the input that caused it.
"""

from __future__ import annotations

import random
import re
import signal
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable, Iterator

ROOT = Path(__file__).resolve().parent.parent
SPECS = ROOT / "specs"
TIMEOUT = 10.0  # seconds per input
RUN_EVERY = 50
_TOKEN = re.compile(r'"(?:[^"\\\n]|\\.)*"|\w+|\.\.|\?\?|[<>=!]=|\S')


class Hang(Exception):
    pass


@dataclass(frozen=True)
class Outcome:
    kind: str  # "result", "diagnostic" or "failure"
    detail: str = ""


def library() -> list[tuple[Path, str]]:
    return [(p, p.read_text(encoding="utf-8")) for p in sorted(SPECS.glob("*.idx"))]


# ------------------------------------------------------------------ mutations


def _tokens(text: str) -> list[re.Match[str]]:
    return list(_TOKEN.finditer(text))


def _splice(text: str, m: re.Match[str], new: str) -> str:
    return text[:m.start()] + new + text[m.end():]


def mutate(text: str, rng: random.Random) -> str:
    """One to three random edits of a spec's text."""
    for _ in range(rng.randint(1, 3)):
        text = rng.choice(MUTATIONS)(text, rng)
    return text


def _delete_token(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    return _splice(text, rng.choice(toks), "") if toks else text


def _duplicate_token(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    if not toks:
        return text
    m = rng.choice(toks)
    return _splice(text, m, m.group() + " " + m.group())


def _swap_tokens(text: str, rng: random.Random) -> str:
    toks = _tokens(text)
    if len(toks) < 2:
        return text
    a, b = sorted(rng.sample(range(len(toks)), 2))
    ta, tb = toks[a], toks[b]
    return text[:ta.start()] + tb.group() + text[ta.end():tb.start()] + ta.group() + text[tb.end():]


def _line_edit(text: str, rng: random.Random) -> str:
    lines = text.split("\n")
    i, j = rng.randrange(len(lines)), rng.randrange(len(lines))
    op = rng.choice(("delete", "duplicate", "swap"))
    if op == "delete":
        del lines[i]
    elif op == "duplicate":
        lines.insert(i, lines[i])
    else:
        lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _truncate(text: str, rng: random.Random) -> str:
    return text[:rng.randrange(len(text) + 1)]


def _random_bytes(text: str, rng: random.Random) -> str:
    junk = rng.choice(["\x00", "\x07", "\ufeff", "\u200b", "é", "ж", "中", "😀", "\udcff".encode("utf-8", "surrogatepass")
                       .decode("utf-8", "replace"), "\t", "\r", "\\", "`", "'", '"', "#", "--", "/*", "*/", ";",
                       "".join(chr(rng.randrange(32, 0x2FFF)) for _ in range(rng.randint(1, 20)))])
    i = rng.randrange(len(text) + 1)
    return text[:i] + junk + text[i:]


def _deep_nesting(text: str, rng: random.Random) -> str:
    depth = rng.choice((100, 500, 2000))
    return text + f"\nlet deep_{depth} = " + "(" * depth + "1" + ")" * depth + "\n"


def _huge_number(text: str, rng: random.Random) -> str:
    numbers = [m for m in _tokens(text) if m.group().isdigit()]
    big = rng.choice(("1e400", "9" * 400, "0." + "0" * 400 + "1", "1e-400", "99999999999999999999"))
    return _splice(text, rng.choice(numbers), big) if numbers else text + f"\nparam huge = {big}\n"


def _long_name(text: str, rng: random.Random) -> str:
    names = [m for m in _tokens(text) if m.group().isidentifier()]
    long = rng.choice("abcж") * rng.choice((1000, 10000))
    return _splice(text, rng.choice(names), long) if names else text


def _unknown_function(text: str, rng: random.Random) -> str:
    calls = [m for m in re.finditer(r"\b([a-z_]+)\(", text)]
    if not calls:
        return text
    m = rng.choice(calls)
    return text[:m.start(1)] + rng.choice(("frobnicate", "meen", "rankk", "lagg", "x", "let")) + text[m.end(1):]


def _wrong_arity(text: str, rng: random.Random) -> str:
    calls = [m for m in re.finditer(r"\b[a-z_]+\(", text)]
    if not calls:
        return text
    m = rng.choice(calls)
    return text[:m.end()] + rng.choice(("", "1, 2, 3, ", "x, ", ")")) + text[m.end():]


def _cycle(text: str, rng: random.Random) -> str:
    return text + rng.choice(("\nlet cyc_a = cyc_b + 1\nlet cyc_b = cyc_a * 2\n", "\nlet self_ref = self_ref + 1\n",
                              "\ndef f(x) = f(x) + 1\nlet g = f(1)\n"))


def _duplicate_name(text: str, rng: random.Random) -> str:
    lets = re.findall(r"^let (\w+)", text, flags=re.M)
    params = re.findall(r"^param (\w+)", text, flags=re.M)
    name = rng.choice(lets + params) if lets + params else "dup"
    return text + rng.choice((f"\nlet {name} = 1\n", f"\nparam {name} = 2\n", f"\ndef {name}(x) = x\n"))


def _line_endings(text: str, rng: random.Random) -> str:
    return rng.choice((text.replace("\n", "\r\n"), "\ufeff" + text, text.replace("\n", "\r"), text.replace("  ", "\t")))


MUTATIONS: list[Callable[[str, random.Random], str]] = [
    _delete_token, _duplicate_token, _swap_tokens, _line_edit, _truncate, _random_bytes, _deep_nesting, _huge_number,
    _long_name, _unknown_function, _wrong_arity, _cycle, _duplicate_name, _line_endings]


# ------------------------------------------------------------------ generated specs


def generated(rng: random.Random) -> str:
    """A spec built from the grammar's shapes: tables, params, defs, lets, a scale,
    outputs; with the shapes issue 29's generator reached and this one did not: user
    functions applied to user functions (and bodies that ignore their parameter),
    `chain`, `cumsum` and `lag` inside a def, `at` inside a rank, reductions of ranks by
    group, `treat` and `zscore` nested, `classify` of a row-wise sum."""
    from idxlang.builtins import REGISTRY

    funcs = sorted(REGISTRY)
    cols = [f"c{i}" for i in range(rng.randint(1, 4))]
    lines = ['table t: e by y from "t.csv"', "  g attribute", "  " + ", ".join(cols)]
    names = list(cols)
    for i in range(rng.randint(0, 2)):
        lines.append(f"param p{i} = {rng.choice(['1', '0.5', '-2', '1e3'])}")
        names.append(f"p{i}")
    defs: list[str] = []
    scale = rng.random() < 0.5

    careful = rng.random() < 0.6  # shapes that check: the later stages are reached, not only the parser

    def atom(local: list[str]) -> str:
        if careful and rng.random() < 0.75:  # a quantity of the panel: what reductions and ranks take
            return rng.choice([n for n in names if not n.startswith("p")] + local)
        return rng.choice(names + local + ["1", "2.5", "0"] + ([] if careful else ["y", "e", "g"]))

    def expr(depth: int, local: list[str] = []) -> str:  # noqa: B006 - read only
        if depth <= 0 or rng.random() < 0.3:
            return atom(local)
        kind = rng.random()
        sub = lambda: expr(depth - 1, local)  # noqa: E731
        if kind < 0.3:  # bracketed when careful: `a < b == c` and `x + if ...` do not parse
            text = f"{sub()} {rng.choice(['+', '-', '*', '/', '^', '??', '<', '=='])} {sub()}"
            return f"({text})" if careful else text
        if kind < 0.37:
            text = f"if {sub()} > 0 then {sub()} else {sub()}"
            return f"({text})" if careful else text
        if kind < 0.43:
            return f"({sub()}) at {rng.choice(['2020', '2020Q1', 'p0', 'x'])}"
        if kind < 0.58:  # the shapes of issue 29
            shape = rng.choice([
                lambda: f"rank({sub()} at 2020 {rng.choice(['desc', 'asc'])})",
                lambda: f"{rng.choice(['mean', 'median', 'max', 'min'])}(rank({sub()} desc ties first) by g)",
                lambda: f"treat(zscore({sub()}))", lambda: f"zscore(treat({sub()}) by g)",
                lambda: f"chain({sub()})", lambda: f"cumsum({sub()} over y)", lambda: f"lag({sub()})",
                lambda: f"{sub()} is missing", lambda: f"startswith(g, \"G\")",
                lambda: (f"classify(sum({sub()}, {sub()}), s)" if scale else f"sum({sub()}, {sub()})"),
            ])
            return shape()
        if kind < 0.7 and defs:
            name, arity = rng.choice(defs)
            return f"{name}({', '.join(sub() for _ in range(arity))})"
        if careful:  # a function with a clause it takes
            func, clause, arity = rng.choice(_CAREFUL)
            return f"{func}({', '.join(sub() for _ in range(arity))}{clause})"
        clause = rng.choice(["", " over e", " over y", " by g", " over y in 2019..2021", " desc", " ties min",
                             " direction -1", " present 1", " where c0 > 1", " by e", " over e, y"])
        args = ", ".join(sub() for _ in range(rng.randint(1, 3)))
        return f"{rng.choice(funcs)}({args}{clause})"

    for i in range(rng.randint(0, 3)):  # each may apply the ones before it
        params = ["a"] if rng.random() < 0.7 else ["a", "b"]
        body = expr(3, params if rng.random() < 0.9 else [])  # one in ten ignores its parameters
        lines.append(f"def f{i}({', '.join(params)}) = {body}")
        defs.append((f"f{i}", len(params)))
    for i in range(rng.randint(1, 5)):
        lines.append(f"let v{i} = {expr(3)}")
        names.append(f"v{i}")
    if scale:
        lines += ["scale s", '  "A" (50, inf]', '  "B" [0, 50]']
    keys = rng.choice(["e, y", "e", "y", "g, y", ""])
    lines.append(f"output o by {keys}: " + ", ".join(rng.sample(names, min(len(names), 3))))
    return "\n".join(lines) + "\n"


_CAREFUL = [(f, c, 1) for f in ("sum", "mean", "max", "min", "median", "sd", "count", "geomean")
            for c in (" over e", " over y", " by g", " over y in 2019..2021", " over e, y")] + \
    [(f, c, 1) for f in ("minmax", "zscore", "prank", "fracmax", "treat") for c in ("", " over e", " by g")] + \
    [("rank", c, 1) for c in (" desc", " asc ties min", " desc by g", " desc where c0 > 1")] + \
    [(f, "", 1) for f in ("lag", "chain", "cumsum", "interpolate", "fill_forward", "abs", "sqrt", "ln")] + \
    [(f, c, n) for f in ("mean", "geomean", "hmean", "sum", "product") for c, n in (("", 2), ("", 3), (" present 1", 3))] + \
    [("round", "", 1), ("least", "", 2), ("greatest", "", 3), ("quantile", " over e", 1)]


def panel(folder: Path) -> Path:
    """The small panel generated specs run on: t.csv with e, y, g, c0…c3, gaps included."""
    rng = random.Random(29)
    rows = ["e,y,g,c0,c1,c2,c3"]
    for e, g in (("A", "G1"), ("B", "G1"), ("C", "G2"), ("D", "G2")):
        for y in range(2018, 2022):
            cells = [str(rng.randint(0, 60)) if rng.random() > 0.1 else "" for _ in range(4)]
            rows.append(",".join([e, str(y), g, *cells]))
    path = folder / "t.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


# ------------------------------------------------------------------ running


def _alarm(signum: int, frame: object) -> None:
    raise Hang()


def outcome(text: str, path: str, run: bool = False) -> Outcome:
    """What the front end makes of `text`: a result, a diagnostic with its place, or a failure."""
    import idxlang
    from idxlang.diagnostics import IdxError

    previous = signal.signal(signal.SIGALRM, _alarm)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT)
    try:
        spec = idxlang.loads(text, path=path)
        spec.script()
        if run:
            spec.run()
        return Outcome("result")
    except IdxError as err:
        bad = [d for d in err.diagnostics if d.span is not None and d.span.line and not d.path]
        rendered = err.render()
        if bad or "Traceback" in rendered:
            return Outcome("failure", f"diagnostic without its file: {rendered[:300]}")
        return Outcome("diagnostic", rendered.splitlines()[0][:200])
    except Hang:
        return Outcome("failure", f"no answer within {TIMEOUT:g} s")
    except RecursionError:
        return Outcome("failure", "RecursionError")
    except Exception as err:  # noqa: BLE001 - what the fuzzer is looking for
        return Outcome("failure", f"{type(err).__name__}: {err}"[:300])
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def inputs(n: int, seed: int = 0, folder: Path | None = None) -> Iterator[tuple[str, str, bool]]:
    """N inputs (text, path, whether to run it too), half mutants, half generated; a
    generated spec is run on `folder`'s panel (t.csv) one time in five."""
    rng = random.Random(seed)
    specs = library()
    for i in range(n):
        if i % 2 == 0:
            path, text = rng.choice(specs)
            yield mutate(text, rng), str(path.with_name("fuzzed.idx")), i % RUN_EVERY == 0
        else:
            home = folder if folder is not None else SPECS
            yield generated(rng), str(home / "generated.idx"), folder is not None and i % 10 == 1


def main(n: int, seed: int = 0) -> int:
    import tempfile

    counts = {"result": 0, "diagnostic": 0, "failure": 0}
    failures = []
    folder = Path(tempfile.mkdtemp(prefix="idxfuzz-"))
    panel(folder)
    for text, path, run in inputs(n, seed, folder):
        found = outcome(text, path, run)
        counts[found.kind] += 1
        if found.kind == "failure":
            failures.append((found.detail, text))
    print(f"fuzz: {n} inputs (seed {seed}): {counts['result']} results, {counts['diagnostic']} diagnostics, "
          f"{counts['failure']} failures")
    for detail, text in failures[:10]:
        print(f"\n--- {detail}\n{text[:1500]}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(int(sys.argv[1]) if len(sys.argv) > 1 else 1000))
