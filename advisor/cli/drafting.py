"""`vciso draft ...`: policy drafts, board memos, and the review workflow
(list/show/diff/submit/approve/reject/edit)."""

from __future__ import annotations

import argparse
import getpass
import sys
from pathlib import Path

from advisor.access.policy import local_operator
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.db import open_database
from advisor.drafting import POLICY_TYPES
from advisor.drafting.export import to_docx, to_markdown
from advisor.drafting.store import DraftStore, StoredDraft, Version
from advisor.errors import AccessDenied, NotFound
from advisor.settings import Settings


def _default_user() -> str:
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "cli"


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("draft", help="draft policies and board memos for human review; review workflow")
    ds = p.add_subparsers(dest="draft_command", metavar="ACTION", required=True)

    def common(q: argparse.ArgumentParser, out: bool = True) -> None:
        q.add_argument(
            "--json", action="store_true", help="print the draft as JSON (contract: draft.schema.json)"
        )
        if out:
            q.add_argument("--out", type=Path, help="also export to FILE.docx or FILE.md")

    q = ds.add_parser("policy", help="draft a policy from the client's documents and the regulations")
    q.add_argument(
        "--type", required=True, choices=POLICY_TYPES, metavar="TYPE", help=", ".join(POLICY_TYPES)
    )
    q.add_argument("--client", required=True)
    q.add_argument(
        "--author", default=_default_user(), help="recorded as the author (default: your login name)"
    )
    common(q)
    q.set_defaults(handler=policy)

    q = ds.add_parser(
        "memo", help="draft a board memo: posture, top risks, compliance, recommendations, decisions"
    )
    q.add_argument("--client", required=True)
    q.add_argument("--topic", default="", help="focus the memo on a topic")
    q.add_argument("--author", default=_default_user())
    common(q)
    q.set_defaults(handler=memo)

    q = ds.add_parser("types", help="list the policy types")
    q.set_defaults(handler=types)

    q = ds.add_parser("list", help="list drafts, newest first")
    q.add_argument("--client")
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=list_drafts)

    q = ds.add_parser(
        "show", help="show a draft (latest version unless --version), its history, or export it"
    )
    q.add_argument("id", type=int)
    q.add_argument("--version", type=int)
    q.add_argument(
        "--history", action="store_true", help="list the versions with status, reviewer and comment"
    )
    common(q)
    q.set_defaults(handler=show)

    q = ds.add_parser("diff", help="unified diff between two versions")
    q.add_argument("id", type=int)
    q.add_argument("a", type=int)
    q.add_argument("b", type=int)
    q.set_defaults(handler=diff)

    q = ds.add_parser("submit", help="submit the latest version for review (draft -> in_review)")
    q.add_argument("id", type=int)
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=submit)

    for name, needs_comment in (("approve", False), ("reject", True)):
        q = ds.add_parser(
            name,
            help=f"{name} the version in review (needs --reviewer"
            + (" and --comment)" if needs_comment else ")"),
        )
        q.add_argument("id", type=int)
        q.add_argument("--reviewer", required=True, help="reviewer's user name (must be allowed to approve)")
        q.add_argument("--comment", required=needs_comment, default="")
        q.add_argument("--json", action="store_true")
        q.set_defaults(handler=review, action=name)

    q = ds.add_parser("edit", help="save new text as a new version (status draft)")
    q.add_argument("id", type=int)
    src = q.add_mutually_exclusive_group(required=True)
    src.add_argument("--file", type=Path, help="Markdown file with the new text ('-' for stdin)")
    src.add_argument("--text")
    q.add_argument("--author", default=_default_user())
    q.add_argument("--json", action="store_true")
    q.set_defaults(handler=edit)


def _store(settings: Settings) -> DraftStore:
    return DraftStore(open_database(settings))


def export(stored: StoredDraft, version: Version, path: Path) -> Path:
    v = version
    suffix = path.suffix.lower()
    if suffix == ".docx":
        data = to_docx(
            v.text,
            v.citations,
            status=v.status,
            version=v.version,
            reviewer=v.reviewer,
            reviewed_at=v.reviewed_at,
        )
        path.write_bytes(data)
    elif suffix in (".md", ".markdown"):
        text = to_markdown(
            v.text,
            v.citations,
            status=v.status,
            version=v.version,
            reviewer=v.reviewer,
            reviewed_at=v.reviewed_at,
        )
        path.write_text(text, encoding="utf-8")
    else:
        raise UsageError(f"--out must end in .docx or .md, not {path.name!r}")
    return path


def _emit(stored: StoredDraft, args: argparse.Namespace, version: Version | None = None) -> int:
    version = version or stored.latest
    out = getattr(args, "out", None)
    if out is not None:
        export(stored, version, out)
    if args.json:
        emit_json(stored.as_contract(version))
    else:
        print(
            to_markdown(
                version.text,
                version.citations,
                status=version.status,
                version=version.version,
                reviewer=version.reviewer,
                reviewed_at=version.reviewed_at,
            )
        )
        print(
            f"[draft {stored.id}, version {version.version}, {version.status}"
            + (f", exported to {out}" if out else "")
            + "]",
            file=sys.stderr,
        )
    return EXIT_OK


