"""The risk register: proposals from confirmed findings and the client's risk-register documents, review,
edits with a note, the configurable scale, the heat map; `vciso risks --json` follows risks.schema.json."""

from __future__ import annotations

import json

import pytest

from advisor.access.policy import local_operator
from advisor.access.users import User
from advisor.errors import AccessDenied
from advisor.factory import build_advisor
from advisor.register.charts import heat_counts, risk_heatmap
from advisor.register.findings import Finding, RegisterError
from advisor.register.risks import Risk, RiskRegister, from_documents, from_findings
from advisor.settings import Settings
from ingest.types import Chunk
from tests.conftest import DEMO, validate_contract

OP = local_operator()
CARL = User("carl", "consultant", clients=("acme",))
ERIN = User("erin", "executive", clients=("acme",))


def test_proposals_from_findings_and_documents():
    found = [
        Finding(
            ref="F-01",
            title="No MFA",
            severity="critical",
            owner="Priya",
            due="2026-09-30",
            client="acme",
            framework_refs=({"framework": "hipaa", "clause": "164.312(d)"},),
        ),
        Finding(ref="F-02", title="Old", severity="high", status="closed", client="acme"),
    ]
    (r,) = from_findings(found)
    assert (r.likelihood, r.impact, r.inherent, r.findings, r.owner, r.review_date) == (
        4,
        5,
        20,
        ("F-01",),
        "Priya",
        "2026-09-30",
    )
    assert from_findings(found, scale=3)[0].impact == 3  # rescaled to the configured grid
    text = (
        "Risk ID | Risk | Likelihood | Impact | Score | Owner | Treatment | Target date | Status\n"
        "R-02 | Stolen credentials on the VPN (F-01) | 4 | 4 | 16 | Priya | Mitigate: MFA on MFH-VPN-01 | "
        "2026-09-30 | Open\n"
    )
    chunk = Chunk(
        id="c",
        text=text,
        client="acme",
        source="RR.xlsx",
        title="",
        doc_type="risk_register",
        page=None,
        section="Risks",
    )
    (d,) = from_documents([chunk])
    assert (d.ref, d.inherent, d.treatment, d.treatment_plan, d.findings) == (
        "R-02",
        16,
        "mitigate",
        "MFA on MFH-VPN-01",
        ("F-01",),
    )
    assert from_documents([chunk.with_(extra={"injection": "x"})]) == []


def test_review_edit_history_scale_and_access(database):
    reg = RiskRegister(database, scale=5)
    new = reg.propose(
        "acme", [Risk(ref="R-1", title="Ransomware", likelihood=4, impact=5, owner="Priya")], user=CARL
    )["new"]
    assert reg.list("acme", user=CARL) == []  # proposals are not the register
    assert reg.propose("acme", [Risk(ref="R-1", title="changed")], user=CARL)["unchanged"]
    r = reg.confirm("acme", new[0].key, user=CARL, edits={"treatment": "mitigate"})
    r = reg.update("acme", r.key, user=CARL, note="EDR deployed", residual_likelihood=2, residual_impact=4)
    assert (r.inherent, r.residual) == (20, 8)
    assert r.history[-1]["changes"] == {"residual_likelihood": [None, 2], "residual_impact": [None, 4]}
    with pytest.raises(RegisterError, match="1..5"):
        reg.update("acme", r.key, user=CARL, note="x", likelihood=6)
    with pytest.raises(RegisterError, match="treatment"):
        reg.update("acme", r.key, user=CARL, note="x", treatment="ignore")
    with pytest.raises(RegisterError, match="note"):
        reg.update("acme", r.key, user=CARL, note="", likelihood=2)
    with pytest.raises(AccessDenied):
        reg.update("acme", r.key, user=ERIN, note="x", likelihood=2)
    added = reg.add("acme", Risk(ref="R-2", title="Phishing", likelihood=2, impact=2), user=CARL)
    assert [x.ref for x in reg.list("acme", user=ERIN)] == ["R-1", "R-2"] and added.review == "confirmed"
    with pytest.raises(RegisterError, match="already exists"):
        reg.add("acme", Risk(ref="R-2", title="again"), user=CARL)


