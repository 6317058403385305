"""The metric SQL is portable: every statement the engine builds transpiles with SQLGlot from DuckDB to Spark
SQL without errors or unsupported constructs, the result parses back as Spark, and on the fixture data the
round trip through Spark SQL gives the same rows (docs/scaling.md). For Trino and StarRocks, which cannot run
here, the constructs each would need changed are listed by name and template (metrics/build/portability.py);
tests/test_spark_build.py runs the Spark build for real."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest
import sqlglot
from sqlglot.errors import ErrorLevel

from metrics import Engine, Filters
from metrics.build.portability import build_statements, gaps, read_statements
from metrics.config import DEFAULT_CONFIG, SQL_DIR, STANDARD_COLUMNS, load_config
from metrics.sqlfiles import AGGREGATES, ident, indicator_table, render
from metrics.warehouse import distinct_table

CONFIG = load_config(DEFAULT_CONFIG)
# Read templates, filled in as the engine fills them.
QUERIES = ["grouped", "grouped_latest", "grouped2", "grouped2_latest"]


def read_sql(name: str, kind: str, table: str, start: str = "$start", end: str = "$end") -> str:
    """A read template for one indicator table, as the engine renders it (by month; by month × province)."""
    return render(
        name,
        scoped=render("scoped", table=table, start=start, end=end),
        key=ident("month"),
        key1=ident("month"),
        key2=ident("province"),
        agg=AGGREGATES[kind],
    )


def to_spark(sql: str) -> str:
    """DuckDB SQL as Spark SQL; raises on anything SQLGlot cannot express in Spark."""
    out = sqlglot.transpile(sql, read="duckdb", write="spark", unsupported_level=ErrorLevel.RAISE)
    assert len(out) == 1
    sqlglot.parse_one(out[0], read="spark")  # and Spark's own grammar accepts it
    return out[0]


def statements(indicator_id: str) -> dict[str, str]:
    """The base SELECT, its build-time rollup and the read queries for one indicator."""
    ind = CONFIG.indicator(indicator_id)
    base = ind.sql_text().strip().rstrip(";")
    dims = "".join(f"{ident(d)},\n    " for d in ind.dimensions if d not in STANDARD_COLUMNS)
    rollup = {"ratio": "rollup_ratio", "distinct_count": "rollup_distinct"}.get(ind.kind, "rollup_additive")
    table = indicator_table(ind.id)
    out = {"base": base, "rollup": render(rollup, table=table, dims=dims, base=base)}
    for name in QUERIES:
        out[name] = read_sql(name, ind.kind, table)
    if ind.kind == "distinct_count":
        for grain, (province, city, keys) in {
            "all": ("null::varchar", "null::varchar", ""),
            "city": ("province", "city", "province, city, "),
        }.items():
            out[f"runs_{grain}"] = render(
                "rollup_distinct_runs",
                table=distinct_table(ind.id, grain),
                source=table,
                province=province,
                city=city,
                keys=keys,
            )
        out["distinct_runs"] = read_sql("distinct_runs", ind.kind, distinct_table(ind.id, "all"), "$lo", "$hi")
    else:
        scope = " and ".join([render("scope_province").strip(), render("scope_city").strip()])
        out["monthly"] = render("monthly_part", part="0", a="sum(value)", b="null::double", table=table, scope=scope)
    return out


@pytest.mark.parametrize("indicator_id", [i.id for i in CONFIG.indicators])
def test_indicator_sql_transpiles_to_spark(indicator_id: str) -> None:
    for name, sql in statements(indicator_id).items():
        try:
            to_spark(sql)
        except sqlglot.errors.SqlglotError as e:  # pragma: no cover - the message is the point
            pytest.fail(f"{indicator_id} {name}: {e}")


def test_views_and_calendar_transpile_to_spark() -> None:
    for view in CONFIG.views:
        to_spark((SQL_DIR / view.sql_file).read_text(encoding="utf-8"))
    to_spark(render("calendar"))


def test_spark_keeps_the_meaning() -> None:
    spark = to_spark(read_sql("grouped", "ratio", indicator_table("pension_transfer_time_cut")))
    assert "SUM(num) / NULLIF(SUM(den), 0)" in spark
    assert ":start" in spark and ":province IS NULL" in spark  # bound parameters stay parameters
    view = to_spark((SQL_DIR / "views" / "milestones_monthly.sql").read_text(encoding="utf-8"))
    assert "MAX_BY(" in view  # DuckDB's arg_max is Spark's max_by


def round_trip(sql: str) -> str:
    """DuckDB → Spark → DuckDB: runnable here, so a translation that changes the meaning shows up."""
    return sqlglot.transpile(to_spark(sql), read="spark", write="duckdb")[0]


def test_round_trip_through_spark_keeps_the_numbers(mini: Engine, tmp_path: Path) -> None:
    db = tmp_path / "copy.duckdb"
    shutil.copyfile(mini.database, db)
    con = duckdb.connect(str(db))
    # The calendar's portable form (generate_series, explode(sequence(...)) on Spark) survives the trip too.
    months = {"start": mini.first_month, "end": mini.last_month}
    con.execute(round_trip(render("calendar")).replace("calendar", "rt_calendar", 1), months)
    assert (
        con.execute("select * from rt_calendar order by 1").fetchall()
        == con.execute("select * from calendar order by 1").fetchall()
    )
    for ind in mini.config.indicators:
        base = ind.sql_text().strip().rstrip(";")
        dims = "".join(f"{ident(d)},\n    " for d in ind.dimensions if d not in STANDARD_COLUMNS)
        rollup = {"ratio": "rollup_ratio", "distinct_count": "rollup_distinct"}.get(ind.kind, "rollup_additive")
        con.execute(round_trip(render(rollup, table=ident(f"rt_{ind.id}"), dims=dims, base=base)))
        ordered = "select * from {} order by all"
        assert (
            con.execute(ordered.format(indicator_table(ind.id))).fetchall()
            == con.execute(ordered.format(ident(f"rt_{ind.id}"))).fetchall()
        ), ind.id
        filters = Filters(province="sichuan", start="2023-02")
        period = mini.period(filters)
        province, city = mini.scope(ind, filters)
        params = {"start": period.start, "end": period.end, "province": province, "city": city}
        for name in QUERIES:
            sql = read_sql(name, ind.kind, indicator_table(ind.id))
            assert con.execute(sql, params).fetchall() == con.execute(round_trip(sql), params).fetchall(), (
                ind.id,
                name,
            )
    con.close()


def test_every_build_and_read_statement_transpiles_to_spark() -> None:
    statements = build_statements(CONFIG) + read_statements(CONFIG)
    assert len(statements) > 300
    assert gaps(CONFIG, "spark") == {}


# What Trino and StarRocks would need changed, by construct and template (docs/scaling.md explains each).
ROLLUPS_GROUP_BY_ALL = {"create_view", "describe", "rollup_additive", "rollup_distinct_runs", "rollup_ratio"}
NAMED_READS = {
    "calendar",
    "cities",
    "contract/problems",
    "contract/typed_table",
    "distinct_runs",
    "duplicate_keys",
    "monthly_part",
}
POSITIONAL_ORDER = {"grouped", "grouped2", "grouped2_latest", "grouped_latest"}
KNOWN_GAPS = {
    "trino": {
        "group by all": ROLLUPS_GROUP_BY_ALL,
        "named parameters": NAMED_READS | POSITIONAL_ORDER,
        "contains() on text": {"contract/problems", "contract/typed_table"},
        "unnest emulated by position": {"calendar"},
    },
    "starrocks": {
        "group by all": ROLLUPS_GROUP_BY_ALL,
        "named parameters": NAMED_READS,
        "aggregate filter (where ...)": {"contract/stats", "describe", "rollup_additive"},
        "explode() of a series": {"calendar"},
        "sqlglot: 'NULLS LAST' translation not supported with positional ordering": POSITIONAL_ORDER,
    },
}


@pytest.mark.parametrize("dialect", sorted(KNOWN_GAPS))
def test_the_known_gaps_of_other_engines(dialect: str) -> None:
    assert gaps(CONFIG, dialect) == KNOWN_GAPS[dialect]
