"""Tests for the built-in regulatory library parsers (ingest/frameworks)."""

from __future__ import annotations

import hashlib
import time

import pytest

from ingest.frameworks import FRAMEWORKS, framework_names, load_library
from ingest.frameworks.library import load_framework
from ingest.types import Chunk, chunk_id
from tests.conftest import CORPUS

ROOT = CORPUS  # VCISO_CORPUS_DIR (../shared/corpus by default)
pytestmark = pytest.mark.usefixtures(
    "corpus_dir"
)  # every test here FAILS with a clear message without a corpus

MAIN_FILES = {
    "nist-800-53": "NIST_SP-800-53_rev5_catalog-min.json",
    "csf-2.0": "NIST_CSF_v2.0_catalog.xml",
    "hipaa": "sections/*.md",  # each unit: the file of its own section
    "gdpr": "gdpr-consolidated-with-corrected-preamble-en.xml",
    "asvs-5.0": "OWASP_Application_Security_Verification_Standard_5.0.0_en.json",
    "nist-800-171": "NIST_SP800-171_rev3_catalog.xml",
    "nis2": "eu-nis2-act.html",
    "dora": "eu-dora-act.html",
    "cra": "eu-cra-act.html",
    "ai-act": "eu-ai-act.html",
    "privacy-framework": "NIST-Privacy-Framework-V1.0-Core.xlsx",
}


@pytest.fixture(scope="module")
def library() -> list[Chunk]:
    return load_library(ROOT)


def by_framework(chunks: list[Chunk], key: str) -> dict[str, Chunk]:
    return {c.section: c for c in chunks if c.extra["framework"] == key}


# --- the whole library -------------------------------------------------------------------------


def test_registry_names_and_folders() -> None:
    assert framework_names() == {
        "nist-800-53": "NIST SP 800-53 Rev. 5",
        "csf-2.0": "NIST CSF 2.0",
        "hipaa": "HIPAA 45 CFR Part 164",
        "gdpr": "GDPR",
        "asvs-5.0": "OWASP ASVS 5.0",
        "nist-800-171": "NIST SP 800-171 Rev. 3",
        "nis2": "NIS2 Directive",
        "dora": "DORA",
        "cra": "Cyber Resilience Act",
        "ai-act": "AI Act",
        "privacy-framework": "NIST Privacy Framework 1.0",
    }
    for key, fw in FRAMEWORKS.items():
        assert (ROOT / fw.folder / "SOURCE.md").is_file(), key
        assert fw.name and fw.label and fw.publisher and fw.licence and fw.url.startswith("https://")


def test_unknown_framework_lists_valid_keys() -> None:
    with pytest.raises(KeyError, match="nist-800-53"):
        load_framework(ROOT, "pci-dss")


def test_ids_are_unique_across_the_library(library: list[Chunk]) -> None:
    ids = [c.id for c in library]
    assert len(ids) == len(set(ids))
    keys = [(c.source, c.section) for c in library]
    assert len(keys) == len(set(keys))


def test_every_chunk_follows_the_library_rules(library: list[Chunk]) -> None:
    digests = {
        key: {hashlib.sha256(p.read_bytes()).hexdigest() for p in (ROOT / FRAMEWORKS[key].folder).glob(name)}
        for key, name in MAIN_FILES.items()
    }
    for c in library:
        key = c.extra["framework"]
        assert c.client is None and c.doc_type == "regulation" and c.page is None and c.ingested_at == ""
        assert c.source == FRAMEWORKS[key].name
        assert c.sha256 in digests[key]
        assert c.id == chunk_id(None, c.source, c.section or "", c.text)
        assert c.section and c.title and c.text.startswith(c.section), c.section
        assert c.extra["clause_id"] == c.section
        assert isinstance(c.extra["parent"], str) and c.extra["hierarchy"]
        for k, v in c.extra.items():
            assert isinstance(v, str | int | float | bool), (c.section, k)


