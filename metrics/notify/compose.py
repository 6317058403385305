"""Today's digest from the engine: headline figures, task status counts, overdue tasks and 催报 lists."""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd

from ..engine import Engine
from ..formatting import format_number
from ..i18n import tr
from ..overview import headline_cards
from ..periods import Filters, month_str
from ..tasks import STATUSES, status_label, task_table
from .model import ChaseList, Digest, Figure, MissingReport, StatusCount, TaskLine
from .targets import ALL


def parties(engine: Engine) -> list[str]:
    """The lead parties config.yaml declares (dimensions.lead_party.labels), in order."""
    dim = engine.config.dimensions.get("lead_party")
    return list(dim.labels) if dim is not None and dim.labels else []


def _counts(tasks: pd.DataFrame, lang: str) -> tuple[tuple[str, int], ...]:
    return tuple((status_label(s, lang), int((tasks["status"] == s).sum())) for s in STATUSES)


def _task_line(row: pd.Series) -> TaskLine:
    return TaskLine(str(row["task_id"]), str(row["title"]), str(row["lead"]), row["due_date"], int(row["progress_pct"]))


def _chase(
    missing: Sequence[MissingReport],
    tasks: pd.DataFrame,
    party: str | None,
    period: str,
    labels: dict[str, str],
    lang: str,
) -> tuple[ChaseList, ...]:
    by_id = {str(r["task_id"]): _task_line(r) for _, r in tasks.iterrows()}
    unknown = sorted({m.task_id for m in missing} - set(by_id))
    if unknown:
        raise KeyError(f"missing-report items name unknown tasks: {', '.join(unknown)}")
    lists = []
    for p in [party] if party else list(labels):
        items = sorted((m for m in missing if m.party == p and m.period == period), key=lambda m: m.task_id)
        if items or party:  # a party's own digest says so when nothing is missing
            lists.append(ChaseList(labels.get(p, p), period, tuple((by_id[m.task_id], m.deadline) for m in items)))
    return tuple(lists) or (ChaseList(tr("digest.everyone", lang), period, ()),)


def compose_digest(
    engine: Engine,
    lang: str = "zh",
    party: str | None = None,
    missing: Sequence[MissingReport] | None = None,
    period: str | None = None,
) -> Digest:
    """The digest for one party (its status, overdue tasks and 催报 list) or, for None/'all', for everyone.

    missing is the reporting workflow's list of missing reports; None (today) leaves the 催报 section out.
    """
    party = None if party in (None, ALL) else party
    labels = engine.labels("lead_party", lang)
    if party is not None and party not in labels:
        raise KeyError(f"unknown party {party!r} (use {', '.join(labels)} or {ALL})")
    figures = tuple(
        Figure(
            c.indicator.text("name", lang),
            format_number(c.value.value, lang, c.indicator.format),
            c.indicator.text("unit", lang),
        )
        for c in headline_cards(engine, Filters())
    )
    tasks = task_table(engine, lang)
    status = [StatusCount(tr("digest.status_all", lang, total=len(tasks)), _counts(tasks, lang))]
    mine = tasks if party is None else tasks[tasks["lead_party"] == party]
    if party is not None:
        status.append(
            StatusCount(tr("digest.status_party", lang, party=labels[party], total=len(mine)), _counts(mine, lang))
        )
    late = mine[mine["overdue"]].sort_values(["due_date", "task_id"])
    month = month_str(engine.as_of)
    chase = None if missing is None else _chase(missing, tasks, party, period or month, labels, lang)
    audience = labels[party] if party else tr("digest.everyone", lang)
    return Digest(
        lang=lang,
        title=tr("digest.title_for", lang, title=tr("digest.title", lang), audience=audience),
        as_of=engine.as_of,
        month=month,
        figures=figures,
        status=tuple(status),
        overdue=tuple(_task_line(r) for _, r in late.iterrows()),
        chase=chase,
        sample=bool(engine.config.project.sample_data),
    )
