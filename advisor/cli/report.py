"""`vciso report --client ID --period 2026-Q4 --out report.pdf|docx`: the periodic security posture
report, stored in review through the draft workflow (the export carries the DRAFT banner until approved)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.db import open_database
from advisor.errors import NotFound
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    q = sub.add_parser("report", help="periodic security posture report (PDF or DOCX), reviewed as a draft")
    q.add_argument("--client", required=True)
    q.add_argument("--period", required=True, help="YYYY-Qn or YYYY, e.g. 2026-Q4")
    q.add_argument("--out", type=Path, required=True, help="FILE.pdf or FILE.docx")
    q.add_argument("--json", action="store_true", help="print the stored draft (contract: draft.schema.json)")
    q.set_defaults(handler=report)


def report(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.drafting.store import DraftStore
    from advisor.factory import build_advisor
    from advisor.register.report import build, to_docx, to_pdf

    suffix = args.out.suffix.lower()
    if suffix not in (".pdf", ".docx"):
        raise UsageError(f"--out must end in .pdf or .docx, not {args.out.name!r}")
    user = local_operator()
    adv = build_advisor(settings)
    if args.client not in adv.clients(user=user):
        known = ", ".join(adv.clients(user=user)) or "none"
        raise NotFound(f"unknown client {args.client!r}; known: {known}")
    draft, pictures = build(adv, args.client, args.period, user=user)
    try:
        author = getpass.getuser()
    except Exception:  # no login name in some containers
        author = "cli"
    store = DraftStore(open_database(settings))
    stored = store.submit(store.create(draft, author, user=user).id, user=user)  # straight to review
    v = stored.latest
    export = to_pdf if suffix == ".pdf" else to_docx
    kwargs = {"status": v.status} if suffix == ".pdf" else {"status": v.status, "version": v.version}
    args.out.write_bytes(export(v.text, v.citations, pictures, **kwargs))
    if args.json:
        emit_json(stored.as_contract(v))
    print(
        f"[report draft {stored.id}, version {v.version}, {v.status}; {len(pictures)} charts, "
        f"{len(v.citations)} citations; written to {args.out}; approve or reject with `vciso draft`]",
        file=sys.stderr,
    )
    return EXIT_OK