def test_library_loads_fast() -> None:
    start = time.perf_counter()
    load_library(ROOT)
    assert time.perf_counter() - start < 2.0


# --- NIST SP 800-53 Rev. 5 ----------------------------------------------------------------------


def test_80053_counts(library: list[Chunk]) -> None:
    controls = by_framework(library, "nist-800-53")
    assert len(controls) == 1007
    assert "AC-2(10)" not in controls  # withdrawn: incorporated into AC-2k
    assert sum(c.extra["kind"] == "enhancement" for c in controls.values()) > 0
    assert len({c.extra["family"] for c in controls.values()}) == 20


def test_80053_ac_2_3(library: list[Chunk]) -> None:
    c = by_framework(library, "nist-800-53")["AC-2(3)"]
    assert c.title == "Account Management | Disable Accounts"
    assert c.extra["baselines"] == "MODERATE,HIGH"
    assert c.extra["parent"] == "AC-2" and c.extra["family"] == "AC"
    assert c.extra["hierarchy"] == "AC Access Control > AC-2 Account Management > AC-2(3) Disable Accounts"
    assert c.text.startswith(
        "AC-2(3) Account Management | Disable Accounts\nDisable accounts within [Assignment: "
        "organization-defined time period] when the accounts:"
    )
    assert "(d) Have been inactive for [Assignment: organization-defined time period]." in c.text
    assert (
        "\n\nDiscussion: Disabling expired, inactive, or otherwise anomalous accounts supports the concepts "
        "of least privilege" in c.text
    )


def test_80053_ia_2_1_and_baselines(library: list[Chunk]) -> None:
    controls = by_framework(library, "nist-800-53")
    c = controls["IA-2(1)"]
    assert (
        c.title
        == "Identification and Authentication (organizational Users) | Multi-factor Authentication to "
        "Privileged Accounts"
    )
    assert "Implement multi-factor authentication for access to privileged accounts." in c.text
    assert c.extra["baselines"] == "LOW,MODERATE,HIGH"
    assert controls["AC-1"].extra["baselines"] == "LOW,MODERATE,HIGH,PRIVACY"
    assert controls["AC-2(6)"].extra["baselines"] == ""


# --- NIST CSF 2.0 -------------------------------------------------------------------------------


def test_csf_counts_and_no_withdrawn(library: list[Chunk]) -> None:
    csf = by_framework(library, "csf-2.0")
    kinds = [c.extra["kind"] for c in csf.values()]
    assert (kinds.count("function"), kinds.count("category"), kinds.count("subcategory")) == (6, 22, 106)
    assert len(csf) == 134
    # the CSF 1.1 categories the OSCAL XML still carries (SOURCE.md), and some CSF 1.1 subcategories
    withdrawn_categories = "ID.BE ID.GV ID.RM ID.SC PR.AC PR.IP PR.MA PR.PT DE.DP RS.IM RS.RP RC.IM".split()
    for old in (*withdrawn_categories, "ID.AM-06", "PR.DS-03", "PR.AC-01", "ID.BE-01"):
        assert old not in csf


def test_csf_function_category_subcategory(library: list[Chunk]) -> None:
    csf = by_framework(library, "csf-2.0")
    assert csf["GV"].title == "GOVERN"
    cat = csf["GV.SC"]
    assert cat.title == "Cybersecurity Supply Chain Risk Management"
    assert cat.extra["parent"] == "GV" and cat.extra["function"] == "GV"
    assert (
        "Cyber supply chain risk management processes are identified, established, managed, monitored, and "
        "improved" in cat.text
    )
    sub = csf["GV.SC-01"]
    assert sub.title == "Cybersecurity Supply Chain Risk Management" and sub.extra["parent"] == "GV.SC"
    assert sub.text.startswith(
        "GV.SC-01 Cybersecurity Supply Chain Risk Management\nA cybersecurity supply chain risk management "
        "program, strategy, objectives, policies, and processes are established and agreed to by "
        "organizational stakeholders"
    )
    assert (
        "Ex1: Establish a strategy that expresses the objectives of the cybersecurity supply chain risk "
        "management program" in sub.text
    )
    assert sub.extra["examples"] == 4
    pr = csf["PR.AA-01"]
    assert pr.title == "Identity Management, Authentication, and Access Control"
    assert (
        "Identities and credentials for authorized users, services, and hardware are managed by the "
        "organization" in pr.text
    )
    assert "Ex2: Issue, manage, and revoke cryptographic certificates and identity tokens" in pr.text


