"""The meeting summary (metrics.supervision.meeting_summary) in words, for the meeting pack and the Word brief:
each completed task, each overdue task with its latest approved note, each party's missing reports. Notes are
user text and stay plain text: they are placed in runs as written, never parsed as markup or formulas."""

from __future__ import annotations

from ..i18n import join_items, tr
from ..supervision import MeetingSummary


def completed_items(m: MeetingSummary, lang: str) -> list[str]:
    """Each task completed since the last meeting: id, title, lead party, completion date."""
    return [
        tr("deck.sup_completed_item", lang, task=r.task_id, title=r.title, lead=r.lead, day=r.completion_date)
        for r in m.completed.itertuples()
    ]


def missing_by_party(m: MeetingSummary, lang: str) -> list[str]:
    """Per reporting party with missing reports: '四川（2项）：T017 …、T018 …'."""
    out = []
    for party, group in m.missing.groupby("reporting", sort=False):
        items = join_items([f"{r.task_id} {r.title}" for r in group.itertuples()], lang)
        out.append(tr("deck.sup_party", lang, party=party, n=len(group), items=items))
    return out


def overdue_items(m: MeetingSummary, lang: str) -> list[str]:
    """Each overdue task in a sentence: lead party, due date, days late, progress and its latest approved note."""
    return [
        tr(
            "deck.sup_overdue_note",
            lang,
            task=r.task_id,
            title=r.title,
            lead=r.lead,
            due=r.due_date.isoformat(),
            days=r.days_late,
            progress=int(r.progress_pct),
            note=r.note or "—",
        )
        for r in m.overdue.itertuples()
    ]


def supervision_notes(m: MeetingSummary, lang: str) -> list[str]:
    """The speaker notes: the counts, every completed task, every overdue task with its note, every missing report."""
    notes = [tr("deck.sup_completed", lang), *completed_items(m, lang), tr("deck.sup_overdue", lang)]
    notes += overdue_items(m, lang)
    notes += [tr("deck.sup_missing", lang), *missing_by_party(m, lang)]
    return notes
