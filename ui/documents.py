"""Documents: upload a client's files, follow the indexing jobs, list, remove and re-scan sources.

An upload is a job (:mod:`advisor.jobs.uploads`): the page checks and stages the files, a worker indexes them
(the app's embedded worker, or `vciso worker` processes when ``VCISO_JOBS__EMBEDDED_WORKERS=0``), and
the job list below the form shows per-file progress from the database, so it survives a page reload
and the chat stays responsive while a long ingest runs. :func:`ingest_uploads` indexes in the calling
thread (same limits) for callers that want the report at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from pathlib import Path

import streamlit as st

from advisor.access.policy import Access
from advisor.access.users import User
from advisor.errors import AdvisorError
from advisor.jobs.queue import Job
from advisor.jobs.uploads import UploadRejected, sanitise_filename, submit_upload
from advisor.service import Advisor
from ingest.loaders import SUPPORTED_SUFFIXES
from ingest.pipeline import IngestReport
from ui.context import Context, job_queue, worker

log = logging.getLogger(__name__)

TITLE = "Documents"
ICON = ":material/folder_open:"

REPORT_KEY = "documents_report"
SEEN_KEY = "documents_active_jobs"
JOB_REFRESH_S = 1.5
JOBS_SHOWN = 8


def upload_dir(adv: Advisor, client: str) -> Path:
    from advisor.store.chroma import validate_client_id

    folder = adv.settings.data_dir / "uploads" / validate_client_id(client)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ingest_uploads(
    adv: Advisor,
    user: User,
    client: str,
    files: Iterable[tuple[str, bytes]],
    progress: Callable[[str, str], None] | None = None,
) -> IngestReport:
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
            existing = folder / safe
            if (
                existing.is_file()
                and existing.read_bytes() != data
                and not Access.has(user, "delete_documents")
            ):
                raise UploadRejected(
                    "a document of this name exists; replacing it needs the right to delete documents"
                )
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
    try:
        report = adv.ingest(list(saved), client, user=user, progress=progress) if saved else IngestReport()
    except AdvisorError:
        _restore(saved, saved)
        raise
    _restore(saved, [Path(failure["path"]) for failure in report.failed])
    report.failed[:0] = rejected
    log.info(
        "upload for client %s: %d added, %d updated, %d failed",
        client,
        len(report.added),
        len(report.updated),
        len(report.failed),
    )
    return report


def _restore(saved: dict[Path, bytes | None], paths: Iterable[Path]) -> None:
    """Put back the previous bytes of each saved upload in ``paths`` (remove it when it was new)."""
    for path in paths:
        if path in saved:
            previous = saved[path]
            if previous is None:
                path.unlink(missing_ok=True)
            else:
                path.write_bytes(previous)


def remove_document(adv: Advisor, user: User, client: str, source: str) -> None:
    """Forget a document (and delete its uploaded copy); only for users who may delete documents."""
    Access.require_read(user, client)
    Access.require(user, "delete_documents")
    record = next((r for r in adv.sources(client, user=user) if r.source == source), None)
    if record is None:
        raise UploadRejected(f"no document {source!r} for client {client}")
    adv.forget(record.path, client, user=user)
    path = Path(record.path).resolve()
    if path.parent == upload_dir(adv, client).resolve() and path.is_file():
        path.unlink()


def rescan(adv: Advisor, user: User, client: str) -> IngestReport:
    """Index again every source of ``client`` whose file changed since it was indexed."""
    Access.require_read(user, client)
    return adv.ingest([Path(r.path) for r in adv.sources(client, user=user)], client, user=user)


def _name(path: str) -> str:
    return Path(path).name


def render_report(report: IngestReport) -> None:
    cols = st.columns(4)
    cols[0].metric("Added", len(report.added))
    cols[1].metric("Updated", len(report.updated))
    cols[2].metric("Unchanged", len(report.unchanged))
    cols[3].metric("Failed", len(report.failed))
    for label, items in (
        ("Added", report.added),
        ("Updated", report.updated),
        ("Unchanged", report.unchanged),
    ):
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
            f"Add documents for {client}",
            type=[s.lstrip(".") for s in SUPPORTED_SUFFIXES],
            accept_multiple_files=True,
            max_upload_size=max(1, int(limit_mb + 0.999)),
            help=f"PDF, Word, Markdown, text, HTML, Excel or CSV; at most {limit_mb:g} MB each.",
        )
        submitted = st.form_submit_button("Upload and index", type="primary", icon=":material/upload:")
    if not submitted or not uploads:
        return
    try:
        job = submit_upload(
            ctx.settings, job_queue(), ctx.user, client, [(u.name, u.getvalue()) for u in uploads]
        )
    except AdvisorError as exc:
        st.error(str(exc))
        return
    running = worker()
    if running is not None:
        running.notify()
    st.toast(f"Upload job {job.id} queued: {len(job.files)} files")


def job_report(job: Job) -> IngestReport:
    """A finished upload job's outcome in the shape of an ingest report."""
    result = job.result or {}
    report = IngestReport(
        **{
            k: list(result.get(k, []))
            for k in ("added", "updated", "unchanged", "removed", "failed", "warnings")
        },
        chunks=int(result.get("chunks", 0)),
    )
    if not result:  # failed before it ran (e.g. every file refused, or its user was disabled)
        report.failed = [
            {"path": f.name, "error": f.error or job.error or "failed"}
            for f in job.files
            if f.status == "failed"
        ] or [{"path": f"job {job.id}", "error": job.error or "failed"}]
    return report


