"""Progress reports (填报) and their review: every check and every write, one code path for the dashboard's page,
the Excel upload and the CLI.

    desk = Desk(engine, store, roles)
    desk.submit("alice", Draft("T001", "2023-08", 60, progress_note="..."), source="cli")   # Refused, or stored
    desk.review("dave", "T001", "2023-08", "approved", comment="")

A report is pending until a reviewer approves it or returns it with a comment; the reporter then resubmits (a new
version). Rows are never updated: every version and every review is kept, and each write appends to the store's
audit chain in the same transaction, so a refusal or a crash stores nothing at all. Only approved reports change
a task's official status (metrics.tasks).
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import UTC, date, datetime
from functools import cached_property

import pandas as pd

from .columns import column_label
from .config import Label
from .cycle import PeriodError, check_period, current_period, period_of, today
from .engine import Engine
from .i18n import tr
from .roles import Roles
from .userstore import Store, StoreConflict, Tx, audit, open_store

STATES = ("on_track", "at_risk", "blocked", "completed")
DECISIONS = ("approved", "returned")
SOURCES = ("dashboard", "excel", "cli")
REVIEW_STATES = ("pending", "approved", "returned", "superseded")
MAX_TEXT = 2000  # characters in one note
MAX_LINKS = 10
MAX_LINK = 500
LINK = re.compile(r"^https?://[^\s<>\"'`\\]+$", re.IGNORECASE)
# Text fields and what they are called in refusals.
TEXTS = ("progress_note", "issues", "next_steps")
LEDGER_COLUMNS = [
    "task_id",
    "period",
    "version",
    "party",
    "progress_pct",
    "state",
    "completed_on",
    "progress_note",
    "issues",
    "next_steps",
    "evidence",
    "reporter",
    "source",
    "submitted_at",
    "decision",
    "reviewer",
    "comment",
    "reviewed_at",
    "review_state",
]


class Refused(ValueError):
    """A report or review that may not be stored. code names the rule (refusal.<code> in strings.yaml)."""

    def __init__(self, code: str, column: str | None = None, **values: object) -> None:
        self.code, self.column, self.values = code, column, values
        super().__init__(self.text("en"))

    def text(self, lang: str) -> str:
        """The refusal in lang, one line."""
        shown = {k: v.text(lang) if isinstance(v, Label) else v for k, v in self.values.items()}
        return tr(f"refusal.{self.code}", lang, **shown)


@dataclass(frozen=True)
class Draft:
    """What a reporter fills in for one task and period."""

    task_id: str
    period: str
    progress_pct: int
    state: str = "on_track"
    completed_on: date | None = None
    progress_note: str = ""
    issues: str = ""
    next_steps: str = ""
    evidence: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Stored:
    """Where a write landed: the task, the period and the version."""

    task_id: str
    period: str
    version: int
    action: str  # report.submit, report.approve, report.return


@dataclass(frozen=True)
class Ledger:
    """The store's reports at one moment: every version with its review (LEDGER_COLUMNS), and their count."""

    frame: pd.DataFrame
    version: tuple[str, int, int]  # (the store's URL, report versions, reviews): a cache key for what depends on it

    @cached_property
    def digest(self) -> int:
        """A hash of the rows: two stores at one URL with equal counts (a database recreated) never share a key."""
        return int(pd.util.hash_pandas_object(self.frame.astype(str), index=False).sum()) if len(self.frame) else 0


def now_text() -> str:
    """A moment as the store keeps it: UTC, ISO 8601, to the millisecond."""
    return datetime.now(UTC).isoformat(timespec="milliseconds")


# -- reading ---------------------------------------------------------------------------------------------
def default_store(engine: Engine, *, create: bool = False) -> Store | None:
    """The user store of the engine's data dir ($CHUANYU_DATABASE_URL wins); None if it does not exist yet."""
    return open_store(engine.paths.data_dir, create=create)


def read_version(store: Store | None) -> tuple[str, int, int]:
    """(store URL, report versions, reviews): a cheap key that changes with every submission and review."""
    if store is None:
        return ("", 0, 0)
    with store.transaction(write=False) as tx:
        row = tx.query("report_counts")[0]
    return store.url, int(str(row["reports"])), int(str(row["reviews"]))


