"""`python -m metrics build`: the DuckDB build from the command line, checked against a second build."""

from __future__ import annotations

from pathlib import Path

import pytest

from metrics.cli import main

MINI = Path(__file__).resolve().parent / "fixtures" / "mini"


def test_build_on_duckdb_and_verify(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["build", "--config", str(MINI / "config.yaml"), "--cache-dir", str(tmp_path), "--verify"]) == 0
    out = capsys.readouterr().out
    assert "built on duckdb" in out
    assert "data as of 2023-04-01; 22 rows in 4 datasets" in out
    assert out.rstrip().endswith("8/8 tables identical")
    assert len(list(tmp_path.glob("warehouse-*.duckdb"))) == 1


def test_a_uri_needs_the_spark_build(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["build", "--config", str(MINI / "config.yaml"), "--data-dir", "hdfs://nn/chuanyu",
                 "--cache-dir", str(tmp_path)])
    assert code == 2
    assert "use --engine spark for a URI" in capsys.readouterr().err
