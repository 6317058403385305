"""LibreOffice in tests: convert a .pptx or .docx to PDF, render its pages to PNG, and tell a blank page.

Skips without LibreOffice or poppler, except under CI=true, where scripts/setup_system.sh installs them and
their absence is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from PIL import Image

TIMEOUT = 180
# A page with anything on it: more than this share of its pixels differ from white.
INK_MIN = 0.004


def require_office() -> str:
    """The soffice path; skip (or fail under CI) without LibreOffice, pdftoppm and pdfinfo."""
    exe = shutil.which("soffice") or shutil.which("libreoffice")
    missing = [name for name, path in (("LibreOffice", exe), *_poppler()) if path is None]
    if missing:
        message = f"{', '.join(missing)} not installed (scripts/setup_system.sh installs them)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    assert exe is not None
    return exe


def _poppler() -> list[tuple[str, str | None]]:
    return [(tool, shutil.which(tool)) for tool in ("pdftoppm", "pdfinfo")]


def to_pdf(data: bytes, suffix: str, workdir: Path) -> Path:
    """The document converted to PDF by LibreOffice headless (a private profile); fails on any conversion error."""
    exe = require_office()
    src = workdir / f"doc{suffix}"
    src.write_bytes(data)
    profile = (workdir / "profile").as_uri()
    done = subprocess.run(
        [exe, f"-env:UserInstallation={profile}", "--headless", "--norestore", "--convert-to", "pdf", "--outdir"]
        + [str(workdir), str(src)],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
    )
    out = workdir / "doc.pdf"
    assert done.returncode == 0 and out.is_file(), f"LibreOffice failed: {done.stdout}\n{done.stderr}"
    assert "Error" not in done.stderr, done.stderr
    return out


def page_count(pdf: Path) -> int:
    """The PDF's number of pages, from pdfinfo."""
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    return int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))


def pages_png(pdf: Path, dpi: int = 40) -> list[Path]:
    """Every page rendered to PNG by pdftoppm, in order."""
    subprocess.run(["pdftoppm", "-png", "-r", str(dpi), str(pdf), str(pdf.with_suffix(""))], check=True)
    return sorted(pdf.parent.glob(f"{pdf.stem}-*.png"))


def ink(png: Path) -> float:
    """The share of a page's pixels that are not (nearly) white."""
    img = Image.open(png).convert("L")
    hist = img.histogram()
    return 1 - sum(hist[245:]) / (img.width * img.height)
