"""Vendor risk: an inventory read from the client's vendor registers, sub-processor lists and ICT third-party
registers (" | " table rows under a header naming a vendor column), and flags with evidence.

Per vendor: name, service, data handled (PHI, card data, personal data), criticality, agreements (BAA, SCCs
or another transfer mechanism) as the document states them, location, last assessment date. A fact the
document does not state is ``unknown`` and never raises a flag. Flags, each citing the row that supports it:

- ``phi_without_baa``: handles PHI and the BAA column says there is none;
- ``assessment_stale``: last assessment older than 12 months (``never`` reviewed counts): the latest of the
  date the documents state and the reviews people recorded (:mod:`advisor.register.vendor_reviews`, cited
  "recorded by <user> on <date>");
- ``transfer_without_scc``: located outside the EEA with no SCCs or other transfer mechanism stated.

Agreements are also looked for in the client's other documents (contracts, addenda, policies): a sentence
that names the vendor and a BAA, DPA or SCCs, and does not deny it ("no BAA", "without", "pending"), is an
agreement found, cited. A BAA found that way counts as a BAA (the flag is not raised, and the register's
"no" is shown beside it), so the way to clear a flag is to ingest the signed agreement, which is then the
evidence. Nothing is recorded that a document does not state.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field, replace
from datetime import date, timedelta

from advisor.answering.evidence_rule import admit_chunks
from advisor.answering.sentences import split_sentences
from ingest.types import Chunk

UNKNOWN = "unknown"
STALE_DAYS = 365
_COLUMNS = {  # field -> header words (a header cell containing one of them)
    "vendor": ("vendor", "sub-processor", "subprocessor", "provider", "supplier", "third party"),
    "service": ("service", "purpose", "function"),
    "data": ("data shared", "data categories", "data handled", "ephi", "data"),
    "criticality": ("risk tier", "criticality", "critical", "tier"),
    "baa": ("baa",),
    "transfer": ("transfer", "safeguard"),
    "location": ("location", "country", "region"),
    "assessed": ("last review", "last risk assessment", "last assessment", "last assessed", "reviewed"),
}
EEA = (
    "austria",
    "belgium",
    "bulgaria",
    "croatia",
    "cyprus",
    "czech",
    "denmark",
    "estonia",
    "finland",
    "france",
    "germany",
    "greece",
    "hungary",
    "ireland",
    "italy",
    "latvia",
    "lithuania",
    "luxembourg",
    "malta",
    "netherlands",
    "poland",
    "portugal",
    "romania",
    "slovakia",
    "slovenia",
    "spain",
    "sweden",
    "iceland",
    "liechtenstein",
    "norway",
    "eu",
    "eea",
    "europe",
    "frankfurt",
)
NON_EEA = (
    "united states",
    "us",
    "usa",
    "india",
    "united kingdom",
    "uk",
    "canada",
    "australia",
    "singapore",
    "philippines",
    "china",
    "japan",
    "brazil",
    "israel",
    "switzerland",
    "ukraine",
)
_MECHANISM = re.compile(
    r"\b(SCCs?|standard contractual clauses|adequacy|data privacy framework|BCRs?|"
    r"binding corporate rules)\b",
    re.I,
)


_AGREEMENTS = {
    "BAA": re.compile(r"\b(BAA|business associate (agreement|contract))\b", re.I),
    "DPA": re.compile(r"\b(DPA|data processing (agreement|addendum))\b", re.I),
    "SCCs": re.compile(r"\b(SCCs?|standard contractual clauses)\b", re.I),
}
_DENIED = re.compile(
    r"\b(no|not|without|missing|lacks?|pending|expired|unsigned|never|none|requires?|must|shall|should)\b",
    re.I,
)
# Documents whose statements about a vendor are findings or plans, not agreements.
_NOT_AGREEMENTS = ("audit_report", "risk_register", "minutes")


@dataclass(frozen=True)
class Agreement:
    kind: str  # BAA | DPA | SCCs
    source: str
    page: int | None
    quote: str


@dataclass(frozen=True)
class Flag:
    kind: str
    text: str
    quote: str


OUTCOMES = ("approved", "conditional", "rejected", "noted")


@dataclass(frozen=True)
class RecordedReview:
    """A review of a vendor a person recorded (no document): see :mod:`advisor.register.vendor_reviews`."""

    vendor: str
    date: str  # YYYY-MM-DD, the day of the review
    reviewer: str
    note: str
    outcome: str = "noted"
    client: str = ""
    key: int | None = None
    created_at: str = ""

    @property
    def citation(self) -> str:
        return f"recorded by {self.reviewer} on {self.date}"

    def as_json(self) -> dict:
        return {**asdict(self), "citation": self.citation}


@dataclass(frozen=True)
class Vendor:
    name: str
    service: str = UNKNOWN
    data: tuple[str, ...] = ()  # "PHI", "card data", "personal data"; empty with data_known False: unknown
    data_known: bool = False
    criticality: str = UNKNOWN
    baa: str = UNKNOWN  # "yes", "no", "not required", "unknown"
    transfer: str = UNKNOWN  # the mechanism as stated, or unknown
    location: str = UNKNOWN
    assessed: str = UNKNOWN  # YYYY-MM-DD, "never", or unknown
    source: str = ""
    page: int | None = None
    section: str | None = None
    quote: str = ""
    client: str = ""
    flags: tuple[Flag, ...] = field(default=())
    agreements: tuple[Agreement, ...] = field(default=())
    recorded: tuple[RecordedReview, ...] = field(default=())  # reviews people recorded, latest first

    def as_json(self) -> dict:
        out = asdict(self)
        out["agreements"] = [asdict(a) for a in self.agreements]
        out["recorded"] = [r.as_json() for r in self.recorded]
        out["data"] = list(self.data) if self.data_known else UNKNOWN
        del out["data_known"]
        out["flags"] = [asdict(f) for f in self.flags]
        return out


def _columns(header: list[str]) -> dict[str, int]:
    out: dict[str, int] = {}
    for name, words in _COLUMNS.items():
        for i, h in enumerate(header):
            if name == "data" and "location" in h:
                continue  # "Data location" is where, not what
            if i not in out.values() and any(w in h for w in words):
                out[name] = i
                break
    return out


def _data(cell: str, header: str) -> tuple[str, ...]:
    low = cell.lower()
    if "phi" in header and re.match(r"\s*yes\b", low):
        return ("PHI",)
    kinds = []
    if re.search(r"\b(e?phi|patient|health|medical)\b", low):
        kinds.append("PHI")
    if re.search(r"\b(card|cardholder|pan|payment card)\b", low):
        kinds.append("card data")
    if re.search(
        r"\b(personal|contact|name|email|identity|customer data|ip address|date of birth|"
        r"transaction|device)",
        low,
    ):
        kinds.append("personal data")
    return tuple(kinds)


def _baa(cell: str) -> str:
    low = cell.strip().lower()
    if low.startswith("yes"):
        return "yes"
    if "not required" in low or low in ("n/a", "na"):
        return "not required"
    if low.startswith("no"):
        return "no"
    return UNKNOWN


def _assessed(cell: str) -> str:
    m = re.search(r"\d{4}-\d{2}-\d{2}", cell)
    if m:
        return m.group(0)
    return "never" if re.search(r"\bnever\b|not (yet )?(reviewed|assessed)", cell, re.I) else UNKNOWN


def _outside_eea(location: str) -> bool | None:
    low = location.lower()
    if location == UNKNOWN or not low.strip():
        return None
    return any(re.search(rf"\b{re.escape(c)}\b", low) for c in NON_EEA)


def _names(name: str) -> list[str]:
    """How a document may name the vendor: its full name, and its first word when distinctive."""
    first = re.split(r"[\s,]+", name.strip())[0]
    return [name] + ([first] if len(first) >= 5 and first.lower() != name.lower() else [])


def agreements(chunks: Iterable[Chunk], vendor: str) -> tuple[Agreement, ...]:
    """Agreements with ``vendor`` that the client's documents state (not deny), one per kind, cited."""
    names = [re.compile(rf"(?<!\w){re.escape(n)}(?!\w)", re.I) for n in _names(vendor)]
    found: dict[str, Agreement] = {}
    for c in chunks:
        if c.doc_type in _NOT_AGREEMENTS or not any(n.search(c.text) for n in names):
            continue
        for line in c.text.splitlines():
            if "|" in line:
                continue  # table rows are the registers themselves
            for s in split_sentences(line):
                if not any(n.search(s) for n in names) or _DENIED.search(s):
                    continue
                for kind, rx in _AGREEMENTS.items():
                    if kind not in found and rx.search(s):
                        found[kind] = Agreement(kind, c.source, c.page, " ".join(s.split()))
    return tuple(found.values())


