"""The portfolio: one row per client the user may see, from the registers and the client's documents:
open findings by severity, overdue findings, top risks, vendors flagged, last activity. Executives see their
own client(s) only (the same access rule as everything else). Gap coverage per framework comes from the
latest finished gap analysis of each framework (:mod:`advisor.register.coverage`). The trend is the number
of open confirmed findings at the end of each of the last four quarters and today, each finding counted from
its report's date and each status change on its own date (:func:`advisor.register.report.open_on`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from advisor.db import open_database
from advisor.db.models import AuditRecordRow, FindingRow, RiskRow
from advisor.drafting.findings import report_dates
from advisor.jobs.queue import JobQueue
from advisor.register.coverage import Coverage, gap_coverage
from advisor.register.findings import SEVERITIES, FindingsRegister
from advisor.register.report import open_on
from advisor.register.risks import RiskRegister
from advisor.register.vendor_reviews import VendorReviews
from advisor.register.vendors import inventory


def trend_days(today: date) -> list[date]:
    """The ends of the last four quarters before ``today``, then ``today``."""
    days = [today]
    d = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1) - timedelta(days=1)
    while len(days) < 5:
        days.insert(0, d)
        d = date(d.year, d.month - 2, 1) - timedelta(days=1)
    return days


@dataclass(frozen=True)
class ClientSummary:
    client: str
    open_by_severity: dict[str, int]
    overdue: int
    proposals: int
    top_risks: tuple[tuple[str, str, int], ...]  # (ref, title, score)
    vendors: int
    vendors_flagged: int
    last_activity: str | None
    overdue_refs: tuple[str, ...] = field(default=())
    coverage: tuple[Coverage, ...] = field(default=())
    open_trend: tuple[tuple[str, int], ...] = field(default=())  # (YYYY-MM-DD, open findings that day)

    @property
    def open_findings(self) -> int:
        return sum(self.open_by_severity.values())

    def as_json(self) -> dict:
        return {
            "client": self.client,
            "open_findings": self.open_findings,
            "open_by_severity": self.open_by_severity,
            "overdue": self.overdue,
            "overdue_refs": list(self.overdue_refs),
            "proposals": self.proposals,
            "top_risks": [{"ref": r, "title": t, "score": s} for r, t, s in self.top_risks],
            "vendors": self.vendors,
            "vendors_flagged": self.vendors_flagged,
            "last_activity": self.last_activity,
            "gap_coverage": [c.as_json() for c in self.coverage],
            "open_trend": [{"date": d, "open": n} for d, n in self.open_trend],
        }


def _last_activity(db, client: str) -> str | None:
    with db.session() as s:
        stamps = [
            s.scalar(select(func.max(AuditRecordRow.ts)).where(AuditRecordRow.client == client)),
            s.scalar(select(func.max(FindingRow.updated_at)).where(FindingRow.client == client)),
            s.scalar(select(func.max(RiskRow.updated_at)).where(RiskRow.client == client)),
        ]
    stamps = [t for t in stamps if t]
    return max(stamps) if stamps else None


def summarize(adv, *, user, today: date | None = None, top: int = 3) -> list[ClientSummary]:
    """A summary per client ``user`` may read (consultants: their clients; executives: their own)."""
    today = today or date.today()
    db = open_database(adv.settings)
    findings, risks = FindingsRegister(db), RiskRegister(db, scale=adv.settings.risk_scale)
    jobs = JobQueue(db)
    out = []
    for client in adv.clients(user=user):
        confirmed = findings.list(client, user=user, history=True)
        open_ = [f for f in confirmed if f.is_open]
        late = [f for f in open_ if f.overdue(today)]
        ranked = [r for r in risks.list(client, user=user) if (r.residual or r.inherent)]
        recorded = VendorReviews(db).list(client, user=user)
        chunks = adv.tenant_index(client, user=user).chunks
        vendors = inventory(chunks, today, recorded)
        since = report_dates(chunks)
        trend = tuple(
            (d.isoformat(), sum(1 for f in confirmed if open_on(f, d, since.get(f.source))))
            for d in trend_days(today)
        )
        out.append(
            ClientSummary(
                client=client,
                open_by_severity={s: sum(1 for f in open_ if f.severity == s) for s in SEVERITIES},
                overdue=len(late),
                overdue_refs=tuple(f.ref for f in late),
                proposals=len(findings.list(client, user=user, review="proposed")),
                top_risks=tuple((r.ref, r.title, r.score or 0) for r in ranked[:top]),
                vendors=len(vendors),
                vendors_flagged=sum(1 for v in vendors if v.flags),
                last_activity=_last_activity(db, client),
                coverage=tuple(gap_coverage(jobs, client)),
                open_trend=trend,
            )
        )
    return out
