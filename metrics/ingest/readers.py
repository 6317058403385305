"""Read an upload into a table of text cells: CSV in UTF-8, UTF-8 with BOM or GB18030/GBK, or an XLSX sheet."""

from __future__ import annotations

import csv
import io
import re
import warnings
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time

import pandas as pd

from ..contracts import FIRST_DATA_LINE, Problem, header_key
from .upload import UploadError, check_content, check_file_name, check_size

# Declared encodings people pick; GBK and GB2312 are read as GB18030, their superset.
ENCODINGS = {
    "auto": None,
    "utf-8": "utf-8",
    "utf8": "utf-8",
    "utf-8-sig": "utf-8-sig",
    "gb18030": "gb18030",
    "gbk": "gb18030",
    "gb2312": "gb18030",
    "utf-16": "utf-16",
}
DELIMITERS = (",", "\t", ";")
# Share of control characters above which decoded "text" is taken for binary garbage.
MAX_CONTROL_SHARE = 0.001
# Sheets often carry a title row or two above the header: look this far down for it.
HEADER_SEARCH_ROWS = 10


@dataclass(frozen=True)
class RawTable:
    """An upload as text cells; frame.index + FIRST_DATA_LINE is each row's number in the file."""

    frame: pd.DataFrame
    format: str
    encoding: str | None = None
    sheet: str | None = None
    header_row: int = 1
    problems: list[Problem] = field(default_factory=list)


def read_upload(
    data: bytes,
    file_name: str,
    *,
    sheet: str | None = None,
    encoding: str | None = None,
    expected: frozenset[str] = frozenset(),
) -> RawTable:
    """Check name, size and content, then read the CSV or the XLSX sheet; UploadError when unreadable.

    expected: header keys of the contract (contracts.header_keys), to find the header below title rows.
    """
    declared = check_file_name(file_name)
    check_size(data)
    check_content(data, declared, file_name)
    if declared == "xlsx":
        return read_xlsx(data, file_name, sheet, expected)
    if sheet:
        raise UploadError(f"{file_name}: a sheet name only applies to .xlsx files")
    return read_csv(data, file_name, encoding, expected)


# -- CSV ------------------------------------------------------------------------------------
def decode(data: bytes, name: str, encoding: str | None = None) -> tuple[str, str]:
    """The text and the encoding used: the declared one, else a BOM, else UTF-8, else GB18030."""
    key = (encoding or "auto").strip().lower().replace("_", "-")
    if key not in ENCODINGS:
        raise UploadError(f"unknown encoding {encoding!r}; use one of {', '.join(sorted(ENCODINGS))}")
    declared = ENCODINGS[key]
    if declared:
        candidates = [declared]
    elif data.startswith(b"\xef\xbb\xbf"):
        candidates = ["utf-8-sig"]
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        candidates = ["utf-16"]
    else:
        candidates = ["utf-8", "gb18030"]
    if b"\x00" in data and "utf-16" not in candidates:
        raise UploadError(f"{name}: the content is binary (it contains NUL bytes), not CSV text")
    for enc in candidates:
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        check_text(text, name)
        return text.removeprefix("\ufeff"), enc
    tried = " or ".join(c.upper() for c in candidates)
    raise UploadError(
        f"{name}: cannot be decoded as {tried} text; save it from Excel as "
        "'CSV UTF-8 (comma delimited)' or declare its encoding"
    )


# Unicode category Cc (C0 and C1 controls) less tab, CR and LF; a regex counts them in C, not per character.
CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def check_text(text: str, name: str) -> None:
    """UploadError when decoded text is full of control characters, i.e. binary garbage."""
    controls = len(CONTROLS.findall(text))
    if controls and controls > MAX_CONTROL_SHARE * len(text):
        raise UploadError(f"{name}: the content is binary, not CSV text")


def pick_delimiter(text: str) -> str:
    """Comma unless the first non-blank line clearly uses tabs or semicolons."""
    first = next((ln for ln in text.splitlines() if ln.strip()), "")
    counts = {d: first.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] > 0 else ","