def _review_states(df: pd.DataFrame) -> pd.Series:
    """pending / approved / returned, and superseded for an unreviewed version a newer one replaced."""
    state = df["decision"].where(df["decision"].notna(), "pending")
    newest = df.groupby(["task_id", "period"])["version"].transform("max")
    return state.where((state != "pending") | (df["version"] == newest), "superseded")


def read_ledger(store: Store | None) -> Ledger:
    """Every report version in the store with its review state (empty without a store)."""
    if store is None:
        return Ledger(pd.DataFrame(columns=LEDGER_COLUMNS), ("", 0, 0))
    with store.transaction(write=False) as tx:
        counts = tx.query("report_counts")[0]
        rows = tx.query("report_all")
    df = pd.DataFrame(rows, columns=LEDGER_COLUMNS[:-1])
    df["review_state"] = _review_states(df) if len(df) else pd.Series(dtype=object)
    return Ledger(df[LEDGER_COLUMNS], (store.url, int(str(counts["reports"])), int(str(counts["reviews"]))))


def current_ledger(engine: Engine) -> Ledger:
    """The ledger of the engine's store, read now."""
    return read_ledger(default_store(engine))


def data_reports(engine: Engine) -> pd.DataFrame:
    """The approved reports the data holds (task_reports), typed once per data version."""

    def load() -> pd.DataFrame:
        df = engine.table("task_reports")
        df["period"] = pd.to_datetime(df["period"]).dt.strftime("%Y-%m")
        for col in ("completed_on", "submitted_on", "approved_on"):
            df[col] = pd.to_datetime(df[col]).dt.date
        return df.sort_values(["task_id", "period"]).reset_index(drop=True)

    return engine.cached(("data-reports",), load)


def links(text: str | Iterable[str] | None) -> tuple[str, ...]:
    """Evidence links from a list, or from text with one link per line (or separated by spaces)."""
    if text is None:
        return ()
    items = re.split(r"\s+", text) if isinstance(text, str) else [s for t in text for s in re.split(r"\s+", str(t))]
    return tuple(s for s in items if s)


def find_task(engine: Engine, task_id: str) -> pd.Series:
    """One task's row (of any plan), named by its id; Refused when there is no such task."""
    tasks = engine.cached(("tasks-by-id",), lambda: engine.table("tasks").set_index("task_id"))
    key = str(task_id or "").strip()
    if key not in tasks.index:
        raise Refused("unknown_task", "task_id", task=key[:40])
    return tasks.loc[key]


# -- checking --------------------------------------------------------------------------------------------
def _field(column: str) -> Label:
    """A field's name in both languages, for refusals."""
    return Label(zh=column_label(None, column, "zh"), en=column_label(None, column, "en"))


