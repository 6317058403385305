"""Dataset contracts: check a raw table against its declaration and report every problem."""

from __future__ import annotations

import difflib
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pandas as pd

from .config import Column, Dataset

# The header is line 1 of a file, so the first data row is line 2. Problems report a frame's row as
# index + FIRST_DATA_LINE: readers that skip blank lines set the index so this is the row in the file.
FIRST_DATA_LINE = 2
MAX_PROBLEMS = 10_000
# What "strip" removes around a cell, here and in the SQL checks (metrics/build/checks.py): ASCII blanks plus the
# no-break and ideographic spaces that Chinese spreadsheets carry. One set, so pandas and SQL agree cell by cell.
BLANK = " \t\n\r\f\v\u00a0\u3000"
# The text each type accepts, as regular expressions that mean the same in Python, RE2 (DuckDB) and Java (Spark):
# no backslashes, no \\d (which is Unicode-aware in Python only). A cell that matches still has to parse.
PATTERNS = {
    "integer": "^[+-]?[0-9]+([.]0+)?$",
    "number": "^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]+)?$",
    "month": "^[0-9]{4}-[0-9]{1,2}(-0?1)?$",
    "date": "^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}$",
}
# A cell that starts or ends with a blank (the SQL checks strip only those: stripping every cell costs more).
EDGE_PATTERN = f"^[{BLANK}]|[{BLANK}]$"
# The checks in the order problems are reported within a column; the primary key comes after every column.
RULES = ("type", "required", "allowed", "reference", "min", "max")
DUPLICATE_KEY = "duplicate primary key (same key as an earlier row)"
INT64_LIMIT = 2**63


