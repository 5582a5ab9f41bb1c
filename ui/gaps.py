"""Gaps: where does a client stand against a framework? Coverage heatmap by function / family / section,
filters, drill-down to the evidence and the audit findings, and exports (xlsx, csv, md, json).

Streamlit calls over the core API only (:mod:`advisor.assessment`). ``render(ctx)`` takes the page
registry's ``Context``.
"""

from __future__ import annotations

import io
import json

import streamlit as st

from advisor.assessment import export
from advisor.assessment.frameworks import FRAMEWORKS
from advisor.assessment.gaps import STATUSES, GapItem, GapReport, analyze
from advisor.errors import AdvisorError
from advisor.models import Citation
from ui import recorded
from ui.clients import offered_clients
from ui.context import Context

TITLE = "Gaps"
ICON = ":material/fact_check:"
RESULT_KEY = "gaps_result"
STATUS_LABEL = {"covered": "Covered", "partial": "Partial", "missing": "Missing", "not_applicable": "N/A"}


def _md(text: str) -> str:
    """Document text shown literally (no links, images, HTML or emphasis)."""
    from ui.export import escape_md

    return escape_md(text)


def heatmap_rows(report: GapReport) -> list[dict]:
    """Long-form rows for the heatmap: one per (group, status) with the count and the group's coverage."""
    rows = []
    for g in report.summary["groups"]:
        label = f"{g['group']} {g['title']}".strip()
        for status in STATUSES:
            rows.append(
                {
                    "group": label,
                    "status": STATUS_LABEL[status],
                    "count": g[status],
                    "coverage": g["coverage_pct"],
                }
            )
    return rows


def _heatmap(report: GapReport) -> None:
    import altair as alt
    import pandas as pd

    data = pd.DataFrame(heatmap_rows(report))
    order = [STATUS_LABEL[s] for s in STATUSES]
    base = alt.Chart(data).encode(
        x=alt.X("status:N", sort=order, title=None, axis=alt.Axis(orient="top", labelAngle=0)),
        y=alt.Y("group:N", sort=None, title=None),
    )
    cells = base.mark_rect().encode(
        color=alt.Color("count:Q", scale=alt.Scale(scheme="orangered"), legend=None),
        tooltip=["group", "status", "count", alt.Tooltip("coverage:Q", title="coverage %")],
    )
    text = base.mark_text().encode(text="count:Q")
    cov = (
        alt.Chart(data.drop_duplicates("group"))
        .mark_rect()
        .encode(
            y=alt.Y("group:N", sort=None, title=None, axis=None),
            color=alt.Color(
                "coverage:Q", scale=alt.Scale(domain=[0, 100], scheme="redyellowgreen"), title="coverage %"
            ),
            tooltip=["group", alt.Tooltip("coverage:Q", title="coverage %")],
        )
    )
    cov_text = (
        alt.Chart(data.drop_duplicates("group"))
        .mark_text()
        .encode(y=alt.Y("group:N", sort=None, axis=None), text=alt.Text("coverage:Q", format=".0f"))
    )
    height = max(120, 26 * len(report.summary["groups"]))
    chart = alt.hconcat(
        (cells + text).properties(width=360, height=height),
        (cov + cov_text).properties(width=60, height=height, title="Coverage %"),
    )
    st.altair_chart(chart)


