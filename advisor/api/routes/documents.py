"""Clients and their documents: list clients and sources, upload files (a job), remove a document."""

from __future__ import annotations

from pathlib import Path

from fastapi import APIRouter, Depends, Request
from starlette.concurrency import run_in_threadpool

from advisor.access.policy import Access
from advisor.api.auth import Principal, client_reader, principal
from advisor.api.problems import PROBLEM_RESPONSES
from advisor.api.routes.jobs import job_json
from advisor.api.schemas import ClientsOut, JobOut, RemovedOut, SourcesOut
from advisor.api.uploads import form_files, read_capped
from advisor.errors import NotFound
from advisor.jobs.uploads import submit_upload, upload_dir
from advisor.store.chroma import validate_client_id

router = APIRouter(tags=["documents"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404)})


@router.get("/v1/clients", response_model=ClientsOut, summary="The clients you may read")
def clients(request: Request, who: Principal = Depends(principal)):
    return {"clients": request.app.state.ctx.adv.clients(user=who.user)}


@router.get("/v1/clients/{id}/sources", response_model=SourcesOut, summary="A client's documents")
def sources(id: str, request: Request, who: Principal = Depends(client_reader)):
    docs = request.app.state.ctx.adv.sources(id, user=who.user)
    return {
        "client": id,
        "documents": [
            {
                "source": d.source,
                "path": d.path,
                "doc_type": d.doc_type,
                "title": d.title,
                "pages": d.pages,
                "chunks": len(d.chunk_ids),
                "ingested_at": d.ingested_at,
                "sha256": d.sha256,
                "warnings": d.warnings,
            }
            for d in docs
        ],
    }


def client_writer(request: Request, id: str, who: Principal = Depends(principal)) -> Principal:
    """Uploads may start a client's first documents, so the client need not exist yet; the caller must
    still be allowed to read it, and its id must be valid."""
    request.state.client = id
    Access.require_read(who.user, id)
    validate_client_id(id)
    return who


@router.post(
    "/v1/clients/{id}/documents",
    status_code=202,
    response_model=JobOut,
    summary="Upload documents (multipart, field 'files'); they are indexed by a job",
    openapi_extra={
        "requestBody": {
            "required": True,
            "content": {
                "multipart/form-data": {
                    "schema": {
                        "type": "object",
                        "required": ["files"],
                        "properties": {
                            "files": {"type": "array", "items": {"type": "string", "format": "binary"}}
                        },
                    }
                }
            },
        }
    },
    responses={413: PROBLEM_RESPONSES[422] | {"description": "The body is larger than the upload limit"}},
)
async def upload(id: str, request: Request, who: Principal = Depends(client_writer)):
    """Files breaking a rule (type, size, name, empty) are listed as failed in the job; the others are
    indexed by a worker, one by one, as the caller (replacing a document needs the right to delete)."""
    ctx = request.app.state.ctx
    files = await read_capped(await form_files(request, "files"), ctx.settings.max_file_bytes)
    job = await run_in_threadpool(submit_upload, ctx.settings, ctx.jobs, who.user, id, files)
    ctx.notify()
    return job_json(job)


@router.delete(
    "/v1/clients/{id}/documents/{doc}",
    response_model=RemovedOut,
    summary="Remove a document and its chunks (consultants and admins)",
)
def remove(id: str, doc: str, request: Request, who: Principal = Depends(client_reader)):
    ctx = request.app.state.ctx
    Access.require(who.user, "delete_documents")
    record = next((r for r in ctx.adv.sources(id, user=who.user) if doc in (r.source, r.path)), None)
    if record is None:
        raise NotFound(f"no document {doc!r} for client {id}")
    ctx.adv.forget(record.path, id, user=who.user)
    path = Path(record.path).resolve()
    if path.parent == upload_dir(ctx.settings, id).resolve() and path.is_file():
        path.unlink()
    return {"removed": [record.path], "chunks": len(record.chunk_ids)}
