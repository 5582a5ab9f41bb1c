"""Pure ranking helpers: weighted reciprocal rank fusion, neighbour merging and the context budget."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from advisor.models import Passage


def rrf(rankings: Iterable[tuple[float, Sequence[str]]], k: int = 60) -> list[tuple[str, float]]:
    """Weighted reciprocal rank fusion: score(d) = sum over rankings of weight / (k + rank(d)), rank 1-based.

    Ties keep the order in which ids were first seen, so the result is deterministic.
    """
    scores: dict[str, float] = {}
    for weight, ranking in rankings:
        for rank, doc_id in enumerate(ranking, start=1):
            scores[doc_id] = scores.get(doc_id, 0.0) + weight / (k + rank)
    order = {d: i for i, d in enumerate(scores)}
    return sorted(scores.items(), key=lambda kv: (-kv[1], order[kv[0]]))


def merge_neighbours(passages: Sequence[Passage]) -> list[Passage]:
    """Merge passages that are adjacent pieces of the same section on the same page (consecutive ``ordinal``),
    so a citation of the merged passage still names the right page and section.

    The merged passage keeps the better-ranked position and the earlier chunk as its citation anchor.
    """
    out: list[Passage] = []
    taken: set[str] = set()
    by_key = {
        (p.chunk.source, p.chunk.client, p.chunk.page, p.chunk.section, p.chunk.extra.get("ordinal")): p
        for p in passages
    }
    for p in passages:
        if p.id in taken:
            continue
        ordinal = p.chunk.extra.get("ordinal")
        if ordinal is None or p.chunk.client is None:
            out.append(p)
            taken.add(p.id)
            continue
        key = (p.chunk.source, p.chunk.client, p.chunk.page, p.chunk.section)
        lo = hi = int(ordinal)
        while (prev := by_key.get((*key, lo - 1))) is not None and prev.id not in taken:
            lo -= 1
        while (nxt := by_key.get((*key, hi + 1))) is not None and nxt.id not in taken:
            hi += 1
        group = [by_key[(*key, o)] for o in range(lo, hi + 1)]
        if len(group) == 1:
            out.append(p)
            taken.add(p.id)
            continue
        taken.update(g.id for g in group)
        out.append(
            Passage(
                chunk=group[0].chunk,
                text="\n".join(g.text for g in group),
                score=max(g.score for g in group),
                dense=max(g.dense for g in group),
                lexical=max(g.lexical for g in group),
                exact=any(g.exact for g in group),
                merged_ids=tuple(g.id for g in group),
            )
        )
    return out


def within_budget(passages: Sequence[Passage], budget_chars: int, k: int) -> list[Passage]:
    """The first passages (at most ``k``) whose text fits in ``budget_chars``; the first always fits,
    trimmed if it alone is over budget."""
    out: list[Passage] = []
    used = 0
    for p in passages:
        if len(out) >= k:
            break
        if out and used + len(p.text) > budget_chars:
            continue
        if not out and len(p.text) > budget_chars:
            p = Passage(p.chunk, p.text[:budget_chars], p.score, p.dense, p.lexical, p.exact, p.merged_ids)
        out.append(p)
        used += len(p.text)
    return out
