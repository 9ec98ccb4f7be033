"""The command line itself (issue 12): version, help, shell completion."""

from __future__ import annotations

import os

import pytest

from conftest import ROOT, idxc


def test_version_help_and_completion():
    """`idxc --version` says the installed version; `idxc` alone prints its help; the
    shell completion script names every command (README: "Shell completion")."""
    import re

    version = idxc("--version")
    assert version.returncode == 0 and re.fullmatch(r"idxc (\d+\.\d+\.\d+|unknown \(not installed\))\n", version.stdout)
    bare = idxc()
    assert bare.returncode == 0 and bare.stdout.startswith("usage: idxc") and "decompose" in bare.stdout
    script = idxc("--print-completion", "bash")
    assert script.returncode == 0 and "complete" in script.stdout
    for command in ("run", "sql", "explain", "decompose", "check", "analyse", "sensitivity"):
        assert command in script.stdout


def _in_a_terminal(*args: str, delay: str = "0") -> tuple[int, str]:
    """`idxc ARGS` with stderr on a pseudo-terminal, as a user at a terminal sees it."""
    import os
    import pty
    import subprocess
    import sys

    from conftest import ROOT

    leader, follower = pty.openpty()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "IDXC_PROGRESS_DELAY": delay}
    proc = subprocess.Popen([sys.executable, "-m", "idxlang.cli", *args], stdout=subprocess.PIPE, stderr=follower,
                            env=env, cwd=ROOT)
    os.close(follower)
    seen = b""
    while True:
        try:
            chunk = os.read(leader, 4096)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        seen += chunk
    proc.wait()
    os.close(leader)
    return proc.returncode, seen.decode("utf-8", errors="replace")


def test_a_progress_bar_at_a_terminal_only(tmp_path):
    """At a terminal a bar shows the statements' progress (here at once: the delay, 2 s
    by default, is set to 0); never with --quiet, never when stderr is a pipe."""
    spec = "specs/innovation_competitiveness.idx"
    code, shown = _in_a_terminal("run", spec, "--out", str(tmp_path / "a"))
    assert code == 0 and "%|" in shown and "output regions" in shown, shown
    code, shown = _in_a_terminal("run", spec, "--out", str(tmp_path / "b"), "--quiet")
    assert code == 0 and "%|" not in shown and "wrote" not in shown, shown
    code, shown = _in_a_terminal("run", spec, "--out", str(tmp_path / "c"), delay="60")
    assert code == 0 and "%|" not in shown and "wrote" in shown  # a short run shows no bar
    piped = idxc("run", spec, "--out", str(tmp_path / "d"))
    assert piped.returncode == 0 and "%|" not in piped.stderr


def test_the_command_as_a_process_of_its_own(tmp_path):
    """Most tests call the entry point in-process (conftest.idxc); here the real command
    runs as a user runs it: a result, a user error (exit 2, no traceback), --version."""
    from conftest import ROOT, idxc_process

    done = idxc_process("run", "specs/gvc_participation.idx", "--out", str(tmp_path / "out"), cwd=ROOT)
    assert done.returncode == 0 and (tmp_path / "out" / "participation.csv").exists(), done.stderr
    bad = tmp_path / "bad.idx"
    bad.write_text("let x = (1 +\n", encoding="utf-8")
    failed = idxc_process("check", str(bad))
    assert failed.returncode == 2 and "bad.idx:" in failed.stderr and "Traceback" not in failed.stderr
    assert idxc_process("--version").stdout.startswith("idxc ")


@pytest.mark.parametrize("args", [("--print-completion", "bash"), ("sql", "specs/import_substitution.idx")])
def test_a_reader_that_goes_away_ends_the_command_quietly(args) -> None:
    """`idxc --print-completion bash | head`: the pipe closed before idxc writes ends it
    with status 0 and no traceback (issue 26)."""
    import subprocess
    import sys

    proc = subprocess.Popen([sys.executable, "-m", "idxlang.cli", *args], cwd=ROOT, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader is gone before the command has written anything
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 0 and "Traceback" not in err and "BrokenPipe" not in err, err
