"""Documents: upload a client's files, see the ingestion report, list, remove and re-scan sources.

The upload handler (:func:`ingest_uploads`) takes plain ``(name, bytes)`` pairs so it is tested without
a browser. Limits are enforced here, server-side: size (``settings.max_file_bytes``), type (the
loaders' suffixes) and a sanitised file name saved under ``data_dir/uploads/<client>/``.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable, Iterable
from pathlib import Path

import streamlit as st

from advisor.access import Access
from advisor.errors import AdvisorError
from advisor.service import Advisor
from advisor.users import User
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import IngestReport
from ui.context import Context

log = logging.getLogger(__name__)

TITLE = "Documents"
ICON = ":material/folder_open:"

MAX_NAME_CHARS = 120
REPORT_KEY = "documents_report"
_UNSAFE = re.compile(r"[^A-Za-z0-9._ -]+")


class UploadRejected(ValueError):
    """An uploaded file breaks a limit; the message is shown to the user."""


def sanitise_filename(name: str) -> str:
    """A safe file name: no folders, no control or special characters, no leading dots, bounded length.

    Raises UploadRejected when nothing usable is left or the type is not supported.
    """
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = _UNSAFE.sub("_", base).strip(" .")
    base = re.sub(r"[_ ]+", "_", base)
    stem, dot, suffix = base.rpartition(".")
    if not dot or not stem.strip("._-"):
        raise UploadRejected(f"{name!r}: not a usable file name with a type (e.g. policy.pdf)")
    suffix = "." + suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UploadRejected(f"unsupported file type {suffix}; supported: {', '.join(SUPPORTED_SUFFIXES)}")
    stem = stem[: MAX_NAME_CHARS - len(suffix)]
    return stem + suffix


def upload_dir(adv: Advisor, client: str) -> Path:
    from advisor.store.chroma import validate_client_id

    folder = adv.settings.data_dir / "uploads" / validate_client_id(client)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ingest_uploads(adv: Advisor, user: User, client: str, files: Iterable[tuple[str, bytes]],
                   progress: Callable[[str, str], None] | None = None) -> IngestReport:
    """Check, save and ingest uploaded files for ``client``; rejected files appear in ``failed``.

    A file that fails ingestion is not kept (a previous version of it is put back).
    """
    Access.require_read(user, client)
    folder = upload_dir(adv, client)
    rejected: list[dict[str, str]] = []
    saved: dict[Path, bytes | None] = {}  # path -> previous bytes (None: new file)
    for name, data in files:
        try:
            safe = sanitise_filename(name)
            if len(data) > adv.settings.max_file_bytes:
                raise UploadRejected(f"file is larger than the {adv.settings.max_file_mb:g} MB limit")
            if not data:
                raise UploadRejected("the file is empty")
        except UploadRejected as exc:
            rejected.append({"path": name, "error": str(exc)})
            if progress:
                progress(name, "failed")
            continue
        path = folder / safe
        if path in saved:
            rejected.append({"path": name, "error": f"uploaded twice in one batch as {safe}"})
            continue
        saved[path] = path.read_bytes() if path.is_file() else None
        path.write_bytes(data)
    report = adv.ingest(list(saved), client, progress=progress) if saved else IngestReport()
    for failure in report.failed:
        path = Path(failure["path"])
        if path in saved:
            previous = saved[path]
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(previous)
    report.failed[:0] = rejected
    log.info("upload for client %s: %d added, %d updated, %d failed", client, len(report.added),
             len(report.updated), len(report.failed))
    return report


def remove_document(adv: Advisor, user: User, client: str, source: str) -> None:
    """Forget a document (and delete its uploaded copy); only for users who may delete documents."""
    Access.require_read(user, client)
    Access.require(user, "delete_documents")
    record = next((r for r in adv.sources(client) if r.source == source), None)
    if record is None:
        raise UploadRejected(f"no document {source!r} for client {client}")
    adv.forget(record.path, client)
    path = Path(record.path).resolve()
    if path.parent == upload_dir(adv, client).resolve() and path.is_file():
        path.unlink()


def rescan(adv: Advisor, user: User, client: str) -> IngestReport:
    """Index again every source of ``client`` whose file changed since it was indexed."""
    Access.require_read(user, client)
    return adv.ingest([Path(r.path) for r in adv.sources(client)], client)


def _name(path: str) -> str:
    return Path(path).name


def render_report(report: IngestReport) -> None:
    cols = st.columns(4)
    cols[0].metric("Added", len(report.added))
    cols[1].metric("Updated", len(report.updated))
    cols[2].metric("Unchanged", len(report.unchanged))
    cols[3].metric("Failed", len(report.failed))
    for label, items in (("Added", report.added), ("Updated", report.updated), ("Unchanged", report.unchanged)):
        if items:
            st.success(f"{label}: " + ", ".join(_name(p) for p in items), icon=":material/check_circle:")
    for failure in report.failed:
        st.error(f"{_name(failure['path'])}: {failure['error']}", icon=":material/error:")
    for warning in report.warnings:
        st.warning(f"{_name(warning['path'])}: {warning['warning']}", icon=":material/warning:")
    if report.chunks:
        st.caption(f"{report.chunks} passages indexed.")


def _upload_form(ctx: Context, client: str) -> None:
    limit_mb = ctx.settings.max_file_mb
    with st.form("upload", clear_on_submit=True):
        uploads = st.file_uploader(
            f"Add documents for {client}", type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
            accept_multiple_files=True, max_upload_size=max(1, int(limit_mb + 0.999)),
            help=f"PDF, Word, Markdown, text, HTML, Excel or CSV; at most {limit_mb:g} MB each.")
        submitted = st.form_submit_button("Upload and index", type="primary", icon=":material/upload:")
    if not submitted or not uploads:
        return
    files = [(u.name, u.getvalue()) for u in uploads]
    bars = {name: st.progress(0.0, text=f"{name}: waiting") for name, _ in files}
    order = [name for name, _ in files]
    done: list[str] = []

    def progress(path: str, status: str) -> None:
        name = next((n for n in order if n not in done and (n == path or _name(path) == _safe(n))), None)
        if name is None:
            return
        done.append(name)
        bars[name].progress(1.0, text=f"{name}: {status}")
        nxt = next((n for n in order if n not in done), None)
        if nxt is not None:
            bars[nxt].progress(0.5, text=f"{nxt}: indexing…")

    if order:
        bars[order[0]].progress(0.5, text=f"{order[0]}: indexing…")
    try:
        report = ingest_uploads(ctx.adv, ctx.user, client, files, progress=progress)
    except AdvisorError as exc:
        st.error(str(exc))
        return
    st.session_state[REPORT_KEY] = (client, report)


def _safe(name: str) -> str:
    try:
        return sanitise_filename(name)
    except UploadRejected:
        return name


def _sources_table(ctx: Context, client: str) -> list[str]:
    records = ctx.adv.sources(client)
    if not records:
        st.info("No documents yet for this client.")
        return []
    rows = [{"Document": r.source, "Title": r.title, "Type": r.doc_type.replace("_", " "), "Pages": r.pages,
             "Passages": len(r.chunk_ids), "Size (KB)": round(r.size / 1024, 1),
             "Indexed": (r.ingested_at or "")[:16].replace("T", " "), "Warnings": len(r.warnings)}
            for r in records]
    st.dataframe(rows, hide_index=True, width="stretch")
    return [r.source for r in records]


def render(ctx: Context) -> None:
    st.title("Client documents")
    clients = Access.visible_clients(ctx.user, ctx.adv.clients())
    if ctx.user.role == "admin":
        with st.expander("Add a new client"):
            new = st.text_input("New client id", key="documents_new_client",
                                help="Lower-case letters, digits, '-' or '_'. The client is kept once a document "
                                     "is indexed for it.")
        if new.strip() and new.strip() not in clients:
            clients = [*clients, new.strip()]
    if not clients:
        st.info("No clients are assigned to you. Ask an administrator to assign one.")
        return
    client = st.selectbox("Client", clients, key="documents_client")
    _upload_form(ctx, client)
    last = st.session_state.get(REPORT_KEY)
    if last and last[0] == client:
        st.subheader("Last upload")
        render_report(last[1])
    st.subheader("Indexed documents")
    sources = _sources_table(ctx, client)
    if not sources:
        return
    left, right = st.columns(2)
    with left:
        if ctx.user.may_delete_documents:
            doomed = st.selectbox("Remove a document", sources, index=None, key="documents_remove_choice",
                                  placeholder="Choose a document")
            if st.button("Remove", disabled=doomed is None, key="documents_remove", icon=":material/delete:"):
                try:
                    remove_document(ctx.adv, ctx.user, client, doomed)
                except (AdvisorError, UploadRejected) as exc:
                    st.error(str(exc))
                else:
                    st.toast(f"Removed {doomed}")
                    st.rerun()
        else:
            st.caption("Your role may not remove documents.")
    with right:
        if st.button("Re-scan sources", key="documents_reindex", icon=":material/refresh:",
                     help="Index again every source file that changed on disk since it was indexed."):
            try:
                with st.spinner("Re-scanning…"):
                    report = rescan(ctx.adv, ctx.user, client)
            except AdvisorError as exc:
                st.error(str(exc))
            else:
                st.session_state[REPORT_KEY] = (client, report)
                st.rerun()
