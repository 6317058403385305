"""A throw-away PostgreSQL cluster for the tests: initdb in a temporary folder, listening only on a Unix socket,
stopped at the end. Debian's server refuses to run as root, so as root it runs as the `postgres` user.

Outside CI, without PostgreSQL, the tests that need it skip with the reason; under CI=true they fail
(`make test` installs it with scripts/setup_postgres.sh).
"""

from __future__ import annotations

import glob
import os
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

USER = "chuanyu"


def bin_dir() -> Path | None:
    """Where initdb and pg_ctl live, or None without a PostgreSQL server."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    which = shutil.which("initdb")
    return Path(which).resolve().parent if which else None


def require_postgres() -> Path:
    """The server's bin folder; skips (fails under CI=true) when PostgreSQL is not installed."""
    where = bin_dir()
    if where is None:
        reason = "PostgreSQL is not installed (scripts/setup_postgres.sh installs Debian's postgresql)"
        if os.environ.get("CI") == "true":
            pytest.fail(f"PostgreSQL tests must run in CI: {reason}")
        pytest.skip(reason)
    return where


def _as_owner(cmd: list[str]) -> list[str]:
    # PostgreSQL will not run as root: run its tools as the postgres user when we are root.
    return ["runuser", "-u", "postgres", "--", *cmd] if os.geteuid() == 0 else cmd


@contextmanager
def cluster() -> Iterator[str]:
    """A fresh cluster for the block; yields a postgresql:// URL to a database on a Unix socket."""
    bins = require_postgres()
    root = Path(tempfile.mkdtemp(prefix="chuanyu-pg-"))
    data, sock = root / "data", root / "sock"
    sock.mkdir()
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
        shutil.chown(sock, "postgres")

    def run(*cmd: str) -> None:
        subprocess.run(
            _as_owner([str(bins / cmd[0]), *cmd[1:]]), check=True, capture_output=True, text=True, timeout=120
        )

    try:
        run("initdb", "-D", str(data), "-U", USER, "--auth=trust", "-E", "UTF8", "--locale=C.UTF-8")
        run(
            "pg_ctl",
            "-D",
            str(data),
            "-l",
            str(root / "server.log"),
            "-w",
            "-t",
            "60",
            "-o",
            f"-c listen_addresses='' -k {sock} -c fsync=off",
            "start",
        )
        run("createdb", "-h", str(sock), "-U", USER, "test")
        yield f"postgresql://{USER}@/test?host={sock}"
    finally:
        subprocess.run(
            _as_owner([str(bins / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"]),
            capture_output=True,
            timeout=60,
        )
        shutil.rmtree(root, ignore_errors=True)


def new_database(base_url: str, name: str) -> str:
    """A new, empty database in the cluster of base_url; its URL."""
    import psycopg

    with psycopg.connect(base_url, autocommit=True) as con:
        con.execute(f'create database "{name}"')  # a name the tests make up: [a-z0-9_] only
    return base_url.replace("/test?", f"/{name}?", 1)
