"""Editor support (issue 12): the TextMate grammar for highlighting, kept in step with
the language, and the language server `idxc lsp`, driven over stdio as an editor drives
it (JSON-RPC with Content-Length headers)."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from conftest import ROOT
from idxlang.builtins import REGISTRY
from idxlang.layouts import LAYOUTS

GRAMMAR = ROOT / "editors" / "vscode" / "syntaxes" / "idx.tmLanguage.json"


def _patterns() -> dict[str, str]:
    rules = json.loads(GRAMMAR.read_text(encoding="utf-8"))["repository"]
    return {name: rule["match"] for name, rule in rules.items()}


def test_the_grammar_knows_the_languages_words() -> None:
    patterns = _patterns()
    for name, pattern in patterns.items():
        re.compile(pattern)  # Oniguruma reads these as Python does
    listed = set(re.search(r"\\b\((.*)\)\(\?=", patterns["builtin"]).group(1).split("|"))
    assert listed == set(REGISTRY)
    words = set(re.findall(r'"([a-z]+)"', (ROOT / "grammar" / "idx.lark").read_text(encoding="utf-8")))
    highlighted = set(re.search(r"\((.*)\)", patterns["keyword"]).group(1).split("|")) | \
        set(re.search(r"\^\((.*)\)", patterns["statement"]).group(1).split("|")) | {"inf"}
    assert words <= highlighted, words - highlighted
    assert set(LAYOUTS) <= highlighted, set(LAYOUTS) - highlighted  # a layout's name is a word of the grammar's layout rule


def test_the_grammar_scopes_a_line() -> None:
    patterns = _patterns()
    line = 'let g = mean(x over quarter in 2023Q1..2023Q4) ?? 0  # "a" note'
    assert re.search(patterns["declaration"], line).groups() == ("let", "g")
    assert re.search(patterns["builtin"], line).group() == "mean"
    assert re.findall(patterns["period"], line) == ["2023Q1", "2023Q4"]
    assert re.search(patterns["comment"], line).group() == '# "a" note'
    assert "over" in re.findall(patterns["keyword"], line) and "??" in re.findall(patterns["operator"], line)


class Client:
    """An editor's end of the language server's stdio."""

    def __init__(self) -> None:
        self.proc = subprocess.Popen([sys.executable, "-m", "idxlang.cli", "lsp"], stdin=subprocess.PIPE,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT,
                                     env={**os.environ, "PYTHONPATH": str(ROOT)})
        self.watchdog = threading.Timer(60, self.proc.kill)  # a hung server fails the test, not the suite
        self.watchdog.start()
        self.next_id = 0

    def send(self, method: str, params: dict, request: bool = True) -> int | None:
        message: dict = {"jsonrpc": "2.0", "method": method, "params": params}
        if request:
            self.next_id += 1
            message["id"] = self.next_id
        body = json.dumps(message).encode("utf-8")
        self.proc.stdin.write(f"Content-Length: {len(body)}\r\n\r\n".encode() + body)
        self.proc.stdin.flush()
        return message.get("id")

    def read(self) -> dict:
        length = None
        while True:
            line = self.proc.stdout.readline()
            if not line:
                raise AssertionError(f"the server stopped: {self.proc.stderr.read().decode()[-2000:]}")
            if line in (b"\r\n", b"\n"):
                break
            if line.lower().startswith(b"content-length:"):
                length = int(line.split(b":")[1])
        return json.loads(self.proc.stdout.read(length))

    def until(self, want) -> dict:  # type: ignore[no-untyped-def]
        for _ in range(50):
            message = self.read()
            if want(message):
                return message
        raise AssertionError("no such message")

    def request(self, method: str, params: dict) -> dict:
        ident = self.send(method, params)
        return self.until(lambda m: m.get("id") == ident)["result"]


SPEC = 'table t: region by year from "t.csv"\n  x "Exports"\n\nlet s = x * 2 "Twice the exports"\noutput by region, year: s, y\n'


def test_the_language_server_over_stdio(tmp_path: Path) -> None:
    uri = (tmp_path / "s.idx").as_uri()
    client = Client()
    try:
        caps = client.request("initialize", {"processId": None, "rootUri": tmp_path.as_uri(), "capabilities": {}})
        assert caps["capabilities"]["hoverProvider"] and caps["capabilities"]["definitionProvider"]
        client.send("initialized", {}, request=False)
        client.send("textDocument/didOpen", {"textDocument": {"uri": uri, "languageId": "idx", "version": 1,
                                                              "text": SPEC}}, request=False)
        published = client.until(lambda m: m.get("method") == "textDocument/publishDiagnostics")["params"]
        (problem,) = published["diagnostics"]
        assert "unknown name 'y'" in problem["message"] and problem["range"]["start"] == {"line": 4, "character": 27}
        fixed = SPEC.replace(", y\n", "\n")
        client.send("textDocument/didChange", {"textDocument": {"uri": uri, "version": 2},
                                               "contentChanges": [{"text": fixed}]}, request=False)
        published = client.until(lambda m: m.get("method") == "textDocument/publishDiagnostics")["params"]
        assert published["diagnostics"] == []
        hover = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 4, "character": 24}})
        assert "let s = x * 2" in hover["contents"]["value"] and "region × year" in hover["contents"]["value"]
        assert "Twice the exports" in hover["contents"]["value"]
        column = client.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": {"line": 3, "character": 8}})
        assert "column (region by year) of table t" in column["contents"]["value"] and "Exports" in column["contents"]["value"]
        where = client.request("textDocument/definition", {"textDocument": {"uri": uri},
                                                            "position": {"line": 4, "character": 24}})
        assert where["uri"] == uri and where["range"]["start"]["line"] == 3
        client.request("shutdown", {})
        client.send("exit", {}, request=False)
        assert client.proc.wait(timeout=10) == 0
    finally:
        client.watchdog.cancel()
        if client.proc.poll() is None:
            client.proc.kill()
