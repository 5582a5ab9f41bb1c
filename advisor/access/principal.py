"""The Advisor acting for one principal, so that code below an entry point keeps the caller's identity.

Feature entry points (drafting, gap analysis, questionnaires) take a principal, check it, and hand their
helpers ``acting_for(adv, user)``: every client-data operation those helpers call (``retrieve``,
``tenant_index``, ``sources`` ...) then runs with that principal and is checked again by the core. There
is no unchecked path: the proxy only fills in ``user=``.

Usage::

    adv = acting_for(adv, user)        # raises AccessDenied for a missing principal
    adv.retrieve("backup policy", "acme")   # == advisor.retrieve(..., user=user)
"""

from __future__ import annotations

from functools import partial
from typing import Any

from advisor.access.users import User
from advisor.errors import AccessDenied

# Advisor methods that read or change client data: each takes ``user=`` and checks it.
CLIENT_OPERATIONS = (
    "retrieve",
    "ask",
    "stream",
    "tenant_index",
    "chunk_text",
    "sources",
    "ingest",
    "forget",
    "download_source",
    "exported",
    "clients",
)


class ActingAdvisor:
    """A thin proxy over an Advisor that passes one principal to every client-data operation."""

    def __init__(self, advisor: Any, user: User) -> None:
        if not isinstance(user, User):
            raise AccessDenied(
                "no principal: every operation on client data needs a signed-in user "
                "or the terminal's local operator"
            )
        self._advisor = advisor
        self.user = user

    def __getattr__(self, name: str) -> Any:
        attr = getattr(self._advisor, name)
        if name in CLIENT_OPERATIONS:
            return partial(attr, user=self.user)
        return attr

    @property
    def advisor(self) -> Any:
        return self._advisor


def acting_for(advisor: Any, user: User | None) -> ActingAdvisor:
    """``advisor`` bound to ``user`` (an already bound advisor is re-bound to ``user``)."""
    base = advisor.advisor if isinstance(advisor, ActingAdvisor) else advisor
    return ActingAdvisor(base, user)  # type: ignore[arg-type]
