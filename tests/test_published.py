"""Golden test: every published figure equals its indicator's default value on the shipped data."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from metrics import Engine, load_config

ROOT = Path(__file__).resolve().parents[1]
PUBLISHED = ROOT / "data" / "published_figures.csv"
SEED = ROOT.parent / "shared" / "seed" / "published_figures.csv"


def published() -> list[dict[str, str]]:
    with PUBLISHED.open(encoding="utf-8") as f:
        return list(csv.DictReader(f))


def test_project_copy_matches_the_seed() -> None:
    if not SEED.is_file():
        pytest.skip("shared/seed is not beside this checkout")
    with SEED.open(encoding="utf-8") as f:
        seed = list(csv.DictReader(f))
    ours = [{k: v for k, v in r.items() if k != "comparison"} for r in published()]
    assert ours == seed


def test_every_published_figure_has_an_indicator_with_the_same_id() -> None:
    ids = {i.id for i in load_config().indicators}
    assert {r["figure_id"] for r in published()} <= ids


@pytest.mark.parametrize("row", published(), ids=lambda r: r["figure_id"])
def test_published_value(engine: Engine, row: dict[str, str]) -> None:
    v = engine.value(row["figure_id"]).value
    target = float(row["value"])
    assert v is not None
    if row["comparison"] == "equals":
        assert v == target
    elif row["comparison"] == "nearly":  # "nearly 200": below it, but close
        assert 0.9 * target <= v < target
    elif row["comparison"] == "more_than":  # "more than 2/3"
        assert target < v < 1
    else:
        pytest.fail(f"unknown comparison {row['comparison']!r}")


def test_scope_of_chongqing_only_figures(engine: Engine) -> None:
    from metrics import Filters

    for row in published():
        if row["scope"] == "chongqing":
            sc = engine.value(row["figure_id"], Filters(province="sichuan")).value
            cq = engine.value(row["figure_id"], Filters(province="chongqing")).value
            assert sc is None, row["figure_id"]
            assert cq == engine.value(row["figure_id"]).value


def test_year_2023_figures_hold_for_2023(engine: Engine) -> None:
    from metrics import Filters

    y2023 = Filters(start="2023-01", end="2023-08")
    assert engine.value("talent_introduced_cq", y2023).value == 12000
    assert 180 <= engine.value("talent_events_cq_2023", y2023).value < 200
