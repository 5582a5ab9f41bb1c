"""Vendor reviews that people record: a consultant reviewed a vendor (a call, a questionnaire read, a site
visit) and records the date, a note and the outcome, without a document to ingest.

The inventory itself stays read from the client's documents (:mod:`advisor.register.vendors`); a recorded
review is a dated statement by a named person, kept in the state database and cited as "recorded by <user>
on <date>". The "assessment older than 12 months" flag uses the latest of the document-dated assessment and
the recorded reviews (:func:`client_inventory`).

Reading needs read access to the client; recording needs a user who may write for it (a consultant or an
admin with access to the client; executives read only), as for the findings register.
"""

from __future__ import annotations

import os
from datetime import date

from sqlalchemy import select

from advisor.access.policy import Access
from advisor.db import Database, as_database, open_database, utc_iso
from advisor.db.models import VendorReviewRow
from advisor.errors import AccessDenied, AdvisorError
from advisor.register.vendors import OUTCOMES, RecordedReview, Vendor, inventory

__all__ = ["OUTCOMES", "VendorReviewError", "VendorReviews", "client_inventory", "match_vendor"]


class VendorReviewError(AdvisorError):
    """A vendor review that cannot be recorded (bad date, empty note, unknown vendor or outcome)."""


def require_writer(user, client: str) -> None:
    """Only a consultant or admin who may read ``client`` records for it."""
    Access.require_read(user, client)
    if getattr(user, "role", "") not in ("admin", "consultant"):
        raise AccessDenied(
            f"user {getattr(user, 'username', 'anonymous')!r} may not record vendor reviews "
            "(consultants and admins only)"
        )


class VendorReviews:
    """Recorded vendor reviews in the state database (``db``: a Database, URL or SQLite path)."""

    def __init__(self, db: Database | str | os.PathLike) -> None:
        self.db = as_database(db)

    def _session(self, write: bool = False):
        return self.db.session(write=write, error=VendorReviewError, what="vendor reviews")

    @staticmethod
    def _review(row: VendorReviewRow) -> RecordedReview:
        return RecordedReview(
            vendor=row.vendor,
            date=row.review_date,
            reviewer=row.reviewer,
            note=row.note,
            outcome=row.outcome,
            client=row.client,
            key=row.id,
            created_at=row.created_at,
        )

    def record(
        self,
        client: str,
        vendor: str,
        *,
        user,
        when: str,
        note: str,
        outcome: str = "noted",
        today: date | None = None,
    ) -> RecordedReview:
        """Record that ``user`` reviewed ``vendor`` on ``when`` (YYYY-MM-DD, not in the future)."""
        require_writer(user, client)
        try:
            day = date.fromisoformat(when)
        except (TypeError, ValueError):
            raise VendorReviewError(f"review date {when!r} is not YYYY-MM-DD") from None
        if day > (today or date.today()):
            raise VendorReviewError(f"review date {when} is in the future")
        if not note.strip():
            raise VendorReviewError("a vendor review needs a note (what was reviewed and found)")
        if outcome not in OUTCOMES:
            raise VendorReviewError(f"unknown outcome {outcome!r}: use one of {', '.join(OUTCOMES)}")
        if not vendor.strip():
            raise VendorReviewError("name the vendor reviewed")
        with self._session(write=True) as s:
            row = VendorReviewRow(
                client=client,
                vendor=vendor.strip(),
                review_date=day.isoformat(),
                reviewer=user.username,
                note=note.strip(),
                outcome=outcome,
                created_at=utc_iso(),
            )
            s.add(row)
            s.flush()
            return self._review(row)

    def list(self, client: str, *, user) -> list[RecordedReview]:
        """The client's recorded reviews, latest first."""
        Access.require_read(user, client)
        with self._session() as s:
            rows = s.scalars(select(VendorReviewRow).where(VendorReviewRow.client == client)).all()
            return sorted((self._review(r) for r in rows), key=lambda r: (r.date, r.key or 0), reverse=True)


def match_vendor(vendors: list[Vendor], name: str) -> Vendor:
    """The inventory's vendor ``name`` refers to (its full name or its distinctive first word, any case)."""
    low = name.strip().lower()
    hits = [v for v in vendors if v.name.lower() == low]
    hits = hits or [v for v in vendors if v.name.lower().split()[0].rstrip(",") == low]
    if len({v.name for v in hits}) == 1:
        return hits[0]
    known = ", ".join(sorted({v.name for v in vendors})) or "none"
    raise VendorReviewError(f"vendor {name!r} is not in the client's vendor inventory (known: {known})")


def client_inventory(adv, client: str, *, user, as_of: date | None = None) -> list[Vendor]:
    """The client's vendor inventory (read as ``user``), with the reviews people recorded taken into account
    for the assessment-age flag."""
    reviews = VendorReviews(open_database(adv.settings)).list(client, user=user)
    return inventory(adv.tenant_index(client, user=user).chunks, as_of, reviews)
