"""Safe ingestion of new data: read, validate, version, swap in atomically, audit; and roll back.

The admin page and the CLI call the same functions:

    report = ingest_upload(data, file_name, dataset, user, mode="append", dry_run=False)
    report.ok, report.message, report.problems_frame(), report.problems_csv()
    list_versions(), rollback(version, user), datasets(), read_audit(), verify_audit()

Writes are journalled (journal.py): recover() finishes or undoes a write a crashed process left.
"""

from .audit import verify_chain
from .catalog import ColumnEntry, DatasetEntry
from .journal import CRASH_ENV, STEPS
from .readers import ENCODINGS, RawTable, read_upload
from .report import Report
from .service import (
    IngestError,
    Project,
    Where,
    datasets,
    ingest_upload,
    integrity_problems,
    list_versions,
    open_project,
    read_audit,
    recover,
    rollback,
    verify_audit,
)
from .store import KEEP_VERSIONS, Busy, Version
from .upload import ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES, UploadError
from .validate import MODE_HELP, MODES

__all__ = [
    "ACCEPTED_EXTENSIONS",
    "CRASH_ENV",
    "ENCODINGS",
    "KEEP_VERSIONS",
    "MAX_UPLOAD_BYTES",
    "MODES",
    "MODE_HELP",
    "STEPS",
    "Busy",
    "ColumnEntry",
    "DatasetEntry",
    "IngestError",
    "Project",
    "RawTable",
    "Report",
    "UploadError",
    "Version",
    "Where",
    "datasets",
    "ingest_upload",
    "integrity_problems",
    "list_versions",
    "open_project",
    "read_audit",
    "read_upload",
    "recover",
    "rollback",
    "verify_audit",
    "verify_chain",
]
