"""Streamlit's run path under a burst: config reads without the process-wide lock.

Fifty sessions opening a page at the same moment are fifty script threads in one process, under one GIL.
`streamlit.config.get_option` takes a process-wide lock on every call, and Streamlit calls it for every
message a script sends (`forward_msg_cache.populate_hash_if_needed`): with fifty threads, py-spy --gil
(benchmarks/README.md) put 11-14 % of the GIL's time in it, handing that lock from thread to thread.
Once the config is parsed, the options dict is only ever replaced whole (a reparse), and reading one
option's value is a single attribute read, so reads can go without the lock; until it is parsed, and for
unknown keys, Streamlit's own function answers (and raises as it does).

A cap on script runs at once (a semaphore around each run) was tried as well and dropped: with fifty
sessions it doubled the median (short cached pages waited behind long new-period ones) and did not lower
the p95 or the CPU time (benchmarks/README.md).

`install()` is called once by server.py, before the server starts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

_installed = False


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


def install() -> None:
    """Patch Streamlit's config reads in this process (once)."""
    global _installed
    if _installed:
        return
    from streamlit import config

    # Same signature; modules call config.get_option(...) at run time, so they all get the fast one.
    config.get_option = fast_get_option(config.get_option)  # type: ignore[assignment]
    _installed = True
