"""The digest sent to a group chat: typed content, and its layout as a title and sections of plain lines."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from ..i18n import tr
from .inert import inert

# User text is cut so one long note cannot fill a message.
TITLE_CHARS = 80
NOTE_CHARS = 160


@dataclass(frozen=True)
class Figure:
    """A headline number, already formatted for the digest's language (141万 / 1.41 million)."""

    name: str
    value: str
    unit: str


@dataclass(frozen=True)
class StatusCount:
    """Task counts by status for one scope: all tasks, or those one party leads."""

    scope: str  # "全部 97 项" or "四川牵头 21 项", already worded
    counts: tuple[tuple[str, int], ...]  # (status label, count), in display order


@dataclass(frozen=True)
class TaskLine:
    """A task as the digest lists it; title and note come from users and are rendered inert."""

    task_id: str
    title: str
    lead: str
    due: date
    progress_pct: int
    note: str = ""


@dataclass(frozen=True)
class MissingReport:
    """Input from the reporting workflow: a party has not reported on a task for a period (催报)."""

    party: str  # lead-party id (sichuan, chongqing, ministry, joint)
    task_id: str
    period: str  # YYYY-MM
    deadline: date


@dataclass(frozen=True)
class ChaseList:
    """One party's 催报 list: its tasks with no report for the period after the deadline."""

    party: str  # display label
    period: str
    tasks: tuple[tuple[TaskLine, date], ...]  # (task, report deadline)


@dataclass(frozen=True)
class Digest:
    """Everything one group chat is told, in one language."""

    lang: str
    title: str
    as_of: date
    month: str  # YYYY-MM the figures run to
    figures: tuple[Figure, ...]
    status: tuple[StatusCount, ...]
    overdue: tuple[TaskLine, ...]
    chase: tuple[ChaseList, ...] | None = None  # None: reporting is not available, so no 催报 section
    sample: bool = False


@dataclass(frozen=True)
class Section:
    """A heading and its lines, all plain inert text; renderers add the markup."""

    heading: str
    lines: tuple[str, ...]


@dataclass(frozen=True)
class Layout:
    """The digest as a renderer sees it: title, a subtitle line, sections and a footer."""

    title: str
    subtitle: str
    sections: tuple[Section, ...]
    footer: str


def _task_line(t: TaskLine, as_of: date, lang: str) -> str:
    days = max((as_of - t.due).days, 0)
    return tr(
        "digest.task_line",
        lang,
        task_id=inert(t.task_id),
        title=inert(t.title, TITLE_CHARS),
        lead=inert(t.lead),
        due=t.due.isoformat(),
        days=days,
        progress=int(t.progress_pct),
    )


def _overdue(d: Digest) -> Section:
    lines: list[str] = []
    for t in d.overdue:
        lines.append(_task_line(t, d.as_of, d.lang))
        if t.note.strip():
            lines.append(tr("digest.task_note", d.lang, note=inert(t.note, NOTE_CHARS)))
    if not lines:
        lines.append(tr("digest.overdue_none", d.lang))
    return Section(tr("digest.overdue", d.lang, n=len(d.overdue)), tuple(lines))


def _chase(c: ChaseList, lang: str) -> Section:
    party = inert(c.party)
    heading = tr("digest.chase", lang, party=party, period=c.period, n=len(c.tasks))
    lines = [
        tr(
            "digest.chase_line",
            lang,
            task_id=inert(t.task_id),
            title=inert(t.title, TITLE_CHARS),
            deadline=deadline.isoformat(),
        )
        for t, deadline in c.tasks
    ]
    return Section(heading, tuple(lines) or (tr("digest.chase_none", lang, party=party, period=c.period),))


def layout(d: Digest) -> Layout:
    """The digest's title, sections and footer as plain inert lines, in the digest's language."""
    lang = d.lang
    sep = tr("digest.count_sep", lang)
    figures = Section(
        tr("digest.figures", lang, month=d.month),
        tuple(
            tr("digest.figure_line", lang, name=inert(f.name), value=inert(f.value), unit=inert(f.unit)).rstrip()
            for f in d.figures
        ),
    )
    status = Section(
        tr("digest.status", lang),
        tuple(
            tr(
                "digest.status_line",
                lang,
                scope=inert(s.scope),
                counts=sep.join(tr("digest.status_count", lang, label=inert(label), n=n) for label, n in s.counts),
            )
            for s in d.status
        ),
    )
    sections = [figures, status, _overdue(d)]
    if d.chase is not None:
        sections += [_chase(c, lang) for c in d.chase]
    footer = tr("digest.footer", lang, app=tr("digest.app", lang))
    if d.sample:
        footer = f"{tr('digest.sample', lang)} · {footer}"
    return Layout(inert(d.title), tr("digest.as_of", lang, date=d.as_of.isoformat()), tuple(sections), footer)
