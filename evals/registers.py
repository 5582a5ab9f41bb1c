"""Register quality: finding extraction (precision/recall of id, severity, owner and due date against the
findings planted in the demo reports, and against gold read from CISA's real sample assessment reports) and
vendor flags (against the planted vendor facts).

A field is correct when the proposal for that finding id states the gold value (severity case-folded, owner
by name, due date exactly, status as the latest report gives it: Meridian's 2025 items are closed by the 2026
report). Precision is over the proposals that state the field (a field the report does
not state must not be proposed), recall over the gold findings that state it; ``None`` when neither side
states the field (nothing to find and nothing claimed).

Real-world gold (``REALWORLD_GOLD``), written by reading the PDFs in ``../shared/realworld/`` (read in place,
never copied): the VADR report's Discovery Table (Table 1, pp. 7-10) lists 8 discoveries, each under a NIST SP
800-53 control (two under SI-4), rating no severity and naming no owner or due date; the same discoveries
repeat in the 180-day feedback form (pp. 15-22), which adds none. The Cyber Hygiene report lists scanned
vulnerabilities per host (no findings with ids) and the phishing assessment reports click rates: neither
holds findings, so any proposal from them is a false positive.

    python -m evals.registers          # ingests the demo clients (and the CISA reports, when present) into a
                                       # temporary data dir (fake embeddings)
"""

from __future__ import annotations

import importlib.util
import json
import sys
import tempfile
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "knowledge_base" / "demo"
FIELDS = ("id", "severity", "owner", "due", "status")
# Planted vendor facts: (client, as of, {(vendor, flag)}): TranscribeRight receives ePHI, BAA "not signed"
# and "Never reviewed" (Vendor_Register.docx); PagerDuty's last risk assessment 2025-05-14 is over a year old
# on 2026-06-30 (ICT_Third_Party_Register.docx); every non-EEA sub-processor of Ledgerly names a mechanism.
PLANTED_FLAGS = (
    (
        "meridian-health",
        date(2026, 4, 24),
        {("TranscribeRight Inc.", "phi_without_baa"), ("TranscribeRight Inc.", "assessment_stale")},
    ),
    ("ledgerly", date(2026, 6, 30), {("PagerDuty, Inc.", "assessment_stale")}),
)


REALWORLD_CLIENT = "cisa-samples"
REALWORLD_GOLD = [
    {"id": ref, "severity": "", "owner": "", "due": "", "status": "open", "page": page}
    for ref, page in (
        ("AU-6(4)", 7),  # The lab has limited centralized logging in place.
        ("CM-7", 7),  # Unused IPv6 protocol.
        ("CP-9(1)", 8),  # A network attached storage (NAS) for configuration backups ... same server room
        ("IA-3", 8),  # Network ports and wireless access to the lab network are accessible ...
        ("PE-3", 9),  # Employees without a valid business need have physical access ...
        ("SC-7", 9),  # Almost every lab network allows outbound Internet connectivity.
        ("SI-4", 9),  # Log reviews are not occurring regularly.
        ("SI-4 #2", 10),  # There is no monitoring of software installation on static systems.
    )
]


def _module(name: str):
    spec = importlib.util.spec_from_file_location(name, DEMO / f"{name}.py")
    if spec is None or spec.loader is None:
        raise FileNotFoundError(DEMO / f"{name}.py")
    mod = importlib.util.module_from_spec(spec)
    sys.modules.setdefault(name, mod)  # the 2026 report's module imports the prior-year one by name
    spec.loader.exec_module(mod)
    return mod


def planted_findings() -> dict[str, list[dict]]:
    """client -> the findings planted in its audit reports (from the demo generator's own data), each with
    the status the latest report gives it: Meridian's 2025 items (H-01 ... H-11) are all closed as of the
    2026 report (seven stated closed, four carried forward as 2026 findings), with their 2025 severity,
    owner and due date."""
    sys.path.insert(0, str(DEMO))
    try:
        meridian = _module("meridian_prior").PRIOR_FINDINGS + _module("meridian_assessment").FINDINGS
        ledgerly = _module("ledgerly_records").AUDIT_FINDINGS
    finally:
        sys.path.remove(str(DEMO))
    return {
        "meridian-health": [{**f, "status": "Closed"} if "carried" in f else f for f in meridian],
        "ledgerly": ledgerly,
    }


