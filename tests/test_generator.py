"""The sample data is rebuilt byte-for-byte by the committed, seeded generator."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_generator_reproduces_the_shipped_csvs(tmp_path: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "generate_data.py"), "--out", str(tmp_path)],
        check=True,
        capture_output=True,
    )
    generated = sorted(p.name for p in tmp_path.glob("*.csv"))
    assert generated, "the generator wrote nothing"
    for name in generated:
        assert (tmp_path / name).read_bytes() == (ROOT / "data" / name).read_bytes(), name
