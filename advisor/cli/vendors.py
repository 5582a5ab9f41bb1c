"""`vciso vendors ...`: the vendor inventory read from the client's vendor registers and contracts, and its
flags with evidence (unknowns are shown as unknown, never as failures); `vciso vendors review` records a
review a consultant made without a document (it counts for the assessment-age flag, cited "recorded by
<user> on <date>")."""

from __future__ import annotations

import argparse
from datetime import date

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.cli.review import require_known_client
from advisor.db import open_database
from advisor.register.vendors import OUTCOMES
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "vendors", help="vendor risk: inventory from vendor registers and contracts, flags with evidence"
    )
    vs = p.add_subparsers(dest="vendors_command", metavar="ACTION", required=True)
    for name, help_text in (
        ("list", "the vendor inventory (every vendor table of the client's documents)"),
        ("extract", "read the inventory from the documents and show what each row states"),
        ("flags", "only the flags: PHI without BAA, stale assessment, transfer without SCCs"),
    ):
        q = vs.add_parser(name, help=help_text)
        q.add_argument("--client", required=True)
        q.add_argument("--as-of", help="judge assessment age as of YYYY-MM-DD (default: today)")
        q.add_argument("--json", action="store_true", help="print JSON (contract: vendors.schema.json)")
        q.set_defaults(handler=run, only_flags=name == "flags")
    q = vs.add_parser("review", help="record a vendor review made without a document")
    q.add_argument("--client", required=True)
    q.add_argument("vendor", metavar="VENDOR", help="the vendor as the inventory names it")
    q.add_argument("--date", required=True, help="the day of the review, YYYY-MM-DD")
    q.add_argument("--note", required=True, help="what was reviewed and found")
    q.add_argument("--outcome", default="noted", choices=OUTCOMES, help="default: %(default)s")
    q.add_argument("--json", action="store_true", help="print JSON (contract: vendor_review.schema.json)")
    q.set_defaults(handler=review)


def run(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.factory import build_advisor
    from advisor.register.vendor_reviews import client_inventory

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        raise UsageError(f"--as-of must be YYYY-MM-DD, not {args.as_of!r}") from None
    user = local_operator()
    adv = build_advisor(settings)
    require_known_client(adv, args.client)
    vendors = client_inventory(adv, args.client, user=user, as_of=as_of)
    if args.only_flags:
        vendors = [v for v in vendors if v.flags]
    if args.json:
        emit_json(
            {"client": args.client, "as_of": as_of.isoformat(), "vendors": [v.as_json() for v in vendors]}
        )
        return EXIT_OK
    for v in vendors:
        data = ", ".join(v.data) if v.data_known else "unknown"
        print(
            f"{v.name} — {v.service}; data: {data or 'none stated'}; BAA: {v.baa}; location: {v.location}; "
            f"transfer: {v.transfer}; last assessment: {v.assessed}  [{v.source}]"
        )
        for a in v.agreements:
            print(
                f"    {a.kind} found in {a.source}" + (f" p. {a.page}" if a.page else "") + f': "{a.quote}"'
            )
        for r in v.recorded:
            print(f"    REVIEW {r.outcome}, {r.citation}: {r.note}")
        for f in v.flags:
            print(f'    FLAG {f.kind}: {f.text}\n         "{f.quote}"')
    if not vendors:
        print("no flagged vendors" if args.only_flags else "no vendor tables found in the client's documents")
    return EXIT_OK


def review(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.factory import build_advisor
    from advisor.register.vendor_reviews import VendorReviews, client_inventory, match_vendor
    from advisor.register.vendors import inventory

    user = local_operator()
    adv = build_advisor(settings)
    require_known_client(adv, args.client)
    chunks = adv.tenant_index(args.client, user=user).chunks
    vendor = match_vendor(inventory(chunks), args.vendor)
    recorded = VendorReviews(open_database(settings)).record(
        args.client, vendor.name, user=user, when=args.date, note=args.note, outcome=args.outcome
    )
    now = next(v for v in client_inventory(adv, args.client, user=user) if v.name == vendor.name)
    if args.json:
        emit_json(
            {
                "client": args.client,
                "review": recorded.as_json(),
                "vendor": vendor.name,
                "flags": [{"kind": f.kind, "text": f.text, "quote": f.quote} for f in now.flags],
            }
        )
        return EXIT_OK
    print(f"recorded: {vendor.name} — {recorded.outcome}, {recorded.citation}: {recorded.note}")
    for f in now.flags:
        print(f"    FLAG {f.kind}: {f.text}")
    if not now.flags:
        print("    no flags")
    return EXIT_OK
