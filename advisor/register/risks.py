"""The risk register: likelihood x impact on a configurable scale (``Settings.risk_scale``, 5 x 5 by default),
inherent and residual score, treatment (mitigate/accept/transfer/avoid), owner, review date, linked findings
and clauses.

Risks are *proposed* from the confirmed findings register (:func:`from_findings`) and from the client's own
risk-register documents (:func:`from_documents`); people confirm, reject, add and edit them. Each edit is
kept in the risk's history with its note. Every method takes the principal (read: the client; change:
consultants and admins).
"""

from __future__ import annotations

import builtins
import os
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from typing import Any

from sqlalchemy import select

from advisor.access.policy import Access
from advisor.answering.evidence_rule import admit_chunks
from advisor.db import Database, as_database, utc_iso
from advisor.db.models import RiskRow
from advisor.errors import NotFound
from advisor.register.findings import Finding, RegisterError, _check_due, require_editor
from ingest.types import Chunk

TREATMENTS = ("mitigate", "accept", "transfer", "avoid")
EDITABLE = (
    "title",
    "likelihood",
    "impact",
    "residual_likelihood",
    "residual_impact",
    "treatment",
    "treatment_plan",
    "owner",
    "review_date",
)
# A finding's severity as (likelihood, impact) on a 5-point scale, scaled to the configured one.
SEVERITY_RATING = {"critical": (4, 5), "high": (4, 4), "medium": (3, 3), "low": (2, 2)}


@dataclass(frozen=True)
class Risk:
    """A risk of the register, or a row of a client's own risk-register document.

    ``status`` (the document's Status cell: "Open", "Accepted", "Closed") and ``chunk`` (the passage the
    row was read from) are known only for rows read from a document (:func:`from_documents`) or linked back
    to it; the register does not store them.
    """

    ref: str
    title: str
    likelihood: int | None = None
    impact: int | None = None
    residual_likelihood: int | None = None
    residual_impact: int | None = None
    treatment: str = ""
    treatment_plan: str = ""
    owner: str = ""
    review_date: str | None = None
    findings: tuple[str, ...] = ()
    clauses: tuple[dict, ...] = ()
    source: str = ""
    page: int | None = None
    quote: str = ""
    client: str = ""
    key: int | None = None
    review: str = "proposed"
    history: tuple[dict, ...] = field(default=(), compare=False)
    status: str = field(default="", compare=False)
    chunk: Chunk | None = field(default=None, compare=False, repr=False)

    @property
    def is_open(self) -> bool:
        return not re.match(r"(closed|remediated|retired)", self.status, re.I)

    @property
    def score(self) -> int | None:
        """The residual score where rated, else the inherent one."""
        return self.residual or self.inherent

    @property
    def inherent(self) -> int | None:
        return self.likelihood * self.impact if self.likelihood and self.impact else None

    @property
    def residual(self) -> int | None:
        rl, ri = self.residual_likelihood, self.residual_impact
        return rl * ri if rl and ri else None

    def as_json(self) -> dict[str, Any]:
        out = {f.name: getattr(self, f.name) for f in fields(self) if f.name not in ("status", "chunk")}
        out.update(
            findings=list(self.findings),
            clauses=list(self.clauses),
            history=list(self.history),
            inherent=self.inherent,
            residual=self.residual,
        )
        return out


def _scaled(value: int, scale: int) -> int:
    return max(1, min(scale, round(value * scale / 5)))


def from_findings(findings: Iterable[Finding], scale: int = 5) -> list[Risk]:
    """One proposed risk per open confirmed finding, rated from its severity, with the finding's owner and
    due date."""
    out = []
    for f in findings:
        if not f.is_open or f.severity not in SEVERITY_RATING:
            continue
        lik, imp = SEVERITY_RATING[f.severity]
        out.append(
            Risk(
                ref=f"RF-{f.ref}",
                title=f"Risk from finding {f.ref}: {f.title}",
                likelihood=_scaled(lik, scale),
                impact=_scaled(imp, scale),
                treatment="mitigate",
                treatment_plan="",
                owner=f.owner,
                review_date=f.due,
                findings=(f.ref,),
                clauses=tuple(f.framework_refs),
                source=f.source,
                page=f.page,
                quote=f.quote,
                client=f.client,
            )
        )
    return out


