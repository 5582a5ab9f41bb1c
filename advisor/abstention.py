"""When is the evidence too weak to answer? A pure decision over the question and the retrieved passages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.identifiers import document_ids
from advisor.lexical import stems, words
from advisor.models import Passage

# Words that say what kind of answer is wanted, not what it is about; their absence proves nothing.
GENERIC = frozenset(
    """policy policies document documents documentation client company organisation organization our us we
    require required requires requirement requirements need needs must shall should state states say says tell describe
    give list current currently process procedure procedures plan plans security information formal formally many much
    long often frequently frequency minimum maximum within according per exist exists existing place
    anyone someone who whom whose which what when where why how get got make made use used using ensure apply applies
    applicable cover covers covered covering mention mentions mentioned there have has had does do did yes
    regarding about kind type types way ways rule rules handle handled handling address addressed let lets
    okay please explain summary summarize summarise main key top overall owns own owner owners responsible
    accountable lead leads charge""".split()
)
DENSE_FLOOR = 0.25  # below this, nothing retrieved is about the question
DENSE_CONFIDENT = 0.55  # above this, missing words are paraphrase, not absence
COVERAGE_MIN = 0.6


@dataclass(frozen=True)
class Decision:
    abstain: bool
    reason: str
    missing: tuple[str, ...]  # topic words of the question found in no passage
    coverage: float
    best_dense: float


def topic_words(question: str) -> list[str]:
    """The question's content words that name its topic (unstemmed, in order, without repeats)."""
    out: list[str] = []
    for w in words(question):
        if w in GENERIC or w.isdigit() or len(w) < 3 or w in out:
            continue
        out.append(w)
    return out


def decide(question: str, passages: Sequence[Passage], best_sentence: float | None = None,
           client: str | None = None) -> Decision:
    """Abstain when nothing was retrieved, when the best match is far from the question, or when the
    question's topic words are mostly absent and the meaning is not close either."""
    if not passages:
        return Decision(True, "nothing was retrieved", tuple(topic_words(question)), 0.0, 0.0)
    own_name = set(client.split("-")) if client else set()
    topics = [w for w in topic_words(question) if w not in own_name]
    # The topic must meet in one passage: "cyber" in one text and "insurance" in another is no answer.
    per_passage = [set(stems(p.text)) for p in passages]
    topic_stems = [(w, set(stems(w))) for w in topics]
    best_cover = max(per_passage, key=lambda st: sum(ts <= st for _, ts in topic_stems))
    missing = tuple(w for w, ts in topic_stems if not ts <= best_cover)
    client_stems = set().union(*(st for p, st in zip(passages, per_passage) if p.chunk.client is not None))
    absent_from_client = tuple(w for w, ts in topic_stems if not ts <= client_stems)
    if client and absent_from_client:
        missing = absent_from_client  # name what the client's documents lack
    coverage = 1.0 if not topics else 1 - len(missing) / len(topics)
    best_dense = max(p.dense for p in passages)
    if best_sentence is not None:
        best_dense = max(best_dense, best_sentence)
    named = [d for d in document_ids(question) if not any(re.search(rf"\b{re.escape(d)}\b", p.text) for p in passages)]
    if named:
        return Decision(True, "an item the question names was not found", tuple(named), coverage, best_dense)
    exact = any(p.exact for p in passages)
    if exact:
        return Decision(False, "the question names a clause that was found", missing, coverage, best_dense)
    if best_dense < DENSE_FLOOR:
        return Decision(True, "no passage is close to the question", missing, coverage, best_dense)
    if coverage < COVERAGE_MIN and best_dense < DENSE_CONFIDENT:
        return Decision(True, "the question's topic is not in the documents", missing, coverage, best_dense)
    return Decision(False, "enough evidence", missing, coverage, best_dense)


def abstention_text(question: str, decision: Decision, client: str | None, searched: Sequence[str]) -> str:
    """Plain words: what was searched and what is missing."""
    topic = " ".join(decision.missing) or " ".join(topic_words(question)) or "this question"
    who = f"for client {client}" if client else "in the built-in library"
    where = "; ".join(searched) if searched else "no indexed documents"
    text = (f"I can't answer this from the documents: no document about {topic} was found {who}. "
            f"Searched: {where}.")
    if client:
        text += " If such a document exists, ingest it and ask again."
    return re.sub(r"\s+", " ", text).strip()
