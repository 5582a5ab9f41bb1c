"""Person names are found by general rules, not by a list of the demo clients' words."""

from __future__ import annotations

import pytest

from advisor.answering.names import has_person_name, person_names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("Owner: Priya Raman.", ["Priya Raman"]),
        (
            "The Incident Response Plan is owned by Dana Whitfield, Chief Information Security Officer.",
            ["Dana Whitfield"],
        ),
        ("Prepared by Hannah Berg, Head of Internal Audit", ["Hannah Berg"]),
        ("Karen O'Neil approved it.", ["Karen O'Neil"]),
        ("Meridian Family Health reviews access quarterly.", []),
        ("Ledgerly Payments must rotate keys.", []),
        ("Northbridge Assurance Partners LLC performed the assessment.", []),
        ("Cyber Research Lab and the Sample Organization", []),
        ("Business Continuity Plan and Acceptable Use Policy", []),
    ],
)
def test_person_names(text: str, names: list[str]) -> None:
    assert person_names(text) == names
    assert has_person_name(text) is bool(names)


def test_a_word_the_text_uses_in_lower_case_is_not_a_name() -> None:
    assert person_names("Zephyr Quell is the tool; every zephyr scan runs nightly.") == []
    assert person_names("Zephyr Quell runs the scans.") == ["Zephyr Quell"]
