"""Vendors: the client's vendor inventory read from its vendor registers and contracts, with flags and the
row that supports each (unknowns shown as unknown), the reviews people recorded, and (for consultants and
admins) a form to record a review made without a document. Streamlit calls over the core API only."""

from __future__ import annotations

from datetime import date

import streamlit as st

from advisor.db import open_database
from advisor.errors import AdvisorError
from advisor.register.vendor_reviews import OUTCOMES, VendorReviews, client_inventory
from advisor.register.vendors import Vendor
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
            "Last recorded review": v.recorded[0].citation if v.recorded else "",
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
        vendors = client_inventory(adv, client, user=user, as_of=as_of)
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
    _reviews(adv, client, user, vendors)


def _reviews(adv, client: str, user, vendors: list[Vendor]) -> None:
    """The reviews people recorded, and the form to record one (consultants and admins)."""
    recorded = [r for v in vendors for r in v.recorded]
    st.subheader(f"Recorded reviews ({len(recorded)})")
    if recorded:
        st.dataframe(
            [{"Vendor": r.vendor, "Outcome": r.outcome, "Note": r.note, "By": r.citation} for r in recorded],
            hide_index=True,
            use_container_width=True,
        )
    else:
        st.caption("No review has been recorded; the assessment age comes from the documents alone.")
    if user.role not in ("admin", "consultant"):
        return
    with st.form("vendors_review"):
        st.markdown("**Record a review** (made without a document; it counts for the assessment age)")
        vendor = st.selectbox("Vendor", sorted({v.name for v in vendors}))
        when = st.date_input("Review date", date.today(), max_value=date.today())
        outcome = st.selectbox("Outcome", OUTCOMES, index=OUTCOMES.index("noted"))
        note = st.text_area("Note (what was reviewed and found)")
        if st.form_submit_button("Record review"):
            try:
                VendorReviews(open_database(adv.settings)).record(
                    client, vendor, user=user, when=when.isoformat(), note=note, outcome=outcome
                )
            except AdvisorError as exc:
                st.error(str(exc))
            else:
                st.rerun()
