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
    code = main(
        [
            "build",
            "--config",
            str(MINI / "config.yaml"),
            "--data-dir",
            "hdfs://nn/chuanyu",
            "--cache-dir",
            str(tmp_path),
        ]
    )
    assert code == 2
    assert "use --engine spark for a URI" in capsys.readouterr().err


def test_parquet_datasets_build_like_csv(mini_copy: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import duckdb

    from metrics import Engine

    data = mini_copy / "data"
    duckdb.sql(
        f"copy (select * from read_csv('{data / 'postings.csv'}')) to '{data / 'postings.parquet'}' (format parquet)"
    )
    (data / "postings.csv").unlink()
    config = mini_copy / "config.yaml"
    config.write_text(
        config.read_text(encoding="utf-8").replace("file: postings.csv", "file: postings.parquet"), encoding="utf-8"
    )
    engine = Engine(config, cache_dir=tmp_path / "cache")
    assert engine.value("positions").value == 37 and engine.value("enterprises").value == 4
