"""vciso behind its HTTP API, as an evaluation system: ``vciso eval --api URL --token T`` runs the
datasets against a deployed instance (e.g. staging) and produces the same report as a local run.

    api = ApiClient("http://127.0.0.1:8710", token)
    files = prepare_http(api, cases, say)           # uploads what the cases need and the instance lacks
    systems = http_systems(api, ["vciso", "bm25-only"])
    result = runner.run(cases, systems, checker.supports, say, meta)

The answer, its citations, the passages it was built from (``trace=true``) and a deeper ranking come
from ``POST /v1/ask``; the chunks gold ids are looked up in come from ``GET /v1/{library,clients/ID}/chunks``.
Latency is measured at the client, so it includes the network.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx

from evals.datasets import Case
from evals.systems import IndexedChunk, SystemAnswer, cited_sentences

# The systems that are the same vciso with retrieval options, so an API can serve them.
HTTP_SYSTEMS: dict[str, dict[str, bool]] = {
    "vciso": {},
    "bm25-only": {"dense": False},
    "dense-only": {"lexical": False},
}


class ApiError(RuntimeError):
    """The API refused a request or could not be reached; the message carries its problem detail."""

    def __init__(self, message: str, status: int | None = None) -> None:
        super().__init__(message)
        self.status = status


class ApiClient:
    """A small synchronous client of the vciso API with a bearer token."""

    def __init__(self, url: str, token: str, *, timeout: float = 300.0, http: httpx.Client | None = None):
        """``http`` lets tests pass FastAPI's TestClient (an httpx.Client) instead of a network client."""
        if not token:
            raise ApiError(
                "no API token: pass --token or set VCISO_API_TOKEN (create one with `vciso tokens create`)"
            )
        self.http = http or httpx.Client(base_url=url.rstrip("/"), timeout=timeout)
        self.http.headers["Authorization"] = f"Bearer {token}"

    def request(self, method: str, path: str, **kwargs: Any) -> Any:
        try:
            r = self.http.request(method, path, **kwargs)
        except httpx.HTTPError as exc:
            raise ApiError(f"cannot reach the vciso API at {self.http.base_url}: {exc}") from exc
        if r.status_code >= 400:
            try:
                detail = r.json().get("detail", r.text)
            except ValueError:
                detail = r.text[:200]
            raise ApiError(f"{method} {path}: {r.status_code} {detail}", r.status_code)
        return r.json()

    def wait(self, job: dict[str, Any], timeout: float = 1800.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while job["status"] not in ("succeeded", "failed"):
            if time.monotonic() > deadline:
                raise ApiError(f"job {job['id']} did not finish within {timeout:.0f} s")
            time.sleep(0.5)
            job = self.request("GET", f"/v1/jobs/{job['id']}")
        return job

    def close(self) -> None:
        self.http.close()


class HttpSystem:
    """One evaluation system answered by the API (``options``: dense/lexical switches)."""

    def __init__(self, api: ApiClient, name: str = "vciso", **options: bool) -> None:
        self.api, self.name, self.options = api, name, options
        self._index: dict[str | None, list[IndexedChunk]] = {}

    def index(self, tenant: str | None) -> list[IndexedChunk]:
        if tenant not in self._index:
            path = "/v1/library/chunks" if tenant is None else f"/v1/clients/{tenant}/chunks"
            self._index[tenant] = [
                IndexedChunk(
                    id=c["id"],
                    source=c["source"],
                    page=c["page"],
                    section=c["section"],
                    framework=c.get("framework"),
                    client=c["client"],
                    text=c["text"],
                )
                for c in self.api.request("GET", path)["chunks"]
            ]
        return self._index[tenant]

    def run(self, case: Case) -> SystemAnswer:
        body = {
            "question": case.question,
            "client": case.client,
            "audience": case.audience,
            "trace": True,
            **self.options,
        }
        t0 = time.perf_counter()
        out = self.api.request("POST", "/v1/ask", json=body)
        latency = (time.perf_counter() - t0) * 1000
        by_chunk: dict[str, str] = {}
        for p in out.get("passages") or ():
            for chunk_id in (p["id"], *p["merged_ids"]):
                by_chunk.setdefault(chunk_id, p["text"])
        passage_text = {c["n"]: by_chunk.get(c["chunk_id"], c["quote"]) for c in out["citations"]}
        citations = tuple({k: v for k, v in c.items() if k != "chunk_id"} for c in out["citations"])
        return SystemAnswer(
            text=out["answer"],
            abstained=out["abstained"],
            citations=citations,
            sentences=() if out["abstained"] else cited_sentences(out["answer"], passage_text),
            ranked=tuple(out.get("ranked") or ()),
            latency_ms=latency,
            extra={"backend": out["backend"], "server_latency_ms": out["latency_ms"]},
        )


def http_systems(api: ApiClient, names: Sequence[str]) -> list[HttpSystem]:
    unknown = [n for n in names if n not in HTTP_SYSTEMS]
    if unknown:
        raise ApiError(
            f"system(s) {', '.join(unknown)} cannot run through the API; use {', '.join(HTTP_SYSTEMS)}"
        )
    return [HttpSystem(api, name, **HTTP_SYSTEMS[name]) for name in names]


def prepare_http(
    api: ApiClient, files: dict[str, list[Path]], progress: Callable[[str], None] | None = None
) -> None:
    """Upload each client's files the instance does not list yet (by file name), one job per client."""
    say = progress or (lambda _msg: None)
    for client, paths in files.items():
        listed = set()
        try:
            listed = {d["source"] for d in api.request("GET", f"/v1/clients/{client}/sources")["documents"]}
        except ApiError as exc:
            if exc.status != 404:  # a client without documents yet is fine; anything else is not
                raise
        missing = [p for p in paths if p.name not in listed]
        if not missing:
            say(f"client {client}: {len(paths)} documents already on the instance")
            continue
        handles = [("files", (p.name, p.read_bytes())) for p in missing]
        job = api.wait(api.request("POST", f"/v1/clients/{client}/documents", files=handles))
        failed = (job.get("result") or {}).get("failed") or []
        if job["status"] != "succeeded" or failed:
            raise ApiError(f"upload for {client} failed: {job.get('error') or failed}")
        say(f"client {client}: {len(missing)} documents uploaded")
