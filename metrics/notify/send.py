"""POST a body to a robot: timeouts, bounded retries with exponential backoff and jitter, the per-robot rate.

A platform answers HTTP 200 with an error code in the body when it refuses a message (WeCom and DingTalk
"errcode", Feishu/Lark "code" or the older "StatusCode"); anything but 0 is a failure. Nothing here
raises to the caller: every outcome is a SendResult whose error text has the URL and secret masked.
"""

from __future__ import annotations

import json
import logging
import random
import time
import urllib.error
import urllib.request
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from http.client import HTTPMessage
from typing import IO

from .render import Body, encode_body
from .sign import sign_request
from .targets import Target

log = logging.getLogger("metrics.notify")

# Documented per-robot limits: WeCom and DingTalk 20 messages a minute; Feishu 100 a minute and 5 a second.
PER_MINUTE = {"wecom": 20, "dingtalk": 20, "feishu": 100}
PER_SECOND = {"feishu": 5}
# Error codes that mean "too fast, try later" (WeCom 45009 api freq out of limit, DingTalk 130101 send too
# fast, Feishu 9499 too many request and 11232 rate limited); other codes will fail again, so no retry.
RETRYABLE_CODES: dict[str, frozenset[int]] = {
    "wecom": frozenset({45009}),
    "dingtalk": frozenset({130101}),
    "feishu": frozenset({9499, 11232}),
}
MAX_RESPONSE_BYTES = 65536
USER_AGENT = "chuanyu-metrics-remind/1"

Post = Callable[[str, bytes, float], tuple[int, bytes]]


@dataclass(frozen=True)
class RetryPolicy:
    """How hard to try: attempts per message, seconds per request, backoff base and cap in seconds."""

    attempts: int = 4
    timeout: float = 10.0
    base_delay: float = 1.0
    max_delay: float = 30.0


@dataclass(frozen=True)
class SendResult:
    """What became of one message: sent or not, after how many attempts, and why not (masked)."""

    ok: bool
    attempts: int
    error: str = ""


@dataclass(frozen=True)
class _Outcome:
    ok: bool
    retryable: bool
    error: str = ""


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    # A redirect would carry the robot's key to another address: treat it as a failure instead.
    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: IO[bytes],
        code: int,
        msg: str,
        headers: HTTPMessage,
        newurl: str,
    ) -> urllib.request.Request | None:
        return None


_OPENER = urllib.request.build_opener(_NoRedirect())


def http_post(url: str, data: bytes, timeout: float) -> tuple[int, bytes]:
    """POST JSON bytes; (status, body). HTTP errors return their status; network errors raise OSError."""
    req = urllib.request.Request(
        url,
        data=data,
        method="POST",
        headers={"Content-Type": "application/json; charset=utf-8", "User-Agent": USER_AGENT},
    )
    try:
        with _OPENER.open(req, timeout=timeout) as resp:
            return resp.status, resp.read(MAX_RESPONSE_BYTES)
    except urllib.error.HTTPError as e:
        with e:
            return e.code, e.read(MAX_RESPONSE_BYTES) if e.fp is not None else b""


def check_response(platform: str, status: int, raw: bytes) -> _Outcome:
    """Whether the platform accepted the message, judged by HTTP status and the error code in the body."""
    try:
        data = json.loads(raw.decode("utf-8")) if raw else None
    except (UnicodeDecodeError, json.JSONDecodeError):
        data = None
    code: object = None
    msg = ""
    if isinstance(data, dict):
        if platform == "feishu":
            code = data.get("code", data.get("StatusCode"))
            msg = str(data.get("msg", data.get("StatusMessage", "")))
        else:
            code = data.get("errcode")
            msg = str(data.get("errmsg", ""))
    if 200 <= status < 300 and code == 0:
        return _Outcome(True, False)
    retryable = status == 429 or status >= 500 or (isinstance(code, int) and code in RETRYABLE_CODES[platform])
    detail = f"HTTP {status}"
    if code is not None:
        detail += f", {'code' if platform == 'feishu' else 'errcode'} {code}" + (f": {msg[:200]}" if msg else "")
    elif 200 <= status < 300:
        detail += ", no error code in the reply (not a robot webhook?)"
    return _Outcome(False, retryable, detail)


