"""Answering questionnaire rows from one client's documents: yes / no / partial / n/a, or left for review.

Per question: the client's documents are searched (never the library — a regulation saying what should
be done is no evidence of what the client does). The project's abstention decision runs first; then the
client sentence closest to the question must be strong enough (cosine + word overlap), else the row is
left for review with an empty answer. A finding of an audit report on the same topic turns "yes" into
"partial". A question asking whether something is allowed, answered by a prohibition, is "no".
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from advisor.answering.abstention import decide
from advisor.answering.polarity import DENIES, PARTIAL
from advisor.answering.polarity import polarity as shared_polarity
from advisor.answering.sentences import split_sentences
from advisor.answering.support import SupportChecker, lexical_overlap
from advisor.assessment.evidence import ClientEvidence, expand
from advisor.assessment.findings import extract_findings
from advisor.models import Citation, Passage
from advisor.register.findings import Finding
from advisor.retrieval.lexical import stems
from advisor.retrieval.question import understand
from advisor.retrieval.topics import topic_words
from advisor.services import Services

if TYPE_CHECKING:
    from advisor.access.users import User
    from advisor.service import Advisor

ANSWER_MIN = 0.45  # evidence strength below which the row is left for review
CLEAR_ANSWER = 0.45  # ... at or above which a client sentence answers even when the topic words differ
FINDING_MIN = 0.47  # mean cosine of the finding to the question and to the quote: the finding concerns it
_SECTION_NUMBER = re.compile(r"^(\d+\.\d+)\b")
FINDING_DENIES_MIN = (
    0.38  # a finding that denies the question counts from this mean cosine (topic, not wording)
)
FINDING_SHARED_MIN = 0.5  # ... or from this share of the question's topic words in the finding
PRACTICE_DENIES_MIN = (
    0.5  # a denying sentence of an audit report, risk register or minutes counts from this cosine
)
_PRACTICE = ("audit_report", "risk_register", "minutes")


@dataclass(frozen=True)
class QAnswer:
    row: int
    question: str
    answer: str  # yes | no | partial | n/a | "" (left for review)
    explanation: str
    citations: tuple[dict, ...]
    confidence: float
    needs_review: bool

    def as_contract(self) -> dict:
        return {
            "row": self.row,
            "question": self.question,
            "answer": self.answer,
            "explanation": self.explanation,
            "citations": list(self.citations),
            "confidence": self.confidence,
            "needs_review": self.needs_review,
        }


def strength(sentence: float, lexical: float) -> float:
    return round(max(0.0, min(1.0, 0.6 * sentence + 0.4 * lexical)), 4)


def polarity(question: str, statement: str) -> str:
    """'no' when the evidence denies what the question asks — a prohibition of what it asks to be allowed, an
    absence or failure of what it asks to be in place (the shared decision of
    :mod:`advisor.answering.polarity`)."""
    said = shared_polarity(statement, question)
    return "no" if said == DENIES else "partial" if said == PARTIAL else "yes"


def counter_evidence(
    checker: SupportChecker,
    question: str,
    passages: Sequence[Passage],
    findings: Sequence[Finding],
    finding_sims: np.ndarray,
    to_quote: np.ndarray,
) -> tuple[float, dict, str] | None:
    """The strongest record of the client's practice that denies what the question asks: a finding on the
    topic, or a sentence of an audit report, risk register or minutes. (similarity, citation, label) or
    None."""
    best: tuple[float, dict, str] | None = None
    topic = set(stems(" ".join(topic_words(question))))
    for j, f in enumerate(findings):
        sim = (float(finding_sims[j]) + float(to_quote[j])) / 2
        # On the topic: close in meaning, or sharing most of the question's topic words ("business associate
        # agreement" where the embedding does not know "BAA").
        shared = len(topic & set(stems(f.text))) / len(topic) if topic else 0.0
        on_topic = sim >= FINDING_DENIES_MIN or (
            shared >= FINDING_SHARED_MIN and float(finding_sims[j]) >= 0.2
        )
        if on_topic and shared_polarity(f.text, question) == DENIES and (best is None or sim > best[0]):
            best = (sim, _finding_cite(f), f"audit finding {f.ref} ({f.title})")
    finding_chunks = {f.chunk.id for f in findings if f.chunk is not None}
    practice = [
        (p, s)
        for p in passages
        if p.chunk.doc_type in _PRACTICE and p.chunk.id not in finding_chunks
        for s in split_sentences(p.text)
        if len(s) > 20
    ]
    if practice:
        sims = checker.similarity(question, [s for _, s in practice])
        for (p, sentence), sim in zip(practice, sims):
            if (
                sim >= PRACTICE_DENIES_MIN
                and shared_polarity(sentence, question) == DENIES
                and (best is None or sim > best[0])
            ):
                best = (
                    float(sim),
                    Citation.from_passage(2, p, expand(p.text, sentence)).as_contract(),
                    _where(p),
                )
    return best


def _finding_cite(f: Finding) -> dict:
    """The contract citation [2] of a finding: the report passage it was read from, else the register's
    source and page."""
    c = f.chunk
    return {
        "n": 2,
        "source": c.source if c else f.source,
        "title": c.title if c else None,
        "page": c.page if c else f.page,
        "section": c.section if c else None,
        "client": c.client if c else (f.client or None),
        "quote": (f.observation or f.quote)[:300],
    }


def contradicts(finding: Finding, passage: Passage) -> bool:
    """Does the finding name the policy section the evidence comes from ("Policy section 5.3 requires...")?"""
    number = _SECTION_NUMBER.match((passage.chunk.section or "").split(" > ")[-1])
    if not number or passage.chunk.doc_type != "policy":
        return False
    return bool(re.search(rf"\bsection {re.escape(number.group(1))}\b", finding.observation, re.I))


_FREQUENCIES = (
    (re.compile(r"\b(daily|nightly|every (?:day|night))\b", re.I), 1),
    (re.compile(r"\b(weekly|every week)\b", re.I), 7),
    (re.compile(r"\b(monthly|every month|each month)\b", re.I), 30),
    (re.compile(r"\b(quarterly|every quarter|every (?:3|three) months)\b", re.I), 91),
    (re.compile(r"\b(semi-?annual(?:ly)?|twice a year|every (?:6|six) months)\b", re.I), 182),
    (re.compile(r"\b(annual(?:ly)?|yearly|every year|each year|once a year)\b", re.I), 365),
)


def frequency(text: str) -> int | None:
    """The most frequent schedule named in ``text``, in days ("monthly" -> 30), or None."""
    found = [days for rx, days in _FREQUENCIES if rx.search(text)]
    return min(found) if found else None


_NUMBER_WORDS = {
    w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve".split())
}
_UNIT_DAYS = {"hour": 1 / 24, "day": 1, "week": 7, "month": 30, "year": 365, "character": None}
_AMOUNT = re.compile(
    r"\b(\d+|" + "|".join(_NUMBER_WORDS) + r")\s+(?:calendar\s+|business\s+)?"
    r"(hour|day|week|month|year|character)s?\b",
    re.I,
)


def amounts(text: str) -> list[tuple[str, float]]:
    """Durations (in days) and character counts named in ``text``: [("time", 365.0), ("character", 12.0)]."""
    out = []
    for num, unit in _AMOUNT.findall(text):
        n = float(_NUMBER_WORDS.get(num.lower(), num) if not num.isdigit() else num)
        days = _UNIT_DAYS[unit.lower()]
        out.append(("character", n) if days is None else ("time", n * days))
    return out


def amount_conflict(question: str, statement: str) -> str:
    """'at least N' asked but the statement names only less; 'within N' asked but it names only more.
    Returns the kind of bound not met ("minimum" / "maximum") or ""."""
    for bound, rx in (
        ("minimum", r"\bat least\b|\bminimum\b"),
        ("maximum", r"\bwithin\b|\bat most\b|\bno later than\b"),
    ):
        if not re.search(rx, question, re.I):
            continue
        for kind, asked in amounts(question):
            stated = [v for k, v in amounts(statement) if k == kind]
            if stated and (
                (bound == "minimum" and max(stated) < asked) or (bound == "maximum" and min(stated) > asked)
            ):
                return bound
    return ""


def _where(p: Passage) -> str:
    return Citation.from_passage(1, p, "").place()


def _review(row: int, question: str, why: str, cites: Sequence[dict] = ()) -> QAnswer:
    return QAnswer(row, question, "", why, tuple(cites), 0.0, True)


def answer_all(
    adv: Advisor,
    client: str,
    questions: Sequence[tuple[int, str]],
    progress: Callable[[int, int], None] | None = None,
    *,
    user: User,
) -> list[QAnswer]:
    """Answer every (row, question) for ``client``, as ``user``."""
    from advisor.access.policy import Access

    Access.require_read(user, client)
    services = adv.services(user)
    adv.events.record("questionnaire_run", user=user, client=client, detail=f"{len(questions)} questions")
    return fill_answers(services, client, questions, progress)


def fill_answers(
    services: Services,
    client: str,
    questions: Sequence[tuple[int, str]],
    progress: Callable[[int, int], None] | None = None,
) -> list[QAnswer]:
    """The answers themselves, with the typed collaborators of one principal (see :func:`answer_all`)."""
    checker = services.checker
    evidence = ClientEvidence(services, client)
    texts = [q for _, q in questions]
    if not evidence or not texts:
        return [
            _review(r, q, "No documents are ingested for this client; needs review.") for r, q in questions
        ]
    qvec = checker.vectors(texts)
    found = evidence.search(texts, k=6, vectors=qvec)
    findings = extract_findings(evidence.chunks)
    fsim = (qvec @ checker.vectors([f.text for f in findings]).T) if findings else np.zeros((len(texts), 0))
    checker.vectors(
        list(dict.fromkeys(s for c in evidence.chunks for s in split_sentences(c.text) if len(s) > 8))
    )
    out = []
    for i, ((row, question), passages) in enumerate(zip(questions, found)):
        out.append(answer_one(checker, row, question, passages, findings, fsim[i]))
        if progress:
            progress(i + 1, len(questions))
    return out


def answer_one(
    checker: SupportChecker,
    row: int,
    question: str,
    passages: Sequence[Passage],
    findings: Sequence[Finding],
    finding_sims: np.ndarray,
) -> QAnswer:
    finding_chunks = {f.chunk.id for f in findings if f.chunk is not None}
    statements = [p for p in passages if p.chunk.id not in finding_chunks]
    sentences = [(p, s) for p in statements for s in split_sentences(p.text) if len(s) > 8]
    if not sentences:
        return _review(
            row,
            question,
            "Only audit findings mention this topic; no policy or record states it; needs review.",
        )
    sims = checker.similarity(question, [s for _, s in sentences])
    k = int(np.argmax(sims))
    best_p, best_s = sentences[k]
    score = strength(float(sims[k]), lexical_overlap(question, best_p.text))
    decision = decide(understand(question), list(passages))
    if decision.abstain and score < CLEAR_ANSWER:
        return _review(
            row, question, f"Not answered by the client's documents ({decision.reason}); needs review."
        )
    if score < ANSWER_MIN:
        return _review(row, question, "The closest client text does not clearly answer this; needs review.")
    quote = expand(best_p.text, best_s)
    cites = [Citation.from_passage(1, best_p, quote).as_contract()]
    if (asked := frequency(question)) and (stated := frequency(quote)) and stated > asked:
        return _review(
            row,
            question,
            f"{_where(best_p)} states “{quote}” [1], a less frequent schedule than the "
            "question asks about; needs review.",
            cites,
        )
    if conflict := amount_conflict(question, quote):
        return _review(
            row,
            question,
            f"{_where(best_p)} states “{quote}” [1], which does not meet the {conflict} "
            "the question asks about; needs review.",
            cites,
        )
    to_quote = checker.similarity(quote, [f.text for f in findings]) if findings else np.zeros(0)
    if best_p.chunk.doc_type in _PRACTICE and polarity(question, quote) == "no":
        # The closest evidence is itself a record that it is not done: never a "yes" citing a finding.
        return QAnswer(
            row,
            question,
            "no",
            f"No: {_where(best_p)} states “{quote}” [1].",
            tuple(cites),
            round(score, 2),
            False,
        )
    linked = [
        ((float(finding_sims[j]) + float(to_quote[j])) / 2, f)
        for j, f in enumerate(findings)
        if (finding_sims[j] + to_quote[j]) / 2 >= FINDING_MIN or contradicts(f, best_p)
    ]
    if linked:
        sim, f = max(linked, key=lambda t: t[0])
        cites.append(_finding_cite(f))
        text = (
            f"{_where(best_p)} requires it (“{quote}” [1]), but audit finding {f.ref} ({f.title}) shows it "
            "is not fully in place [2]."
        )
        return QAnswer(row, question, "partial", text, tuple(cites), round(min(score, sim + 0.25), 2), False)
    counter = counter_evidence(checker, question, passages, findings, finding_sims, to_quote)
    if counter is not None and polarity(question, quote) == "yes":
        sim, cite, label = counter
        cites.append(cite)
        text = (
            f"{_where(best_p)} states it (“{quote}” [1]), but {label} says otherwise (“{cite['quote']}” "
            "[2]); policy and practice differ."
        )
        return QAnswer(row, question, "partial", text, tuple(cites), round(min(score, sim + 0.25), 2), False)
    answer = polarity(question, quote)
    text = f"{ {'no': 'No', 'partial': 'Partly'}.get(answer, 'Yes') }: {_where(best_p)} states “{quote}” [1]."
    return QAnswer(row, question, answer, text, tuple(cites), round(score, 2), False)
