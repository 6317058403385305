"""The README documents what the project really has (in the spirit of datasette's documentation tests): every CLI
command, every CHUANYU_* environment variable, every module of metrics/, every make target and every setting of
config.yaml's project section; and it, app.py and server.py say what `make run` really runs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from metrics.cli import build_parser
from metrics.config import Project

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CODE_DIRS = ("metrics", "ui", "webserver", "pages", "scripts", "benchmarks")


def commands() -> list[str]:
    sub = next(a for a in build_parser()._actions if a.__class__.__name__ == "_SubParsersAction")
    return sorted(sub.choices)


def env_vars() -> list[str]:
    found: set[str] = set()
    for folder in CODE_DIRS:
        for path in (ROOT / folder).rglob("*.py"):
            found |= set(re.findall(r"CHUANYU_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    for path in (ROOT / "server.py", ROOT / "app.py", ROOT / "Makefile"):
        found |= set(re.findall(r"CHUANYU_[A-Z_]+[A-Z]", path.read_text(encoding="utf-8")))
    return sorted(found)


def metrics_modules() -> list[str]:
    out = []
    for path in sorted((ROOT / "metrics").rglob("*.py")):
        if path.name in ("__init__.py", "__main__.py"):
            continue
        out.append(str(path.relative_to(ROOT)))
    return out


def make_targets() -> list[str]:
    text = (ROOT / "Makefile").read_text(encoding="utf-8")
    return sorted(set(re.findall(r"^([a-z][a-z-]*):", text, flags=re.M)))


@pytest.mark.parametrize("command", commands())
def test_every_cli_command_is_in_the_readme(command: str) -> None:
    assert f"python -m metrics {command}" in README or f"`{command}" in README, command


@pytest.mark.parametrize("name", env_vars())
def test_every_environment_variable_is_in_the_readme(name: str) -> None:
    assert name in README, name


@pytest.mark.parametrize("module", metrics_modules())
def test_every_module_of_metrics_is_named_in_the_readme(module: str) -> None:
    stem = Path(module).name
    package = str(Path(module).parent.relative_to("metrics")) if Path(module).parent.name != "metrics" else ""
    assert module in README or (stem in README and (not package or f"{package}/" in README)), module


@pytest.mark.parametrize("target", make_targets())
def test_every_make_target_is_in_the_readme(target: str) -> None:
    assert f"make {target}" in README, target


@pytest.mark.parametrize("setting", sorted(Project.model_fields))
def test_every_project_setting_is_in_the_readme(setting: str) -> None:
    base = setting.removesuffix("_zh").removesuffix("_en")
    assert base in README, setting


def test_make_run_is_what_the_readme_app_and_server_say() -> None:
    run = re.search(r"^run:.*\n\t(.+)$", (ROOT / "Makefile").read_text(encoding="utf-8"), flags=re.M)
    assert run is not None
    command = "streamlit run server.py"
    assert command in run.group(1)
    assert "make run" in README and command in README
    for script in ("app.py", "server.py"):
        doc = (ROOT / script).read_text(encoding="utf-8").split('"""')[1]
        assert "make run" in doc and command in doc, script


def test_the_readme_gives_one_command_to_run_and_one_to_test() -> None:
    assert "make run" in README and "make test" in README
    assert "make test-fast" in README and "make lint" in README
