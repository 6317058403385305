"""A PDF of the meeting pack through LibreOffice headless, where LibreOffice is installed (optional)."""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

TIMEOUT = 120


class PdfUnavailable(RuntimeError):
    """LibreOffice is not installed or the conversion failed."""


def soffice_path() -> str | None:
    """The LibreOffice executable, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def pdf_available() -> bool:
    """True when LibreOffice can convert the deck to PDF here."""
    return soffice_path() is not None


def pptx_to_pdf(pptx: bytes) -> bytes:
    """The deck converted to PDF by LibreOffice headless, in a private profile and temporary directory."""
    exe = soffice_path()
    if exe is None:
        raise PdfUnavailable("PDF export needs LibreOffice (Debian: apt-get install libreoffice-impress)")
    with tempfile.TemporaryDirectory(prefix="deck-pdf-") as tmp:
        src = Path(tmp) / "deck.pptx"
        src.write_bytes(pptx)
        # A private user profile: concurrent conversions and a running desktop LibreOffice do not collide.
        profile = (Path(tmp) / "profile").as_uri()
        cmd = [
            exe,
            f"-env:UserInstallation={profile}",
            "--headless",
            "--norestore",
            "--convert-to",
            "pdf",
            "--outdir",
            tmp,
            str(src),
        ]
        try:
            subprocess.run(cmd, check=True, capture_output=True, timeout=TIMEOUT)
        except (subprocess.SubprocessError, OSError) as e:
            raise PdfUnavailable(f"LibreOffice could not convert the deck: {e}") from e
        out = Path(tmp) / "deck.pdf"
        if not out.is_file():
            raise PdfUnavailable("LibreOffice produced no PDF")
        return out.read_bytes()
