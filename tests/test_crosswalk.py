"""Crosswalks (advisor/retrieval/crosswalk.py, `vciso map`): official SP 800-171 -> SP 800-53 mappings from
the catalog,
their reverse, and labelled suggestions for everything else. Fake embeddings: the suggestions' order is not
the point here, their labels and frameworks are."""

from __future__ import annotations

import json

import pytest

from advisor.cli import main
from advisor.retrieval.crosswalk import (
    OFFICIAL,
    SUGGESTED,
    SUGGESTED_LABEL,
    UnknownClause,
    UnknownFrameworkName,
    crosswalk,
    framework_key,
    official_label,
)


def test_framework_key_from_what_users_type() -> None:
    assert framework_key("800-53") == "nist-800-53"
    assert framework_key("SP 800-171") == "nist-800-171"
    assert framework_key("NIS2") == "nis2"
    assert framework_key("csf") == "csf-2.0"
    with pytest.raises(UnknownFrameworkName):
        framework_key("pci-dss")


def test_official_800_171_to_800_53(fake_advisor) -> None:
    cw = crosswalk(fake_advisor, "03.05.03", to="800-53")
    assert cw.clause.section == "03.05.03" and cw.clause.framework == "nist-800-171"
    assert [(m.section, m.kind) for m in cw.mappings] == [("IA-2(1)", OFFICIAL), ("IA-2(2)", OFFICIAL)]
    assert all(
        m.label == official_label("nist-800-171") and m.source == "NIST SP 800-53 Rev. 5" for m in cw.mappings
    )
    assert "SP 800-171 Rev. 3 catalog" in cw.mappings[0].basis


def test_official_reverse_800_53_to_800_171(fake_advisor) -> None:
    cw = crosswalk(fake_advisor, "IR-6", to="800-171")
    assert [m.section for m in cw.official] == ["03.06.02"]


def test_suggestions_are_labelled_and_from_the_target(fake_advisor) -> None:
    cw = crosswalk(fake_advisor, "NIS2 Art. 21(2)(d)", to="800-53", k=5)
    assert cw.clause.section == "Art. 21(2)" and cw.clause.framework == "nis2"
    assert len(cw.mappings) == 5
    assert all(
        m.kind == SUGGESTED
        and m.label == SUGGESTED_LABEL
        and m.framework == "nist-800-53"
        and m.score is not None
        for m in cw.mappings
    )


def test_unknown_clause() -> None:
    with pytest.raises(UnknownClause):
        from advisor.retrieval.crosswalk import resolve

        resolve([], "hello there")


def test_cli_map_json_and_text(fake_settings, monkeypatch, capsys) -> None:
    monkeypatch.setenv("VCISO_DATA_DIR", str(fake_settings.data_dir))
    monkeypatch.setenv("VCISO_EMBEDDING", "fake")
    assert main(["map", "03.05.03", "--to", "800-53", "--json"]) == 0
    out = json.loads(capsys.readouterr().out)
    assert [m["section"] for m in out["mappings"]] == ["IA-2(1)", "IA-2(2)"]
    assert {m["kind"] for m in out["mappings"]} == {"official"}
    assert main(["map", "03.05.03", "--to", "800-53"]) == 0
    text = capsys.readouterr().out
    assert "IA-2(1)" in text and f"[{official_label('nist-800-171')}]" in text
    assert main(["map", "no such clause"]) == 2


def test_library_page_mapping_rows(fake_advisor) -> None:
    from ui.mappings import mapping_rows

    rows, notes = mapping_rows(fake_advisor, "nist-800-171", "03.05.03")
    assert [(r["Clause"], r["Mapping"]) for r in rows[:2]] == [
        ("IA-2(1)", official_label("nist-800-171")),
        ("IA-2(2)", official_label("nist-800-171")),
    ]
    assert any(r["Mapping"] == SUGGESTED_LABEL and r["Score"] for r in rows[2:])
    assert notes[0].startswith("Official mappings: NIST SP 800-171 Rev. 3 catalog") and len(notes) == 2
    rows, _ = mapping_rows(
        fake_advisor, "cra", "Annex I, Part II, points 1-3"
    )  # a split unit, by its exact id
    assert rows and all(r["Mapping"] == SUGGESTED_LABEL for r in rows)


def test_crosswalk_quality_metric(fake_advisor) -> None:
    from evals.crosswalk import crosswalk_recall

    out = crosswalk_recall(fake_advisor, k=10)
    assert out["requirements"] == 97
    assert out["official_recall@10"] >= 0.99  # 1.0 but for a requirement with more than 10 source controls
    assert 0.0 <= out["suggested_recall@10"] <= 1.0
