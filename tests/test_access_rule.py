"""Access is a structural rule of the core: every public operation on client data takes a principal (no
default, no ``None``) and refuses one not assigned to the client. The operations are enumerated from the
code, so a new public method must be classified here before this test passes."""

from __future__ import annotations

import inspect
from pathlib import Path

import pytest

from advisor.access.policy import is_local_operator, local_operator
from advisor.access.users import User
from advisor.assessment import autofill, gaps, questionnaire
from advisor.drafting import memo, policy
from advisor.errors import AccessDenied
from advisor.service import Advisor
from evals import assessment as assessment_metrics

# Advisor methods that read or change client data: each takes ``user=`` and checks it.
CLIENT_OPERATIONS = (
    "retrieve",
    "ask",
    "stream",
    "tenant_index",
    "chunk_text",
    "sources",
    "ingest",
    "forget",
    "download_source",
    "exported",
    "clients",
)
# Public Advisor members that touch no client data (the public regulatory library, settings, health).
NOT_CLIENT_DATA = {
    "build_library",
    "ensure_library",
    "retrieval_options",
    "library_index",
    "client_count",
    "manifests",
    "library_view",
    "library_generation",
    "status",  # numbers only: store description, engine, library size, how many client collections
    "warm_up",  # the library's index and the embedding model
    "store_health",  # the terminal's `vciso doctor`: chunk ids against manifests, no document text
    "services",  # binds a principal: every client-data call it offers checks that principal
}
FEATURES = [
    policy.draft_policy,
    memo.draft_memo,
    gaps.analyze,
    autofill.answer_all,
    questionnaire.fill,
    assessment_metrics.gap_metrics,
    assessment_metrics.questionnaire_metrics,
]

EVE = User("eve", "consultant", clients=("other",))  # signed in, but not assigned to "acme"
EXEC = User("erin", "executive", clients=("acme",))
CONSULTANT = User("carl", "consultant", clients=("acme",))


def _public_members() -> set[str]:
    return {name for name, _ in inspect.getmembers(Advisor) if not name.startswith("_")}


def test_every_public_advisor_operation_is_classified() -> None:
    unknown = _public_members() - set(CLIENT_OPERATIONS) - NOT_CLIENT_DATA
    assert not unknown, f"classify these Advisor members as client operations or not: {sorted(unknown)}"


@pytest.mark.parametrize(
    "fn", [getattr(Advisor, n) for n in CLIENT_OPERATIONS] + FEATURES, ids=lambda f: f.__qualname__
)
def test_client_operations_require_a_principal(fn) -> None:
    param = inspect.signature(fn).parameters.get("user")
    assert param is not None, f"{fn.__qualname__} takes no principal"
    assert param.default is inspect.Parameter.empty, (
        f"{fn.__qualname__} has a default principal ({param.default!r})"
    )
    assert param.kind is inspect.Parameter.KEYWORD_ONLY


@pytest.fixture
def acme(fake_advisor, tmp_path: Path):
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "Backup_Policy.md").write_text("# Backups\n\nBackups run nightly and are kept for 35 days.\n")
    assert fake_advisor.ingest([docs], "acme", user=local_operator()).ok
    return fake_advisor, docs


def _calls(adv, docs: Path, tmp_path: Path):
    chunk_id = adv.sources("acme", user=local_operator())[0].chunk_ids[0]
    sheet = tmp_path / "q.csv"
    sheet.write_text("Question\nAre backups kept?\n")
    return {
        "retrieve": lambda u: adv.retrieve("backups", "acme", user=u),
        "ask": lambda u: adv.ask("How long are backups kept?", "acme", user=u),
        "stream": lambda u: list(adv.stream("How long are backups kept?", "acme", user=u)),
        "tenant_index": lambda u: adv.tenant_index("acme", user=u),
        "chunk_text": lambda u: adv.chunk_text("acme", chunk_id, user=u),
        "sources": lambda u: adv.sources("acme", user=u),
        "ingest": lambda u: adv.ingest([docs], "acme", user=u),
        "forget": lambda u: adv.forget("Backup_Policy.md", "acme", user=u),
        "download_source": lambda u: adv.download_source("acme", "Backup_Policy.md", user=u),
        "exported": lambda u: adv.exported("answer", "acme", user=u),
        "draft_policy": lambda u: policy.draft_policy(adv, "acme", "access-control", user=u),
        "draft_memo": lambda u: memo.draft_memo(adv, "acme", user=u),
        "analyze": lambda u: gaps.analyze(adv, "acme", "hipaa", user=u),
        "answer_all": lambda u: autofill.answer_all(adv, "acme", [(2, "Are backups kept?")], user=u),
        "fill": lambda u: questionnaire.fill(adv, sheet, "acme", user=u),
    }


