"""Ingestion benchmark: library build, client ingest vs raw embedding throughput, unchanged re-ingest.

Raw embedding is one call with all the chunks (the issue's baseline) and, for reference, the same chunks
sorted by length in calls of the pipeline's batch size (the best the pipeline's batching can do).

Run: .venv/bin/python benchmarks/ingest.py   (prints ratios measured in the same run)
"""

from __future__ import annotations

import sys
from pathlib import Path

# This file's folder comes first on sys.path when run as a script, and its name would shadow the
# project's `ingest` package.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != Path(__file__).resolve().parent]

import argparse  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
from pathlib import Path

from advisor.access.policy import local_operator
from advisor.factory import build_advisor
from advisor.settings import Settings
from ingest import sandbox
from ingest.chunking import chunk_document
from ingest.loaders import load
from ingest.pipeline import EMBED_BATCH

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "knowledge_base" / "demo"


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--skip-library", action="store_true", help="skip the library build (about 2 minutes)")
    args = ap.parse_args()
    data = Path(tempfile.mkdtemp(prefix="vciso-bench-"))
    adv = build_advisor(Settings(data_dir=data))
    adv.store.embeddings.embed_query("warm up")  # model load is not part of any figure
    sandbox.warm(adv.settings.parsing.limits())  # nor the parser worker's start (a running app has both)

    if not args.skip_library:
        t = time.perf_counter()
        report = adv.build_library()
        print(
            f"library build: {report.total} clauses in {time.perf_counter() - t:.1f} s "
            f"({report.total / (time.perf_counter() - t):.1f} clauses/s)"
        )
        t = time.perf_counter()
        adv.build_library()
        print(f"library rebuild (unchanged): {time.perf_counter() - t:.2f} s")

    folders = [DEMO / "meridian-health", DEMO / "ledgerly"]
    # raw embedding throughput of the very chunks the pipeline makes
    texts = []
    for folder in folders:
        for f in sorted(folder.iterdir()):
            chunks = chunk_document(
                load(f, max_bytes=50 << 20),
                client="bench",
                source=f.name,
                doc_type="other",
                sha256="",
                ingested_at="",
            )
            texts += [c.text for c in chunks]

    def raw_rate() -> float:
        t = time.perf_counter()
        adv.store.embeddings.embed_documents(texts)
        return len(texts) / (time.perf_counter() - t)

    def sorted_rate() -> float:  # the same texts, batched as the pipeline batches them at best
        ordered = sorted(texts, key=len)
        t = time.perf_counter()
        for start in range(0, len(ordered), EMBED_BATCH):
            adv.store.embeddings.embed_documents(ordered[start : start + EMBED_BATCH])
        return len(texts) / (time.perf_counter() - t)

    # Raw embedding is measured before and after the ingest and averaged: on a shared machine the load
    # drifts, and the ratio should compare the two under the same conditions.
    raw_before, sorted_before = raw_rate(), sorted_rate()
    t = time.perf_counter()
    total = 0
    for folder in folders:
        total += adv.ingest([folder], "bench-" + folder.name, user=local_operator()).chunks
    first = time.perf_counter() - t
    e2e = total / first
    raw_after, sorted_after = raw_rate(), sorted_rate()
    raw = (raw_before + raw_after) / 2
    best = (sorted_before + sorted_after) / 2
    t = time.perf_counter()
    for folder in folders:
        r = adv.ingest([folder], "bench-" + folder.name, user=local_operator())
        assert not r.added and not r.updated
    again = time.perf_counter() - t
    print(
        f"raw embedding: {raw:.1f} chunks/s ({len(texts)} chunks; {raw_before:.1f} before and "
        f"{raw_after:.1f} after the ingest)"
    )
    print(f"client ingest end to end: {e2e:.1f} chunks/s ({total} chunks, {first:.2f} s)")
    print(f"ratio end-to-end / raw embedding: {e2e / raw:.2f}")
    print(
        f"raw embedding in length-sorted calls of {EMBED_BATCH}: {best:.1f} chunks/s; "
        f"ratio end-to-end / that: {e2e / best:.2f}"
    )
    print(f"unchanged re-ingest: {again:.3f} s vs first ingest {first:.2f} s (ratio {again / first:.3f})")


if __name__ == "__main__":
    main()
