"""Comparisons as official reports state them: 同比 / 环比 changes in words, and why one cannot be made."""

from __future__ import annotations

from .engine import Comparison
from .formatting import format_delta
from .i18n import tr


def change_text(c: Comparison, lang: str, fmt: str = "integer") -> str:
    """'+12.3万 (+8.1%)', or why there is no change to show ('去年同期无数据'), never a bare dash."""
    if c.reason is not None and c.reason != "zero_base":
        return tr(f"compare.{c.kind}.{c.reason}", lang)
    return format_delta(c.delta, c.delta_pct, lang, fmt)


def comparison_name(kind: str, lang: str) -> str:
    """'同比' / 'year on year', '环比' / 'vs previous period'."""
    return tr(f"compare.{kind}", lang)


def comparison_label(c: Comparison, lang: str) -> str:
    """'同比(2022-01 – 2022-08)': what the change is measured against."""
    return tr("compare.against", lang, name=comparison_name(c.kind, lang), period=c.period.label())
