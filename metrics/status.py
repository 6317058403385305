"""Red / amber / green, by one stated method (config.yaml `status`): progress against 序时进度 (time elapsed)."""

from __future__ import annotations

from typing import Literal

from .config import StatusRule
from .i18n import tr

Status = Literal["green", "amber", "red", "none"]
STATUSES: tuple[Status, ...] = ("green", "amber", "red", "none")
COLORS: dict[Status, str] = {"green": "#2a9d8f", "amber": "#e0a526", "red": "#c44e52", "none": "#9aa5b1"}


def pace_status(progress: float | None, elapsed: float, rule: StatusRule) -> Status:
    """green at or above the time elapsed; amber within rule.amber_points below it; red further behind."""
    if progress is None:
        return "none"
    if progress >= elapsed - 1e-9:
        return "green"
    return "amber" if (elapsed - progress) * 100 <= rule.amber_points else "red"


def worst(*statuses: Status) -> Status:
    """The most serious of several statuses (none counts least)."""
    order = {"red": 3, "amber": 2, "green": 1, "none": 0}
    return max(statuses, key=order.__getitem__, default="none")


def status_label(status: str, lang: str) -> str:
    """A status in words (status is never shown by colour alone)."""
    return tr(f"rag.{status}", lang)


def method_text(rule: StatusRule, lang: str) -> str:
    """The status method in words, with its threshold: shown on the Definitions page, slides and the brief."""
    return tr("rag.method", lang, points=f"{rule.amber_points:g}")
