"""Shared fixtures: the real project engine and the tiny hand-written one, each with its own cache."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from metrics import Engine

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
MINI = FIXTURES / "mini"


@pytest.fixture(scope="session")
def engine(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The shipped project on the shipped sample data."""
    return Engine(cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def mini(tmp_path_factory: pytest.TempPathFactory) -> Engine:
    """The tiny fixture project with hand-computed expected values."""
    return Engine(config_path=MINI / "config.yaml", cache_dir=tmp_path_factory.mktemp("mini-cache"))


@pytest.fixture()
def mini_copy(tmp_path: Path) -> Path:
    """A writable copy of the fixture project, for tests that break it."""
    dst = tmp_path / "mini"
    shutil.copytree(MINI, dst)
    return dst
