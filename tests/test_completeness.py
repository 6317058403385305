"""Completeness: every indicator is fully declared and has a golden value; every setting is documented."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from metrics import Engine, load_config

ROOT = Path(__file__).resolve().parents[1]
CFG = load_config()
GOLDEN = {r["figure_id"] for r in csv.DictReader((ROOT / "data" / "published_figures.csv").open(encoding="utf-8"))}


@pytest.mark.parametrize("ind", CFG.indicators, ids=lambda i: i.id)
def test_indicator_is_fully_declared(ind) -> None:
    assert ind.sql_text().strip().lower().startswith(("select", "--", "with"))
    assert ind.description_zh.strip() and ind.description_en.strip()
    assert ind.unit_zh.strip() and ind.unit_en.strip()
    assert ind.source.title_zh and ind.source.quote_zh and ind.source.date
    assert ind.id in GOLDEN, f"{ind.id} has no golden value in data/published_figures.csv"


@pytest.mark.parametrize("ind", CFG.indicators, ids=lambda i: i.id)
def test_quote_is_in_the_seed_report(ind) -> None:
    report = ROOT.parent / "shared" / "seed" / "000_14ec07fe7bea07ce.txt"
    if not report.is_file():
        pytest.skip("shared/seed is not beside this checkout")
    assert ind.source.quote_zh in report.read_text(encoding="utf-8")


@pytest.mark.parametrize("name", sorted(CFG.datasets))
def test_dataset_is_documented(name: str) -> None:
    ds = CFG.datasets[name]
    readme = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    assert ds.file in readme, f"data/README.md does not mention {ds.file}"
    assert all(c.name_zh and c.name_en for c in ds.columns)


def test_every_indicator_breaks_down_by_each_declared_dimension(engine: Engine) -> None:
    for ind in engine.config.indicators:
        for dim in engine.dimensions(ind.id):
            df = engine.series(ind.id, by=dim)
            assert not df.empty, (ind.id, dim)
            assert df["label"].notna().all()


def test_every_dimension_value_has_a_label(engine: Engine) -> None:
    for ind in engine.config.indicators:
        for dim in ind.dimensions:
            for lang in ("zh", "en"):
                df = engine.series(ind.id, by=dim, lang=lang)
                unlabelled = df[df["label"] == df["key"]]
                assert unlabelled.empty, (ind.id, dim, lang, list(unlabelled["key"]))


def test_headline_indicators_exist() -> None:
    heads = [i.id for i in CFG.headline_indicators()]
    for must in [
        "online_recruit_positions",
        "online_recruit_enterprises",
        "cross_province_transactions",
        "cardholders",
        "insurance_transfers",
        "data_exchange_records",
        "talent_introduced_cq",
    ]:
        assert must in heads
