"""What the data admin page does, without its widgets: ingest, roll back, clear the caches, and the tables it shows.

Every write goes to the data dir of the engine the dashboard is showing (engine.paths), so the page and the
numbers it changes always agree, also when $CHUANYU_DATA_DIR points the app at another copy. Validation and
writing run in a worker process (metrics.ingest.worker), so a large file never slows the server's viewers.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from metrics import Engine
from metrics.columns import localise_headers
from metrics.i18n import tr
from metrics.ingest import (
    DatasetEntry,
    IngestError,
    Report,
    Version,
    Where,
    list_versions,
    read_audit,
    verify_audit,
)
from metrics.ingest import datasets as dataset_catalog
from metrics.ingest.worker import WorkerFailed, ingest_in_worker, rollback_in_worker
from metrics.provenance import data_as_of
from metrics.userstore import StoreError, open_store
from metrics.userstore import audit as store_audit
from metrics.warehouse import Progress

from . import data

AUDIT_COLUMNS = [
    "ts",
    "action",
    "result",
    "user",
    "dataset",
    "file_name",
    "mode",
    "rows_added",
    "rows_replaced",
    "rows_removed",
    "version",
    "restored_from",
    "problems",
    "recovered",
    "message",
]
VERSION_COLUMNS = ["id", "current", "created", "action", "user", "source", "mode", "rows", "size"]
CONTRACT_COLUMNS = [
    "column",
    "name_zh",
    "name_en",
    "type",
    "required",
    "primary_key",
    "allowed",
    "references",
    "min",
    "max",
]


@dataclass(frozen=True)
class Outcome:
    """A report and, when it changed the data, the dashboard's as-of date after the change."""

    report: Report
    as_of: str | None = None


def _where(engine: Engine) -> Where:
    """The keyword arguments that point the ingest library at the engine's config and data dir."""
    return {"config_path": engine.paths.config, "data_dir": engine.paths.data_dir}


def catalog(engine: Engine) -> list[DatasetEntry]:
    """Every dataset's contract (titles, file, key, columns) for the engine's data dir."""
    return dataset_catalog(**_where(engine))


def run_ingest(
    engine: Engine,
    content: bytes,
    file_name: str,
    dataset: str,
    user: str,
    *,
    mode: str,
    dry_run: bool,
    sheet: str | None = None,
    encoding: str | None = None,
    lang: str = "zh",
    progress: Progress | None = None,
) -> Outcome:
    """Validate (dry_run) or ingest an uploaded file in a worker process; after a change, refresh the caches."""
    try:
        report = ingest_in_worker(
            content,
            file_name,
            dataset,
            user,
            mode=mode,
            dry_run=dry_run,
            sheet=sheet,
            encoding=encoding,
            progress=progress,
            **_where(engine),
        )
    except (IngestError, WorkerFailed) as e:  # a bad request, or the worker died: the data is old or new, whole
        report = Report(
            action="ingest", dataset=dataset, file_name=file_name, mode=mode, dry_run=dry_run, user=user, message=str(e)
        )
    return _after(report, lang)


def run_rollback(
    engine: Engine, version: str, user: str, lang: str = "zh", progress: Progress | None = None
) -> Outcome:
    """Put a kept version back in use (in a worker process); after a change, refresh the caches."""
    try:
        report = rollback_in_worker(version, user, progress=progress, **_where(engine))
    except (IngestError, WorkerFailed) as e:
        report = Report(action="rollback", restored_from=version, user=user, message=str(e))
    return _after(report, lang)


def _after(report: Report, lang: str) -> Outcome:
    """Refresh the dashboard after a change: every session's next run reads the new data and as-of date."""
    if not report.changed:
        return Outcome(report)
    # The engine is the one st.cache_resource entry of ui.data (no arguments); clearing it and every cached
    # result is enough. st.cache_resource.clear() would also restart the image-export prewarm for nothing.
    data.clear()
    with st.spinner(tr("ui.rebuilding", lang)):
        fresh = data.engine()  # build the new database now, not on a viewer's next click
    return Outcome(report, data_as_of(fresh).label())


def versions(engine: Engine, dataset: str) -> list[Version]:
    """Kept versions of one dataset, newest first."""
    return list_versions(dataset, **_where(engine))