def csv_records(text: str, name: str) -> Iterator[tuple[int, list[str]]]:
    """(row number as Excel shows it, cells) for each record, blank lines included."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=pick_delimiter(text))
    n = 0
    try:
        for cells in reader:
            n += 1
            yield n, cells
    except csv.Error as e:
        raise UploadError(f"{name}, row {n + 1}: not valid CSV ({e})") from None


def read_csv(data: bytes, name: str, encoding: str | None = None, expected: frozenset[str] = frozenset()) -> RawTable:
    """A CSV upload as text cells with its row numbers."""
    text, used = decode(data, name, encoding)
    table = build_table(csv_records(text, name), name, "csv", expected)
    return RawTable(table.frame, "csv", used, None, table.header_row, table.problems)


# -- XLSX -----------------------------------------------------------------------------------
def cell_text(v: object) -> str:
    """An Excel cell as the text a person sees: whole numbers without .0, dates as ISO."""
    if v is None:
        return ""
    if isinstance(v, bool):
        return "TRUE" if v else "FALSE"
    if isinstance(v, float):
        return str(int(v)) if v.is_integer() and abs(v) < 2**53 else repr(v)
    if isinstance(v, datetime):
        return v.date().isoformat() if v.time() == time(0) else v.isoformat(sep=" ")
    if isinstance(v, (date, time)):
        return v.isoformat()
    return str(v)


def read_xlsx(data: bytes, name: str, sheet: str | None = None, expected: frozenset[str] = frozenset()) -> RawTable:
    """The named sheet (or the first one) of a workbook, as text cells with Excel's row numbers."""
    import openpyxl  # imported here: only uploads need it

    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about styles and extensions it skips
            wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as e:  # openpyxl raises many types for damaged files
        raise UploadError(f"{name}: cannot read the workbook ({type(e).__name__}: {e})") from None
    try:
        names = list(wb.sheetnames)
        if sheet is not None and sheet not in names:
            raise UploadError(f"{name}: no sheet named {sheet!r}; the workbook has: {', '.join(names)}")
        chosen = sheet if sheet is not None else names[0]
        ws = wb[chosen]
        if not hasattr(ws, "reset_dimensions"):
            raise UploadError(f"{name}: sheet {chosen!r} is a chart, not a table")
        ws.reset_dimensions()  # some writers store wrong dimensions; read every row there is
        rows = ((i, [cell_text(c.value) for c in row]) for i, row in enumerate(ws.iter_rows(), start=1))
        table = build_table(rows, name, "xlsx", expected)
    finally:
        wb.close()
    return RawTable(table.frame, "xlsx", None, chosen, table.header_row, table.problems)


# -- shared ---------------------------------------------------------------------------------
def _blank(cells: list[str]) -> bool:
    # One join instead of a generator per cell: the same answer, a fifth of a large upload's reading time.
    return not "".join(map(str, cells)).strip()


def find_header(records: list[tuple[int, list[str]]], expected: frozenset[str]) -> int:
    """Index of the header among the non-blank records: the first near the top that names contract
    columns (title rows above it are skipped), else the first."""
    for i, (_, cells) in enumerate(records[:HEADER_SEARCH_ROWS]):
        named = sum(1 for c in cells if header_key(c) in expected)
        if expected and named >= min(2, len(expected)):
            return i
    return 0


def build_table(
    records: Iterable[tuple[int, list[str]]], name: str, fmt: str, expected: frozenset[str] = frozenset()
) -> RawTable:
    """Header = the first non-blank record naming contract columns; blank records are skipped;
    the index keeps row numbers."""
    filled = [(n, cells) for n, cells in records if not _blank(cells)]
    if not filled:
        raise UploadError(f"{name}: the file has no header row and no data")
    at = find_header(filled, expected)
    header_row, first = filled[at]
    header = [str(c).strip() for c in first]
    numbers = [n for n, _ in filled[at + 1 :]]
    rows = [cells for _, cells in filled[at + 1 :]]
    problems: list[Problem] = []
    width = _used_width(header, rows)
    header = [h if h else f"(no header, column {i + 1})" for i, h in enumerate(header[:width])]
    fixed = []
    for n, cells in zip(numbers, rows, strict=True):
        extra = [c for c in cells[width:] if str(c).strip()]
        if extra:
            problems.append(
                Problem(
                    name,
                    n,
                    None,
                    ", ".join(extra),
                    f"the row has {len(cells)} cells but the header has {width} columns",
                )
            )
        fixed.append((list(cells[:width]) + [""] * width)[:width])
    index = pd.Index([n - FIRST_DATA_LINE for n in numbers], dtype="int64")
    frame = pd.DataFrame(fixed, columns=header, index=index, dtype=object)
    return RawTable(frame.astype(str), fmt, None, None, header_row, problems)


def _used_width(header: list[str], rows: list[list[str]]) -> int:
    """Columns up to the last one with a header or any value (Excel pads rows with empty cells)."""
    width = 0
    for i, h in enumerate(header):
        if h:
            width = i + 1
    for cells in rows:
        for i in range(len(cells) - 1, width - 1, -1):
            if str(cells[i]).strip() and i < len(header):
                width = i + 1
                break
    return width
