"""`vciso users add | list | assign | passwd | remove | bootstrap`."""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from advisor.access.policy import local_operator
from advisor.access.users import ROLES, UserStore
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.db import open_database
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    users = sub.add_parser("users", help="local users and their roles").add_subparsers(
        dest="users_command", required=True
    )
    p = users.add_parser("add", help="create a user (password from VCISO_NEW_PASSWORD or a prompt)")
    p.add_argument("username")
    p.add_argument("--role", choices=ROLES, required=True)
    p.add_argument("--clients", default="", help="comma-separated client ids the user may see")
    p.set_defaults(handler=add)
    p = users.add_parser("list", help="list users")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_users)
    p = users.add_parser("assign", help="set the clients a user may see")
    p.add_argument("username")
    p.add_argument("--clients", required=True)
    p.set_defaults(handler=assign)
    p = users.add_parser("passwd", help="set a user's password")
    p.add_argument("username")
    p.set_defaults(handler=passwd)
    p = users.add_parser("remove", help="delete a user")
    p.add_argument("username")
    p.set_defaults(handler=remove)
    p = users.add_parser("bootstrap", help="create the first admin with a random password, printed once")
    p.set_defaults(handler=bootstrap)


def _store(settings: Settings) -> UserStore:
    return UserStore(open_database(settings))


def _password() -> str:
    pw = os.environ.get("VCISO_NEW_PASSWORD")
    if pw:
        return pw
    if not sys.stdin.isatty():
        raise UsageError("no password: set VCISO_NEW_PASSWORD or run in a terminal")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        raise UsageError("the passwords differ")
    return first


def _clients(value: str) -> list[str]:
    return [c.strip() for c in value.split(",") if c.strip()]


def add(args: argparse.Namespace, settings: Settings) -> int:
    clients = _clients(args.clients)
    user = _store(settings).add(args.username, _password(), args.role, clients, by=local_operator())
    print(
        f"created {user.role} {user.username}" + (f" for {', '.join(user.clients)}" if user.clients else "")
    )
    return EXIT_OK


def list_users(args: argparse.Namespace, settings: Settings) -> int:
    users = _store(settings).list()
    if args.json:
        emit_json(
            {
                "users": [
                    {
                        "username": u.username,
                        "role": u.role,
                        "clients": list(u.clients),
                        "disabled": u.disabled,
                    }
                    for u in users
                ]
            }
        )
        return EXIT_OK
    for u in users:
        clients = "all clients" if u.role == "admin" else (", ".join(u.clients) or "no clients")
        print(f"{u.username:<24} {u.role:<11} {clients}{' (disabled)' if u.disabled else ''}")
    return EXIT_OK


def assign(args: argparse.Namespace, settings: Settings) -> int:
    user = _store(settings).assign(args.username, _clients(args.clients), by=local_operator())
    print(f"{user.username} may see: {', '.join(user.clients) or 'no clients'}")
    return EXIT_OK


def passwd(args: argparse.Namespace, settings: Settings) -> int:
    _store(settings).set_password(args.username, _password(), by=local_operator())
    print(f"password changed for {args.username}")
    return EXIT_OK


def remove(args: argparse.Namespace, settings: Settings) -> int:
    _store(settings).remove(args.username, by=local_operator())
    print(f"removed {args.username}")
    return EXIT_OK


def bootstrap(args: argparse.Namespace, settings: Settings) -> int:
    password = _store(settings).bootstrap_admin()
    if password is None:
        print("users already exist; no admin created (use `vciso users add`)")
    else:
        print("=" * 64)
        print("  First admin created. Sign in with:")
        print("    username: admin")
        print(f"    password: {password}")
        print("  This password is shown only once; the app asks for a new one at first sign-in.")
        print("=" * 64)
    return EXIT_OK