def _create(args: argparse.Namespace, settings: Settings, make) -> int:
    from advisor.factory import build_advisor

    if args.out is not None and args.out.suffix.lower() not in (".docx", ".md", ".markdown"):
        raise UsageError(f"--out must end in .docx or .md, not {args.out.name!r}")
    adv = build_advisor(settings)
    known = adv.clients(user=local_operator())
    if args.client not in known:
        raise NotFound(f"unknown client {args.client!r}; known: {', '.join(known) or 'none'}")
    draft = make(adv)
    stored = _store(settings).create(draft, args.author, user=local_operator())
    for note in draft.notes:
        print(f"note: {note}", file=sys.stderr)
    return _emit(stored, args)


def policy(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.drafting.policy import draft_policy

    return _create(
        args, settings, lambda adv: draft_policy(adv, args.client, args.type, user=local_operator())
    )


def memo(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.drafting.memo import draft_memo

    return _create(
        args, settings, lambda adv: draft_memo(adv, args.client, topic=args.topic, user=local_operator())
    )


def types(args: argparse.Namespace, settings: Settings) -> int:
    print("\n".join(POLICY_TYPES))
    return EXIT_OK


def list_drafts(args: argparse.Namespace, settings: Settings) -> int:
    drafts = _store(settings).list(args.client, user=local_operator())
    if args.json:
        emit_json(
            {
                "drafts": [
                    {k: v for k, v in d.as_contract().items() if k not in ("text", "citations")}
                    for d in drafts
                ]
            }
        )
        return EXIT_OK
    for d in drafts:
        v = d.latest
        print(
            f"#{d.id} v{v.version} {v.status:<9} {d.client:<18} {d.kind:<6} {d.title}  (by {d.created_by}, "
            f"{d.created_at})"
        )
    if not drafts:
        print("no drafts")
    return EXIT_OK


def show(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    stored = store.get(args.id, user=local_operator())
    if args.history:
        history = store.history(args.id, user=local_operator())
        if args.json:
            emit_json(
                {
                    "id": stored.id,
                    "versions": [
                        {
                            "version": v.version,
                            "status": v.status,
                            "author": v.author,
                            "reviewer": v.reviewer,
                            "comment": v.comment,
                            "ts": v.ts,
                            "submitted_at": v.submitted_at,
                            "reviewed_at": v.reviewed_at,
                        }
                        for v in history
                    ],
                }
            )
        else:
            for v in history:
                review = f" reviewer={v.reviewer}" if v.reviewer else ""
                comment = f" comment={v.comment!r}" if v.comment else ""
                print(f"v{v.version} {v.status:<9} by {v.author} at {v.ts}{review}{comment}")
        return EXIT_OK
    return _emit(stored, args, store.version(args.id, args.version, user=local_operator()))


def diff(args: argparse.Namespace, settings: Settings) -> int:
    print(_store(settings).diff(args.id, args.a, args.b, user=local_operator()) or "(no differences)")
    return EXIT_OK


def submit(args: argparse.Namespace, settings: Settings) -> int:
    stored = _store(settings).submit(args.id, user=local_operator())
    return _status(stored, args)


def _status(stored: StoredDraft, args: argparse.Namespace) -> int:
    if args.json:
        emit_json(stored.as_contract())
    else:
        v = stored.latest
        print(
            f"draft {stored.id} version {v.version}: {v.status}"
            + (f" (reviewer {v.reviewer})" if v.reviewer else "")
        )
    return EXIT_OK


def reviewer_of(settings: Settings, name: str):
    """The reviewer as a signed-in User: four-eyes means two people, so naming a reviewer is not enough.

    The reviewer proves who they are with their password (asked on the terminal, or read from
    VCISO_REVIEWER_PASSWORD for scripts), unless settings.cli_reviewers maps this host's OS user to them.
    """
    import os

    from advisor.access.users import UserStore

    users = UserStore(open_database(settings))
    if users.is_empty():
        raise AccessDenied(
            "no user accounts exist: a review needs the reviewer's account "
            "(create one with `vciso users add`)"
        )
    try:
        account = users.get(name)
    except NotFound:
        raise AccessDenied(
            f"{name!r} is not a known user; reviewers need an account that may approve drafts"
        ) from None
    if settings.cli_reviewers.get(_default_user()) == name:
        return account
    password = os.environ.get("VCISO_REVIEWER_PASSWORD", "")
    if not password and sys.stdin.isatty():
        password = getpass.getpass(f"password of reviewer {name}: ")
    if not password:
        raise AccessDenied(
            f"approving or rejecting as {name!r} needs {name}'s password (typed on a terminal or "
            "in VCISO_REVIEWER_PASSWORD), or a cli_reviewers mapping of this OS user"
        )
    user = users.authenticate(name, password)
    if user is None:
        raise AccessDenied(f"wrong password for reviewer {name!r}, or the account is disabled")
    return user


def review(args: argparse.Namespace, settings: Settings) -> int:
    store = _store(settings)
    reviewer = reviewer_of(settings, args.reviewer)
    stored = (
        store.approve(args.id, reviewer, args.comment)
        if args.action == "approve"
        else store.reject(args.id, reviewer, args.comment)
    )
    return _status(stored, args)


def edit(args: argparse.Namespace, settings: Settings) -> int:
    if args.text is not None:
        text = args.text
    elif str(args.file) == "-":
        text = sys.stdin.read()
    else:
        try:
            text = args.file.read_text(encoding="utf-8")
        except OSError as exc:
            raise UsageError(f"cannot read {args.file}: {exc}") from exc
    stored = _store(settings).edit(args.id, text, args.author, user=local_operator())
    return _status(stored, args)
