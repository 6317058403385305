"""Shared fixtures: the real project engine and the tiny hand-written one, each with its own cache."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from metrics import Engine
from tests.support import postgres
from tests.support.browser import CHROME_ARGS, LOAD_MS, VIEWPORT, chromium_path, require_browser, running_app

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


# -- the browser: one server and one Chromium for the whole session -----------------------------------
@pytest.fixture(scope="session")
def server() -> Iterator[str]:
    """`streamlit run server.py` on a free local port, for the whole session."""
    require_browser()
    with running_app("streamlit-browser-tests.log") as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright (playwright install cannot download browsers here): one for the
    whole session, since Playwright's sync API cannot start twice on one thread."""
    require_browser()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=chromium_path(), args=CHROME_ARGS)
        yield b
        b.close()


@pytest.fixture()
def page(browser):
    """A fresh tab (a fresh Streamlit session) per test."""
    ctx = browser.new_context(viewport=VIEWPORT, locale="zh-CN")
    tab = ctx.new_page()
    tab.set_default_timeout(LOAD_MS)
    yield tab
    ctx.close()


# -- the user store on both backends: SQLite (embedded) and PostgreSQL (a throw-away cluster) ----------------
@pytest.fixture(scope="session")
def postgres_cluster() -> Iterator[str]:
    """One PostgreSQL cluster for the session (skips outside CI without PostgreSQL; fails under CI=true)."""
    with postgres.cluster() as url:
        yield url


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """A fresh, empty store on each backend."""
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / '.userstore.sqlite3'}"
    name = "t_" + "".join(c if c.isalnum() else "_" for c in request.node.name.lower())[:50]
    return postgres.new_database(request.getfixturevalue("postgres_cluster"), name)
