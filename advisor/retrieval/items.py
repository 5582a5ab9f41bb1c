"""Items a question names by the id a document gave them ("TOB-K8S-038", "Recommendation 8", "F-01"):
the client's units that hold each id, best first. Pure functions over a tenant's chunks.

A unit *is* the item when its section names the id — its own section ("Detailed Findings > F-01 Weak
TLS") first, then a summary-table row ("Findings Summary > F-01"); it *starts with* the item when its
text begins with the id; otherwise it only mentions it. Ids are found by shape (:mod:`ingest.doc_ids`),
so any report's numbering works.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.doc_ids import mentions
from ingest.types import Chunk

PER_ID = 3  # units kept per named id


def item_units(chunks: Sequence[Chunk], ids: Sequence[str], per_id: int = PER_ID) -> list[Chunk]:
    """The units of ``chunks`` that hold the item ``ids`` a question names (``Question.document_ids``): for
    each id in order, the units of its own section, then those whose section names it (a table row), then
    those whose text starts with it, then those that mention it."""
    out: list[Chunk] = []
    seen: set[str] = set()
    for ident in ids:
        scored: list[tuple[int, int, Chunk]] = []
        for pos, c in enumerate(chunks):
            if c.client is None:
                continue
            if mentions(c.section or "", ident):
                # The item's own section ("F-01 MFA not enforced …") before a summary-table row ("F-01").
                rank = 0 if _titled(c.section or "", ident) else 1
            elif mentions(c.text[: len(ident) + 40], ident):
                rank = 2
            elif mentions(c.text, ident):
                rank = 3
            else:
                continue
            scored.append((rank, pos, c))
        for _, _, c in sorted(scored, key=lambda t: (t[0], t[1]))[:per_id]:
            if c.id not in seen:
                seen.add(c.id)
                out.append(c)
    return out


def _titled(section: str, ident: str) -> bool:
    """Is the section's last part the id followed by a title ("F-01 MFA not enforced"), not the bare id?"""
    last = section.split(" > ")[-1].strip()
    return mentions(last, ident) and len(last) > len(ident) + 3
