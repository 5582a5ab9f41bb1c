"""Question understanding, code-computed comparisons and their verification. Pure functions, no model."""

from __future__ import annotations

import pytest

from advisor.answering.answer_types import counts, holds
from advisor.answering.confidence import Signals, answerability
from advisor.answering.quantities import PREFIX, bound, check, compare_texts, quantities
from advisor.answering.verification import verify
from advisor.models import Passage
from advisor.retrieval.question import understand
from ingest.types import Chunk


@pytest.mark.parametrize(
    "question, kind, wants",
    [
        ("How long are audit logs retained?", "duration", {"duration"}),
        ("How often are backups taken?", "frequency", {"frequency"}),
        ("Who is the Incident Commander?", "person", {"person"}),
        ("What is the minimum password length?", "number", {"number"}),
        ("What severity is finding F-05?", "level", {"level"}),
        ("Is MFA required for remote access?", "yes_no", set()),
        ("Which vendors do not have a signed BAA?", "list", set()),
        ("Who owns the VPN finding and when is it due?", "multi", {"person", "date"}),
        # "who" after another question word is a relative pronoun, not what is asked
        ("How often do we double-check who can get into which systems?", "frequency", {"frequency"}),
        ("To whom do we report a breach?", "person", {"person"}),
        # "how long must X be" asks a length; "how long must X be kept" a duration
        ("How long must passwords be for Acme accounts?", "number", {"number"}),
        ("How long must logs be kept?", "duration", {"duration"}),
    ],
)
def test_kind_and_wanted_types(question, kind, wants):
    q = understand(question)
    assert q.kind == kind and set(q.wants) == wants


def test_multi_part_question_is_split():
    assert understand("Who owns the VPN finding and when is it due?").parts == (
        "Who owns the VPN finding",
        "when is it due",
    )


def test_comparison_has_a_client_side_and_a_library_side():
    q = understand("Does our deadline for notifying individuals of a breach meet HIPAA 164.404?")
    assert q.kind == "comparison"
    assert [i.section for i in q.identifiers] == ["164.404"] and q.frameworks == ("hipaa",)
    assert "164.404" not in q.client_side and "our deadline for notifying individuals" in q.client_side
    assert "164.404" in q.library_side and "notifying individuals" in q.library_side
    # Asking what the library says is not a comparison, nor is a question about the client alone.
    assert understand("What does HIPAA 164.404 require?").kind != "comparison"
    assert understand("Does our policy require MFA for remote access?").kind == "yes_no"


def test_document_ids_are_entities():
    assert understand("Who owns F-01?").document_ids == ("F-01",)


def test_holds_an_answer_of_the_asked_type():
    assert holds(frozenset({"duration"}), "Access is removed within 24 hours.")
    assert not holds(frozenset({"duration"}), "Access is removed when an employee leaves.")
    assert holds(frozenset({"person"}), "The plan is owned by Dana Whitfield.")
    assert holds(frozenset(), "anything")


def test_a_count_must_count_the_thing_asked_about_or_a_synonym_of_it():
    q = understand("How many problems did the audit find?")
    assert q.counted == "problems"
    assert counts(q.counted, "We report 6 findings: 2 High, 3 Medium and 1 Low.")
    assert holds(q.wants, "We report 6 findings.", q.counted)
    assert not holds(q.wants, "The audit sampled 40 requirements.", q.counted)
    assert counts("laptops", "3 of 40 laptops lack full-disk encryption.")
    assert not counts("customers", "8 findings were reported.")


def test_quantities_and_bounds():
    kinds = [
        (q.kind, q.value)
        for q in quantities(
            "within 4 hours, at least 12 characters, 5 failed attempts, restores tested quarterly"
        )
    ]
    assert kinds == [("duration", 4.0), ("characters", 12.0), ("attempts", 5.0), ("frequency", 91.0)]
    assert bound("not later than 72 hours after having become aware") == "maximum"
    assert bound("passwords of at least 8 characters") == "minimum"