def _job_row(job: Job) -> dict:
    return {
        "Job": job.id,
        "By": job.created_by,
        "Submitted": job.created_at[:19].replace("T", " "),
        "Status": job.status,
        "Files": f"{job.files_done}/{len(job.files)}",
        "Attempts": job.attempts,
    }


def _jobs_panel(ctx: Context, client: str) -> None:
    """Upload jobs of this client, refreshed while one is active; a finished job reruns the page once so
    the document list shows what it added."""
    jobs = job_queue().list(client=client, limit=JOBS_SHOWN)
    if not jobs:
        return
    seen: set[int] = st.session_state.setdefault(SEEN_KEY, set())
    active = [j.id for j in jobs if j.active]
    if seen - set(active):
        seen.difference_update(set(seen) - set(active))
        seen.update(active)
        st.rerun(scope="app")
    seen.update(active)
    latest = jobs[0]
    st.subheader("Upload jobs")
    if latest.active:
        state = (
            "waiting for a worker" if latest.status == "queued" else f"indexing ({latest.worker or 'worker'})"
        )
        st.progress(
            latest.progress,
            text=f"Job {latest.id}: {state} — {latest.files_done} of {len(latest.files)} files",
        )
        st.dataframe(
            [
                {"File": f.name, "Status": f.status, "Passages": f.chunks or None, "Error": f.error or ""}
                for f in latest.files
            ],
            hide_index=True,
            width="stretch",
        )
    else:
        st.caption(
            f"Job {latest.id} {latest.status} at {(latest.finished_at or '')[:19].replace('T', ' ')} UTC"
        )
        render_report(job_report(latest))
    if len(jobs) > 1:
        with st.expander("Earlier jobs"):
            st.dataframe([_job_row(j) for j in jobs[1:]], hide_index=True, width="stretch")


def jobs_panel(ctx: Context, client: str) -> None:
    """:func:`_jobs_panel` as a fragment that refreshes itself every few seconds while a job is active."""
    active = any(j.active for j in job_queue().list(client=client, limit=JOBS_SHOWN))
    st.fragment(_jobs_panel, run_every=JOB_REFRESH_S if active else None)(ctx, client)


def _sources_table(ctx: Context, client: str) -> list[str]:
    records = ctx.adv.sources(client, user=ctx.user)
    if not records:
        st.info("No documents yet for this client.")
        return []
    rows = [
        {
            "Document": r.source,
            "Title": r.title,
            "Type": r.doc_type.replace("_", " "),
            "Pages": r.pages,
            "Passages": len(r.chunk_ids),
            "Size (KB)": round(r.size / 1024, 1),
            "Indexed": (r.ingested_at or "")[:16].replace("T", " "),
            "Warnings": len(r.warnings),
        }
        for r in records
    ]
    st.dataframe(rows, hide_index=True, width="stretch")
    return [r.source for r in records]


def render(ctx: Context) -> None:
    st.title("Client documents")
    clients = ctx.adv.clients(user=ctx.user)
    if ctx.user.role == "admin":
        with st.expander("Add a new client"):
            new = st.text_input(
                "New client id",
                key="documents_new_client",
                help="Lower-case letters, digits, '-' or '_'. The client is kept once a document "
                "is indexed for it.",
            )
        if new.strip() and new.strip() not in clients:
            clients = [*clients, new.strip()]
    if not clients:
        st.info("No clients are assigned to you. Ask an administrator to assign one.")
        return
    client = st.selectbox("Client", clients, key="documents_client")
    _upload_form(ctx, client)
    jobs_panel(ctx, client)
    last = st.session_state.get(REPORT_KEY)
    if last and last[0] == client:
        st.subheader("Last re-scan")
        render_report(last[1])
    st.subheader("Indexed documents")
    sources = _sources_table(ctx, client)
    if not sources:
        return
    left, right = st.columns(2)
    with left:
        if ctx.user.may_delete_documents:
            doomed = st.selectbox(
                "Remove a document",
                sources,
                index=None,
                key="documents_remove_choice",
                placeholder="Choose a document",
            )
            clicked = st.button(
                "Remove", disabled=doomed is None, key="documents_remove", icon=":material/delete:"
            )
            if clicked and doomed is not None:
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
        if st.button(
            "Re-scan sources",
            key="documents_reindex",
            icon=":material/refresh:",
            help="Index again every source file that changed on disk since it was indexed.",
        ):
            try:
                with st.spinner("Re-scanning…"):
                    report = rescan(ctx.adv, ctx.user, client)
            except AdvisorError as exc:
                st.error(str(exc))
            else:
                st.session_state[REPORT_KEY] = (client, report)
                st.rerun()
