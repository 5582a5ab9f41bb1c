"""Risks: the client's risk register. Heat map (inherent or residual), top risks table, proposals from the
confirmed findings and the client's risk-register documents to confirm or reject, and edits with a note.
Executives read only.

Streamlit calls over the core API only (:mod:`advisor.register`). ``render(ctx)`` takes the page
registry's ``Context``.
"""

from __future__ import annotations

import streamlit as st

from advisor.db import open_database
from advisor.errors import AdvisorError
from advisor.register.risks import TREATMENTS, Risk, RiskRegister
from ui.clients import offered_clients
from ui.context import Context
from ui.findings import key_of

TITLE = "Risks"
ICON = ":material/grid_on:"
TOP = 10


def rows(risks: list[Risk]) -> list[dict]:
    return [
        {
            "#": r.key,
            "ID": r.ref,
            "Risk": r.title,
            "Likelihood": r.likelihood,
            "Impact": r.impact,
            "Inherent": r.inherent,
            "Residual": r.residual,
            "Treatment": r.treatment,
            "Owner": r.owner,
            "Review": r.review_date,
            "Findings": ", ".join(r.findings),
        }
        for r in risks
    ]


def _propose(adv, reg: RiskRegister, client: str, user) -> None:
    from advisor.register.findings import FindingsRegister
    from advisor.register.risks import from_documents, from_findings

    documents = from_documents(adv.tenant_index(client, user=user).chunks, reg.scale)
    covered = {f for r in documents for f in r.findings}
    confirmed = FindingsRegister(reg.db).list(client, user=user)
    extra = [r for r in from_findings(confirmed, reg.scale) if r.findings[0] not in covered]
    result = reg.propose(client, documents + extra, user=user)
    st.success(f"{len(result['new'])} new proposals, {len(result['unchanged'])} already in the register")


def render(ctx: Context) -> None:
    from advisor.register.charts import risk_heatmap

    adv, user = ctx.adv, ctx.user
    st.title(TITLE)
    clients = offered_clients(adv, user)
    if not clients:
        return
    client = st.selectbox("Client", clients, key="risks_client")
    editor = user.role in ("admin", "consultant")
    reg = RiskRegister(open_database(adv.settings), scale=adv.settings.risk_scale)
    try:
        if editor and st.button(
            "Propose risks from findings and risk-register documents", key="risks_propose"
        ):
            _propose(adv, reg, client, user)
        pending = reg.list(client, user=user, review="proposed")
        if pending:
            st.subheader(f"Proposals awaiting review ({len(pending)})")
            st.dataframe(rows(pending), hide_index=True, use_container_width=True)
            if editor and st.button("Confirm all proposals", key="risks_confirm_all"):
                for r in pending:
                    reg.confirm(client, key_of(r), user=user)
                st.rerun()
        risks = reg.list(client, user=user)
        st.subheader(f"Register ({len(risks)})")
        if not risks:
            st.caption("The register is empty: propose risks and confirm them, or add one.")
            return
        residual = st.toggle("Show residual risk", key="risks_residual")
        st.image(risk_heatmap(risks, reg.scale, residual=residual), width=480)
        st.markdown(f"**Top {min(TOP, len(risks))} risks**")
        st.dataframe(rows(risks[:TOP]), hide_index=True, use_container_width=True)
        if editor:
            with st.form("risks_update"):
                st.markdown("**Edit a risk** (the note is kept in its history)")
                choice = st.selectbox("Risk", risks, format_func=lambda r: f"#{r.key} {r.ref} {r.title}")
                c1, c2, c3 = st.columns(3)
                rl = c1.number_input(
                    "Residual likelihood", 1, reg.scale, value=choice.residual_likelihood or 1
                )
                ri = c2.number_input("Residual impact", 1, reg.scale, value=choice.residual_impact or 1)
                treatment = c3.selectbox("Treatment", TREATMENTS)
                note = st.text_input("Note")
                if st.form_submit_button("Save"):
                    reg.update(
                        client,
                        key_of(choice),
                        user=user,
                        note=note,
                        residual_likelihood=int(rl),
                        residual_impact=int(ri),
                        treatment=treatment,
                    )
                    st.rerun()
    except AdvisorError as exc:
        st.error(str(exc))
