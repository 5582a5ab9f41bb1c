"""When is the evidence too weak to answer? A pure decision over the question and the retrieved passages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.answering.confidence import THRESHOLD, Signals, answerability
from advisor.models import Passage
from advisor.retrieval.lexical import stems
from advisor.retrieval.question import UNSHIPPED, Question
from ingest.doc_ids import mentions
from ingest.frameworks.registry import shipped

SECRET = (
    "I can't answer this: vciso does not look up or repeat passwords, keys or other secrets, even when a "
    "document holds one. Ask the system's owner or your password manager."
)
DENSE_FLOOR = 0.25  # below this, nothing retrieved is about the question
DENSE_CONFIDENT = 0.55  # above this, missing words are paraphrase, not absence
COVERAGE_MIN = 0.6
GUARD_DENSE = (
    0.45  # with calibrated signals: below this meaning and COVERAGE_MIN words, abstain whatever the model
)


def _library_labels() -> str:
    labels = [f.name for f in shipped()]
    return ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else "".join(labels)


@dataclass(frozen=True)
class Decision:
    abstain: bool
    reason: str
    missing: tuple[str, ...]  # topic words of the question found in no passage
    coverage: float
    best_dense: float
    absent_from_client: tuple[
        str, ...
    ] = ()  # topic words none of the client's passages holds (for the message)
    lacks: str = ""  # what was asked for that no passage gives ("the number of phishing emails")


def decide(
    question: Question,
    passages: Sequence[Passage],
    best_sentence: float | None = None,
    client: str | None = None,
    signals: Signals | None = None,
) -> Decision:
    """Abstain when nothing was retrieved, when a framework or item the question names is absent, or when
    the evidence is weak. With ``signals`` (see :mod:`advisor.answering.confidence`) "weak" is the calibrated
    answerability model; without, the best match is far from the question or the question's topic
    words are mostly absent and the meaning is not close either.

    Topic words are looked for in every retrieved passage, library clauses included: a regulation
    question asked with a client selected is answered from the library."""
    if question.asks_secret:
        return Decision(True, "the question asks for a secret", (), 0.0, 0.0)
    for name in question.unshipped:
        client_texts = [p.text for p in passages if p.chunk.client is not None]
        if not any(UNSHIPPED[name].search(t) for t in client_texts):
            return Decision(
                True,
                f"the text of {name} is not in the library and no client document mentions it",
                (name,),
                0.0,
                0.0,
            )
        for number in question.requirement_numbers:
            if not any(re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", t) for t in client_texts):
                return Decision(
                    True,
                    f"{name} requirement {number} is not in the library or the client's documents",
                    (f"{name} requirement {number}",),
                    0.0,
                    0.0,
                )
    if not passages:
        return Decision(True, "nothing was retrieved", question.topics, 0.0, 0.0)
    topics = question.topics_for(client)
    # The topic must meet in one passage: "cyber" in one text and "insurance" in another is no answer.
    per_passage = [set(stems(p.text)) for p in passages]
    topic_stems = [(w, set(stems(w))) for w in topics]
    best_cover = max(per_passage, key=lambda st: sum(ts <= st for _, ts in topic_stems))
    missing = tuple(w for w, ts in topic_stems if not ts <= best_cover)
    client_stems = set().union(*(st for p, st in zip(passages, per_passage) if p.chunk.client is not None))
    lacking = tuple(w for w, ts in topic_stems if not ts <= client_stems) if client else ()
    coverage = 1.0 if not topics else 1 - len(missing) / len(topics)
    best_dense = max(p.dense for p in passages)
    if best_sentence is not None:
        best_dense = max(best_dense, best_sentence)
    named = [d for d in question.document_ids if not any(mentions(p.text, d) for p in passages)]
    if named:
        return Decision(True, "an item the question names was not found", tuple(named), coverage, best_dense)
    exact = any(p.exact for p in passages)
    if exact:
        return Decision(False, "the question names a clause that was found", missing, coverage, best_dense)
    if signals is not None:
        score = answerability(signals)
        # Kept from the word-overlap rule as a guard (not fitted): topic words missing even after expansion
        # and no passage or sentence close in meaning.
        weak = signals.soft < COVERAGE_MIN and max(signals.dense, signals.sentence) < GUARD_DENSE
        if score < THRESHOLD or weak:
            return Decision(
                True,
                f"the evidence is too weak (answerability {score:.2f})",
                missing,
                coverage,
                best_dense,
                lacking,
            )
        return Decision(False, "enough evidence", missing, coverage, best_dense)
    if best_dense < DENSE_FLOOR:
        return Decision(True, "no passage is close to the question", missing, coverage, best_dense)
    if coverage < COVERAGE_MIN and best_dense < DENSE_CONFIDENT:
        return Decision(
            True, "the question's topic is not in the documents", missing, coverage, best_dense, lacking
        )
    return Decision(False, "enough evidence", missing, coverage, best_dense)


def abstention_text(
    question: Question, decision: Decision, client: str | None, searched: Sequence[str]
) -> str:
    """Plain words: what was searched and what is missing."""
    if question.asks_secret:
        return SECRET
    # With a client selected, name what the client's documents lack (the library may hold the words).
    named = decision.absent_from_client if client and decision.absent_from_client else decision.missing
    topic = " ".join(named) or " ".join(question.topics) or "this question"
    who = f"for client {client}" if client else "in the built-in library"
    where = "; ".join(searched) if searched else "no indexed documents"
    found = (
        f"the passages found {who} do not give {decision.lacks}"
        if decision.lacks
        else f"no document about {topic} was found {who}"
    )
    text = f"I can't answer this from the documents: {found}. Searched: {where}."
    if any(m.startswith(name) for m in decision.missing for name in UNSHIPPED):
        text += f" The built-in library holds {_library_labels()} only."
    if client:
        text += " If such a document exists, ingest it and ask again."
    return re.sub(r"\s+", " ", text).strip()
