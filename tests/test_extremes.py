"""'What is the highest-scored risk?' is answered by comparing a column over every row of the client's table,
not by the rows closest to the question."""

from __future__ import annotations

from pathlib import Path

from advisor.access.policy import local_operator
from advisor.answering.extremes import at_level, extreme, rank, tables
from advisor.retrieval.question import understand
from ingest.types import Chunk

HEADER = "Risk ID | Risk | Likelihood | Impact | Score | Owner | Status"


def _row(i: int, line: str, source: str = "Risk_Register.xlsx", header: str = HEADER) -> Chunk:
    return Chunk(
        f"c{i}", f"Risk Register\n{header}\n{line}", "acme", source, None, "risk_register", None, None
    )


ROWS = [
    _row(0, "R-01 | Phishing leads to payroll fraud | 3 | 4 | 12 | Ana | Open"),
    _row(1, "R-02 | Ransomware halts the clinics | 4 | 5 | 20 | Ben | Closed"),
    _row(2, "R-03 | Lost laptop exposes patient data | 4 | 4 | 16 | Cy | Open"),
    _row(3, "R-04 | Vendor outage stops billing | 2 | 3 | 6 | Di | Open"),
    _row(4, "R-05 | Insider copies records | 4 | 4 | 16 | Ed | In progress"),
]


def test_rows_are_read_as_one_table_per_document_and_header() -> None:
    found = tables(ROWS + [_row(9, "F-1 | Weak TLS | High", "Pentest.pdf", "ID | Finding | Severity")])
    assert sorted((t.source, len(t.rows)) for t in found) == [("Pentest.pdf", 1), ("Risk_Register.xlsx", 5)]
    assert rank("20") == 20.0 and rank("Critical") > rank("High") > rank("Medium") > rank("Low")
    assert rank("Ana") is None


def test_the_highest_open_row_of_the_named_column_ties_included() -> None:
    top = extreme(understand("What is the highest-scored risk in the risk register?"), ROWS)
    assert top is not None and top.value == "16" and top.open_only and top.considered == 4
    assert [r[0][0] for r in top.rows] == ["R-03", "R-05"]  # R-02 scores 20 but is closed
    closed = extreme(understand("Which closed risk had the highest score?"), ROWS)
    assert closed is not None and closed.value == "20" and not closed.open_only
    low = extreme(understand("Which risk has the lowest likelihood?"), ROWS)
    assert low is not None and low.table.header[low.column] == "Likelihood" and low.rows[0][0][0] == "R-04"


def test_the_register_beats_its_scoring_legend() -> None:
    legend = [
        _row(30 + i, line, header="Score | Rating | Action")
        for i, line in enumerate(["15-25 | High | Treat now", "8-14 | Medium | Plan", "1-7 | Low | Accept"])
    ]
    top = extreme(understand("What is the highest-scored risk in the risk register?"), legend + ROWS)
    assert top is not None and top.table.header[top.column] == "Score" and top.rows[0][0][0] == "R-03"


def test_questions_without_an_extreme_or_a_matching_table_are_not_taken() -> None:
    assert extreme(understand("Who owns the phishing risk?"), ROWS) is None
    assert extreme(understand("What is the maximum GDPR fine?"), ROWS) is None  # no table about fines
    assert extreme(understand("What is the highest vendor tier?"), ROWS) is None


def test_an_older_edition_is_skipped_unless_its_year_is_named() -> None:
    old = [_row(10 + i, r.text.splitlines()[2], "Risk_Register_2025.xlsx") for i, r in enumerate(ROWS)]
    new = [_row(20, "R-09 | Card skimming | 5 | 5 | 25 | Fay | Open", "Risk_Register_2026.xlsx")]
    top = extreme(understand("What is our biggest risk by score?"), old + new)
    assert top is not None and top.table.source == "Risk_Register_2026.xlsx"
    then = extreme(understand("What was the biggest risk by score in 2025?"), old + new)
    assert then is not None and then.table.source == "Risk_Register_2025.xlsx"


def test_the_answer_names_the_row_and_cites_it(fake_advisor, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Risk_Register.csv").write_text(
        "Risk ID,Risk,Likelihood,Impact,Score,Owner,Status\n"
        "R-01,Phishing leads to payroll fraud,3,4,12,Ana,Open\n"
        "R-02,Lost laptop exposes patient data,4,4,16,Cy,Open\n"
        "R-03,Vendor outage stops billing,2,3,6,Di,Open\n"
    )
    op = local_operator()
    fake_advisor.ingest([docs], "acme", user=op)
    answer = fake_advisor.ask("What is our biggest risk in the risk register?", "acme", user=op)
    assert not answer.abstained
    assert answer.text.startswith(
        "R-02 (Lost laptop exposes patient data) has the highest Score (16) of the 3"
    )
    assert [c.section for c in answer.citations] == ["Risk_Register > R-02"] and "16" in answer.citations[
        0
    ].quote


FINDINGS = "ID | Finding | Severity | Status"


def test_a_listing_by_level_takes_every_row_at_that_level_of_the_table_it_names() -> None:
    rows = [
        _row(40, "F-1 | Weak TLS | High | Open", "Pentest.pdf", FINDINGS),
        _row(41, "F-2 | Default password | Critical | Closed", "Pentest.pdf", FINDINGS),
        _row(42, "F-3 | Verbose errors | Low | Open", "Pentest.pdf", FINDINGS),
        _row(43, "F-4 | Old jQuery | high | Closed", "Pentest.pdf", FINDINGS),
    ]
    legend = [_row(50, "15-25 | High | Treat now", header="Score | Rating | Action")]
    high = at_level(understand("Which findings are rated High?"), rows + legend + ROWS)
    assert high is not None and high.table.source == "Pentest.pdf" and high.considered == 4
    assert [r[0][0] for r in high.rows] == [
        "F-1",
        "F-4",
    ]  # closed ones too: the question is how they were rated
    none = at_level(understand("How many findings are critical?"), [rows[0], rows[2]])  # High and Low
    assert none is not None and none.rows == () and [r[0][0] for r in none.worst] == ["F-1"]
    # a scoring legend is no list of items, and a table the question does not name is not taken
    assert at_level(understand("Which risks are rated high?"), legend + ROWS) is None
    assert at_level(understand("Which vendors are rated high?"), rows) is None
    assert at_level(understand("What does high availability require?"), rows) is None


def test_the_listing_answer_gives_each_row_with_its_fields_and_cites_it(fake_advisor, tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Findings.csv").write_text(
        "Finding ID,Finding,Severity,Owner\n"
        "F-1,Weak TLS,High,Ana\nF-2,No MFA,Critical,Ben\nF-3,Old TLS,High,Cy\n"
    )
    op = local_operator()
    fake_advisor.ingest([docs], "acme", user=op)
    answer = fake_advisor.ask("Which findings are rated high?", "acme", user=op)
    assert answer.text.startswith("2 of the 3 entries in Findings.csv have Severity High:")
    assert "- F-1: Finding: Weak TLS; Owner: Ana [1]" in answer.text and "F-2" not in answer.text
    assert [c.section for c in answer.citations] == ["Findings > F-1", "Findings > F-3"]
    none = fake_advisor.ask("How many findings are rated low?", "acme", user=op)
    assert none.text.startswith("None of the 3 entries in Findings.csv has Severity Low.")
    assert [c.section for c in none.citations] == ["Findings > F-2"]  # the most severe: the one Critical
