"""Drafting: policy drafts and board memos (grounded, cited), the review workflow, exports and the CLI.

These need no model; the drafts of the real demo clients are checked in test_drafting_real.py.
"""

from __future__ import annotations

import getpass
import io
import json
from pathlib import Path

import jsonschema
import pytest
from docx import Document
from sqlalchemy import text

from advisor.access.policy import local_operator
from advisor.access.users import User
from advisor.drafting import BANNER, POLICY_TYPES, Draft
from advisor.drafting.export import to_docx, to_markdown
from advisor.drafting.findings import collect, matches, parse_detailed
from advisor.drafting.ledger import Ledger, check_markers
from advisor.drafting.store import DraftStore, WorkflowError
from advisor.drafting.templates import SECTION_KEYS, load_template
from advisor.errors import AccessDenied, NotFound
from advisor.models import Citation
from ingest.frameworks.library import load_library
from ingest.types import Chunk
from tests.conftest import corpus_path

ROOT = Path(__file__).resolve().parents[1]
KB = ROOT / "knowledge_base"
SCHEMA = json.loads((Path(__file__).parent / "contract" / "draft.schema.json").read_text())
CLIENT = "meridian-health"
OP = local_operator()  # the terminal's operator: an admin principal


def chunk(
    text: str,
    *,
    doc_type: str = "policy",
    client: str | None = CLIENT,
    section: str | None = None,
    cid: str = "c1",
    page: int | None = 2,
) -> Chunk:
    return Chunk(
        id=cid,
        text=text,
        client=client,
        source="doc.pdf",
        title="Doc",
        doc_type=doc_type,
        page=page,
        section=section,
    )


def sample_draft(
    text: str = "# P\n\n- Passwords must be at least 12 characters long. [1]\n\n**[DECIDE: x]**\n",
) -> Draft:
    cite = Citation(
        1,
        "c1",
        "Information_Security_Policy.pdf",
        "Information Security Policy",
        3,
        "5.1 Password Requirements",
        CLIENT,
        "Passwords must be at least 12 characters long.",
        "policy",
    )
    return Draft(
        kind="policy",
        type="access-control",
        client=CLIENT,
        title="Access Control Policy",
        text=text,
        citations=(cite,),
    )


def assert_citations_match(text: str, citations) -> None:
    assert check_markers(text, citations) == []
    assert [c.n for c in citations] == list(range(1, len(citations) + 1))


# ----------------------------------------------------------------------------- templates


@pytest.mark.parametrize("policy_type", POLICY_TYPES)
def test_template_has_policy_structure_and_real_clause_ids(policy_type):
    t = load_template(KB, policy_type)
    assert set(t.sections) == set(SECTION_KEYS)
    assert len(t.statements) >= 4
    library = {c.section for c in load_library(corpus_path())}
    for slot in t.statements:
        assert slot.query and slot.match and slot.decide, slot.id
        missing = [c for c in slot.clauses if c not in library]
        assert not missing, f"{policy_type}/{slot.id}: {missing} not in the library"


def test_unknown_policy_type_lists_valid_ones():
    with pytest.raises(NotFound, match="access-control"):
        load_template(KB, "nonsense")


# ----------------------------------------------------------------------------- findings and ledger


def test_parse_detailed_finding():
    c = chunk(
        "F-01 Multi-factor authentication not enforced on the legacy VPN\nSeverity: High. HIPAA reference: "
        "164.312(d) (Person or entity authentication). Owner: Priya Raman, IT Infrastructure Manager. Due "
        "date: "
        "2026-09-30. Status: In progress. Observation: The VPN uses passwords only. Recommendation: Enforce "
        "MFA.",
        doc_type="audit_report",
    )
    f = parse_detailed(c)
    assert (f.ref, f.severity, f.owner, f.due, f.status, f.reference) == (
        "F-01",
        "high",
        "Priya Raman",
        "2026-09-30",
        "in_progress",
        "164.312(d)",
    )
    assert f.framework_refs == ({"framework": "hipaa", "clause": "164.312(d)"},) and f.chunk is c
    assert f.recommendation == "Enforce MFA."
    assert matches(f, ["multi-factor"]) and matches(f, [], ["164.312(d)"]) and not matches(f, ["backup"])


