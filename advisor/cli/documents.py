"""`vciso ingest | forget | sources | clients | kb build | demo` (`kb fetch|sources|vectors`:
advisor/cli/corpus.py)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, EXIT_PARTIAL, UsageError, emit_json
from advisor.errors import IngestError
from advisor.factory import build_advisor
from advisor.settings import Settings
from ingest.types import DOC_TYPES

DEMO_CLIENTS = ("meridian-health", "ledgerly")


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("ingest", help="index client documents (files or folders)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--client", required=True)
    p.add_argument(
        "--doc-type", choices=DOC_TYPES, help="document type (inferred from name and content when absent)"
    )
    p.add_argument(
        "--prune", action="store_true", help="remove documents that disappeared from the named folders"
    )
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=ingest)

    p = sub.add_parser("forget", help="remove a document and its chunks")
    p.add_argument("path", help="the file path or source name")
    p.add_argument("--client", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=forget)

    p = sub.add_parser("sources", help="list a client's documents")
    p.add_argument("--client", required=True)
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=sources)

    p = sub.add_parser("clients", help="list clients with indexed documents")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=clients)

    kb = sub.add_parser("kb", help="the built-in regulatory library").add_subparsers(
        dest="kb_command", required=True
    )
    p = kb.add_parser("build", help="build the library collection (idempotent)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=kb_build)
    from advisor.cli.corpus import register_kb

    register_kb(kb)  # kb fetch | sources | vectors

    p = sub.add_parser("demo", help="ingest the two demo clients from knowledge_base/demo")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=demo)


def _print_report(report, *, as_json: bool) -> None:
    if as_json:
        emit_json(report.as_contract())
        return
    for label, items in (
        ("added", report.added),
        ("updated", report.updated),
        ("unchanged", report.unchanged),
        ("removed", report.removed),
    ):
        for item in items:
            print(f"  {label:<9} {item}")
    for f in report.failed:
        print(f"  FAILED    {f['path']}: {f['error']}")
    for w in report.warnings:
        print(f"  WARNING   {w['path']}: {w['warning']}")
    print(
        f"{len(report.added)} added, {len(report.updated)} updated, {len(report.unchanged)} unchanged, "
        f"{len(report.removed)} removed, {len(report.failed)} failed; {report.chunks} chunks indexed"
    )


def _waiting(message: str) -> None:
    """Another process holds the client's write lock: say so on stderr (stdout stays the report)."""
    print(f"  … {message}", file=sys.stderr, flush=True)


def ingest(args: argparse.Namespace, settings: Settings) -> int:
    advisor = build_advisor(settings)
    progress = None
    if not args.json and sys.stderr.isatty():
        progress = lambda path, status: print(f"  … {status:<9} {path}", file=sys.stderr)  # noqa: E731
    report = advisor.ingest(
        args.paths,
        args.client,
        user=local_operator(),
        doc_type=args.doc_type,
        prune=args.prune,
        progress=progress,
        wait=_waiting,
    )
    _print_report(report, as_json=args.json)
    return EXIT_OK if report.ok else EXIT_PARTIAL


def forget(args: argparse.Namespace, settings: Settings) -> int:
    try:
        record = build_advisor(settings).forget(args.path, args.client, user=local_operator(), wait=_waiting)
    except IngestError as exc:
        raise UsageError(exc.reason) from exc
    if args.json:
        emit_json({"removed": [record.path], "chunks": len(record.chunk_ids)})
    else:
        print(f"removed {record.source} ({len(record.chunk_ids)} chunks) from client {args.client}")
    return EXIT_OK


def sources(args: argparse.Namespace, settings: Settings) -> int:
    docs = build_advisor(settings).sources(args.client, user=local_operator())
    if args.json:
        emit_json(
            {
                "client": args.client,
                "documents": [
                    {
                        "source": d.source,
                        "path": d.path,
                        "doc_type": d.doc_type,
                        "title": d.title,
                        "pages": d.pages,
                        "chunks": len(d.chunk_ids),
                        "ingested_at": d.ingested_at,
                        "sha256": d.sha256,
                        "warnings": d.warnings,
                    }
                    for d in docs
                ],
            }
        )
        return EXIT_OK
    if not docs:
        print(f"no documents for client {args.client}")
    for d in docs:
        pages = f"{d.pages} p." if d.pages else "-"
        print(f"{d.source:<45} {d.doc_type:<14} {pages:>6} {len(d.chunk_ids):>4} chunks  {d.ingested_at}")
    return EXIT_OK


def clients(args: argparse.Namespace, settings: Settings) -> int:
    names = build_advisor(settings).clients(user=local_operator())
    if args.json:
        emit_json({"clients": names})
    else:
        print("\n".join(names) if names else "no clients yet")
    return EXIT_OK


def kb_build(args: argparse.Namespace, settings: Settings) -> int:
    report = build_advisor(settings).build_library(wait=_waiting)
    if args.json:
        emit_json(
            {
                "added": report.added,
                "removed": report.removed,
                "total": report.total,
                "prebuilt": report.prebuilt,
                "frameworks": report.by_framework,
            }
        )
    else:
        for key, n in report.by_framework.items():
            print(f"  {key:<14} {n:>5} clauses")
        state = (
            (
                f"{report.added} added ({report.prebuilt} from prebuilt vectors, "
                f"{report.added - report.prebuilt} "
                f"embedded), {report.removed} removed"
            )
            if report.changed
            else "already up to date"
        )
        print(f"library: {report.total} clauses ({state})")
    return EXIT_OK


def demo(args: argparse.Namespace, settings: Settings) -> int:
    advisor = build_advisor(settings)
    advisor.ensure_library()
    root = settings.knowledge_base / "demo"
    results = {}
    code = EXIT_OK
    for client in DEMO_CLIENTS:
        report = advisor.ingest([root / client], client, user=local_operator(), prune=True)
        results[client] = report.as_contract()
        code = code if report.ok else EXIT_PARTIAL
        if not args.json:
            print(f"{client}:")
            _print_report(report, as_json=False)
    if args.json:
        emit_json(results)
    return code
