"""The per-party Excel template (填报模板): that party's tasks for the current period, pre-filled from their last
report; uploaded back through the ingest readers and contract checks, then the desk's own checks, row by row.
Nothing is stored unless every row is valid; then all rows are stored in one transaction.

A row whose 进展情况 is left empty is not a report (the template lists every task; fill in those you report on).
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import cast

import pandas as pd
import xlsxwriter

from .config import Column, Dataset
from .contracts import Problem, header_keys, map_headers, validate_table
from .csvout import TRIGGERS
from .cycle import current_period, deadline
from .engine import Engine
from .i18n import join_items, norm_lang, tr
from .ingest.readers import read_upload
from .ingest.upload import UploadError
from .reports import STATES, Desk, Draft, Ledger, Refused, Stored, current_ledger, links
from .supervision import owes_report
from .tasks import state_label, task_table

REPORT_COLUMNS = [
    "task_id",
    "period",
    "progress_pct",
    "state",
    "completed_on",
    "progress_note",
    "issues",
    "next_steps",
    "evidence",
]
SHEET = "report"
NEEDED = ("task_id", "period", "progress_pct", "progress_note")  # the columns an uploaded file must have


def contract(engine: Engine) -> Dataset:
    """What an uploaded template must hold: task_reports' columns, titles and the last note for reference."""
    cfg = engine.config
    tasks, reports = cfg.datasets["tasks"], cfg.datasets["task_reports"]

    def optional(c: Column, **changes: object) -> Column:
        return c.model_copy(update={"required": False, "references": None, **changes})

    cols = [reports.column("task_id").model_copy(update={"references": None})]
    cols += [optional(tasks.column(c)) for c in ("title_zh", "title_en")]
    cols.append(
        Column(
            name="last_note",
            name_zh=tr("col.last_note", "zh"),
            name_en=tr("col.last_note", "en"),
            type="string",
            required=False,
        )
    )
    for name in REPORT_COLUMNS[1:]:
        c = reports.column(name)
        # State may be written as its label (正常推进) as well as its id; the desk checks it.
        cols.append(optional(c, allowed=None) if name != "period" else c)
    return Dataset(
        file="template.xlsx",
        title_zh=tr("template.title_generic", "zh"),
        title_en=tr("template.title_generic", "en"),
        description_zh="",
        description_en="",
        illustrative_zh="",
        illustrative_en="",
        primary_key=["task_id", "period"],
        columns=cols,
    )


def prefill(engine: Engine, party: str, plan_id: str | None = None, ledger: Ledger | None = None) -> pd.DataFrame:
    """A party's tasks that owe a report for the current period, with their last report's progress and state."""
    ledger = ledger if ledger is not None else current_ledger(engine)
    period = current_period(engine)
    tasks = task_table(engine, "zh", plan_id, ledger)
    en = task_table(engine, "en", plan_id, ledger).set_index("task_id")["title"]
    mine = tasks[(tasks["reporting_party"] == party) & owes_report(tasks, engine, period)].reset_index(drop=True)
    last = last_reports(mine["task_id"].tolist(), engine, ledger)
    rows = []
    for r in mine.itertuples():
        prev = last.get(str(r.task_id), {})
        rows.append(
            {
                "task_id": r.task_id,
                "title_zh": r.title,
                "title_en": en[r.task_id],
                "last_note": prev.get("progress_note", ""),
                "period": period,
                "progress_pct": int(str(prev.get("progress_pct", r.progress_pct))),
                "state": prev.get("state") or "on_track",
                "completed_on": prev.get("completed_on"),
                "progress_note": prev.get("draft_note", ""),
                "issues": prev.get("draft_issues", ""),
                "next_steps": prev.get("draft_next", ""),
                "evidence": prev.get("draft_evidence", ""),
            }
        )
    return pd.DataFrame(rows, columns=["task_id", "title_zh", "title_en", "last_note", *REPORT_COLUMNS[1:]])


