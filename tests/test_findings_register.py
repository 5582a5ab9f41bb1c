"""The findings register: extraction proposes, people confirm/reject/update, history is kept, a changed report
proposes an update (not a duplicate), access is checked; the demo risk assessment's findings are all proposed
with the planted severity, owner and due date; `vciso findings --json` follows findings.schema.json."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.access.users import User
from advisor.errors import AccessDenied, NotFound
from advisor.factory import build_advisor
from advisor.register.extract import extract, extract_for_client, table_rows
from advisor.register.findings import Finding, FindingsRegister, RegisterError
from advisor.settings import Settings
from evals.registers import planted_findings
from ingest.types import Chunk
from tests.conftest import DEMO, validate_contract

OP = local_operator()
CARL = User("carl", "consultant", clients=("acme",))
ERIN = User("erin", "executive", clients=("acme",))
EVE = User("eve", "consultant", clients=("other",))


def _planted() -> list[dict]:
    """The 2026 report's findings."""
    return planted_findings()["meridian-health"][-8:]


def _prior() -> list[dict]:
    """The prior-year (2025) report's items H-01 ... H-11, all closed or carried forward by 2026."""
    return [f for f in planted_findings()["meridian-health"] if f["id"].startswith("H-")]


def finding(ref: str = "F-01", **kw) -> Finding:
    base = dict(
        title="No MFA on VPN",
        severity="high",
        owner="Priya Raman",
        due="2026-09-30",
        status="open",
        framework_refs=({"framework": "hipaa", "clause": "164.312(d)"},),
        source="RA.pdf",
        page=3,
        quote=f"{ref} No MFA on VPN Severity: High",
        client="acme",
    )
    return Finding(ref=ref, **{**base, **kw})


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    """meridian-health ingested with fake embeddings (no library needed to read its reports)."""
    data = tmp_path_factory.mktemp("findings-demo")
    adv = build_advisor(Settings(data_dir=data, embedding="fake"))
    report = adv.ingest([DEMO / "meridian-health"], "meridian-health", user=OP)
    assert report.ok, report.failed
    return data


def test_demo_risk_assessment_findings_are_all_proposed_with_planted_fields(demo_dir):
    adv = build_advisor(Settings(data_dir=demo_dir, embedding="fake"))
    got = {f.ref: f for f in extract_for_client(adv, "meridian-health", user=OP)}
    planted = _planted()
    assert set(got) == {p["id"] for p in planted + _prior()}
    for p in _prior():  # superseded by the 2026 report: closed as of its date, cited to its Appendix A
        f = got[p["id"]]
        assert (f.severity, f.owner, f.due) == (p["severity"].lower(), p["owner"].split(",")[0], p["due"])
        assert f.status == "closed" and f.source == "HIPAA_Risk_Assessment_2025.pdf", p["id"]
        assert f.status_from and f.status_from["date"] == "2026-03-16"
        assert f.status_from["source"] == "HIPAA_Risk_Assessment_2026.pdf"
        assert f.status_from["quote"].startswith(p["id"])
        assert (f"carried forward as {p['carried']}" in f.status_from["note"]) == bool(p["carried"])
    for p in planted:
        f = got[p["id"]]
        assert (f.severity, f.owner, f.due) == (p["severity"].lower(), p["owner"].split(",")[0], p["due"]), p[
            "id"
        ]
        assert {"framework": "hipaa", "clause": p["clause"]} in f.framework_refs
        assert f.source == "HIPAA_Risk_Assessment_2026.pdf" and f.page and p["id"] in f.quote


