"""Editions of a client document: the later year's edition supersedes the earlier for a question that names
neither year; records (minutes) and documents without a year are never superseded."""

from __future__ import annotations

from pathlib import Path

from advisor.access.policy import local_operator
from advisor.retrieval.editions import series_key, superseded, year_of


def test_editions_differ_only_by_year_date_quarter_or_version() -> None:
    assert series_key("HIPAA_Risk_Assessment_2025.pdf") == series_key("HIPAA Risk Assessment 2026-03.pdf")
    assert series_key("SOC2_Report_FY2024_v2.pdf") == series_key("SOC2 Report FY2025 v1.pdf")
    assert series_key("Pentest_2024.pdf") != series_key("Risk_Register_2024.xlsx")
    assert year_of("SOC2_2024-2025.pdf") == 2025 and year_of("Security_Policy.pdf") is None


def test_only_older_editions_of_one_type_are_superseded() -> None:
    docs = [
        ("Pentest_2024.pdf", "audit_report"),
        ("Pentest_2025.pdf", "audit_report"),
        ("Pentest_2023.pdf", "audit_report"),
        ("Board_Minutes_2024.txt", "minutes"),  # a record of what happened then, not an outdated edition
        ("Board_Minutes_2025.txt", "minutes"),
        ("Security_Policy.pdf", "policy"),  # no year: nothing to compare
        ("Security_Policy_2020.pdf", "audit_report"),  # another type: another series
    ]
    latest = "Pentest_2025.pdf"
    assert superseded(docs) == {"Pentest_2024.pdf": latest, "Pentest_2023.pdf": latest}


def test_the_latest_edition_answers_unless_the_question_names_the_year(fake_advisor, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    body = "# Penetration Test Report\n\n## Summary\n\nThe tester found {n} findings on the payment portal.\n"
    (docs / "Pentest_Report_2024.md").write_text(body.format(n=9))
    (docs / "Pentest_Report_2025.md").write_text(body.format(n=4))
    op = local_operator()
    fake_advisor.ingest([docs], "acme", user=op)

    def first(question: str) -> str:
        trace = fake_advisor.retrieve(question, "acme", user=op)
        return next(p.chunk.source for p in trace.passages if p.chunk.client == "acme")

    assert first("How many findings did the tester find on the payment portal?") == "Pentest_Report_2025.md"
    assert first("How many findings did the 2024 test find on the portal?") == "Pentest_Report_2024.md"
