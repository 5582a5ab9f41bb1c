"""`vciso worker [--threads N] [--once]`: run queued jobs (uploads) in this process, for scale-out.

The app runs jobs in its own process by default (``VCISO_JOBS__EMBEDDED_WORKERS``); a separate worker
lets several app replicas hand their uploads to one place. SIGTERM or Ctrl-C stops claiming and waits
for the running jobs; a worker killed outright leaves its jobs to be resumed by the next worker once
their lease (``VCISO_JOBS__LEASE_S``) expires.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from advisor.cli import EXIT_OK, emit_json
from advisor.factory import build_advisor
from advisor.jobs.queue import JobQueue
from advisor.jobs.worker import Worker
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("worker", help="run queued jobs (uploads) until stopped")
    p.add_argument(
        "--threads", type=int, help="jobs run at once (default: VCISO_JOBS__EMBEDDED_WORKERS or 1)"
    )
    p.add_argument("--once", action="store_true", help="run the jobs waiting now, then exit")
    p.add_argument("--json", action="store_true", help="with --once: print the jobs run as JSON")
    p.set_defaults(handler=worker)


def worker(args: argparse.Namespace, settings: Settings) -> int:
    adv = build_advisor(settings)
    adv.ensure_library()
    queue = JobQueue.from_settings(settings)
    threads = args.threads or max(1, settings.jobs.embedded_workers)
    runner = Worker(adv, queue, threads=threads, poll_s=settings.jobs.poll_s)
    if args.once:
        ran = []
        while (job := runner.run_once()) is not None:
            ran.append(job)
        if args.json:
            emit_json(
                {
                    "jobs": [
                        {"id": j.id, "kind": j.kind, "client": j.client, "status": j.status, "error": j.error}
                        for j in ran
                    ]
                }
            )
        else:
            for j in ran:
                print(f"job {j.id} ({j.kind}, {j.client}): {j.status}" + (f": {j.error}" if j.error else ""))
        return EXIT_OK
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    runner.start()
    print(
        f"vciso worker {runner.name}: {threads} threads, database {queue.db!r}", file=sys.stderr, flush=True
    )
    stop.wait()
    print("vciso worker: stopping (waiting for running jobs)", file=sys.stderr, flush=True)
    runner.stop()
    return EXIT_OK