def test_review_cycle_history_and_reextraction(database):
    reg = FindingsRegister(database)
    first = reg.propose("acme", [finding("F-01"), finding("F-02", severity="medium")], user=CARL)
    assert [len(first[k]) for k in ("new", "updates", "unchanged")] == [2, 0, 0]
    assert reg.list("acme", user=CARL) == []  # nothing unreviewed is in the register
    f1, f2 = sorted(first["new"], key=lambda f: f.ref)
    confirmed = reg.confirm("acme", f1.key, user=CARL, edits={"owner": "Priya Raman (IT)"}, note="checked")
    assert confirmed.review == "confirmed" and confirmed.owner == "Priya Raman (IT)"
    reg.reject("acme", f2.key, user=CARL, note="duplicate of a closed item")
    updated = reg.update("acme", f1.key, user=CARL, status="in_progress", note="Okta RADIUS ordered")
    assert [h["action"] for h in updated.history] == ["proposed", "confirmed", "status"]
    assert updated.history[-1]["changes"] == {"status": ["open", "in_progress"]}

    # the same report again: nothing new (people's edits and the rejection stand)
    again = reg.propose("acme", [finding("F-01"), finding("F-02", severity="medium")], user=CARL)
    assert [len(again[k]) for k in ("new", "updates", "unchanged")] == [0, 0, 2]
    # the report changed its due date: an update proposal, not a duplicate
    changed = reg.propose("acme", [finding("F-01", due="2026-12-31")], user=CARL)
    (upd,) = changed["updates"]
    assert upd.replaces == f1.key and upd.review == "proposed"
    merged = reg.confirm("acme", upd.key, user=CARL)
    assert merged.key == f1.key and merged.due == "2026-12-31" and merged.status == "in_progress"
    register = reg.list("acme", user=CARL)
    assert [f.ref for f in register] == ["F-01"]
    assert reg.list("acme", user=CARL, review="proposed") == []


def test_rules_access_and_clear_errors(database):
    reg = FindingsRegister(database)
    (p,) = reg.propose("acme", [finding()], user=CARL)["new"]
    with pytest.raises(AccessDenied):
        reg.confirm("acme", p.key, user=ERIN)  # executives read, they do not change the register
    with pytest.raises(AccessDenied):
        reg.list("acme", user=EVE)
    with pytest.raises(NotFound):
        reg.confirm("other", p.key, user=OP)  # a key of another client is not found there
    with pytest.raises(RegisterError, match="confirm it"):
        reg.update("acme", p.key, user=CARL, status="closed", note="done")
    reg.confirm("acme", p.key, user=CARL)
    with pytest.raises(RegisterError, match="note"):
        reg.update("acme", p.key, user=CARL, status="closed", note=" ")
    with pytest.raises(RegisterError, match="unknown status"):
        reg.update("acme", p.key, user=CARL, status="finished", note="x")
    with pytest.raises(RegisterError, match="YYYY-MM-DD"):
        reg.update("acme", p.key, user=CARL, due="next week", note="x")
    assert [f.ref for f in reg.list("acme", user=ERIN)] == ["F-01"]


def test_tables_with_other_id_shapes_are_read():
    text = (
        "Ref | Vulnerability | Risk rating | Owner | Target date | Status\n"
        "VULN-2024-017 | SMBv1 enabled on file server | High | J. Ortiz | 2026-03-31 | Open\n"
        "4.2 | Default SNMP community string | Moderate | Network team | 2026-05-01 | Remediated\n"
        "note | not a finding row | n/a | | | \n"
    )
    chunk = Chunk(
        id="c1",
        text=text,
        client="acme",
        source="PenTest.docx",
        title="",
        doc_type="audit_report",
        page=7,
        section="Findings",
    )
    rows = {f.ref: f for f in table_rows(chunk)}
    assert set(rows) == {"VULN-2024-017", "4.2"}
    assert (rows["4.2"].severity, rows["4.2"].status, rows["4.2"].due) == ("medium", "closed", "2026-05-01")
    flagged = chunk.with_(extra={"injection": "instructions to an AI"})
    assert extract([flagged]) == []  # the evidence rule: flagged text proposes nothing


