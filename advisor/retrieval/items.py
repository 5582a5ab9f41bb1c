"""Items a question names by the id a document gave them ("TOB-K8S-038", "Recommendation 8", "F-01"):
the client's units that hold each id, best first. Pure functions over a tenant's chunks.

A unit *is* the item when its section names the id (a register row "Findings > F-01", a heading
"Finding 3.2 Weak TLS"); it *starts with* the item when its text begins with the id; otherwise it only
mentions it. Ids are found by shape (:mod:`ingest.doc_ids`), so any report's numbering works.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.doc_ids import mentions
from ingest.types import Chunk

PER_ID = 3  # units kept per named id


def item_units(chunks: Sequence[Chunk], ids: Sequence[str], per_id: int = PER_ID) -> list[Chunk]:
    """The units of ``chunks`` that hold the item ``ids`` a question names (``Question.document_ids``): for
    each id in order, the units whose section names it, then those whose text starts with it, then those
    that mention it."""
    out: list[Chunk] = []
    seen: set[str] = set()
    for ident in ids:
        scored: list[tuple[int, int, Chunk]] = []
        for pos, c in enumerate(chunks):
            if c.client is None:
                continue
            if mentions(c.section or "", ident):
                rank = 0
            elif mentions(c.text[: len(ident) + 40], ident):
                rank = 1
            elif mentions(c.text, ident):
                rank = 2
            else:
                continue
            scored.append((rank, pos, c))
        for _, _, c in sorted(scored, key=lambda t: (t[0], t[1]))[:per_id]:
            if c.id not in seen:
                seen.add(c.id)
                out.append(c)
    return out
