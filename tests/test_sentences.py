"""The one sentence splitter (ingest.sentences), as chunking and answering both use it."""

from __future__ import annotations

from advisor.answering.sentences import split_sentences as answering_split
from ingest.chunking import split_pieces
from ingest.sentences import split_sentences


def test_answering_uses_the_ingest_splitter() -> None:
    assert answering_split is split_sentences


def test_abbreviations_initials_and_list_labels_do_not_end_a_sentence() -> None:
    text = "Per Art. 32, encrypt data, e.g. at rest. J. R. Smith signs it. See No. 4 and p. 7. Done."
    assert split_sentences(text) == [
        "Per Art. 32, encrypt data, e.g. at rest.",
        "J. R. Smith signs it.",
        "See No. 4 and p. 7.",
        "Done.",
    ]
    assert split_sentences("1. Backups run nightly. 2. Restores are tested.") == [
        "1. Backups run nightly.",
        "2. Restores are tested.",
    ]


def test_lower_case_abbreviations_of_both_former_splitters() -> None:
    assert split_sentences("See ref. 4 in the annex. Then stop.") == [
        "See ref. 4 in the annex.",
        "Then stop.",
    ]
    assert split_sentences("Filed in Sept. 2026 by the CISO. Closed.") == [
        "Filed in Sept. 2026 by the CISO.",
        "Closed.",
    ]


def test_quotes_brackets_and_bullets_start_a_sentence() -> None:
    assert split_sentences("It says so. “Backups” are daily.") == ["It says so.", "“Backups” are daily."]
    assert split_sentences("It says so. [1] Next.") == ["It says so.", "[1] Next."]
    assert split_sentences("Scope follows. • MFA everywhere.") == ["Scope follows.", "• MFA everywhere."]


def test_line_breaks_end_sentences_unless_chunking_keeps_them() -> None:
    text = "Access control\nUsers are reviewed quarterly. Admins\nmonthly."
    assert split_sentences(text) == ["Access control", "Users are reviewed quarterly.", "Admins", "monthly."]
    assert split_sentences(text, lines=False) == [
        "Access control\nUsers are reviewed quarterly.",
        "Admins\nmonthly.",
    ]
    assert split_pieces(text, 50) == ["Access control\nUsers are reviewed quarterly.", "Admins\nmonthly."]


def test_a_paragraph_number_after_its_heading_does_not_end_a_sentence() -> None:
    text = "Art. 23(4) Reporting obligations 4. Member States shall ensure it. See p. 7. Done."
    assert split_sentences(text) == [
        "Art. 23(4) Reporting obligations 4. Member States shall ensure it.",
        "See p. 7.",
        "Done.",
    ]


def test_a_lettered_item_run_in_after_its_heading_does_not_end_a_sentence() -> None:
    text = "RA-5 Vulnerability Monitoring and Scanning a. Monitor and scan the system. Employ tools."
    assert split_sentences(text) == [
        "RA-5 Vulnerability Monitoring and Scanning a. Monitor and scan the system.",
        "Employ tools.",
    ]
