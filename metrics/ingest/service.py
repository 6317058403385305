"""One code path for the admin page and the CLI: ingest bytes, list versions, roll back."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import DEFAULT_CONFIG, Config, load_config
from ..contracts import Problem, header_keys
from ..warehouse import resolve_paths
from . import audit, store
from .catalog import dataset_catalog
from .readers import RawTable, read_upload
from .report import Report
from .upload import UploadError
from .validate import MODES, Plan, plan_restore, plan_upload


class IngestError(ValueError):
    """A bad request rather than bad data: unknown dataset, mode or version, or no user."""


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


def ingest_upload(data: bytes, file_name: str, dataset: str, user: str, *, mode: str = "append",
                  dry_run: bool = False, sheet: str | None = None, encoding: str | None = None,
                  config_path: Path | str | None = None, data_dir: Path | str | None = None,
                  lock_timeout: float = store.LOCK_TIMEOUT) -> Report:
    """Validate an uploaded file against dataset's contract and, unless dry_run, swap it in as a new version."""
    project = open_project(config_path, data_dir)
    _check_request(project, dataset, mode, user)
    report = Report(action="ingest", dataset=dataset, file_name=file_name, mode=mode, dry_run=dry_run,
                    sha256=store.sha256_bytes(data), size=len(data), user=user)
    label = file_name or "(upload)"
    try:
        raw = read_upload(data, file_name, sheet=sheet, encoding=encoding,
                          expected=header_keys(project.config.datasets[dataset]))
    except UploadError as e:
        return _refuse(project, report, [Problem(label, None, None, None, str(e))], lock_timeout)
    report.format, report.encoding, report.sheet = raw.format, raw.encoding, raw.sheet
    report.rows_in_file = len(raw.frame)
    try:
        with store.locked(project.data_dir, shared=dry_run, timeout=lock_timeout):
            return _ingest_locked(project, report, raw, label)
    except store.Busy as e:
        report.problems = [Problem(label, None, None, None, str(e))]
        report.message = str(e)
        return report


def _ingest_locked(project: Project, report: Report, raw: RawTable, label: str) -> Report:
    """Validate and write with the lock held, so the data cannot change in between."""
    name = report.dataset or ""
    ds = project.config.datasets[name]
    plan = plan_upload(project.config, project.data_dir, name, raw, report.mode or "append", label)
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
    store.clean_temps(project.data_dir, project.data_dir / store.VERSIONS_DIR / "blobs",
                      project.data_dir / store.VERSIONS_DIR / "records")
    _keep_baseline(project, name, plan.rows_before)
    assert plan.content is not None
    store.write_atomic(project.data_dir / ds.file, plan.content)
    v = store.add_version(project.data_dir, dataset=name, file=ds.file, content=plan.content,
                          rows=plan.rows_after, user=report.user or "", action="ingest",
                          source=report.file_name, mode=report.mode)
    report.ok, report.version = True, v.id
    report.message = f"{name}: {_counts(report)}; now version {v.id}" + (
        f", data as of {report.as_of}" if report.as_of else "")
    audit.append_event(project.data_dir, report.audit_record())
    store.prune(project.data_dir)
    return report


def _fill(report: Report, plan: Plan) -> None:
    report.problems = plan.problems
    report.rows_before, report.rows_after = plan.rows_before, plan.rows_after
    report.rows_added, report.rows_replaced, report.rows_removed = (plan.rows_added, plan.rows_replaced,
                                                                    plan.rows_removed)
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
            with store.locked(project.data_dir, timeout=lock_timeout):
                audit.append_event(project.data_dir, report.audit_record())
        except store.Busy:
            pass  # the refusal itself stands; only its log line is lost
    return report


def _keep_baseline(project: Project, name: str, rows: int) -> None:
    """Keep the current file as a version first, unless it already is the newest one, so it can be restored."""
    ds = project.config.datasets[name]
    current = project.data_dir / ds.file
    if not current.is_file():
        return
    content = current.read_bytes()
    kept = store.read_versions(project.data_dir, name)
    if kept and kept[0].sha256 == store.sha256_bytes(content):
        return
    store.add_version(project.data_dir, dataset=name, file=ds.file, content=content, rows=rows,
                      user="(found in data dir)", action="baseline")


def list_versions(dataset: str | None = None, *, config_path: Path | str | None = None,
                  data_dir: Path | str | None = None) -> list[store.Version]:
    """Kept versions, newest first; the one in use for each dataset has current=True."""
    project = open_project(config_path, data_dir)
    if dataset is not None and dataset not in project.config.datasets:
        raise IngestError(f"unknown dataset {dataset!r}")
    return store.read_versions(project.data_dir, dataset)


def rollback(version: str, user: str, *, config_path: Path | str | None = None,
             data_dir: Path | str | None = None, lock_timeout: float = store.LOCK_TIMEOUT) -> Report:
    """Put a kept version of a dataset back in place, as a new version; refused if it breaks the contracts."""
    project = open_project(config_path, data_dir)
    if not user or not user.strip():
        raise IngestError("the user who rolls back must be named (it goes into the audit log)")
    report = Report(action="rollback", user=user)
    try:
        with store.locked(project.data_dir, timeout=lock_timeout):
            return _rollback_locked(project, report, version)
    except store.Busy as e:
        report.problems = [Problem("(rollback)", None, None, None, str(e))]
        report.message = str(e)
        return report


def _rollback_locked(project: Project, report: Report, ident: str) -> Report:
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
    plan = plan_restore(project.config, project.data_dir, v.dataset, content)
    _fill(report, plan)
    if not plan.ok:
        report.message = f"refused: restoring {v.id} would leave {len(plan.problems)} problem(s); nothing was changed"
        audit.append_event(project.data_dir, report.audit_record())
        return report
    store.clean_temps(project.data_dir)
    _keep_baseline(project, v.dataset, plan.rows_before)
    store.write_atomic(project.data_dir / ds.file, content)
    new = store.add_version(project.data_dir, dataset=v.dataset, file=ds.file, content=content,
                            rows=plan.rows_after, user=report.user or "", action="rollback", source=v.id)
    report.ok, report.version = True, new.id
    report.message = f"{v.dataset}: restored {v.id} as {new.id}; {_counts(report)}"
    audit.append_event(project.data_dir, report.audit_record())
    store.prune(project.data_dir)
    return report


def read_audit(*, config_path: Path | str | None = None, data_dir: Path | str | None = None) -> list[dict]:
    """Every audit event, oldest first."""
    return audit.read_events(open_project(config_path, data_dir).data_dir)


def datasets(*, config_path: Path | str | None = None, data_dir: Path | str | None = None) -> list[dict]:
    """The data dictionary: every dataset's file, columns (name, name_zh, type, rules) and primary key."""
    project = open_project(config_path, data_dir)
    return dataset_catalog(project.config, project.data_dir, project.root)
