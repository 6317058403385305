"""Streamlit's run path under a burst: config reads without a lock, and a cap on script runs at once.

Fifty sessions opening a page at the same moment are fifty script threads in one process, under one GIL.
py-spy (benchmarks/loadtest.md) showed two costs that grow with the number of threads rather than with the work:

- `streamlit.config.get_option` takes a process-wide lock on every call, and Streamlit calls it for every
  message a script sends (`forward_msg_cache.populate_hash_if_needed`): with fifty threads the lock hand-offs
  took 11-14 % of the GIL's time. Once the config is parsed, the options dict is only replaced, never
  mutated in its keys, and reading one option's value is atomic, so reads go without the lock; until it is
  parsed (and for unknown keys) Streamlit's own function answers.
- every running script competes for the GIL with every other: fifty at once finish all at the end, each
  one switching out every few milliseconds. At most CHUANYU_MAX_RUNS scripts (default 4) run at once in a
  process; the others wait their turn in order, so the first sessions finish early and the whole burst
  finishes no later. CHUANYU_MAX_RUNS=0 turns the cap off.

`install()` is called once by server.py, before the server starts.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from typing import Any

ENV_MAX_RUNS = "CHUANYU_MAX_RUNS"
DEFAULT_MAX_RUNS = 4
_installed = False


def max_runs() -> int:
    """Script runs allowed at once in this process (CHUANYU_MAX_RUNS; 0 = no cap)."""
    try:
        return max(0, int(os.environ.get(ENV_MAX_RUNS, DEFAULT_MAX_RUNS)))
    except ValueError:
        return DEFAULT_MAX_RUNS


def fast_get_option(original: Callable[[str], Any]) -> Callable[[str], Any]:
    """get_option reading the parsed options without the config lock; original for anything else."""
    from streamlit import config

    def get_option(key: str) -> Any:
        options = config._config_options  # replaced whole on a reparse, never emptied in place
        if options is not None:
            option = options.get(key)
            if option is not None:
                return option.value
        return original(key)

    get_option.__doc__ = original.__doc__
    return get_option


def capped(run: Callable[..., Any], slots: threading.Semaphore) -> Callable[..., Any]:
    """run (Streamlit's exec of one script run), waiting for a free slot first."""

    def exec_with_slot(*args: Any, **kwargs: Any) -> Any:
        with slots:
            return run(*args, **kwargs)

    return exec_with_slot


def install() -> None:
    """Patch Streamlit's config reads and script runs in this process (once)."""
    global _installed
    if _installed:
        return
    from streamlit import config
    from streamlit.runtime.scriptrunner import script_runner

    config.get_option = fast_get_option(config.get_option)  # type: ignore[assignment]  # same signature, patched in place
    limit = max_runs()
    if limit:
        # A FIFO-ish semaphore: threading.Semaphore wakes waiters in the order they blocked.
        script_runner.exec_func_with_error_handling = capped(
            script_runner.exec_func_with_error_handling, threading.Semaphore(limit)
        )
    _installed = True
