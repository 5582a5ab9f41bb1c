"""Gap-analysis units of NIS2, DORA, the CRA and the Privacy Framework (advisor/assessment/eu_units.py),
built from the library parsed in place from the corpus directory. Model-free."""

from __future__ import annotations

from collections import Counter

import pytest

from advisor.assessment.frameworks import FRAMEWORKS, requirements
from ingest.frameworks.library import load_framework


@pytest.fixture(scope="module")
def library(corpus_dir):
    return [
        c for key in ("nis2", "dora", "cra", "privacy-framework") for c in load_framework(corpus_dir, key)
    ]


def test_gap_sets_are_offered() -> None:
    assert {"nis2", "dora", "cra", "privacy-framework"} <= set(FRAMEWORKS)


def test_nis2_units(library) -> None:
    reqs = requirements(library, "nis2")
    assert [r.id for r in reqs] == [
        "Art. 20(1)",
        "Art. 20(2)",
        *(f"Art. 21(2)({p})" for p in "abcdefghij"),
        "Art. 23(1)",
        "Art. 23(2)",
        "Art. 23(4)",
    ]
    d = {r.id: r for r in reqs}
    assert d["Art. 21(2)(d)"].title == "Supply chain security"
    assert d["Art. 21(2)(d)"].statement.startswith(
        "supply chain security, including security-related aspects"
    )
    assert "within 24 hours" in d["Art. 23(4)"].statement
    assert d["Art. 21(2)(j)"].group == "Art. 21" and d["Art. 20(1)"].group == "Art. 20"
    assert d["Art. 21(2)(b)"].hint and len(d["Art. 21(2)(b)"].chunk_ids) == 1


def test_dora_units_by_pillar(library) -> None:
    reqs = requirements(library, "dora")
    assert [r.id for r in reqs] == [f"Art. {n}" for n in range(5, 31)]
    assert Counter(r.group for r in reqs) == {
        "ICT risk management": 12,
        "Incident management": 7,
        "Resilience testing": 4,
        "Third-party risk": 3,
    }
    art30 = {r.id: r for r in reqs}["Art. 30"]
    assert art30.title == "Key contractual provisions" and len(art30.chunk_ids) == 5


def test_cra_annex_points(library) -> None:
    reqs = requirements(library, "cra")
    assert len(reqs) == 22
    assert Counter(r.group for r in reqs) == {"Annex I, Part I": 14, "Annex I, Part II": 8}
    d = {r.id: r for r in reqs}
    assert d["Annex I, Part I, point 2(b)"].statement.startswith(
        "be made available on the market with a secure by default"
    )
    assert "software bill of materials" in d["Annex I, Part II, point 1"].statement
    assert (
        d["Annex I, Part II, point 5"].statement
        == "put in place and enforce a policy on coordinated vulnerability disclosure;"
    )


def test_privacy_framework_units(library) -> None:
    reqs = requirements(library, "privacy-framework")
    assert len(reqs) == 100
    assert Counter(r.group for r in reqs) == {"ID-P": 21, "GV-P": 20, "CT-P": 19, "CM-P": 10, "PR-P": 30}
    assert (
        reqs[0].id == "ID.IM-P1"
        and reqs[0].statement == "Systems/products/services that process data are inventoried."
    )


def test_800_171_reuses_evidence_of_mapped_800_53_controls(corpus_dir) -> None:
    library = load_framework(corpus_dir, "nist-800-171") + load_framework(corpus_dir, "nist-800-53")
    reqs = {r.id: r for r in requirements(library, "800-171")}
    assert len(reqs) == 97
    r = reqs["03.06.02"]
    assert r.claims[1:] == ("Incident Monitoring", "Incident Reporting", "Incident Response Assistance")
    assert r.mapping.startswith("evidence for SP 800-53 IR-5, IR-6, IR-7 counts (official")
    assert "[Assignment" not in r.statement


def test_gap_item_cites_the_mapping() -> None:
    from advisor.assessment.gaps import GapItem

    item = GapItem(
        "03.06.02", "t", "03.06", "Incident Response", "covered", 0.8, (), (), 0.7, mapping="via IR-6"
    )
    assert item.as_contract()["mapping"] == "via IR-6"
    assert "mapping" not in GapItem("x", "t", "g", "G", "missing", 0.5, (), ()).as_contract()
