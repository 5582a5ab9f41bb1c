"""A throw-away PostgreSQL server on a loopback port, for the tests and `make cluster`.

Uses Debian's binaries (``/usr/lib/postgresql/<version>/bin``, installed by ``make system-deps``).
PostgreSQL refuses to run as root, so as root the cluster is created and run by the unprivileged
``postgres`` user (``runuser``); otherwise by the current user. Trust authentication on 127.0.0.1
only, fsync off: for tests and demos, never for data you keep.

    with ThrowawayPostgres() as pg:
        url = pg.create_database("vciso")   # postgresql+psycopg://vciso@127.0.0.1:PORT/vciso
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from pathlib import Path

SUPERUSER = "vciso"
INSTALL_HINT = (
    "PostgreSQL is not installed: run `make system-deps` (installs Debian's postgresql) or "
    "`apt-get install postgresql`"
)


class PostgresUnavailable(RuntimeError):
    """Debian's PostgreSQL binaries are missing or the server would not start."""


def find_bindir() -> Path:
    """The newest /usr/lib/postgresql/*/bin holding initdb and pg_ctl (or the ones on PATH)."""
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"),
        key=lambda p: int(Path(p).parent.name) if Path(p).parent.name.isdigit() else 0,
        reverse=True,
    )
    for folder in candidates:
        if (Path(folder) / "initdb").exists() and (Path(folder) / "pg_ctl").exists():
            return Path(folder)
    initdb = shutil.which("initdb")
    if initdb and shutil.which("pg_ctl"):
        return Path(initdb).resolve().parent
    raise PostgresUnavailable(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class ThrowawayPostgres:
    """Start with :meth:`start` (or ``with``); :meth:`stop` stops the server and deletes its folder."""

    def __init__(self, port: int | None = None, root: Path | None = None) -> None:
        self.bindir = find_bindir()
        self.port = port or free_port()
        self._own_root = root is None
        self.root = Path(root) if root else Path(tempfile.mkdtemp(prefix="vciso-pg-"))
        self.datadir = self.root / "data"
        self.logfile = self.root / "postgres.log"
        self._user = "postgres" if os.geteuid() == 0 else None
        self.started = False

    # -- running commands as the unprivileged user ------------------------------------------
    def _run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        cmd = [str(self.bindir / args[0]), *args[1:]]
        if self._user:
            cmd = ["runuser", "-u", self._user, "--", *cmd]
        return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, cwd="/")

    def start(self) -> ThrowawayPostgres:
        self.root.mkdir(parents=True, exist_ok=True)
        if self._user:
            try:
                pw = pwd.getpwnam(self._user)
            except KeyError as exc:
                raise PostgresUnavailable(f"no '{self._user}' system user: {INSTALL_HINT}") from exc
            os.chown(self.root, pw.pw_uid, pw.pw_gid)
        if not (self.datadir / "PG_VERSION").exists():
            done = self._run(
                "initdb",
                "-D",
                str(self.datadir),
                "-U",
                SUPERUSER,
                "--auth=trust",
                "-E",
                "UTF8",
                "--no-sync",
                "--locale=C",
            )
            if done.returncode != 0:
                raise PostgresUnavailable(f"initdb failed: {done.stderr.strip() or done.stdout.strip()}")
        options = (
            f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200"
        )
        done = self._run(
            "pg_ctl",
            "-D",
            str(self.datadir),
            "-o",
            options,
            "-l",
            str(self.logfile),
            "-w",
            "-t",
            "60",
            "start",
        )
        if done.returncode != 0:
            log = self.logfile.read_text(errors="replace")[-2000:] if self.logfile.exists() else ""
            raise PostgresUnavailable(f"PostgreSQL did not start: {done.stderr.strip()} {log}")
        self.started = True
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def create_database(self, name: str | None = None) -> str:
        """Create an empty database (a fresh random name when None); return its SQLAlchemy URL."""
        import psycopg

        name = name or f"t_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(
            f"host=127.0.0.1 port={self.port} user={SUPERUSER} dbname=postgres", autocommit=True
        ) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def stop(self) -> None:
        if self.started:
            self._run("pg_ctl", "-D", str(self.datadir), "-m", "immediate", "-w", "stop", timeout=60)
            self.started = False
        if self._own_root:
            shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self) -> ThrowawayPostgres:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