def _exports(report: GapReport, adv, user) -> None:
    stem = f"gaps_{report.client}_{report.framework}"
    buf = io.BytesIO()
    export.to_xlsx(report, buf)  # type: ignore[arg-type]  # openpyxl saves to a file object as well

    def rec(what: str, value):
        return recorded.exporting(
            adv, user, f"gap report {what}", report.client, report.framework, lambda: value
        )

    cols = st.columns(4)
    cols[0].download_button(
        "Excel",
        rec("Excel", buf.getvalue()),
        f"{stem}.xlsx",
        key="gaps_dl_xlsx",
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    cols[1].download_button(
        "CSV", rec("CSV", export.to_csv(report)), f"{stem}.csv", mime="text/csv", key="gaps_dl_csv"
    )
    cols[2].download_button(
        "Markdown",
        rec("Markdown", export.to_markdown(report)),
        f"{stem}.md",
        mime="text/markdown",
        key="gaps_dl_md",
    )
    cols[3].download_button(
        "JSON",
        rec("JSON", json.dumps(report.as_contract(), indent=2)),
        f"{stem}.json",
        mime="application/json",
        key="gaps_dl_json",
    )


def filter_items(report: GapReport, statuses, groups, text: str = "", with_findings: bool = False) -> list:
    """Items matching the filters (pure, for tests)."""
    text = text.strip().lower()
    return [
        i
        for i in report.items
        if i.status in statuses
        and (not groups or i.group in groups)
        and (not text or text in i.id.lower() or text in i.title.lower())
        and (not with_findings or i.findings)
    ]


def _drill_down(items) -> None:
    if not items:
        st.info("No requirement matches the filters.")
        return
    by_id = {i.id: i for i in items}
    chosen = st.selectbox(
        "Requirement",
        list(by_id),
        key="gaps_pick",
        format_func=lambda k: f"{k} · {STATUS_LABEL[by_id[k].status]} · {by_id[k].title[:70]}",
    )
    item = by_id[chosen]
    st.markdown(
        f"**{_md(item.id)} — {_md(item.title)}**  \n{STATUS_LABEL[item.status]}, "
        f"confidence {item.confidence:.2f}"
    )
    if item.findings:
        st.markdown("**Audit findings that contradict the policy**")
        for f in item.findings:
            where = f"{f['source']}" + (f", p. {f['page']}" if f.get("page") else "")
            st.warning(
                f"{_md(f['id'])} {_md(f['title'])} ({_md(f.get('severity') or 'n/a')}) — {_md(where)}  \n"
                f"“{_md(f['quote'])}”"
            )
    if item.evidence:
        st.markdown("**Evidence in the client's documents**")
        for e in item.evidence:
            where = " · ".join(x for x in (e["source"], Citation.from_contract(e).locator()) if x)
            st.markdown(f"[{e['n']}] {_md(where)}  \n> {_md(e['quote'])}")
    elif not item.findings:
        st.caption("No client document states this requirement.")


def report_from_job(client: str, result: dict) -> GapReport:
    """A finished gap-analysis job's result (the `gaps --json` contract) as the report the page shows."""
    items = tuple(
        GapItem(
            id=i["id"],
            title=i["title"],
            group=i.get("group", ""),
            group_title=i.get("group_title", ""),
            status=i["status"],
            confidence=i["confidence"],
            evidence=tuple(i.get("evidence", ())),
            findings=tuple(i.get("findings", ())),
            strength=i.get("strength", 0.0),
            mapping=i.get("mapping", ""),
        )
        for i in result.get("items", [])
    )
    return GapReport(framework=result["framework"], client=client, items=items, summary=result["summary"])


def _background(ctx: Context, client: str, framework: str) -> GapReport | None:
    """Run the analysis as a job (recorded: the portfolio and the posture report show its coverage), and
    show the latest recorded analysis of this framework on request."""
    from advisor.assessment.jobs import GAPS, submit_gaps
    from ui.context import job_queue, worker

    queue = job_queue()
    left, right = st.columns(2)
    if left.button("Run as a background job (recorded for the portfolio)", key="gaps_job"):
        try:
            job = submit_gaps(queue, ctx.user, client, framework)
        except AdvisorError as exc:
            st.error(str(exc))
            return None
        running = worker()
        if running is not None:
            running.notify()
        st.toast(f"Gap analysis job {job.id} queued")
    jobs = [
        j for j in queue.list(client=client, kind=GAPS, limit=20) if j.params.get("framework") == framework
    ]
    if jobs and jobs[0].active:
        right.info(f"Gap analysis job {jobs[0].id} is {jobs[0].status}.")
        right.button("Refresh", key="gaps_job_refresh")
    done = next((j for j in jobs if j.status == "succeeded" and j.result), None)
    if done is not None and right.button(
        f"Show the recorded analysis of {(done.finished_at or '')[:16].replace('T', ' ')}",
        key="gaps_job_show",
    ):
        return report_from_job(client, done.result or {})
    return None


def render(ctx: Context) -> None:
    adv, user = ctx.adv, ctx.user
    st.title("Gaps")
    st.caption(
        "A client's documents mapped against a framework. Evidence comes from the client's own documents "
        "only; an audit finding that contradicts the policy makes a requirement partial, not covered."
    )
    clients = offered_clients(adv, user)
    if not clients:
        return
    left, right = st.columns(2)
    client = left.selectbox("Client", clients, key="gaps_client")
    framework = right.selectbox(
        "Framework", list(FRAMEWORKS), format_func=lambda k: FRAMEWORKS[k], key="gaps_framework"
    )
    recorded_run = _background(ctx, client, framework)
    if recorded_run is not None:
        st.session_state[RESULT_KEY] = recorded_run
    result: GapReport | None = st.session_state.get(RESULT_KEY)
    if st.button("Run gap analysis", type="primary", key="gaps_run"):
        bar = st.progress(0.0, text="Searching the client's documents…")

        def progress(done: int, total: int) -> None:
            bar.progress(done / total, text=f"{done}/{total} requirements")

        try:
            result = analyze(
                adv,
                client,
                framework,
                user=user,
                progress=progress,
            )
        except AdvisorError as exc:
            bar.empty()
            st.error(str(exc))
            return
        bar.empty()
        st.session_state[RESULT_KEY] = result
    if result is None or (result.client, result.framework) != (client, framework):
        st.info("Choose a client and a framework, then run the analysis.")
        return
    o = result.summary["overall"]
    cols = st.columns(5)
    cols[0].metric("Coverage", f"{o['coverage_pct']}%")
    for col, status in zip(cols[1:], STATUSES):
        col.metric(STATUS_LABEL[status], o[status])
    st.caption(
        f"{o['total']} requirements of {result.summary['framework_title']}; "
        f"{result.summary['findings_found']} audit findings found; {result.summary['runtime_s']} s."
    )
    _heatmap(result)
    _exports(result, adv, user)

    st.subheader("Requirements")
    f1, f2, f3, f4 = st.columns([2, 2, 2, 1])
    statuses = f1.multiselect(
        "Status",
        list(STATUSES),
        default=list(STATUSES),
        format_func=lambda s: STATUS_LABEL[s],
        key="gaps_status",
    )
    groups = f2.multiselect(
        result.summary["group_by"].title(), [g["group"] for g in result.summary["groups"]], key="gaps_groups"
    )
    text = f3.text_input("Search id or title", key="gaps_text")
    only_findings = f4.checkbox("With findings", key="gaps_findings")
    items = filter_items(result, statuses, groups, text, only_findings)
    st.dataframe(
        [
            {
                "Id": i.id,
                "Title": i.title,
                "Status": STATUS_LABEL[i.status],
                "Confidence": i.confidence,
                "Evidence": len(i.evidence),
                "Findings": ", ".join(f["id"] for f in i.findings),
            }
            for i in items
        ],
        hide_index=True,
        width="stretch",
    )
    _drill_down(items)
