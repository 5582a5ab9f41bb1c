"""Migration in place of pre-database data dirs: ``audit.sqlite3``, ``users.sqlite3`` and ``drafts.sqlite3``
(the per-store SQLite files written before the state database existed) are copied into it.

Each file is copied in one transaction and recorded in ``legacy_imports`` (so a second process, or a
rename that failed, never imports it twice), then renamed to ``<name>.migrated`` next to where it was.
Ids are kept when the target table is empty (draft ids and audit record ids stay the ones people saw);
otherwise new ids are given and draft versions follow their draft. A user name that exists already in
the database keeps the database's account.
"""

from __future__ import annotations

import json
import logging
import sqlite3
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from advisor.db.engine import Database, DatabaseError
from advisor.db.models import (
    AuditRecordRow,
    DraftRow,
    DraftVersionRow,
    LegacyImportRow,
    UserClientRow,
    UserRow,
    utc_iso,
)

log = logging.getLogger(__name__)


def _rows(path: Path, table: str) -> list[sqlite3.Row] | None:
    """The rows of ``table`` in a pre-database file; None when the file is not one (e.g. already migrated)."""
    conn = sqlite3.connect(path, timeout=15.0)
    conn.row_factory = sqlite3.Row
    try:
        names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if table not in names or "alembic_version" in names:
            return None
        return conn.execute(f"SELECT * FROM {table} ORDER BY rowid").fetchall()  # noqa: S608 - fixed names
    finally:
        conn.close()


def _empty(session: Session, model) -> bool:
    return session.scalar(select(func.count()).select_from(model)) == 0


def _fix_sequence(session: Session, table: str) -> None:
    """After inserting explicit ids, PostgreSQL's sequence must continue after the largest one."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                f"COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
            )
        )


def _audit(session: Session, path: Path) -> int:
    rows = _rows(path, "records")
    if rows is None:
        return -1
    keep_ids = _empty(session, AuditRecordRow)
    for r in rows:
        session.add(
            AuditRecordRow(
                id=r["id"] if keep_ids else None,
                ts=r["ts"],
                username=r["user"],
                client=r["client"],
                audience=r["audience"],
                engine=r["engine"],
                question=r["question"],
                answer=r["answer"],
                abstained=bool(r["abstained"]),
                citations=json.loads(r["citations"] or "[]"),
                latency_ms=float(r["latency_ms"]),
                feedback=r["feedback"],
                feedback_comment=r["feedback_comment"] or "",
            )
        )
    session.flush()
    if keep_ids:
        _fix_sequence(session, "audit_records")
    return len(rows)


def _users(session: Session, path: Path) -> int:
    rows = _rows(path, "users")
    if rows is None:
        return -1
    taken = set(session.scalars(select(UserRow.username)))
    for r in rows:
        if r["username"] in taken:
            log.warning(
                "user %s exists in the database already; the imported account is skipped", r["username"]
            )
            continue
        user = UserRow(
            username=r["username"],
            password_hash=r["password_hash"],
            role=r["role"],
            created_at=r["created_at"],
            disabled=bool(r["disabled"]),
        )
        user.assignments = [UserClientRow(client=c) for c in sorted(set(json.loads(r["clients"] or "[]")))]
        session.add(user)
    session.flush()
    return len(rows)


def _drafts(session: Session, path: Path) -> int:
    drafts = _rows(path, "drafts")
    if drafts is None:
        return -1
    versions = _rows(path, "versions") or []
    keep_ids = _empty(session, DraftRow)
    new_id: dict[int, int] = {}
    for d in drafts:
        row = DraftRow(
            id=d["id"] if keep_ids else None,
            client=d["client"],
            kind=d["kind"],
            type=d["type"],
            title=d["title"],
            created_by=d["created_by"],
            created_at=d["created_at"],
        )
        session.add(row)
        session.flush()
        new_id[d["id"]] = row.id
    for v in versions:
        if v["draft_id"] not in new_id:
            continue
        session.add(
            DraftVersionRow(
                draft_id=new_id[v["draft_id"]],
                version=v["version"],
                text=v["text"],
                citations=json.loads(v["citations"] or "[]"),
                status=v["status"],
                author=v["author"],
                reviewer=v["reviewer"],
                comment=v["comment"],
                ts=v["ts"],
                submitted_at=v["submitted_at"],
                reviewed_at=v["reviewed_at"],
            )
        )
    session.flush()
    if keep_ids:
        _fix_sequence(session, "drafts")
    return len(drafts) + len(versions)


LEGACY_FILES: dict[str, tuple[str, Callable[[Session, Path], int]]] = {
    "audit.sqlite3": ("audit", _audit),
    "users.sqlite3": ("users", _users),
    "drafts.sqlite3": ("drafts", _drafts),
}


def import_legacy(db: Database, data_dir: Path) -> dict[str, int]:
    """Copy the pre-database files found in ``data_dir`` into ``db``; return {kind: rows copied}."""
    copied: dict[str, int] = {}
    for name, (kind, copy) in LEGACY_FILES.items():
        path = (data_dir / name).resolve()
        if not path.is_file():
            continue
        try:
            with db.session(write=True, what=f"import of {name}") as session:
                if session.get(LegacyImportRow, str(path)) is not None:
                    rows = -1
                else:
                    rows = copy(session, path)
                    if rows >= 0:
                        session.add(
                            LegacyImportRow(source=str(path), kind=kind, rows=rows, imported_at=utc_iso())
                        )
        except sqlite3.Error as exc:
            raise DatabaseError(f"cannot read the old {kind} file {path}: {exc}") from exc
        if rows < 0:
            continue
        copied[kind] = rows
        log.warning(
            "imported %d %s rows from %s into the state database; the file is renamed *.migrated",
            rows,
            kind,
            path,
        )
        for suffix in ("", "-wal", "-shm"):
            old = path.with_name(path.name + suffix)
            if old.exists():
                try:
                    old.rename(old.with_name(old.name + ".migrated"))
                except OSError as exc:  # the import is recorded, so it is never repeated
                    log.warning("could not rename %s after importing it: %s", old, exc)
    return copied