def _int(text: str, scale: int) -> int | None:
    return int(text) if text.strip().isdigit() and 1 <= int(text) <= scale else None


def from_documents(chunks: Iterable[Chunk], scale: int = 5) -> list[Risk]:
    """Risks from the client's risk-register tables (" | " rows under a header naming "Risk ID", "Risk")."""
    out: dict[str, Risk] = {}
    for chunk in admit_chunks(chunks):
        if chunk.doc_type != "risk_register":
            continue
        header: list[str] | None = None
        for line in chunk.text.splitlines():
            cells = [c.strip() for c in line.split("|")]
            if len(cells) < 3:
                continue
            low = [c.lower() for c in cells]
            if low[0] in ("risk id", "id", "ref") and "risk" in low:
                header = low
                continue
            if header is None or not re.search(r"\d", cells[0]):
                continue
            row = dict(zip(header, cells))
            plan = row.get("treatment", "")
            kind = next((t for t in TREATMENTS if plan.lower().startswith(t)), "")
            due = re.search(r"\d{4}-\d{2}-\d{2}", row.get("target date", "") or row.get("review date", ""))
            out.setdefault(
                cells[0],
                Risk(
                    ref=cells[0],
                    title=row.get("risk", ""),
                    likelihood=_int(row.get("likelihood", ""), scale),
                    impact=_int(row.get("impact", ""), scale),
                    treatment=kind,
                    treatment_plan=plan.split(":", 1)[1].strip() if kind and ":" in plan else plan,
                    owner=row.get("owner", ""),
                    review_date=due.group(0) if due else None,
                    findings=tuple(
                        re.findall(r"(?<![\w-])([A-Z]{1,3}-\d{1,3})\b", row.get("risk", "") + " " + plan)
                    ),
                    source=chunk.source,
                    page=chunk.page,
                    quote=" ".join(line.split()),
                    client=chunk.client or "",
                    status=row.get("status", ""),
                    chunk=chunk,
                ),
            )
    return list(out.values())