# --- HIPAA --------------------------------------------------------------------------------------


def test_hipaa_sections_present(library: list[Chunk]) -> None:
    hipaa = by_framework(library, "hipaa")
    sections = {c.section for c in hipaa.values() if c.extra["kind"] == "section"}
    expected = {"160.103", "164.102", "164.103", "164.104", "164.105", "164.106"}
    expected |= {f"164.{n}" for n in range(302, 319, 2)} | {f"164.{n}" for n in range(400, 415, 2)}
    assert sections == expected


def test_hipaa_contingency_plan_testing(library: list[Chunk]) -> None:
    c = by_framework(library, "hipaa")["164.308(a)(7)(ii)(D)"]
    assert c.title == "Administrative safeguards — Testing and revision procedures"
    assert c.text.startswith(
        "164.308(a)(7)(ii)(D) Administrative safeguards — Testing and revision procedures\n"
    )
    assert "Standard: Contingency plan." in c.text  # the parent standard is named in the context line
    assert (
        "(D) Testing and revision procedures (Addressable). Implement procedures for periodic testing and "
        "revision of contingency plans." in c.text
    )
    assert "(E) Applications and data criticality" not in c.text
    assert c.extra["parent"] == "164.308(a)(7)(ii)" and c.extra["requirement"] == "Addressable"
    assert c.extra["section_number"] == "164.308" and c.extra["subpart"] == "Subpart C"


def test_hipaa_encryption_and_decryption(library: list[Chunk]) -> None:
    c = by_framework(library, "hipaa")["164.312(a)(2)(iv)"]
    assert c.title == "Technical safeguards — Encryption and decryption"
    assert "Standard: Access control." in c.text
    assert (
        "(iv) Encryption and decryption (Addressable). Implement a mechanism to encrypt and decrypt "
        "electronic protected health information." in c.text
    )


def test_hipaa_breach_notification_units(library: list[Chunk]) -> None:
    hipaa = by_framework(library, "hipaa")
    b = hipaa["164.404(b)"]
    assert b.title == "Notification to individuals — Timeliness of notification"
    assert (
        "without unreasonable delay and in no case later than 60 calendar days after discovery of a breach"
        in b.text
    )
    section = hipaa["164.404"]
    assert section.title == "Notification to individuals" and section.extra["kind"] == "section"
    assert "(b) Implementation specification: Timeliness of notification" in section.text
    # plain enumerations stay with their paragraph
    assert "(E) Contact procedures for individuals to ask questions" in hipaa["164.404(c)(1)"].text
    assert "164.404(c)(1)(A)" not in hipaa


def test_hipaa_definitions(library: list[Chunk]) -> None:
    hipaa = by_framework(library, "hipaa")
    enc = hipaa["164.304 Encryption"]
    assert enc.title == "Definitions — Encryption" and enc.extra["kind"] == "definition"
    assert "Encryption means the use of an algorithmic process to transform data" in enc.text
    ba = hipaa["160.103 Business associate"]
    assert (
        "A subcontractor that creates, receives, maintains, or transmits protected health information on "
        "behalf of the business associate." in ba.text
    )
    assert "Breach excludes:" in hipaa["164.402 Breach"].text


# --- GDPR ---------------------------------------------------------------------------------------


