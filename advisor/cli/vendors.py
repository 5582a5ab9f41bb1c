"""`vciso vendors ...`: the vendor inventory read from the client's vendor registers and contracts, and its
flags with evidence (unknowns are shown as unknown, never as failures)."""

from __future__ import annotations

import argparse
from datetime import date

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.cli.review import require_known_client
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


def run(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.factory import build_advisor
    from advisor.register.vendors import inventory

    try:
        as_of = date.fromisoformat(args.as_of) if args.as_of else date.today()
    except ValueError:
        raise UsageError(f"--as-of must be YYYY-MM-DD, not {args.as_of!r}") from None
    user = local_operator()
    adv = build_advisor(settings)
    require_known_client(adv, args.client)
    vendors = inventory(adv.tenant_index(args.client, user=user).chunks, as_of)
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
        for f in v.flags:
            print(f'    FLAG {f.kind}: {f.text}\n         "{f.quote}"')
    if not vendors:
        print("no flagged vendors" if args.only_flags else "no vendor tables found in the client's documents")
    return EXIT_OK
