"""`vciso kb fetch | sources | vectors`: the regulatory texts (corpus folder) and the prebuilt vectors."""

from __future__ import annotations

import argparse
import sys

from advisor.cli import EXIT_OK, EXIT_PARTIAL, UsageError, emit_json
from advisor.settings import Settings
from ingest.frameworks.registry import FRAMEWORKS, Framework


def register_kb(kb: argparse._SubParsersAction) -> None:
    """Add the corpus subcommands to the `vciso kb` group."""
    p = kb.add_parser("fetch", help="download the regulatory texts from their publishers, verified by sha256")
    p.add_argument(
        "--only", choices=tuple(FRAMEWORKS), metavar="ID", help=f"one framework ({', '.join(FRAMEWORKS)})"
    )
    mode = p.add_mutually_exclusive_group()
    mode.add_argument(
        "--update",
        action="store_true",
        help="report what changed upstream (new sha256 vs pinned) without replacing anything",
    )
    mode.add_argument("--check", action="store_true", help="only check the corpus folder against the pins")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=kb_fetch)

    p = kb.add_parser("sources", help="publisher, version, licence and official URL of each framework")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=kb_sources)

    p = kb.add_parser("vectors", help="check (or --write) the prebuilt library vectors in knowledge_base/")
    p.add_argument("--write", action="store_true", help="embed the library and write the file")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=kb_vectors)


def _selected(only: str | None) -> list[Framework]:
    return [FRAMEWORKS[only]] if only else list(FRAMEWORKS.values())


def kb_fetch(args: argparse.Namespace, settings: Settings) -> int:
    from ingest.frameworks.corpus import file_states
    from ingest.frameworks.fetch import fetch, upstream_changes

    frameworks = _selected(args.only)
    corpus = settings.corpus
    if args.check:
        states = [s for fw in frameworks for s in file_states(corpus, fw)]
        bad = [s for s in states if s.status != "ok"]
        if args.json:
            emit_json(
                {
                    "corpus_dir": str(corpus),
                    "files": [
                        {"framework": s.framework, "file": s.file.name, "status": s.status} for s in states
                    ],
                }
            )
        else:
            for s in bad:
                print(f"  {s.status:<8} {s.framework}/{s.file.name}")
            print(f"corpus {corpus}: {len(states) - len(bad)} of {len(states)} files match their pins")
        return EXIT_OK if not bad else EXIT_PARTIAL
    if args.update:
        changes = upstream_changes(frameworks, mirror=settings.corpus_mirror, progress=not args.json)
        if args.json:
            emit_json(
                {
                    "files": [
                        {
                            "framework": c.framework,
                            "file": c.name,
                            "url": c.url,
                            "pinned": c.pinned,
                            "upstream": c.upstream,
                            "changed": c.changed,
                            "error": c.error,
                        }
                        for c in changes
                    ]
                }
            )
        else:
            for c in changes:
                if c.error:
                    print(f"  error    {c.framework}/{c.name}: {c.error}", file=sys.stderr)
                elif c.changed:
                    print(
                        f"  changed  {c.framework}/{c.name}: pinned {c.pinned[:12]}…, "
                        f"upstream {c.upstream[:12]}…"
                    )
            changed = sum(c.changed for c in changes)
            print(
                f"{changed} of {len(changes)} files changed upstream; nothing was replaced "
                "(update the pins in ingest/frameworks/registry.py to adopt a new text)"
            )
        return EXIT_OK if not any(c.error for c in changes) else EXIT_PARTIAL
    report = fetch(corpus, frameworks, mirror=settings.corpus_mirror, progress=not args.json)
    if args.json:
        emit_json(
            {
                "corpus_dir": str(corpus),
                "files": [
                    {
                        "framework": r.framework,
                        "file": r.name,
                        "status": r.status,
                        "url": r.url,
                        "error": r.error,
                    }
                    for r in report.results
                ],
            }
        )
    else:
        for r in report.failed:
            print(f"  error  {r.framework}/{r.name}: {r.error}", file=sys.stderr)
        print(
            f"corpus {corpus}: {report.count('downloaded')} downloaded, {report.count('present')} already "
            f"verified, {len(report.failed)} failed"
        )
    return EXIT_OK if report.ok else EXIT_PARTIAL


def kb_sources(args: argparse.Namespace, settings: Settings) -> int:
    rows = [
        {
            "id": f.id,
            "name": f.name,
            "publisher": f.publisher,
            "version": f.version,
            "licence": f.licence,
            "url": f.url,
            "attribution": f.attribution,
            "in_library": f.ships,
        }
        for f in FRAMEWORKS.values()
    ]
    if args.json:
        emit_json({"frameworks": rows})
        return EXIT_OK
    for r in rows:
        state = "" if r["in_library"] else "  (not yet in the library)"
        print(f"{r['name']} — {r['version']}{state}\n  {r['publisher']}; {r['licence']}\n  {r['url']}")
    return EXIT_OK


def kb_vectors(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.retrieval.prebuilt import check_vectors, write_vectors

    if settings.embedding != "minilm":
        raise UsageError("prebuilt vectors are MiniLM vectors: unset VCISO_EMBEDDING (or set it to minilm)")
    if args.write:
        summary = write_vectors(settings)
    else:
        summary = check_vectors(settings)
    if args.json:
        emit_json(summary.as_dict())
    else:
        print(summary.describe())
    return EXIT_OK if summary.fresh else EXIT_PARTIAL
