"""The query connection is read-only and cannot touch files or change its own settings."""

from __future__ import annotations

import duckdb
import pytest

from metrics import Engine


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "select * from read_text('/etc/hostname')",
        "copy (select 1) to '/tmp/chuanyu_should_not_exist.csv'",
        "attach '/tmp/other.duckdb' as other",
        "install httpfs",
        "set enable_external_access = true",
        "create table hacked (a int)",
        "insert into tasks (task_id) values ('X')",
    ],
)
def test_dangerous_statements_fail(engine: Engine, sql: str) -> None:
    with pytest.raises(duckdb.Error):
        engine.db.cursor().execute(sql)


def test_user_values_are_bound_not_spliced(engine: Engine) -> None:
    from metrics import FilterError, Filters

    with pytest.raises(FilterError):
        engine.check_filters(Filters(province="sichuan' or '1'='1"))
    with pytest.raises(FilterError, match="unknown city"):
        engine.check_filters(Filters(city="x' or 1=1 --"))
    # Even unchecked, a city that looks like SQL is a bound value: an unknown city, no rows, no error.
    v = engine.value("cardholders", Filters(city="x' or 1=1 --"))
    assert v.value is None
