"""Checks on an uploaded file before it is parsed: its name, its size, and what its bytes really are."""

from __future__ import annotations

import io
import zipfile

MAX_UPLOAD_BYTES = 16 * 1024 * 1024
# A workbook is a ZIP: bound what it expands to, so a small upload cannot fill the memory.
MAX_XLSX_EXPANDED_BYTES = 256 * 1024 * 1024
MAX_XLSX_RATIO = 200
MAX_NAME_LENGTH = 255
ACCEPTED_EXTENSIONS = (".csv", ".xlsx")

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls, and password-protected workbooks


class UploadError(ValueError):
    """The file cannot be taken in; the message is written for the data officer."""


def check_file_name(name: str) -> str:
    """The format the name declares ('csv' or 'xlsx'); UploadError for names that look like paths."""
    if not name or not name.strip():
        raise UploadError("the file has no name")
    if "/" in name or "\\" in name or ".." in name or any(ord(ch) < 32 for ch in name):
        raise UploadError(
            f"file name {name!r} is not accepted: give a plain file name, without folders, '..' or control characters"
        )
    if len(name) > MAX_NAME_LENGTH:
        raise UploadError(f"file name is longer than {MAX_NAME_LENGTH} characters")
    lower = name.lower()
    if lower.endswith(".xls") or lower.endswith(".xlsm") or lower.endswith(".xlsb"):
        raise UploadError(f"{name}: this Excel format is not accepted; save the sheet as .xlsx or as CSV")
    for ext in ACCEPTED_EXTENSIONS:
        if lower.endswith(ext):
            return ext[1:]
    raise UploadError(f"{name}: only .csv and .xlsx files are accepted")


def check_size(data: bytes) -> None:
    """UploadError when the file is empty or larger than the limit."""
    if len(data) == 0:
        raise UploadError("the file is empty (0 bytes)")
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadError(
            f"the file is {len(data) / 2**20:.1f} MB, more than the limit of "
            f"{MAX_UPLOAD_BYTES / 2**20:.0f} MB; split it into smaller files"
        )


def sniff(data: bytes) -> str:
    """What the bytes are: 'zip', 'ole', 'utf16' or 'text' (which may still be garbage)."""
    if data.startswith(ZIP_MAGIC):
        return "zip"
    if data.startswith(OLE_MAGIC):
        return "ole"
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf16"
    return "text"


def check_content(data: bytes, declared: str, name: str) -> None:
    """UploadError when the content does not match the extension (the browser's check is not enough)."""
    kind = sniff(data)
    if kind == "ole":
        raise UploadError(
            f"{name}: the content is an old-format (.xls) or password-protected workbook; "
            "save it as .xlsx without a password, or as CSV"
        )
    if declared == "csv" and kind == "zip":
        raise UploadError(
            f"{name}: named .csv but the content is a ZIP/Excel workbook; rename it to .xlsx or save it as CSV"
        )
    if declared == "xlsx":
        if kind != "zip":
            raise UploadError(f"{name}: named .xlsx but the content is not an Excel workbook")
        check_workbook_zip(data, name)


def check_workbook_zip(data: bytes, name: str) -> None:
    """UploadError unless the ZIP looks like an .xlsx and expands to a bounded size."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            infos = z.infolist()
    except (zipfile.BadZipFile, ValueError, OSError) as e:
        raise UploadError(f"{name}: the workbook is damaged ({e})") from None
    names = {i.filename for i in infos}
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise UploadError(f"{name}: a ZIP archive but not an Excel workbook")
    expanded = sum(i.file_size for i in infos)
    if expanded > MAX_XLSX_EXPANDED_BYTES or expanded > MAX_XLSX_RATIO * max(len(data), 1) + 2**20:
        raise UploadError(f"{name}: the workbook expands to {expanded / 2**20:.0f} MB, too large to read")
