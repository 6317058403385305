"""Several dashboard processes behind nginx with sticky sessions: one Python process per core.

    python -m webserver.cluster --processes 2 --port 8501          # nginx on 8501, dashboards on 8502-8503
    python -m webserver.cluster --processes 2 --port 8501 --print-config

One Streamlit process runs every session's script under one GIL, so twenty to fifty officials opening a
link at once wait behind each other on one core while the other idles. This starts N copies of
`streamlit run server.py` on loopback ports port+1..port+N, waits until each answers GET /api/ready (warmed),
then nginx on port in front of them. A session lives in one process (its websocket, its uploads, its
downloads), so nginx pins a browser to one process with a cookie: the first request without the cookie gets
a random key (nginx's $request_id), which nginx both hashes to choose the process and sets as the cookie,
so every later request of that browser hashes to the same process. Requests without the cookie (a client
that keeps none) are spread at random. Ctrl-C or SIGTERM stops nginx and every process.

Every process gets the same server.cookieSecret (STREAMLIT_SERVER_COOKIE_SECRET, or a random one for this
cluster), so a cookie one process signed is valid in another if nginx ever has to move a browser.
The nginx configuration is written to .cache/cluster/ (--run-dir); --print-config prints it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

NGINX_CONF = """\
# Written by python -m webserver.cluster: {processes} dashboard processes behind one address, sticky by cookie.
worker_processes 1;
{user}pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    client_max_body_size 17m;

    map $http_upgrade $connection_upgrade {{
        default upgrade;
        ''      close;
    }}
    # The browser's process: the key in its cookie, or a new random one for a first request.
    map $cookie_chuanyu_node $chuanyu_node {{
        ''      $request_id;
        default $cookie_chuanyu_node;
    }}
    map $cookie_chuanyu_node $chuanyu_set_node {{
        ''      "chuanyu_node=$request_id; Path=/; HttpOnly; SameSite=Lax";
        default "";
    }}
    upstream chuanyu_dashboard {{
        hash $chuanyu_node consistent;
{servers}
    }}
    server {{
        listen {address}:{port};
        location / {{
            proxy_pass http://chuanyu_dashboard;
            proxy_http_version 1.1;
            proxy_set_header Host $http_host;
            proxy_set_header Upgrade $http_upgrade;
            proxy_set_header Connection $connection_upgrade;
            proxy_read_timeout 1d;
            proxy_buffering off;
            add_header Set-Cookie $chuanyu_set_node;
        }}
    }}
}}
"""


def nginx_conf(port: int, backends: list[int], run: Path, address: str = "127.0.0.1") -> str:
    """The nginx configuration: listen on address:port, sticky-hash to the loopback backends."""
    servers = "\n".join(f"        server 127.0.0.1:{p} max_fails=3 fail_timeout=10s;" for p in backends)
    user = "user root;\n" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""  # temp dirs are ours
    return NGINX_CONF.format(processes=len(backends), user=user, run=run, servers=servers, address=address, port=port)


RUN_DIR = ROOT / ".cache" / "cluster"  # the generated configuration, nginx's pid and its temporary files


def start_nginx(
    port: int, backends: list[int], address: str = "127.0.0.1", run_dir: Path = RUN_DIR
) -> subprocess.Popen:
    """nginx in the foreground on address:port in front of the backends (already listening)."""
    exe = shutil.which("nginx") or "/usr/sbin/nginx"
    if not Path(exe).exists():
        raise SystemExit("nginx is not installed (Debian: apt-get install nginx-light)")
    run = run_dir / f"nginx-{port}"
    run.mkdir(parents=True, exist_ok=True)
    conf = run / "nginx.conf"
    conf.write_text(nginx_conf(port, backends, run, address), encoding="utf-8")
    proc = subprocess.Popen([exe, "-p", str(run), "-c", str(conf), "-g", "daemon off;"])
    try:
        wait_ready(f"http://{address}:{port}/_stcore/health", proc, 30)
    except BaseException:  # not ready, or stopped while starting: never leave nginx behind
        stop([proc])
        raise
    return proc


def start_backend(port: int, env: dict[str, str], extra: list[str]) -> subprocess.Popen:
    """One `streamlit run server.py` on 127.0.0.1:port."""
    cmd = [sys.executable, "-m", "streamlit", "run", str(ROOT / "server.py"), "--server.port", str(port)]
    cmd += ["--server.address", "127.0.0.1", "--server.headless", "true", *extra]
    return subprocess.Popen(cmd, cwd=ROOT, env=env)


def wait_ready(url: str, proc: subprocess.Popen, limit_s: float = 600.0) -> None:
    """Return once url answers 200; SystemExit if proc exits or the time runs out."""
    deadline = time.monotonic() + limit_s
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"process {proc.pid} exited with code {proc.returncode} before {url} was ready")
        try:
            with urllib.request.urlopen(url, timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:  # not listening yet, or 503 while warming up
            pass
        time.sleep(0.5)
    raise SystemExit(f"{url} was not ready within {limit_s:.0f} s")


def stop(procs: list[subprocess.Popen]) -> None:
    """Terminate every process, then wait for each (killing those that do not stop)."""
    for p in procs:
        if p.poll() is None:
            p.terminate()
    for p in procs:
        try:
            p.wait(timeout=20)
        except subprocess.TimeoutExpired:
            p.kill()
            p.wait()


def _interrupt(_signum: int, _frame: object) -> None:
    raise KeyboardInterrupt  # SIGTERM stops the cluster the way Ctrl-C does


def main(argv: list[str] | None = None) -> int:
    """Start the backends, then nginx; run until interrupted."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--processes", type=int, default=os.cpu_count() or 2, help="backends (default: one per core)")
    ap.add_argument("--port", type=int, default=8501, help="nginx listens here; backends on port+1..port+N")
    ap.add_argument("--address", default="127.0.0.1", help="nginx's listen address")
    ap.add_argument("--run-dir", type=Path, default=RUN_DIR, help="for nginx's configuration, pid and temporary files")
    ap.add_argument("--print-config", action="store_true", help="print the nginx configuration and exit")
    args, extra = ap.parse_known_args(argv)
    backends = [args.port + 1 + i for i in range(args.processes)]
    if args.print_config:
        print(nginx_conf(args.port, backends, args.run_dir / f"nginx-{args.port}", args.address))
        return 0
    secret = os.environ.get("STREAMLIT_SERVER_COOKIE_SECRET") or secrets.token_hex(32)
    env = {**os.environ, "STREAMLIT_SERVER_COOKIE_SECRET": secret}
    procs = [start_backend(p, env, extra) for p in backends]
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        for port, proc in zip(backends, procs, strict=True):
            wait_ready(f"http://127.0.0.1:{port}/api/ready", proc)
        procs.append(start_nginx(args.port, backends, args.address, args.run_dir))
        print(f"ready: http://{args.address}:{args.port} -> {len(backends)} processes {backends}", flush=True)
        while all(p.poll() is None for p in procs):
            time.sleep(1.0)
        return 1  # one of them stopped on its own
    except KeyboardInterrupt:
        return 0
    finally:
        stop(procs)


if __name__ == "__main__":
    sys.exit(main())
