"""Layers: the core (advisor, ingest) never imports the evaluation harness; ingest never imports advisor."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# The `vciso eval` command is the one place the core reaches evals: inside its own functions, when it runs.
LAZY_EVALS = {"advisor/cli/evaluation.py"}


def _imports(path: Path) -> list[tuple[str, bool]]:
    """(imported module, at module level?) for every import statement in ``path``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    top = {id(n) for n in tree.body} | {id(n) for s in tree.body if isinstance(s, ast.If) for n in s.body}
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(a.name, id(node) in top) for a in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, id(node) in top))
    return found


def _sources(package: str) -> list[Path]:
    return sorted((ROOT / package).rglob("*.py"))


def test_the_core_never_imports_evals() -> None:
    bad = []
    for path in _sources("advisor") + _sources("ingest"):
        rel = path.relative_to(ROOT).as_posix()
        for module, at_top in _imports(path):
            if module.split(".")[0] == "evals" and (at_top or rel not in LAZY_EVALS):
                bad.append(f"{rel}: {module}")
    assert not bad, bad


def test_ingest_never_imports_advisor() -> None:
    bad = [
        f"{p.relative_to(ROOT)}: {m}"
        for p in _sources("ingest")
        for m, _ in _imports(p)
        if m.split(".")[0] == "advisor"
    ]
    assert not bad, bad


def test_importing_every_advisor_module_loads_no_evals() -> None:
    code = (
        "import importlib, pkgutil, sys, advisor\n"
        "for m in pkgutil.walk_packages(advisor.__path__, 'advisor.'):\n"
        "    if '.migrations' not in m.name and not m.name.endswith('__main__'):\n"
        "        importlib.import_module(m.name)\n"
        "print(sorted(n for n in sys.modules if n == 'evals' or n.startswith('evals.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.strip() == "[]"
