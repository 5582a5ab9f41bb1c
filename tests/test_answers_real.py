"""Answers that hold on real questions (real MiniLM, library and demo clients): regulation questions asked
with a client selected, paraphrases, unanswerables next to nearby text, comparisons and bottom lines."""

from __future__ import annotations

import pytest

from advisor.access.policy import local_operator
from advisor.answering.quantities import PREFIX

OPERATOR = local_operator()

pytestmark = pytest.mark.slow
MERIDIAN, LEDGERLY = "meridian-health", "ledgerly"


@pytest.mark.parametrize(
    "client, question, section",
    [
        (MERIDIAN, "Which control covers vulnerability monitoring and scanning?", "RA-5"),
        (MERIDIAN, "Which control covers flaw remediation?", "SI-2"),
        (LEDGERLY, "Which control covers flaw remediation?", "SI-2"),
    ],
)
def test_regulation_question_with_a_client_selected_is_answered_from_the_library(
    real_advisor, client, question, section
):
    answer = real_advisor.ask(question, client, user=OPERATOR)
    assert not answer.abstained, answer.text
    assert any(c.client is None and (c.section or "").startswith(section) for c in answer.citations), (
        answer.citations
    )


def test_a_rule_asked_in_general_words_gets_the_clients_answer_and_the_rule(real_advisor):
    question = "How quickly must a personal data breach be notified to the supervisory authority?"
    answer = real_advisor.ask(question, LEDGERLY, user=OPERATOR)
    assert not answer.abstained, answer.text
    assert any(c.client == LEDGERLY for c in answer.citations), answer.citations
    rule = [c for c in answer.citations if c.client is None]
    assert rule and rule[0].section.startswith("Art. 33"), answer.citations
    assert "The requirement, GDPR Art. 33" in answer.text and "72 hours" in answer.text, answer.text
    # Asked about the client itself, the same topic is answered from its documents alone.
    own = real_advisor.ask(
        "How quickly do we notify the supervisory authority of a breach?", LEDGERLY, user=OPERATOR
    )
    assert not own.abstained and all(c.client == LEDGERLY for c in own.citations), own.citations


@pytest.mark.parametrize(
    "question",
    [
        "What is the maximum administrative fine for infringing the basic principles for processing?",
        "How often should audit records be reviewed and analyzed for unusual activity?",
    ],
)
def test_a_law_question_the_client_does_not_answer_is_answered_from_the_library(real_advisor, question):
    alone = real_advisor.ask(question, None, user=OPERATOR)
    answer = real_advisor.ask(question, LEDGERLY, user=OPERATOR)
    assert not answer.abstained, answer.text
    assert answer.text == alone.text and all(c.client is None for c in answer.citations), answer.text


def test_a_question_in_the_laws_own_terms_is_answered_as_without_a_client(real_advisor):
    question = "How quickly must a controller notify the supervisory authority of a personal data breach?"
    alone = real_advisor.ask(question, None, user=OPERATOR)
    for client in (LEDGERLY, MERIDIAN):
        answer = real_advisor.ask(question, client, user=OPERATOR)
        assert answer.text == alone.text and answer.citations == alone.citations, answer.text
        assert answer.citations and all(c.client is None for c in answer.citations)


@pytest.mark.parametrize(
    "client, question, fact",
    [
        (MERIDIAN, "Who runs the show when we get hacked?", "Dana Whitfield"),
        (MERIDIAN, "What is our minimum password length?", "12 characters"),
        (MERIDIAN, "How often are phishing simulations run?", "quarterly"),
        (
            MERIDIAN,
            "Which outside company gets our patient dictation without a signed agreement?",
            "TranscribeRight",
        ),
        (
            LEDGERLY,
            "How long can the payment platform be down before we miss our recovery target?",
            "2 hours",
        ),
        # everyday words for the policy's terms: "double-check" / review, "get into" / access
        (MERIDIAN, "How often do we double-check who can get into which systems?", "quarterly"),
        (LEDGERLY, "Which partner checks that merchants are who they say they are?", "Nordic KYC AB"),
    ],
)
def test_paraphrase_is_answered(real_advisor, client, question, fact):
    answer = real_advisor.ask(question, client, user=OPERATOR)
    assert not answer.abstained and fact in answer.text, answer.text


@pytest.mark.parametrize(
    "client, question",
    [
        (MERIDIAN, "What CVSS score did the assessor give the VPN finding?"),
        (MERIDIAN, "What is the coverage limit of our cyber insurance policy?"),
        # nearby text without the number asked for: "phishing simulations are run quarterly"
        (MERIDIAN, "How many phishing emails did staff report last quarter?"),
        (LEDGERLY, "What percentage of employees completed security awareness training last year?"),
        # nearby text without the firm's name: "An external penetration test is performed annually"
        (LEDGERLY, "What is the name of the firm that performs our external penetration test?"),
        # a role the client does not have, next to one it has (a Data Protection Officer)
        (LEDGERLY, "Who is the HIPAA Privacy Officer?"),
        # a pen test is mentioned, and risk rows carry scores, but no pen test score is given
        (LEDGERLY, "What was the overall score of last year's penetration test?"),
    ],
)
def test_unanswerable_next_to_nearby_text_abstains(real_advisor, client, question):
    answer = real_advisor.ask(question, client, user=OPERATOR)
    assert answer.abstained and not answer.citations, answer.text


def test_comparison_cites_both_sides_and_a_verified_comparison(real_advisor):
    answer = real_advisor.ask(
        "Does our deadline for notifying the supervisory authority of a breach meet GDPR Art. 33?",
        LEDGERLY,
        user=OPERATOR,
    )
    assert not answer.abstained
    assert {c.client for c in answer.citations} == {LEDGERLY, None}
    assert any((c.section or "").startswith("Art. 33") for c in answer.citations)
    assert answer.text.startswith(PREFIX) and "72 hours" in answer.text.split("\n")[0]
    assert any(ch.reason.startswith("vciso's comparison") and ch.supported for ch in answer.checks)


@pytest.mark.parametrize(
    "client, question, bottom",
    [
        (
            MERIDIAN,
            "Bottom line: did the audit find anything critical or high risk?",
            "Yes — 1 Critical and 4 High",
        ),
    ],
)
def test_executive_bottom_line_answers_the_question(real_advisor, client, question, bottom):
    answer = real_advisor.ask(question, client, audience="executive", user=OPERATOR)
    assert answer.text.startswith(f"Bottom line: {bottom}"), answer.text
