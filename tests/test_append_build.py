"""Issue 15: appending a month updates a copy of the previous build (only the partitions and tables it touches),
with the same result as a full build and the same contract problems, rows numbered in the whole file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from metrics import ContractError, Engine, Filters
from metrics.build.verify import compare, summary

MAY = "2023-05,sichuan,chengdu,E9,20\n2023-05,chongqing,yuzhong,E1,8\n"


def append(path: Path, text: str) -> None:
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


def meta(engine: Engine) -> dict:
    return json.loads(engine.db.rows("select meta from _meta")[0][0])


def test_an_appended_month_updates_the_previous_build(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = Engine(mini_copy / "config.yaml", cache_dir=cache)
    append(mini_copy / "data" / "postings.csv", MAY)
    append(mini_copy / "data" / "holders.csv", "2023-05,sichuan,chengdu,140\n")
    after = Engine(mini_copy / "config.yaml", cache_dir=cache)
    assert after.database != before.database
    assert meta(after)["appended"] == ["holders", "postings"]
    assert meta(after)["rows"]["postings"] == 9 and after.as_of.isoformat() == "2023-05-01"
    assert after.value("positions").value == 37 + 28
    assert after.value("enterprises", Filters(start="2023-05")).value == 2
    assert after.value("enterprises").value == 5  # E9 is new; E1 was already counted
    assert after.value("holders", Filters(city="chengdu")).value == 140
    full = Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "full")
    assert "appended" not in meta(full)
    assert summary(compare(after.config, after.database, full.database)) == "8/8 tables identical"


def test_late_rows_for_a_month_already_built_are_merged_into_it(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Engine(mini_copy / "config.yaml", cache_dir=cache)
    append(mini_copy / "data" / "postings.csv", "2023-04,chongqing,jiangbei,E4,5\n")
    after = Engine(mini_copy / "config.yaml", cache_dir=cache)
    assert meta(after)["appended"] == ["postings"]
    assert after.value("positions", Filters(start="2023-04", end="2023-04")).value == 2 + 5
    full = Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "full")
    assert summary(compare(after.config, after.database, full.database)) == "8/8 tables identical"


def test_bad_appended_rows_are_reported_at_their_row_in_the_file(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Engine(mini_copy / "config.yaml", cache_dir=cache)
    built = set(cache.glob("*.duckdb"))
    append(mini_copy / "data" / "postings.csv", "2023-05,sichuan,chengdu,E9,many\n2023-05,sichuan,lhasa,E8,1\n")
    with pytest.raises(ContractError) as e:
        Engine(mini_copy / "config.yaml", cache_dir=cache)
    file = mini_copy / "data" / "postings.csv"
    found = [str(p) for p in e.value.problems]
    assert found == [
        f"{file}, row 10, column 'city_id': unknown cities.city_id value (value 'lhasa')",
        f"{file}, row 9, column 'positions': not a whole number (value 'many')",
    ]
    assert set(cache.glob("*.duckdb")) == built  # nothing written


def test_a_key_repeated_across_old_and_new_rows_is_found_as_in_a_full_build(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Engine(mini_copy / "config.yaml", cache_dir=cache)
    append(mini_copy / "data" / "holders.csv", "2023-01,sichuan,chengdu,1\n")
    with pytest.raises(ContractError) as e:
        Engine(mini_copy / "config.yaml", cache_dir=cache)
    assert [str(p).split(": ", 1)[0].rsplit(", ", 2)[1:] for p in e.value.problems] == [
        ["row 10", "column 'month+city_id'"]
    ]


def test_a_changed_row_builds_anew(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    Engine(mini_copy / "config.yaml", cache_dir=cache)
    p = mini_copy / "data" / "postings.csv"
    p.write_text(p.read_text(encoding="utf-8").replace("E2,5", "E2,6") + MAY, encoding="utf-8")
    after = Engine(mini_copy / "config.yaml", cache_dir=cache)
    assert "appended" not in meta(after)
    assert after.value("positions").value == 37 + 1 + 28


def test_the_tables_a_rollup_reads_go_through_views_but_not_ctes() -> None:
    from metrics.build.incremental import tables_read
    from metrics.config import DEFAULT_CONFIG, SQL_DIR, load_config

    cfg = load_config(DEFAULT_CONFIG)
    views = {v.name: (SQL_DIR / v.sql_file).read_text(encoding="utf-8") for v in cfg.views}
    assert tables_read("select * from milestones_monthly where metric = 'x'", views) == {"calendar", "milestones"}
    assert tables_read(cfg.indicator("cross_province_transactions").sql_text(), views) == {
        "service_transactions",
        "service_items",
    }
