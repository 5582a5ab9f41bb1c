"""Library build on a fresh data dir: with the shipped vectors (knowledge_base/library_vectors.npz) vs
embedding every clause. Prints both times and their ratio.

    VCISO_CORPUS_DIR=../shared/corpus .venv/bin/python benchmarks/library_build.py [--sample N]

``--sample N`` embeds N random clauses instead of the whole library and scales that time to every clause
(the full embedding takes minutes on 2 cores); the prebuilt build is always measured in full.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from advisor.factory import build_advisor  # noqa: E402
from advisor.retrieval.embeddings import MiniLMEmbeddings  # noqa: E402
from advisor.settings import Settings  # noqa: E402
from ingest.frameworks.library import load_library  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sample", type=int, default=0, help="embed N random clauses and scale (0: embed all)")
    args = ap.parse_args()
    base = Settings()
    with tempfile.TemporaryDirectory(prefix="vciso-bench-") as tmp:
        prebuilt = Settings(data_dir=Path(tmp) / "prebuilt", corpus_dir=base.corpus)
        t0 = time.perf_counter()
        report = build_advisor(prebuilt).build_library()
        t_prebuilt = time.perf_counter() - t0
        print(
            f"with prebuilt vectors: {t_prebuilt:7.1f} s  ({report.total} clauses, {report.prebuilt} "
            f"from the file, {report.added - report.prebuilt} embedded)"
        )
        if args.sample:
            chunks = load_library(base.corpus)
            sample = random.Random(0).sample(chunks, min(args.sample, len(chunks)))
            emb = MiniLMEmbeddings()
            emb.embed_query("warm up")  # model load is not part of the per-clause cost
            t0 = time.perf_counter()
            emb.embed_documents([c.text for c in sample])
            t_embed = (time.perf_counter() - t0) * len(chunks) / len(sample) + t_prebuilt
            how = f"estimated from {len(sample)} clauses"
        else:
            no_file = Path(tmp) / "kb"
            no_file.mkdir()
            embedding = Settings(
                data_dir=Path(tmp) / "embedded", corpus_dir=base.corpus, knowledge_base=no_file
            )
            t0 = time.perf_counter()
            build_advisor(embedding).build_library()
            t_embed = time.perf_counter() - t0
            how = "measured"
        print(f"embedding every clause: {t_embed:7.1f} s  ({how})")
        print(f"ratio prebuilt / embedding: {t_prebuilt / t_embed:.3f} ({t_embed / t_prebuilt:.0f}x faster)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
