"""Attribution without copies: exports that quote a library clause keep the registry's attribution line;
the Library page and the README name publisher, version, licence and official URL from the registry."""

from __future__ import annotations

import io

from docx import Document

from advisor.assessment import export as gap_export
from advisor.assessment.gaps import GapItem, GapReport
from advisor.drafting.export import to_docx, to_markdown
from advisor.models import Citation
from ingest.frameworks.registry import FRAMEWORKS, attribution_lines, shipped
from tests.conftest import ROOT
from ui.export import escape_md
from ui.library import Clause, attribution, provenance_rows

EURLEX = "Only the Official Journal of the European Union is authentic."


def _citation(n: int, source: str, client: str | None) -> Citation:
    return Citation(
        n=n,
        chunk_id=f"c{n}",
        source=source,
        title="t",
        page=None,
        section="Art. 33",
        client=client,
        quote="The controller shall notify…",
    )


def test_attribution_lines_are_per_quoted_framework_once_in_registry_order() -> None:
    lines = attribution_lines(["GDPR", "policy.md", "NIST SP 800-53 Rev. 5", "GDPR", None])
    assert lines == [
        f"NIST SP 800-53 Rev. 5: {FRAMEWORKS['nist-800-53'].attribution}",
        f"GDPR: {FRAMEWORKS['gdpr'].attribution}",
    ]
    assert EURLEX in lines[1]


def test_a_draft_export_that_quotes_a_clause_keeps_the_attribution() -> None:
    cites = [_citation(1, "GDPR", None), _citation(2, "policy.md", "acme")]
    md = to_markdown("We notify within 72 hours [1][2].", cites)
    assert EURLEX in md and "EUR-Lex" in md
    doc = Document(io.BytesIO(to_docx("We notify within 72 hours [1][2].", cites)))
    assert any(EURLEX in p.text for p in doc.paragraphs)
    # A client document is not a library text: no attribution line.
    assert EURLEX not in to_markdown("x [1].", [_citation(1, "GDPR", "acme")])


def test_a_gap_export_names_the_source_of_its_requirement_texts(tmp_path) -> None:
    item = GapItem(
        id="Art. 33",
        title="Notification of a personal data breach",
        status="missing",
        confidence=0.1,
        group="IV",
        group_title="Controller and processor",
        evidence=(),
        findings=(),
    )
    report = GapReport(
        framework="gdpr",
        client="acme",
        items=(item,),
        summary={
            "framework_title": "GDPR",
            "group_by": "chapter",
            "overall": {
                "covered": 0,
                "partial": 0,
                "missing": 1,
                "not_applicable": 0,
                "total": 1,
                "coverage_pct": 0.0,
            },
            "groups": [],
        },
    )
    assert EURLEX in gap_export.to_markdown(report)
    from openpyxl import load_workbook

    gap_export.to_xlsx(report, tmp_path / "gaps.xlsx")
    assert EURLEX in load_workbook(tmp_path / "gaps.xlsx")["Summary"]["A2"].value


def test_the_library_page_names_publisher_version_licence_and_url() -> None:
    rows = provenance_rows()
    assert [r["Framework"] for r in rows] == [f.name for f in shipped()]
    assert all(
        r["Publisher"] and r["Version"] and r["Licence"] and r["Official text"].startswith("https://")
        for r in rows
    )
    clause = Clause("asvs-5.0", "V6.2.1", "Password Security", "OWASP ASVS 5.0", "", "text", {})
    line = attribution(clause)
    assert escape_md("CC BY-SA 4.0") in line and "OWASP Foundation" in line
    assert f"({FRAMEWORKS['asvs-5.0'].url})" in line  # the link target, unescaped


def test_the_readme_licence_section_names_every_framework() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    for f in FRAMEWORKS.values():
        assert f.name in readme and f.url in readme and f.licence in readme, f.id