def _clean(text: str | None, column: str, required: bool) -> str:
    """A note as stored: line breaks normalised, blanks trimmed; Refused for controls, length or absence."""
    value = (text or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if any(unicodedata.category(ch) in ("Cc", "Cf") and ch not in "\n\t" for ch in value):
        raise Refused("control_characters", column, field=_field(column))
    if len(value) > MAX_TEXT:
        raise Refused("too_long", column, field=_field(column), limit=MAX_TEXT)
    if required and not value:
        raise Refused("note_required", column, field=_field(column))
    return value


def _check_links(items: tuple[str, ...]) -> tuple[str, ...]:
    if len(items) > MAX_LINKS:
        raise Refused("too_many_links", "evidence", limit=MAX_LINKS)
    for link in items:
        if len(link) > MAX_LINK or not LINK.match(link):
            raise Refused("bad_link", "evidence", link=link[:80])
    return items


class Desk:
    """Submissions and reviews, checked against one engine (tasks, clock), one store and the role settings."""

    def __init__(self, engine: Engine, store: Store, roles: Roles) -> None:
        self.engine, self.store, self.roles = engine, store, roles
        self.config = engine.config

    # -- lookups ---------------------------------------------------------------------------------------
    def task(self, task_id: str) -> pd.Series:
        """One task's row; Refused when there is no such task."""
        return find_task(self.engine, task_id)

    def party_label(self, party: str) -> Label:
        """A party's name in both languages (for refusals)."""
        labels = self.config.dimensions["lead_party"].labels or {}
        return labels.get(party, Label(zh=party, en=party))

    def current_period(self) -> str:
        """The period today falls in."""
        return current_period(self.engine)

    def period(self, text: str, task: pd.Series | None = None) -> str:
        """A period the cycle knows and that has begun (and, for a task, not before it starts)."""
        try:
            period = check_period(self.config, text, self.current_period())
        except PeriodError as e:
            raise Refused("bad_period", "period", reason=str(e)) from None
        if task is not None:
            first = period_of(self.config, pd.Timestamp(task["start_date"]).date())
            if period < first:
                raise Refused("before_start", "period", task=task.name, period=period, first=first)
        return period

    def reporter_party(self, user: str) -> str:
        """The party a user reports for; Refused when they are not a reporter."""
        party = self.roles.party_of(user)
        if party is None:
            raise Refused("not_reporter", None, user=user)
        return party

    # -- checks that need no store ----------------------------------------------------------------------
    def check(self, user: str, draft: Draft) -> tuple[str, Draft]:
        """The reporter's party and the draft as it will be stored; Refused with the first rule it breaks."""
        party = self.reporter_party(user)
        task = self.task(draft.task_id)
        if task["reporting_party"] != party:
            raise Refused(
                "wrong_party",
                "task_id",
                user=user,
                party=self.party_label(party),
                task=task.name,
                owner=self.party_label(str(task["reporting_party"])),
            )
        period = self.period(draft.period, task)
        progress = draft.progress_pct
        if isinstance(progress, bool) or not isinstance(progress, int) or not 0 <= progress <= 100:
            raise Refused("bad_progress", "progress_pct", value=progress)
        if draft.state not in STATES:
            raise Refused("bad_state", "state", state=str(draft.state)[:40], states=", ".join(STATES))
        done = draft.completed_on
        if draft.state == "completed":
            if progress != 100:
                raise Refused("completed_not_100", "progress_pct", value=progress)
            done = done or today(self.engine)
            start = pd.Timestamp(task["start_date"]).date()
            if not start <= done <= today(self.engine):
                raise Refused("bad_completion", "completed_on", day=done.isoformat(), start=start.isoformat())
        elif done is not None:
            raise Refused("completion_without_state", "completed_on")
        notes = {c: _clean(getattr(draft, c), c, c == "progress_note") for c in TEXTS}
        clean = replace(
            draft,
            task_id=str(task.name),
            period=period,
            completed_on=done,
            evidence=_check_links(links(draft.evidence)),
            progress_note=notes["progress_note"],
            issues=notes["issues"],
            next_steps=notes["next_steps"],
        )
        return party, clean

    # -- writes -------------------------------------------------------------------------------------------
    def submit(self, user: str, draft: Draft, source: str = "dashboard") -> Stored:
        """Check and store one report as the next version (pending review), audited; Refused stores nothing."""
        return self.submit_many(user, [draft], source)[0]

    def submit_many(self, user: str, drafts: list[Draft], source: str) -> list[Stored]:
        """Several reports in one transaction: all stored, or (on any refusal) none."""
        if source not in SOURCES:
            raise ValueError(f"unknown source {source!r}")
        checked = [self.check(user, d) for d in drafts]
        seen: set[tuple[str, str]] = set()
        for _, d in checked:
            if (d.task_id, d.period) in seen:
                raise Refused("duplicate_row", "task_id", task=d.task_id, period=d.period)
            seen.add((d.task_id, d.period))
        imported = set(zip(data_reports(self.engine)["task_id"], data_reports(self.engine)["period"], strict=True))
        out = []
        with self._writing() as tx:
            self._sync_roles(tx)
            for party, d in checked:
                version = int(
                    str(tx.query("report_next_version", {"task_id": d.task_id, "period": d.period})[0]["version"])
                )
                version = max(version, 2 if (d.task_id, d.period) in imported else 1)  # the data's report is 1
                tx.execute("report_insert", self._row(d, version, party, user, source))
                audit.append(
                    tx,
                    user,
                    "report.submit",
                    subject=f"{d.task_id}/{d.period}",
                    detail={
                        "version": version,
                        "party": party,
                        "progress_pct": d.progress_pct,
                        "state": d.state,
                        "source": source,
                    },
                )
                out.append(Stored(d.task_id, d.period, version, "report.submit"))
        return out

    @staticmethod
    def _row(d: Draft, version: int, party: str, user: str, source: str) -> dict[str, object]:
        return {
            "task_id": d.task_id,
            "period": d.period,
            "version": version,
            "party": party,
            "progress_pct": d.progress_pct,
            "state": d.state,
            "completed_on": d.completed_on.isoformat() if d.completed_on else None,
            "progress_note": d.progress_note,
            "issues": d.issues,
            "next_steps": d.next_steps,
            "evidence": "\n".join(d.evidence),
            "reporter": user,
            "source": source,
            "submitted_at": now_text(),
        }

    def review(self, user: str, task_id: str, period: str, decision: str, comment: str = "") -> Stored:
        """Approve or return the newest version of a report, audited; Refused stores nothing."""
        if not self.roles.is_reviewer(user):
            raise Refused("not_reviewer", None, user=user)
        task = self.task(task_id)
        period = self.period(period)
        if decision not in DECISIONS:
            raise Refused("bad_decision", None, decision=str(decision)[:40])
        comment = _clean(comment, "comment", decision == "returned")
        with self._writing() as tx:
            self._sync_roles(tx)
            rows = tx.query("report_latest", {"task_id": task.name, "period": period})
            if not rows:
                raise Refused("nothing_to_review", None, task=task.name, period=period)
            latest = rows[0]
            if latest["decision"] is not None:
                raise Refused(
                    "already_reviewed",
                    None,
                    task=task.name,
                    period=period,
                    version=latest["version"],
                    decision=latest["decision"],
                    reviewer=latest["reviewer"],
                )
            if latest["reporter"] == user:
                raise Refused("own_report", None, user=user)
            version = int(str(latest["version"]))
            tx.execute(
                "report_review_insert",
                {
                    "task_id": task.name,
                    "period": period,
                    "version": version,
                    "decision": decision,
                    "reviewer": user,
                    "comment": comment,
                    "reviewed_at": now_text(),
                },
            )
            action = "report.approve" if decision == "approved" else "report.return"
            audit.append(
                tx,
                user,
                action,
                subject=f"{task.name}/{period}",
                detail={"version": version, "reporter": latest["reporter"], "comment": comment},
            )
        return Stored(str(task.name), period, version, action)

    # -- roles ---------------------------------------------------------------------------------------------
    def _sync_roles(self, tx: Tx) -> bool:
        """Audit a change of reporter or reviewer assignments since the store last saw them; True if changed."""
        rows = tx.query("role_snapshot_get")
        digest = self.roles.digest()
        if rows and rows[0]["digest"] == digest:
            return False
        before = set(json.loads(str(rows[0]["entries"]))) if rows else set()
        after = set(self.roles.entries())
        audit.append(
            tx,
            "(settings)",
            "roles.change",
            detail={"added": sorted(after - before), "removed": sorted(before - after)},
        )
        tx.execute("role_snapshot_set", {"digest": digest, "entries": json.dumps(sorted(after))})
        return True

    def sync_roles(self) -> bool:
        """_sync_roles in its own transaction, written only when the assignments changed."""
        with self.store.transaction(write=False) as tx:
            rows = tx.query("role_snapshot_get")
        if rows and rows[0]["digest"] == self.roles.digest():
            return False
        with self._writing() as tx:
            return self._sync_roles(tx)

    @contextmanager
    def _writing(self) -> Iterator[Tx]:
        """A write transaction; a constraint a concurrent writer hit surfaces as a refusal, not a traceback."""
        try:
            with self.store.transaction() as tx:
                yield tx
        except StoreConflict:
            raise Refused("conflict", None) from None
