"""tasks: list a plan's tasks, report progress, review reports, show a task's history, the Excel template.

The same desk as the dashboard's 任务填报 page (metrics.reports): `--user NAME` is checked against the reporter and
reviewer settings (.streamlit/secrets.toml [access] or CHUANYU_REPORTERS / CHUANYU_REVIEWERS); a refusal is one
line on stderr, exit 2, and stores nothing. The CLI runs on the server, so it trusts the name it is given, as
`ingest --user` does; the audit records it.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date
from pathlib import Path

import pandas as pd

from ..auth import AuthConfigError, load_access
from ..columns import localise_headers
from ..engine import Engine
from ..report_template import template_bytes, upload_reports
from ..reports import STATES, Desk, Draft, Refused, current_ledger, default_store, find_task
from ..roles import Roles
from ..supervision import period_status, report_history
from ..tasks import task_table
from ..userstore import Store, StoreError
from .cmd_ingest import read_input
from .common import CliError, add_format_arg, add_lang_arg, emit, engine_from, render_table, write_bytes

LIST_FIELDS = [
    "task_id",
    "plan_id",
    "area_id",
    "title",
    "lead_party",
    "reporting_party",
    "status",
    "progress_pct",
    "last_report_period",
    "review_state",
    "period_status",
    "start_date",
    "due_date",
    "completion_date",
    "overdue",
]
SHOWN = ["task_id", "title", "reporting", "status_label", "progress_pct", "last_report_period", "review_state"]


def _roles() -> Roles:
    try:
        return load_access().roles
    except AuthConfigError as e:
        raise CliError(str(e)) from None


def _store(engine: Engine) -> Store:
    try:
        store = default_store(engine, create=True)
    except StoreError as e:
        raise CliError(str(e)) from None
    assert store is not None
    return store


def _desk(engine: Engine) -> Desk:
    return Desk(engine, _store(engine), _roles())


def _refused(e: Refused) -> CliError:
    return CliError(e.text("en"))


def _iso(v: object) -> object:
    return v.isoformat() if isinstance(v, date) else None if v is None or (isinstance(v, float) and pd.isna(v)) else v


def _json(records: list[dict[str, object]], output: str | None) -> None:
    text = json.dumps([{k: _iso(v) for k, v in r.items()} for r in records], ensure_ascii=False, indent=2)
    write_bytes((text + "\n").encode("utf-8"), output)


def cmd_list(args: argparse.Namespace) -> int:
    """Every task of a plan with derived status, latest approved progress and where its reporting stands."""
    engine = engine_from(args)
    ledger = current_ledger(engine)
    tasks = task_table(engine, args.lang, args.plan, ledger)
    ps = period_status(engine, None, args.plan, ledger, args.lang)
    owed = dict(zip(ps.tasks["task_id"], ps.tasks["status"], strict=True))
    tasks["period_status"] = tasks["task_id"].map(owed)
    if args.user:
        party = _roles().party_of(args.user)
        if party is not None:  # a reporter sees the tasks their party reports on, as on the page
            tasks = tasks[tasks["reporting_party"] == party]
    if args.party:
        tasks = tasks[tasks["reporting_party"] == args.party]
    if args.format == "json":
        _json(tasks[LIST_FIELDS].to_dict("records"), args.output)
        return 0
    emit(tasks[LIST_FIELDS], args.format, args.output, table=localise_headers(tasks[SHOWN], engine.config, args.lang))
    return 0


def cmd_report(args: argparse.Namespace) -> int:
    """Submit one report (pending review)."""
    engine = engine_from(args)
    done = None
    if args.completed_on:
        try:
            done = date.fromisoformat(args.completed_on)
        except ValueError:
            raise CliError(f"--completed-on must be a date YYYY-MM-DD, got {args.completed_on!r}") from None
    state = args.state or ("completed" if args.progress == 100 and done else "on_track")
    draft = Draft(
        task_id=args.task,
        period=args.period,
        progress_pct=args.progress,
        state=state,
        completed_on=done,
        progress_note=args.note,
        issues=args.issues or "",
        next_steps=args.next or "",
        evidence=tuple(args.evidence or ()),
    )
    try:
        stored = _desk(engine).submit(args.user, draft, source="cli")
    except Refused as e:
        raise _refused(e) from None
    print(f"stored: {stored.task_id} {stored.period} version {stored.version}, awaiting review")
    return 0


def cmd_review(args: argparse.Namespace) -> int:
    """Approve or return the newest version of a report."""
    engine = engine_from(args)
    decision = "approved" if args.approve else "returned"
    try:
        stored = _desk(engine).review(args.user, args.task, args.period, decision, args.comment or "")
    except Refused as e:
        raise _refused(e) from None
    print(f"{decision}: {stored.task_id} {stored.period} version {stored.version}")
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    """Every version of every report on one task, with its review."""
    engine = engine_from(args)
    try:
        find_task(engine, args.task)
    except Refused as e:
        raise _refused(e) from None
    df = report_history(engine, args.task.strip(), current_ledger(engine))
    if args.format == "json":
        records = df.to_dict("records")
        for r in records:
            r["evidence"] = [x for x in str(r["evidence"] or "").split("\n") if x]
        _json(records, args.output)
        return 0
    shown = df[["period", "version", "progress_pct", "state", "review_state", "reporter", "progress_note"]]
    emit(df, args.format, args.output, table=shown)
    return 0


def cmd_template(args: argparse.Namespace) -> int:
    """Write a party's Excel template for the current period."""
    engine = engine_from(args)
    party = args.party or (_roles().party_of(args.user) if args.user else None)
    if party is None:
        raise CliError("name the party with --party (or --user, a reporter)")
    if party not in engine.config.reporting.parties:
        raise CliError(f"unknown party {party!r}; use one of {', '.join(engine.config.reporting.parties)}")
    write_bytes(template_bytes(engine, party, args.lang, args.plan), args.output)
    if args.output:
        print(f"wrote {args.output}", file=sys.stderr)
    return 0


