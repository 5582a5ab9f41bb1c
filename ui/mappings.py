"""A library clause's mappings to other frameworks: official ones from the publishers' texts, else
suggestions by similarity of text, each labelled (see :mod:`advisor.retrieval.crosswalk`)."""

from __future__ import annotations

import streamlit as st

from advisor.errors import AdvisorError
from advisor.retrieval.crosswalk import SUGGESTED, crosswalk
from advisor.service import Advisor

SUGGESTIONS = 5


def mapping_rows(adv: Advisor, framework: str, clause_id: str) -> tuple[list[dict], list[str]]:
    """(table rows, notes) for one clause; raises AdvisorError when the clause cannot be mapped."""
    cw = crosswalk(adv, clause_id, source_framework=framework, k=SUGGESTIONS)
    rows = [
        {
            "Framework": m.source,
            "Clause": m.section,
            "Title": m.title,
            "Mapping": m.label,
            "Score": "" if m.score is None else f"{m.score:.2f}",
        }
        for m in cw.mappings
    ]
    notes = []
    if cw.official:
        notes.append(f"Official mappings: {cw.official[0].basis}.")
    if any(m.kind == SUGGESTED for m in cw.mappings):
        notes.append(
            "Suggestions are by similarity of text, not an official mapping: a reviewer must judge them."
        )
    return rows, notes


def render_mappings(adv: Advisor, framework: str, clause_id: str) -> None:
    st.markdown("**Mappings to other frameworks**")
    try:
        rows, notes = mapping_rows(adv, framework, clause_id)
    except AdvisorError as exc:
        st.caption(f"No mappings: {exc}")
        return
    if not rows:
        st.caption("No related clauses found.")
        return
    st.dataframe(rows, hide_index=True)
    for note in notes:
        st.caption(note)
