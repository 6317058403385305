"""Ingest or roll back in a separate process, with progress, so a large validation never runs in the server.

Validating a 15 MB upload inside the dashboard's process took most of a minute and hundreds of MB, and every
viewer waited behind it. The admin page hands the work to `python -m metrics.ingest.worker` instead: the same
ingest_upload()/rollback() as the CLI, in a process of its own whose memory is returned when it exits.

Protocol: the parent writes one JSON request on the worker's stdin; the worker writes JSON lines on stdout:
{"progress": 0.42, "step": "validate"} while it works, then {"report": {...}} or {"error": "..."} (a bad request).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import IO, Any, TypedDict

from ..warehouse import Progress
from .report import Report
from .service import IngestError, Where, ingest_upload, rollback

WORKER_TIMEOUT = 15 * 60.0  # seconds; a worker still running then is stopped (recovery undoes a half write)
PACKAGE_ROOT = Path(__file__).resolve().parents[2]  # the folder that holds the metrics package


class WorkerFailed(RuntimeError):
    """The worker stopped without a report (killed, out of memory, timed out)."""


class LastLine(TypedDict, total=False):
    """The worker's last line: a report (Report.as_dict()) or the error of a bad request."""

    report: dict[str, Any]
    error: str


def _emit(line: dict[str, object], out: IO[str]) -> None:
    out.write(json.dumps(line, ensure_ascii=False, default=str) + "\n")
    out.flush()


def handle(request: dict[str, object], out: IO[str]) -> None:
    """Carry out one request (in the worker process), writing progress lines and then the report to out."""

    def progress(fraction: float, step: str) -> None:
        _emit({"progress": round(fraction, 3), "step": step}, out)

    where: Where = {"config_path": _opt(request.get("config_path")), "data_dir": _opt(request.get("data_dir"))}
    try:
        if request["action"] == "ingest":
            report = ingest_upload(
                Path(str(request["file"])).read_bytes(),
                str(request["file_name"]),
                str(request["dataset"]),
                str(request["user"]),
                mode=str(request["mode"]),
                dry_run=bool(request["dry_run"]),
                sheet=_opt(request.get("sheet")),
                encoding=_opt(request.get("encoding")),
                progress=progress,
                **where,
            )
        elif request["action"] == "rollback":
            report = rollback(str(request["version"]), str(request["user"]), progress=progress, **where)
        else:
            raise IngestError(f"unknown action {request['action']!r}")
    except IngestError as e:
        _emit({"error": str(e)}, out)
        return
    _emit({"report": report.as_dict()}, out)


def _opt(v: object) -> str | None:
    return None if v is None else str(v)


def main() -> int:
    """The worker process: one request from stdin, progress and the report on stdout."""
    handle(json.loads(sys.stdin.read()), sys.stdout)
    return 0


def run(request: dict[str, object], progress: Progress | None = None, timeout: float = WORKER_TIMEOUT) -> Report:
    """Carry out a request in a new worker process; IngestError for a bad request, WorkerFailed if it died."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(PACKAGE_ROOT), os.environ.get("PYTHONPATH")]))}
    with tempfile.TemporaryFile("w+", encoding="utf-8") as errors:
        proc = subprocess.Popen(
            [sys.executable, "-m", "metrics.ingest.worker"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=errors,
            cwd=PACKAGE_ROOT,
            env=env,
            text=True,
            encoding="utf-8",
        )
        assert proc.stdin is not None and proc.stdout is not None
        try:
            proc.stdin.write(json.dumps(request, ensure_ascii=False))
            proc.stdin.close()
            result = _read(proc.stdout, progress)
            proc.wait(timeout=timeout)
        except BaseException:
            proc.kill()
            proc.wait()
            raise
        if "error" in result:
            raise IngestError(str(result["error"]))
        if "report" not in result:
            errors.seek(0)
            tail = errors.read()[-2000:].strip()
            raise WorkerFailed(
                f"the worker stopped (exit code {proc.returncode}) without a report"
                + (f": {tail.splitlines()[-1]}" if tail else "")
            )
        return Report.from_dict(result["report"])


def _read(stdout: IO[str], progress: Progress | None) -> LastLine:
    """Pass progress lines on; the final line (report or error), or {} when the worker said nothing more."""
    for line in stdout:
        try:
            msg = json.loads(line)
        except ValueError:
            continue  # not ours (a library printing to stdout)
        if "progress" in msg:
            if progress is not None:
                progress(float(msg["progress"]), str(msg.get("step", "")))
        elif "report" in msg or "error" in msg:
            return LastLine(**msg)
    return {}


def ingest_in_worker(
    content: bytes,
    file_name: str,
    dataset: str,
    user: str,
    *,
    mode: str = "append",
    dry_run: bool = False,
    sheet: str | None = None,
    encoding: str | None = None,
    config_path: Path | str | None = None,
    data_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> Report:
    """ingest_upload() in a worker process (same arguments); the upload travels through a private temp file."""
    with tempfile.TemporaryDirectory(prefix="chuanyu-upload-") as folder:
        path = Path(folder) / "upload.bin"
        path.write_bytes(content)
        return run(
            {
                "action": "ingest",
                "file": str(path),
                "file_name": file_name,
                "dataset": dataset,
                "user": user,
                "mode": mode,
                "dry_run": dry_run,
                "sheet": sheet,
                "encoding": encoding,
                "config_path": _path(config_path),
                "data_dir": _path(data_dir),
            },
            progress,
        )


def rollback_in_worker(
    version: str,
    user: str,
    *,
    config_path: Path | str | None = None,
    data_dir: Path | str | None = None,
    progress: Progress | None = None,
) -> Report:
    """rollback() in a worker process (same arguments)."""
    return run(
        {
            "action": "rollback",
            "version": version,
            "user": user,
            "config_path": _path(config_path),
            "data_dir": _path(data_dir),
        },
        progress,
    )


def _path(p: Path | str | None) -> str | None:
    return None if p is None else str(Path(p).resolve())


if __name__ == "__main__":
    raise SystemExit(main())
