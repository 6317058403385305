"""One code path for the admin page, its worker process and the CLI: ingest bytes, list versions, roll back.

Every entry first finishes or undoes a write that a crashed process left unfinished (journal.recover).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from pathlib import Path
from typing import TypedDict

from ..chain import Head
from ..config import DEFAULT_CONFIG, Config, load_config
from ..contracts import Problem, header_keys
from ..warehouse import Progress, resolve_paths
from . import audit, journal, store
from .catalog import DatasetEntry, dataset_catalog
from .readers import RawTable, read_upload
from .report import Report
from .upload import UploadError
from .validate import MODES, Plan, plan_restore, plan_upload


class IngestError(ValueError):
    """A bad request rather than bad data: unknown dataset, mode or version, or no user."""


class Where(TypedDict):
    """The keyword arguments that point an ingest call at a config and a data dir (None: the defaults)."""

    config_path: Path | str | None
    data_dir: Path | str | None


@dataclass(frozen=True)
class Project:
    """The config and the data dir an ingest writes to."""

    config: Config
    config_path: Path
    data_dir: Path

    @property
    def root(self) -> Path:
        """The project root: the folder of config.yaml."""
        return self.config_path.resolve().parent


def open_project(config_path: Path | str | None = None, data_dir: Path | str | None = None) -> Project:
    """The project for a config (default: the shipped one) and its data dir (argument, env, config)."""
    path = Path(config_path or DEFAULT_CONFIG)
    cfg = load_config(path)
    paths = resolve_paths(cfg, path, data_dir, None)
    if not paths.data_dir.is_dir():
        raise IngestError(f"data directory {paths.data_dir} does not exist")
    return Project(cfg, path, paths.data_dir)


def _check_request(project: Project, dataset: str, mode: str, user: str) -> None:
    if dataset not in project.config.datasets:
        raise IngestError(f"unknown dataset {dataset!r}; choose one of {', '.join(project.config.datasets)}")
    if mode not in MODES:
        raise IngestError(f"unknown mode {mode!r}; choose one of {', '.join(MODES)}")
    if not user or not user.strip():
        raise IngestError("the user who ingests must be named (it goes into the audit log)")


def recover_pending(project: Project, timeout: float = store.LOCK_TIMEOUT) -> list[dict[str, object]]:
    """Finish or undo writes a crashed process left (cheap when there are none); the audit lines written.

    Busy when a writer holds the lock for longer than timeout (it is alive: its intent is not a leftover).
    """
    if not journal.pending(project.data_dir):
        return []
    with store.locked(project.data_dir, timeout=timeout):
        return journal.recover(project.data_dir)


def recover(
    *, config_path: Path | str | None = None, data_dir: Path | str | None = None, timeout: float = 2.0
) -> list[dict[str, object]]:
    """recover_pending() for a config and data dir; [] when a live writer holds the lock (it finishes itself)."""
    try:
        return recover_pending(open_project(config_path, data_dir), timeout)
    except store.Busy:
        return []


def _step(progress: Progress | None, fraction: float, what: str) -> None:
    if progress is not None:
        progress(fraction, what)


def _scaled(progress: Progress | None, start: float, end: float) -> Progress | None:
    """A progress sink for a part of the work: its 0..1 maps onto start..end of the whole."""
    if progress is None:
        return None
    return lambda f, what: progress(start + (end - start) * min(max(f, 0.0), 1.0), what)


def ingest_upload(
    data: bytes,
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
    lock_timeout: float = store.LOCK_TIMEOUT,
    progress: Progress | None = None,
) -> Report:
    """Validate an uploaded file against dataset's contract and, unless dry_run, swap it in as a new version.

    progress(fraction, step) hears how far it got: read, validate, merge, check, write.
    """
    project = open_project(config_path, data_dir)
    _check_request(project, dataset, mode, user)
    report = Report(
        action="ingest",
        dataset=dataset,
        file_name=file_name,
        mode=mode,
        dry_run=dry_run,
        sha256=store.sha256_bytes(data),
        size=len(data),
        user=user,
    )
    label = file_name or "(upload)"
    _step(progress, 0.0, "read")
    try:
        raw = read_upload(
            data, file_name, sheet=sheet, encoding=encoding, expected=header_keys(project.config.datasets[dataset])
        )
    except UploadError as e:
        return _refuse(project, report, [Problem(label, None, None, None, str(e))], lock_timeout)
    report.format, report.encoding, report.sheet = raw.format, raw.encoding, raw.sheet
    report.rows_in_file = len(raw.frame)
    _step(progress, 0.2, "validate")
    try:
        recover_pending(project, timeout=lock_timeout)
        with store.locked(project.data_dir, shared=dry_run, timeout=lock_timeout):
            return _ingest_locked(project, report, raw, label, progress)
    except store.Busy as e:
        report.problems = [Problem(label, None, None, None, str(e))]
        report.message = str(e)
        return report


def _ingest_locked(
    project: Project, report: Report, raw: RawTable, label: str, progress: Progress | None = None
) -> Report:
    """Validate and write with the lock held, so the data cannot change in between."""
    name = report.dataset or ""
    ds = project.config.datasets[name]
    if not report.dry_run:
        journal.recover(project.data_dir)  # a writer that died since recover_pending(); the lock is ours now
    plan = plan_upload(
        project.config, project.data_dir, name, raw, report.mode or "append", label, _scaled(progress, 0.2, 0.95)
    )
    _fill(report, plan)
    if not plan.ok:
        report.message = f"refused: {len(plan.problems)} problem(s) found; nothing was changed"
        if not report.dry_run:
            audit.append_event(project.data_dir, report.audit_record())
        return report
    if report.dry_run:
        report.ok = True
        report.message = f"dry run: the file is valid; {_counts(report)} (nothing was changed)"
        return report
    assert plan.content is not None
    _step(progress, 0.95, "write")
    change = journal.Change(
        dataset=name,
        file=ds.file,
        content=plan.content,
        rows_before=plan.rows_before,
        rows_after=plan.rows_after,
        user=report.user or "",
        action="ingest",
        source=report.file_name,
        mode=report.mode,
    )

    def event(v: store.Version) -> dict[str, object]:
        report.ok, report.version = True, v.id
        report.message = f"{name}: {_counts(report)}; now version {v.id}" + (
            f", data as of {report.as_of}" if report.as_of else ""
        )
        return report.audit_record()

    _commit(project, change, event)
    return report


def _commit(project: Project, change: journal.Change, event: Callable[[store.Version], dict[str, object]]) -> None:
    """Journal the change in (the caller has run journal.recover, which also removes stale temporary files),
    then drop versions beyond the ones kept."""
    journal.commit(project.data_dir, change, event)
    store.prune(project.data_dir)


def _fill(report: Report, plan: Plan) -> None:
    report.problems = plan.problems
    report.rows_before, report.rows_after = plan.rows_before, plan.rows_after
    report.rows_added, report.rows_replaced, report.rows_removed = (
        plan.rows_added,
        plan.rows_replaced,
        plan.rows_removed,
    )
    report.as_of = plan.as_of


def _counts(report: Report) -> str:
    text = f"{report.rows_added} row(s) added, {report.rows_replaced} replaced"
    if report.rows_removed:
        text += f", {report.rows_removed} removed"
    return text + f" ({report.rows_before} -> {report.rows_after} rows)"


def _refuse(project: Project, report: Report, problems: list[Problem], lock_timeout: float) -> Report:
    """A file that could not even be read: report it, and log it unless this is a dry run."""
    report.problems = problems
    report.message = f"refused: {problems[0].reason}; nothing was changed"
    if not report.dry_run:
        try:
            recover_pending(project, timeout=lock_timeout)
            with store.locked(project.data_dir, timeout=lock_timeout):
                journal.recover(project.data_dir)
                audit.append_event(project.data_dir, report.audit_record())
        except store.Busy:
            pass  # the refusal itself stands; only its log line is lost
    return report


def list_versions(
    dataset: str | None = None, *, config_path: Path | str | None = None, data_dir: Path | str | None = None
) -> list[store.Version]:
    """Kept versions, newest first; the one in use for each dataset has current=True."""
    project = open_project(config_path, data_dir)
    if dataset is not None and dataset not in project.config.datasets:
        raise IngestError(f"unknown dataset {dataset!r}")
    _recover_quietly(project)
    return store.read_versions(project.data_dir, dataset)


def _recover_quietly(project: Project) -> None:
    """Recovery before a read: skipped while a live writer holds the lock (it finishes its own write)."""
    with suppress(store.Busy):
        recover_pending(project, timeout=2.0)


def rollback(
    version: str,
    user: str,
    *,
    config_path: Path | str | None = None,
    data_dir: Path | str | None = None,
    lock_timeout: float = store.LOCK_TIMEOUT,
    progress: Progress | None = None,
) -> Report:
    """Put a kept version of a dataset back in place, as a new version; refused if it breaks the contracts."""
    project = open_project(config_path, data_dir)
    if not user or not user.strip():
        raise IngestError("the user who rolls back must be named (it goes into the audit log)")
    report = Report(action="rollback", user=user)
    try:
        with store.locked(project.data_dir, timeout=lock_timeout):
            journal.recover(project.data_dir)
            return _rollback_locked(project, report, version, progress)
    except store.Busy as e:
        report.problems = [Problem("(rollback)", None, None, None, str(e))]
        report.message = str(e)
        return report


def _rollback_locked(project: Project, report: Report, ident: str, progress: Progress | None = None) -> Report:
    """Validate and restore with the lock held."""
    try:
        v = store.find_version(project.data_dir, ident)
    except store.UnknownVersion:
        raise IngestError(f"unknown version {ident!r} (see `python -m metrics versions`)") from None
    if v.dataset not in project.config.datasets:
        raise IngestError(f"version {v.id} belongs to dataset {v.dataset!r}, which the config no longer has")
    report.dataset, report.file_name, report.restored_from = v.dataset, v.file, v.id
    report.sha256, report.size = v.sha256, v.size
    try:
        content = store.version_bytes(project.data_dir, v)
    except store.DamagedVersion as e:
        report.problems = [Problem(v.file, None, None, None, str(e))]
        report.message = f"refused: {e}"
        audit.append_event(project.data_dir, report.audit_record())
        return report
    ds = project.config.datasets[v.dataset]
    if store.sha256_file(project.data_dir / ds.file) == v.sha256:
        report.ok, report.message = True, f"{v.dataset}: version {v.id} is already in use; nothing to do"
        return report
    _step(progress, 0.1, "validate")
    plan = plan_restore(project.config, project.data_dir, v.dataset, content, _scaled(progress, 0.1, 0.95))
    _fill(report, plan)
    if not plan.ok:
        report.message = f"refused: restoring {v.id} would leave {len(plan.problems)} problem(s); nothing was changed"
        audit.append_event(project.data_dir, report.audit_record())
        return report
    _step(progress, 0.95, "write")
    change = journal.Change(
        dataset=v.dataset,
        file=ds.file,
        content=content,
        rows_before=plan.rows_before,
        rows_after=plan.rows_after,
        user=report.user or "",
        action="rollback",
        source=v.id,
    )

    def event(new: store.Version) -> dict[str, object]:
        report.ok, report.version = True, new.id
        report.message = f"{v.dataset}: restored {v.id} as {new.id}; {_counts(report)}"
        return report.audit_record()

    _commit(project, change, event)
    return report


def read_audit(*, config_path: Path | str | None = None, data_dir: Path | str | None = None) -> list[dict]:
    """Every audit event, oldest first."""
    project = open_project(config_path, data_dir)
    _recover_quietly(project)
    return audit.read_events(project.data_dir)


def audit_anchors(data_dir: Path) -> list[tuple[str, Head]]:
    """The audit heads kept in version records: the log must still pass through each of them."""
    return [
        (f"version {v.id}", Head(v.audit_length, v.audit_head))
        for v in store.read_versions(data_dir)
        if v.audit_length is not None and v.audit_head is not None
    ]


def verify_audit(*, config_path: Path | str | None = None, data_dir: Path | str | None = None) -> list[str]:
    """Every problem of the audit log: edited or removed lines, lines cut off its end."""
    project = open_project(config_path, data_dir)
    _recover_quietly(project)
    return audit.verify(project.data_dir, audit_anchors(project.data_dir))


def integrity_problems(*, config_path: Path | str | None = None, data_dir: Path | str | None = None) -> list[str]:
    """What `check` adds to the contracts: unfinished writes, data files that differ from their version, audit."""
    project = open_project(config_path, data_dir)
    _recover_quietly(project)
    problems = [
        f"{p.relative_to(project.data_dir)}: an interrupted write could not be recovered (another "
        "process holds the lock, or the intent record cannot be read)"
        for p in journal.pending(project.data_dir)
    ]
    newest: dict[str, store.Version] = {}
    for v in store.read_versions(project.data_dir):
        newest.setdefault(v.dataset, v)
    for name, v in newest.items():
        ds = project.config.datasets.get(name)
        if ds is not None and store.sha256_file(project.data_dir / ds.file) != v.sha256:
            problems.append(
                f"{ds.file}: differs from its newest kept version {v.id} (changed outside ingest and "
                f"rollback: roll back to {v.id}, or ingest the file with --mode replace to record it)"
            )
    return problems + audit.verify(project.data_dir, audit_anchors(project.data_dir))


def datasets(*, config_path: Path | str | None = None, data_dir: Path | str | None = None) -> list[DatasetEntry]:
    """The data dictionary: every dataset's file, columns (name, name_zh, type, rules) and primary key."""
    project = open_project(config_path, data_dir)
    return dataset_catalog(project.config, project.data_dir, project.root)
