"""Vendor reviews people record: kept in the database with who and when, only consultants and admins of the
client record them, the assessment-age flag uses the latest of the document's date and the recorded reviews
(cited "recorded by <user> on <date>"); `vciso vendors review --json` follows vendor_review.schema.json and
the Vendors page records one."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from advisor.access.policy import local_operator
from advisor.access.users import User
from advisor.errors import AccessDenied
from advisor.factory import build_advisor
from advisor.register.vendor_reviews import VendorReviewError, VendorReviews, match_vendor
from advisor.register.vendors import RecordedReview, inventory
from advisor.settings import Settings
from ingest.types import Chunk
from tests.conftest import DEMO, validate_contract

OP = local_operator()
CARL = User("carl", "consultant", clients=("acme",))
ERIN = User("erin", "executive", clients=("acme",))
EVE = User("eve", "consultant", clients=("other",))

REGISTER = Chunk(
    "v1",
    "Vendor | Service | Data shared | BAA | Last review\n"
    "Acme Cloud | Hosting | ePHI | Signed 2024-01-10 | 2025-05-14\n"
    "NewCo Scribe | Transcription | ePHI | Signed 2026-01-05 | Never reviewed\n",
    "acme",
    "Vendor_Register.docx",
    "Vendor Register",
    "vendor_register",
    None,
    None,
)


def _stale(vendors) -> dict[str, str]:
    return {v.name: f.quote for v in vendors for f in v.flags if f.kind == "assessment_stale"}


def _review(vendor: str, day: str, who: str = "carl") -> RecordedReview:
    return RecordedReview(
        vendor=vendor, date=day, reviewer=who, note="questionnaire read", outcome="approved"
    )


def test_the_flag_uses_the_latest_of_document_and_recorded_reviews():
    as_of = date(2026, 6, 30)
    assert _stale(inventory([REGISTER], as_of)) == {
        "Acme Cloud": "Acme Cloud | Hosting | ePHI | Signed 2024-01-10 | 2025-05-14",
        "NewCo Scribe": "NewCo Scribe | Transcription | ePHI | Signed 2026-01-05 | Never reviewed",
    }
    fresh = [_review("Acme Cloud", "2026-03-01"), _review("newco scribe", "2026-02-01")]
    vendors = inventory([REGISTER], as_of, fresh)
    assert _stale(vendors) == {}  # both reviewed within 12 months, one of them never in the documents
    acme = next(v for v in vendors if v.name == "Acme Cloud")
    assert acme.assessed == "2025-05-14" and [r.date for r in acme.recorded] == ["2026-03-01"]
    assert acme.as_json()["recorded"][0]["citation"] == "recorded by carl on 2026-03-01"
    # an older recorded review does not hide the document's date; a stale recorded one is the one cited
    old = inventory(
        [REGISTER], as_of, [_review("Acme Cloud", "2024-02-01"), _review("NewCo Scribe", "2025-01-02")]
    )
    assert _stale(old) == {
        "Acme Cloud": "Acme Cloud | Hosting | ePHI | Signed 2024-01-10 | 2025-05-14",
        "NewCo Scribe": "recorded by carl on 2025-01-02",
    }
    # a review dated after the day judged does not count for it
    assert "Acme Cloud" in _stale(inventory([REGISTER], as_of, [_review("Acme Cloud", "2026-08-01")]))


def test_recording_rules_access_and_clear_errors(database):
    reviews = VendorReviews(database)
    today = date(2026, 6, 30)
    got = reviews.record("acme", "Acme Cloud", user=CARL, when="2026-06-01", note="SOC 2 read", today=today)
    assert (got.reviewer, got.date, got.outcome, got.key) == ("carl", "2026-06-01", "noted", got.key)
    assert got.citation == "recorded by carl on 2026-06-01" and got.key is not None
    reviews.record(
        "acme", "Acme Cloud", user=OP, when="2026-06-20", note="call", outcome="conditional", today=today
    )
    assert [r.date for r in reviews.list("acme", user=ERIN)] == [
        "2026-06-20",
        "2026-06-01",
    ]  # executives read
    with pytest.raises(AccessDenied):
        reviews.record("acme", "Acme Cloud", user=ERIN, when="2026-06-01", note="x", today=today)
    with pytest.raises(AccessDenied):
        reviews.record("acme", "Acme Cloud", user=EVE, when="2026-06-01", note="x", today=today)
    with pytest.raises(AccessDenied):
        reviews.list("acme", user=EVE)
    for kw, message in (
        ({"when": "2026-07-01", "note": "x"}, "in the future"),
        ({"when": "01/06/2026", "note": "x"}, "not YYYY-MM-DD"),
        ({"when": "2026-06-01", "note": "  "}, "needs a note"),
        ({"when": "2026-06-01", "note": "x", "outcome": "great"}, "unknown outcome"),
    ):
        with pytest.raises(VendorReviewError, match=message):
            reviews.record("acme", "Acme Cloud", user=CARL, today=today, **kw)
    assert len(reviews.list("acme", user=CARL)) == 2


def test_vendor_names_match_the_inventory():
    vendors = inventory([REGISTER], date(2026, 6, 30))
    assert match_vendor(vendors, "acme cloud").name == "Acme Cloud"
    assert match_vendor(vendors, "NewCo").name == "NewCo Scribe"
    with pytest.raises(VendorReviewError, match="not in the client's vendor inventory .*Acme Cloud"):
        match_vendor(vendors, "Globex")


@pytest.fixture(scope="module")
def meridian(tmp_path_factory) -> Path:
    data = tmp_path_factory.mktemp("vendor-reviews")
    assert (
        build_advisor(Settings(data_dir=data, embedding="fake"))
        .ingest([DEMO / "meridian-health"], "meridian-health", user=OP)
        .ok
    )
    return data


def test_cli_review_follows_the_contract_and_clears_the_stale_flag(meridian, tmp_path, monkeypatch, capsys):
    from advisor.cli import main

    monkeypatch.setenv("VCISO_DATA_DIR", str(meridian))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    monkeypatch.setenv("VCISO_DATABASE_URL", f"sqlite:///{tmp_path / 'cli.db'}")
    argv = ["vendors", "review", "--client", "meridian-health", "TranscribeRight", "--date", "2026-04-20"]
    assert (
        main([*argv, "--note", "Security questionnaire reviewed", "--outcome", "conditional", "--json"]) == 0
    )
    payload = json.loads(capsys.readouterr().out)
    validate_contract("vendor_review", payload)
    assert payload["vendor"] == "TranscribeRight Inc." and payload["review"]["outcome"] == "conditional"
    assert (
        payload["review"]["citation"].startswith("recorded by local:")
        and "on 2026-04-20" in payload["review"]["citation"]
    )
    assert main(["vendors", "flags", "--client", "meridian-health", "--as-of", "2026-04-24", "--json"]) == 0
    flags = json.loads(capsys.readouterr().out)
    validate_contract("vendors", flags)
    [t] = flags["vendors"]  # the review clears "never reviewed"; the missing BAA stays
    assert [f["kind"] for f in t["flags"]] == ["phi_without_baa"] and t["recorded"][0]["date"] == "2026-04-20"
    assert (
        main(
            [
                "vendors",
                "review",
                "--client",
                "meridian-health",
                "Globex",
                "--date",
                "2026-04-20",
                "--note",
                "x",
            ]
        )
        == 1
    )
    assert "not in the client's vendor inventory" in capsys.readouterr().err
    assert main([*argv[:-1], "2026/04/20", "--note", "x"]) == 1


def _page(data: Path, db: Path, role: str):
    from streamlit.testing.v1 import AppTest

    script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from advisor.db import open_database
from ui.context import Context
import ui.vendors as page
adv = build_advisor(Settings(data_dir=Path({str(data)!r}), embedding="fake", database_url="sqlite:///{db}"))
users = UserStore(open_database(adv.settings))
page.render(Context(adv, User("u", {role!r}, ("meridian-health",)), users))
"""
    return AppTest.from_string(script, default_timeout=90).run()


def test_ui_page_records_a_review_and_executives_only_read(meridian, tmp_path):
    db = tmp_path / "ui.db"
    at = _page(meridian, db, "consultant")
    assert not at.exception
    form_vendor = next(s for s in at.selectbox if s.label == "Vendor")
    form_vendor.select("TranscribeRight Inc.")
    at.text_area[0].input("Questionnaire and SOC 2 bridge letter reviewed")
    at.button[0].click().run()
    assert not at.exception and not at.error
    [r] = VendorReviews(db).list("meridian-health", user=OP)
    assert (r.vendor, r.reviewer, r.note) == (
        "TranscribeRight Inc.",
        "u",
        "Questionnaire and SOC 2 bridge letter reviewed",
    )
    assert any("recorded by u on" in str(df.value) for df in at.dataframe)
    ex = _page(meridian, db, "executive")
    assert not ex.exception and not [s for s in ex.selectbox if s.label == "Vendor"]  # no form
    assert any("recorded by u on" in str(df.value) for df in ex.dataframe)