def test_collect_reads_risk_rows_and_orders_them():
    c = chunk(
        "Risk Register\nRisk ID | Risk | Likelihood | Impact | Score | Owner | Treatment | Target date | "
        "Status\n"
        "R-01 | Ransomware | 4 | 5 | 20 | Priya Raman | Mitigate: backups | 2026-07-31 | Open\n"
        "R-02 | Stolen VPN credentials (F-01) | 4 | 4 | 16 | Priya Raman | Mitigate: MFA | 2026-09-30 | "
        "Closed",
        doc_type="risk_register",
    )
    parsed = collect([c])
    assert parsed.findings == []
    rows = parsed.risks
    assert [(r.ref, r.score, r.owner, r.review_date, r.findings, r.treatment) for r in rows] == [
        ("R-01", 20, "Priya Raman", "2026-07-31", (), "mitigate"),
        ("R-02", 16, "Priya Raman", "2026-09-30", ("F-01",), "mitigate"),
    ]
    assert rows[0].is_open and not rows[1].is_open and rows[1].chunk is c
    assert matches(rows[0], ["backup"]) and not matches(rows[0], ["mfa"])


def test_ledger_renumbers_in_order_of_use_and_drops_unused():
    ledger = Ledger()
    a, b = chunk("A text.", cid="a"), chunk("B text.", cid="b")
    mb, ma = ledger.cite(b, "B text."), ledger.cite(a, "A text.")
    ledger.cite(a, "never used")
    assert ledger.cite(b, "B text.") == mb
    text, cites = ledger.finalize(f"First {ma}. Then {mb}. Again {ma}. Not a marker [DECIDE: x] [secure].")
    assert text == "First [1]. Then [2]. Again [1]. Not a marker [DECIDE: x] [secure]."
    assert [(c.n, c.chunk_id) for c in cites] == [(1, "a"), (2, "b")]
    assert_citations_match(text, cites)


# ----------------------------------------------------------------------------- workflow


@pytest.fixture
def store(database):
    return DraftStore(database)  # SQLite and PostgreSQL (tests/databases.py)


def test_workflow_happy_path_and_contract(store):
    d = store.create(sample_draft(), "alice", user=OP)
    assert (d.latest.version, d.latest.status) == (1, "draft")
    jsonschema.validate(d.as_contract(), SCHEMA)
    assert store.submit(d.id, user=OP).latest.status == "in_review"
    approved = store.approve(d.id, User("bob", "consultant", (CLIENT,)), "looks right")
    assert (approved.latest.status, approved.latest.reviewer, approved.latest.comment) == (
        "approved",
        "bob",
        "looks right",
    )
    assert approved.latest.reviewed_at and approved.latest.submitted_at
    jsonschema.validate(approved.as_contract(), SCHEMA)


def test_no_approval_without_a_reviewer(store):
    d = store.create(sample_draft(), "alice", user=OP)
    with pytest.raises(WorkflowError, match="not draft|in review"):
        store.approve(d.id, User("bob", "consultant", (CLIENT,)))  # not submitted yet
    store.submit(d.id, user=OP)
    for nobody in (None, "", "   "):
        with pytest.raises(WorkflowError, match="reviewer is required"):
            store.approve(d.id, nobody)
    with pytest.raises(WorkflowError, match="four-eyes"):
        store.approve(d.id, User("alice", "consultant", (CLIENT,)))
    with pytest.raises(AccessDenied):
        store.approve(d.id, User("erin", "executive", (CLIENT,)))
    with pytest.raises(AccessDenied):
        store.approve(d.id, User("carl", "consultant", ("ledgerly",)))  # may not read this client
    assert store.get(d.id, user=OP).latest.status == "in_review"


