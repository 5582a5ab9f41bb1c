"""Check an engine's answer against the passages it was given; drop what they don't support.

Runs on every engine's output. Each sentence's [n] markers must point at a given passage and those
passages must support the sentence (see :mod:`advisor.answering.support`); an unsupported sentence is re-cited
when another passage supports it, otherwise removed. Citations are renumbered in order of use.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.answering import polarity
from advisor.answering import quantities as comparison
from advisor.answering.sentences import markers, split_sentences, strip_bullet, strip_markers, with_markers
from advisor.answering.support import SupportChecker, numbers
from advisor.models import Citation, Passage, SentenceCheck

# Sentences that make no factual claim may stand without a citation.
_NON_FACTUAL = re.compile(
    r"^(in summary|in short|overall|to summari[sz]e|here is|here are|based on the (sources|documents)|"
    r"the (sources|documents|excerpts) (do not|don't|does not)|i (can't|cannot|could not|do not|don't)|"
    r"(bottom line|details|what it means|what to do|next steps?)\s*:?\s*$|"
    r"the client's documents are silent|the built-in library holds no clause|the two are not directly "
    r"comparable)",
    re.I,
)
# Labels vciso puts before a quoted sentence; the sentence after the label is what is checked.
_LABEL = re.compile(r"^(The client's documents state: |The requirement(?:, [^:]{1,60},)? says: )")
_QUOTE_CHARS = 300


@dataclass(frozen=True)
class Verified:
    text: str
    citations: tuple[Citation, ...]
    checks: tuple[SentenceCheck, ...]
    removed: tuple[str, ...]


def is_factual(sentence: str) -> bool:
    body = strip_markers(sentence).strip()
    if not body or _NON_FACTUAL.search(body):
        return False
    if numbers(body):
        return True
    return len(body.split()) >= 5 and not body.endswith(":")


def verify(answer: str, passages: Sequence[Passage], checker: SupportChecker) -> Verified:
    n_passages = len(passages)
    kept_lines: list[str] = []
    checks: list[SentenceCheck] = []
    removed: list[str] = []
    order: list[int] = []  # passage indexes (0-based) in order of first citation
    quotes: dict[int, str] = {}

    for line in answer.splitlines():
        if not line.strip():
            kept_lines.append("")
            continue
        prefix = line[: len(line) - len(strip_bullet(line))]
        kept: list[str] = []
        for sentence in split_sentences(strip_bullet(line)):
            cited = [n for n in markers(sentence) if 1 <= n <= n_passages]
            body = strip_markers(sentence)
            if comparison.is_comparison(body) or polarity.is_verdict(body):
                texts = [passages[n - 1].text for n in cited]
                ok = (
                    polarity.check_verdict(body, texts)
                    if polarity.is_verdict(body)
                    else comparison.check(
                        body,
                        [passages[n - 1].text for n in cited if passages[n - 1].chunk.client],
                        [passages[n - 1].text for n in cited if not passages[n - 1].chunk.client],
                    )
                )
                if not ok:
                    removed.append(body)
                    checks.append(
                        SentenceCheck(
                            body,
                            tuple(cited),
                            False,
                            0.0,
                            "vciso's comparison or verdict is not what its sources give",
                        )
                    )
                    continue
                for n in cited:
                    if n - 1 not in order:
                        order.append(n - 1)
                kept.append(with_markers(body, [order.index(n - 1) + 1 for n in cited]))
                checks.append(
                    SentenceCheck(
                        body,
                        tuple(cited),
                        True,
                        1.0,
                        "vciso's comparison or verdict recomputed from its sources",
                    )
                )
                continue
            label_m = _LABEL.match(body)
            label = label_m.group(1) if label_m else ""
            body = body[len(label) :]
            if not is_factual(sentence) and not cited:
                kept.append(body)
                checks.append(SentenceCheck(body, (), True, 1.0, "no factual claim"))
                continue
            # Text flagged as instructions to an AI is never evidence for a claim.
            evidence = [passages[n - 1].text for n in cited if not _suspicious(passages[n - 1])]
            support = checker.check(body, evidence) if evidence else None
            reason = "supported by its citations"
            if support is None or not support.supported:
                # Re-cite to the single passage that supports it best, if any does.
                best = None
                for i, p in enumerate(passages):
                    if _suspicious(p):
                        continue
                    s = checker.check(body, [p.text])
                    if s.supported and (best is None or s.score > best[1].score):
                        best = (i + 1, s)
                if best is None:
                    why = "cites no source" if not cited else "not supported by the cited source"
                    if markers(sentence) and not cited:
                        why = "cites a source that does not exist"
                    removed.append(body)
                    checks.append(
                        SentenceCheck(body, tuple(cited), False, support.score if support else 0.0, why)
                    )
                    continue
                cited, support, reason = [best[0]], best[1], "re-cited to the source that supports it"
            for n in cited:
                if n - 1 not in order:
                    order.append(n - 1)
                quotes.setdefault(n - 1, support.best)
            renum = [order.index(n - 1) + 1 for n in cited]
            kept.append(label + with_markers(body, renum))
            checks.append(SentenceCheck(body, tuple(renum), True, support.score, reason))
        if kept:
            kept_lines.append(prefix + " ".join(kept))

    text = re.sub(r"\n{3,}", "\n\n", "\n".join(kept_lines)).strip()
    citations = tuple(
        Citation.from_passage(k + 1, passages[i], _quote(quotes.get(i) or passages[i].text))
        for k, i in enumerate(order)
    )
    return Verified(text=text, citations=citations, checks=tuple(checks), removed=tuple(removed))


def _suspicious(passage: Passage) -> bool:
    return bool(passage.chunk.extra.get("injection"))


def _quote(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _QUOTE_CHARS else text[: _QUOTE_CHARS - 1].rsplit(" ", 1)[0] + "…"
