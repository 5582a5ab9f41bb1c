"""Audit log: every answer given, filterable by client, user and date (open one with its citations); and the
security events (sign-ins, uploads, deletions, exports, user changes, reviews, refused access) by type."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import streamlit as st

from advisor.access.audit import AuditRecord
from advisor.access.security_log import EVENT_TYPES, SecurityEvent, SecurityLog
from advisor.errors import AdvisorError
from advisor.models import Citation
from ui.context import Context
from ui.export import answer_markdown, escape_md

TITLE = "Audit log"
ICON = ":material/history:"

LIBRARY = "(built-in library only)"
ANY = "(all)"


def visible_records(
    ctx: Context, scope: str, username: str | None, since=None, until=None
) -> list[AuditRecord]:
    """Records the user may see. ``scope``: ANY, LIBRARY or a client id.

    Client records only for clients the user may read (the filter is passed to the audit log);
    library-only records (no client data) for admins, and for others only their own.
    """
    allowed = ctx.adv.clients(user=ctx.user)
    records: list[AuditRecord] = []
    if scope != LIBRARY:
        clients = allowed if scope == ANY else [c for c in allowed if c == scope]
        records += ctx.adv.audit.list(user=username, since=since, until=until, limit=500, clients=clients)
    if scope in (ANY, LIBRARY):
        admin = ctx.user.role == "admin"
        if admin or username in (None, ctx.user.username):
            who = username if admin else ctx.user.username
            records += [
                r
                for r in ctx.adv.audit.list(user=who, since=since, until=until, limit=500)
                if r.client is None
            ]
    return sorted(records, key=lambda r: (r.ts, r.id), reverse=True)


def render_record(record: AuditRecord) -> None:
    with st.container(border=True):
        st.caption(
            escape_md(
                f"#{record.id} · {record.ts[:19].replace('T', ' ')} UTC · {record.user} · "
                f"{record.client or 'library only'} · {record.audience} · {record.engine} · "
                f"{record.latency_ms:.0f} ms"
            )
        )
        st.markdown("**Question**")
        st.text(record.question)
        st.markdown("**Answer**" + (" (abstained)" if record.abstained else ""))
        st.markdown(answer_markdown(record.answer))
        if record.citations:
            st.markdown("**Citations**")
            for c in record.citations:
                where = Citation.from_contract(c).locator()
                owner = c.get("client") or "library"
                st.markdown(
                    f"\\[{c.get('n')}\\] **{escape_md(str(c.get('source')))}** "
                    f"{escape_md(where)} — {escape_md(owner)}"
                )
                st.markdown("> " + escape_md(str(c.get("quote", ""))).replace("\n", "\n> "))
        if record.feedback:
            icon = "👍" if record.feedback == "up" else "👎"
            st.markdown(f"Feedback: {icon} {escape_md(record.feedback_comment)}")


def visible_events(
    ctx: Context,
    event: str | None,
    username: str | None,
    since=None,
    until=None,
) -> list[SecurityEvent]:
    """Security events the user may see: admins every event; others the events of the clients they may read
    and their own events that concern no client (their sign-ins)."""
    log = SecurityLog(ctx.adv.audit.db)
    if ctx.user.role == "admin":
        return log.list(event=event, user=username, since=since, until=until, limit=500)
    allowed = ctx.adv.clients(user=ctx.user)
    scoped = (
        log.list(
            event=event,
            user=username,
            clients=allowed,
            include_unscoped=False,
            since=since,
            until=until,
            limit=500,
        )
        if allowed
        else []
    )
    own = (
        [
            e
            for e in log.list(event=event, user=ctx.user.username, since=since, until=until, limit=500)
            if e.client is None
        ]
        if username in (None, ctx.user.username)
        else []
    )
    return sorted(scoped + own, key=lambda e: (e.ts, e.id), reverse=True)


def render_events(ctx: Context) -> None:
    c1, c2 = st.columns([2, 3])
    with c1:
        choice = st.selectbox("Event type", [ANY, *EVENT_TYPES], key="audit_event")
    with c2:
        who = st.text_input("User", key="audit_event_user", placeholder="any user")
    try:
        events = visible_events(ctx, None if choice == ANY else choice, who.strip().lower() or None)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    if not events:
        st.info("No security events match these filters.")
        return
    st.dataframe(
        [
            {
                "#": e.id,
                "When (UTC)": e.ts[:19].replace("T", " "),
                "Event": e.event,
                "User": e.user,
                "From": e.source,
                "Client": e.client or "",
                "Object": e.object,
                "Outcome": e.outcome,
                "Detail": e.detail,
            }
            for e in events
        ],
        hide_index=True,
        width="stretch",
        key="audit_events",
    )


def render(ctx: Context) -> None:
    st.title("Audit log")
    answers, security = st.tabs(["Answers", "Security events"])
    with answers:
        render_answers(ctx)
    with security:
        render_events(ctx)


def render_answers(ctx: Context) -> None:
    allowed = ctx.adv.clients(user=ctx.user)
    c1, c2, c3 = st.columns([2, 2, 3])
    with c1:
        client_choice = st.selectbox("Client", [ANY, *allowed, LIBRARY], key="audit_client")
    with c2:
        user_filter = st.text_input("User", key="audit_user", placeholder="any user")
    with c3:
        today = datetime.now(UTC).date()
        span = st.date_input("Dates (UTC)", value=(today - timedelta(days=30), today), key="audit_dates")
    since, until = span if isinstance(span, tuple) and len(span) == 2 else (None, None)
    try:
        records = visible_records(ctx, client_choice, user_filter.strip().lower() or None, since, until)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    if not records:
        st.info("No answers match these filters.")
        return
    rows = [
        {
            "#": r.id,
            "When (UTC)": r.ts[:16].replace("T", " "),
            "User": r.user,
            "Client": r.client or "library",
            "Question": r.question[:90],
            "Citations": len(r.citations),
            "Abstained": r.abstained,
            "Feedback": r.feedback or "",
        }
        for r in records
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    by_id = {r.id: r for r in records}
    chosen = st.selectbox(
        "Open a record",
        list(by_id),
        key="audit_open",
        format_func=lambda i: f"#{i} — {by_id[i].question[:80]}",
    )
    if chosen is not None:
        render_record(by_id[chosen])