def last_reports(task_ids: list[str], engine: Engine, ledger: Ledger) -> dict[str, dict[str, object]]:
    """Each task's last report (the store's newest version, else the newest approved one): what a form starts from.

    draft_* carry the notes of a store version for the current period that was returned or still awaits review,
    so a resubmission starts from what was sent; otherwise the notes start empty (they describe this period).
    """
    from .tasks import approved_reports

    period = current_period(engine)
    approved = approved_reports(engine, ledger)
    approved = approved[approved["task_id"].isin(task_ids)].groupby("task_id").tail(1).set_index("task_id")
    f = ledger.frame[ledger.frame["task_id"].isin(task_ids)]
    newest = f.sort_values(["period", "version"]).groupby("task_id").tail(1).set_index("task_id")
    out: dict[str, dict[str, object]] = {}
    for tid in task_ids:
        src = newest.loc[tid] if tid in newest.index else approved.loc[tid] if tid in approved.index else None
        if src is None:
            continue
        if tid in newest.index and tid in approved.index and approved.at[tid, "period"] > newest.at[tid, "period"]:
            src = approved.loc[tid]
        rec = {k: src[k] for k in ("progress_pct", "state", "progress_note", "issues", "next_steps", "evidence")}
        done = src["completed_on"]
        rec["completed_on"] = date.fromisoformat(done) if isinstance(done, str) else done if pd.notna(done) else None
        rec["period"] = src["period"]
        # A version for this period still awaiting review or returned: the form starts from what was sent.
        if src["period"] == period and src.get("review_state") in ("pending", "returned"):
            rec.update(
                draft_note=src["progress_note"],
                draft_issues=src["issues"],
                draft_next=src["next_steps"],
                draft_evidence=src["evidence"],
            )
        out[tid] = rec
    return out