def test_each_operation_refuses_a_principal_not_assigned_to_the_client(acme, tmp_path: Path) -> None:
    adv, docs = acme
    calls = _calls(adv, docs, tmp_path)
    assert set(CLIENT_OPERATIONS) - {"clients"} <= set(calls)
    for _name, call in calls.items():
        for principal in (EVE, None):
            with pytest.raises(AccessDenied):
                call(principal)
    assert adv.clients(user=EVE) == [] and adv.clients(user=CONSULTANT) == ["acme"]
    assert adv.sources("acme", user=CONSULTANT)  # the assigned consultant is let in


def test_replacing_a_document_needs_the_right_to_delete(acme) -> None:
    adv, docs = acme
    (docs / "Backup_Policy.md").write_text("# Backups\n\nBackups are optional.\n")
    with pytest.raises(AccessDenied, match="replace Backup_Policy.md"):
        adv.ingest([docs], "acme", user=EXEC)
    assert "35 days" in adv.tenant_index("acme", user=EXEC).chunks[0].text  # nothing changed
    with pytest.raises(AccessDenied):
        adv.forget("Backup_Policy.md", "acme", user=EXEC)
    report = adv.ingest([docs], "acme", user=CONSULTANT)
    assert report.updated and "optional" in adv.tenant_index("acme", user=EXEC).chunks[0].text


def test_executive_upload_of_a_same_named_file_is_rejected(acme) -> None:
    from ui.documents import ingest_uploads

    adv, _ = acme
    first = ingest_uploads(adv, CONSULTANT, "acme", [("Note.md", b"# Note\n\nKeys rotate yearly.\n")])
    assert first.added
    report = ingest_uploads(adv, EXEC, "acme", [("Note.md", b"# Note\n\nKeys never rotate.\n")])
    assert report.failed and "right to delete" in report.failed[0]["error"]
    assert not any("never" in c.text for c in adv.tenant_index("acme", user=EXEC).chunks)


def test_local_operator_is_an_explicit_admin_and_bound_services_keep_their_principal(acme) -> None:
    adv, _ = acme
    op = local_operator("alice")
    assert op.role == "admin" and is_local_operator(op) and op.username == "local:alice"
    bound = adv.services(EVE)
    with pytest.raises(AccessDenied):
        bound.retrieve("backup policy", "acme")
    with pytest.raises(AccessDenied):
        bound.index("acme")
    with pytest.raises(AccessDenied):
        adv.services(None)


def test_draft_store_operations_require_a_principal_and_refuse_other_clients(tmp_path: Path) -> None:
    from advisor.drafting.document import Draft
    from advisor.drafting.store import DraftStore

    for name in ("get", "version", "history", "list", "diff", "create", "edit", "submit"):
        param = inspect.signature(getattr(DraftStore, name)).parameters.get("user")
        assert param is not None and param.default is inspect.Parameter.empty, name
    store = DraftStore(tmp_path / "vciso.db")
    d = store.create(
        Draft("policy", "access-control", "acme", "P", "# P\n\nText.\n", ()), "carl", user=CONSULTANT
    )
    for principal in (EVE, None):
        for call in (
            lambda u: store.get(d.id, user=u),
            lambda u: store.version(d.id, 1, user=u),
            lambda u: store.history(d.id, user=u),
            lambda u: store.list("acme", user=u),
            lambda u: store.diff(d.id, 1, 1, user=u),
            lambda u: store.edit(d.id, "# P\n\nNew.\n", "x", user=u),
            lambda u: store.submit(d.id, user=u),
            lambda u: store.create(Draft("memo", "board-memo", "acme", "M", "x", ()), "x", user=u),
        ):
            with pytest.raises(AccessDenied):
                call(principal)
    assert store.list(user=EVE) == [] and [x.id for x in store.list(user=CONSULTANT)] == [d.id]
    store.submit(d.id, user=CONSULTANT)
    with pytest.raises(AccessDenied, match="only a name"):
        store.approve(d.id, "bob")  # a bare name is no reviewer: four-eyes means two signed-in people
    assert store.approve(d.id, User("bob", "consultant", ("acme",))).latest.status == "approved"


def test_services_are_bound_to_a_principal_that_every_call_checks(acme) -> None:
    adv, _ = acme
    with pytest.raises(AccessDenied):
        adv.services(None)
    eve = adv.services(EVE)
    with pytest.raises(AccessDenied):
        eve.index("acme")
    with pytest.raises(AccessDenied):
        eve.retrieve("backups", "acme")
    carl = adv.services(CONSULTANT)
    assert carl.index("acme").chunks
    assert {p.chunk.client for p in carl.retrieve("backups", "acme").passages} <= {"acme", None}
    assert carl.engine == "extractive" and carl.llm is None
