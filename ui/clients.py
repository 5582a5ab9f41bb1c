"""The clients a page may offer: only those assigned to the signed-in user (the core enforces it too)."""

from __future__ import annotations

import streamlit as st

from advisor.errors import AdvisorError


def offered_clients(adv, user) -> list[str]:
    """The user's clients; shows why when there are none (or the store cannot be read)."""
    try:
        clients = adv.clients(user=user)
    except AdvisorError as exc:
        st.error(str(exc))
        return []
    if not clients:
        st.info("No client is available to you. Ingest a client's documents first.")
    return clients
