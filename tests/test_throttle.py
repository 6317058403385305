"""A lockout that cannot be abused (issue 11, findings 3 and 8): capped scrypt checks, backoff per name and per
client kept in the store across restarts, the same cost for unknown names, every decision audited."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from metrics import auth
from metrics.auth import hash_password, load_access, login_local
from metrics.throttle import CLIENT_BACKOFF, NAME_BACKOFF, LoginThrottle
from metrics.userstore import audit as store_audit
from metrics.userstore import open_store

FAST = {"log_n": 10, "r": 8, "p": 1}
ALICE = hash_password("correct horse battery", **FAST)
SETTINGS = load_access({"admins": {"alice": ALICE}}, {})
A, B = "203.0.113.7", "198.51.100.9"


class Clock:
    """A clock the test moves by hand."""

    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock() -> Clock:
    return Clock()


@pytest.fixture()
def throttle(tmp_path: Path, clock: Clock) -> LoginThrottle:
    store = open_store(tmp_path)
    assert store is not None
    return LoginThrottle(store, clock=clock)


def fail(t: LoginThrottle, clock: Clock, name: str, client: str | None, times: int) -> None:
    """Wrong passwords, each one as soon as the throttle allows it."""
    for _ in range(times):
        clock.now += t.wait(name, client) + 0.001
        r = login_local(SETTINGS, name, "wrong password!!", throttle=t, client=client)
        assert not r.ok and r.retry_after == 0, r.message


def test_eight_simultaneous_wrong_sign_ins_run_at_most_two_scrypt_checks(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each check takes 128 MiB: eight at once took 1.3 GB. The hook counts checks running at the same moment."""
    active, peak, lock = [0], [0], threading.Lock()
    real = auth._scrypt

    def counted(*args: object) -> bytes:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        try:
            time.sleep(0.2)  # long enough that eight threads would overlap without a cap
            return real(*args)  # type: ignore[arg-type]
        finally:
            with lock:
                active[0] -= 1

    monkeypatch.setattr(auth, "_scrypt", counted)
    results: list[auth.LoginResult] = []
    threads = [
        threading.Thread(target=lambda i=i: results.append(login_local(SETTINGS, f"nobody{i}", "wrong password!!")))
        for i in range(8)
    ]
    for th in threads:
        th.start()
    for th in threads:
        th.join(timeout=60)
    assert len(results) == 8 and all(not r.ok and r.message == "wrong user name or password" for r in results)
    assert 1 <= peak[0] <= 2


def test_a_check_that_finds_no_free_slot_is_refused_as_busy(
    throttle: LoginThrottle, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(auth, "SCRYPT_WAIT", 0.05)
    monkeypatch.setattr(auth, "_SCRYPT_GATE", threading.BoundedSemaphore(1))
    auth._SCRYPT_GATE.acquire()  # another check holds the only slot
    try:
        r = login_local(SETTINGS, "alice", "correct horse battery", throttle=throttle, client=A)
    finally:
        auth._SCRYPT_GATE.release()
    assert not r.ok and r.busy
    assert [e["action"] for e in store_audit.events(throttle.store)] == ["login.busy"]
    assert login_local(SETTINGS, "alice", "correct horse battery", throttle=throttle, client=A).ok


def test_unknown_names_cost_one_check_at_the_accounts_parameters(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[tuple[int, int, int]] = []
    real = auth._scrypt

    def spy(password: str, salt: bytes, log_n: int, r: int, p: int, dklen: int) -> bytes:
        calls.append((log_n, r, p))
        return real(password, salt, log_n, r, p, dklen)

    monkeypatch.setattr(auth, "_scrypt", spy)
    login_local(SETTINGS, "alice", "wrong password!!")
    login_local(SETTINGS, "mallory", "wrong password!!")
    assert calls == [(10, 8, 1), (10, 8, 1)]


def test_name_backoff_doubles_and_stops_at_thirty_seconds(throttle: LoginThrottle, clock: Clock) -> None:
    waits = []
    for _ in range(12):
        fail(throttle, clock, "alice", None, 1)
        waits.append(round(throttle.wait("alice")))
    assert waits == [0, 0, 0, 1, 2, 4, 8, 16, 30, 30, 30, 30]
    assert (NAME_BACKOFF.free, NAME_BACKOFF.cap, CLIENT_BACKOFF.free, CLIENT_BACKOFF.cap) == (3, 30, 10, 900)


def test_throttle_survives_a_restart(tmp_path: Path, throttle: LoginThrottle, clock: Clock) -> None:
    fail(throttle, clock, "alice", A, 6)
    before = throttle.wait("alice", A)
    assert before > 0
    reopened = open_store(tmp_path)  # a new process: nothing is kept in memory
    assert reopened is not None
    again = LoginThrottle(reopened, clock=clock)
    assert again.wait("alice", A) == pytest.approx(before)
    r = login_local(SETTINGS, "alice", "correct horse battery", throttle=again, client=A)
    assert not r.ok and r.retry_after > 0 and "too many failed attempts" in r.message


def test_guessing_from_one_client_does_not_lock_the_account_elsewhere(throttle: LoginThrottle, clock: Clock) -> None:
    """Finding 8: anyone could lock the admin out for five minutes by typing wrong passwords for that name."""
    fail(throttle, clock, "alice", A, 20)
    assert throttle.wait("alice", A) > 60  # the guessing client waits longer and longer
    assert throttle.wait("bob", A) > 60  # whatever name it tries next
    assert 0 < throttle.wait("alice", B) <= NAME_BACKOFF.cap  # the real alice elsewhere: at most 30 s
    clock.now += NAME_BACKOFF.cap
    r = login_local(SETTINGS, "alice", "correct horse battery", throttle=throttle, client=B)
    assert r.ok and r.role == "admin"
    assert throttle.wait("alice", B) == 0 and throttle.wait("alice", A) > 0  # success clears the name only


def test_counts_are_forgotten_after_a_quiet_while(throttle: LoginThrottle, clock: Clock) -> None:
    fail(throttle, clock, "alice", A, 12)
    assert throttle.wait("alice", A) > 0
    clock.now += CLIENT_BACKOFF.forget_after + 1
    assert throttle.wait("alice", A) == 0
    fail(throttle, clock, "alice", A, 1)
    assert throttle.wait("alice", A) == 0  # counting starts again from one


def test_every_failure_throttle_and_success_is_audited(throttle: LoginThrottle, clock: Clock) -> None:
    fail(throttle, clock, "alice", A, 4)
    for _ in range(3):  # three attempts during one wait: logged once
        assert login_local(SETTINGS, "alice", "whatever", throttle=throttle, client=A).retry_after > 0
    clock.now += 5
    assert login_local(SETTINGS, "alice", "correct horse battery", throttle=throttle, client=A).ok
    login_local(SETTINGS, "my secret password", "x", throttle=throttle, client=B)
    events = store_audit.events(throttle.store)
    assert [(e["actor"], e["action"], e["client"]) for e in events] == (
        [("alice", "login.failure", A)] * 4
        + [
            ("alice", "login.throttled", A),
            ("alice", "login.success", A),
            ("(not a valid user name)", "login.failure", B),
        ]
    )
    assert events[3]["detail"] == {"failures": {"name": 4, "client": 4}}
    assert events[5]["detail"] == {"role": "admin"}
    assert store_audit.verify(throttle.store) == []
