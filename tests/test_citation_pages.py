"""Citations carry the printed page label and the OCR mark of their chunk; `ask --json` emits them within
the shared contract, and the app's source card shows "p. 29 (PDF p. 35)" and an OCR mark."""

from __future__ import annotations

from advisor.models import Answer, Citation, Passage
from ingest.types import Chunk
from tests.conftest import validate_contract
from ui.export import locator


def _citation(extra: dict, page: int | None = 35) -> Citation:
    chunk = Chunk(
        id="c1",
        text="Recommendations ...",
        client="acme",
        source="audit.pdf",
        title="Audit",
        doc_type="audit_report",
        page=page,
        section="7 Recommendations",
        extra={"ordinal": 0, **extra},
    )
    return Citation.from_passage(1, Passage(chunk, chunk.text, 1.0), "Rotate keys yearly.")


def _answer(c: Citation) -> dict:
    return Answer(
        text="Rotate keys yearly [1].",
        citations=(c,),
        abstained=False,
        audience="consultant",
        backend="extractive",
        client="acme",
        question="q",
    ).as_contract()


def test_printed_page_and_ocr_reach_the_contract_and_the_card() -> None:
    c = _citation({"page_label": "29", "ocr": True})
    assert (c.page, c.page_label, c.ocr) == (35, "29", True)
    payload = _answer(c)
    validate_contract("ask", payload)
    assert payload["citations"][0]["page_label"] == "29" and payload["citations"][0]["ocr"] is True
    assert locator(c) == "p. 29 (PDF p. 35) · § 7 Recommendations · OCR (scanned page)"


def test_without_a_label_nothing_changes() -> None:
    c = _citation({})
    payload = _answer(c)
    validate_contract("ask", payload)
    assert "page_label" not in payload["citations"][0] and "ocr" not in payload["citations"][0]
    assert locator(c) == "p. 35 · § 7 Recommendations"
    assert locator(_citation({"page_label": "35"})) == "p. 35 · § 7 Recommendations"
