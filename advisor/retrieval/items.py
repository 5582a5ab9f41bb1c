"""Items a question names by the id a document gave them ("TOB-K8S-038", "Recommendation 8", "F-01"):
the client's units that hold each id, best first. Pure functions over a tenant's chunks.

A unit *is* the item when its section names the id — its own section ("Detailed Findings > F-01 Weak
TLS") first, then a summary-table row ("Findings Summary > F-01"); it *starts with* the item when its
text begins with the id; otherwise it only mentions it. Ids are found by shape (:mod:`ingest.doc_ids`),
so any report's numbering works.
"""

from __future__ import annotations

from collections.abc import Sequence

from ingest.doc_ids import doc_ids, id_key, mentions
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


def item_of(chunk: Chunk) -> str | None:
    """The id of the item a client unit *is*: its section's last part starts with an id ("Findings Summary >
    F-05", "Detailed Findings > F-05 No BAA with TranscribeRight"); None otherwise."""
    if chunk.client is None or not chunk.section:
        return None
    last = chunk.section.split(" > ")[-1].strip()
    ids = doc_ids(last)
    return ids[0] if ids and mentions(last[: len(ids[0]) + 2], ids[0]) else None


def own_sections(chunks: Sequence[Chunk]) -> dict[tuple[str, str], list[Chunk]]:
    """{(source, id key): the units of that item's own titled section}, for :func:`companions`."""
    out: dict[tuple[str, str], list[Chunk]] = {}
    for c in chunks:
        ident = item_of(c)
        if ident is not None and _titled(c.section or "", ident):
            out.setdefault((c.source, id_key(ident)), []).append(c)
    return out


def own_section(row: Chunk, unit: Chunk) -> bool:
    """Is ``unit`` the own section of the item that the summary-table row ``row`` lists (same document)?"""
    ident = item_of(row)
    return (
        ident is not None
        and unit.source == row.source
        and unit.client == row.client
        and not _titled(row.section or "", ident)
        and item_of(unit) == ident
        and _titled(unit.section or "", ident)
    )


def companions(row: Chunk, sections: dict[tuple[str, str], list[Chunk]]) -> list[Chunk]:
    """The item's own section for a summary-table row of it ("Findings Summary > F-05" -> "Detailed
    Findings > F-05 No BAA with TranscribeRight", same document): the row is an index line, the section is
    where a reviewer checks the finding. Empty for a unit that is not a bare row."""
    ident = item_of(row)
    if ident is None or _titled(row.section or "", ident):
        return []
    return sections.get((row.source, id_key(ident)), [])


def _titled(section: str, ident: str) -> bool:
    """Is the section's last part the id followed by a title ("F-01 MFA not enforced"), not the bare id?"""
    last = section.split(" > ")[-1].strip()
    return mentions(last, ident) and len(last) > len(ident) + 3
