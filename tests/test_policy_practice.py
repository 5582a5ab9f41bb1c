"""Policy versus practice on a client written for this test (unlike the demo clients): a questionnaire is
never answered "yes" where the client's own risk assessment contradicts the policy; one shared polarity
decision (negations, exceptions, absences) is behind it."""

from __future__ import annotations

from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.answering.polarity import (
    AFFIRMS,
    DENIES,
    PARTIAL,
    check_verdict,
    polarity,
    severity_verdict,
    tally,
)
from advisor.assessment.autofill import answer_all
from advisor.factory import build_advisor
from advisor.settings import Settings

CLIENT = "harborview-dental"
POLICY = """# Harborview Dental Group - Information Security Policy

## 3.2 Remote Access

All remote access to practice systems requires multi-factor authentication.

## 3.4 Passwords

Passwords must be at least 12 characters long.

## 5.1 Business Associates

Business associate agreements are signed with every vendor that handles protected health information before
any data is shared.

## 6.3 Backup and Restore

Backups are taken nightly, and restores are tested at least once a year.

## 7.1 Encryption

Workstations at all clinics use full-disk encryption, except the Lakeside clinic, whose imaging PCs are
scheduled for replacement.
"""
ASSESSMENT = """# Harborview Dental Group - Security Risk Assessment 2026

## Summary

The assessment found 3 High findings and no Critical findings.

## Finding 1: Front-desk remote logins rely on passwords alone

Severity: High

Observation: Front-desk staff connect to the scheduling system from home with a password only; a second factor
is not enforced for them.

## Finding 2: Imaging vendor handles patient data without an agreement

Severity: High

Observation: SmileCloud Imaging stores patient X-rays, and no business associate agreement is on file for it.

## Finding 3: Backups never restored

Severity: High

Observation: No restore test has been performed since March 2024.
"""
CONTRADICTED = [
    "Is multi-factor authentication enforced for all remote access?",
    "Do you have signed business associate agreements with every vendor that handles PHI?",
    "Are restores from backup tested at least yearly?",
]
HOLDS = "Do passwords have a minimum length of at least 12 characters?"


@pytest.mark.parametrize(
    "evidence, question, expected",
    [
        ("MFA is not enforced for front-desk users.", "", DENIES),
        ("No restore test has been performed since March 2024.", "Are restores tested yearly?", DENIES),
        ("SmileCloud has no business associate agreement on file.", "Do all vendors have a BAA?", DENIES),
        ("Encryption is used at all clinics, except the Lakeside clinic.", "", PARTIAL),
        ("Passwords must be at least 12 characters long.", "Is a 12-character minimum enforced?", AFFIRMS),
        ("Individuals are notified no later than 60 calendar days after discovery.", "", AFFIRMS),
        ("Notify the supervisory authority without undue delay.", "", AFFIRMS),
        (
            "Staff must not paste patient data into public AI tools.",
            "Are staff allowed to paste patient data into AI?",
            DENIES,
        ),
        ("Staff must not share passwords.", "Is password sharing prohibited?", AFFIRMS),
        ("TranscribeRight has no business associate agreement.", "Which vendor has no BAA?", AFFIRMS),
        ("The Q1 2026 ASV scan was missed.", "Did we miss any required scans?", AFFIRMS),
        ("All four quarterly scans were completed.", "Did we miss any required scans?", DENIES),
    ],
)
def test_polarity(evidence, question, expected):
    assert polarity(evidence, question) == expected


def test_severity_tally_and_verdict():
    text = "We report 8 findings: 1 Critical, 4 High, 2 Medium and 1 Low."
    assert tally(text) == {"critical": 1, "high": 4, "medium": 2, "low": 1}
    assert (
        severity_verdict("Did the audit find anything critical or high?", text)
        == "Yes — 1 Critical and 4 High"
    )
    assert (
        severity_verdict("Did the audit find anything critical?", "6 findings: 2 High, 3 Medium and 1 Low")
        == "No — none rated Critical; the most severe: 2 High"
    )
    assert check_verdict(
        "No — none rated Critical; the most severe: 2 High [1].", ["6 findings: 2 High, 3 Low"]
    )
    assert not check_verdict(
        "No — none rated Critical; the most severe: 3 Low", ["6 findings: 2 High, 3 Low"]
    )
    assert not check_verdict(
        "No — none rated Critical; the most severe: 1 High", ["6 findings: 2 High, 3 Low"]
    )
    assert not check_verdict("No — none rated High; the most severe: 2 High", ["6 findings: 2 High, 3 Low"])
    assert severity_verdict("How many findings?", text) == ""


@pytest.fixture(scope="module")
def harborview(tmp_path_factory) -> object:
    root = tmp_path_factory.mktemp("harborview")
    docs = root / "docs"
    docs.mkdir()
    (docs / "Harborview_Security_Policy.md").write_text(POLICY, encoding="utf-8")
    (docs / "Harborview_Security_Risk_Assessment_2026.md").write_text(ASSESSMENT, encoding="utf-8")
    adv = build_advisor(Settings(data_dir=Path(root / "data"), embedding="minilm"))
    report = adv.ingest([docs], CLIENT, user=local_operator())
    assert report.ok, report.failed
    return adv


@pytest.mark.slow
def test_questionnaire_never_says_yes_against_a_finding(harborview):
    questions = list(enumerate([*CONTRADICTED, HOLDS], start=2))
    answers = {a.question: a for a in answer_all(harborview, CLIENT, questions, user=local_operator())}
    for q in CONTRADICTED:
        a = answers[q]
        assert a.answer in ("no", "partial"), (q, a.answer, a.explanation)
        sources = {c["source"] for c in a.citations}
        assert "Harborview_Security_Risk_Assessment_2026.md" in sources, (q, a.citations)
        if a.answer == "partial":  # both sides: the policy and the finding that contradicts it
            assert "Harborview_Security_Policy.md" in sources, (q, a.citations)
    assert answers[HOLDS].answer == "yes", answers[HOLDS].explanation
