"""`vciso findings ...`: the findings register (list, extract proposals, confirm/reject, update status)."""

from __future__ import annotations

import argparse

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, emit_json
from advisor.cli.review import ReviewCommands, add_common, add_review_parsers, require_known_client
from advisor.db import open_database
from advisor.register.findings import EDITABLE, SEVERITIES, STATUSES, Finding, FindingsRegister
from advisor.settings import Settings

SCHEMA = "findings.schema.json"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "findings", help="findings register: extract proposals from reports, review, track status"
    )
    fs = p.add_subparsers(dest="findings_command", metavar="ACTION", required=True)

    q = fs.add_parser("list", help="the register (confirmed findings), or --proposals awaiting review")
    add_common(q, SCHEMA)
    q.add_argument("--proposals", action="store_true", help="list proposals awaiting review instead")
    q.add_argument("--history", action="store_true", help="include each finding's history")
    q.set_defaults(handler=list_findings)

    q = fs.add_parser("extract", help="propose findings from the client's audit/assessment/pen-test reports")
    add_common(q, SCHEMA)
    q.set_defaults(handler=extract)

    def edits(q: argparse.ArgumentParser) -> None:
        q.add_argument("--title")
        q.add_argument("--severity", choices=SEVERITIES)
        q.add_argument("--owner")
        q.add_argument("--due", help="YYYY-MM-DD")
        q.add_argument("--status", choices=STATUSES)
        q.add_argument("--note", default="")

    add_review_parsers(
        fs, COMMANDS, schema=SCHEMA, fields=edits, what="finding (status, owner, due date ...)"
    )


def _register(settings: Settings) -> FindingsRegister:
    return FindingsRegister(open_database(settings))


def _line(f: Finding) -> str:
    where = f"{f.source} p. {f.page}" if f.page else f.source
    late = " OVERDUE" if f.overdue() else ""
    upd = f" (update of #{f.replaces})" if f.replaces and f.review == "proposed" else ""
    return (
        f"#{f.key:<4} {f.ref:<10} {f.severity or '?':<8} {f.status:<13} due {f.due or '?':<10}{late} "
        f"{f.owner or 'owner?'} — {f.title}{upd}  [{where}]"
    )


def _emit(client: str, findings: list[Finding], args: argparse.Namespace, **extra) -> int:
    if args.json:
        emit_json({"client": client, "findings": [f.as_json() for f in findings], **extra})
        return EXIT_OK
    for f in findings:
        print(_line(f))
        for h in f.history:
            when = h["date"] if h.get("origin") == "document" else h["ts"][:19]
            cite = h.get("citation") or {}
            page = f" p. {cite['page']}" if cite.get("page") else ""
            where = f"  [{cite['source']}{page}]" if cite else ""
            print(
                f"       {when} {h['user']} {h['action']}" + (f": {h['note']}" if h["note"] else "") + where
            )
    if not findings:
        print("no findings")
    return EXIT_OK


def list_findings(args: argparse.Namespace, settings: Settings) -> int:
    review = "proposed" if args.proposals else "confirmed"
    found = _register(settings).list(args.client, user=local_operator(), review=review, history=args.history)
    return _emit(args.client, found, args)


def extract(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.factory import build_advisor
    from advisor.register.extract import extract_for_client

    user = local_operator()
    adv = build_advisor(settings)
    require_known_client(adv, args.client)
    result = _register(settings).propose(
        args.client, extract_for_client(adv, args.client, user=user), user=user
    )
    proposed = result["new"] + result["updates"]
    counts = {k: len(v) for k, v in result.items()}
    if not args.json:
        print(
            f"{counts['new']} new, {counts['updates']} updates, {counts['unchanged']} unchanged; "
            f"confirm with `vciso findings confirm --client {args.client} #...` or reject them"
        )
    return _emit(args.client, proposed, args, counts=counts)


COMMANDS = ReviewCommands(_register, EDITABLE, lambda _s, client, found, args: _emit(client, found, args))