@dataclass(frozen=True)
class Problem:
    """One contract violation, located as a person would look for it."""

    file: str
    row: int | None
    column: str | None
    value: str | None
    reason: str

    def __str__(self) -> str:
        where = self.file + (f", row {self.row}" if self.row is not None else "")
        where += f", column {self.column!r}" if self.column else ""
        shown = f" (value {self.value!r})" if self.value is not None else ""
        return f"{where}: {self.reason}{shown}"

    def as_dict(self) -> dict[str, object]:
        """The problem as a plain record for reports."""
        return {"file": self.file, "row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


class ContractError(ValueError):
    """A dataset broke its contract; carries every problem found."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        head = "\n".join(str(p) for p in problems[:20])
        more = f"\n... and {len(problems) - 20} more problems" if len(problems) > 20 else ""
        super().__init__(f"{len(problems)} problem(s) in the data:\n{head}{more}")


def read_csv_text(path: Path) -> pd.DataFrame:
    """Read a CSV as text cells (UTF-8, with or without BOM), keeping empty cells as ''."""
    return pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")


def header_key(text: object) -> str:
    """A header as typed in Excel: NFKC folds full-width letters and spaces; case is ignored."""
    return unicodedata.normalize("NFKC", str(text)).strip().casefold()


def header_keys(ds: Dataset) -> frozenset[str]:
    """Every header a file may use for ds: machine and zh names, folded as header_key does."""
    return frozenset(header_key(n) for c in ds.columns for n in (c.name, c.name_zh))


def map_headers(df: pd.DataFrame, ds: Dataset) -> pd.DataFrame:
    """Accept zh column names as well as machine names; ignore stray spaces, width and case."""
    known = {header_key(c.name_zh): c.name for c in ds.columns}
    known.update({header_key(c.name): c.name for c in ds.columns})
    renamed = {h: known.get(header_key(h), str(h).strip()) for h in df.columns}
    return df.rename(columns=renamed)


def _unexpected(column: str, missing: list[Column]) -> str:
    """Why a column is unexpected, with the closest missing column when there is one."""
    names = {c.name: c.name for c in missing} | {c.name_zh: c.name for c in missing}
    close = difflib.get_close_matches(column, list(names), n=1, cutoff=0.6)
    hint = f"; did you mean {names[close[0]]!r}?" if close else ""
    return f"unexpected column (not in the contract{hint})"


def check_headers(df: pd.DataFrame, ds: Dataset, label: str) -> list[Problem]:
    """Missing, extra and repeated columns."""
    got = list(df.columns)
    missing = [c for c in ds.columns if c.name not in got]
    problems = [Problem(label, 1, c.name, None, f"missing column (header {c.name} or {c.name_zh})") for c in missing]
    expected = {c.name for c in ds.columns}
    problems += [Problem(label, 1, str(c), None, _unexpected(str(c), missing)) for c in got if c not in expected]
    seen: set[str] = set()
    for c in got:
        if c in seen:
            problems.append(Problem(label, 1, str(c), None, "column appears more than once"))
        seen.add(c)
    return problems


def _parse_column(raw: pd.Series, col: Column) -> tuple[pd.Series, pd.Series]:
    """Typed values and a mask of cells that do not parse (empty cells excluded)."""
    text = raw.str.strip(BLANK)
    empty = text == ""
    if col.type == "string":
        return text, pd.Series(False, index=raw.index)
    ok = text.str.match(PATTERNS[col.type]).fillna(False).astype(bool)
    if col.type == "integer":
        values = pd.to_numeric(text.str.split(".").str[0].where(ok), errors="coerce")
        ok &= values.abs() < INT64_LIMIT  # what a 64-bit integer column can hold (SQL's try_cast agrees)
        return values.where(ok).astype("Int64"), ~ok & ~empty
    if col.type == "number":
        values = pd.to_numeric(text.where(ok), errors="coerce")
        return values.astype("Float64"), values.isna() & ~empty
    if col.type == "month":
        norm = text.str.replace(r"^(\d{4})-(\d{1,2})(-0?1)?$", r"\1-\2-01", regex=True)
        values = pd.to_datetime(norm.where(ok), format="%Y-%m-%d", errors="coerce")
        return values, values.isna() & ~empty
    values = pd.to_datetime(text.where(ok), format="%Y-%m-%d", errors="coerce")
    return values, values.isna() & ~empty


def type_reason(col: Column) -> str:
    """Why a cell of col does not parse."""
    kind = {
        "integer": "a whole number",
        "number": "a number",
        "date": "a date YYYY-MM-DD",
        "month": "a month YYYY-MM",
    }.get(col.type, "text")
    return f"not {kind}"


def reason(col: Column, rule: str) -> str:
    """The message for a cell of col that breaks rule (one of RULES); shared by the pandas and SQL checks."""
    if rule == "type":
        return type_reason(col)
    if rule == "required":
        return "required value is empty"
    if rule == "allowed":
        return f"not an allowed value ({', '.join(sorted(set(col.allowed or [])))})"
    if rule == "reference":
        return f"unknown {col.references} value"
    if rule == "min":
        lo = _bound(col.min, col)
        return "negative count" if lo == 0 else f"below the minimum {_shown(lo)}"
    if rule == "max":
        return f"above the maximum {_shown(_bound(col.max, col))}"
    raise ValueError(f"unknown rule {rule!r}")


def key_shown(names: list[str], values: list[str]) -> str:
    """A primary key as problems show it: k=v, k2=v2."""
    return ", ".join(f"{k}={v}" for k, v in zip(names, values, strict=True))


def _bound(v: float | date | None, col: Column) -> float | pd.Timestamp | None:
    if v is None:
        return None
    if col.type in ("date", "month"):
        return pd.Timestamp(v) if isinstance(v, date) else None
    return v


def _shown(v: float | pd.Timestamp) -> str:
    return v.date().isoformat() if isinstance(v, pd.Timestamp) else f"{v:g}"


def _rows(mask: pd.Series) -> list[int]:
    return [int(i) for i in mask[mask].index]


def check_values(
    df: pd.DataFrame, ds: Dataset, label: str, refs: dict[str, set[str]] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Type, required, allowed, range and reference checks; returns the typed frame and problems."""
    problems: list[Problem] = []
    typed = {}

    def line(i: int) -> int:
        return i + FIRST_DATA_LINE

    for col in ds.columns:
        if col.name not in df.columns:
            continue
        raw = df[col.name].astype(str)
        values, bad = _parse_column(raw, col)
        empty = raw.str.strip(BLANK) == ""
        for i in _rows(bad):
            problems.append(Problem(label, line(i), col.name, raw[i], reason(col, "type")))
        if col.required:
            for i in _rows(empty):
                problems.append(Problem(label, line(i), col.name, "", reason(col, "required")))
        good = ~bad & ~empty
        if col.allowed is not None:
            outside = good & ~values.isin(set(col.allowed))
            for i in _rows(outside):
                problems.append(Problem(label, line(i), col.name, raw[i], reason(col, "allowed")))
        if col.references and refs is not None and col.references in refs:
            known = refs[col.references]
            outside = good & ~values.isin(known)
            for i in _rows(outside):
                problems.append(Problem(label, line(i), col.name, raw[i], reason(col, "reference")))
        lo, hi = _bound(col.min, col), _bound(col.max, col)
        if lo is not None:
            for i in _rows(good & (values < lo).fillna(False).astype(bool)):
                problems.append(Problem(label, line(i), col.name, raw[i], reason(col, "min")))
        if hi is not None:
            for i in _rows(good & (values > hi).fillna(False).astype(bool)):
                problems.append(Problem(label, line(i), col.name, raw[i], reason(col, "max")))
        typed[col.name] = values
        if len(problems) > MAX_PROBLEMS:
            break
    key_cols = [k for k in ds.primary_key if k in df.columns]
    if key_cols and len(key_cols) == len(ds.primary_key):
        keys = df[key_cols].apply(lambda s: s.astype(str).str.strip(BLANK))
        dup = keys.duplicated(keep="first")
        for i in _rows(dup):
            shown = key_shown(key_cols, [keys.at[i, k] for k in key_cols])
            problems.append(Problem(label, line(i), "+".join(key_cols), shown, DUPLICATE_KEY))
    return pd.DataFrame(typed, index=df.index), problems


def validate_table(
    df: pd.DataFrame, ds: Dataset, label: str, refs: dict[str, set[str]] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Headers then values; the typed frame is only meaningful when there are no problems."""
    df = map_headers(df, ds)
    problems = check_headers(df, ds, label)
    if len(df) == 0:
        problems.append(Problem(label, None, None, None, "the file has no data rows"))
    if any(p.reason == "column appears more than once" for p in problems):
        return df, problems
    typed, value_problems = check_values(df, ds, label, refs)
    return typed, problems + value_problems