def _value(item, name: str) -> str:
    from advisor.drafting.findings import status_of

    if isinstance(item, dict):
        raw = {
            "id": item["id"],
            "severity": item["severity"],
            "owner": item["owner"].split(",")[0] if item["owner"] else "",
            "due": item["due"],
            "status": status_of(item["status"]) if item.get("status") else "",
        }[name]
    else:
        raw = {
            "id": item.ref,
            "severity": item.severity,
            "owner": item.owner,
            "due": item.due or "",
            "status": item.status,
        }[name]
    return str(raw).strip().lower()


def extraction_scores(predicted, planted: list[dict]) -> dict[str, dict[str, float | None]]:
    """{field: {precision, recall}} of proposals (register Findings) against gold findings (dicts)."""
    truth = {p["id"]: p for p in planted}
    pred = {f.ref: f for f in predicted}
    out: dict[str, dict[str, float | None]] = {}
    for name in FIELDS:
        stated = [f for f in pred.values() if _value(f, name)]
        gold = [p for p in truth.values() if _value(p, name)]
        correct = [f for f in stated if f.ref in truth and _value(f, name) == _value(truth[f.ref], name)]
        out[name] = {
            "precision": round(len(correct) / len(stated), 3) if stated else (None if not gold else 0.0),
            "recall": round(len(correct) / len(gold), 3) if gold else None,
        }
    return out


def flag_scores(found: set[tuple[str, str]], planted: set[tuple[str, str]]) -> dict[str, float]:
    hit = len(found & planted)
    return {
        "precision": round(hit / len(found), 3) if found else (1.0 if not planted else 0.0),
        "recall": round(hit / len(planted), 3) if planted else 1.0,
    }


def run(data_dir: Path) -> dict:
    from advisor.access.policy import local_operator
    from advisor.factory import build_advisor
    from advisor.register.extract import extract_for_client
    from advisor.register.vendors import inventory
    from advisor.settings import Settings

    op = local_operator()
    adv = build_advisor(Settings(data_dir=data_dir, embedding="fake"))
    known = adv.clients(user=op)
    for client in ("meridian-health", "ledgerly"):
        if client not in known:
            adv.ingest([DEMO / client], client, user=op)
    result: dict = {"findings": {}, "vendor_flags": {}}
    for client, planted in planted_findings().items():
        result["findings"][client] = extraction_scores(extract_for_client(adv, client, user=op), planted)
    result["findings_realworld"] = realworld_scores(adv, op)
    for client, as_of, flags in PLANTED_FLAGS:
        vendors = inventory(adv.tenant_index(client, user=op).chunks, as_of)
        found = {(v.name, f.kind) for v in vendors for f in v.flags}
        result["vendor_flags"][client] = flag_scores(found, flags)
    return result


def realworld_scores(adv, op) -> dict | None:
    """Extraction scores on CISA's sample reports (None when ../shared/realworld is not there), with the
    pages of the proposals that match a gold id and are on the gold page."""
    from advisor.register.extract import extract_for_client
    from evals.realworld import files

    try:
        paths = files(REALWORLD_CLIENT)
    except FileNotFoundError:
        return None
    if REALWORLD_CLIENT not in adv.clients(user=op):
        adv.ingest(paths, REALWORLD_CLIENT, user=op)
    proposed = extract_for_client(adv, REALWORLD_CLIENT, user=op)
    pages = {g["id"]: g["page"] for g in REALWORLD_GOLD}
    on_page = sum(1 for f in proposed if pages.get(f.ref) == f.page)
    return {
        REALWORLD_CLIENT: extraction_scores(proposed, REALWORLD_GOLD),
        "proposals": len(proposed),
        "on_gold_page": round(on_page / len(REALWORLD_GOLD), 3),
    }


def main(argv: list[str] | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        json.dump(run(Path(tmp)), sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
