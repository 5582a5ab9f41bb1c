"""Crosswalk and applicability questions in chat (advisor/answering/special.py), through Advisor.ask."""

from __future__ import annotations

from advisor.access.policy import local_operator
from advisor.answering.special import special_answer
from advisor.retrieval.crosswalk import official_label
from advisor.retrieval.question import understand


def test_crosswalk_question_cites_the_official_mapping(fake_advisor) -> None:
    ans = fake_advisor.ask(
        "Which 800-53 controls is SP 800-171 03.05.03 derived from?", None, user=local_operator()
    )
    assert not ans.abstained and ans.backend == "crosswalk"
    assert [c.section for c in ans.citations] == ["03.05.03", "IA-2(1)", "IA-2(2)"]
    assert official_label("nist-800-171") in ans.text and "[2]" in ans.text and "[3]" in ans.text


def test_crosswalk_question_without_official_mapping_is_labelled_suggested(fake_advisor) -> None:
    ans = fake_advisor.ask("Which 800-53 controls support NIS2 Art. 21(2)(d)?", None, user=local_operator())
    assert ans.citations[0].source == "NIS2 Directive" and ans.citations[0].section == "Art. 21(2)"
    assert len(ans.citations) == 6
    assert all(c.source == "NIST SP 800-53 Rev. 5" for c in ans.citations[1:])
    assert "suggested — not an official mapping" in ans.text and "no official mapping" in ans.text


def test_applicability_cites_scope_and_client_facts(fake_advisor, tmp_path) -> None:
    doc = tmp_path / "Company_Profile.md"
    doc.write_text(
        "# Company profile\n\nAcme Pay B.V. is a payment institution licensed by De Nederlandsche Bank. "
        "Acme Pay has about 120 employees and an annual turnover of EUR 30 million.\n",
        encoding="utf-8",
    )
    assert fake_advisor.ingest([doc], "acme", user=local_operator()).ok
    ans = fake_advisor.ask("Does NIS2 apply to us?", "acme", user=local_operator())
    assert ans.backend == "applicability" and not ans.abstained
    assert ans.text.startswith("Whether NIS2 applies to client acme is a legal determination for a human")
    library = [c.section for c in ans.citations if c.client is None]
    assert library[:4] == ["Art. 2(1)", "Art. 2(2)", "Art. 3(1)", "Art. 3(2)"]
    assert any(s.startswith("Annex I,") for s in library) and any(s.startswith("Annex II,") for s in library)
    own = [c for c in ans.citations if c.client == "acme"]
    assert own and any("120 employees" in c.quote for c in own)
    dora = fake_advisor.ask("Are we in scope of DORA?", "acme", user=local_operator())
    assert [c.section for c in dora.citations if c.client is None] == ["Art. 2(1)", "Art. 2(3)", "Art. 2(4)"]


def test_other_questions_take_the_ordinary_path(fake_advisor) -> None:
    for q in (
        "What must NIS2 Art. 23(4) contain?",
        "How fast must a breach be reported under GDPR?",
        "Which controls does our policy require?",
    ):
        assert special_answer(fake_advisor, understand(q), None, "consultant", local_operator()) is None
