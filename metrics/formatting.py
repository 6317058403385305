"""Human number formats: 万/亿 in Chinese, thousands and millions in English, percents."""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal


def _trim(x: float, digits: int) -> str:
    # Round half up on the decimal text, as people expect (1.035 -> 1.04), not on the binary float.
    q = Decimal(repr(x)).quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    text = f"{q:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _digits(x: float) -> int:
    return 2 if abs(x) < 10 else (1 if abs(x) < 1000 else 0)


def format_number(value: float | None, lang: str = "zh", fmt: str = "integer") -> str:
    """A short display form: 141万 / 1.41 million / 70.9%; '—' for no data."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if fmt == "percent":
        return f"{_trim(value * 100, 1)}%"
    v = float(value)
    a = abs(v)
    if lang == "zh":
        if a >= 1e8:
            return f"{_trim(v / 1e8, _digits(v / 1e8))}亿"
        if a >= 1e4:
            return f"{_trim(v / 1e4, _digits(v / 1e4))}万"
    else:
        if a >= 1e9:
            return f"{_trim(v / 1e9, _digits(v / 1e9))} billion"
        if a >= 1e6:
            return f"{_trim(v / 1e6, _digits(v / 1e6))} million"
    if fmt == "decimal" or not v.is_integer():
        return f"{v:,.2f}" if lang == "en" else _trim(v, 2)
    return f"{int(v):,}" if lang == "en" else str(int(v))


def format_exact(value: float | None, fmt: str = "integer") -> str:
    """The full value with thousands separators, for tooltips and tables."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "—"
    if fmt == "percent":
        return f"{value * 100:.2f}%"
    v = float(value)
    return f"{int(v):,}" if v.is_integer() else f"{v:,.4f}"


def format_delta(delta: float | None, delta_pct: float | None, lang: str = "zh", fmt: str = "integer") -> str:
    """A signed change such as '+12.3万 (+8.1%)'."""
    if delta is None or math.isnan(delta):
        return "—"
    if delta_pct is not None and math.isnan(delta_pct):
        delta_pct = None
    if fmt == "percent":
        return f"{delta * 100:+.1f} pp" if lang == "en" else f"{delta * 100:+.1f}个百分点"
    sign = "+" if delta >= 0 else "−"
    text = sign + format_number(abs(delta), lang, fmt)
    if delta_pct is not None:
        text += f" ({delta_pct * 100:+.1f}%)"
    return text


def plain_number(value: float | None) -> float | int | None:
    """A number for machine-readable output: integral values as int, others rounded to 6 places."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return int(value) if float(value).is_integer() else round(float(value), 6)