@pytest.mark.parametrize(
    "client, rule, expected",
    [
        (
            "Individuals are notified within 30 days.",
            "no later than 60 calendar days after discovery",
            f"{PREFIX} 30 days is within the 60 calendar days that HIPAA allows.",
        ),
        (
            "Individuals are notified within 90 days.",
            "no later than 60 calendar days after discovery",
            f"{PREFIX} 90 days exceeds the 60 calendar days that HIPAA allows.",
        ),
        (
            "Passwords are at least 8 characters.",
            "a minimum length of 12 characters",
            f"{PREFIX} 8 characters falls short of the minimum of 12 characters that HIPAA requires.",
        ),
        (
            "Training is delivered quarterly.",
            "training at least annually",
            f"{PREFIX} quarterly is at least as often as the annually schedule that HIPAA requires.",
        ),
        ("Training is delivered at hire.", "training at least annually", ""),
    ],
)
def test_comparison_sentence_is_computed(client, rule, expected):
    assert compare_texts(client, rule, "HIPAA") == expected


def test_comparison_check_recomputes_the_relation():
    client, rule = ["Merchants are told within 24 hours."], ["not later than 72 hours after becoming aware"]
    good = compare_texts(client[0], rule[0], "GDPR Art. 33")
    assert check(good, client, rule)
    assert not check(good.replace("is within", "exceeds"), client, rule)
    assert not check(good, ["Merchants are told within 48 hours."], rule)  # the quantity is not in the source


def _passage(text: str, client: str | None, n: int) -> Passage:
    chunk = Chunk(
        id=f"c{n}",
        text=text,
        client=client,
        source="policy.md" if client else "GDPR",
        title="t",
        doc_type="policy" if client else "regulation",
        page=None,
        section="4" if client else "Art. 33(1)",
        sha256="0",
        ingested_at="2026-01-01T00:00:00Z",
    )
    return Passage(chunk, text, 1.0)


def test_verification_keeps_a_right_comparison_and_drops_a_wrong_one():
    passages = [
        _passage("Merchants are told within 24 hours.", "acme", 1),
        _passage("notify not later than 72 hours after having become aware of it", None, 2),
    ]
    right = compare_texts(passages[0].text, passages[1].text, "GDPR Art. 33(1)").rstrip(".") + " [1][2]."
    v = verify(right, passages, checker=_NoEmbeddings())
    assert v.text.startswith(PREFIX) and len(v.citations) == 2
    wrong = right.replace("is within", "exceeds")
    v = verify(wrong, passages, checker=_NoEmbeddings())
    assert v.text == "" and v.removed


class _NoEmbeddings:
    """A support checker stand-in: comparison sentences never reach it."""

    def check(self, claim, evidence):  # pragma: no cover - must not be called for comparison sentences
        raise AssertionError("a comparison sentence is checked by recomputation, not by word overlap")


def test_answerability_rises_with_evidence():
    weak = Signals(dense=0.2, sentence=0.2, coverage=0.2, soft=0.2, typed=0.0, agree=0.0)
    strong = Signals(dense=0.7, sentence=0.7, coverage=1.0, soft=1.0, typed=1.0, agree=1.0)
    assert answerability(weak) < 0.5 < answerability(strong)


def test_a_close_sentence_of_the_asked_type_counts_when_it_is_about_the_topic_in_other_words():
    from advisor.answering.confidence import signals
    from advisor.answering.support import SupportChecker
    from advisor.models import Passage
    from ingest.types import Chunk

    def passage(section: str, text: str) -> Passage:
        chunk = Chunk("c1", text, "acme", "Policy.pdf", None, "policy", 3, section)
        return Passage(chunk, text, 1.0, dense=0.5, lexical=1.0)

    q = understand("How many wrong guesses before someone gets locked out?")
    checker = SupportChecker(None)  # no embeddings: the sentence is the closest by default
    # "guesses" meets "attempts" (a synonym), "locked out" the section heading "Account Lockout".
    lockout = passage(
        "5 Access > 5.3 Account Lockout", "After 5 consecutive failed attempts the account is disabled."
    )
    assert signals(q, list(q.topics), [lockout], checker).typed == 1.0
    # A number in a sentence about something else is no answer.
    other = passage("7 Backups > 7.1 Schedule", "Backups are taken 5 times a week and kept for 35 days.")
    assert signals(q, list(q.topics), [other], checker).typed == 0.0


