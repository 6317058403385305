"""A distinct count's runs tables: summed from the city grain when every entity is in one place, counted by
window otherwise; both give exactly the tables the window gives at every grain."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from metrics.build import pipeline
from metrics.build.duck import DuckBackend
from metrics.config import load_config
from metrics.sqlfiles import indicator_table

MINI = Path(__file__).resolve().parent / "fixtures" / "mini" / "config.yaml"


COLUMNS = "select column_name, data_type from information_schema.columns where table_name = $name"


def _runs(rows: list[tuple], tmp_path: Path, file: str = "runs.duckdb") -> tuple[bool, dict]:
    """Build the runs of a rollup with these (month, province, city, entity) rows both ways; (summed?, tables)."""
    ind = next(i for i in load_config(MINI).indicators if i.kind == "distinct_count")
    be = DuckBackend(tmp_path / file)
    try:
        table = indicator_table(ind.id)
        be.execute(f"create table {table} (month date, province varchar, city varchar, entity varchar)")
        be.con.executemany(f"insert into {table} values (?, ?, ?, ?)", rows)
        summed = pipeline.one_place_each(be, ind)
        pipeline.build_runs(be, ind)
        out = {}
        for grain in pipeline.DISTINCT_GRAINS:
            name = pipeline.distinct_table(ind.id, grain)
            got = be.rows(f"select * from {name} order by all")
            types = be.rows(COLUMNS, {"name": name.strip('"')})
            be.execute(pipeline.runs_sql(ind, grain).replace(name, "windowed", 1))
            want = be.rows("select * from windowed order by all")
            want_types = be.rows(COLUMNS, {"name": "windowed"})
            be.drop("windowed")
            out[grain] = (got, want, types, want_types)
        return summed, out
    finally:
        be.close()


M1, M2, M3, M5 = date(2023, 1, 1), date(2023, 2, 1), date(2023, 3, 1), date(2023, 5, 1)


def test_entities_in_one_place_each_get_their_runs_summed(tmp_path: Path) -> None:
    rows = [
        (M1, "sichuan", "chengdu", "E1"),
        (M2, "sichuan", "chengdu", "E1"),
        (M5, "sichuan", "chengdu", "E1"),
        (M1, "chongqing", "yuzhong", "E2"),
        (M3, "chongqing", "yuzhong", "E2"),
        (M2, "sichuan", None, "E3"),
        (M2, None, None, "E4"),
        (M1, "sichuan", "chengdu", None),
    ]
    summed, tables = _runs(rows, tmp_path)
    assert summed
    for got, want, types, want_types in tables.values():
        assert got == want
        assert types == want_types != []
    # E1 runs: Jan (none before), Feb (after Jan), May (after Feb); the whole-region grain adds E2, E3 and E4.
    assert tables["all"][0] == [
        (M1, None, None, None, 2),
        (M2, M1, None, None, 1),
        (M2, None, None, None, 2),
        (M3, M1, None, None, 1),
        (M5, M2, None, None, 1),
    ]


def test_an_entity_in_two_places_gets_its_runs_counted_by_window(tmp_path: Path) -> None:
    for n, second in enumerate([("sichuan", "mianyang"), ("chongqing", "chengdu"), ("sichuan", None), (None, None)]):
        rows = [
            (M1, "sichuan", "chengdu", "E1"),
            (M2, *second, "E1"),
            (M3, "sichuan", "chengdu", "E1"),
            (M1, "chongqing", "yuzhong", "E2"),
        ]
        summed, tables = _runs(rows, tmp_path, f"{n}.duckdb")
        assert not summed, second
        for got, want, _, _ in tables.values():
            assert got == want
    # Counted by window: at the whole-region grain E1's months run Jan, Feb, Mar (one entity, three runs).
    assert [r for r in tables["all"][0] if r[1] is not None] == [(M2, M1, None, None, 1), (M3, M2, None, None, 1)]


def test_the_runs_since_a_month_are_the_full_runs_from_that_month_on(tmp_path: Path) -> None:
    ind = next(i for i in load_config(MINI).indicators if i.kind == "distinct_count")
    rows = [
        (M1, "sichuan", "chengdu", "E1"),
        (M2, "sichuan", "mianyang", "E1"),
        (M5, "sichuan", "chengdu", "E1"),
        (M1, "chongqing", "yuzhong", "E2"),
        (M3, "chongqing", "yuzhong", "E2"),
        (M3, "chongqing", "yuzhong", "E3"),
        (M1, "sichuan", None, "E4"),
        (M5, None, None, "E4"),
    ]
    be = DuckBackend(tmp_path / "since.duckdb")
    try:
        table = indicator_table(ind.id)
        be.execute(f"create table {table} (month date, province varchar, city varchar, entity varchar)")
        be.con.executemany(f"insert into {table} values (?, ?, ?, ?)", rows)
        for grain in pipeline.DISTINCT_GRAINS:
            name = pipeline.distinct_table(ind.id, grain)
            be.execute(pipeline.runs_sql(ind, grain).replace(name, "full_runs", 1))
            be.execute(pipeline.runs_sql(ind, grain, since=True).replace(name, "since_runs", 1), {"since": M3})
            want = be.rows("select * from full_runs where month >= $since order by all", {"since": M3})
            assert be.rows("select * from since_runs order by all") == want != []
            be.drop("full_runs")
            be.drop("since_runs")
    finally:
        be.close()
