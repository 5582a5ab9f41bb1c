"""The periodic security posture report for executives and the board (DOCX and PDF).

Built from the confirmed registers and the client's documents: a plain-language summary, top risks,
overdue remediation, vendors needing attention and decisions needed, every statement cited to the report,
register or contract row it comes from; charts: open findings by severity over the period, the risk heat
map, vendor flags by kind, and gap coverage per framework assessed (when a gap analysis has finished). It
is stored as a draft through the review workflow
(:mod:`advisor.drafting.store`) and exported with the "DRAFT — requires human review" banner until approved.
"""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from datetime import date, timedelta

from advisor.db import open_database
from advisor.drafting.document import BANNER, Block, Draft, assemble
from advisor.drafting.findings import report_dates
from advisor.drafting.ledger import Ledger
from advisor.drafting.policy import decide
from advisor.errors import AdvisorError
from advisor.jobs.queue import JobQueue
from advisor.register.coverage import Coverage, gap_coverage
from advisor.register.drafting import source_chunk, status_text
from advisor.register.findings import SEVERITIES, Finding, FindingsRegister
from advisor.register.risks import RiskRegister
from advisor.register.vendor_reviews import VendorReviews
from advisor.register.vendors import inventory

FLAG_LABELS = {
    "phi_without_baa": "PHI without BAA",
    "assessment_stale": "stale assessment",
    "transfer_without_scc": "transfer without SCCs",
}


class ReportError(AdvisorError):
    """A report that cannot be produced (bad period, unknown format)."""


def period_bounds(period: str) -> tuple[date, date]:
    """'2026-Q4' -> (2026-10-01, 2026-12-31); '2026' -> the year."""
    m = re.fullmatch(r"(\d{4})(?:-Q([1-4]))?", period.strip())
    if not m:
        raise ReportError(f"period {period!r} is not YYYY-Qn or YYYY")
    year = int(m.group(1))
    if m.group(2) is None:
        return date(year, 1, 1), date(year, 12, 31)
    q = int(m.group(2))
    start = date(year, 3 * q - 2, 1)
    end = (date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)) - timedelta(days=1)
    return start, end


def open_on(f: Finding, day: date, since: str | None = None) -> bool:
    """Was the finding open at the end of ``day``? It counts from ``since`` (the date of the report that
    states it), else from when it entered the register; its status follows the register's history, each
    change on its own date (a status a report states on that report's date, a person's change when made)."""
    if (since or f.created_at)[:10] > day.isoformat():
        return False
    status = "open"
    for h in sorted(f.history, key=lambda h: h.get("date") or h["ts"][:10]):
        if (h.get("date") or h["ts"][:10]) > day.isoformat():
            break
        change = h.get("changes", {}).get("status")
        if isinstance(change, list):
            status = change[1]
        elif isinstance(change, str):
            status = change
    return status in ("open", "in_progress")


