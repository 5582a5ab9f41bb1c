"""The `vciso` command. Each subcommand lives in a small module that registers its parser."""

from __future__ import annotations

import argparse
import json
import logging
import os
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

from ingest.errors import AdvisorError  # advisor.errors re-exports it; this one imports nothing heavy

if TYPE_CHECKING:
    from advisor.settings import Settings

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(AdvisorError):
    """Bad arguments: exit code 2."""


def emit_json(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


# The command modules, in the order `vciso --help` lists them. A module is imported only when one of its
# commands runs (its imports reach the embedding model, Chroma and the database), so `vciso --help` and the
# light commands start fast. tests/test_cli_startup.py checks this table against the modules' own parsers.
MODULES = (
    "documents",
    "answers",
    "people",
    "drafting",
    "findings",
    "risks",
    "vendors",
    "report",
    "assessment",
    "crosswalk",
    "evaluation",
    "api",
    "doctor",
    "worker",
)
COMMANDS: dict[str, tuple[str, str]] = {
    "ingest": ("documents", "index client documents (files or folders)"),
    "forget": ("documents", "remove a document and its chunks"),
    "sources": ("documents", "list a client's documents"),
    "clients": ("documents", "list clients with indexed documents"),
    "kb": ("documents", "the built-in regulatory library"),
    "demo": ("documents", "ingest the two demo clients from knowledge_base/demo"),
    "ask": ("answers", "ask a question about one client (and the regulatory library)"),
    "audit": ("answers", "show the audit log of questions and answers"),
    "users": ("people", "local users and their roles"),
    "draft": ("drafting", "draft policies and board memos for human review; review workflow"),
    "findings": ("findings", "findings register: extract proposals from reports, review, track status"),
    "risks": ("risks", "risk register: propose from findings and documents, add, update, heat map"),
    "vendors": ("vendors", "vendor risk: inventory from vendor registers and contracts, flags with evidence"),
    "report": ("report", "periodic security posture report (PDF or DOCX), reviewed as a draft"),
    "gaps": ("assessment", "gap analysis of one client's documents against a framework"),
    "questionnaire": (
        "assessment",
        "fill in a security questionnaire (xlsx or csv) from a client's documents",
    ),
    "map": ("crosswalk", "crosswalk: the clauses of another framework that correspond to a clause"),
    "eval": ("evaluation", "evaluate answer quality side by side and compare with the baseline"),
    "api": ("api", "serve the HTTP API (OpenAPI docs at /docs)"),
    "tokens": ("api", "personal API tokens"),
    "doctor": ("doctor", "check (and repair) the stores against their manifests"),
    "worker": ("worker", "run queued jobs (uploads) until stopped"),
}


def _command(argv: list[str]) -> str | None:
    """The subcommand named on the command line (the first argument that is not an option), if any."""
    for arg in argv:
        if not arg.startswith("-"):
            return arg
    return None


def _parser(argv: list[str] | None = None) -> argparse.ArgumentParser:
    """The full parser of the named command's module; without a known command, a listing of all commands."""
    import importlib

    parser = argparse.ArgumentParser(prog="vciso", description="vciso — a virtual-CISO advisory assistant.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    command = _command(sys.argv[1:] if argv is None else argv)
    if command in COMMANDS:
        importlib.import_module(f"advisor.cli.{COMMANDS[command][0]}").register(sub)
    else:
        for name, (_module, help_text) in COMMANDS.items():
            sub.add_parser(name, help=help_text)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser(argv)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    from advisor.settings import Settings

    settings = Settings()
    logging.basicConfig(
        level=logging.INFO if args.verbose else getattr(logging, settings.log_level.upper(), logging.WARNING),
        format="%(levelname)s %(name)s: %(message)s",
    )
    handler: Callable[[argparse.Namespace, Settings], int] = args.handler
    try:
        return handler(args, settings)
    except UsageError as exc:
        print(f"vciso: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except AdvisorError as exc:
        print(f"vciso: error: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    except KeyboardInterrupt:
        print("vciso: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # "vciso ask … | head": the reader left; say nothing more
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    finally:
        if (
            "advisor.access.security_log" in sys.modules
        ):  # refused access is written off-thread: finish before exit
            sys.modules["advisor.access.security_log"].flush_denials()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
