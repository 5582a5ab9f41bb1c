"""`vciso findings ...`: the findings register (list, extract proposals, confirm/reject, update status)."""

from __future__ import annotations

import argparse

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, emit_json
from advisor.db import open_database
from advisor.errors import NotFound
from advisor.register.findings import EDITABLE, SEVERITIES, STATUSES, Finding, FindingsRegister
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "findings", help="findings register: extract proposals from reports, review, track status"
    )
    fs = p.add_subparsers(dest="findings_command", metavar="ACTION", required=True)

    def common(q: argparse.ArgumentParser) -> None:
        q.add_argument("--client", required=True)
        q.add_argument("--json", action="store_true", help="print JSON (contract: findings.schema.json)")

    q = fs.add_parser("list", help="the register (confirmed findings), or --proposals awaiting review")
    common(q)
    q.add_argument("--proposals", action="store_true", help="list proposals awaiting review instead")
    q.add_argument("--history", action="store_true", help="include each finding's history")
    q.set_defaults(handler=list_findings)

    q = fs.add_parser("extract", help="propose findings from the client's audit/assessment/pen-test reports")
    common(q)
    q.set_defaults(handler=extract)

    def edits(q: argparse.ArgumentParser) -> None:
        q.add_argument("--title")
        q.add_argument("--severity", choices=SEVERITIES)
        q.add_argument("--owner")
        q.add_argument("--due", help="YYYY-MM-DD")
        q.add_argument("--status", choices=STATUSES)
        q.add_argument("--note", default="")

    q = fs.add_parser(
        "confirm", help="confirm proposals (by register number, or --all), optionally editing fields"
    )
    common(q)
    q.add_argument("keys", nargs="*", type=int, help="register numbers (#) of proposals")
    q.add_argument("--all", action="store_true", help="confirm every pending proposal of the client")
    edits(q)
    q.set_defaults(handler=confirm)

    q = fs.add_parser(
        "reject", help="reject proposals (they are not proposed again unless the report changes)"
    )
    common(q)
    q.add_argument("keys", nargs="+", type=int)
    q.add_argument("--note", default="")
    q.set_defaults(handler=reject)

    q = fs.add_parser("update", help="change a confirmed finding (status, owner, due date ...) with a note")
    common(q)
    q.add_argument("key", type=int)
    edits(q)
    q.set_defaults(handler=update)


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
            print(
                f"       {h['ts'][:19]} {h['user']} {h['action']}" + (f": {h['note']}" if h["note"] else "")
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
    if args.client not in adv.clients(user=user):
        raise NotFound(
            f"unknown client {args.client!r}; known: {', '.join(adv.clients(user=user)) or 'none'}"
        )
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


def confirm(args: argparse.Namespace, settings: Settings) -> int:
    user, reg = local_operator(), _register(settings)
    keys = list(args.keys)
    if args.all:
        keys += [f.key for f in reg.list(args.client, user=user, review="proposed") if f.key not in keys]
    if not keys:
        raise NotFound(f"no proposals to confirm for {args.client!r}: give register numbers or --all")
    changes = {k: getattr(args, k) for k in EDITABLE}
    done = [reg.confirm(args.client, k, user=user, edits=changes, note=args.note) for k in keys]
    return _emit(args.client, done, args)


def reject(args: argparse.Namespace, settings: Settings) -> int:
    user, reg = local_operator(), _register(settings)
    return _emit(
        args.client, [reg.reject(args.client, k, user=user, note=args.note) for k in args.keys], args
    )


def update(args: argparse.Namespace, settings: Settings) -> int:
    changes = {k: getattr(args, k) for k in EDITABLE}
    f = _register(settings).update(args.client, args.key, user=local_operator(), note=args.note, **changes)
    return _emit(args.client, [f], args)
