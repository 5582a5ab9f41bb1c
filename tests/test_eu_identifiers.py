"""Clause ids of the EU cyber laws and the NIST Privacy Framework in questions: the act an article, recital
or annex belongs to, points resolved to their paragraph, and the existing ids still recognised."""

from __future__ import annotations

import pytest

from advisor.retrieval.identifiers import find_identifiers, identifier_tokens, section_matches
from advisor.retrieval.question import frameworks_named


def ids(text: str) -> list[tuple[str, str]]:
    return [(i.framework, i.section) for i in find_identifiers(text)]


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("What must NIS2 Art. 23(4) contain?", [("nis2", "Art. 23(4)")]),
        ("Summarise DORA Article 28", [("dora", "Art. 28")]),
        ("What does CRA Annex I require?", [("cra", "Annex I")]),
        ("Under NIS2, what does Art. 23 say about reporting?", [("nis2", "Art. 23")]),
        ("What does Art. 23 say about reporting under the NIS2 Directive?", [("nis2", "Art. 23")]),
        ("Which 800-53 controls support NIS2 Art. 21(2)(d)?", [("nis2", "Art. 21(2)(d)")]),
        ("What must Article 21(2)(d) of the NIS2 Directive cover?", [("nis2", "Art. 21(2)(d)")]),
        ("Compare DORA Art. 28 with GDPR Art. 28(3)", [("dora", "Art. 28"), ("gdpr", "Art. 28(3)")]),
        ("Which AI systems does Annex III of the AI Act list?", [("ai-act", "Annex III")]),
        ("CRA Annex I Part II", [("cra", "Annex I, Part II")]),
        ("Recital 39 of the AI Act", [("ai-act", "Recital 39")]),
        (
            "What is ID.IM-P1? And GV.PO-P and CT-P?",
            [
                ("privacy-framework", "ID.IM-P1"),
                ("privacy-framework", "GV.PO-P"),
                ("privacy-framework", "CT-P"),
            ],
        ),
    ],
)
def test_eu_and_privacy_ids(question: str, expected: list[tuple[str, str]]) -> None:
    assert ids(question) == expected


def test_existing_ids_unchanged() -> None:
    assert ids("How fast under Art. 33?") == [("gdpr", "Art. 33")]
    assert ids("Recital 39") == [("gdpr", "Recital 39")]
    assert ids("AC-2(3), GV.SC-01, ID.IM and 164.312(a)(2)(iv)") == [
        ("nist-800-53", "AC-2(3)"),
        ("csf-2.0", "GV.SC-01"),
        ("csf-2.0", "ID.IM"),
        ("hipaa", "164.312(a)(2)(iv)"),
    ]
    assert ids("Annex I lists sectors") == []  # no act named: GDPR has no annexes


def test_points_and_pieces_resolve() -> None:
    assert section_matches("Art. 21(2)", "Art. 21(2)(d)") == 1  # the paragraph that holds the point
    assert section_matches("Annex I, Part I, point 1", "Annex I") == 2
    assert section_matches("Annex I, Part II, points 1-3", "Annex I, Part II") == 2
    assert section_matches("Annex II", "Annex I") == 0
    assert section_matches("Art. 46, introduction", "Art. 46") == 2
    assert "id:art.21(2)" in identifier_tokens("NIS2 Art. 21(2)(d)")


def test_frameworks_named() -> None:
    assert frameworks_named("Does NIS2 apply to us?") == ("nis2",)
    assert frameworks_named("DORA and the Cyber Resilience Act") == ("dora", "cra")
    assert frameworks_named("What does the AI Act prohibit?") == ("ai-act",)
    assert frameworks_named("NIST Privacy Framework data inventory") == ("privacy-framework",)


def test_titles_and_recitals_in_ranking() -> None:
    from advisor.retrieval.retriever import RECITAL_WEIGHT, _title_key, _weight
    from ingest.types import Chunk

    assert _title_key("ESSENTIAL CYBERSECURITY REQUIREMENTS") == "essential cybersecurity requirements"
    assert (
        _title_key("Scope") == "" and _title_key("Reporting obligations") == ""
    )  # too short to name a clause

    def unit(kind: str, client: str | None = None) -> Chunk:
        return Chunk(
            "i",
            "t",
            client,
            "NIS2 Directive",
            "T",
            "regulation" if client is None else "policy",
            None,
            "Recital 1",
            extra={"kind": kind},
        )

    assert _weight(unit("recital"), set()) == RECITAL_WEIGHT < 1.0
    assert _weight(unit("paragraph"), set()) == 1.0 and _weight(unit("recital", "acme"), set()) == 1.0