def test_gdpr_articles_and_recitals_complete(library: list[Chunk]) -> None:
    gdpr = by_framework(library, "gdpr")
    articles = {c.extra["article_number"] for c in gdpr.values() if "article" in c.extra}
    assert articles == set(range(1, 100))
    recitals = [c for c in gdpr.values() if c.extra["kind"] == "recital"]
    assert len(recitals) == 173
    for c in gdpr.values():
        if c.extra["kind"] != "recital":
            whole = c.extra["kind"] == "article"
            assert c.section == (
                c.extra["article"] if whole else f"{c.extra['article']}({c.extra['paragraph']})"
            )


def test_gdpr_article_32_and_33(library: list[Chunk]) -> None:
    gdpr = by_framework(library, "gdpr")
    a32 = gdpr["Art. 32(1)"]
    assert a32.title == "Security of processing"
    assert a32.extra["article"] == "Art. 32" and a32.extra["chapter"] == "CHAPTER IV"
    assert a32.extra["section_title"] == "Security of personal data"
    assert "(a) the pseudonymisation and encryption of personal data;" in a32.text
    assert "2. In assessing" not in a32.text
    a33 = gdpr["Art. 33(1)"]
    assert a33.title == "Notification of a personal data breach to the supervisory authority"
    assert (
        "not later than 72 hours after having become aware of it, notify the personal data breach to the "
        "supervisory authority" in a33.text
    )
    assert "Art. 33" not in gdpr  # long article: only its paragraphs are units
    paragraphs = sorted(c.section for c in gdpr.values() if c.extra.get("article") == "Art. 33")
    assert paragraphs == [f"Art. 33({n})" for n in range(1, 6)]


def test_gdpr_short_article_definitions_and_recital(library: list[Chunk]) -> None:
    gdpr = by_framework(library, "gdpr")
    assert (
        gdpr["Art. 10"].title == "Processing of personal data relating to criminal convictions and offences"
    )
    assert "Point (f) of the first subparagraph shall not apply" in gdpr["Art. 6(1)"].text
    controller = gdpr["Art. 4(7)"]
    assert controller.extra["term"] == "controller"
    assert (
        "For the purposes of this Regulation:\n(7) ‘controller’ means the natural or legal person"
        in controller.text
    )
    r39 = gdpr["Recital 39"]
    assert r39.text.startswith("Recital 39\nAny processing of personal data should be lawful and fair.")


# --- OWASP ASVS 5.0 -----------------------------------------------------------------------------


def test_asvs(library: list[Chunk]) -> None:
    asvs = by_framework(library, "asvs-5.0")
    assert len(asvs) == 345
    levels = [c.extra["level"] for c in asvs.values()]
    assert (levels.count(1), levels.count(2), levels.count(3)) == (70, 183, 92)
    c = asvs["V6.2.1"]
    assert c.title == "Authentication / Password Security"
    assert c.extra["level"] == 1 and c.extra["chapter"] == "V6" and c.extra["parent"] == "V6.2"
    assert (
        "Verify that user set passwords are at least 8 characters in length although a minimum of 15 "
        "characters is strongly recommended." in c.text
    )


# --- NIST SP 800-171 Rev. 3 ---------------------------------------------------------------------


def test_800171(library: list[Chunk]) -> None:
    reqs = by_framework(library, "nist-800-171")
    assert len(reqs) == 97  # 130 requirements, 33 withdrawn
    assert "03.01.13" not in reqs  # withdrawn, addressed by 03.13.08
    assert len({c.extra["family"] for c in reqs.values()}) == 17
    c = reqs["03.01.01"]
    assert c.title == "Account Management" and c.extra["family_title"] == "Access Control"
    assert c.text.startswith(
        "03.01.01 Account Management\na. Define the types of system accounts allowed and prohibited."
    )
    assert (
        "  2. The accounts have been inactive for [Assignment: organization-defined time period]," in c.text
    )
    assert (
        "\n\nDiscussion: This requirement focuses on account management for systems and applications."
        in c.text
    )
    assert (
        "[Selection (one or more): lock the account or node for an [Assignment: organization-defined time "
        "period];" in reqs["03.01.08"].text
    )
