"""Concurrency benchmark: N ingest processes into 2 clients while M threads ask questions for 3 clients.

Phases, each ``--seconds`` long, on one data dir:

1. questions alone: M threads in this process (one shared Advisor, as in the app), no ingest;
2. ingest alone: one ingest process;
3. together: N ingest processes (half into each of two clients) and the M question threads.

It prints questions/s, p50/p95 latency, ingest chunks/s, errors and cross-client citations per phase,
and the ratios of phase 3 to phases 1 and 2. Errors and cross-client citations must be 0 (exit 1
otherwise). Every question names a fact only its own client's documents hold, so a citation of another
client would be visible.

Run: .venv/bin/python benchmarks/concurrency.py [--processes 4] [--threads 8] [--seconds 30]
     [--embedding fake|minilm]   (fake: measures the store and locking, not the model)
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on sys.path when run as a script, and its name would shadow the
# project's `ingest` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import multiprocessing as mp  # noqa: E402
import shutil  # noqa: E402
import statistics  # noqa: E402
import tempfile  # noqa: E402
import threading  # noqa: E402
import time  # noqa: E402
from dataclasses import dataclass, field  # noqa: E402

from advisor.access.policy import local_operator  # noqa: E402
from advisor.factory import build_advisor  # noqa: E402
from advisor.settings import Settings  # noqa: E402
from advisor.store.consistency import check, tenants_to_check  # noqa: E402

CLIENTS = ("bench-a", "bench-b", "bench-c")  # questions for all three; ingest into the first two
FILES_PER_ROUND = 4


def _policy(client: str, i: int, version: int) -> str:
    return (
        f"# {client} standard {i}\n\n## Retention\n\nThe {client} standard number {i} keeps audit records "
        f"for {i + 3} years (version {version}).\n\n## Review\n\nAccess under the {client} standard number "
        f"{i} "
        f"is reviewed every {i % 11 + 1} months by the {client} security office.\n"
    )


def seed(data: Path, embedding: str, folder: Path) -> None:
    adv = build_advisor(Settings(data_dir=data, embedding=embedding))
    adv.ensure_library()
    for client in CLIENTS:
        d = folder / "seed" / client
        d.mkdir(parents=True, exist_ok=True)
        for i in range(12):
            (d / f"standard_{i}.md").write_text(_policy(client, i, 0), encoding="utf-8")
        adv.ingest([d], client, user=local_operator())


def ingest_worker(data: str, embedding: str, folder: str, client: str, seconds: float, out: mp.Queue) -> None:
    """One ingest process: rewrites its own small folder and ingests it, round after round."""
    adv = build_advisor(Settings(data_dir=Path(data), embedding=embedding))
    d = Path(folder)
    d.mkdir(parents=True, exist_ok=True)
    chunks = errors = rounds = 0
    deadline = time.monotonic() + seconds
    t0 = time.monotonic()
    while time.monotonic() < deadline:
        for i in range(FILES_PER_ROUND):
            (d / f"{d.name}_{i}.md").write_text(_policy(client, 100 + i, rounds + 1), encoding="utf-8")
        try:
            report = adv.ingest([d], client, user=local_operator())
            chunks += report.chunks
            errors += len(report.failed)
        except Exception as exc:  # every failure counts; the benchmark must see none
            errors += 1
            print(f"ingest error ({client}): {type(exc).__name__}: {exc}", file=sys.stderr)
        rounds += 1
    out.put({"chunks": chunks, "errors": errors, "seconds": time.monotonic() - t0})


@dataclass
class Questions:
    latencies: list[float] = field(default_factory=list)
    errors: int = 0
    cross: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock)


def ask_loop(adv, n: int, seconds: float, q: Questions) -> None:
    user = local_operator()
    deadline = time.monotonic() + seconds
    i = n
    while time.monotonic() < deadline:
        client = CLIENTS[i % len(CLIENTS)]
        number = i % 12
        t = time.perf_counter()
        try:
            answer = adv.ask(
                f"How long does the {client} standard number {number} keep audit records?", client, user=user
            )
            bad = sum(1 for c in answer.citations if c.client not in (client, None))
            err = 0
        except Exception as exc:  # the benchmark counts every failure
            bad, err = 0, 1
            print(f"question error ({client}): {type(exc).__name__}: {exc}", file=sys.stderr)
        with q.lock:
            q.latencies.append(time.perf_counter() - t)
            q.errors += err
            q.cross += bad
        i += 1


def questions(adv, threads: int, seconds: float) -> Questions:
    q = Questions()
    ts = [threading.Thread(target=ask_loop, args=(adv, n, seconds, q)) for n in range(threads)]
    for t in ts:
        t.start()
    for t in ts:
        t.join()
    return q


def ingests(
    data: Path, embedding: str, folder: Path, processes: int, seconds: float
) -> tuple[list[dict], list]:
    ctx = mp.get_context("spawn")
    out = ctx.Queue()
    procs = [
        ctx.Process(
            target=ingest_worker,
            args=(str(data), embedding, str(folder / f"p{n}"), CLIENTS[n % 2], seconds, out),
        )
        for n in range(processes)
    ]
    for p in procs:
        p.start()
    return procs, out


def collect(procs, out) -> dict:
    results = [out.get(timeout=600) for _ in procs]
    for p in procs:
        p.join()
    seconds = max(r["seconds"] for r in results)
    return {
        "chunks_s": sum(r["chunks"] for r in results) / seconds,
        "errors": sum(r["errors"] for r in results),
    }


def summary(q: Questions, seconds: float) -> dict:
    lat = sorted(q.latencies) or [0.0]
    return {
        "qps": len(q.latencies) / seconds,
        "p50_ms": statistics.median(lat) * 1000,
        "p95_ms": lat[min(len(lat) - 1, int(0.95 * len(lat)))] * 1000,
        "errors": q.errors,
        "cross": q.cross,
    }


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--processes", type=int, default=4, help="ingest processes (into 2 clients)")
    ap.add_argument("--threads", type=int, default=8, help="question threads (for 3 clients)")
    ap.add_argument("--seconds", type=float, default=30.0, help="length of each phase")
    ap.add_argument("--embedding", choices=("fake", "minilm"), default="fake")
    args = ap.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="vciso-cbench-"))
    data = folder / "data"
    t = time.perf_counter()
    seed(data, args.embedding, folder)
    print(
        f"setup (library + 3 clients x 12 documents, {args.embedding} embeddings): "
        f"{time.perf_counter() - t:.1f} s"
    )
    adv = build_advisor(
        Settings(data_dir=data, embedding=args.embedding)
    )  # the "app": one Advisor, many threads
    adv.ask("warm up", CLIENTS[0], user=local_operator())

    q_alone = summary(questions(adv, args.threads, args.seconds), args.seconds)
    i_alone = collect(*ingests(data, args.embedding, folder / "alone", 1, args.seconds))
    procs, out = ingests(data, args.embedding, folder / "together", args.processes, args.seconds)
    q_both = summary(questions(adv, args.threads, args.seconds), args.seconds)
    i_both = collect(procs, out)

    print(
        f"{'phase':<44} {'questions/s':>11} {'p50 ms':>8} {'p95 ms':>8} {'ingest chunks/s':>15} "
        f"{'errors':>6} {'cross-client':>12}"
    )
    print(
        f"{f'{args.threads} question threads alone':<44} {q_alone['qps']:>11.1f} {q_alone['p50_ms']:>8.0f} "
        f"{q_alone['p95_ms']:>8.0f} {'-':>15} {q_alone['errors']:>6} {q_alone['cross']:>12}"
    )
    print(
        f"{'1 ingest process alone':<44} {'-':>11} {'-':>8} {'-':>8} {i_alone['chunks_s']:>15.1f} "
        f"{i_alone['errors']:>6} {'-':>12}"
    )
    label = f"{args.processes} ingest processes + {args.threads} threads"
    print(
        f"{label:<44} {q_both['qps']:>11.1f} {q_both['p50_ms']:>8.0f} {q_both['p95_ms']:>8.0f} "
        f"{i_both['chunks_s']:>15.1f} {q_both['errors'] + i_both['errors']:>6} {q_both['cross']:>12}"
    )
    print(
        f"ratios together/alone: questions/s x{q_both['qps'] / max(q_alone['qps'], 1e-9):.2f}, "
        f"p50 x{q_both['p50_ms'] / max(q_alone['p50_ms'], 1e-9):.2f}, "
        f"ingest chunks/s x{i_both['chunks_s'] / max(i_alone['chunks_s'], 1e-9):.2f}; "
        f"vector store reopened {adv.store.reopened} times after other processes' changes"
    )
    problems = sum(
        check(adv.store, adv.catalog, c).problems for c in tenants_to_check(adv.store, adv.catalog)
    )
    print(f"vciso doctor after the run: {problems} problem(s)")
    shutil.rmtree(folder, ignore_errors=True)
    failures = (
        problems
        + q_alone["errors"]
        + q_alone["cross"]
        + i_alone["errors"]
        + q_both["errors"]
        + q_both["cross"]
        + i_both["errors"]
    )
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