def test_a_follow_up_report_states_the_finding_as_it_is_now():
    """Two reports with the same ids: the later report's reading is proposed and used by the drafts."""
    from advisor.drafting.findings import collect

    def report(source: str, issued: str, status: str, cid: str) -> list[Chunk]:
        head = Chunk(
            cid + "h", f"Report ID | R\nReport date | {issued}\n", "acme", source, "", "audit_report", 1, None
        )
        body = head.with_(
            id=cid + "b",
            page=3,
            text="F-01 Multi-factor authentication not enforced on the VPN\nSeverity: High. "
            f"Owner: Priya Raman, IT. Due date: 2026-09-30. Status: {status}. Observation: Passwords only.",
        )
        return [head, body]

    older = report("Assessment_2026.pdf", "2026-03-16", "Open", "a")
    follow_up = report("Follow_up_2026-10.pdf", "2026-10-20", "Closed", "b")
    for chunks in (older + follow_up, follow_up + older):  # whatever order the index returns them in
        [f] = extract(chunks)
        assert (f.source, f.status) == ("Follow_up_2026-10.pdf", "closed")
        [d] = collect(chunks).findings
        assert (d.source, d.status) == ("Follow_up_2026-10.pdf", "closed")


def test_cli_extract_confirm_update_follow_the_contract(demo_dir, tmp_path, monkeypatch, capsys):
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(demo_dir))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    monkeypatch.setenv("VCISO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")

    def run(*argv: str) -> dict:
        capsys.readouterr()
        assert main(list(argv)) == 0
        payload = json.loads(capsys.readouterr().out)
        validate_contract("findings", payload)
        return payload

    out = run("findings", "extract", "--client", "meridian-health", "--json")
    assert out["counts"] == {"new": 19, "updates": 0, "unchanged": 0}  # 8 of 2026, 11 of 2025 (closed)
    keys = {f["ref"]: f["key"] for f in out["findings"]}
    run("findings", "confirm", "--client", "meridian-health", "--all", "--json")
    done = run(
        "findings",
        "update",
        "--client",
        "meridian-health",
        str(keys["F-05"]),
        "--status",
        "closed",
        "--note",
        "BAA signed",
        "--json",
    )
    assert (
        done["findings"][0]["status"] == "closed"
        and done["findings"][0]["history"][-1]["note"] == "BAA signed"
    )
    assert run("findings", "extract", "--client", "meridian-health", "--json")["counts"]["unchanged"] == 19
    listed = run("findings", "list", "--client", "meridian-health", "--history", "--json")["findings"]
    assert [f["ref"] for f in listed][:1] == ["F-05"] and len(listed) == 19
    h04 = next(f for f in listed if f["ref"] == "H-04")
    [dated] = [h for h in h04["history"] if h["origin"] == "document"]
    assert dated["date"] == "2026-03-16" and dated["citation"]["source"] == "HIPAA_Risk_Assessment_2026.pdf"
    assert (
        main(
            ["findings", "update", "--client", "meridian-health", "999", "--status", "closed", "--note", "x"]
        )
        == 1
    )


def _confirmed_demo(demo_dir):
    """The demo findings confirmed in demo_dir's register and F-05 closed (idempotent)."""
    from advisor.db import open_database

    settings = Settings(data_dir=demo_dir, embedding="fake")
    adv = build_advisor(settings)
    reg = FindingsRegister(open_database(settings))
    reg.propose("meridian-health", extract_for_client(adv, "meridian-health", user=OP), user=OP)
    for f in reg.list("meridian-health", user=OP, review="proposed"):
        reg.confirm("meridian-health", f.key, user=OP)
    f05 = next(f for f in reg.list("meridian-health", user=OP) if f.ref == "F-05")
    if f05.status != "closed":
        reg.update(
            "meridian-health", f05.key, user=OP, status="closed", note="BAA executed with TranscribeRight"
        )
    return adv


def test_confirmed_register_drives_the_board_memo(demo_dir):
    from advisor.drafting.memo import draft_memo

    adv = _confirmed_demo(demo_dir)
    text = draft_memo(adv, "meridian-health", user=OP).text
    top = text[text.index("2. Top risks") : text.index("3. Compliance status")]
    for p in _planted():
        if p["severity"] in ("High", "Critical") and p["id"] != "F-05":
            assert f"| {p['id']} " in top, p["id"]  # every open high finding is named in the top risks
    assert "| F-05 " not in top  # closed in the register: no longer a top risk
    assert "Closed — register" in text and "BAA executed with TranscribeRight" in text


