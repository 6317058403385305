"""Sign-in throttling that survives restarts and cannot be turned against the account it protects.

Failures are counted in the user store, per user name and per client address. Each count makes the next attempt
wait, doubling with every failure past a free allowance, up to a cap; nothing is ever locked outright:

- per user name (any address): 3 free failures, then 1, 2, 4 ... s, at most 30 s; forgotten after 15 minutes
  without a failure, and at once after a successful sign-in. Someone typing wrong passwords for "admin" from
  elsewhere delays the real admin by 30 s at the most.
- per client address (any name): 10 free failures, then 1, 2, 4 ... s, at most 15 minutes; forgotten after an
  hour without a failure, not by a success (a valid viewer account must not launder guesses at the admin's).
  Without a known address (a local connection, or a proxy that does not forward it) only the name count applies.

Every failure, success and throttled attempt goes into the store's audit (a throttled attempt once per wait).
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from dataclasses import dataclass

from .userstore import Store, Tx, audit

NAME_SCOPE, CLIENT_SCOPE = "name", "client"
VALID_NAME = re.compile(r"^[A-Za-z0-9_.@-]{1,64}$")  # as metrics.auth.USERNAME


@dataclass(frozen=True)
class Backoff:
    """How failures turn into waits: free failures, then base seconds doubling up to cap."""

    free: int
    base: float
    cap: float
    forget_after: float

    def delay(self, failures: int) -> float:
        """Seconds to wait after the last of failures."""
        if failures <= self.free:
            return 0.0
        return float(min(self.cap, self.base * 2 ** min(failures - self.free - 1, 30)))


NAME_BACKOFF = Backoff(free=3, base=1.0, cap=30.0, forget_after=15 * 60.0)
CLIENT_BACKOFF = Backoff(free=10, base=1.0, cap=15 * 60.0, forget_after=60 * 60.0)


def name_key(username: str) -> str:
    """The key a user name is counted under: trimmed, lower-case, at most 64 characters."""
    return username.strip().lower()[:64]


def shown_name(username: str) -> str:
    """The name as the audit records it; anything that cannot be a user name (a pasted password) is not kept."""
    name = username.strip()
    return name if VALID_NAME.match(name) else "(not a valid user name)"


class LoginThrottle:
    """Per-name and per-client backoff kept in a store; every decision is audited there."""

    def __init__(
        self,
        store: Store,
        *,
        clock: Callable[[], float] = time.time,
        name_backoff: Backoff = NAME_BACKOFF,
        client_backoff: Backoff = CLIENT_BACKOFF,
    ) -> None:
        self.store, self.clock = store, clock
        self.backoff = {NAME_SCOPE: name_backoff, CLIENT_SCOPE: client_backoff}

    def _scopes(self, username: str, client: str | None) -> list[tuple[str, str]]:
        keys = [(NAME_SCOPE, name_key(username))]
        return keys + [(CLIENT_SCOPE, client)] if client else keys

    def _until(self, tx: Tx, scope: str, key: str, now: float) -> tuple[float, float]:
        """(when this scope's wait ends, until when a throttle event was already logged)."""
        rows = tx.query("throttle_get", {"scope": scope, "key": key})
        if not rows:
            return 0.0, 0.0
        row, policy = rows[0], self.backoff[scope]
        last = float(str(row["last_failure"]))
        if now - last >= policy.forget_after:
            return 0.0, 0.0
        return last + policy.delay(int(str(row["failures"]))), float(str(row["logged_until"]))

    def wait(self, username: str, client: str | None = None, now: float | None = None) -> float:
        """Seconds before this name may try again from this client (0 when it may); logs nothing."""
        now = self.clock() if now is None else now
        with self.store.transaction(write=False) as tx:
            ends = [self._until(tx, s, k, now)[0] for s, k in self._scopes(username, client)]
        return max([0.0] + [e - now for e in ends])

    def check(self, username: str, client: str | None = None, now: float | None = None) -> float:
        """wait(), and an audit event the first time an attempt meets each wait."""
        now = self.clock() if now is None else now
        with self.store.transaction() as tx:
            waits = []
            for scope, key in self._scopes(username, client):
                until, logged = self._until(tx, scope, key, now)
                if until > now:
                    waits.append(until - now)
                    if logged < until:
                        tx.execute("throttle_logged", {"scope": scope, "key": key, "until": until})
                        audit.append(
                            tx,
                            shown_name(username),
                            "login.throttled",
                            client=client,
                            detail={"scope": scope, "wait_s": round(until - now, 1)},
                        )
        return max([0.0] + waits)

    def record(
        self, username: str, ok: bool, client: str | None = None, *, role: str | None = None, now: float | None = None
    ) -> None:
        """Count a failure (or clear the name's count after a success), and audit it."""
        now = self.clock() if now is None else now
        with self.store.transaction() as tx:
            if ok:
                tx.execute("throttle_forget", {"scope": NAME_SCOPE, "key": name_key(username)})
                audit.append(tx, shown_name(username), "login.success", client=client, detail={"role": role})
                return
            for scope, key in self._scopes(username, client):
                tx.execute(
                    "throttle_fail",
                    {"scope": scope, "key": key, "now": now, "forget_before": now - self.backoff[scope].forget_after},
                )
            counts = {
                s: int(str(tx.query("throttle_get", {"scope": s, "key": k})[0]["failures"]))
                for s, k in self._scopes(username, client)
            }
            audit.append(tx, shown_name(username), "login.failure", client=client, detail={"failures": counts})
            oldest = max(b.forget_after for b in self.backoff.values())
            tx.execute("throttle_prune", {"before": now - oldest})

    def busy(self, username: str, client: str | None = None) -> None:
        """Audit an attempt refused because every password check slot stayed taken."""
        with self.store.transaction() as tx:
            audit.append(tx, shown_name(username), "login.busy", client=client)