def test_heatmap_places_each_risk_and_renders_png():
    risks = [
        Risk(ref="R-1", title="a", likelihood=4, impact=5, residual_likelihood=2, residual_impact=4),
        Risk(ref="R-2", title="b", likelihood=4, impact=5),
        Risk(ref="R-3", title="unrated"),
    ]
    grid = heat_counts(risks, 5)
    assert grid[4][3] == ["R-1", "R-2"] and sum(len(c) for row in grid for c in row) == 2
    assert heat_counts(risks, 5, residual=True)[3][1] == ["R-1"]
    assert risk_heatmap(risks, 5).startswith(b"\x89PNG")


def test_cli_propose_from_demo_documents_follows_the_contract(tmp_path, monkeypatch, capsys):
    from advisor.cli import main

    data = tmp_path / "data"
    adv = build_advisor(Settings(data_dir=data, embedding="fake"))
    assert adv.ingest([DEMO / "meridian-health"], "meridian-health", user=OP).ok
    monkeypatch.setenv("VCISO_DATA_DIR", str(data))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")

    def run(*argv: str) -> dict:
        capsys.readouterr()
        assert main(list(argv)) == 0
        payload = json.loads(capsys.readouterr().out)
        validate_contract("risks", payload)
        return payload

    out = run("risks", "propose", "--client", "meridian-health", "--json")
    refs = {r["ref"]: r for r in out["risks"]}
    assert {"R-01", "R-02", "R-03"} <= set(refs) and refs["R-01"]["inherent"] == 20
    assert refs["R-03"]["findings"] == ["F-05"] and refs["R-02"]["findings"] == ["F-01"]
    run("risks", "confirm", "--client", "meridian-health", "--all", "--json")
    heat = tmp_path / "heat.png"
    listed = run("risks", "list", "--client", "meridian-health", "--heatmap", str(heat), "--json")
    assert listed["risks"][0]["ref"] == "R-01" and heat.read_bytes().startswith(b"\x89PNG")
    key = listed["risks"][0]["key"]
    upd = run(
        "risks",
        "update",
        "--client",
        "meridian-health",
        str(key),
        "--residual-likelihood",
        "2",
        "--residual-impact",
        "3",
        "--note",
        "immutable backups in place",
        "--json",
    )
    assert upd["risks"][0]["residual"] == 6
    assert main(["risks", "list", "--client", "meridian-health", "--heatmap", str(tmp_path / "h.jpg")]) == 2


def test_ui_page_proposes_confirms_and_shows_the_heat_map(tmp_path):
    from streamlit.testing.v1 import AppTest

    data = tmp_path / "data"
    adv = build_advisor(Settings(data_dir=data, embedding="fake"))
    assert adv.ingest([DEMO / "meridian-health" / "Risk_Register.xlsx"], "meridian-health", user=OP).ok
    script = f"""
from pathlib import Path
from advisor.settings import Settings
from advisor.factory import build_advisor
from advisor.access.users import User, UserStore
from advisor.db import open_database
from ui.context import Context
import ui.risks as page
adv = build_advisor(Settings(data_dir=Path({str(data)!r}), embedding="fake"))
users = UserStore(open_database(adv.settings))
page.render(Context(adv, User("carl", "consultant", ("meridian-health",)), users))
"""
    at = AppTest.from_string(script, default_timeout=90).run()
    assert not at.exception
    at.button(key="risks_propose").click().run()
    assert not at.exception and any("new proposals" in s.value for s in at.success)
    at.button(key="risks_confirm_all").click().run()
    assert not at.exception
    assert len(RiskRegister(data / "vciso.db").list("meridian-health", user=OP)) >= 10