def cmd_upload(args: argparse.Namespace) -> int:
    """Read a filled-in template: store every row, or (any problem) none; exit 1 with the problems."""
    engine = engine_from(args)
    data, name = read_input(args.file)
    result = upload_reports(_desk(engine), args.user, data, name, args.lang)
    if result.ok:
        print(
            f"stored: {len(result.stored)} report(s) awaiting review ({result.skipped} row(s) without a note skipped)"
        )
        return 0
    sys.stdout.write(render_table(result.problems_frame()))
    print(f"refused: {len(result.problems)} problem(s) in {Path(name).name}; nothing was stored", file=sys.stderr)
    return 1


def register(sub: argparse._SubParsersAction, parents: list[argparse.ArgumentParser]) -> None:
    """Add tasks list|report|review|history|template|upload."""
    p = sub.add_parser(
        "tasks",
        parents=parents,
        help="a plan's tasks; report progress, review reports, history, Excel template",
        description="Progress reports (填报) with review, as on the dashboard's 任务填报 page. --user NAME is "
        "checked against [access] reporters/reviewers in .streamlit/secrets.toml and CHUANYU_REPORTERS / "
        "CHUANYU_REVIEWERS. Refusals print one line and exit 2; nothing is stored.",
    )
    tasks = p.add_subparsers(dest="tasks_command", metavar="ACTION", parser_class=type(p))
    tasks.required = True

    def action(name: str, help_text: str) -> argparse.ArgumentParser:
        return tasks.add_parser(name, parents=parents, help=help_text, description=help_text)

    a = action("list", "every task of a plan with status, progress and where its reporting stands")
    a.add_argument("--plan", default=None, help="plan id (default: the agreement; see plans.csv)")
    a.add_argument("--party", default=None, help="only the tasks this party reports on")
    a.add_argument("--user", default=None, help="a reporter sees the tasks their party reports on")
    add_lang_arg(a)
    add_format_arg(a)
    a.set_defaults(func=cmd_list)

    a = action("report", "submit a progress report for one task and period (pending until reviewed)")
    a.add_argument("task", help="task id, e.g. T012")
    a.add_argument("--period", required=True, metavar="YYYY-MM", help="the reporting period")
    a.add_argument("--progress", required=True, type=int, metavar="N", help="progress in percent, 0-100")
    a.add_argument("--note", required=True, metavar="TEXT", help="进展情况: what was done")
    a.add_argument("--issues", metavar="TEXT", help="存在问题")
    a.add_argument("--next", metavar="TEXT", help="下一步计划")
    a.add_argument("--state", choices=STATES, help="default on_track (completed with --progress 100 --completed-on)")
    a.add_argument("--completed-on", metavar="YYYY-MM-DD", help="the completion date (state completed)")
    a.add_argument("--evidence", action="append", metavar="URL", help="an evidence link (repeat for more)")
    a.add_argument("--user", required=True, help="the reporter (a name in the reporter settings)")
    a.set_defaults(func=cmd_report)

    a = action("review", "approve or return the newest report on a task for a period")
    a.add_argument("task", help="task id")
    a.add_argument("--period", required=True, metavar="YYYY-MM")
    verdict = a.add_mutually_exclusive_group(required=True)
    verdict.add_argument("--approve", action="store_true", help="approve: the task's official status follows it")
    verdict.add_argument("--return", dest="return_", action="store_true", help="return for resubmission")
    a.add_argument("--comment", default="", metavar="TEXT", help="required when returning")
    a.add_argument("--user", required=True, help="the reviewer")
    a.set_defaults(func=cmd_review)

    a = action("history", "every version of every report on one task, with its review")
    a.add_argument("task", help="task id")
    add_format_arg(a)
    a.set_defaults(func=cmd_history)

    a = action("template", "a party's Excel template for the current period, pre-filled from the last reports")
    a.add_argument("--party", default=None, help="ministry, sichuan or chongqing")
    a.add_argument("--user", default=None, help="a reporter: their party")
    a.add_argument("--plan", default=None, help="plan id (default: the agreement)")
    a.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
    add_lang_arg(a)
    a.set_defaults(func=cmd_template)

    a = action("upload", "store the reports of a filled-in template (all rows valid, or nothing stored)")
    a.add_argument("file", help="the .xlsx (or .csv) file")
    a.add_argument("--user", required=True, help="the reporter")
    add_lang_arg(a)
    a.set_defaults(func=cmd_upload)