def test_confirmed_register_drives_gaps_and_policy_known_gaps(demo_dir):
    from advisor.assessment.gaps import analyze
    from advisor.drafting.policy import draft_policy

    adv = _confirmed_demo(demo_dir)
    report = analyze(adv, "meridian-health", "hipaa", user=OP)
    linked = {f["id"] for item in report.items for f in item.findings}
    assert report.summary["findings_found"] == 7  # the open confirmed findings; F-05 is closed
    assert "F-05" not in linked and {"F-01", "F-02"} <= linked
    cited = next(f for item in report.items for f in item.findings if f["id"] == "F-01")
    assert cited["source"] == "HIPAA_Risk_Assessment_2026.pdf" and cited["severity"] == "High"
    text = draft_policy(adv, "meridian-health", "vendor-risk", user=OP).text
    assert "Finding F-05" not in text  # closed in the register: no longer a known gap


def test_are_we_on_track_is_answered_from_the_register(demo_dir):
    from datetime import date

    from advisor.register.progress import is_progress_question, progress_answer

    adv = _confirmed_demo(demo_dir)
    q = "Are we on track to fix the most serious problems the auditors found?"
    assert is_progress_question(q) and not is_progress_question("What is our password policy?")
    early = progress_answer(adv, q, "meridian-health", "executive", OP, today=date(2026, 5, 1))
    assert early.text.startswith("On track so far") and "F-05" in early.text
    late = progress_answer(adv, q, "meridian-health", "executive", OP, today=date(2026, 8, 1))
    assert late.text.startswith("Not on track: 3 of the 4 open critical or high findings")  # F-04, F-02, F-03
    for c in late.citations:  # every finding cited to its report, each quote verbatim from its chunk
        assert c.source.startswith("HIPAA_Risk_Assessment_202") and c.quote.rstrip(" …") in adv.chunk_text(
            "meridian-health", c.chunk_id, user=OP
        )
    # the prior-year items are listed as closed, dated and cited by the 2026 report that closed them
    closed = late.text[late.text.index("Closed or risk accepted:") :]
    assert "- H-04 " in closed and "Closed — HIPAA_Risk_Assessment_2026.pdf, 2026-03-16" in closed
    assert "H-0" not in late.text[: late.text.index("Closed or risk accepted:")]
    assert f"[{len(late.citations)}]" in late.text.splitlines()[-3]  # numbered in the order listed
    answer = adv.ask(q, "meridian-health", user=OP)
    assert answer.backend == "findings-register" and not answer.abstained


def _page(data: Path, username: str, role: str):
    from streamlit.testing.v1 import AppTest

    script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from advisor.db import open_database
from ui.context import Context
import ui.findings as page
adv = build_advisor(Settings(data_dir=Path({str(data)!r}), embedding="fake"))
users = UserStore(open_database(adv.settings))
page.render(Context(adv, User({username!r}, {role!r}, ("meridian-health",)), users))
"""
    return AppTest.from_string(script, default_timeout=90).run()


def test_ui_page_extract_confirm_and_executive_read_only(tmp_path, demo_dir):
    import shutil

    data = tmp_path / "data"
    shutil.copytree(demo_dir, data)
    for name in ("vciso.db", "vciso.db-wal", "vciso.db-shm"):
        (data / name).unlink(missing_ok=True)  # an empty register
    at = _page(data, "carl", "consultant")
    assert not at.exception
    at.button(key="findings_extract").click().run()
    assert not at.exception and any("19 new" in s.value for s in at.success)
    assert any("as of 2026-03-16" in i.value for i in at.info)  # a prior-year item closed by the 2026 report
    at.button(key=f"findings_confirm_{1}").click().run()
    reg = FindingsRegister(data / "vciso.db")
    assert [f.key for f in reg.list("meridian-health", user=OP)] == [1]
    exec_view = _page(data, "erin", "executive")
    assert not exec_view.exception
    assert not [b for b in exec_view.button if b.key and b.key.startswith("findings_")]  # read only
    assert any(m.label == "Open" for m in exec_view.metric)
