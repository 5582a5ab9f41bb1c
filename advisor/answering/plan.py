"""From a retrieval trace to the evidence an engine answers from and the decision whether to answer.

The question is understood once (:mod:`advisor.answering.question`); a comparison of the client against a
named
requirement is retrieved per side (:mod:`advisor.answering.comparison`); the abstention decision uses
the calibrated evidence signals (:mod:`advisor.answering.confidence`), so a regulation question asked with a
client selected, or a paraphrase, is answered when the evidence is there.

    plan = make_plan(lambda text, tenant: adv.retrieve(text, tenant), checker, trace, client)
    if not plan.decision.abstain:
        text = draft_extractive(plan, question, audience, checker, client)
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from advisor.answering.abstention import Decision, decide, topic_words, unshipped_named
from advisor.answering.comparison import compose_comparison, gather
from advisor.answering.confidence import LIBRARY_THRESHOLD, Signals, answerability, signals
from advisor.answering.extractive import compose
from advisor.answering.question import Question, understand
from advisor.models import Passage, RetrievalTrace
from advisor.retrieval.lexical import words
from advisor.retrieval.retriever import is_requirement_question

Retrieve = Callable[[str, "str | None"], RetrievalTrace]


@dataclass(frozen=True)
class Plan:
    question: Question
    passages: tuple[Passage, ...]  # what the engine answers from and verification checks against
    decision: Decision
    signals: Signals
    client_passages: tuple[Passage, ...] = ()  # a comparison's client side (also the head of ``passages``)
    library_passages: tuple[Passage, ...] = ()  # a comparison's library side


def make_plan(retrieve: Retrieve, checker, trace: RetrievalTrace, client: str | None) -> Plan:
    """``retrieve(text, tenant)``: the advisor's retrieval (access check and evidence rule included) for
    a sub-question, in the client's scope (``tenant`` = the client) or the library's (``None``)."""
    q, topics, passages = evidence(trace, client)
    if q.is_comparison and client is not None and not unshipped_named(trace.rewritten):
        mine, theirs = gather(retrieve, q, client)
        # Each side must hold on its own evidence; a silent side is said plainly, not filled with neighbours.
        mine = _if_answered(understand(q.client_side), mine, client, checker)
        theirs = _if_answered(understand(q.library_side), theirs, None, checker)
        if mine or theirs:
            both = [*mine, *theirs]
            sig = signals(q, topics, both, checker)
            decision = Decision(
                False, "the comparison's sides were retrieved separately", (), sig.coverage, sig.dense
            )
            return Plan(q, tuple(both), decision, sig, tuple(mine), tuple(theirs))
    sig = signals(q, topics, passages, checker)
    decision = decide(trace.rewritten, passages, client=client, signals=sig)
    if (
        decision.abstain
        and client is not None
        and not unshipped_named(trace.rewritten)
        and not about_the_client(trace.rewritten, client)
    ):
        # The client's documents do not answer it: a regulation question asked with a client selected is
        # answered from the library alone, as it would be without a client. A question about the client's
        # own state ("do we have cyber insurance?") is not: a library clause that mentions insurance says
        # nothing about whether the client has it.
        library = list(retrieve(trace.rewritten, None).passages)
        lib_sig = signals(q, topics, library, checker)
        lib_decision = decide(trace.rewritten, library, signals=lib_sig)
        if not lib_decision.abstain and answerability(lib_sig) >= LIBRARY_THRESHOLD:
            return Plan(q, tuple(library), lib_decision, lib_sig)
    return Plan(q, tuple(passages), decision, sig)


# "we", "our", "us": the question asks about the client itself, unless it asks what a rule requires of it.
_FIRST_PERSON = re.compile(r"\b([Ww]e|[Oo]urs?|us)\b")  # "US" is a country
_RULE = re.compile(
    r"\b(need|needs|require|required|requires|allowed|permitted|must|shall|should|deadline)\b", re.I
)


def about_the_client(question: str, client: str) -> bool:
    """Does ``question`` ask about the client's own state (its documents, controls, cover) rather than
    what a regulation or framework requires? Only the client's documents can answer such a question."""
    if is_requirement_question(question) or _RULE.search(question):
        return False
    name = client.lower().split("-")[0]  # "meridian", not "health"
    return bool(_FIRST_PERSON.search(question)) or name in words(question)


def evidence(trace: RetrievalTrace, client: str | None) -> tuple[Question, list[str], list[Passage]]:
    """The understood question, its topic words and the passages that may answer it."""
    q = understand(trace.rewritten)
    passages = list(trace.passages)
    if unshipped_named(trace.rewritten):  # no library clause is evidence about a framework it lacks
        passages = [p for p in passages if p.chunk.client is not None]
    own_name = set(client.split("-")) if client else set()
    topics = [w for w in topic_words(trace.rewritten) if w not in own_name]
    return q, topics, passages


def draft_extractive(plan: Plan, question: str, audience: str, checker, client: str | None) -> str:
    """The extractive engine's draft for ``plan`` (``question``: as asked, for sentence selection)."""
    if plan.client_passages or plan.library_passages:
        return compose_comparison(
            plan.question, plan.client_passages, plan.library_passages, audience, checker
        )
    prefer_client = client is not None and not is_requirement_question(plan.question.text)
    return compose(question, list(plan.passages), audience, checker, prefer_client)


def _if_answered(q: Question, passages: list[Passage], client: str | None, checker) -> list[Passage]:
    """``passages`` when they answer the sub-question ``q``, else nothing."""
    if not passages:
        return []
    sig = signals(q, topic_words(q.text), passages, checker)
    return [] if decide(q.text, passages, client=client, signals=sig).abstain else passages
