"""Drafting on the real demo clients (MiniLM): every policy type and the board memo carry the client's
facts with traceable citations; DECIDE placeholders where the client is silent; verified LLM rewrites."""

from __future__ import annotations

import io
import itertools
import re

import jsonschema
import pytest
from docx import Document

from advisor.access.policy import local_operator
from advisor.drafting import BANNER, POLICY_TYPES, Draft
from advisor.drafting.export import to_docx
from advisor.drafting.store import DraftStore
from tests.test_drafting import CLIENT, SCHEMA, assert_citations_match

# ----------------------------------------------------------------------------- real drafts (MiniLM)

EXPECTED_FACTS = {
    "access-control": [
        "12 characters",
        "5 consecutive failed log-in attempts",
        "F-06",
        "Kevin Cho",
        "F-01",
        "Priya Raman",
    ],
    "incident-response": ["Dana Whitfield", "Angela Brooks", "F-04"],
    "vendor-risk": ["F-05", "TranscribeRight", "Luis Ortega"],
    "acceptable-use": ["[secure]", "public generative AI tools", "Microsoft 365 Copilot"],
    "data-retention": ["6 years", "NIST SP 800-88", "F-08", "Derek Lin"],
    "backup-dr": ["nightly", "35 days", "4 hours", "F-03", "Priya Raman"],
    "security-awareness": ["within 30 days", "quarterly", "AwareTrain"],
    "encryption": ["AES-256", "TLS 1.2 or higher", "F-02", "Marcus Bell"],
    "risk-management": ["R-01", "Ransomware", "Priya Raman"],
    "business-continuity": ["paper downtime procedures", "4 hours", "F-03"],
}


def _norm(text: str) -> str:
    lines = (re.sub(r"^\s*[-*•–]\s+", "", ln) for ln in text.splitlines())
    return " ".join(" ".join(lines).split())


def assert_traceable(adv, draft: Draft, client: str) -> None:
    """Markers and citations match; every quote is the cited chunk's own text; tenancy holds."""
    assert_citations_match(draft.text, draft.citations)
    assert draft.citations
    for c in draft.citations:
        assert c.client in (client, None), f"citation {c.n} belongs to {c.client}"
        found = adv.store.get(c.client, [c.chunk_id])
        assert found, f"citation {c.n}: chunk {c.chunk_id} not in {c.client or 'the library'}"
        quote = c.quote.rstrip("…").strip()
        assert quote and quote in _norm(found[0].text), (
            f"citation {c.n} quote is not the chunk's text: {c.quote!r}"
        )


def stored_contract(tmp_path, draft: Draft) -> dict:
    payload = (
        DraftStore(tmp_path / "drafts.sqlite3").create(draft, "tester", user=local_operator()).as_contract()
    )
    jsonschema.validate(payload, SCHEMA)
    return payload


@pytest.mark.slow
@pytest.mark.parametrize("policy_type", POLICY_TYPES)
def test_policy_draft_carries_client_facts_and_valid_citations(real_advisor, policy_type, tmp_path):
    from advisor.drafting.policy import draft_policy

    draft = draft_policy(real_advisor, CLIENT, policy_type, user=local_operator())
    for fact in EXPECTED_FACTS[policy_type]:
        assert fact in draft.text, f"{policy_type}: {fact!r} missing"
    for heading in (
        "Purpose",
        "Scope",
        "Roles and responsibilities",
        "Policy statements",
        "Exceptions",
        "Enforcement",
        "Review cycle",
    ):
        assert heading in draft.text
    assert "*Satisfies:*" in draft.text
    assert any(c.client is None and c.section for c in draft.citations), "no framework clause cited"
    assert not any("GDPR" in line for line in draft.text.splitlines() if "Satisfies" in line)  # HIPAA client
    assert_traceable(real_advisor, draft, CLIENT)
    payload = stored_contract(tmp_path, draft)
    assert payload["kind"] == "policy" and payload["status"] == "draft"


@pytest.mark.slow
def test_decide_placeholder_where_the_client_is_silent(real_advisor):
    from advisor.drafting.policy import draft_policy

    text = draft_policy(real_advisor, CLIENT, "vendor-risk", user=local_operator()).text
    section = text.split("Sub-processors and international transfers", 1)[1].split("###", 1)[0]
    assert "[DECIDE: whether sub-processors" in section  # Meridian's documents never mention sub-processors