class RateLimiter:
    """Waits before a send so no robot gets more than its documented messages a minute (and a second)."""

    def __init__(
        self, clock: Callable[[], float] = time.monotonic, sleep: Callable[[float], None] = time.sleep
    ) -> None:
        self.clock, self.sleep = clock, sleep
        self._sent: dict[str, deque[float]] = {}

    def _wait_window(self, q: deque[float], limit: int, window: float) -> None:
        now = self.clock()
        recent = [t for t in q if now - t < window]
        if len(recent) >= limit:
            self.sleep(recent[-limit] + window - now)

    def wait(self, key: str, platform: str) -> None:
        """Block until one more message to this robot stays within its limits, then count it."""
        q = self._sent.setdefault(key, deque(maxlen=max(PER_MINUTE.values())))
        self._wait_window(q, PER_MINUTE[platform], 60.0)
        if platform in PER_SECOND:
            self._wait_window(q, PER_SECOND[platform], 1.0)
        q.append(self.clock())


class Sender:
    """Sends bodies to targets with retries; sleep, clocks, randomness and the HTTP call are injectable."""

    def __init__(
        self,
        policy: RetryPolicy = RetryPolicy(),
        *,
        post: Post = http_post,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        wall: Callable[[], float] = time.time,
        rand: Callable[[], float] = random.random,
    ) -> None:
        self.policy, self.post, self.sleep, self.wall, self.rand = policy, post, sleep, wall, rand
        self.limiter = RateLimiter(clock, sleep)

    def backoff(self, attempt: int) -> float:
        """Seconds to wait after a failed attempt: exponential, capped, with 'equal jitter' in [d/2, d]."""
        d = min(self.policy.max_delay, self.policy.base_delay * 2 ** (attempt - 1))
        return d / 2 + self.rand() * d / 2

    def _try(self, target: Target, body: Body) -> _Outcome:
        # Sign at each attempt: the signature carries a timestamp the platform checks.
        url, signed = sign_request(target.platform, target.url, body, target.secret, self.wall())
        try:
            status, raw = self.post(url, encode_body(signed), self.policy.timeout)
        except (OSError, TimeoutError) as e:  # URLError, refused, reset, timed out
            reason = getattr(e, "reason", None) or e
            return _Outcome(False, True, f"network: {reason}")
        except ValueError as e:  # malformed URL
            return _Outcome(False, False, f"bad URL: {e}")
        return check_response(target.platform, status, raw)

    def send(self, target: Target, body: Body) -> SendResult:
        """Send one body; never raises. Retries transient failures up to policy.attempts in all."""
        attempts = max(1, self.policy.attempts)
        outcome = _Outcome(False, False, "not attempted")
        for attempt in range(1, attempts + 1):
            self.limiter.wait(target.fingerprint, target.platform)
            try:
                outcome = self._try(target, body)
            except Exception as e:
                outcome = _Outcome(False, False, f"unexpected {type(e).__name__}: {e}")
            if outcome.ok:
                return SendResult(True, attempt)
            error = target.redact(outcome.error)
            if not outcome.retryable or attempt == attempts:
                log.warning(
                    "%s (%s %s): not sent after %d attempt(s): %s",
                    target.name,
                    target.platform,
                    target.masked,
                    attempt,
                    error,
                )
                return SendResult(False, attempt, error)
            delay = self.backoff(attempt)
            log.info(
                "%s (%s %s): attempt %d failed (%s); retrying in %.1f s",
                target.name,
                target.platform,
                target.masked,
                attempt,
                error,
                delay,
            )
            self.sleep(delay)
        return SendResult(False, attempts, target.redact(outcome.error))
