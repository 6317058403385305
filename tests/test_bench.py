"""The benchmark's correctness check at a tiny size: generated event-grain data passes the contracts, and the
pandas baseline gives exactly the engine's Overview numbers for every filter set."""

from __future__ import annotations

import json
from dataclasses import asdict
from pathlib import Path

import pytest

from benchmarks import baseline_pandas
from benchmarks.check import headline_mismatches, mismatches
from benchmarks.generate import generate
from benchmarks.scenarios import FILTER_SETS, card_numbers, overview, task_numbers
from metrics import Engine

RESULTS = Path(__file__).resolve().parents[1] / "benchmarks" / "results.json"
RESULT_KEYS = {"rows", "load_s", "overview_s", "pandas_s", "raw_duckdb_s", "apptest_filter_s", "peak_rss_mb"}


@pytest.fixture(scope="module")
def tiny(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Engine]:
    data = generate(5_000, tmp_path_factory.mktemp("bench-data"))
    return data, Engine(data / "config.yaml", cache_dir=tmp_path_factory.mktemp("bench-cache"))


def test_generated_data_is_event_grain_under_the_contracts(tiny: tuple[Path, Engine]) -> None:
    data, engine = tiny
    rows = sum(1 for _ in (data / "job_postings.csv").open(encoding="utf-8")) - 1
    rows += sum(1 for _ in (data / "service_transactions.csv").open(encoding="utf-8")) - 1
    assert rows == 5_000
    assert engine.config.datasets["job_postings"].primary_key == ["posting_id"]
    assert engine.value("cross_province_transactions").value == pytest.approx(2_000)


def test_generation_is_reproducible(tmp_path: Path) -> None:
    a, b = generate(2_000, tmp_path / "a"), generate(2_000, tmp_path / "b")
    for name in ("job_postings.csv", "service_transactions.csv"):
        assert (a / name).read_bytes() == (b / name).read_bytes()


def test_pandas_baseline_equals_the_engine(tiny: tuple[Path, Engine]) -> None:
    data, engine = tiny
    frames = baseline_pandas.load(data)
    engine_side = {"numbers": {}, "tasks": None}
    pandas_side = {"numbers": {}, "tasks": asdict(baseline_pandas.task_summary(frames, engine.as_of))}
    for name, filters in FILTER_SETS.items():
        cards, bundle = overview(engine, filters)
        engine_side["numbers"][name] = card_numbers(cards)
        engine_side["tasks"] = asdict(task_numbers(bundle))
        pandas_side["numbers"][name] = baseline_pandas.headline(frames, filters)
    assert mismatches(engine_side, pandas_side) == []
    assert set(baseline_pandas.SPECS) | {baseline_pandas.TASKS_COMPLETED} == {
        i.id for i in engine.config.headline_indicators()
    }


def test_the_check_catches_a_difference(tiny: tuple[Path, Engine]) -> None:
    data, engine = tiny
    numbers = card_numbers(overview(engine, FILTER_SETS["default"])[0])
    value, previous, series = numbers["online_recruit_enterprises"]
    wrong = dict(numbers, online_recruit_enterprises=(value + 1, previous, series))
    assert headline_mismatches(numbers, wrong, "default") == [
        f"default online_recruit_enterprises: value {value} vs {value + 1}"
    ]


def test_committed_results_have_the_agreed_shape() -> None:
    if not RESULTS.is_file():
        pytest.skip("benchmarks/results.json is written by `make bench`")
    results = json.loads(RESULTS.read_text(encoding="utf-8"))
    assert isinstance(results, list) and results
    for row in results:
        assert set(row) >= RESULT_KEYS