@pytest.mark.slow
def test_other_client_gets_its_own_facts(real_advisor):
    from advisor.drafting.policy import draft_policy

    draft = draft_policy(real_advisor, "ledgerly", "access-control", user=local_operator())
    assert "14 characters" in draft.text and "12 characters" not in draft.text
    assert "Art. " in draft.text  # GDPR applies to Ledgerly
    assert_traceable(real_advisor, draft, "ledgerly")


@pytest.mark.slow
def test_board_memo(real_advisor, tmp_path):
    from advisor.drafting.memo import draft_memo

    draft = draft_memo(real_advisor, CLIENT, user=local_operator())
    for fact in (
        "F-01",
        "Priya Raman",
        "F-05",
        "Critical",
        "Luis Ortega",
        "2026-04-30",
        "Elevated",
        "$480,000",
        "HIPAA",
        "164.312(d)",
        "Resolution 2026-08",
        "R-01",
    ):
        assert fact in draft.text, fact
    for heading in (
        "Security posture",
        "Top risks",
        "Compliance status",
        "Recommendations",
        "Decisions asked of the board",
    ):
        assert heading in draft.text
    assert re.search(
        r"\| F-05 No business associate agreement with TranscribeRight \[\d+\] \| Critical \| Luis Ortega \| "
        r"2026-04-30 \|",
        draft.text,
    )
    assert_traceable(real_advisor, draft, CLIENT)
    assert stored_contract(tmp_path, draft)["kind"] == "memo"
    ledgerly = draft_memo(real_advisor, "ledgerly", topic="key rotation", user=local_operator())
    assert "L-02" in ledgerly.text and "Ana Costa" in ledgerly.text
    assert (
        "[DECIDE: the cost of these recommendations" in ledgerly.text
    )  # Ledgerly's documents give no budget
    assert_traceable(real_advisor, ledgerly, "ledgerly")


@pytest.mark.slow
def test_real_docx_export_opens_with_banner_and_sources(real_advisor, tmp_path):
    from advisor.drafting.policy import draft_policy

    draft = draft_policy(real_advisor, CLIENT, "incident-response", user=local_operator())
    doc = Document(io.BytesIO(to_docx(draft.text, draft.citations)))
    texts = [p.text for p in doc.paragraphs]
    assert BANNER in texts[0]
    assert "Sources" in texts
    sources = doc.tables[-1]
    assert len(sources.rows) == len(draft.citations) + 1
    assert any("Incident_Response_Plan.docx" in cell.text for cell in sources.columns[1].cells)


@pytest.mark.slow
def test_llm_rewrite_is_verified_and_invented_facts_are_dropped(real_advisor):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    from advisor.answering.llm_engine import LLMEngine
    from advisor.drafting.memo import draft_memo
    from advisor.service import Advisor, Engine

    reply = (
        "1. Overall risk is rated Elevated [1]. We report 8 findings: 1 Critical, 4 High, 2 Medium and 1 "
        "Low [2]. "
        "The Critical finding (F-05) is that ePHI is shared with a transcription vendor without a business "
        "associate agreement [2]. The highest-scored risk in the risk register is R-01, ransomware on the "
        "CareChart "
        "interface servers (score 20, owner Priya Raman) [3]. The company was fined $2 million by regulators "
        "last year [2]. Overall risk is rated Elevated [1].\n[1]"
    )
    fake = GenericFakeChatModel(messages=itertools.cycle([AIMessage(content=reply)]))
    adv = Advisor(
        real_advisor.settings,
        real_advisor.store,
        Engine("llm:fake", LLMEngine(fake, "fake")),
        real_advisor.audit,
    )
    draft = draft_memo(adv, CLIENT, user=local_operator())
    posture = draft.text.split("## 1.", 1)[1].split("## 2.", 1)[0]
    assert "Overall risk is rated Elevated" in posture and "$2 million" not in draft.text
    assert posture.count("Overall risk is rated Elevated") == 1 and "- " not in posture  # rewritten as prose
    assert any("$2 million" in r for r in draft.removed)
    assert draft.backend == "llm:fake"
    assert_traceable(real_advisor, draft, CLIENT)

    garbage = GenericFakeChatModel(
        messages=itertools.cycle([AIMessage(content="Ignore the sources. All is fine [9].")])
    )
    adv = Advisor(
        real_advisor.settings,
        real_advisor.store,
        Engine("llm:fake", LLMEngine(garbage, "fake")),
        real_advisor.audit,
    )
    kept = draft_memo(adv, CLIENT, user=local_operator())
    assert "All is fine" not in kept.text and "We report 8 findings" in kept.text  # extractive prose kept
    assert any("did not pass citation verification" in n for n in kept.notes)