def test_reject_needs_a_comment_and_edit_resubmits(store):
    d = store.create(sample_draft(), "alice", user=OP)
    store.submit(d.id, user=OP)
    with pytest.raises(WorkflowError, match="comment"):
        store.reject(d.id, User("bob", "consultant", (CLIENT,)), "  ")
    rejected = store.reject(d.id, User("bob", "consultant", (CLIENT,)), "Add the lockout rule.")
    assert (rejected.latest.status, rejected.latest.comment) == ("rejected", "Add the lockout rule.")
    with pytest.raises(WorkflowError):
        store.submit(d.id, user=OP)  # a rejected version is edited, not resubmitted
    v2 = store.edit(d.id, sample_draft().text + "\n- Accounts lock after 5 attempts.\n", "alice", user=OP)
    assert (v2.latest.version, v2.latest.status) == (2, "draft")
    assert store.submit(d.id, user=OP).latest.status == "in_review"


def test_approved_version_is_immutable_and_edit_creates_new_version(store):
    d = store.create(sample_draft(), "alice", user=OP)
    store.submit(d.id, user=OP)
    store.approve(d.id, User("bob", "consultant", (CLIENT,)))
    edited = store.edit(d.id, "# P\n\nNew wording, no citations now.\n", "carol", user=OP)
    assert (edited.latest.version, edited.latest.status, edited.latest.citations) == (2, "draft", ())
    v1 = store.version(d.id, 1, user=OP)
    assert (v1.status, v1.text) == ("approved", sample_draft().text)
    for sql, refusal in (
        (
            "UPDATE draft_versions SET text = 'tampered' WHERE draft_id = :d AND version = 1",
            "immutable|never changes",
        ),
        ("UPDATE draft_versions SET status = 'draft' WHERE draft_id = :d AND version = 1", "immutable"),
        ("DELETE FROM draft_versions WHERE draft_id = :d AND version = 1", "immutable"),
    ):
        with (
            pytest.raises(WorkflowError, match=refusal),
            store.db.session(write=True, error=WorkflowError) as s,
        ):
            s.execute(text(sql), {"d": d.id})
    with (
        pytest.raises(WorkflowError, match="never changes"),
        store.db.session(write=True, error=WorkflowError) as s,
    ):
        s.execute(
            text("UPDATE draft_versions SET text = 'tampered' WHERE draft_id = :d AND version = 2"),
            {"d": d.id},
        )
    assert [v.status for v in store.history(d.id, user=OP)] == ["approved", "draft"]
    diff = store.diff(d.id, 1, 2, user=OP)
    assert "-- Passwords must be at least 12 characters long. [1]" in diff and "+New wording" in diff


def test_edit_keeps_only_used_citations_and_refuses_unknown_markers(store):
    d = store.create(sample_draft(), "alice", user=OP)
    with pytest.raises(WorkflowError, match=r"\[2\]"):
        store.edit(d.id, "Claim [1]. Invented [2].", "alice", user=OP)
    store.submit(d.id, user=OP)
    with pytest.raises(WorkflowError, match="in review"):
        store.edit(d.id, "Claim [1].", "alice", user=OP)
    assert store.list(CLIENT, user=OP)[0].id == d.id and store.list("ledgerly", user=OP) == []


# ----------------------------------------------------------------------------- exports


def test_docx_has_banner_tables_and_sources_appendix():
    d = sample_draft(
        "# T\n\n## 1. Risks\n\n| Finding | Owner |\n|---|---|\n| F-01 VPN [1] | Priya Raman |\n\n- item [1]\n"
    )
    doc = Document(io.BytesIO(to_docx(d.text, d.citations, status="in_review", version=2)))
    paragraphs = [p.text for p in doc.paragraphs]
    assert BANNER in paragraphs[0] and BANNER in doc.sections[0].header.paragraphs[0].text
    assert "Sources" in paragraphs
    risks, sources = doc.tables
    assert risks.cell(1, 1).text == "Priya Raman"
    row = [c.text for c in sources.rows[1].cells]
    assert row[:4] == [
        "[1]",
        "Information Security Policy — Information_Security_Policy.pdf",
        "3",
        "5.1 Password Requirements",
    ]
    assert "12 characters" in row[4]


def test_approved_export_has_no_banner_but_markdown_draft_does():
    d = sample_draft()
    approved = Document(io.BytesIO(to_docx(d.text, d.citations, status="approved", reviewer="bob")))
    assert not any(BANNER in p.text for p in approved.paragraphs)
    assert "approved by bob" in approved.paragraphs[0].text
    md = to_markdown(d.text, d.citations, status="draft")
    assert md.startswith(f"> **{BANNER}") and "## Sources" in md and "[1] Information Security Policy" in md


