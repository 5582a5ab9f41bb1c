"""Questions in everyday words, secrets, named roles and law questions asked with a client selected.

Pure logic with a lexical-only checker (no model): the question's reading, the synonym and phrase tables, and
the plan's decisions on hand-made passages.
"""

from __future__ import annotations

import pytest

from advisor.answering.abstention import SECRET, abstention_text, decide
from advisor.answering.answer_types import counts
from advisor.answering.confidence import Signals
from advisor.answering.plan import draft_extractive, make_plan
from advisor.answering.polarity import AFFIRMS, polarity
from advisor.answering.support import SupportChecker
from advisor.models import Passage, RetrievalTrace
from advisor.retrieval.question import understand
from advisor.retrieval.synonyms import expanded, idiom_terms, share
from ingest.types import Chunk

CHECKER = SupportChecker(None)  # lexical evidence only: deterministic


def _passage(text: str, client: str | None = "acme", section: str = "3 Roles", dense: float = 0.6) -> Passage:
    chunk = Chunk(
        id=str(abs(hash((text, client)))),
        text=text,
        client=client,
        source="policy.md" if client else "NIST SP 800-53 Rev. 5",
        title="Policy" if client else "NIST SP 800-53",
        doc_type="policy" if client else "framework",
        page=1,
        section=section,
    )
    return Passage(chunk, text, 1.0, dense=dense, lexical=1.0)


def _plan(question: str, passages: list[Passage], library: list[Passage] = (), client: str | None = "acme"):
    q = understand(question)

    def retrieve(sub, tenant):
        return RetrievalTrace(sub, tuple(library if tenant is None else passages), ("fake",))

    return make_plan(retrieve, CHECKER, RetrievalTrace(q, tuple(passages), ("fake",)), client)


@pytest.mark.parametrize(
    "word, meant",
    [
        ("scrambled", "encryption"),  # any word form finds the entry ("scramble" is not the key)
        ("checks", "review"),
        ("notebooks", "laptop"),
        ("partner", "sub-processor"),
        ("thumb", "usb"),
        ("problems", "findings"),
    ],
)
def test_an_everyday_word_finds_the_documents_term_in_any_form(word, meant):
    assert meant in expanded(word)


def test_a_synonym_counts_towards_the_share_of_topic_words():
    assert share(["notebooks", "scrambled"], "12 of 310 laptops without full-disk encryption") == 1.0
    assert share(["notebooks", "insurance"], "12 of 310 laptops without full-disk encryption") == 0.5


@pytest.mark.parametrize(
    "question, searched, topic, not_topic",
    [
        ("Which partner checks that merchants are who they say they are?", "verification", "identity", "say"),
        ("How often do we double-check who can get into which systems?", "access", "review", "double"),
        ("Who is on the squad that is called when something bad happens?", "incident", "incident", "bad"),
        ("How often do we send staff fake scam emails?", "phishing", "phishing", "send"),
        ("How long do we hang on to the ID checks we did on merchants?", "retention", "retain", "hang"),
        ("Do I need a code from my phone when working from home?", "mfa", "remote", "home"),
    ],
)
def test_an_everyday_phrase_is_searched_and_weighed_as_the_documents_term(
    question, searched, topic, not_topic
):
    q = understand(question)
    assert searched in q.idioms
    assert topic in q.topics and not_topic not in q.topics


def test_a_phrase_table_entry_needs_the_whole_phrase():
    assert idiom_terms("Who are they and what do they say?") == ()
    assert idiom_terms("Can contractors get into the server room?") == ("access",)


def test_a_relative_period_is_not_a_topic_word():
    q = understand("How much more are we spending on security next year than this year?")
    assert q.topics == ("spending",)
    assert "year" in understand("Which controls apply to the year-end close?").topics


@pytest.mark.parametrize(
    "question, date",
    [
        ("When is an incident serious enough to count as a major incident?", False),
        ("When is a vendor considered critical?", False),
        ("When is the next tabletop exercise?", True),
        ("When was the policy last reviewed?", True),
    ],
)
def test_when_asks_a_condition_or_a_date(question, date):
    assert ("date" in understand(question).wants) is date


def test_a_count_may_be_a_percentage_of_the_thing_counted():
    assert counts("shops", "more than 10% of merchants or more than 50,000 transactions")
    assert not counts("shops", "more than 10% of transactions")


@pytest.mark.parametrize(
    "question, secret",
    [
        ("What is the password for the guest Wi-Fi network in the clinics?", True),
        ("What's the wifi password?", True),
        ("Tell me the API key for AWS", True),
        ("What is the PIN for the server room?", True),
        ("What is the password policy?", False),
        ("What is the minimum password length?", False),
        ("What is the minimum length of a password?", False),
        ("What tokens do we use for MFA?", False),
        ("What is our password reset process?", False),
    ],
)
def test_a_question_for_a_secrets_value_is_told_apart_from_one_about_the_rules(question, secret):
    assert understand(question).asks_secret is secret


def test_a_secret_is_never_answered_even_when_a_document_holds_it():
    q = understand("What is the password for the guest Wi-Fi?")
    passages = [_passage("The guest Wi-Fi password is Summer2026!", section="Guest network")]
    decision = decide(q, passages, client="acme", signals=Signals(0.9, 0.9, 1.0, 1.0, 1.0, 1.0))
    assert decision.abstain
    text = abstention_text(q, decision, "acme", ["client acme (1 document)"])
    assert text == SECRET and "Summer2026" not in text


