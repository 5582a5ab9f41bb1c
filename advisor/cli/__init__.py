"""The `vciso` command. Each subcommand lives in a small module that registers its parser."""

from __future__ import annotations

import argparse
import json
import logging
import sys
from collections.abc import Callable

from advisor.errors import AdvisorError
from advisor.settings import Settings

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(AdvisorError):
    """Bad arguments: exit code 2."""


def emit_json(payload: object) -> None:
    json.dump(payload, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def _parser() -> argparse.ArgumentParser:
    from advisor.cli import (answers, api, assessment, crosswalk, doctor, documents, drafting, evaluation, findings,
                             people, worker)

    parser = argparse.ArgumentParser(prog="vciso", description="vciso — a virtual-CISO advisory assistant.")
    parser.add_argument("-v", "--verbose", action="store_true", help="log progress to stderr")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for module in (documents, answers, people, drafting, findings, assessment, crosswalk, evaluation, api, doctor,
                   worker):
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # argparse exits 2 on usage errors, 0 on --help
        return int(exc.code or 0)
    settings = Settings()
    logging.basicConfig(level=logging.INFO if args.verbose else getattr(logging, settings.log_level.upper(), logging.WARNING),
                        format="%(levelname)s %(name)s: %(message)s")
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


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