# ----------------------------------------------------------------------------- CLI (workflow, no model)


def test_cli_workflow(tmp_path, monkeypatch, capsys):
    from advisor.access.users import UserStore
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("VCISO_REVIEWER_PASSWORD", "a-long-password-1")
    for name in ("alice", "bob"):
        UserStore(tmp_path / "vciso.db").add(name, "a-long-password-1", "consultant", [CLIENT])
    d = DraftStore(tmp_path / "vciso.db").create(sample_draft(), "alice", user=OP)
    assert main(["draft", "approve", str(d.id)]) == 2  # --reviewer is required
    assert main(["draft", "submit", str(d.id)]) == 0
    assert main(["draft", "reject", str(d.id), "--reviewer", "bob"]) == 2  # --comment is required
    assert main(["draft", "approve", str(d.id), "--reviewer", "alice"]) == 1  # four-eyes
    assert main(["draft", "approve", str(d.id), "--reviewer", "bob", "--json"]) == 0
    capsys.readouterr()
    out = tmp_path / "p.docx"
    assert main(["draft", "show", str(d.id), "--json", "--out", str(out)]) == 0
    payload = json.loads(capsys.readouterr().out)
    jsonschema.validate(payload, SCHEMA)
    assert (payload["status"], payload["version"], payload["reviewer"]) == ("approved", 1, "bob")
    assert Document(str(out)).paragraphs[0].text.startswith("Approved version 1")
    assert main(["draft", "edit", str(d.id), "--text", "Changed [1].", "--author", "carol"]) == 0
    assert main(["draft", "show", str(d.id), "--out", str(tmp_path / "p.md")]) == 0
    assert (tmp_path / "p.md").read_text().startswith(f"> **{BANNER}")
    assert main(["draft", "show", str(d.id), "--out", str(tmp_path / "p.pdf")]) == 2


def test_cli_reviewer_must_be_a_known_user_once_accounts_exist(tmp_path, monkeypatch):
    from advisor.access.users import UserStore
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path))
    users = UserStore(tmp_path / "vciso.db")
    users.add("erin", "a-long-password-1", "executive", [CLIENT])
    users.add("bob", "a-long-password-2", "consultant", [CLIENT])
    d = DraftStore(tmp_path / "vciso.db").create(sample_draft(), "alice", user=OP)
    assert main(["draft", "submit", str(d.id)]) == 0
    monkeypatch.setenv("VCISO_REVIEWER_PASSWORD", "a-long-password-2")
    assert main(["draft", "approve", str(d.id), "--reviewer", "mallory"]) == 1
    assert (
        main(["draft", "approve", str(d.id), "--reviewer", "erin"]) == 1
    )  # wrong password (and may not approve)
    monkeypatch.setenv("VCISO_REVIEWER_PASSWORD", "a-long-password-1")
    assert main(["draft", "approve", str(d.id), "--reviewer", "bob"]) == 1  # someone who is not bob names bob
    monkeypatch.delenv("VCISO_REVIEWER_PASSWORD")
    assert main(["draft", "approve", str(d.id), "--reviewer", "bob"]) == 1  # no password, no mapping
    monkeypatch.setenv("VCISO_CLI_REVIEWERS", json.dumps({getpass.getuser(): "bob"}))
    assert main(["draft", "approve", str(d.id), "--reviewer", "bob"]) == 0  # this OS user is mapped to bob


def test_cli_approval_with_the_reviewers_password(tmp_path, monkeypatch):
    from advisor.access.users import UserStore
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path))
    UserStore(tmp_path / "vciso.db").add("bob", "a-long-password-2", "consultant", [CLIENT])
    d = DraftStore(tmp_path / "vciso.db").create(sample_draft(), "alice", user=OP)
    assert main(["draft", "submit", str(d.id)]) == 0
    monkeypatch.setenv("VCISO_REVIEWER_PASSWORD", "a-long-password-2")
    assert main(["draft", "approve", str(d.id), "--reviewer", "bob"]) == 0
    assert DraftStore(tmp_path / "vciso.db").get(d.id, user=OP).latest.reviewer == "bob"


