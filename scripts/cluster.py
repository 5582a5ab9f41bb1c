"""Scale-out on one machine, for real: PostgreSQL, a Chroma server, one `vciso worker` and two app replicas,
each its own process on a loopback port, sharing one data dir (uploads and manifests).

    python scripts/cluster.py [--dir DIR] [--embedding minilm|fake]      (or: make cluster)

prints the replicas' URLs and a one-time admin password, and runs until Ctrl-C. tests/test_cluster.py
drives the same :class:`Cluster` (upload through one replica, ask through the other, kill the worker).

    ┌ replica A (streamlit :A) ┐   ┌ replica B (streamlit :B) ┐   ┌ vciso worker ┐
    └────────────┬─────────────┘   └────────────┬─────────────┘   └──────┬───────┘
                 ├──────── PostgreSQL: audit log, users, drafts, jobs ───┤
                 └──────── Chroma server: vectors; data dir: uploads, manifests
"""

from __future__ import annotations

import argparse
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from scripts.postgres import ThrowawayPostgres, free_port  # noqa: E402

BIN = Path(sys.executable).parent


def _wait_http(url: str, proc: subprocess.Popen, what: str, timeout: float = 120.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"{what} exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=2) as resp:
                if resp.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise TimeoutError(f"{what} did not answer at {url} within {timeout:.0f} s")


class Cluster:
    """Start with :meth:`start`, stop with :meth:`stop` (or use ``with``). Logs go to ``root/logs``."""

    def __init__(self, root: Path, *, embedding: str = "minilm", lease_s: float = 30.0) -> None:
        self.root = Path(root)
        self.data = self.root / "data"
        self.logs = self.root / "logs"
        self.embedding = embedding
        self.lease_s = lease_s
        self.postgres: ThrowawayPostgres | None = None
        self.database_url = ""
        self.chroma_port = free_port()
        self.replica_ports = (free_port(), free_port())
        self.procs: dict[str, subprocess.Popen] = {}

    # -- environment -------------------------------------------------------------------------
    def env(self, **extra: str) -> dict[str, str]:
        """The environment every process of the cluster runs with (also what a test's Settings read)."""
        env = {k: v for k, v in os.environ.items() if not k.startswith("VCISO_") or k == "VCISO_CORPUS_DIR"}
        env.update(
            {
                "VCISO_DATA_DIR": str(self.data),
                "VCISO_DATABASE_URL": self.database_url,
                "VCISO_STORE__BACKEND": "server",
                "VCISO_STORE__HOST": "127.0.0.1",
                "VCISO_STORE__PORT": str(self.chroma_port),
                "VCISO_EMBEDDING": self.embedding,
                "VCISO_JOBS__LEASE_S": str(self.lease_s),
                "VCISO_JOBS__POLL_S": "0.3",
                "HF_HUB_OFFLINE": "1",
            }
        )
        env.update(extra)
        return env

    def vciso_env(self) -> dict[str, str]:
        return {k: v for k, v in self.env().items() if k.startswith("VCISO_")}

    @property
    def replicas(self) -> list[str]:
        return [f"http://127.0.0.1:{p}" for p in self.replica_ports]

    def _spawn(self, name: str, cmd: list[str], **extra: str) -> subprocess.Popen:
        self.logs.mkdir(parents=True, exist_ok=True)
        log = open(self.logs / f"{name}.log", "ab")
        proc = subprocess.Popen(
            cmd, cwd=ROOT, env=self.env(**extra), stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        log.close()
        self.procs[name] = proc
        return proc

    def _vciso(self, *args: str, timeout: float = 600) -> str:
        done = subprocess.run(
            [str(BIN / "vciso"), *args],
            cwd=ROOT,
            env=self.env(),
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if done.returncode != 0:
            raise RuntimeError(f"vciso {' '.join(args)} failed: {done.stderr.strip()[-2000:]}")
        return done.stdout

    # -- lifecycle -----------------------------------------------------------------------------
    def start(self) -> Cluster:
        self.data.mkdir(parents=True, exist_ok=True)
        try:
            self.postgres = ThrowawayPostgres().start()  # its own temp dir: the postgres user must reach it
            self.database_url = self.postgres.create_database("vciso")
            chroma = self._spawn(
                "chroma",
                [
                    str(BIN / "chroma"),
                    "run",
                    "--path",
                    str(self.root / "chroma"),
                    "--host",
                    "127.0.0.1",
                    "--port",
                    str(self.chroma_port),
                ],
            )
            _wait_http(f"http://127.0.0.1:{self.chroma_port}/api/v2/heartbeat", chroma, "the Chroma server")
            self._vciso("kb", "build")  # once, before the replicas open it
            self.start_worker()
            for name, port in zip(("replica-a", "replica-b"), self.replica_ports, strict=True):
                self._spawn(
                    name,
                    [
                        sys.executable,
                        "-m",
                        "streamlit",
                        "run",
                        str(ROOT / "app.py"),
                        "--server.headless",
                        "true",
                        "--server.port",
                        str(port),
                        "--server.address",
                        "127.0.0.1",
                        "--browser.gatherUsageStats",
                        "false",
                    ],
                    VCISO_JOBS__EMBEDDED_WORKERS="0",
                )
            for name, url in zip(("replica-a", "replica-b"), self.replicas, strict=True):
                _wait_http(f"{url}/_stcore/health", self.procs[name], name)
        except BaseException:
            self.stop()
            raise
        return self

    def start_worker(self) -> subprocess.Popen:
        old = self.procs.get("worker")
        if old is not None and old.poll() is None:
            raise RuntimeError("the worker is running already")
        proc = self._spawn("worker", [str(BIN / "vciso"), "worker"])
        deadline = time.monotonic() + 120
        while "vciso worker" not in (self.logs / "worker.log").read_text(errors="replace"):
            if proc.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(
                    f"the worker did not start: {(self.logs / 'worker.log').read_text()[-2000:]}"
                )
            time.sleep(0.2)
        return proc

    def kill_worker(self) -> None:
        """SIGKILL: the worker dies mid-job, as a crashed machine would, without a chance to clean up."""
        proc = self.procs["worker"]
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)

    def alive(self) -> dict[str, bool]:
        return {name: proc.poll() is None for name, proc in self.procs.items()}

    def stop(self) -> None:
        for proc in self.procs.values():
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGTERM)
        for proc in self.procs.values():
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=10)
        if self.postgres is not None:
            self.postgres.stop()
            self.postgres = None

    def __enter__(self) -> Cluster:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--dir", type=Path, help="where data, logs, PostgreSQL and Chroma live (default: a temp dir)"
    )
    parser.add_argument("--embedding", default="minilm", choices=("minilm", "fake"))
    args = parser.parse_args(argv)
    root = args.dir or Path(tempfile.mkdtemp(prefix="vciso-cluster-"))
    cluster = Cluster(root, embedding=args.embedding)
    print(
        f"starting the cluster in {root} (building the library takes a few minutes with MiniLM)…", flush=True
    )
    with cluster:
        password = cluster._vciso("users", "bootstrap").strip()
        print(f"PostgreSQL  {cluster.database_url}\nChroma      http://127.0.0.1:{cluster.chroma_port}")
        for name, url in zip(("replica A", "replica B"), cluster.replicas, strict=True):
            print(f"{name:<11} {url}")
        print(f"worker      pid {cluster.procs['worker'].pid} (log {cluster.logs / 'worker.log'})")
        print(password or "users exist already", flush=True)
        print("Ctrl-C stops everything.", flush=True)
        try:
            while all(cluster.alive().values()):
                time.sleep(1)
            print(f"a process exited: {cluster.alive()}; see {cluster.logs}", file=sys.stderr)
        except KeyboardInterrupt:
            pass
    return 0


if __name__ == "__main__":
    sys.exit(main())
