"""webserver/runs.py (config reads without the lock) and webserver/cluster.py's nginx configuration (sticky
sessions by cookie)."""

from __future__ import annotations

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