class RiskRegister:
    """The risk register in the state database, rated on a ``scale`` x ``scale`` grid."""

    def __init__(self, db: Database | str | os.PathLike, scale: int = 5) -> None:
        self.db = as_database(db)
        self.scale = scale

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=RegisterError, what="risk register")

    @staticmethod
    def _risk(r: RiskRow) -> Risk:
        return Risk(
            ref=r.ref,
            title=r.title,
            likelihood=r.likelihood,
            impact=r.impact,
            residual_likelihood=r.residual_likelihood,
            residual_impact=r.residual_impact,
            treatment=r.treatment,
            treatment_plan=r.treatment_plan,
            owner=r.owner,
            review_date=r.review_date,
            findings=tuple(r.findings),
            clauses=tuple(r.clauses),
            source=r.source,
            page=r.page,
            quote=r.quote,
            client=r.client,
            key=r.id,
            review=r.review,
            history=tuple(r.history),
        )

    def list(self, client: str, *, user, review: str = "confirmed") -> list[Risk]:
        """The client's risks in ``review`` state, highest residual (else inherent) score first."""
        Access.require_read(user, client)
        with self._session() as s:
            rows = s.scalars(select(RiskRow).where(RiskRow.client == client, RiskRow.review == review)).all()
            out = [self._risk(r) for r in rows]
        return sorted(out, key=lambda r: (-(r.residual or r.inherent or 0), -(r.inherent or 0), r.ref))

    def _values(self, values: dict[str, Any]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for k, v in values.items():
            if v is None:
                continue
            if k not in EDITABLE:
                raise RegisterError(f"field {k!r} cannot be edited: use one of {', '.join(EDITABLE)}")
            if k in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
                if not (isinstance(v, int) or str(v).isdigit()) or not 1 <= int(v) <= self.scale:
                    raise RegisterError(f"{k} must be 1..{self.scale}, not {v!r}")
                v = int(v)
            elif k == "treatment":
                if v not in TREATMENTS:
                    raise RegisterError(f"treatment must be one of {', '.join(TREATMENTS)}, not {v!r}")
            elif k == "review_date":
                v = _check_due(v)
            out[k] = v
        return out

    def propose(self, client: str, risks: Iterable[Risk], *, user) -> dict[str, builtins.list[Risk]]:
        """Record proposals; a ref already in the register (any review state) is left as people made it."""
        Access.require_read(user, client)
        require_editor(user)
        out: dict[str, builtins.list[Risk]] = {"new": [], "unchanged": []}
        now = utc_iso()
        with self._session(write=True) as s:
            for r in risks:
                existing = s.scalars(
                    select(RiskRow).where(RiskRow.client == client, RiskRow.ref == r.ref)
                ).first()
                if existing is not None:
                    out["unchanged"].append(self._risk(existing))
                    continue
                row = self._row(client, r, "proposed", now, user, "proposed")
                s.add(row)
                s.flush()
                out["new"].append(self._risk(row))
        return out

    def _row(self, client: str, r: Risk, review: str, now: str, user, action: str) -> RiskRow:
        for k in ("likelihood", "impact", "residual_likelihood", "residual_impact"):
            v = getattr(r, k)
            if v is not None and not 1 <= v <= self.scale:
                raise RegisterError(f"{k} must be 1..{self.scale}, not {v!r}")
        if r.treatment and r.treatment not in TREATMENTS:
            raise RegisterError(f"treatment must be one of {', '.join(TREATMENTS)}, not {r.treatment!r}")
        return RiskRow(
            client=client,
            ref=r.ref,
            title=r.title,
            likelihood=r.likelihood,
            impact=r.impact,
            residual_likelihood=r.residual_likelihood,
            residual_impact=r.residual_impact,
            treatment=r.treatment,
            treatment_plan=r.treatment_plan,
            owner=r.owner,
            review_date=_check_due(r.review_date),
            review=review,
            findings=list(r.findings),
            clauses=list(r.clauses),
            source=r.source,
            page=r.page,
            quote=r.quote,
            history=[{"ts": now, "user": user.username, "action": action, "note": "", "changes": {}}],
            created_at=now,
            updated_at=now,
        )

    def add(self, client: str, risk: Risk, *, user, note: str = "") -> Risk:
        """A risk a person enters directly (confirmed)."""
        Access.require_read(user, client)
        require_editor(user)
        now = utc_iso()
        with self._session(write=True) as s:
            if s.scalars(select(RiskRow.id).where(RiskRow.client == client, RiskRow.ref == risk.ref)).first():
                raise RegisterError(f"risk {risk.ref!r} already exists for {client!r}: update it instead")
            row = self._row(client, risk, "confirmed", now, user, "added")
            row.history[0]["note"] = note
            s.add(row)
            s.flush()
            return self._risk(row)

    def _change(
        self,
        client: str,
        key: int,
        user,
        action: str,
        note: str,
        values: dict[str, Any],
        review: str | None,
        need: str,
    ) -> Risk:
        Access.require_read(user, client)
        require_editor(user)
        values = self._values(values)
        with self._session(write=True) as s:
            row = s.get(RiskRow, int(key))
            if row is None or row.client != client:
                raise NotFound(f"risk #{key} not found for client {client!r}")
            if row.review != need:
                raise RegisterError(f"risk #{key} is {row.review}, not {need}")
            changes = {k: [getattr(row, k), v] for k, v in values.items() if getattr(row, k) != v}
            for k, (_, v) in changes.items():
                setattr(row, k, v)
            if review:
                row.review = review
            row.updated_at = utc_iso()
            row.history = [
                *row.history,
                {
                    "ts": row.updated_at,
                    "user": user.username,
                    "action": action,
                    "note": note,
                    "changes": changes,
                },
            ]
            return self._risk(row)

    def confirm(
        self, client: str, key: int, *, user, edits: dict[str, Any] | None = None, note: str = ""
    ) -> Risk:
        return self._change(client, key, user, "confirmed", note, edits or {}, "confirmed", "proposed")

    def reject(self, client: str, key: int, *, user, note: str = "") -> Risk:
        return self._change(client, key, user, "rejected", note, {}, "rejected", "proposed")

    def update(self, client: str, key: int, *, user, note: str, **changes: Any) -> Risk:
        if not note.strip():
            raise RegisterError("an update needs a note (why the risk changed)")
        if not any(v is not None for v in changes.values()):
            raise RegisterError(f"nothing to update: give one of {', '.join(EDITABLE)}")
        return self._change(client, key, user, "updated", note, changes, None, "confirmed")
