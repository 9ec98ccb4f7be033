"""The command line itself (issue 12): version, help, shell completion."""

from __future__ import annotations

from conftest import idxc


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
