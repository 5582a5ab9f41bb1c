"""Query benchmark: hybrid retrieval and end-to-end extractive latency vs plain dense Chroma search,
on the demo corpus and on a synthetic corpus (default 100,000 chunks).

Run: .venv/bin/python benchmarks/query.py [--synthetic N]
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on sys.path when run as a script, and its name would shadow the
# project's `ingest` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import random
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path

import numpy as np

from advisor.access.policy import local_operator
from advisor.factory import build_advisor
from advisor.retrieval.lexical import LexicalIndex, index_name, index_path
from advisor.settings import Settings
from evals.metrics import latency_summary
from ingest.types import Chunk, chunk_id

ROOT = Path(__file__).resolve().parents[1]
QUESTIONS = [
    "What is the minimum password length?",
    "Who leads incident response?",
    "How long are audit logs retained?",
    "What does AC-2(3) require?",
    "Which vendor has no BAA?",
    "How often are access reviews performed?",
    "What are the breach notification deadlines?",
    "Is MFA required for remote access?",
]
WORDS = (
    "access account audit backup breach control data encryption incident key log network password patch "
    "policy privacy recovery risk review security server system training user vendor vulnerability"
).split()


def _timed(fn, runs: int) -> dict[str, float]:
    out = []
    for i in range(runs):
        t = time.perf_counter()
        fn(QUESTIONS[i % len(QUESTIONS)])
        out.append((time.perf_counter() - t) * 1000)
    return latency_summary(out)


def _row(name: str, s: dict[str, float], base: dict[str, float]) -> str:
    ratio = s["p50"] / base["p50"]
    return f"  {name:<34} p50 {s['p50']:8.1f} ms   p95 {s['p95']:8.1f} ms   (p50 x{ratio:.1f} of dense)"


def bench(adv, client: str, runs: int) -> None:
    view = adv.store.scope(client)
    emb = adv.store.embeddings
    dense = _timed(lambda q: view.dense_search(client, emb.embed_query(q), 8), runs)
    adv.retrieve(
        QUESTIONS[0], client, user=local_operator()
    )  # builds the BM25 index once (reported separately)
    hybrid = _timed(lambda q: adv.retrieve(q, client, user=local_operator()), runs)
    e2e = _timed(lambda q: adv.ask(q, client, user=local_operator()), runs)
    print(_row("plain dense Chroma search (top 8)", dense, dense))
    print(_row("hybrid retrieval", hybrid, dense))
    print(_row("end to end, extractive + verified", e2e, dense))


def synthetic(adv, n: int) -> None:
    rng = random.Random(7)
    client = "synthetic"
    t = time.perf_counter()
    batch = 5000
    for start in range(0, n, batch):
        chunks, vecs = (
            [],
            np.random.default_rng(start).normal(size=(min(batch, n - start), 384)).astype(np.float32),
        )
        vecs /= np.linalg.norm(vecs, axis=1, keepdims=True)
        for i in range(start, start + len(vecs)):
            text = " ".join(rng.choices(WORDS, k=40)) + f" item {i}."
            chunks.append(
                Chunk(
                    id=chunk_id(client, "synthetic.txt", str(i), text),
                    text=text,
                    client=client,
                    source=f"doc{i // 50}.txt",
                    title="Synthetic",
                    doc_type="other",
                    page=None,
                    section=f"s{i % 50}",
                    extra={"ordinal": i % 50},
                )
            )
        adv.store.add(client, chunks, vecs.tolist())
    print(f"  loaded {n} synthetic chunks (random vectors) in {time.perf_counter() - t:.1f} s")
    t = time.perf_counter()
    adv.retrieve(QUESTIONS[0], client, user=local_operator())
    build_s = time.perf_counter() - t
    print(f"  first query builds (and saves) the BM25 index: {build_s:.1f} s")
    view = adv.store.scope(client)
    chunks, gen = view.all_chunks(client), view.generation(client)
    t = time.perf_counter()
    saved = (
        view.index_dir is not None
        and LexicalIndex.load(index_path(view.index_dir, index_name(client), gen), [c.id for c in chunks])
        is not None
    )
    load_s = time.perf_counter() - t
    if saved:
        print(
            f"  a new process loads the saved BM25 index of {len(chunks)} chunks: {load_s:.2f} s "
            f"(baseline: building it, {build_s:.1f} s; x{build_s / max(load_s, 1e-6):.0f} faster)"
        )
    else:
        print("  the BM25 index was not saved (no persisted generation)")
    bench(adv, client, 20)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--synthetic", type=int, default=100_000)
    ap.add_argument("--runs", type=int, default=24)
    ap.add_argument("--data-dir", type=Path, help="reuse a data dir (its library is not rebuilt)")
    args = ap.parse_args()
    data = args.data_dir or Path(tempfile.mkdtemp(prefix="vciso-qbench-"))
    adv = build_advisor(Settings(data_dir=data))
    t = time.perf_counter()
    adv.ensure_library()
    adv.ingest([ROOT / "knowledge_base/demo/meridian-health"], "meridian-health", user=local_operator())
    print(f"setup (library + demo client): {time.perf_counter() - t:.1f} s")
    print("demo corpus (meridian-health + library):")
    bench(adv, "meridian-health", args.runs)
    if args.synthetic:
        print(f"synthetic corpus ({args.synthetic} chunks):")
        synthetic(adv, args.synthetic)


if __name__ == "__main__":
    main()
