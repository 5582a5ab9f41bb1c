"""Crosswalk quality: recall@k of the official SP 800-171 Rev. 3 -> SP 800-53 mappings (the source
controls the 800-171 catalog names for each requirement), asked from the 800-171 side.

Two figures: ``official_recall@k`` through ``vciso map`` (the official mappings, read from the catalog: should
be 1.0) and ``suggested_recall@k``, the similarity-based suggestions alone (what the crosswalk offers for
clauses without an official mapping, e.g. NIS2 -> 800-53), scored against the official answers.

    python -m evals.crosswalk [-k 10]    # prints JSON; uses VCISO_DATA_DIR like `vciso eval`
"""

from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from advisor.retrieval.crosswalk import Library

SP171, SP53 = "nist-800-171", "nist-800-53"


def crosswalk_recall(library: Library, k: int = 10) -> dict:
    """Mean recall@k over every 800-171 requirement that names 800-53 source controls."""
    from advisor.retrieval.crosswalk import crosswalk, suggest

    chunks = library.library_index().chunks
    view = library.library_view()
    have53 = {c.section for c in chunks if c.extra.get("framework") == SP53}
    official, suggested, n = 0.0, 0.0, 0
    for c in chunks:
        if c.extra.get("framework") != SP171:
            continue
        gold = {s for s in str(c.extra.get("source_controls") or "").split(",") if s in have53}
        if not gold:
            continue
        n += 1
        cw = crosswalk(library, c.section or "", to=SP53, source_framework=SP171, k=k)
        official += len(gold & {m.section for m in cw.official[:k]}) / len(gold)
        guesses = suggest(view, [c], SP53, SP171, k)
        suggested += len(gold & {m.section for m in guesses}) / len(gold)
    return {
        "requirements": n,
        f"official_recall@{k}": round(official / n, 4) if n else None,
        f"suggested_recall@{k}": round(suggested / n, 4) if n else None,
    }


def main(argv: list[str] | None = None) -> int:
    from advisor.factory import build_advisor
    from advisor.settings import Settings

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-k", type=int, default=10)
    args = parser.parse_args(argv)
    json.dump(crosswalk_recall(build_advisor(Settings()), args.k), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
