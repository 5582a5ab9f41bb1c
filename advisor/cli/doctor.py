"""`vciso doctor [--client ID] [--repair] [--json]`: are the stores and their manifests consistent?

Exit 0 when no problem remains, 1 when some do (after ``--repair``: when repair could not fix them).
"""

from __future__ import annotations

import argparse
import sys

from advisor.cli import EXIT_OK, EXIT_PARTIAL, emit_json
from advisor.factory import build_advisor
from advisor.settings import Settings
from advisor.store.consistency import Health


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("doctor", help="check (and repair) the stores against their manifests")
    p.add_argument("--client", help="one client (default: every client and the library)")
    p.add_argument(
        "--repair",
        action="store_true",
        help="delete unlisted chunks, drop entries without chunks and collections without a manifest",
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=doctor)


def _line(h: Health) -> str:
    name = h.client or "library"
    if not h.problems:
        return f"  ok        {name}: {h.documents} documents, {h.chunks} chunks" + (
            " (repaired)" if h.repaired else ""
        )
    parts = []
    if h.stray_chunks:
        parts.append(f"{h.stray_chunks} chunks without a manifest entry")
    if h.entries_without_chunks:
        parts.append(
            f"{len(h.entries_without_chunks)} entries without (all of) their chunks: "
            + ", ".join(h.entries_without_chunks[:5])
            + (" ..." if len(h.entries_without_chunks) > 5 else "")
        )
    if h.collection_without_manifest:
        parts.append("a collection without a manifest")
    if h.interrupted_change:
        parts.append("an interrupted change not yet recovered")
    return f"  PROBLEM   {name}: " + "; ".join(parts)


def doctor(args: argparse.Namespace, settings: Settings) -> int:
    adv = build_advisor(settings)
    wait = lambda message: print(f"  … {message}", file=sys.stderr)  # noqa: E731
    results = adv.store_health(args.client, repair=args.repair, wait=wait)
    problems = sum(h.problems for h in results)
    if args.json:
        emit_json({"clients": [h.as_dict() for h in results], "problems": problems})
    else:
        for h in results:
            print(_line(h))
        hint = "" if args.repair or not problems else " (run `vciso doctor --repair` to fix them)"
        print(f"{problems} problem(s) in {len(results)} store(s){hint}")
    return EXIT_OK if not problems else EXIT_PARTIAL
