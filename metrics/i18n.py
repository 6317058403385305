"""The one bilingual catalogue (metrics/strings.yaml) and its one lookup: zh is the default, en is complete.

Every user-facing string of the dashboard, the CLI, the exports and the slides is looked up here with tr().
Texts that live in config.yaml (indicator names, units, sources...) are read with localized(), which the
config models expose as .text(field, lang). Nothing else in the code branches on the language.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

import yaml

LANGS = ("zh", "en")
DEFAULT_LANG = "zh"
CATALOGUE_FILE = Path(__file__).with_name("strings.yaml")
# libyaml's loader is much faster than the pure-Python one; same safety.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class UnknownText(KeyError):
    """No string in the catalogue has this key."""


def norm_lang(lang: str | None) -> str:
    """zh or en: any language other than Chinese reads the English text."""
    return "zh" if lang == "zh" else "en"


@lru_cache(maxsize=1)
def catalogue() -> dict[str, dict[str, str]]:
    """Every catalogue entry: key -> {zh: ..., en: ...}; a key defined twice is an error, not a silent override."""
    text = CATALOGUE_FILE.read_text(encoding="utf-8")
    keys = [
        line.split(":", 1)[0]
        for line in text.splitlines()
        if line and not line[0].isspace() and not line.startswith("#")
    ]
    twice = sorted(k for k, n in Counter(keys).items() if n > 1)
    if twice:
        raise ValueError(f"{CATALOGUE_FILE.name}: defined more than once: {', '.join(twice)}")
    raw = yaml.load(text, Loader=_LOADER) or {}
    return {str(k): {lang: str(v[lang]) for lang in LANGS} for k, v in raw.items()}


def tr(key: str, lang: str | None, **values: object) -> str:
    """The catalogue's text for key in lang, with {placeholders} filled from values."""
    try:
        text = catalogue()[key][norm_lang(lang)]
    except KeyError:
        raise UnknownText(key) from None
    return text.format(**values) if values else text


def localized(obj: object, field: str, lang: str | None) -> str:
    """A bilingual config field: obj.<field>_zh or obj.<field>_en."""
    return str(getattr(obj, f"{field}_{norm_lang(lang)}"))


def join_items(items: Iterable[str], lang: str | None) -> str:
    """Items joined the way each language lists them (、 in Chinese, a comma in English)."""
    return tr("word.list_separator", lang).join(items)


def paren(text: str, lang: str | None) -> str:
    """A parenthetical after a word: full-width, unspaced in Chinese; spaced ASCII in English."""
    return tr("word.parenthetical", lang, text=text)