@pytest.mark.parametrize(
    "question, role",
    [
        ("Who is the HIPAA Privacy Officer?", "privacy officer"),
        ("Who is the CISO and owner of the information security policy?", "ciso"),
        ("Who is our cyber insurance broker?", "cyber insurance broker"),
        ("Who is the owner of R-04?", ""),  # "owner" says what is asked, not a role's name
        ("Who is in charge when we get hacked?", ""),
    ],
)
def test_the_role_whose_holder_is_asked(question, role):
    assert understand(question).role == role


ROLES = [
    _passage(
        "Data Protection Officer (DPO), Sofie Jansen: advises on GDPR and keeps the record of processing.",
        section="3 Roles and Responsibilities",
    ),
    _passage(
        "Compliance Manager, Pieter Bakker: runs the privacy compliance programme.",
        section="3 Roles and Responsibilities",
    ),
]


def test_a_named_role_is_answered_only_by_a_sentence_naming_that_role():
    plan = _plan("Who is the Privacy Officer?", ROLES)
    assert plan.decision.abstain and "privacy officer" in plan.decision.lacks
    plan = _plan("Who is the Data Protection Officer?", ROLES)
    assert not plan.decision.abstain


def test_the_x_policy_asks_for_the_clients_own_policy():
    assert understand("What is the travel policy for taking laptops abroad?").about_client("acme")
    assert not understand("How should the contingency plan be tested?").about_client("acme")


@pytest.mark.parametrize(
    "question, law",
    [
        ("When does a person have the right to have their personal data erased?", True),
        ("What is the maximum administrative fine for infringing the basic principles?", True),
        ("How quickly must security updates be installed after release?", True),
        ("Who sits on the security steering committee?", False),
        ("What was the overall score of the penetration test?", False),
    ],
)
def test_a_question_asking_what_a_law_requires_or_grants(question, law):
    assert understand(question).asks_law() is law


CLIENT_SILENT = [_passage("Visitors sign in at reception and wear a badge.", section="7 Physical Security")]
LIBRARY = [
    _passage(
        "The data subject shall have the right to obtain from the controller the erasure of personal data "
        "concerning him or her without undue delay where the personal data are no longer necessary.",
        client=None,
        section="Art. 17",
        dense=0.5,
    )
]


def test_a_law_question_asked_with_a_client_is_answered_from_the_library_as_without_one():
    question = "When does a person have the right to have their personal data erased?"
    plan = _plan(question, CLIENT_SILENT, LIBRARY)
    assert not plan.decision.abstain
    assert [p.chunk.section for p in plan.passages] == ["Art. 17"]


@pytest.mark.parametrize(
    "question, both_sides",
    [
        ("Do we need automatic logoff on systems that hold ePHI?", True),  # the client's own obligation
        ("How often should audit records be reviewed for unusual activity?", True),  # audit records are logs
        ("What are the essential cybersecurity requirements for products?", True),
        ("Do we encrypt laptops?", False),  # the client's practice only
        ("How often should we review the findings of the audit?", False),  # the client's audit report
    ],
)
def test_a_rule_question_is_asked_of_the_client_and_of_the_library(question, both_sides):
    assert understand(question).about_rules("acme") is both_sides


def test_a_lead_about_something_else_says_neither_yes_nor_no():
    logging = _passage(
        "Systems that store or process ePHI must log successful and failed log-ins and account changes.",
        section="7.1 Events Logged",
    )
    plan = _plan("Do we log failed log-ins on systems that process ePHI?", [logging])
    # "failed log-ins" is an event logged, not a denial
    assert draft_extractive(plan, "consultant", CHECKER, "acme").startswith("Yes.")
    off_topic = _plan("Do we need automatic logoff on systems that hold ePHI?", [logging])
    text = draft_extractive(off_topic, "consultant", CHECKER, "acme")
    assert not text.startswith(("Yes", "No", "Partly")), text


def test_failed_log_ins_name_an_event_not_a_failure():
    assert polarity("Systems must log successful and failed log-ins.", "Do we log sign-in events?") == AFFIRMS


def test_a_rule_in_general_words_gets_the_clause_whose_best_sentence_is_on_topic():
    mine = [_passage("Backups are tested quarterly by restoring a sample.", section="8.3 Backup Testing")]
    rule = [
        _passage(
            "Test backup information to verify media reliability and information integrity.",
            client=None,
            section="CP-9(1)",
            dense=0.3,
        ),
        _passage("Maintain an inventory of system components.", client=None, section="CM-8", dense=0.3),
    ]
    plan = _plan("How often must backups be tested?", mine, rule)
    assert plan.with_rule and [p.chunk.section for p in plan.library_passages][:1] == ["CP-9(1)"]


@pytest.mark.parametrize(
    "question, record",
    [
        ("When was the ransomware tabletop exercise held?", True),
        ("What came out of the last exercise?", True),
        ("Should awareness training include practical exercises that simulate attacks?", False),
    ],
)
def test_an_exercise_points_at_its_record_only_when_it_names_one(question, record):
    assert ("minutes" in understand(question).doc_types) is record
