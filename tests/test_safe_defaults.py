"""Safe defaults: the data dir is 0700 and its files 0600 (also a data dir made loose before), and
`make run` listens on loopback unless told otherwise."""

from __future__ import annotations

import os
import re
import stat
from pathlib import Path

from advisor.data_dir import secure_data_dir

ROOT = Path(__file__).resolve().parents[1]


def _mode(p: Path) -> int:
    return stat.S_IMODE(p.stat().st_mode)


def test_data_dir_is_private_and_loose_entries_are_tightened(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        data = tmp_path / "data"
        (data / "uploads").mkdir(parents=True)
        (data / "uploads" / "policy.md").write_text("x")
        os.chmod(data / "uploads" / "policy.md", 0o644)
        os.chmod(data / "uploads", 0o755)
        os.chmod(data, 0o755)
        secure_data_dir(data)
        assert _mode(data) == 0o700 and _mode(data / "uploads") == 0o700
        assert _mode(data / "uploads" / "policy.md") == 0o600
        (data / "audit.db").write_text("new")  # created after: the umask keeps it private
        assert _mode(data / "audit.db") == 0o600
    finally:
        os.umask(old)


def test_build_advisor_makes_a_private_data_dir(tmp_path: Path) -> None:
    from advisor.factory import build_advisor
    from advisor.settings import Settings

    old = os.umask(0o022)
    try:
        build_advisor(Settings(data_dir=tmp_path / "fresh", embedding="fake"))
        assert _mode(tmp_path / "fresh") == 0o700
        files = [p for p in (tmp_path / "fresh").rglob("*") if p.is_file()]
        assert files and all(_mode(p) & 0o077 == 0 for p in files)
    finally:
        os.umask(old)


def test_make_run_binds_to_loopback_by_default() -> None:
    makefile = (ROOT / "Makefile").read_text()
    assert re.search(r"^HOST \?= 127\.0\.0\.1$", makefile, re.M)
    run = makefile[makefile.index("\nrun:") :].split("\n\n")[0]
    assert "--server.address $(HOST)" in run