def severity_over_time(
    findings: list[Finding], start: date, end: date, points: int = 4, since: dict[str, str] | None = None
) -> list[tuple[date, dict]]:
    """Open findings by severity at ``points`` days spread over the period; ``since`` maps a report (source)
    to its date, from which its findings count."""
    step = max(1, (end - start).days // (points - 1))
    days = [min(end, start + timedelta(days=i * step)) for i in range(points)]
    since = since or {}
    return [
        (
            d,
            {
                s: sum(1 for f in findings if f.severity == s and open_on(f, d, since.get(f.source)))
                for s in SEVERITIES
            },
        )
        for d in days
    ]


def charts(
    findings,
    risks,
    vendors,
    start: date,
    end: date,
    scale: int,
    coverage: Sequence[Coverage] = (),
    since: dict[str, str] | None = None,
) -> dict[str, bytes]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from advisor.register.charts import _png, risk_heatmap

    out: dict[str, bytes] = {}
    # the trend over the last four quarters (or the whole period, when longer), quarter by quarter
    series = severity_over_time(findings, min(start, end - timedelta(days=364)), end, points=5, since=since)
    fig, ax = plt.subplots(figsize=(6, 3.5))
    for s in SEVERITIES[:4]:
        ax.plot([d.isoformat() for d, _ in series], [c[s] for _, c in series], marker="o", label=s.title())
    ax.set_title("Open findings by severity, last four quarters")
    ax.set_ylabel("Open findings")
    ax.legend()
    out["Open findings by severity over time"] = _png(fig)
    out["Risk heat map (inherent)"] = risk_heatmap(risks, scale)
    fig, ax = plt.subplots(figsize=(6, 3))
    kinds = list(FLAG_LABELS)
    ax.bar(
        [FLAG_LABELS[k] for k in kinds],
        [sum(1 for v in vendors for f in v.flags if f.kind == k) for k in kinds],
        color="#c23030",
    )
    ax.set_title("Vendor flags by kind")
    out["Vendor flags by kind"] = _png(fig)
    rated = [c for c in coverage if c.coverage_pct is not None]
    if rated:
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.barh([c.title for c in rated], [c.coverage_pct or 0.0 for c in rated], color="#2b7bb9")
        ax.set_xlim(0, 100)
        ax.set_xlabel("Coverage % (covered + half of partial, of applicable requirements)")
        ax.set_title("Gap coverage per framework assessed")
        out["Gap coverage per framework"] = _png(fig)
    return out


def build(
    adv, client: str, period: str, *, user, today: date | None = None
) -> tuple[Draft, dict[str, bytes]]:
    """The report as a Draft (Markdown with [n] citations) and its charts (PNG bytes by caption)."""
    from advisor.access.policy import Access

    Access.require_read(user, client)
    start, end = period_bounds(period)
    as_of = min(today or date.today(), end)
    db = open_database(adv.settings)
    findings = FindingsRegister(db).list(client, user=user, history=True)
    risks = RiskRegister(db, scale=adv.settings.risk_scale).list(client, user=user)
    chunks = adv.tenant_index(client, user=user).chunks
    vendors = inventory(chunks, as_of, VendorReviews(db).list(client, user=user))
    ledger = Ledger()

    def cite(source: str, page, quote: str, ref: str) -> str:
        probe = Finding(ref=ref, title="", source=source, page=page, quote=quote)
        chunk = source_chunk(probe, chunks)
        return ledger.cite(chunk, quote) if chunk is not None else "(source no longer indexed)"

    open_ = [f for f in findings if f.is_open]
    late = [f for f in open_ if f.overdue(as_of)]
    serious = [f for f in open_ if f.severity in ("critical", "high")]
    summary = Block("1. Summary", prose=True)
    if not findings:
        summary.add(decide("the posture summary: no findings are confirmed in the register for this client"))
    else:
        counts = ", ".join(
            f"{sum(1 for f in open_ if f.severity == s)} {s}"
            for s in SEVERITIES
            if any(f.severity == s for f in open_)
        )
        summary.add(
            f"As of {as_of.isoformat()}, {len(open_)} of the {len(findings)} confirmed audit findings are "
            f"still open ({counts or 'none'}); {len(serious)} are serious (critical or high) and "
            f"{len(late)} are past their due date."
        )
    flagged = [v for v in vendors if v.flags]
    summary.add(f"{len(flagged)} of {len(vendors)} vendors in the client's vendor records need attention.")
    coverage = gap_coverage(JobQueue(db), client)
    for c in coverage:
        if c.coverage_pct is not None:
            summary.add(
                f"Against {c.title}, {c.coverage_pct:g}% of the applicable requirements are covered by the "
                f"client's documents ({c.covered} covered, {c.partial} partial, {c.missing} missing; gap "
                f"analysis job {c.job} of {c.assessed_at[:10]})."
            )
    top = Block("2. Top risks")
    for r in risks[:5]:
        score = f"score {r.residual} residual, {r.inherent} inherent" if r.residual else f"score {r.inherent}"
        top.add(
            f"- {r.ref} {r.title} ({score}; owner {r.owner or 'not stated'}; treatment "
            f"{r.treatment or 'not decided'}) {cite(r.source, r.page, r.quote, r.ref)}"
        )
    if not risks:
        top.add(decide("the top risks: the risk register has no confirmed entries"))
    overdue = Block("3. Overdue remediation")
    for f in late:
        overdue.add(
            f"- {f.ref} {f.title}: {f.severity.title()}, owner {f.owner or 'not stated'}, due {f.due}, "
            f"{(as_of - date.fromisoformat(f.due or as_of.isoformat())).days} days late; "
            f"status {status_text(f)} "
            f"{cite(f.source, f.page, f.quote, f.ref)}"
        )
    if not late:
        overdue.add("- No open finding is past its due date.")
    vend = Block("4. Vendors needing attention")
    for v in flagged:
        for fl in v.flags:
            vend.add(f"- {fl.text} {cite(v.source, v.page, v.quote, v.name)}")
    if not flagged:
        vend.add("- No vendor is flagged; facts the vendor records do not state are unknown, not failures.")
    decisions = Block("5. Decisions needed")
    for f in [f for f in late if f.severity in ("critical", "high")]:
        decisions.add(
            f"- {f.ref}: {decide(f'fund and re-date remediation of {f.ref}, or accept the risk formally')} "
            f"{cite(f.source, f.page, f.quote, f.ref)}"
        )
    if not decisions.lines:
        decisions.add(f"- {decide('whether the board needs to decide anything this period')}")
    title = f"Security posture report — {client} — {period}"
    text, citations = assemble(title, [summary, top, overdue, vend, decisions], ledger)
    draft = Draft(
        kind="report",
        type="posture-report",
        client=client,
        title=title,
        text=text,
        citations=citations,
        backend="registers",
    )
    dates = report_dates(chunks)
    return draft, charts(findings, risks, vendors, start, end, adv.settings.risk_scale, coverage, dates)


def to_docx(text: str, citations, pictures: dict[str, bytes], *, status: str, version: int = 1) -> bytes:
    from docx import Document
    from docx.shared import Inches

    from advisor.drafting.export import to_docx as text_docx

    doc = Document(io.BytesIO(text_docx(text, citations, status=status, version=version)))
    doc.add_heading("Charts", level=2)
    for caption, png in pictures.items():
        doc.add_paragraph(caption)
        doc.add_picture(io.BytesIO(png), width=Inches(5.5))
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


def to_pdf(text: str, citations, pictures: dict[str, bytes], *, status: str) -> bytes:
    import matplotlib
    from fpdf import FPDF

    from advisor.drafting.export import sources_markdown

    fonts = f"{matplotlib.get_data_path()}/fonts/ttf"  # matplotlib ships DejaVu: no system font needed
    pdf = FPDF()
    pdf.set_auto_page_break(auto=True, margin=15)
    pdf.add_font("DejaVu", "", f"{fonts}/DejaVuSans.ttf")
    pdf.add_font("DejaVu", "B", f"{fonts}/DejaVuSans-Bold.ttf")
    pdf.add_page()
    if status != "approved":
        pdf.set_font("DejaVu", "B", 12)
        pdf.set_text_color(180, 0, 0)
        pdf.multi_cell(0, 8, BANNER, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)
    for line in (text + "\n\n" + sources_markdown(citations)).splitlines():
        heading = re.match(r"^(#+)\s+(.*)", line)
        pdf.set_font("DejaVu", "B" if heading else "", 14 if heading and len(heading.group(1)) == 1 else 10)
        body = re.sub(r"\*\*?", "", heading.group(2) if heading else line) or " "
        pdf.multi_cell(0, 6, body, new_x="LMARGIN", new_y="NEXT")
    for caption, png in pictures.items():
        pdf.add_page()
        pdf.set_font("DejaVu", "B", 11)
        pdf.multi_cell(0, 8, caption, new_x="LMARGIN", new_y="NEXT")
        pdf.image(io.BytesIO(png), w=170)
    return bytes(pdf.output())
