"""The data dictionary: every dataset's contract, written for the data officer who prepares the files."""

from __future__ import annotations

import os
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TypedDict

from ..config import Column, Config, Dataset

TYPE_HELP = {
    "string": "text",
    "integer": "whole number",
    "number": "number",
    "date": "date YYYY-MM-DD",
    "month": "month YYYY-MM",
}


class ColumnEntry(TypedDict):
    """One column's contract as plain data (JSON-ready)."""

    name: str
    name_zh: str
    name_en: str
    type: str
    required: bool
    allowed: list[str] | None
    references: str | None
    min: str | float | int | None
    max: str | float | int | None
    primary_key: bool


class DatasetEntry(TypedDict):
    """One dataset's contract as plain data (JSON-ready): the data dictionary's entry."""

    name: str
    file: str
    title_zh: str
    title_en: str
    description_zh: str
    description_en: str
    primary_key: list[str]
    as_of_column: str | None
    columns: list[ColumnEntry]


def _bound(v: float | date | None) -> str | float | int | None:
    if isinstance(v, date):
        return v.isoformat()
    return int(v) if isinstance(v, float) and v.is_integer() else v


def column_entry(col: Column, ds: Dataset) -> ColumnEntry:
    """One column's contract as plain data."""
    return {
        "name": col.name,
        "name_zh": col.name_zh,
        "name_en": col.name_en,
        "type": col.type,
        "required": col.required,
        "allowed": col.allowed,
        "references": col.references,
        "min": _bound(col.min),
        "max": _bound(col.max),
        "primary_key": col.name in ds.primary_key,
    }


def relative_file(data_dir: Path, root: Path, file: str) -> str:
    """The dataset file's path relative to the project root (absolute when the data dir lies outside it)."""
    path = (data_dir / file).resolve()
    try:
        return path.relative_to(root.resolve()).as_posix()
    except ValueError:
        return os.fspath(path)


def dataset_catalog(cfg: Config, data_dir: Path, root: Path) -> list[DatasetEntry]:
    """Every dataset with its file, titles, description, columns and primary key."""
    return [
        {
            "name": name,
            "file": relative_file(data_dir, root, ds.file),
            "title_zh": ds.title_zh,
            "title_en": ds.title_en,
            "description_zh": ds.description_zh,
            "description_en": ds.description_en,
            "primary_key": list(ds.primary_key),
            "as_of_column": ds.as_of_column,
            "columns": [column_entry(c, ds) for c in ds.columns],
        }
        for name, ds in cfg.datasets.items()
    ]


def rule_text(col: ColumnEntry) -> str:
    """A column's checks in a few words, for the table form."""
    parts = [TYPE_HELP[str(col["type"])], "required" if col["required"] else "optional"]
    if col["allowed"]:
        parts.append("one of " + "/".join(str(a) for a in col["allowed"]))
    if col["references"]:
        parts.append(f"must exist in {col['references']}")
    if col["min"] is not None:
        parts.append(f">= {col['min']}")
    if col["max"] is not None:
        parts.append(f"<= {col['max']}")
    return "; ".join(parts)


def catalog_rows(entries: Sequence[DatasetEntry]) -> list[dict[str, str]]:
    """One row per dataset column, for the table and CSV forms."""
    rows = []
    for e in entries:
        for c in e["columns"]:
            rows.append(
                {
                    "dataset": e["name"],
                    "file": e["file"],
                    "column": c["name"],
                    "name_zh": c["name_zh"],
                    "key": "PK" if c["primary_key"] else "",
                    "rules": rule_text(c),
                }
            )
    return rows