def flags(v: Vendor, as_of: date) -> tuple[Flag, ...]:
    out = []
    has_baa = v.baa in ("yes", "not required") or any(a.kind == "BAA" for a in v.agreements)
    if "PHI" in v.data and v.baa == "no" and not has_baa:
        out.append(Flag("phi_without_baa", f"{v.name} handles PHI, no BAA found", v.quote))
    recorded = [r for r in v.recorded if r.date <= as_of.isoformat()]
    latest = max(recorded, key=lambda r: r.date, default=None)
    documented = v.assessed if v.assessed not in ("never", UNKNOWN) else ""
    if latest is not None and latest.date > documented:  # a recorded review is the latest assessment
        if date.fromisoformat(latest.date) < as_of - timedelta(days=STALE_DAYS):
            text = f"{v.name}: last review {latest.date} ({latest.citation}) is older than 12 months"
            out.append(Flag("assessment_stale", text, latest.citation))
    elif v.assessed == "never":
        out.append(Flag("assessment_stale", f"{v.name} has never been assessed", v.quote))
    elif documented and date.fromisoformat(documented) < as_of - timedelta(days=STALE_DAYS):
        out.append(
            Flag(
                "assessment_stale", f"{v.name}: last assessment {v.assessed} is older than 12 months", v.quote
            )
        )
    has_scc = any(a.kind == "SCCs" for a in v.agreements)
    if (
        _outside_eea(v.location)
        and v.transfer != UNKNOWN
        and not _MECHANISM.search(v.transfer)
        and not has_scc
    ):
        out.append(
            Flag(
                "transfer_without_scc",
                f"{v.name} is outside the EEA ({v.location}) without SCCs or another transfer mechanism",
                v.quote,
            )
        )
    return tuple(out)


