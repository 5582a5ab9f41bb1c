"""`vciso ask | audit`."""

from __future__ import annotations

import argparse
import textwrap

from advisor.access.policy import local_operator
from advisor.access.security_log import EVENT_TYPES
from advisor.cli import EXIT_OK, emit_json
from advisor.factory import build_advisor
from advisor.models import AUDIENCES, Answer
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ask", help="ask a question about one client (and the regulatory library)")
    p.add_argument("question")
    p.add_argument("--client", required=True, help="client id, or 'library' for the built-in library only")
    p.add_argument("--audience", choices=AUDIENCES, default="consultant")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=ask)

    p = sub.add_parser("audit", help="show the audit log of questions and answers")
    p.add_argument("--client")
    p.add_argument("--user")
    p.add_argument("--limit", type=int, default=50)
    p.add_argument(
        "--event",
        metavar="TYPE",
        choices=[*EVENT_TYPES, "all"],
        help="show security events of this type instead of answers ('all': every type): "
        + ", ".join(EVENT_TYPES),
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=audit)


def render(answer: Answer) -> str:
    """Terminal rendering: the answer, then the numbered sources."""
    lines = [answer.text, ""]
    if answer.citations:
        lines.append("Sources:")
        for c in answer.citations:
            owner = "" if c.client is None else f" [client {c.client}]"
            lines.append(f"  {c.heading()}{owner}")
            lines.append(textwrap.indent(textwrap.fill(f"“{c.quote}”", 96), "      "))
    if answer.removed:
        lines.append(f"({len(answer.removed)} unsupported sentence(s) removed by verification)")
    lines.append(f"[{answer.backend}, {answer.latency_ms:.0f} ms{', abstained' if answer.abstained else ''}]")
    return "\n".join(lines)


def ask(args: argparse.Namespace, settings: Settings) -> int:
    client = None if args.client == "library" else args.client
    answer = build_advisor(settings).ask(args.question, client, audience=args.audience, user=local_operator())
    if args.json:
        emit_json(answer.as_contract())
    else:
        print(render(answer))
    return EXIT_OK


def security_events(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.access.security_log import SecurityLog
    from advisor.db import open_database

    events = SecurityLog(open_database(settings)).list(
        event=None if args.event == "all" else args.event,
        client=args.client,
        user=args.user,
        limit=args.limit,
    )
    if args.json:
        emit_json({"events": [e.as_json() for e in events]})
        return EXIT_OK
    for e in events:
        where = f" {e.client}" if e.client else ""
        what = f" {e.object}" if e.object else ""
        print(
            f"#{e.id} {e.ts} {e.event} {e.user} from {e.source}{where}{what} [{e.outcome}]"
            + (f" {e.detail}" if e.detail else "")
        )
    if not events:
        print("no security events")
    return EXIT_OK


def audit(args: argparse.Namespace, settings: Settings) -> int:
    if args.event:
        return security_events(args, settings)
    records = build_advisor(settings).audit.list(client=args.client, user=args.user, limit=args.limit)
    if args.json:
        emit_json({"records": [r.as_json() for r in records]})
        return EXIT_OK
    for r in records:
        flag = " (abstained)" if r.abstained else ""
        print(f"#{r.id} {r.ts} {r.user} {r.client or 'library'} {r.audience} {r.engine}{flag}")
        print(f"   Q: {r.question}")
        print(f"   {len(r.citations)} citation(s); feedback: {r.feedback or '-'}")
    if not records:
        print("no audit records")
    return EXIT_OK
