"""Bad files for the mini project, and the problems the pandas and the SQL checks report for each (shared by
tests/test_contracts.py for DuckDB and tests/test_spark_build.py for Spark)."""

from __future__ import annotations

import shutil
from pathlib import Path

from metrics.build import pipeline
from metrics.build.backend import Backend
from metrics.config import load_config
from metrics.contracts import Problem, read_csv_text, validate_table

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
MINI = FIXTURES / "mini"
BAD = FIXTURES / "bad"
# (file, dataset it stands in for, how many problems it has); the first three are about cells, the rest headers.
CASES = [
    ("bad/postings_cells.csv", "postings", 14),
    ("bad/holders_keys.csv", "holders", 3),
    ("ingest/postings_many_problems.csv", "postings", 6),
    ("bad/settlements_headers.csv", "settlements", 3),
    ("bad/settlements_twice.csv", "settlements", 1),
    ("bad/settlements_empty.csv", "settlements", 1),
]
CELL_CASES = CASES[:3]


def project_with(tmp: Path, file: str, dataset: str) -> tuple[Path, str]:
    """A copy of the mini project whose dataset file is replaced by the bad file; (config, the file's label)."""
    dst = tmp / "mini"
    shutil.copytree(MINI, dst)
    cfg = load_config(dst / "config.yaml")
    target = dst / "data" / cfg.datasets[dataset].file
    shutil.copyfile(FIXTURES / file, target)
    return dst / "config.yaml", str(target)


def pandas_problems(config: Path, dataset: str, label: str) -> list[Problem]:
    """What the pandas checks (ingest's path) report for the dataset's file, with the mini data's references."""
    cfg = load_config(config)
    cities = read_csv_text(config.parent / "data" / "cities.csv")
    refs = {"areas": {a.id for a in cfg.areas}, "cities.city_id": set(cities["city_id"])}
    _, found = validate_table(read_csv_text(Path(label)), cfg.datasets[dataset], label, refs)
    return found


def sql_problems(be: Backend, config: Path, dataset: str) -> list[Problem]:
    """What a build's SQL checks report for the dataset's file (after the cities it refers to)."""
    cfg = load_config(config)
    domains = pipeline.load_domains(be, cfg)
    loaded: set[str] = set()
    data = config.parent / "data"
    assert not pipeline.load_dataset(be, cfg, "cities", data, domains, loaded).problems
    return pipeline.load_dataset(be, cfg, dataset, data, domains, loaded).problems
