"""Vendors: the client's vendor inventory read from its vendor registers and contracts, with flags and the
row that supports each (unknowns shown as unknown). Streamlit calls over the core API only."""

from __future__ import annotations

from datetime import date

import streamlit as st

from advisor.errors import AdvisorError
from advisor.register.vendors import Vendor, inventory
from ui.clients import offered_clients
from ui.context import Context

TITLE = "Vendors"
ICON = ":material/storefront:"


def rows(vendors: list[Vendor]) -> list[dict]:
    return [
        {
            "Vendor": v.name,
            "Service": v.service,
            "Data": ", ".join(v.data) if v.data_known else "unknown",
            "Criticality": v.criticality,
            "BAA": v.baa,
            "Location": v.location,
            "Transfer": v.transfer,
            "Last assessment": v.assessed,
            "Agreements found": "; ".join(f"{a.kind} ({a.source})" for a in v.agreements),
            "Flags": "; ".join(f.text for f in v.flags),
            "Source": v.source,
        }
        for v in vendors
    ]


def render(ctx: Context) -> None:
    from ui.export import escape_md

    adv, user = ctx.adv, ctx.user
    st.title(TITLE)
    clients = offered_clients(adv, user)
    if not clients:
        return
    client = st.selectbox("Client", clients, key="vendors_client")
    as_of = st.date_input("Judge assessment age as of", date.today(), key="vendors_as_of")
    try:
        vendors = inventory(adv.tenant_index(client, user=user).chunks, as_of)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    if not vendors:
        st.info(
            "No vendor register, sub-processor list or third-party register found in this client's documents."
        )
        return
    flagged = [v for v in vendors if v.flags]
    c1, c2 = st.columns(2)
    c1.metric("Vendors", len(vendors))
    c2.metric("Flagged", len(flagged))
    for v in flagged:
        for f in v.flags:
            st.warning(f'**{escape_md(f.text)}** — {escape_md(v.source)}: "{escape_md(f.quote)}"')
    st.dataframe(rows(vendors), hide_index=True, use_container_width=True)
    st.caption("'unknown' means the documents do not state it; it is not counted as a failure.")
