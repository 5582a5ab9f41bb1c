"""Portfolio: the consultant's home page — every client the user may see, with open findings by severity,
overdue items, top risks, vendors flagged and last activity; a chart of open findings per client, one of
overdue items and one of open findings over the last four quarters (the trend). Executives see their own
client only, in plain language. Each client links to its detail pages (findings, risks, vendors)."""

from __future__ import annotations

import streamlit as st

from advisor.errors import AdvisorError
from advisor.register.findings import SEVERITIES
from advisor.register.portfolio import ClientSummary, summarize
from ui.context import Context

TITLE = "Portfolio"
ICON = ":material/dashboard:"


def _pct(value: float | None) -> str:
    return "n/a" if value is None else f"{value:g}%"


def table(rows: list[ClientSummary]) -> list[dict]:
    return [
        {
            "Client": r.client,
            "Open findings": r.open_findings,
            "Trend (4 quarters)": " → ".join(str(n) for _, n in r.open_trend),
            **{s.title(): r.open_by_severity[s] for s in SEVERITIES},
            "Overdue": r.overdue,
            "Awaiting review": r.proposals,
            "Top risk": f"{r.top_risks[0][0]} ({r.top_risks[0][2]})" if r.top_risks else "",
            "Vendors flagged": f"{r.vendors_flagged} of {r.vendors}",
            "Gap coverage": "; ".join(f"{c.title} {_pct(c.coverage_pct)}" for c in r.coverage)
            or "not assessed",
            "Last activity": (r.last_activity or "")[:16].replace("T", " "),
        }
        for r in rows
    ]


def _charts(rows: list[ClientSummary]) -> None:
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(
        [{"client": r.client, "severity": s, "open": r.open_by_severity[s]} for r in rows for s in SEVERITIES]
    )
    c1, c2 = st.columns(2)
    c1.altair_chart(
        alt.Chart(data, title="Open findings by severity")
        .mark_bar()
        .encode(
            x=alt.X("client:N", title=""),
            y=alt.Y("sum(open):Q", title="Open findings"),
            color=alt.Color(
                "severity:N",
                sort=list(SEVERITIES),
                scale=alt.Scale(
                    domain=list(SEVERITIES), range=["#8b0000", "#d9534f", "#f0ad4e", "#5bc0de", "#cccccc"]
                ),
            ),
        ),
        use_container_width=True,
    )
    late = pd.DataFrame(
        [
            {"client": r.client, "kind": k, "count": v}
            for r in rows
            for k, v in (("overdue findings", r.overdue), ("flagged vendors", r.vendors_flagged))
        ]
    )
    c2.altair_chart(
        alt.Chart(late, title="Overdue findings and flagged vendors")
        .mark_bar()
        .encode(
            x=alt.X("client:N", title=""),
            y=alt.Y("count:Q", title=""),
            color=alt.Color("kind:N", title=""),
            xOffset="kind:N",
        ),
        use_container_width=True,
    )
    trend = pd.DataFrame([{"client": r.client, "day": d, "open": n} for r in rows for d, n in r.open_trend])
    if not trend.empty:
        st.altair_chart(
            alt.Chart(trend, title="Open findings, last four quarters")
            .mark_line(point=True)
            .encode(
                x=alt.X("day:T", title=""),
                y=alt.Y("open:Q", title="Open findings"),
                color=alt.Color("client:N", title=""),
            ),
            use_container_width=True,
        )
    coverage = pd.DataFrame(
        [
            {"client": r.client, "framework": c.title, "coverage": c.coverage_pct}
            for r in rows
            for c in r.coverage
            if c.coverage_pct is not None
        ]
    )
    if coverage.empty:
        st.caption("Gap coverage: no gap analysis has finished for these clients yet.")
        return
    st.altair_chart(
        alt.Chart(coverage, title="Gap coverage per framework assessed (%)")
        .mark_bar()
        .encode(
            x=alt.X("client:N", title=""),
            y=alt.Y("coverage:Q", title="Coverage %", scale=alt.Scale(domain=[0, 100])),
            color=alt.Color("framework:N", title=""),
            xOffset="framework:N",
        ),
        use_container_width=True,
    )


def _plain(r: ClientSummary) -> None:
    """An executive's view of their own client, in plain language."""
    serious = r.open_by_severity["critical"] + r.open_by_severity["high"]
    st.markdown(f"### {r.client}")
    st.markdown(
        f"- **{r.open_findings}** problems found by auditors are still open; **{serious}** of them are "
        f"serious (critical or high)."
    )
    if r.open_trend and r.open_trend[0][1] != r.open_findings:
        day, before = r.open_trend[0]
        st.markdown(f"- On {day}, {before} were open: {'fewer' if r.open_findings < before else 'more'} now.")
    st.markdown(
        f"- **{r.overdue}** are past the date by which they were to be fixed"
        + (f" ({', '.join(r.overdue_refs)})." if r.overdue_refs else ".")
    )
    if r.top_risks:
        ref, title, score = r.top_risks[0]
        st.markdown(f"- The biggest risk on the register is {ref}: {title} (score {score}).")
    st.markdown(f"- **{r.vendors_flagged}** of {r.vendors} vendors need attention.")
    for c in r.coverage:
        if c.coverage_pct is not None:
            st.markdown(
                f"- Against {c.title}, about **{c.coverage_pct:.0f}%** of the requirements are met by "
                f"documented practice (gap analysis of {c.assessed_at[:10]})."
            )


def render(ctx: Context) -> None:
    from ui.context import goto

    adv, user = ctx.adv, ctx.user
    st.title(TITLE)
    try:
        rows = summarize(adv, user=user)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    if not rows:
        st.info("No client is available to you yet.")
        return
    if user.role == "executive":
        for r in rows:
            _plain(r)
    st.dataframe(table(rows), hide_index=True, use_container_width=True)
    _charts(rows)
    st.subheader("Details")
    for r in rows:
        cols = st.columns(4)
        cols[0].markdown(f"**{r.client}**")
        for col, (label, page) in zip(
            cols[1:], (("Findings", "findings"), ("Risks", "risks"), ("Vendors", "vendors"))
        ):
            if col.button(label, key=f"portfolio_{page}_{r.client}"):
                st.session_state[f"{page}_client"] = r.client
                goto(page)
