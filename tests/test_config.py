"""Config validation: a bad config stops the load with a message that names the key."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from metrics import ConfigError, Engine, load_config


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, old
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_shipped_config_is_valid() -> None:
    cfg = load_config()
    assert len(cfg.indicators) >= 34 and len(cfg.areas) == 6


def test_unknown_key_is_named(mini_copy: Path) -> None:
    edit(mini_copy / "config.yaml", "    kind: flow\n", "    kind: flow\n    colour: red\n")
    with pytest.raises(ConfigError, match=r"indicators\[0\] \(positions\)\.colour: unknown key"):
        load_config(mini_copy / "config.yaml")


def test_bad_kind_is_named(mini_copy: Path) -> None:
    edit(mini_copy / "config.yaml", "kind: flow", "kind: average")
    with pytest.raises(ConfigError, match=r"indicators\[0\] \(positions\)\.kind"):
        load_config(mini_copy / "config.yaml")


def test_bad_type_is_named(mini_copy: Path) -> None:
    edit(mini_copy / "config.yaml", "type: integer, min: 0}", "type: integr, min: 0}")
    with pytest.raises(ConfigError, match=r"datasets\.postings\.columns\[4\] \(positions\)\.type"):
        load_config(mini_copy / "config.yaml")


def test_missing_sql_file_is_named(mini_copy: Path) -> None:
    edit(
        mini_copy / "config.yaml",
        "    sql: select month, province, city_id as city, positions as value from postings\n",
        "    sql_file: no_such_indicator.sql\n",
    )
    with pytest.raises(ConfigError, match=r"indicators\[0\] \(positions\)\.sql_file: missing SQL file"):
        load_config(mini_copy / "config.yaml")


def test_unknown_dimension_is_named(mini_copy: Path) -> None:
    edit(mini_copy / "config.yaml", "dimensions: [province, city]", "dimensions: [province, colour]")
    with pytest.raises(ConfigError, match=re.escape("indicators[0] (positions).dimensions: unknown dimension")):
        load_config(mini_copy / "config.yaml")


def test_missing_required_key_is_named(mini_copy: Path) -> None:
    edit(mini_copy / "config.yaml", "    description_en: positions\n", "")
    with pytest.raises(ConfigError, match=r"indicators\[0\] \(positions\)\.description_en: Field required"):
        load_config(mini_copy / "config.yaml")


def test_invalid_yaml(mini_copy: Path) -> None:
    (mini_copy / "config.yaml").write_text("version: [1\n", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid YAML"):
        load_config(mini_copy / "config.yaml")


def test_sql_without_required_columns_stops_the_build(mini_copy: Path, tmp_path: Path) -> None:
    edit(mini_copy / "config.yaml", "positions as value from postings", "positions as amount from postings")
    with pytest.raises(ValueError, match="indicator positions: its SQL must yield the column"):
        Engine(mini_copy / "config.yaml", cache_dir=tmp_path / "c")