def inventory(
    chunks: Iterable[Chunk], as_of: date | None = None, reviews: Iterable[RecordedReview] = ()
) -> list[Vendor]:
    """Vendors of every vendor table in ``chunks`` (admissible ones), each with its flags as of ``as_of``;
    ``reviews`` people recorded count for the assessment age of the vendor they name."""
    as_of = as_of or date.today()
    by_name: dict[str, list[RecordedReview]] = {}
    for r in sorted(reviews, key=lambda r: (r.date, r.key or 0), reverse=True):
        by_name.setdefault(r.vendor.lower(), []).append(r)
    found: dict[str, Vendor] = {}
    admitted = admit_chunks(chunks)
    for chunk in admitted:
        cols: dict[str, int] | None = None
        header: list[str] = []
        for line in chunk.text.splitlines():
            cells = [c.strip() for c in line.split("|")]
            if len(cells) < 3:
                continue
            low = [c.lower() for c in cells]
            maybe = _columns(low)
            if "vendor" in maybe and len(maybe) >= 3 and not any(re.search(r"\d{4}-\d{2}", c) for c in cells):
                cols, header = maybe, low
                continue
            if cols is None:
                continue

            def get(name: str, cols: dict = cols, cells: list = cells) -> str | None:
                i = cols.get(name)
                return cells[i] if i is not None and i < len(cells) and cells[i] else None

            name = get("vendor")
            if not name:
                continue
            data_cell = get("data")
            v = Vendor(
                name=name,
                service=get("service") or UNKNOWN,
                data=_data(data_cell, header[cols["data"]]) if data_cell else (),
                data_known=data_cell is not None,
                criticality=get("criticality") or UNKNOWN,
                baa=_baa(baa) if (baa := get("baa")) else UNKNOWN,
                transfer=get("transfer") or UNKNOWN,
                location=get("location") or UNKNOWN,
                assessed=_assessed(when) if (when := get("assessed")) else UNKNOWN,
                source=chunk.source,
                page=chunk.page,
                section=chunk.section,
                quote=" ".join(line.split()),
                client=chunk.client or "",
            )
            recorded = tuple(by_name.get(name.lower(), ()))
            v = replace(v, agreements=agreements(admitted, name), recorded=recorded)
            v = replace(v, flags=flags(v, as_of))
            found.setdefault(f"{chunk.source}|{name}", v)
    return sorted(found.values(), key=lambda v: (-len(v.flags), v.name.lower()))
