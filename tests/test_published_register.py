"""The register of published figures: the seed's report first, every figure with its 口径 reproduced by its
indicator, a later report added by the usual ingest (validated, versioned, audited) showing on the indicator's
published history, and register text drawn as plain text on the chart."""

from __future__ import annotations

import csv
import json
import shutil
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from metrics import Engine, charts
from metrics.ingest import ingest_upload, read_audit
from metrics.published import checks, history, reports

ROOT = Path(__file__).resolve().parents[1]
SEED = "R2023-08-29"
LATER_REPORT = (
    "report_id,title_zh,title_en,publisher_zh,publisher_en,published_on,link\n"
    "R2024-01-16,川渝人社合作2023年工作新闻发布会,Press conference on the 2023 cooperation,四川省人社厅,"
    "Sichuan HRSS Department,2024-01-16,https://example.gov.cn/2024/0116\n"
)
LATER_VALUES = (
    "report_id,figure_id,value,basis,as_of,comparison,quote_zh\n"
    'R2024-01-16,cardholders,126000000,as_of,2023-12-31,equals,"<b>川渝</b>持卡人数达1.26亿人[详情](javascript:x)"\n'
    "R2024-01-16,insurance_transfers,30000,in_year,2023-06-30,equals,上半年互转3万人次\n"
)


def test_the_seed_report_is_the_first_and_every_figure_holds(engine: Engine) -> None:
    r = reports(engine, "en")
    assert r["report_id"].tolist() == [SEED] and r.iloc[0]["published_on"] == date(2023, 8, 29)
    assert r.iloc[0]["figures"] == 34
    found = checks(engine, SEED)
    assert len(found) == 34 and [c.figure_id for c in found if not c.holds] == []


def test_the_register_repeats_the_seed_file_and_each_indicators_source(engine: Engine) -> None:
    with (ROOT / "data" / "published_figures.csv").open(encoding="utf-8") as f:
        seed = {r["figure_id"]: r for r in csv.DictReader(f)}
    values = engine.table("published_values").set_index("figure_id")
    assert set(values.index) == set(seed)
    for fid, row in seed.items():
        assert values.at[fid, "value"] == float(row["value"]), fid
        assert values.at[fid, "quote_zh"] == row["quote_zh"] and values.at[fid, "comparison"] == row["comparison"]
        ind = engine.indicator(fid)
        assert (ind.source.date, ind.source.quote_zh) == (date(2023, 8, 29), row["quote_zh"])
    first = engine.table("published_reports").iloc[0]
    assert first["title_zh"] == engine.indicator("cardholders").source.title_zh


def test_each_figure_states_its_basis(engine: Engine) -> None:
    values = engine.table("published_values").set_index("figure_id")["basis"]
    assert values["talent_introduced_cq"] == "in_year" and values["talent_events_cq_2023"] == "in_year"
    assert values["cardholders"] == "as_of" and values["agreement_tasks_completed"] == "as_of"
    assert values["online_recruit_positions"] == "cumulative" and values["insurance_transfers"] == "cumulative"
    h = history(engine, "talent_introduced_cq", "en")
    assert h.iloc[0]["basis_label"] == "in the year (2023-08-29)" and h.iloc[0]["computed"] == 12000


@pytest.fixture()
def copy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A writable copy of the project's config and data."""
    shutil.copy(ROOT / "config.yaml", tmp_path / "config.yaml")
    shutil.copytree(ROOT / "data", tmp_path / "data", ignore=shutil.ignore_patterns(".*"))
    return tmp_path


def ingest(project: Path, text: str, dataset: str) -> Any:
    return ingest_upload(
        text.encode("utf-8"),
        f"{dataset}.csv",
        dataset,
        "officer",
        mode="append",
        config_path=project / "config.yaml",
        data_dir=project / "data",
    )


@pytest.mark.slow
def test_a_later_report_added_by_ingest_shows_on_the_published_history(copy: Path) -> None:
    early = ingest(copy, LATER_VALUES, "published_values")  # before its report is in the register
    assert not early.ok and "unknown published_reports.report_id value" in str(early.problems[0])
    assert ingest(copy, LATER_REPORT, "published_reports").ok
    bad_basis = ingest(copy, LATER_VALUES.replace(",in_year,", ",yearly,"), "published_values")
    assert not bad_basis.ok and "not an allowed value (as_of, cumulative, in_year)" in str(bad_basis.problems[0])
    assert ingest(copy, LATER_VALUES, "published_values").ok
    engine = Engine(config_path=copy / "config.yaml", data_dir=copy / "data", cache_dir=copy / "cache")
    assert engine.as_of == date(2023, 8, 29)  # a report's date does not move the data's as-of
    assert reports(engine, "en")["report_id"].tolist() == [SEED, "R2024-01-16"]
    h = history(engine, "cardholders", "en")
    assert [(d.isoformat(), v) for d, v in zip(h["as_of"], h["value"], strict=True)] == [
        ("2023-08-29", 125_000_000.0),
        ("2023-12-31", 126_000_000.0),
    ]
    assert h.iloc[1]["title"] == "Press conference on the 2023 cooperation" and h.iloc[1]["computed"] is None
    half = history(engine, "insurance_transfers", "en").iloc[0]
    assert (half["basis"], half["as_of"]) == ("in_year", date(2023, 6, 30))
    assert half["computed"] == engine.value("insurance_transfers", _h1_2023()).value
    c = charts.published_chart(engine, engine.indicator("cardholders"), "zh")
    fig = json.loads(c.figure.to_json())
    hover = [row[4] for row in fig["data"][0]["customdata"]]
    assert hover[1] == "&lt;b&gt;川渝&lt;/b&gt;持卡人数达1.26亿人[详情](javascript:x)"
    events = read_audit(config_path=copy / "config.yaml", data_dir=copy / "data")
    kept = [(e["dataset"], e["result"]) for e in events]
    assert kept == [
        ("published_values", "rejected"),
        ("published_reports", "ok"),
        ("published_values", "rejected"),
        ("published_values", "ok"),
    ]


def _h1_2023() -> Any:
    from metrics import Filters

    return Filters(start="2023-01", end="2023-06")
