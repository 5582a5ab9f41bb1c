"""When is the evidence too weak to answer? A pure decision over the question and the retrieved passages."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from advisor.answering.confidence import THRESHOLD, Signals, answerability
from advisor.models import Passage
from advisor.retrieval.identifiers import document_ids
from advisor.retrieval.lexical import stems, words
from ingest.doc_ids import mentions
from ingest.frameworks.registry import shipped, unshipped

# Words that say what kind of answer is wanted, not what it is about; their absence proves nothing.
GENERIC = frozenset(
    """policy policies document documents documentation client company organisation organization our us we
    require required requires requirement requirements need needs must
    shall should state states say says tell describe
    give list current currently process procedure procedures plan
    plans security information formal formally many much
    long often frequently frequency minimum maximum within according per exist exists existing place
    anyone someone who whom whose which what when where why how
    get got make made use used using ensure apply applies
    applicable cover covers covered covering mention mentions mentioned there have has had does do did yes
    regarding about kind type types way ways rule rules handle handled handling address addressed let lets
    okay please explain summary summarize summarise main key top overall owns own owner owners responsible
    accountable lead leads charge""".split()
)
DENSE_FLOOR = 0.25  # below this, nothing retrieved is about the question
DENSE_CONFIDENT = 0.55  # above this, missing words are paraphrase, not absence
COVERAGE_MIN = 0.6
GUARD_DENSE = (
    0.45  # with calibrated signals: below this meaning and COVERAGE_MIN words, abstain whatever the model
)


# Frameworks whose texts are not in the library (their licences forbid redistribution, or they are simply
# not shipped): a question about them is answered from the client's own documents or not at all.
# Defined in the framework registry (``UNSHIPPED`` plus entries without a parser).
UNSHIPPED: dict[str, re.Pattern[str]] = {u.name: u.rx for u in unshipped()}


_REQUIREMENT_NO = re.compile(
    r"\b(?:requirement|req\.?|clause|control|section)\s+(\d{1,2}(?:\.\d{1,2}){1,3})\b", re.I
)


def _library_labels() -> str:
    labels = [f.name for f in shipped()]
    return ", ".join(labels[:-1]) + " and " + labels[-1] if len(labels) > 1 else "".join(labels)


def unshipped_named(question: str) -> list[str]:
    return [name for name, rx in UNSHIPPED.items() if rx.search(question)]


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


def topic_words(question: str) -> list[str]:
    """The question's content words that name its topic (unstemmed, in order, without repeats)."""
    out: list[str] = []
    for w in words(question):
        if w in GENERIC or w.isdigit() or len(w) < 3 or w in out:
            continue
        out.append(w)
    return out


def decide(
    question: str,
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
    for name in unshipped_named(question):
        client_texts = [p.text for p in passages if p.chunk.client is not None]
        if not any(UNSHIPPED[name].search(t) for t in client_texts):
            return Decision(
                True,
                f"the text of {name} is not in the library and no client document mentions it",
                (name,),
                0.0,
                0.0,
            )
        for number in _REQUIREMENT_NO.findall(question):
            if not any(re.search(rf"(?<![\d.]){re.escape(number)}(?![\d])", t) for t in client_texts):
                return Decision(
                    True,
                    f"{name} requirement {number} is not in the library or the client's documents",
                    (f"{name} requirement {number}",),
                    0.0,
                    0.0,
                )
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
    lacking = tuple(w for w, ts in topic_stems if not ts <= client_stems) if client else ()
    coverage = 1.0 if not topics else 1 - len(missing) / len(topics)
    best_dense = max(p.dense for p in passages)
    if best_sentence is not None:
        best_dense = max(best_dense, best_sentence)
    named = [d for d in document_ids(question) if not any(mentions(p.text, d) for p in passages)]
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


def abstention_text(question: str, decision: Decision, client: str | None, searched: Sequence[str]) -> str:
    """Plain words: what was searched and what is missing."""
    # With a client selected, name what the client's documents lack (the library may hold the words).
    named = decision.absent_from_client if client and decision.absent_from_client else decision.missing
    topic = " ".join(named) or " ".join(topic_words(question)) or "this question"
    who = f"for client {client}" if client else "in the built-in library"
    where = "; ".join(searched) if searched else "no indexed documents"
    text = (
        f"I can't answer this from the documents: no document about {topic} was found {who}. "
        f"Searched: {where}."
    )
    if any(m.startswith(name) for m in decision.missing for name in UNSHIPPED):
        text += f" The built-in library holds {_library_labels()} only."
    if client:
        text += " If such a document exists, ingest it and ask again."
    return re.sub(r"\s+", " ", text).strip()
