"""Findings: the client's findings register. Extract proposals from the reports, confirm or reject them
(nothing unreviewed enters the register), update status with a note, see open findings by severity and
what is overdue. Executives read only.

Streamlit calls over the core API only (:mod:`advisor.register`). ``render(ctx)`` takes the page
registry's ``Context``.
"""

from __future__ import annotations

import streamlit as st

from advisor.db import open_database
from advisor.errors import AdvisorError
from advisor.register.findings import SEVERITIES, STATUSES, Finding, FindingsRegister
from advisor.register.risks import Risk
from ui.clients import offered_clients
from ui.context import Context

TITLE = "Findings"
ICON = ":material/assignment_late:"


def _md(text: str) -> str:
    from ui.export import escape_md

    return escape_md(text)


def key_of(entry: Finding | Risk) -> int:
    """The register number of an entry read from the register (always set there)."""
    if entry.key is None:
        raise AdvisorError(f"{entry.ref} is not in the register")
    return entry.key


def rows(findings: list[Finding]) -> list[dict]:
    """Table rows of the register (or of the proposals)."""
    return [
        {
            "#": f.key,
            "ID": f.ref,
            "Title": f.title,
            "Severity": f.severity or "?",
            "Owner": f.owner or "?",
            "Due": f.due or "?",
            "Status": f.status,
            "Status since": status_since(f),
            "Overdue": "yes" if f.overdue() else "",
            "Source": f"{f.source} p. {f.page}" if f.page else f.source,
            "Update of": f"#{f.replaces}" if f.replaces else "",
        }
        for f in findings
    ]


def status_since(f: Finding) -> str:
    """When and by whom the status last changed: a report's date and the report ("2026-03-16, report
    HIPAA_Risk_Assessment_2026.pdf"), or a person's change ("2026-05-02, carl"); empty when never changed."""
    changes = [h for h in f.history if "status" in (h.get("changes") or {}) and h["action"] != "proposed"]
    if not changes:
        doc = stated_status(f)
        return f"{doc['date']}, report {doc['source']}" if doc else ""
    last = sorted(changes, key=lambda h: h.get("date") or h["ts"][:10])[-1]
    cite = last.get("citation") or {}
    who = f"report {cite['source']}" if cite else last["user"]
    return f"{last.get('date') or last['ts'][:10]}, {who}"


def stated_status(f: Finding) -> dict | None:
    """The dated status a report states for a proposal (``status_from`` of its latest reading)."""
    readings = [h for h in f.history if h["action"] in ("proposed", "reproposed")]
    return (readings[-1].get("changes") or {}).get("status_from") if readings else None


def severity_counts(findings: list[Finding]) -> list[dict]:
    return [
        {
            "severity": s,
            "open": sum(1 for f in findings if f.is_open and f.severity == s),
            "overdue": sum(1 for f in findings if f.overdue() and f.severity == s),
        }
        for s in SEVERITIES
    ]


def _chart(findings: list[Finding]) -> None:
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(severity_counts(findings)).melt("severity", var_name="kind", value_name="count")
    chart = (
        alt.Chart(data)
        .mark_bar()
        .encode(
            x=alt.X("severity:N", sort=list(SEVERITIES), title="Severity"),
            y=alt.Y("count:Q", title="Findings"),
            color=alt.Color("kind:N", title=""),
            xOffset="kind:N",
        )
    )
    st.altair_chart(chart, use_container_width=True)


def _proposals(adv, reg: FindingsRegister, client: str, user, editor: bool) -> None:
    pending = reg.list(client, user=user, review="proposed", history=True)
    st.subheader(f"Proposals awaiting review ({len(pending)})")
    if editor and st.button("Extract proposals from the client's reports", key="findings_extract"):
        from advisor.register.extract import extract_for_client

        result = reg.propose(client, extract_for_client(adv, client, user=user), user=user)
        st.success(
            f"{len(result['new'])} new, {len(result['updates'])} updates, "
            f"{len(result['unchanged'])} unchanged"
        )
        pending = reg.list(client, user=user, review="proposed", history=True)
    if not pending:
        st.caption("No proposals. Nothing enters the register until a consultant confirms it.")
        return
    st.dataframe(rows(pending), hide_index=True, use_container_width=True)
    for f in pending:
        with st.expander(f"#{f.key} {f.ref} {f.title}"):
            st.markdown(f"> {_md(f.quote)}")
            st.caption(f"{f.source}, page {f.page}" if f.page else f.source)
            doc = stated_status(f)
            if doc:
                status = f.status.replace("_", " ")
                st.info(f"Status {status} as of {doc['date']}: {_md(doc.get('note') or '')}")
            if not editor:
                continue
            c1, c2 = st.columns(2)
            owner = c1.text_input("Owner", f.owner, key=f"findings_owner_{f.key}")
            due = c2.text_input("Due date (YYYY-MM-DD)", f.due or "", key=f"findings_due_{f.key}")
            b1, b2 = st.columns(2)
            if b1.button("Confirm", key=f"findings_confirm_{f.key}"):
                edits = {k: v for k, v in (("owner", owner), ("due", due)) if v and v != getattr(f, k)}
                reg.confirm(client, key_of(f), user=user, edits=edits)
                st.rerun()
            if b2.button("Reject", key=f"findings_reject_{f.key}"):
                reg.reject(client, key_of(f), user=user)
                st.rerun()


def _register(reg: FindingsRegister, client: str, user, editor: bool) -> None:
    found = reg.list(client, user=user, history=True)
    st.subheader(f"Register ({len(found)})")
    if not found:
        st.caption("The register is empty: confirm proposals first.")
        return
    open_ = [f for f in found if f.is_open]
    m1, m2, m3 = st.columns(3)
    m1.metric("Open", len(open_))
    m2.metric("Critical or high open", sum(1 for f in open_ if f.severity in ("critical", "high")))
    m3.metric("Overdue", sum(1 for f in found if f.overdue()))
    _chart(found)
    st.dataframe(rows(found), hide_index=True, use_container_width=True)
    if not editor:
        return
    with st.form("findings_update"):
        st.markdown("**Update a finding** (the note is kept in its history)")
        choice = st.selectbox("Finding", found, format_func=lambda f: f"#{f.key} {f.ref} {f.title}")
        status = st.selectbox("Status", STATUSES)
        note = st.text_input("Note")
        if st.form_submit_button("Save"):
            reg.update(client, key_of(choice), user=user, status=status, note=note)
            st.rerun()


def render(ctx: Context) -> None:
    adv, user = ctx.adv, ctx.user
    st.title(TITLE)
    clients = offered_clients(adv, user)
    if not clients:
        return
    client = st.selectbox("Client", clients, key="findings_client")
    editor = user.role in ("admin", "consultant")
    reg = FindingsRegister(open_database(adv.settings))
    try:
        _proposals(adv, reg, client, user, editor)
        _register(reg, client, user, editor)
    except AdvisorError as exc:
        st.error(str(exc))
