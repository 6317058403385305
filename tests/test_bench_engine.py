"""The engine's fast paths (cached monthly aggregates, pre-counted distinct runs, chunked loading) give exactly
the numbers of the plain SQL over the rollups, and stay correct when the data changes."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from metrics import ContractError, Engine, Filters, warehouse
from metrics.database import needs_build
from tests.support.oracle import oracle_series, oracle_total

FILTERS = [
    Filters(),
    Filters(province="sichuan"),
    Filters(province="chongqing", start="2023-01", end="2023-08"),
    Filters(province="sichuan", city="chengdu", start="2022-01", end="2022-12"),
    Filters(city="yuzhong"),
    Filters(start="2023-02", end="2023-03"),
    Filters(start="2021-01", end="2021-01"),
]


def same(a: float | None, b: float | None) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


@pytest.mark.parametrize("which", ["engine", "mini"])
def test_fast_paths_equal_plain_sql(which: str, request: pytest.FixtureRequest) -> None:
    engine: Engine = request.getfixturevalue(which)
    for filters in FILTERS:
        engine.clear_cache()
        period = engine.period(filters)
        for ind in engine.config.indicators:
            v = engine.value(ind.id, filters)
            assert same(v.value, oracle_total(engine, ind, period, filters)), (ind.id, filters)
            assert same(v.prev.base, oracle_total(engine, ind, period.previous(), filters)), (ind.id, filters)
            assert same(v.yoy.base, oracle_total(engine, ind, period.shifted(-12), filters)), (ind.id, filters)
            got = engine.series(ind.id, filters)
            want = oracle_series(engine, ind, filters)
            assert list(got["key"]) == list(want), (ind.id, filters)
            assert all(
                same(a, b) or (math.isnan(a) and math.isnan(b))
                for a, b in zip(got["value"], want.values(), strict=True)
            ), (ind.id, filters)


def test_cached_results_are_copies(mini: Engine) -> None:
    monthly = mini.series("positions", Filters())
    monthly.loc[0, "label"] = "changed"
    monthly.loc[0, "value"] = -1
    assert monthly.loc[0, "key"] == "2023-01"  # key and label are separate columns, not one shared array
    again = mini.series("positions", Filters())
    assert again.loc[0, "label"] == "2023-01" and again.loc[0, "value"] > 0
    first = mini.series("positions", Filters(), by="city")
    first.loc[0, "value"] = -1
    assert mini.series("positions", Filters(), by="city")["value"].min() >= 0
    table = mini.table("cities")
    table.loc[:, "city_id"] = "changed"
    assert "changed" not in set(mini.table("cities")["city_id"])
    # Frames cached by the database go out as shallow copies: a caller's writes stay its own.
    sql = "select city_id, province from cities order by city_id"
    got = mini.db.frame(sql)
    got.loc[0, "province"] = "changed"
    got["extra"] = 1
    got["city_id"] = "replaced"
    again = mini.db.frame(sql)
    assert list(again.columns) == ["city_id", "province"]
    assert "changed" not in set(again["province"]) and "replaced" not in set(again["city_id"])


def test_a_data_change_builds_a_new_database_with_new_numbers(mini_copy: Path, tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    before = Engine(mini_copy / "config.yaml", cache_dir=cache)
    total = before.value("holders").value
    p = mini_copy / "data" / "holders.csv"
    p.write_text(
        p.read_text(encoding="utf-8").replace("2023-04,sichuan,chengdu,130", "2023-04,sichuan,chengdu,1130"),
        encoding="utf-8",
    )
    after = Engine(mini_copy / "config.yaml", cache_dir=cache)
    assert after.database != before.database
    assert after.value("holders").value == total + 1000


def test_sql_checks_locate_problems_in_the_file(mini_copy: Path, tmp_path: Path, mini: Engine) -> None:
    again = Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "c1")
    for ind in mini.config.indicators:
        assert same(again.value(ind.id).value, mini.value(ind.id).value), ind.id
    p = mini_copy / "data" / "holders.csv"
    # Row 10 repeats row 2's key at the end of the file; row 9 has a bad number.
    text = p.read_text(encoding="utf-8").replace("2023-04,chongqing,yuzhong,65", "2023-04,chongqing,yuzhong,x")
    p.write_text(text + "2023-01,sichuan,chengdu,1\n", encoding="utf-8")
    with pytest.raises(ContractError) as e:
        Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "c2")
    found = "\n".join(str(x) for x in e.value.problems)
    assert "holders.csv, row 9, column 'holders': not a whole number (value 'x')" in found
    p.write_text(p.read_text(encoding="utf-8").replace(",x\n", ",65\n"), encoding="utf-8")
    with pytest.raises(ContractError) as e:
        Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "c3")
    found = "\n".join(str(x) for x in e.value.problems)
    assert "holders.csv, row 10, column 'month+city_id': duplicate primary key" in found
    assert found.count("missing column") == 0


def test_file_hashes_are_reused_only_while_the_file_is_unchanged(tmp_path: Path) -> None:
    f = tmp_path / "a.csv"
    f.write_text("x\n1\n", encoding="utf-8")
    memo: dict = {}
    first = warehouse._file_digest(f, memo)
    assert warehouse._file_digest(f, memo) == first
    f.write_text("x\n2\n", encoding="utf-8")
    assert warehouse._file_digest(f, memo) != first


def test_a_build_reports_its_progress(mini_copy: Path, tmp_path: Path) -> None:
    seen: list[tuple[float, str]] = []
    Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "c", progress=lambda f, what: seen.append((f, what)))
    fractions = [f for f, _ in seen]
    assert fractions == sorted(fractions) and fractions[0] >= 0 and fractions[-1] == 1.0
    assert any("postings: 7 rows" in what for _, what in seen) and seen[-1][1] == "ready"
    seen.clear()
    Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "c", progress=lambda f, what: seen.append((f, what)))
    assert seen == []  # already built: nothing to report


def test_needs_build_says_when_the_first_open_will_wait(mini_copy: Path, tmp_path: Path) -> None:
    config, cache = mini_copy / "config.yaml", tmp_path / "c"
    assert needs_build(config, cache_dir=cache)
    Engine(config, cache_dir=cache)
    assert not needs_build(config, cache_dir=cache)
    (mini_copy / "data" / "holders.csv").write_text(
        (mini_copy / "data" / "holders.csv").read_text(encoding="utf-8") + "2023-05,sichuan,chengdu,140\n",
        encoding="utf-8",
    )
    assert needs_build(config, cache_dir=cache)
