"""Responsiveness benchmark: question latency while an upload job of N files (default 100) runs on the
embedded worker of the same process (the app's default setup), against the same questions with no job.

Run: .venv/bin/python benchmarks/jobs.py [--files 100] [--embedding minilm|fake] [--pause 0.5]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on sys.path when run as a script, and its name would shadow packages.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402

from advisor.access.users import UserStore  # noqa: E402
from advisor.db import open_database  # noqa: E402
from advisor.factory import build_advisor  # noqa: E402
from advisor.jobs.queue import JobQueue  # noqa: E402
from advisor.jobs.uploads import submit_upload  # noqa: E402
from advisor.jobs.worker import Worker  # noqa: E402
from advisor.settings import Settings  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = (
    "What is the minimum password length?",
    "How often are backups tested?",
    "Who approves access to production systems?",
    "What does NIST SP 800-53 AC-2 require?",
    "How fast must a personal data breach be notified under GDPR?",
)
SECTION = (
    "## {n}. Control {n}\nThe organisation reviews control {n} every quarter; the owner records the "
    "evidence, the date and the approver, and exceptions expire after ninety days. "
)


def document(i: int) -> bytes:
    body = "\n\n".join(SECTION.format(n=n) * 3 for n in range(1, 9))
    return f"# Standard {i}\n\n{body}\n".encode()


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def ask_loop(adv, user, client: str, until, pause: float = 0.0) -> list[float]:
    """Ask the questions in turn while ``until(n)``; ``pause`` seconds between them (a person reading)."""
    latencies = []
    n = 0
    while until(n):
        t = time.perf_counter()
        adv.ask(QUESTIONS[n % len(QUESTIONS)], client, user=user)
        latencies.append((time.perf_counter() - t) * 1000)
        n += 1
        time.sleep(pause)
    return latencies


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--files", type=int, default=100)
    parser.add_argument("--embedding", default="minilm", choices=("minilm", "fake"))
    parser.add_argument("--questions", type=int, default=20, help="questions asked with no job running")
    parser.add_argument(
        "--pause", type=float, default=0.5, help="seconds between questions (a person reading)"
    )
    args = parser.parse_args()
    data = Path(tempfile.mkdtemp(prefix="vciso-jobs-bench-"))
    try:
        return run(args, data)
    finally:
        shutil.rmtree(data, ignore_errors=True)


def run(args: argparse.Namespace, data: Path) -> int:
    settings = Settings(data_dir=data, embedding=args.embedding)
    adv = build_advisor(settings)
    t = time.perf_counter()
    adv.ensure_library()
    print(f"library ready in {time.perf_counter() - t:.1f}s", file=sys.stderr, flush=True)
    users = UserStore(open_database(settings))
    users.add("bench", "a-long-password-1", "consultant", ["acme", "globex"])
    user = users.get("bench")
    setup = submit_upload(
        settings,
        JobQueue.from_settings(settings),
        user,
        "globex",
        [("Password_Policy.md", b"# Password Policy\n\nPasswords are at least 14 characters.\n")],
    )
    queue = JobQueue.from_settings(settings)
    Worker(adv, queue).run_once()
    assert queue.get(setup.id).status == "succeeded"
    ask_loop(adv, user, "globex", lambda n: n < 2 * len(QUESTIONS))  # warm caches: every question twice
    idle = ask_loop(adv, user, "globex", lambda n: n < args.questions, args.pause)

    worker = Worker(adv, queue, threads=settings.jobs.embedded_workers, poll_s=0.1).start()
    t0 = time.perf_counter()
    files = [(f"Standard_{i:03d}.md", document(i)) for i in range(args.files)]
    job = submit_upload(settings, queue, user, "acme", files)
    worker.notify()
    busy = ask_loop(adv, user, "globex", lambda n: queue.get(job.id).active, args.pause)
    ingest_s = time.perf_counter() - t0
    worker.stop()
    done = queue.get(job.id)
    chunks = sum(f.chunks for f in done.files)
    print(
        f"embedding={args.embedding} files={args.files} job={done.status} chunks={chunks} "
        f"ingest={ingest_s:.1f}s ({args.files / ingest_s:.1f} files/s, {chunks / ingest_s:.0f} chunks/s)"
    )
    for label, values in (("no job", idle), ("during the job", busy)):
        print(
            f"questions {label:<15} n={len(values):>3}  p50={statistics.median(values):7.0f} ms  "
            f"p95={percentile(values, 0.95):7.0f} ms  max={max(values):7.0f} ms"
        )
    print(f"ratio p50 during/no job: {statistics.median(busy) / statistics.median(idle):.2f}")
    return 0 if done.status == "succeeded" else 1


if __name__ == "__main__":
    sys.exit(main())
