"""Safe ingestion of new data: read, validate, version, swap in atomically, audit; and roll back.

The admin page and the CLI call the same functions:

    report = ingest_upload(data, file_name, dataset, user, mode="append", dry_run=False)
    report.ok, report.message, report.problems_frame(), report.problems_csv()
    list_versions(), rollback(version, user), datasets(), read_audit()
"""

from .audit import verify_chain
from .readers import ENCODINGS, RawTable, read_upload
from .report import Report
from .service import IngestError, Project, datasets, ingest_upload, list_versions, open_project, read_audit, rollback
from .store import KEEP_VERSIONS, Busy, Version
from .upload import ACCEPTED_EXTENSIONS, MAX_UPLOAD_BYTES, UploadError
from .validate import MODE_HELP, MODES

__all__ = ["ACCEPTED_EXTENSIONS", "ENCODINGS", "KEEP_VERSIONS", "MAX_UPLOAD_BYTES", "MODES", "MODE_HELP", "Busy",
           "IngestError", "Project", "RawTable", "Report", "UploadError", "Version", "datasets", "ingest_upload",
           "list_versions", "open_project", "read_audit", "read_upload", "rollback", "verify_chain"]
