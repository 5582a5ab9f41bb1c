"""What `vciso findings` and `vciso risks` share: the review actions of a register (confirm, reject, update
with a note), the `--client`/`--json` arguments and the known-client check.

A register command module describes itself with a :class:`ReviewCommands` (how to open its register, which
fields people may edit, how to print entries) and calls :func:`add_review_parsers`.
"""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from advisor.access.policy import local_operator
from advisor.errors import NotFound
from advisor.settings import Settings


class Reviewed(Protocol):
    key: int | None


class Register(Protocol):
    """The review operations the findings and risk registers both offer."""

    def list(self, client: str, *, user: Any, review: str = ...) -> Sequence[Any]: ...

    def confirm(
        self, client: str, key: int, *, user: Any, edits: dict[str, Any] | None = ..., note: str = ...
    ) -> Any: ...

    def reject(self, client: str, key: int, *, user: Any, note: str = ...) -> Any: ...

    def update(self, client: str, key: int, *, user: Any, note: str, **changes: Any) -> Any: ...


@dataclass(frozen=True)
class ReviewCommands:
    """One register's review actions. ``emit(settings, client, entries, args)`` prints or emits JSON."""

    open: Callable[[Settings], Register]
    editable: tuple[str, ...]
    emit: Callable[[Settings, str, list[Any], argparse.Namespace], int]

    def edits(self, args: argparse.Namespace) -> dict[str, Any]:
        return {k: getattr(args, k) for k in self.editable}

    def list(self, args: argparse.Namespace, settings: Settings, review: str) -> list[Any]:
        return list(self.open(settings).list(args.client, user=local_operator(), review=review))

    def confirm(self, args: argparse.Namespace, settings: Settings) -> int:
        user, reg = local_operator(), self.open(settings)
        keys = list(args.keys)
        if args.all:
            keys += [e.key for e in reg.list(args.client, user=user, review="proposed") if e.key not in keys]
        if not keys:
            raise NotFound(f"no proposals to confirm for {args.client!r}: give register numbers or --all")
        edits = self.edits(args)
        done = [reg.confirm(args.client, k, user=user, edits=edits, note=args.note) for k in keys]
        return self.emit(settings, args.client, done, args)

    def reject(self, args: argparse.Namespace, settings: Settings) -> int:
        user, reg = local_operator(), self.open(settings)
        done = [reg.reject(args.client, k, user=user, note=args.note) for k in args.keys]
        return self.emit(settings, args.client, done, args)

    def update(self, args: argparse.Namespace, settings: Settings) -> int:
        entry = self.open(settings).update(
            args.client, args.key, user=local_operator(), note=args.note, **self.edits(args)
        )
        return self.emit(settings, args.client, [entry], args)


def add_common(q: argparse.ArgumentParser, schema: str) -> None:
    q.add_argument("--client", required=True)
    q.add_argument("--json", action="store_true", help=f"print JSON (contract: {schema})")


def add_review_parsers(
    sub: argparse._SubParsersAction,
    commands: ReviewCommands,
    *,
    schema: str,
    fields: Callable[[argparse.ArgumentParser], None],
    what: str,
) -> None:
    """The `confirm`, `reject` and `update` actions; ``fields`` adds the editable fields (and --note)."""
    q = sub.add_parser(
        "confirm", help="confirm proposals (by register number, or --all), optionally editing fields"
    )
    add_common(q, schema)
    q.add_argument("keys", nargs="*", type=int, help="register numbers (#) of proposals")
    q.add_argument("--all", action="store_true", help="confirm every pending proposal of the client")
    fields(q)
    q.set_defaults(handler=commands.confirm)

    q = sub.add_parser("reject", help="reject proposals (not proposed again unless the source changes)")
    add_common(q, schema)
    q.add_argument("keys", nargs="+", type=int)
    q.add_argument("--note", default="")
    q.set_defaults(handler=commands.reject)

    q = sub.add_parser("update", help=f"change a confirmed {what} with a note (history kept)")
    add_common(q, schema)
    q.add_argument("key", type=int)
    fields(q)
    q.set_defaults(handler=commands.update)


def require_known_client(adv: Any, client: str) -> None:
    """Refuse a client that has no documents (a typo would otherwise propose nothing, silently)."""
    known = adv.clients(user=local_operator())
    if client not in known:
        raise NotFound(f"unknown client {client!r}; known: {', '.join(known) or 'none'}")
