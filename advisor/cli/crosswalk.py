"""`vciso map CLAUSE [--to FRAMEWORK]`: a clause's official mappings, else suggested related clauses."""

from __future__ import annotations

import argparse

from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("map", help="crosswalk: the clauses of another framework that correspond to a clause")
    p.add_argument("clause", help='a clause id: 03.05.03, AC-2(1), "NIS2 Art. 21(2)(d)", ID.IM-P1')
    p.add_argument(
        "--to", metavar="FRAMEWORK", help="only this framework (800-53, 800-171, csf-2.0, nis2, ...)"
    )
    p.add_argument(
        "--from",
        dest="source",
        metavar="FRAMEWORK",
        help="the clause's framework, when the id alone does not say (Art. 23 --from dora)",
    )
    p.add_argument("-k", type=int, default=10, help="how many suggestions at most (default 10)")
    p.add_argument("--json", action="store_true", help="print JSON: clause, to, mappings")
    p.set_defaults(handler=map_clause)


def map_clause(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.factory import build_advisor
    from advisor.retrieval.crosswalk import UnknownClause, UnknownFrameworkName, crosswalk

    if args.k < 1:
        raise UsageError("-k must be at least 1")
    adv = build_advisor(settings)
    try:
        cw = crosswalk(adv, args.clause, to=args.to, source_framework=args.source, k=args.k)
    except (UnknownClause, UnknownFrameworkName) as exc:
        raise UsageError(str(exc)) from None
    if args.json:
        emit_json(cw.as_json())
        return EXIT_OK
    c = cw.clause
    print(f"{c.source} {c.section} — {c.title}")
    if not cw.mappings:
        print("  no related clauses found")
    for m in cw.mappings:
        score = f"  score {m.score:.2f}" if m.score is not None else ""
        print(f"  {m.section:<14} [{m.label}]{score}  {m.source}: {m.title}")
    if cw.official:
        print(f"\nOfficial mappings: {cw.official[0].basis}.")
    if any(m.kind != "official" for m in cw.mappings):
        print("Suggestions are by similarity of text, not an official mapping: a reviewer must judge them.")
    return EXIT_OK
