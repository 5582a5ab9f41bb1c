"""The `vciso` command table and cold start: light commands never import the heavy stack."""

from __future__ import annotations

import argparse
import importlib
import os
import subprocess
import sys
from pathlib import Path

from advisor.cli import COMMANDS, MODULES

HEAVY = (
    "torch",
    "sentence_transformers",
    "chromadb",
    "langchain_core",
    "streamlit",
    "fastapi",
    "sqlalchemy",
    "matplotlib",
    "pdfplumber",
    "openpyxl",
    "evals",
)


def _registered() -> dict[str, tuple[str, str]]:
    found: dict[str, tuple[str, str]] = {}
    for module in MODULES:
        parser = argparse.ArgumentParser()
        sub = parser.add_subparsers(dest="command")
        importlib.import_module(f"advisor.cli.{module}").register(sub)
        helps = {a.dest: a.help for a in sub._choices_actions}
        for name in sub.choices:
            found[name] = (module, helps.get(name, ""))
    return found


def test_the_command_table_matches_what_the_modules_register() -> None:
    assert _registered() == COMMANDS  # a new command must be listed in advisor/cli/__init__.py's COMMANDS


def _imported_after(*argv: str, data_dir: Path | None = None) -> set[str]:
    code = (
        "import sys\nfrom advisor.cli import main\n"
        "try:\n    main(sys.argv[1:])\nexcept SystemExit:\n    pass\n"
        "print('\\n'.join(sys.modules))"
    )
    env = {**os.environ, **({"VCISO_DATA_DIR": str(data_dir)} if data_dir else {})}
    out = subprocess.run(
        [sys.executable, "-c", code, *argv], capture_output=True, text=True, timeout=120, check=True, env=env
    )
    return {line.split(".")[0] for line in out.stdout.splitlines()}


def test_help_imports_nothing_heavy() -> None:
    loaded = _imported_after("--help")
    assert not loaded & set(HEAVY), sorted(loaded & set(HEAVY))
    assert "advisor" in loaded


def test_a_command_help_imports_only_its_module() -> None:
    loaded = _imported_after("users", "--help")
    assert "torch" not in loaded and "chromadb" not in loaded


def test_light_commands_never_load_the_embedding_model(tmp_path: Path) -> None:
    for command in (["clients"], ["sources", "--client", "acme"], ["audit"], ["users", "list"]):
        loaded = _imported_after(*command, data_dir=tmp_path)
        assert "torch" not in loaded and "sentence_transformers" not in loaded, command


def test_help_still_lists_every_command(capsys) -> None:
    from advisor.cli import main

    assert main(["--help"]) == 0
    out = capsys.readouterr().out
    assert all(name in out for name in COMMANDS)


def test_a_reader_that_leaves_early_ends_the_command_quietly(monkeypatch, capfd) -> None:
    """`vciso ask … | head -1`: the pipe closes under a long answer; no stack trace, exit 0."""
    import advisor.cli as cli

    def handler(args, settings) -> int:
        raise BrokenPipeError

    parser = argparse.ArgumentParser()
    parser.set_defaults(handler=handler, verbose=False)
    monkeypatch.setattr(cli, "_parser", lambda argv=None: parser)
    assert cli.main([]) == 0
    assert capfd.readouterr().err == ""
