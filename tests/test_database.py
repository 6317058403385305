"""The opened warehouse knows when its inputs changed (a few stat calls), whichever process changed them."""

from __future__ import annotations

import os
from pathlib import Path

from metrics import Engine


def test_a_changed_data_file_makes_the_database_stale(mini_copy: Path, tmp_path: Path) -> None:
    engine = Engine(config_path=mini_copy / "config.yaml", cache_dir=tmp_path / "cache")
    assert engine.db.is_current()
    path = mini_copy / "data" / "postings.csv"
    before = path.stat()
    tmp = path.with_suffix(".tmp")
    tmp.write_bytes(path.read_bytes() + b"2023-05,sichuan,chengdu,E9,1\n")
    os.replace(tmp, path)  # how every writer swaps a file in: a new inode
    assert path.stat().st_ino != before.st_ino
    assert not engine.db.is_current()
    fresh = Engine(config_path=mini_copy / "config.yaml", cache_dir=tmp_path / "cache")
    assert fresh.db.is_current() and fresh.database != engine.database
    assert fresh.value("positions").value == engine.value("positions").value + 1


def test_an_untouched_project_stays_current(mini: Engine) -> None:
    assert mini.db.is_current() and mini.db.is_current()
