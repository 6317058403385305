"""Two dashboard processes behind nginx (python -m webserver.cluster): a browser's cookie pins it to one process.

Each process answers GET /api/ready with its own random instance id, which tells the processes apart through nginx.
Needs nginx (Debian: nginx-light); skips without it, fails under CI=true.
"""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.browser import free_port

pytestmark = pytest.mark.server
ROOT = Path(__file__).resolve().parents[1]


def _ready(url: str, cookie: str | None = None) -> tuple[str, str | None]:
    """(the answering process's instance id, the Set-Cookie header) of GET /api/ready."""
    headers = {"Cookie": f"chuanyu_node={cookie}"} if cookie else {}
    with urllib.request.urlopen(urllib.request.Request(f"{url}/api/ready", headers=headers), timeout=10) as r:
        return str(json.loads(r.read())["instance"]), r.headers.get("Set-Cookie")


@pytest.fixture(scope="module")
def cluster(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The cluster on a free port (backends on the next two), until the module's tests are done."""
    if shutil.which("nginx") is None and not Path("/usr/sbin/nginx").exists():
        if os.environ.get("CI") == "true":
            pytest.fail("nginx must be installed in CI (apt-get install nginx-light)")
        pytest.skip("nginx is not installed")
    port = free_port()
    log = (tmp_path_factory.mktemp("cluster") / "cluster.log").open("w")
    cmd = [sys.executable, "-m", "webserver.cluster", "--processes", "2", "--port", str(port)]
    cmd += ["--run-dir", str(tmp_path_factory.mktemp("run"))]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 300
        while True:
            assert proc.poll() is None, Path(log.name).read_text()
            assert time.monotonic() < deadline, "the cluster was not ready in 300 s"
            try:
                _ready(url)
                break
            except OSError:
                time.sleep(1)
        yield url
    finally:
        proc.send_signal(signal.SIGTERM)
        proc.wait(timeout=60)
        log.close()


def test_a_first_visit_gets_the_node_cookie_and_a_returning_one_does_not(cluster: str) -> None:
    _, set_cookie = _ready(cluster)
    assert set_cookie is not None and set_cookie.startswith("chuanyu_node=")
    assert "HttpOnly" in set_cookie and "SameSite=Lax" in set_cookie
    key = set_cookie.split(";")[0].split("=", 1)[1]
    assert len(key) == 32
    assert _ready(cluster, key)[1] is None


def test_each_cookie_always_reaches_the_same_process_and_both_processes_serve(cluster: str) -> None:
    processes = set()
    for n in range(48):
        answers = {_ready(cluster, f"browser-{n}")[0] for _ in range(4)}
        assert len(answers) == 1, f"browser-{n} reached {answers}"
        processes |= answers
    # 48 keys over two processes: both get some even when the hash ring splits them 80/20 (0.8**48 < 1e-4)
    port = int(cluster.rsplit(":", 1)[1])
    backends = {_ready(f"http://127.0.0.1:{port + i}")[0] for i in (1, 2)}  # each asked directly
    assert processes == backends and len(backends) == 2, (processes, backends)
