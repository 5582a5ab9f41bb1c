"""Sign-in: throttling per account and per source kept in the state database, and session lifetimes.

:class:`SignIn` wraps :meth:`advisor.access.users.UserStore.authenticate`: before checking a password it
refuses an
account or a source (client IP address, else ``app``) that is locked; after ``max_failures`` failures within
``failure_window_min`` the account or source is locked for ``lockout_min``, doubling with each further
lockout up to ``max_lockout_min``. The counters live in ``sign_in_throttle``, so reloading the sign-in page,
a second browser or another app replica does not reset them. Every attempt is a security event.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from advisor.access.security_log import SecurityLog
from advisor.access.users import User, UserError, UserStore
from advisor.db.models import SignInThrottleRow, utc_iso
from advisor.errors import AdvisorError
from advisor.settings import AuthSettings

log = logging.getLogger(__name__)


class SignInLocked(AdvisorError):
    """Too many failed sign-ins for this account or from this source; ``retry_after_s``: how long to wait."""

    def __init__(self, retry_after_s: float) -> None:
        minutes = max(1, math.ceil(retry_after_s / 60))
        super().__init__(
            f"Too many failed sign-ins. Try again in {minutes} minute{'s' if minutes != 1 else ''}."
        )
        self.retry_after_s = retry_after_s


@dataclass(frozen=True)
class SessionTimes:
    started: datetime
    last_seen: datetime


def session_expiry(times: SessionTimes, now: datetime, settings: AuthSettings) -> str | None:
    """``'idle'`` or ``'absolute'`` when a session started at ``times.started`` and last active at
    ``times.last_seen`` has expired at ``now``, else None."""
    if now - times.started >= timedelta(hours=settings.session_max_hours):
        return "absolute"
    if now - times.last_seen >= timedelta(minutes=settings.session_idle_min):
        return "idle"
    return None


def _parse(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


class SignIn:
    """Throttled, audited password sign-in over a :class:`UserStore`."""

    def __init__(
        self,
        users: UserStore,
        settings: AuthSettings | None = None,
        *,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self.users = users
        self.settings = settings or AuthSettings()
        self._clock = clock or (lambda: datetime.now(UTC))
        self.events = SecurityLog(users.db, clock=self._clock)

    @staticmethod
    def _keys(username: str, source: str) -> tuple[str, str]:
        return f"account:{username}"[:400], f"source:{source or 'app'}"[:400]

    def _session(self, write: bool = False):
        return self.users.db.session(write=write, error=UserError, what="sign-in throttle")

    def locked_for(self, username: str, source: str) -> float:
        """Seconds until ``username`` may try again from ``source`` (0: not locked)."""
        now = self._clock()
        wait = 0.0
        with self._session() as s:
            for key in self._keys(username, source):
                row = s.get(SignInThrottleRow, key)
                until = _parse(row.locked_until) if row is not None else None
                if until is not None and until > now:
                    wait = max(wait, (until - now).total_seconds())
        return wait

    def _fail(self, username: str, source: str) -> None:
        now = self._clock()
        window = timedelta(minutes=self.settings.failure_window_min)
        with self._session(write=True) as s:
            for key in self._keys(username, source):
                row = s.get(SignInThrottleRow, key)
                if row is None:
                    row = SignInThrottleRow(key=key, failures=0, window_start=utc_iso(now), lockouts=0)
                    s.add(row)
                if now - datetime.fromisoformat(row.window_start) > window:
                    row.failures, row.window_start = 0, utc_iso(now)
                row.failures += 1
                if row.failures >= self.settings.max_failures:
                    minutes = min(self.settings.lockout_min * 2**row.lockouts, self.settings.max_lockout_min)
                    row.locked_until = utc_iso(now + timedelta(minutes=minutes))
                    row.lockouts += 1
                    row.failures, row.window_start = 0, utc_iso(now)
                    log.warning("sign-in locked for %.0f minutes after repeated failures", minutes)

    def _succeed(self, username: str) -> None:
        with self._session(write=True) as s:
            row = s.get(SignInThrottleRow, self._keys(username, "")[0])
            if row is not None:
                s.delete(row)

    def authenticate(self, username: str, password: str, *, source: str = "app") -> User | None:
        """The user for a right password; None for a wrong one. Raises :class:`SignInLocked` while the
        account or the source is locked (the password is then not checked)."""
        username = (username or "").strip().lower()
        source = source or "app"
        wait = self.locked_for(username, source)
        if wait > 0:
            self.events.record(
                "sign_in_locked",
                user=username or "anonymous",
                outcome="refused",
                source=source,
                detail=f"locked for {wait:.0f} s",
            )
            raise SignInLocked(wait)
        user = self.users.authenticate(username, password)
        if user is None:
            self._fail(username, source)
            self.events.record(
                "sign_in_failed", user=username or "anonymous", outcome="failed", source=source
            )
            return None
        self._succeed(username)
        self.events.record("sign_in", user=user, source=source, detail="password")
        return user