# ----------------------------------------------------------------------------- UI page (AppTest, no model)


def _page(data: Path, username: str, role: str):
    from streamlit.testing.v1 import AppTest

    script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from advisor.db import open_database
from ui.context import Context
import ui.drafts as page
adv = build_advisor(Settings(data_dir=Path({str(data)!r}), embedding="fake"))
users = UserStore(open_database(adv.settings))
page.render(Context(adv, User({username!r}, {role!r}, ("meridian-health",)), users))
"""
    return AppTest.from_string(script, default_timeout=60).run()


def test_ui_page_review_roles_edit_and_compare(tmp_path):
    store = DraftStore(tmp_path / "vciso.db")
    d = store.create(sample_draft(), "alice", user=OP)
    at = _page(tmp_path, "alice", "consultant")
    assert not at.exception and any(BANNER in w.value for w in at.warning)
    assert any("12 characters" in m.value for m in at.markdown)
    at.button(key="drafts_submit").click().run()
    assert store.get(d.id, user=OP).latest.status == "in_review"
    at.button(key="drafts_approve").click().run()  # alice wrote it: four-eyes refuses
    assert (
        any("four-eyes" in e.value for e in at.error)
        and store.get(d.id, user=OP).latest.status == "in_review"
    )

    exec_view = _page(tmp_path, "erin", "executive")
    assert not [b for b in exec_view.button if b.key == "drafts_approve"]

    bob = _page(tmp_path, "bob", "consultant")
    bob.button(key="drafts_reject").click().run()
    assert any("comment" in e.value for e in bob.error)
    bob.text_area(key=f"drafts_comment_{d.id}_1").input("Add lockout.").run()
    bob.button(key="drafts_reject").click().run()
    assert store.get(d.id, user=OP).latest.status == "rejected"

    bob.text_area(key=f"drafts_text_{d.id}_1").input(
        sample_draft().text + "\n- Lockout after 5 attempts.\n"
    ).run()
    bob.button(key="drafts_save").click().run()
    assert (store.get(d.id, user=OP).latest.version, store.get(d.id, user=OP).latest.status) == (2, "draft")
    assert any("+- Lockout after 5 attempts." in c.value for c in bob.code)


def test_ui_page_accepts_the_page_registry_context(tmp_path):
    from streamlit.testing.v1 import AppTest

    DraftStore(tmp_path / "vciso.db").create(sample_draft(), "alice", user=OP)
    script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from ui.context import Context
import ui.drafts as page
adv = build_advisor(Settings(data_dir=Path({str(tmp_path)!r}), embedding="fake"))
store = UserStore(Path({str(tmp_path)!r}) / "vciso.db")
page.render(Context(adv, User("bob", "consultant", ("meridian-health",)), store))
"""
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception and at.title[0].value == "Drafts"


def test_silent_client_gets_decide_placeholders_not_invented_rules(fake_advisor, tmp_path):
    """A client whose only document says nothing about access control or audits (fake embeddings,
    no model)."""
    from advisor.drafting.memo import draft_memo
    from advisor.drafting.policy import draft_policy

    doc = tmp_path / "Handbook.md"
    doc.write_text(
        "# Staff Handbook\n\n## Canteen\n\nThe canteen opens at 8 am and serves lunch until 2 pm.\n"
    )
    assert fake_advisor.ingest([doc], "quietco", user=local_operator()).ok
    policy = draft_policy(fake_advisor, "quietco", "access-control", user=local_operator())
    assert policy.text.count("[DECIDE:") >= len(load_template(KB, "access-control").statements)
    assert "canteen" not in policy.text.lower()
    assert_citations_match(policy.text, policy.citations)
    assert all(c.client is None for c in policy.citations)  # only framework clauses are cited
    assert "164.312" not in policy.text  # HIPAA does not apply to this client
    memo = draft_memo(fake_advisor, "quietco", user=local_operator())
    for gap in (
        "[DECIDE: the overall security posture",
        "[DECIDE: the top risks",
        "[DECIDE: which regulations",
        "[DECIDE: the cost of these recommendations",
    ):
        assert gap in memo.text
    assert_citations_match(memo.text, memo.citations)
