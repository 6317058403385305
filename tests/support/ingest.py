"""Helpers shared by the ingest tests (this module holds no tests): snapshots, calls, workbooks."""

from __future__ import annotations

import io
from pathlib import Path

import openpyxl

from metrics.ingest import Report, ingest_upload, list_versions, rollback

INGEST_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "ingest"
USER = "tester"


def fixture_bytes(name: str) -> bytes:
    """A committed input file."""
    return (INGEST_FIXTURES / name).read_bytes()


def snapshot(project: Path) -> dict[str, bytes]:
    """Every dataset file of a project copy, byte for byte (hidden bookkeeping files excluded)."""
    return {
        p.name: p.read_bytes()
        for p in sorted((project / "data").iterdir())
        if p.is_file() and not p.name.startswith(".")
    }


def paths(project: Path) -> dict[str, Path]:
    """The keyword arguments that point the library at a project copy."""
    return {"config_path": project / "config.yaml", "data_dir": project / "data"}


def ingest(project: Path, data: bytes, name: str = "new.csv", dataset: str = "postings", **kw: object) -> Report:
    """Ingest into a project copy as USER."""
    return ingest_upload(data, name, dataset, kw.pop("user", USER), **paths(project), **kw)  # type: ignore[arg-type]


def undo(project: Path, version: str, user: str = USER) -> Report:
    """Roll a project copy back to version."""
    return rollback(version, user, **paths(project))


def versions(project: Path, dataset: str | None = None) -> list:
    """Kept versions of a project copy."""
    return list_versions(dataset, **paths(project))


def problems_text(report: Report) -> str:
    """Every problem of a report, one per line."""
    return "\n".join(str(p) for p in report.problems)


def assert_refused(report: Report, before: dict[str, bytes], project: Path, *fragments: str) -> None:
    """Refused with each fragment in the problems, and the data byte-identical with no version kept."""
    text = problems_text(report)
    assert not report.ok, report.message
    assert report.problems, "a refusal must say why"
    for f in fragments:
        assert f in text, f"{f!r} not in:\n{text}"
    assert snapshot(project) == before
    assert not (project / "data" / ".versions").exists()


def xlsx_bytes(
    rows: list[list[object]], sheet: str = "Sheet1", others: tuple[str, ...] = (), first_row: int = 1
) -> bytes:
    """A workbook whose sheet holds rows from first_row on (other sheets first when given)."""
    wb = openpyxl.Workbook()
    first = wb.active
    for name in others:
        wb.create_sheet(name)["A1"] = "not this one"
    ws = wb.create_sheet(sheet) if others else first
    if others:
        wb.remove(first)
    else:
        ws.title = sheet
    for i, row in enumerate(rows):
        for j, v in enumerate(row):
            ws.cell(row=first_row + i, column=j + 1, value=v)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
