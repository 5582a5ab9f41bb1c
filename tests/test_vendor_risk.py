"""Vendor risk: the inventory from the demo clients' vendor tables, flags that match the planted facts,
with the row quoted; unknowns stay unknown and raise no flag; `vciso vendors --json` follows its schema."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.factory import build_advisor
from advisor.register.vendors import UNKNOWN, inventory
from advisor.settings import Settings
from ingest.types import Chunk
from tests.conftest import DEMO, validate_contract

OP = local_operator()


@pytest.fixture(scope="module")
def demo_data(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("vendors")
    adv = build_advisor(Settings(data_dir=data, embedding="fake"))
    for client in ("meridian-health", "ledgerly"):
        assert adv.ingest([DEMO / client], client, user=OP).ok
    return data


def _inventory(data: Path, client: str, as_of: date):
    adv = build_advisor(Settings(data_dir=data, embedding="fake"))
    return inventory(adv.tenant_index(client, user=OP).chunks, as_of)


def test_meridian_flags_match_the_planted_facts(demo_data):
    vendors = {v.name: v for v in _inventory(demo_data, "meridian-health", date(2026, 4, 24))}
    assert len(vendors) == 10
    flagged = {(v.name, f.kind) for v in vendors.values() for f in v.flags}
    # the planted facts: TranscribeRight receives ePHI without a BAA and was never reviewed
    assert flagged == {
        ("TranscribeRight Inc.", "phi_without_baa"),
        ("TranscribeRight Inc.", "assessment_stale"),
    }
    t = vendors["TranscribeRight Inc."]
    assert (
        t.source == "Vendor_Register.docx"
        and "not signed" in t.flags[0].quote
        and "TranscribeRight" in t.quote
    )
    assert vendors["Okta"].baa == "not required" and vendors["Okta"].data == ()
    # a year later, annual reviews not repeated are stale
    later = {
        v.name
        for v in _inventory(demo_data, "meridian-health", date(2026, 11, 30))
        for f in v.flags
        if f.kind == "assessment_stale"
    }
    assert {"Microsoft", "Iron Vault Records", "ClearClaim Billing Services"} <= later
    assert "CareChart Health Systems" not in later


def test_ledgerly_unknowns_are_not_failures(demo_data):
    vendors = _inventory(demo_data, "ledgerly", date(2026, 6, 30))
    flagged = {(v.name, f.kind) for v in vendors for f in v.flags}
    # every non-EEA sub-processor states SCCs, adequacy or the DPF; only PagerDuty's assessment is a year old
    assert flagged == {("PagerDuty, Inc.", "assessment_stale")}
    ict = [v for v in vendors if v.source == "ICT_Third_Party_Register.docx"]
    assert ict and all(v.baa == UNKNOWN and not v.data_known for v in ict)  # not stated: unknown, not "no"
    assert all(v.as_json()["data"] == UNKNOWN for v in ict)
    deskly = next(v for v in vendors if v.name == "Deskly Support Inc.")
    assert (
        deskly.location == "United States" and "SCCs" in deskly.transfer and deskly.data == ("personal data",)
    )


def test_transfer_flag_and_unknown_location():
    text = (
        "Sub-processor | Purpose | Data categories | Location | Transfer mechanism\n"
        "CallCo | Phone support | Customer names | Philippines | Contract only\n"
        "Hosting BV | Hosting | Customer data | Netherlands | None needed\n"
        "MysteryCo | Analytics | Usage data |  | Contract only\n"
    )
    chunk = Chunk(
        id="c",
        text=text,
        client="acme",
        source="SP.docx",
        title="",
        doc_type="vendor_list",
        page=None,
        section="Sub-processors",
    )
    flagged = {v.name: [f.kind for f in v.flags] for v in inventory([chunk], date(2026, 1, 1))}
    assert flagged == {"CallCo": ["transfer_without_scc"], "Hosting BV": [], "MysteryCo": []}
    assert inventory([chunk.with_(extra={"injection": "x"})], date(2026, 1, 1)) == []


def test_an_agreement_in_another_document_is_found_and_cited_and_clears_the_flag():
    register = Chunk(
        id="v",
        text="Vendor | Service | ePHI shared | BAA | Last review\n"
        "TranscribeRight Inc. | Transcription | Yes | Not signed | 2026-01-10\n",
        client="acme",
        source="Vendors.docx",
        title="",
        doc_type="vendor_list",
        page=None,
        section="Vendors",
    )
    signed = register.with_(
        id="k",
        source="TranscribeRight_BAA.pdf",
        doc_type="other",
        page=1,
        text="Business Associate Agreement\nThis Business Associate Agreement between Acme and "
        "TranscribeRight Inc. is effective 2026-05-02.",
    )
    denied = signed.with_(id="d", text="TranscribeRight has no business associate agreement yet.")
    audit = signed.with_(id="a", doc_type="audit_report", text="F-05 TranscribeRight BAA: a BAA is pending.")
    [before] = inventory([register, denied, audit], date(2026, 6, 1))
    assert [f.kind for f in before.flags] == ["phi_without_baa"] and before.agreements == ()
    [after] = inventory([register, denied, signed], date(2026, 6, 1))
    assert after.flags == () and after.baa == "no"  # the register still says so; the signed BAA is cited
    [baa] = after.agreements
    assert (baa.kind, baa.source, baa.page) == ("BAA", "TranscribeRight_BAA.pdf", 1)
    assert baa.quote.startswith("This Business Associate Agreement between Acme and TranscribeRight")
    assert after.as_json()["agreements"][0]["kind"] == "BAA"


def test_cli_flags_follow_the_contract(demo_data, monkeypatch, capsys):
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(demo_data))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    assert main(["vendors", "flags", "--client", "meridian-health", "--as-of", "2026-04-24", "--json"]) == 0
    payload = json.loads(capsys.readouterr().out)
    validate_contract("vendors", payload)
    assert [v["name"] for v in payload["vendors"]] == ["TranscribeRight Inc."]
    assert main(["vendors", "list", "--client", "ledgerly", "--json"]) == 0
    validate_contract("vendors", json.loads(capsys.readouterr().out))
    assert main(["vendors", "list", "--client", "ledgerly", "--as-of", "soon"]) == 2


def test_ui_page_shows_flags_with_their_row(demo_data):
    from streamlit.testing.v1 import AppTest

    script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from advisor.db import open_database
from ui.context import Context
import ui.vendors as page
adv = build_advisor(Settings(data_dir=Path({str(demo_data)!r}), embedding="fake"))
users = UserStore(open_database(adv.settings))
page.render(Context(adv, User("erin", "executive", ("meridian-health",)), users))
"""
    at = AppTest.from_string(script, default_timeout=90).run()
    assert not at.exception
    assert any("TranscribeRight Inc. handles PHI, no BAA found" in w.value for w in at.warning)
