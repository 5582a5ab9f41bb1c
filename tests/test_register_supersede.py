"""A later report supersedes an earlier one (decided by the reports' own dates, not by the order the index
returns chunks in); status changes a report states are recorded dated by the report, with its citation,
apart from people's changes; the trend counts each change on its own date; migration 0006 upgrades an
existing database without loss; the demo's prior-year report is closed by the 2026 report."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import text

from advisor.access.policy import local_operator
from advisor.access.users import User
from advisor.db import Database
from advisor.db.engine import alembic_config, head_revision
from advisor.drafting.findings import collect
from advisor.register.extract import extract
from advisor.register.findings import Finding, FindingsRegister
from advisor.register.report import open_on
from advisor.register.supersede import status_rows, supersede
from ingest.types import Chunk

OP = local_operator()
CARL = User("carl", "consultant", clients=("acme",))


def _report(source: str, issued: str, lines: list[str], cid: str) -> list[Chunk]:
    head = Chunk(
        cid + "h", f"Report ID | R\nReport date | {issued}\n", "acme", source, "", "audit_report", 1, None
    )
    body = head.with_(id=cid + "b", page=2, text="\n".join(lines))
    return [head, body]


def _row(ref: str, title: str, sev: str, owner: str, due: str, status: str) -> str:
    return f"{ref} {title} {sev} 164.312(d) {owner} {due} {status}"


OLDER = _report(
    "RA_2025.pdf",
    "2025-03-14",
    [
        _row("H-01", "Asset inventory incomplete", "Medium", "Marcus Bell", "2025-06-30", "Open"),
        _row("H-02", "Password-only remote access", "High", "Priya Raman", "2025-09-30", "Open"),
        _row("H-03", "Visitor records missing", "Low", "Rosa Martinez", "2025-12-31", "Open"),
    ],
    "o",
)
NEWER = _report(
    "RA_2026.pdf",
    "2026-03-16",
    [
        _row("F-01", "MFA not enforced on legacy VPN", "High", "Priya Raman", "2026-09-30", "In progress"),
        "H-01 Asset inventory incomplete Medium Closed",
        "H-02 Password-only remote access High Carried forward as F-01",
    ],
    "n",
)


@pytest.mark.parametrize("chunks", [OLDER + NEWER, NEWER + OLDER, NEWER[::-1] + OLDER[::-1]])
def test_a_later_report_closes_what_it_lists_closed_or_no_longer_restates(chunks):
    got = {f.ref: f for f in extract(chunks)}
    assert set(got) == {"F-01", "H-01", "H-02", "H-03"}
    assert got["F-01"].status == "in_progress" and got["F-01"].status_from is None
    for ref in ("H-01", "H-02", "H-03"):  # none of the 2025 items is proposed open
        f = got[ref]
        assert f.status == "closed" and f.source == "RA_2025.pdf", ref
        assert f.status_from is not None and f.status_from["date"] == "2026-03-16", ref
        assert f.status_from["source"] == "RA_2026.pdf"
    assert got["H-01"].status_from["quote"] == "H-01 Asset inventory incomplete Medium Closed"
    assert "carried forward as F-01" in got["H-02"].status_from["note"]
    assert "not restated" in got["H-03"].status_from["note"] and got["H-03"].status_from["quote"] == ""
    # the older report's own reading stays (severity, owner, due of 2025)
    assert (got["H-02"].severity, got["H-02"].owner, got["H-02"].due) == ("high", "Priya Raman", "2025-09-30")
    drafted = {f.ref: f for f in collect(chunks).findings}  # drafting sees the same: nothing of 2025 open
    assert [r for r, f in drafted.items() if f.is_open] == ["F-01"]


def test_independent_reports_and_undated_reports_do_not_supersede():
    pen_test = _report(
        "PenTest_2026.pdf",
        "2026-06-01",
        [_row("P-01", "Weak TLS", "Medium", "Ann Lee", "2026-08-31", "Open")],
        "p",
    )
    got = {f.ref: f for f in extract(OLDER + pen_test)}  # shares no id with the 2025 report
    assert all(got[r].is_open for r in ("H-01", "H-02", "H-03", "P-01"))
    undated = [c.with_(text=c.text.replace("Report date", "Revision")) for c in NEWER]
    got = {f.ref: f for f in extract(OLDER + undated)}
    assert got["H-01"].is_open  # without a stated date, no order can be decided


def test_status_rows_read_only_the_named_ids():
    rows = status_rows(NEWER, ["H-01", "H-02", "F-09"])
    assert rows["H-01"]["status"] == "closed" and rows["H-02"] == {
        "status": "closed",
        "carried": "F-01",
        "page": 2,
        "quote": "H-02 Password-only remote access High Carried forward as F-01",
    }
    assert "F-09" not in rows
    # a finding its own latest report states closed is dated by that report
    [f] = supersede(
        [Finding(ref="L-04", title="t", status="closed", source="A.pdf")], [], {"A.pdf": "2026-04-24"}
    )
    assert f.status_from is not None and f.status_from["date"] == "2026-04-24"


def test_confirming_records_the_document_dated_change_apart_from_peoples(database):
    reg = FindingsRegister(database)
    [h01] = [f for f in extract(OLDER + NEWER) if f.ref == "H-01"]
    reg.propose("acme", [h01], user=CARL)
    [p] = reg.list("acme", user=CARL, review="proposed")
    done = reg.confirm("acme", p.key, user=CARL)
    reported = [h for h in done.history if h["action"] == "reported"]
    assert len(reported) == 1 and reported[0]["origin"] == "document"
    assert reported[0]["date"] == "2026-03-16" and reported[0]["changes"] == {"status": ["open", "closed"]}
    assert reported[0]["citation"] == {"source": "RA_2026.pdf", "page": 2, "quote": h01.status_from["quote"]}
    confirmed = next(h for h in done.history if h["action"] == "confirmed")
    assert confirmed["origin"] == "person" and confirmed["citation"] is None
    assert confirmed["date"] == confirmed["ts"][:10]
    # the trend: open from the 2025 report's date until the 2026 report's date, whatever day it was confirmed
    since = "2025-03-14"
    assert open_on(done, date(2025, 12, 31), since) and not open_on(done, date(2026, 3, 16), since)
    assert not open_on(done, date(2025, 1, 1), since)


def test_a_later_report_updates_a_confirmed_finding_with_a_dated_change(database):
    reg = FindingsRegister(database)
    older = {f.ref: f for f in extract(OLDER)}
    reg.propose("acme", [older["H-02"]], user=CARL)
    key = reg.list("acme", user=CARL, review="proposed")[0].key
    reg.confirm("acme", key, user=CARL)
    reg.update("acme", key, user=CARL, owner="Tom Becker", note="owner changed")  # a person's change
    newer = {f.ref: f for f in extract(OLDER + NEWER)}
    out = reg.propose("acme", [newer["H-02"]], user=CARL)
    [update] = out["updates"]
    merged = reg.confirm("acme", update.key, user=CARL)
    assert merged.key == key and merged.status == "closed" and merged.owner == "Tom Becker"
    reported = [h for h in merged.history if h["action"] == "reported"]
    assert [(h["date"], h["changes"]) for h in reported] == [("2026-03-16", {"status": ["open", "closed"]})]
    assert "carried forward as F-01" in reported[0]["note"]
    assert not any(h["action"] == "updated" for h in merged.history)  # nothing else changed in the report
    again = reg.propose("acme", [newer["H-02"]], user=CARL)
    assert [len(again[k]) for k in ("new", "updates", "unchanged")] == [0, 0, 1]


def test_migration_0006_upgrades_an_existing_database(tmp_path: Path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = Database(url, migrate=False)
    with old.engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0005")
        conn.execute(
            text(
                "INSERT INTO findings (id, client, ref, title, severity, owner, due, status, review, "
                "framework_refs, source, page, quote, replaces, created_at, updated_at) VALUES (1, 'acme', "
                "'F-01', 'No MFA', 'high', 'Ann', NULL, 'closed', 'confirmed', '[]', 'RA.pdf', 2, 'q', NULL, "
                "'2026-01-01T00:00:00.000000+00:00', '2026-01-01T00:00:00.000000+00:00')"
            )
        )
        conn.execute(
            text(
                "INSERT INTO finding_events (finding_id, ts, username, action, note, changes) VALUES "
                "(1, '2026-02-01T09:00:00.000000+00:00', 'carl', 'status', 'fixed', "
                '\'{"status": ["open", "closed"]}\')'
            )
        )
    assert old.revision() == "0005"
    old.dispose()
    db = Database(url)  # opening migrates to the newest schema
    assert db.revision() == head_revision()
    f = FindingsRegister(db).get("acme", 1, user=OP)
    [h] = f.history
    assert (h["origin"], h["date"], h["citation"], h["note"]) == ("person", "2026-02-01", None, "fixed")
    with db.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM vendor_reviews")).scalar() == 0
    db.dispose()
