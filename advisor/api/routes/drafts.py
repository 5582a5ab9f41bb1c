"""Drafts for human review: list, create (policy or board memo), submit, approve, reject.

The reviewer of an approval or rejection is the token's user: the draft store checks that they may
approve, may read the draft's client and did not write the version (four-eyes principle).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, Request

from advisor.access.policy import Access
from advisor.api.auth import Principal, client_reader, principal
from advisor.api.problems import PROBLEM_RESPONSES, ApiProblem
from advisor.api.schemas import DraftCreate, DraftOut, DraftsOut, ReviewIn
from advisor.db import open_database
from advisor.drafting import POLICY_TYPES
from advisor.drafting.store import DraftStore, StoredDraft

router = APIRouter(tags=["drafts"], responses={k: PROBLEM_RESPONSES[k] for k in (403, 404)})


def store(request: Request) -> DraftStore:
    state = request.app.state
    if getattr(state, "drafts", None) is None:
        state.drafts = DraftStore(open_database(state.ctx.settings))
    return state.drafts


def readable(request: Request, draft_id: int, who: Principal) -> StoredDraft:
    draft = store(request).get(draft_id, user=who.user)  # the store checks the principal
    request.state.client = draft.client
    return draft


@router.get(
    "/v1/drafts", response_model=DraftsOut, summary="Drafts of the clients you may read, newest first"
)
def drafts(request: Request, client: str | None = None, who: Principal = Depends(principal)):
    if client is not None:
        request.state.client = client
        Access.require_read(who.user, client)
    allowed = tuple(request.app.state.ctx.adv.clients(user=who.user))
    found = [d for d in store(request).list(client, user=who.user) if d.client in allowed]
    return {
        "drafts": [
            {k: v for k, v in d.as_contract().items() if k not in ("text", "citations")} for d in found
        ]
    }


@router.post(
    "/v1/clients/{id}/drafts",
    status_code=201,
    response_model=DraftOut,
    summary="Draft a policy (kind=policy, type=…) or a board memo (kind=memo, topic=…)",
)
def create(id: str, body: DraftCreate, request: Request, who: Principal = Depends(client_reader)):
    adv = request.app.state.ctx.adv
    if body.kind == "policy":
        if body.type not in POLICY_TYPES:
            raise ApiProblem(
                422, "invalid-request", f"unknown policy type {body.type!r}; valid: {', '.join(POLICY_TYPES)}"
            )
        from advisor.drafting.policy import draft_policy

        draft = draft_policy(adv, id, body.type, user=who.user)
    else:
        from advisor.drafting.memo import draft_memo

        draft = draft_memo(adv, id, topic=body.topic, user=who.user)
    return store(request).create(draft, who.user.username, user=who.user).as_contract()


@router.get("/v1/drafts/{draft_id}", response_model=DraftOut, summary="A draft's latest version")
def get(draft_id: int, request: Request, who: Principal = Depends(principal)):
    return readable(request, draft_id, who).as_contract()


@router.post(
    "/v1/drafts/{draft_id}/submit", response_model=DraftOut, summary="Submit the latest version for review"
)
def submit(draft_id: int, request: Request, who: Principal = Depends(principal)):
    readable(request, draft_id, who)
    return store(request).submit(draft_id, user=who.user).as_contract()


@router.post(
    "/v1/drafts/{draft_id}/approve", response_model=DraftOut, summary="Approve the version in review"
)
def approve(
    draft_id: int, request: Request, body: ReviewIn | None = None, who: Principal = Depends(principal)
):
    readable(request, draft_id, who)
    return store(request).approve(draft_id, who.user, body.comment if body else "").as_contract()


@router.post(
    "/v1/drafts/{draft_id}/reject",
    response_model=DraftOut,
    summary="Reject the version in review (a comment saying what to change is required)",
)
def reject(draft_id: int, body: ReviewIn, request: Request, who: Principal = Depends(principal)):
    readable(request, draft_id, who)
    return store(request).reject(draft_id, who.user, body.comment).as_contract()
