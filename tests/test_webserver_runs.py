"""webserver/runs.py (config reads without the lock, a cap on script runs at once) and webserver/cluster.py's nginx
configuration (sticky sessions by cookie)."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from webserver import cluster, runs


def test_fast_get_option_answers_what_streamlit_answers() -> None:
    from streamlit import config

    original = config.get_option
    fast = runs.fast_get_option(original)
    config.get_config_options()  # parsed, as in a running server
    for key in ("global.minCachedMessageSize", "server.fileWatcherType", "runner.postScriptGC"):
        assert fast(key) == original(key)


def test_fast_get_option_sees_a_value_set_later_and_refuses_unknown_keys() -> None:
    from streamlit import config

    fast = runs.fast_get_option(config.get_option)
    before = config.get_option("global.minCachedMessageSize")
    config.set_option("global.minCachedMessageSize", before + 7)
    try:
        assert fast("global.minCachedMessageSize") == before + 7
    finally:
        config.set_option("global.minCachedMessageSize", before)
    with pytest.raises(RuntimeError, match="not defined"):
        fast("no.suchOption")


def test_capped_runs_never_exceed_the_slots_and_all_finish() -> None:
    active, peak, done = 0, 0, []
    lock = threading.Lock()

    def run(i: int) -> int:
        nonlocal active, peak
        with lock:
            active += 1
            peak = max(peak, active)
        time.sleep(0.02)
        with lock:
            active -= 1
        done.append(i)
        return i * 10

    wrapped = runs.capped(run, threading.Semaphore(2))
    results: list[int] = []
    threads = [threading.Thread(target=lambda i=i: results.append(wrapped(i))) for i in range(7)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert peak == 2
    assert sorted(results) == [0, 10, 20, 30, 40, 50, 60] and sorted(done) == list(range(7))


def test_a_failing_run_gives_its_slot_back() -> None:
    slots = threading.Semaphore(1)

    def boom() -> None:
        raise ValueError("script failed")

    with pytest.raises(ValueError):
        runs.capped(boom, slots)()
    assert slots.acquire(blocking=False)  # the slot is free again


@pytest.mark.parametrize(("value", "expected"), [(None, 4), ("8", 8), ("0", 0), ("-3", 0), ("many", 4)])
def test_max_runs_reads_the_environment(monkeypatch: pytest.MonkeyPatch, value: str | None, expected: int) -> None:
    if value is None:
        monkeypatch.delenv(runs.ENV_MAX_RUNS, raising=False)
    else:
        monkeypatch.setenv(runs.ENV_MAX_RUNS, value)
    assert runs.max_runs() == expected


def test_cluster_config_pins_a_browser_to_one_process_by_cookie(tmp_path: Path) -> None:
    conf = cluster.nginx_conf(8797, [8798, 8799], tmp_path, "127.0.0.1")
    assert "listen 127.0.0.1:8797;" in conf
    assert "server 127.0.0.1:8798 " in conf and "server 127.0.0.1:8799 " in conf
    assert "hash $chuanyu_node consistent;" in conf
    # No cookie yet: a random key, which is both hashed and set as the cookie; with the cookie: its key.
    assert "''      $request_id;" in conf and "default $cookie_chuanyu_node;" in conf
    assert '"chuanyu_node=$request_id; Path=/; HttpOnly; SameSite=Lax"' in conf
    assert "add_header Set-Cookie $chuanyu_set_node;" in conf
    # Websockets pass through, and stay open as long as a tab does.
    assert "proxy_set_header Upgrade $http_upgrade;" in conf and "proxy_read_timeout 1d;" in conf
    assert f"pid {tmp_path}/nginx.pid;" in conf
