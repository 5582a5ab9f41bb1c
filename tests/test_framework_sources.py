"""The US/NIST parsers read the publishers' files; they agree with the corpus maintainers' derived JSON.

Each framework folder of the corpus may also carry a flat JSON file the corpus maintainers derived from
the upstream file with their own (unpublished) script. The parsers no longer read those files; these
tests check, record by record, that the units built from the upstream files carry the same texts as
the derived files (normalised as the parsers format them). A corpus fetched from the publishers has no
derived file: that comparison is then skipped, while every other test still runs.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from ingest.frameworks import FRAMEWORKS, csf, file_digest, hipaa, nist_80053, privacy_framework
from ingest.frameworks.hipaa_source import HEADINGS, paragraph_lines, read_sections
from ingest.frameworks.library import load_framework
from ingest.types import Chunk


def _units(corpus: Path, key: str) -> dict[str, Chunk]:
    return {c.section or "": c for c in load_framework(corpus, key)}


def _derived(corpus: Path, key: str, name: str) -> Any:
    path = corpus / FRAMEWORKS[key].folder / name
    if not path.is_file():
        pytest.skip(f"{path} (the corpus maintainers' derived file) is not in this corpus")
    return json.loads(path.read_text(encoding="utf-8"))


def test_derived_files_are_not_pinned_for_the_us_frameworks() -> None:
    for key in ("nist-800-53", "csf-2.0", "privacy-framework", "hipaa"):
        files = FRAMEWORKS[key].files
        assert files and all(f.url.startswith("https://") for f in files), key


# --- NIST SP 800-53 Rev. 5 ----------------------------------------------------------------------


def test_80053_units_come_from_the_oscal_catalog(corpus_dir: Path) -> None:
    units = _units(corpus_dir, "nist-800-53")
    folder = corpus_dir / FRAMEWORKS["nist-800-53"].folder
    digest = file_digest(folder / "NIST_SP-800-53_rev5_catalog-min.json")
    assert {c.sha256 for c in units.values()} == {digest}
    c = units["AU-2"]  # a parameter whose label holds a link to the statement's item a.
    assert (
        "c. Specify the following event types for logging within the system: [Assignment: "
        "organization-defined event types (subset of the event types defined in AU-2a.) along with" in c.text
    )
    ac7 = units["AC-7"].text  # a selection whose choices hold assignments
    assert "b. Automatically [Selection (one or more): lock the account or node for an [Assignment: " in ac7
    assert "{{" not in "".join(u.text for u in units.values())
    assert "](#" not in "".join(u.text for u in units.values())
    assert units["AC-2(3)"].extra["oscal_id"] == "ac-2.3"
    assert units["AC-1"].extra["related"] == "IA-1,PM-9,PM-24,PS-8,SI-12"


def test_80053_agrees_with_the_derived_flat_file(corpus_dir: Path) -> None:
    records = _derived(corpus_dir, "nist-800-53", "sp800-53r5_controls_flat.json")["controls"]
    units = _units(corpus_dir, "nist-800-53")
    active = [r for r in records if r["status"] == "active"]
    assert [r["id"] for r in active] == list(units)
    for rec in active:
        c = units[rec["id"]]
        text = f"{rec['id']} {rec['full_title']}\n{rec['statement'].strip()}"
        if rec["guidance"].strip():
            text += f"\n\nDiscussion: {rec['guidance'].strip()}"
        assert c.text == text, rec["id"]
        assert c.title == rec["full_title"] and c.extra["parent"] == (rec["parent"] or "")
        assert c.extra["baselines"] == ",".join(rec["baselines"]), rec["id"]
        assert c.extra["related"] == ",".join(rec["related"]), rec["id"]
        assert (c.extra["family"], c.extra["family_title"]) == (rec["family"], rec["family_title"])


# --- NIST CSF 2.0 -------------------------------------------------------------------------------


def test_csf_units_come_from_the_oscal_xml(corpus_dir: Path) -> None:
    units = _units(corpus_dir, "csf-2.0")
    digest = file_digest(corpus_dir / FRAMEWORKS["csf-2.0"].folder / "NIST_CSF_v2.0_catalog.xml")
    assert {c.sha256 for c in units.values()} == {digest}
    sub = units["GV.OC-01"]  # the XML's hard-wrapped paragraphs read as one line
    assert sub.text == (
        "GV.OC-01 Organizational Context\nThe organizational mission is understood and informs "
        "cybersecurity risk management\n\nImplementation Examples:\nEx1: Share the organization's mission "
        "(e.g., through vision and mission statements, marketing, and service strategies) to provide a "
        "basis for identifying risks that may impede that mission"
    )
    assert sub.extra["risk_party"] == "1st" and sub.extra["examples"] == 1
    assert sum(c.extra.get("examples", 0) for c in units.values()) == 363


def test_csf_agrees_with_the_derived_flat_file(corpus_dir: Path) -> None:
    data = _derived(corpus_dir, "csf-2.0", "csf2_core_flat.json")
    units = _units(corpus_dir, "csf-2.0")
    categories = [c for c in data["categories"] if c["status"] == "active"]
    subcategories = [s for s in data["subcategories"] if s["status"] == "active"]
    expected = [f["id"] for f in data["functions"]] + [c["id"] for c in categories]
    assert list(units) == expected + [s["id"] for s in subcategories]
    for rec in data["functions"] + categories:
        assert units[rec["id"]].text == f"{rec['id']} {rec['title']}\n{rec['text']}", rec["id"]
    for sub in subcategories:
        c = units[sub["id"]]
        examples = [ex["text"] for ex in sub["implementation_examples"]]
        assert c.text.startswith(f"{sub['id']} {sub['category_title']}\n{sub['text']}\n\n"), sub["id"]
        assert c.text.endswith("\n".join(f"Ex{n}: {ex}" for n, ex in enumerate(examples, start=1)))
        assert c.extra["risk_party"] == ",".join(sub["risk_party"]) and c.extra["examples"] == len(examples)


# --- NIST Privacy Framework 1.0 -----------------------------------------------------------------


def test_privacy_framework_units_come_from_the_workbook(corpus_dir: Path) -> None:
    units = _units(corpus_dir, "privacy-framework")
    folder = corpus_dir / FRAMEWORKS["privacy-framework"].folder
    assert {c.sha256 for c in units.values()} == {
        file_digest(folder / "NIST-Privacy-Framework-V1.0-Core.xlsx")
    }
    kinds = [c.extra["kind"] for c in units.values()]
    assert (kinds.count("function"), kinds.count("category"), kinds.count("subcategory")) == (5, 18, 100)
    per_function = {f: sum(c.extra["function"] == f for c in units.values()) - 1 for f in ("ID-P", "PR-P")}
    assert per_function == {"ID-P": 4 + 21, "PR-P": 5 + 30}  # categories + subcategories under merged cells
    last = units["PR.PT-P4"]  # the workbook's last row (F103), under the merged D100 and B74 cells
    assert last.extra["category"] == "PR.PT-P" and last.extra["function_title"] == "Protect-P"
    assert last.text == (
        "PR.PT-P4 Protective Technology (Protect-P)\nMechanisms (e.g., failsafe, load balancing, hot swap) "
        "are implemented to achieve resilience requirements in normal and adverse situations."
    )


def test_privacy_framework_agrees_with_the_derived_flat_file(corpus_dir: Path) -> None:
    records = _derived(corpus_dir, "privacy-framework", "privacy_framework_core_flat.json")
    units = _units(corpus_dir, "privacy-framework")
    assert [r["id"] for r in records] == list(units)
    for rec in records:
        c = units[rec["id"]]
        assert c.text.endswith(f"\n{rec['text']}") and c.extra["kind"] == rec["type"], rec["id"]
        assert c.extra["function"] == rec["function_id"]
        assert c.extra["function_title"] == rec["function"].title()
        assert (c.extra["category"], c.extra["category_title"]) == (
            rec["category_id"] or "",
            rec["category"] or "",
        ), rec["id"]


# --- HIPAA --------------------------------------------------------------------------------------


def test_hipaa_markdown_reader() -> None:
    markdown = (
        "A covered entity must, in accordance\r\n"
        "with [§ 164.306](/hipaa/regulations/164-306-security-general/):\r\n"
        "\r\n> (a)\r\n\r\n> > (1) Standard: Access control.\nImplement  technical policies \n\n"
        "> > &#40;C) Sanction policy.\n \n> > > (i) Deeper.\n"
        "[68 FR 8376, Feb. 20, 2003, as\namended at 78 FR 5694]\n"
    )
    assert paragraph_lines(markdown) == [
        "A covered entity must, in accordance with § 164.306:",
        "  (a)",
        "    (1) Standard: Access control. Implement technical policies",
        "    (C) Sanction policy.",
        "      (i) Deeper.",
        "[68 FR 8376, Feb. 20, 2003, as amended at 78 FR 5694]",
    ]


def test_hipaa_units_come_from_the_section_files(corpus_dir: Path) -> None:
    folder = corpus_dir / FRAMEWORKS["hipaa"].folder
    units = _units(corpus_dir, "hipaa")
    files = {f"{p.name[:3]}.{p.name[4:7]}": p for p in (folder / "sections").glob("*.md")}
    assert set(files) == set(HEADINGS)
    for c in units.values():  # each unit carries the digest of its own section's file
        assert c.sha256 == file_digest(files[c.extra["section_number"]]), c.section
    c = units["164.312(a)(2)(iv)"]  # 164.312 is hard-wrapped, one clause over several lines
    assert (
        "(iv) Encryption and decryption (Addressable). Implement a mechanism to encrypt and decrypt "
        in c.text
    )
    section = units["164.312"].text
    assert section.endswith("\n[68 FR 8376, Feb. 20, 2003, as amended at 78 FR 5694, Jan. 25, 2013]")
    assert "&#40;" not in "".join(u.text for u in units.values())
    assert "](/hipaa" not in "".join(u.text for u in units.values())


def test_hipaa_headings_and_text_agree_with_the_derived_file(corpus_dir: Path) -> None:
    data = _derived(corpus_dir, "hipaa", "hipaa_sections.json")
    sections = read_sections(corpus_dir / FRAMEWORKS["hipaa"].folder)
    assert [s.number for s in sections] == [rec["section"] for rec in data["sections"]]
    for rec, sec in zip(data["sections"], sections, strict=True):
        assert (sec.title, sec.part, sec.subpart, sec.subpart_title) == (
            rec["title"],
            rec["part"],
            rec["subpart"],
            rec["subpart_title"],
        ), rec["section"]
        assert rec["source_file"] == f"sections/{sec.path.name}"
        assert list(sec.lines) == [line for line in rec["text"].split("\n") if line.strip()], rec["section"]


# --- malformed upstream files -------------------------------------------------------------------


def test_malformed_upstream_files_are_named_in_the_error(tmp_path: Path) -> None:
    (tmp_path / "NIST_SP-800-53_rev5_catalog-min.json").write_text('{"profile": {}}', encoding="utf-8")
    with pytest.raises(ValueError, match="NIST_SP-800-53_rev5_catalog-min.json: not an OSCAL catalog"):
        nist_80053.parse(tmp_path)
    (tmp_path / "NIST_CSF_v2.0_catalog.xml").write_text("<catalog><group>", encoding="utf-8")
    with pytest.raises(ValueError, match="NIST_CSF_v2.0_catalog.xml: not well-formed XML"):
        csf.parse(tmp_path)
    (tmp_path / "NIST-Privacy-Framework-V1.0-Core.xlsx").write_bytes(b"not a workbook")
    with pytest.raises(ValueError, match="NIST-Privacy-Framework-V1.0-Core.xlsx: not an Excel workbook"):
        privacy_framework.parse(tmp_path)
    (tmp_path / "sections").mkdir()
    (tmp_path / "sections" / "164-530-administrative-requirements.md").write_text("(a) x", encoding="utf-8")
    with pytest.raises(ValueError, match="164-530-administrative-requirements.md is not one of the 23"):
        hipaa.parse(tmp_path)
    (tmp_path / "sections" / "164-530-administrative-requirements.md").unlink()
    with pytest.raises(FileNotFoundError, match="no Markdown file for 45 CFR 160.103"):
        hipaa.parse(tmp_path)
