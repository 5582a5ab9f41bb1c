"""`vciso api` (serve the HTTP API with uvicorn) and `vciso tokens create | list | revoke`."""

from __future__ import annotations

import argparse
import sys

from advisor.access.tokens import TokenStore
from advisor.cli import EXIT_OK, UsageError, emit_json
from advisor.settings import Settings


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("api", help="serve the HTTP API (OpenAPI docs at /docs)")
    p.add_argument("--host", help="address to listen on (default: settings api.host, 127.0.0.1)")
    p.add_argument("--port", type=int, help="port (default: settings api.port)")
    p.set_defaults(handler=serve)

    tokens = sub.add_parser("tokens", help="personal API tokens").add_subparsers(
        dest="tokens_command", required=True
    )
    p = tokens.add_parser("create", help="create a token for a user; it is printed once")
    p.add_argument("--user", required=True, help="the user the token acts as")
    p.add_argument("--name", required=True, help="a label, e.g. 'ci' or 'slack-bot'")
    p.add_argument("--expires", type=float, metavar="DAYS", help="expire after DAYS days (default: never)")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=create)
    p = tokens.add_parser("list", help="list tokens (never their text)")
    p.add_argument("--user")
    p.add_argument("--json", action="store_true")
    p.set_defaults(handler=list_tokens)
    p = tokens.add_parser("revoke", help="revoke a token by its id")
    p.add_argument("id")
    p.set_defaults(handler=revoke)


def _store(settings: Settings) -> TokenStore:
    from advisor.db import open_database

    return TokenStore(open_database(settings))


def serve(args: argparse.Namespace, settings: Settings) -> int:
    try:
        import uvicorn
    except ImportError as exc:  # pragma: no cover - a base dependency
        raise UsageError("uvicorn is not installed: pip install uvicorn") from exc
    from advisor.api.app import create_app

    host = args.host or settings.api.host
    port = args.port or settings.api.port
    if not 0 < port < 65536:
        raise UsageError(f"invalid port {port}")
    app = create_app(settings)
    print(f"vciso API on http://{host}:{port} (docs: http://{host}:{port}/docs)", file=sys.stderr)
    uvicorn.run(app, host=host, port=port, log_level=settings.log_level.lower(), access_log=False)
    return EXIT_OK


def create(args: argparse.Namespace, settings: Settings) -> int:
    from advisor.access.users import UserStore
    from advisor.db import open_database

    user = UserStore(open_database(settings)).get(args.user)  # NotFound for an unknown user
    if user.disabled:
        raise UsageError(f"user {user.username!r} is disabled")
    token, text = _store(settings).create(user.username, args.name, expires_days=args.expires)
    if args.json:
        emit_json({**token.as_json(), "token": text})
        return EXIT_OK
    print(
        f"token {token.id} ({token.name}) for {user.username} ({user.role})"
        + (f", expires {token.expires_at}" if token.expires_at else ", no expiry")
    )
    print(text)
    print("This token is shown only once; store it in your secret manager.", file=sys.stderr)
    return EXIT_OK


def list_tokens(args: argparse.Namespace, settings: Settings) -> int:
    tokens = _store(settings).list(args.user)
    if args.json:
        emit_json({"tokens": [t.as_json() for t in tokens]})
        return EXIT_OK
    for t in tokens:
        print(
            f"{t.id}  {t.username:<20} {t.name:<20} {t.state():<8} created {t.created_at}"
            + (f" expires {t.expires_at}" if t.expires_at else "")
            + (f" last used {t.last_used_at}" if t.last_used_at else "")
        )
    if not tokens:
        print("no API tokens")
    return EXIT_OK


def revoke(args: argparse.Namespace, settings: Settings) -> int:
    token = _store(settings).revoke(args.id)
    print(f"revoked token {token.id} ({token.name}) of {token.username}")
    return EXIT_OK
