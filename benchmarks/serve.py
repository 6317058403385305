"""Run the dashboard exactly as `make run` does (streamlit run server.py), but log every script run, server-side.

    python -m benchmarks.serve --runlog runs.jsonl [streamlit options...]

For each run it appends one JSON line: the session, the page and query string it was asked for, when the
request arrived, when the script started and ended, and the exception it raised if any. The load test reads
this log, so its timings are the server's own: from the rerun request to the end of the script run.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
_lock = threading.Lock()
_requests: dict[str, tuple[float, str, str]] = {}


def _write(log: Path, record: dict) -> None:
    with _lock, log.open("a", encoding="utf-8") as fh:
        fh.write(json.dumps(record) + "\n")


def instrument(log: Path) -> None:
    """Wrap AppSession.request_rerun and the script runner's exec call to log each run."""
    from streamlit.runtime import app_session
    from streamlit.runtime.scriptrunner import script_runner

    request_rerun = app_session.AppSession.request_rerun
    exec_func = script_runner.exec_func_with_error_handling

    def logged_request(self, client_state=None):
        page = client_state.page_name if client_state else ""
        query = client_state.query_string if client_state else ""
        with _lock:
            _requests.setdefault(self.id, (time.time(), page, query))
        return request_rerun(self, client_state)

    def logged_exec(func, ctx):
        started = time.time()
        result = exec_func(func, ctx)
        ended = time.time()
        _, _, rerun, premature, uncaught = result
        with _lock:
            requested, page, query = _requests.pop(ctx.session_id, (started, "", ""))
        _write(
            log,
            {
                "session": ctx.session_id,
                "page": page,
                "query": query,
                "requested": requested,
                "started": started,
                "ended": ended,
                "seconds": ended - requested,
                "rerun": bool(rerun),
                "stopped_early": bool(premature),
                "error": None if uncaught is None else f"{type(uncaught).__name__}: {uncaught}",
            },
        )
        return result

    app_session.AppSession.request_rerun = logged_request  # type: ignore[method-assign]  # instrumenting in place
    script_runner.exec_func_with_error_handling = logged_exec


def main(argv: list[str] | None = None) -> int:
    """Instrument, then hand over to Streamlit's own command line."""
    args = list(sys.argv[1:] if argv is None else argv)
    if len(args) < 2 or args[0] != "--runlog":
        print(__doc__, file=sys.stderr)
        return 2
    instrument(Path(args[1]))
    from streamlit.web import cli

    sys.argv = ["streamlit", "run", str(ROOT / "server.py"), *args[2:]]
    return cli.main()


if __name__ == "__main__":
    sys.exit(main())
