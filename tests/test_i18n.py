"""One bilingual catalogue (metrics/strings.yaml) and one lookup (metrics.i18n.tr): complete in both languages,
every entry used, and no other code that branches on the language."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from metrics.i18n import LANGS, UnknownText, catalogue, localized, tr

ROOT = Path(__file__).resolve().parents[1]
CODE = [
    *ROOT.glob("metrics/**/*.py"),
    *ROOT.glob("ui/*.py"),
    *ROOT.glob("pages/*.py"),
    ROOT / "app.py",
    ROOT / "server.py",
]
# Keys looked up with a computed suffix: tr(f"status.{status}"), tr(f"page.{page_id}") ...
DYNAMIC_PREFIXES = (
    "status.",
    "kind.",
    "type.",
    "page.",
    "col.",
    "ui.mode_",
    "ui.action_",
    "ui.step_",
    "compare.",
    "preset.",
    "rag.",
    "ui.result_",
    "refusal.",
    "report_state.",
    "review_state.",
    "period_status.",
    "basis.",
)
# Keys computed from a value inside one function: _t(f"{fmt}_help"), w("on_track" if ... else "off_track").
COMPUTED = {"dl.png", "dl.svg", "dl.png_help", "dl.svg_help", "deck.on_track", "deck.off_track"}
LANG_BRANCH = re.compile(r"""lang\s*[!=]=\s*["'](zh|en)["']|["'](zh|en)["']\s*[!=]=\s*\w*lang|\bif\s+(ctx\.)?zh\b""")


def placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


@pytest.mark.parametrize("key", sorted(catalogue()))
def test_every_entry_has_both_languages_with_the_same_placeholders(key: str) -> None:
    entry = catalogue()[key]
    assert all(entry[lang].strip() for lang in LANGS), key
    assert placeholders(entry["zh"]) == placeholders(entry["en"]), key


def test_no_code_outside_the_catalogue_branches_on_the_language() -> None:
    offenders = []
    for path in CODE:
        if path.name == "i18n.py":
            continue
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if LANG_BRANCH.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    assert not offenders, "\n".join(offenders)


def test_every_literal_key_exists_and_every_entry_is_used() -> None:
    text = "\n".join(p.read_text(encoding="utf-8") for p in CODE)
    literal = set(re.findall(r"""\btr\(\s*["']([a-z0-9_.]+)["']""", text))
    literal |= {f"deck.{k}" for k in re.findall(r"""\bw\(\s*["']([a-z_]+)["']""", text)}
    literal |= {f"dl.{k}" for k in re.findall(r"""\b_t\(\s*["']([a-z_]+)["']""", text)}
    missing = sorted(k for k in literal if k not in catalogue())
    assert not missing, missing
    # Anything else must at least be reachable through a computed key, or name itself somewhere in the code.
    unused = sorted(
        k
        for k in catalogue()
        if k not in literal | COMPUTED and not k.startswith(DYNAMIC_PREFIXES) and f'"{k}"' not in text
    )
    assert not unused, unused


def test_lookup() -> None:
    assert tr("word.both", "zh") == "川渝两地" and tr("word.both", "en") == "Both"
    assert tr("word.both", "fr") == "Both"  # any other language reads English
    assert tr("ui.tasks_shown", "en", n=3, total=97) == "Showing 3 of 97 tasks"
    with pytest.raises(UnknownText):
        tr("no.such.key", "zh")


def test_config_texts_are_read_through_one_function(engine) -> None:
    ind = engine.indicator("cardholders")
    assert ind.text("name", "zh") == ind.name_zh == localized(ind, "name", "zh")
    assert ind.text("unit", "en") == ind.unit_en
    assert engine.config.provinces["sichuan"].text("name", "en") == "Sichuan"