def audit_events(engine: Engine) -> list[dict]:
    """The audit log, latest first."""
    return list(reversed(read_audit(**_where(engine))))


def audit_problems(engine: Engine) -> list[str]:
    """Every problem of the ingest log's chain and of the user store's (sign-ins)."""
    problems = verify_audit(**_where(engine))
    try:
        store = open_store(engine.paths.data_dir, create=False)
        return problems + (store_audit.verify(store) if store is not None else [])
    except StoreError as e:
        return problems + [str(e)]


def sign_in_events(engine: Engine, limit: int = 200) -> list[dict]:
    """The user store's latest audit events (sign-ins), latest first."""
    try:
        store = open_store(engine.paths.data_dir, create=False)
    except StoreError:
        return []
    rows = store_audit.latest(store, limit) if store is not None else []
    return [{"ts": r["ts"], "user": r["actor"], "action": r["action"], "client": r["client"] or ""} for r in rows]


def sign_in_frame(events: list[dict], lang: str) -> pd.DataFrame:
    """Sign-in events as a table (latest first, as given)."""
    df = pd.DataFrame(events, columns=["ts", "user", "action", "client"])
    df["action"] = [_word("action", a.replace(".", "_"), lang) for a in df["action"]]
    return _labelled(df, lang)


def _labelled(df: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The frame with headers people read."""
    return localise_headers(df, None, lang)


def contract_frame(entry: DatasetEntry, lang: str) -> pd.DataFrame:
    """One dataset's columns as the file must have them: names, type, required, key, allowed values, range."""
    rows = [
        {
            "column": c["name"],
            "name_zh": c["name_zh"],
            "name_en": c["name_en"],
            "type": tr(f"type.{c['type']}", lang),
            "required": bool(c["required"]),
            "primary_key": bool(c["primary_key"]),
            "allowed": ", ".join(str(a) for a in c["allowed"] or []),
            "references": c["references"] or "",
            "min": "" if c["min"] is None else str(c["min"]),
            "max": "" if c["max"] is None else str(c["max"]),
        }
        for c in entry["columns"]
    ]
    return _labelled(pd.DataFrame(rows, columns=CONTRACT_COLUMNS), lang)


def template_csv(entry: DatasetEntry) -> bytes:
    """An empty file with the dataset's header row (UTF-8 with BOM, so Excel opens it correctly)."""
    names = ",".join(str(c["name"]) for c in entry["columns"])
    return ("\ufeff" + names + "\n").encode("utf-8")


def problems_frame(report: Report, lang: str) -> pd.DataFrame:
    """A report's problems with readable headers (file, row, column, value, reason)."""
    return _labelled(report.problems_frame(), lang)


def _word(kind: str, value: object, lang: str) -> str:
    """An action, result or mode code in lang (unknown codes as they are, none as blank)."""
    if value is None or value != value:  # None or NaN
        return ""
    key = f"{kind}_{value}"
    try:
        return tr(f"ui.{key}", lang)
    except KeyError:
        return str(value)


def version_frame(kept: list[Version], lang: str) -> pd.DataFrame:
    """Kept versions, newest first, with the one in use marked."""
    df = pd.DataFrame([v.as_dict() for v in kept], columns=VERSION_COLUMNS)
    df["action"] = [_word("action", a, lang) for a in df["action"]]
    df["mode"] = [_word("mode", m, lang) for m in df["mode"]]
    df["source"] = df["source"].fillna("")
    return _labelled(df.rename(columns={"id": "version"}), lang)


def audit_frame(events: list[dict], lang: str) -> pd.DataFrame:
    """Audit events as a table (latest first, as given)."""
    df = pd.DataFrame(events).reindex(columns=AUDIT_COLUMNS)
    df["action"] = [_word("action", a, lang) for a in df["action"]]
    df["result"] = [_word("result", r, lang) for r in df["result"]]
    df["mode"] = [_word("mode", m, lang) for m in df["mode"]]
    df[["file_name", "version", "restored_from", "message"]] = df[
        ["file_name", "version", "restored_from", "message"]
    ].fillna("")
    df["recovered"] = [tr("ui.recovered_yes", lang) if v is True else "" for v in df["recovered"]]
    return _labelled(df, lang)
