"""A question naming an item by its document id finds the unit that holds it first."""

from __future__ import annotations

from advisor.retrieval.items import companions, item_of, item_units, own_section, own_sections
from advisor.retrieval.question import understand
from ingest.types import Chunk


def _chunk(i: int, text: str, section: str | None = None, client: str | None = "acme") -> Chunk:
    return Chunk(
        id=f"c{i}",
        text=text,
        client=client,
        source="r.pdf",
        title=None,
        doc_type="audit_report",
        page=1,
        section=section,
    )


CHUNKS = [
    _chunk(0, "Summary. TOB-K8S-038 and TOB-K8S-039 are open; see the findings table."),
    _chunk(
        1, "ID | Finding | Severity\nTOB-K8S-038 | Kubelet exposes metrics | High", "Findings > TOB-K8S-038"
    ),
    _chunk(2, "ID | Finding | Severity\nTOB-K8S-039 | No audit logging | Medium", "Findings > TOB-K8S-039"),
    _chunk(3, "Recommendation 8: rotate the signing keys every year."),
    _chunk(4, "Recommendation 80: something else."),
    _chunk(5, "TOB-K8S-038 in the library", client=None),
    _chunk(
        6,
        "Severity: High. The kubelet serves metrics without authentication.",
        "Details > TOB-K8S-038 Kubelet",
    ),
]


def _units(question: str) -> list[Chunk]:
    return item_units(CHUNKS, understand(question).document_ids)


def test_the_unit_whose_section_names_the_id_comes_first() -> None:
    # its own section, then the summary-table row, then a text that mentions it
    assert [c.id for c in _units("Is TOB-K8S-038 fixed?")] == ["c6", "c1", "c0"]


def test_named_items_in_words() -> None:
    assert [c.id for c in _units("What does recommendation 8 ask for?")] == ["c3"]


def test_unknown_id_finds_nothing() -> None:
    assert _units("What is the status of NCC-E003660-4Y7?") == []
    assert _units("What does the policy say about backups?") == []


def test_a_table_row_has_its_items_own_section_as_companion() -> None:
    sections = own_sections(CHUNKS)
    assert item_of(CHUNKS[1]) == "TOB-K8S-038" and item_of(CHUNKS[0]) is None
    assert [c.id for c in companions(CHUNKS[1], sections)] == ["c6"]
    assert companions(CHUNKS[2], sections) == []  # TOB-K8S-039 has no section of its own
    assert companions(CHUNKS[6], sections) == []  # the section is not a row
    assert own_section(CHUNKS[1], CHUNKS[6]) and not own_section(CHUNKS[2], CHUNKS[6])
    other_doc = Chunk(
        "c9", "Severity: High.", "acme", "other.pdf", None, "audit_report", 1, "TOB-K8S-038 X Y"
    )
    assert not own_section(CHUNKS[1], other_doc)
