"""What an ingest or rollback did, or why it refused: for the admin page, the CLI and the audit log."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any

import pandas as pd

from ..contracts import Problem
from ..csvout import to_csv_bytes

PROBLEM_COLUMNS = ["file", "row", "column", "value", "reason"]


@dataclass
class Report:
    """The outcome of one ingest or rollback; problems list every reason it was refused."""

    action: str
    ok: bool = False
    dataset: str | None = None
    file_name: str | None = None
    mode: str | None = None
    dry_run: bool = False
    sha256: str | None = None
    size: int = 0
    format: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    rows_in_file: int = 0
    rows_before: int = 0
    rows_after: int = 0
    rows_added: int = 0
    rows_replaced: int = 0
    rows_removed: int = 0
    version: str | None = None
    restored_from: str | None = None
    as_of: str | None = None
    user: str | None = None
    message: str = ""
    problems: list[Problem] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        """True when the data files changed (clear the dashboard's caches then)."""
        return self.ok and not self.dry_run and self.version is not None

    def problems_frame(self) -> pd.DataFrame:
        """One row per problem: file, row, column, value, reason."""
        rows = [p.as_dict() for p in self.problems]
        df = pd.DataFrame(rows, columns=PROBLEM_COLUMNS)
        df["row"] = df["row"].astype("Int64")
        return df

    def problems_csv(self) -> bytes:
        """The problems as CSV for download: UTF-8 with BOM, formula-like cells neutralised."""
        return to_csv_bytes(self.problems_frame())

    def as_dict(self) -> dict[str, object]:
        """The report as plain data (problems as records)."""
        d = asdict(self)
        d["problems"] = [p.as_dict() for p in self.problems]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> Report:
        """A report back from as_dict() (e.g. sent by a worker process)."""
        known = {f.name for f in fields(cls)}
        kept = {k: v for k, v in d.items() if k in known and k != "problems"}
        return cls(**kept, problems=[Problem(**p) for p in d.get("problems") or []])

    def audit_record(self) -> dict[str, object]:
        """The fields the audit log keeps (problems are counted, not copied)."""
        keep = (
            "action",
            "user",
            "dataset",
            "file_name",
            "sha256",
            "size",
            "mode",
            "rows_added",
            "rows_replaced",
            "rows_removed",
            "rows_before",
            "rows_after",
            "version",
            "restored_from",
        )
        d = {k: getattr(self, k) for k in keep}
        d["result"] = "ok" if self.ok else "rejected"
        d["problems"] = len(self.problems)
        d["message"] = self.message
        return d

    def summary(self) -> str:
        """One line for people."""
        if not self.ok:
            return self.message or f"refused: {len(self.problems)} problem(s); nothing was changed"
        return self.message
