"""`vciso risks ...`: the risk register (list with a heat map, propose, add, confirm/reject, update)."""

from __future__ import annotations

import argparse
from pathlib import Path

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.cli.review import ReviewCommands, add_common, add_review_parsers, require_known_client
from advisor.db import open_database
from advisor.register.risks import EDITABLE, TREATMENTS, Risk, RiskRegister
from advisor.settings import Settings

SCHEMA = "risks.schema.json"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "risks", help="risk register: propose from findings and documents, add, update, heat map"
    )
    rs = p.add_subparsers(dest="risks_command", metavar="ACTION", required=True)

    def fields(q: argparse.ArgumentParser) -> None:
        q.add_argument("--title")
        for name in ("likelihood", "impact", "residual-likelihood", "residual-impact"):
            q.add_argument(f"--{name}", type=int)
        q.add_argument("--treatment", choices=TREATMENTS)
        q.add_argument("--treatment-plan")
        q.add_argument("--owner")
        q.add_argument("--review-date", help="YYYY-MM-DD")
        q.add_argument("--note", default="")

    q = rs.add_parser("list", help="the register, highest score first (or --proposals)")
    add_common(q, SCHEMA)
    q.add_argument("--proposals", action="store_true")
    q.add_argument("--heatmap", type=Path, help="also write the heat map to FILE.png")
    q.add_argument("--residual", action="store_true", help="heat map of residual instead of inherent scores")
    q.set_defaults(handler=list_risks)

    q = rs.add_parser(
        "propose", help="propose risks from confirmed findings and the client's risk-register documents"
    )
    add_common(q, SCHEMA)
    q.set_defaults(handler=propose)

    q = rs.add_parser("add", help="add a risk directly (confirmed)")
    add_common(q, SCHEMA)
    q.add_argument("--ref", required=True, help="the risk's id, e.g. R-12")
    fields(q)
    q.set_defaults(handler=add)

    add_review_parsers(rs, COMMANDS, schema=SCHEMA, fields=fields, what="risk")


def _reg(settings: Settings) -> RiskRegister:
    return RiskRegister(open_database(settings), scale=settings.risk_scale)


def _emit(client: str, risks: list[Risk], args: argparse.Namespace, scale: int, **extra) -> int:
    if args.json:
        emit_json({"client": client, "scale": scale, "risks": [r.as_json() for r in risks], **extra})
        return EXIT_OK
    for r in risks:
        res = f" -> residual {r.residual}" if r.residual else ""
        print(
            f"#{r.key:<4} {r.ref:<10} score {r.inherent or '?':<3}{res} {r.treatment or 'untreated':<9} "
            f"{r.owner or 'owner?'} review {r.review_date or '?'} — {r.title}"
            + (f"  [findings {', '.join(r.findings)}]" if r.findings else "")
        )
    if not risks:
        print("no risks")
    return EXIT_OK


def list_risks(args: argparse.Namespace, settings: Settings) -> int:
    reg = _reg(settings)
    risks = reg.list(args.client, user=local_operator(), review="proposed" if args.proposals else "confirmed")
    if args.heatmap is not None:
        from advisor.register.charts import risk_heatmap

        if args.heatmap.suffix.lower() != ".png":
            raise UsageError(f"--heatmap must end in .png, not {args.heatmap.name!r}")
        args.heatmap.write_bytes(
            risk_heatmap(
                risks,
                reg.scale,
                residual=args.residual,
                title=f"{args.client}: {'residual' if args.residual else 'inherent'} risk",
            )
        )
    return _emit(args.client, risks, args, reg.scale)


def propose(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.factory import build_advisor
    from advisor.register.findings import FindingsRegister
    from advisor.register.risks import from_documents, from_findings

    user, reg = local_operator(), _reg(settings)
    adv = build_advisor(settings)
    require_known_client(adv, args.client)
    documents = from_documents(adv.tenant_index(args.client, user=user).chunks, reg.scale)
    confirmed = FindingsRegister(reg.db).list(args.client, user=user)
    covered = {f for r in documents for f in r.findings}  # a finding the client's own register already covers
    result = reg.propose(
        args.client,
        documents + [r for r in from_findings(confirmed, reg.scale) if r.findings[0] not in covered],
        user=user,
    )
    counts = {k: len(v) for k, v in result.items()}
    if not args.json:
        print(f"{counts['new']} new, {counts['unchanged']} already in the register")
    return _emit(args.client, result["new"], args, reg.scale, counts=counts)


def add(args: argparse.Namespace, settings: Settings) -> int:
    reg = _reg(settings)
    values = {k: v for k, v in COMMANDS.edits(args).items() if v is not None}
    risk = reg.add(
        args.client,
        Risk(ref=args.ref, title=values.pop("title", args.ref), **values),
        user=local_operator(),
        note=args.note,
    )
    return _emit(args.client, [risk], args, reg.scale)


COMMANDS = ReviewCommands(
    _reg, EDITABLE, lambda settings, client, risks, args: _emit(client, risks, args, settings.risk_scale)
)