def test_a_bare_field_line_is_a_fragment_unless_the_question_asks_for_that_field():
    from advisor.answering.extractive import fragment

    keys = understand("Are our payment tokenization keys rotated on schedule?")
    assert fragment("Status: In progress.", keys)
    assert fragment("Reference: PCI DSS Req. 3.7.4 (key changes at the end of the cryptoperiod).", keys)
    assert not fragment("With a cryptoperiod of 12 months, rotation is overdue by more than 4 months.", keys)
    assert not fragment("Observation: No external scan by the Approved Scanning Vendor was run in Q1.", keys)
    assert not fragment("ID: L-02; Finding: Key rotation overdue; Severity: High.", keys)  # a table row
    asked = understand("Which PCI DSS requirement does the key rotation finding reference?")
    assert not fragment("Reference: PCI DSS Req. 3.7.4 (key changes at the end of the cryptoperiod).", asked)


def test_a_field_holding_the_asked_type_is_an_answer():
    from advisor.answering.extractive import fragment

    assert not fragment("Owner: Priya Raman.", understand("Who owns the finding about MFA on the VPN?"))
    assert fragment("Owner: Priya Raman.", understand("Is MFA enforced on the VPN?"))


def test_a_rule_in_general_words_is_asked_of_both_sides_unless_it_names_a_clause_or_the_client():
    assert understand("How quickly must a controller notify the supervisory authority?").about_rules("acme")
    assert not understand("What does AC-2(3) require?").about_rules("acme")
    assert not understand("How quickly must we notify the supervisory authority?").about_rules("acme")
    assert not understand("How quickly must Acme notify the authority?").about_rules("acme")
    assert not understand("What must the audit findings say?").about_rules("acme")


def test_an_item_row_is_answered_with_its_own_section_and_not_with_other_items_rows():
    from advisor.answering.extractive import compose
    from advisor.answering.support import SupportChecker
    from advisor.models import Passage
    from ingest.types import Chunk

    def passage(i: int, section: str, text: str) -> Passage:
        return Passage(Chunk(f"c{i}", text, "acme", "Audit.pdf", None, "audit_report", i, section), text, 1.0)

    header = "ID | Finding | Severity | HIPAA clause\n"
    passages = [
        passage(
            2,
            "3 Findings Summary > F-05",
            header + "F-05 | No BAA with TranscribeRight | Critical | 164.314(a)",
        ),
        passage(
            3,
            "3 Findings Summary > F-03",
            header + "F-03 | Restore tests not performed | High | 164.308(a)(7)",
        ),
        passage(
            4,
            "4 Detailed Findings > F-05 No business associate agreement with TranscribeRight",
            "Severity: Critical. HIPAA reference: 164.314(a) (Business associate contracts). "
            "Observation: TranscribeRight receives dictations without a signed agreement.",
        ),
    ]
    text = compose(
        understand("What severity and HIPAA clause apply to finding F-05?"),
        passages,
        "consultant",
        SupportChecker(None),
    )
    assert text.startswith("ID: F-05;") and "[3]" in text  # the detailed finding is cited beside its row
    assert "F-03" not in text  # another item's row answers nothing about F-05


@pytest.mark.parametrize(
    "question, expected",
    [
        ("What must a contract between a controller and a processor contain?", True),
        ("How does the AI Act define an AI system?", True),
        ("How long should audit records be retained under NIST SP 800-53?", True),
        ("When is a data protection impact assessment required?", True),
        # the client's own state, documents or items, or a comparison with the rule: not the law alone
        ("Do we need a data protection impact assessment for the new app?", False),
        ("Which vendors do not have a signed business associate agreement?", False),
        ("Which sub-processors are located outside the EEA?", False),
        ("Who is the HIPAA Privacy Officer?", False),
        ("Does our breach notification deadline meet GDPR Art. 33?", False),
        ("Within how many hours must a breach be reported to the supervisory authority?", False),
        ("What does Acme's policy say about processors?", False),
    ],
)
def test_a_question_in_the_laws_own_terms_is_the_laws_whoever_is_selected(question, expected):
    assert understand(question).rules_only("acme") is expected


def test_an_organisations_name_is_asked_and_found_by_its_company_form_or_inner_capital():
    from advisor.answering.answer_types import names_organisation

    assert understand("What is the name of the firm that performs our penetration test?").asks_org
    assert understand("Which outside company gets our dictation?").asks_org
    assert not understand("Which vendor receives ePHI without a BAA?").asks_org  # a register row answers
    assert names_organisation("Deskly Support Inc. provides support") and names_organisation(
        "TranscribeRight"
    )
    assert names_organisation("Northbridge Assurance Partners assessed the safeguards")
    assert not names_organisation("An external penetration test is performed annually.")
    assert not names_organisation("Scans by a PCI SSC Approved Scanning Vendor (ASV) are run quarterly.")
