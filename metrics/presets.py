"""The periods people choose: 本年累计, 近12个月, 上一完整年度, 协议以来累计, or a custom month range."""

from __future__ import annotations

from datetime import date

from .engine import Engine
from .periods import FilterError, Filters, add_months, month_str

# Preset ids as the CLI and URLs spell them, in the order the sidebar offers them.
PRESETS = ("ytd", "last12", "last-year", "since-signing")
CUSTOM = "custom"
DEFAULT_DASHBOARD = "ytd"  # the first screen has 同比 to show
DEFAULT_CLI = "since-signing"  # scripts and the published-figures check keep their meaning


def preset_months(engine: Engine, preset: str) -> tuple[date, date]:
    """The first and last month of a preset, ending at the data's last month."""
    last = engine.last_month
    if preset == "ytd":
        return date(last.year, 1, 1), last
    if preset == "last12":
        return add_months(last, -11), last
    if preset == "last-year":
        return date(last.year - 1, 1, 1), date(last.year - 1, 12, 1)
    if preset == "since-signing":
        return min(engine.signing_month(), last), last
    raise FilterError(f"--period must be one of {', '.join(PRESETS)}; got {preset!r}")


def apply_preset(engine: Engine, filters: Filters, preset: str) -> Filters:
    """The filters with the preset's months (places kept)."""
    start, end = preset_months(engine, preset)
    return filters.with_(start=month_str(start), end=month_str(end))


def month_options(engine: Engine) -> list[str]:
    """Months a user may pick: from the agreement's signing (or the data's start) to the data's last month."""
    first = min(engine.first_month, engine.signing_month())
    out, m = [], first
    while m <= engine.last_month:
        out.append(month_str(m))
        m = add_months(m, 1)
    return out
