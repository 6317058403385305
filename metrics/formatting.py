"""Number formats, one per language: 万/亿 in Chinese, thousands and millions in English, percents.

Cards, tables, chart ticks and tooltips, slides, the brief and the CLI all format through format_number.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from decimal import ROUND_HALF_UP, Decimal

from .i18n import norm_lang, tr

MISSING = "—"


def _trim(x: float, digits: int) -> str:
    # Round half up on the decimal text, as people expect (1.035 -> 1.04), not on the binary float.
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _missing(value: float | None) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def _zh(v: float, fmt: str) -> str:
    # 万 and 亿 with up to two decimals keep four significant figures, like the English digits do.
    a = abs(v)
    if a >= 1e8:
        return f"{_trim(v / 1e8, 2)}亿"
    if a >= 1e4:
        return f"{_trim(v / 1e4, 2)}万"
    if fmt == "decimal" or not v.is_integer():
        return _trim(v, 2)
    return str(int(v))


def _en(v: float, fmt: str) -> str:
    a = abs(v)
    for size, word in ((1e9, "billion"), (1e6, "million")):
        if a >= size:
            return f"{_trim(v / size, 2 if a < 10 * size else 1 if a < 1000 * size else 0)} {word}"
    if fmt == "decimal" or not v.is_integer():
        return f"{v:,.2f}"
    return f"{int(v):,}"


_FORMATTERS: dict[str, Callable[[float, str], str]] = {"zh": _zh, "en": _en}


def format_number(value: float | None, lang: str = "zh", fmt: str = "integer") -> str:
    """A short display form: 141万 / 1.41 million / 70.9%; '—' for no data."""
    if _missing(value):
        return MISSING
    assert value is not None
    if fmt == "percent":
        return f"{_trim(value * 100, 1)}%"
    return _FORMATTERS[norm_lang(lang)](float(value), fmt)


def format_with_unit(value: float | None, unit: str, lang: str = "zh", fmt: str = "integer") -> str:
    """'5304 人' / '5,304 people': a number as tooltips and sentences say it (no unit for percents)."""
    text = format_number(value, lang, fmt)
    return text if fmt == "percent" or not unit or text == MISSING else f"{text} {unit}"


def format_exact(value: float | None, fmt: str = "integer") -> str:
    """The full value with thousands separators, for tooltips and tables."""
    if _missing(value):
        return MISSING
    assert value is not None
    if fmt == "percent":
        return f"{value * 100:.2f}%"
    v = float(value)
    return f"{int(v):,}" if v.is_integer() else f"{v:,.4f}"


def format_delta(delta: float | None, delta_pct: float | None, lang: str = "zh", fmt: str = "integer") -> str:
    """A signed change such as '+12.3万 (+8.1%)'; a percent indicator changes by points."""
    if delta is None or math.isnan(delta):
        return MISSING
    if delta_pct is not None and math.isnan(delta_pct):
        delta_pct = None
    if fmt == "percent":
        return tr("word.points", lang, value=f"{delta * 100:+.1f}")
    sign = "+" if delta >= 0 else "−"
    text = sign + format_number(abs(delta), lang, fmt)
    if delta_pct is not None:
        text += f" ({delta_pct * 100:+.1f}%)"
    return text


def plain_number(value: float | None) -> float | int | None:
    """A number for machine-readable output: integral values as int, others rounded to 6 places."""
    if _missing(value):
        return None
    assert value is not None
    return int(value) if float(value).is_integer() else round(float(value), 6)