# -- the workbook ----------------------------------------------------------------------------------------
def template_bytes(
    engine: Engine, party: str, lang: str = "zh", plan_id: str | None = None, ledger: Ledger | None = None
) -> bytes:
    """The party's template: a title row, a note, the header (Chinese column names) and one row per task."""
    rows = prefill(engine, party, plan_id, ledger)
    ds = contract(engine)
    title_col = f"title_{norm_lang(lang)}"
    shown = ["task_id", title_col, "last_note", *REPORT_COLUMNS[1:]]
    period = current_period(engine)
    party_name = engine.labels("lead_party", lang).get(party, party)
    buf = io.BytesIO()
    wb = xlsxwriter.Workbook(buf, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    base = {"font_name": "Microsoft YaHei", "font_size": 10, "valign": "top"}
    text, quoted = wb.add_format(base), wb.add_format({**base, "quote_prefix": True})
    ref = wb.add_format({**base, "font_color": "#6b7785", "bg_color": "#f4f6f8", "text_wrap": True})
    header = wb.add_format({**base, "bold": True, "bg_color": "#e8eef4", "bottom": 1, "text_wrap": True})
    ws = wb.add_worksheet(SHEET)
    ws.write_string(
        0,
        0,
        tr("template.title", lang, party=party_name, period=period),
        wb.add_format({**base, "bold": True, "font_size": 13}),
    )
    due = deadline(engine.config, period).isoformat()
    states = [state_label(s, lang) for s in STATES]
    ws.write_string(1, 0, tr("template.note", lang, deadline=due, states=join_items(states, lang)), text)
    for c, name in enumerate(shown):
        ws.write_string(2, c, ds.column(name).name_zh, header)
        ws.set_column(
            c,
            c,
            {"task_id": 9, title_col: 36, "last_note": 30, "period": 9}.get(
                name, 14 if name in ("progress_pct", "state", "completed_on") else 32
            ),
        )
    for r, row in enumerate(rows.to_dict("records"), start=3):
        for c, name in enumerate(shown):
            value = row[name]
            if name == "state":
                value = state_label(str(value), lang)
            fmt = ref if name in (title_col, "last_note", "task_id") else text
            if value is None or (isinstance(value, float) and pd.isna(value)) or value == "":
                ws.write_blank(r, c, None, fmt)
            elif isinstance(value, int):
                ws.write_number(r, c, value, fmt)
            elif isinstance(value, date):
                ws.write_string(r, c, value.isoformat(), fmt)
            else:
                s = str(value)
                ws.write_string(r, c, s, quoted if s.startswith(TRIGGERS) else fmt)
    last = max(len(rows) + 2, 3)
    pc, sc = shown.index("progress_pct"), shown.index("state")
    ws.data_validation(3, pc, last, pc, {"validate": "integer", "criteria": "between", "minimum": 0, "maximum": 100})
    ws.data_validation(3, sc, last, sc, {"validate": "list", "source": states})
    ws.freeze_panes(3, 2)
    wb.close()
    return buf.getvalue()


def template_name(engine: Engine, party: str) -> str:
    """The file name of a party's template: report-<party>-<period>.xlsx."""
    return f"report-{party}-{current_period(engine)}.xlsx"


# -- the upload ---------------------------------------------------------------------------------------------
@dataclass
class UploadResult:
    """What an uploaded template came to: stored reports, or every problem (and nothing stored)."""

    file_name: str
    rows: int = 0
    skipped: int = 0
    stored: list[Stored] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def problems_frame(self) -> pd.DataFrame:
        """The problems as a table: file, row, column, value, reason."""
        return pd.DataFrame([p.as_dict() for p in self.problems], columns=["file", "row", "column", "value", "reason"])


def _state_id(text: str) -> str:
    """A state written as its id or its label in either language."""
    value = text.strip()
    for s in STATES:
        if value in (s, state_label(s, "zh"), state_label(s, "en")):
            return s
    return value or "on_track"


def _cell(typed: pd.DataFrame, i: int, name: str) -> object:
    v = typed.at[i, name] if name in typed.columns else None
    return None if v is None or (not isinstance(v, str) and pd.isna(v)) else v


def upload_reports(desk: Desk, user: str, data: bytes, file_name: str, lang: str = "zh") -> UploadResult:
    """Read, check and (when every row is valid) store an uploaded template, all in one transaction."""
    label = file_name or "(upload)"
    result = UploadResult(label)
    try:
        desk.reporter_party(user)
    except Refused as e:
        result.problems = [Problem(label, None, None, None, e.text(lang))]
        return result
    ds = contract(desk.engine)
    try:
        raw = read_upload(data, label, expected=header_keys(ds))
    except UploadError as e:
        result.problems = [Problem(label, None, None, None, str(e))]
        return result
    frame = map_headers(raw.frame, ds)
    for c in ds.columns:  # a column the file leaves out is empty, unless the upload cannot do without it
        if c.name not in frame.columns and c.name not in NEEDED:
            frame[c.name] = ""
    typed, problems = validate_table(frame, ds, label)
    problems = raw.problems + problems
    bad_rows = {p.row for p in problems}
    drafts: list[tuple[int, Draft]] = []
    for i in typed.index:
        row = i + 2  # contracts.FIRST_DATA_LINE: the row number in the file
        note = _cell(typed, i, "progress_note")
        if row in bad_rows or not str(note or "").strip():
            result.skipped += row not in bad_rows
            continue
        month = _cell(typed, i, "period")
        done = _cell(typed, i, "completed_on")
        progress = _cell(typed, i, "progress_pct")
        draft = Draft(
            task_id=str(_cell(typed, i, "task_id") or ""),
            period=f"{month:%Y-%m}" if isinstance(month, (datetime, pd.Timestamp)) else str(month or ""),
            progress_pct=int(cast(float, progress)) if progress is not None else -1,  # typed: a number or None
            state=_state_id(str(_cell(typed, i, "state") or "")),
            completed_on=done.date() if isinstance(done, (datetime, pd.Timestamp)) else None,
            progress_note=str(note),
            issues=str(_cell(typed, i, "issues") or ""),
            next_steps=str(_cell(typed, i, "next_steps") or ""),
            evidence=links(str(_cell(typed, i, "evidence") or "")),
        )
        if progress is None:
            problems.append(Problem(label, row, "progress_pct", "", tr("template.progress_required", lang)))
            continue
        try:
            desk.check(user, draft)
        except Refused as e:
            problems.append(Problem(label, row, e.column, None, e.text(lang)))
            continue
        drafts.append((row, draft))
    result.rows = len(typed.index)
    seen: dict[tuple[str, str], int] = {}
    for row, d in drafts:
        key = (d.task_id, d.period)
        if key in seen:
            problems.append(
                Problem(
                    label, row, "task_id", d.task_id, tr("refusal.duplicate_row", lang, task=d.task_id, period=d.period)
                )
            )
        seen.setdefault(key, row)
    if not drafts and not problems:
        problems.append(Problem(label, None, "progress_note", None, tr("template.nothing_filled", lang)))
    if problems:
        result.problems = sorted(problems, key=lambda p: (p.row or 0, p.column or ""))
        return result
    try:
        result.stored = desk.submit_many(user, [d for _, d in drafts], "excel")
    except Refused as e:  # a check that needs the store (a concurrent writer): still all or nothing
        result.problems = [Problem(label, None, e.column, None, e.text(lang))]
    return result
