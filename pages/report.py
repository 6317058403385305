"""任务填报 Report progress: a reporter reports on the tasks their party reports on; a reviewer works the queue.

Every check runs in metrics.reports (the same desk as the CLI and the Excel upload): the page only draws what the
signed-in person may do, and a request for another party's task (a crafted ?task=, or a stale form) is refused
there and stores nothing. User text is drawn with st.text and tables, never as Markdown or HTML.
"""

from datetime import date

import pandas as pd
import streamlit as st

from metrics.cycle import current_period, today
from metrics.i18n import tr
from metrics.report_template import last_reports, template_bytes, template_name, upload_reports
from metrics.reports import STATES, Desk, Draft, Refused, default_store, links
from metrics.supervision import period_status, report_history, review_queue
from metrics.tasks import state_label
from metrics.userstore import StoreError
from ui.access import login_form, oidc_button, oidc_email, settings, show_problems, sign_out, signed_in
from ui.page import start
from ui.supervision import ledger, plan_caption, reports_version, status_table

FLASH = "report-flash"  # a message kept across the rerun that follows a submission or a review

engine, sel = start("report")
lang = sel.lang
cfg = settings()
who = signed_in(cfg)
if who is None:
    st.info(tr("ui.report_sign_in", lang), icon=":material/lock:")
    show_problems(cfg, lang)
    email = oidc_email() if cfg.oidc else None
    if cfg.oidc and email:
        st.error(tr("ui.oidc_not_viewer", lang, email=email), icon=":material/block:")
        sign_out(cfg, lang, key="report-sign-out")
    elif cfg.oidc:
        oidc_button(cfg, lang, key="report-oidc")
    else:
        login_form(cfg, lang, role="viewer", key="report-login")
    st.stop()

user = who.name  # signed in from here on
roles = cfg.roles
party = roles.party_of(who.name)
reviewer = roles.is_reviewer(who.name)
party_name = engine.labels("lead_party", lang).get(party or "", party or "")
role_text = " · ".join(
    [tr("ui.report_role_reporter", lang, party=party_name)] * bool(party)
    + [tr("ui.report_role_reviewer", lang)] * reviewer
)
st.caption(tr("ui.report_signed_in", lang, user=who.name, roles=role_text or tr("ui.report_role_none", lang)))
if not cfg.require_login:  # with viewing closed, the sidebar already has the sign-out button
    sign_out(cfg, lang, key="report-sign-out")
if not party and not reviewer:
    st.info(tr("ui.report_no_role", lang, user=who.name), icon=":material/info:")
    st.stop()
try:
    store = default_store(engine, create=True)
    assert store is not None
except StoreError:
    st.error(tr("ui.report_store_error", lang), icon=":material/error:")
    st.stop()
desk = Desk(engine, store, roles)
desk.sync_roles()  # a change of role since the store last looked is audited once, by whoever notices first
flash = st.session_state.pop(FLASH, None)
if flash:
    st.success(flash, icon=":material/check_circle:")
version = reports_version(engine)
lg = ledger(engine, version)
plan_caption(engine, sel)
period = current_period(engine)
due = desk.config.reporting.deadline_day


def done(message: str) -> None:
    """Keep a message for the next run and rerun, so every table shows the new report."""
    st.session_state[FLASH] = message
    st.rerun()


def show_notes(row: pd.Series | dict, prefix: str = "") -> None:
    """A report's notes as plain text, each under its label."""
    for field in ("progress_note", "issues", "next_steps", "evidence"):
        text = str(row.get(prefix + field) or "").strip()
        if text:
            st.caption(tr(f"col.{field}", lang))
            st.text(text)


def history(task_id: str) -> None:
    """Every version of the task's reports, newest first, as a table of plain cells."""
    h = report_history(engine, task_id, lg).iloc[::-1]
    if h.empty:
        return
    shown = pd.DataFrame(
        {
            tr("col.period", lang): h["period"],
            tr("col.version", lang): h["version"],
            tr("col.progress_pct", lang): h["progress_pct"],
            tr("col.state_label", lang): [state_label(s, lang) for s in h["state"]],
            tr("col.review_state_label", lang): [tr(f"review_state.{s}", lang) for s in h["review_state"]],
            # A report awaiting review has no comment yet: blank, not "None".
            tr("col.review_comment", lang): h["review_comment"].fillna(""),
            tr("col.progress_note", lang): h["progress_note"].fillna(""),
            tr("col.issues", lang): h["issues"].fillna(""),
            tr("col.next_steps", lang): h["next_steps"].fillna(""),
            tr("col.reporter", lang): h["reporter"],
        }
    )
    st.caption(tr("ui.report_history", lang, task=task_id))
    st.dataframe(shown, hide_index=True, key=f"report-history-{task_id}", height=min(38 + 35 * len(shown), 320))


def reporter_view(party: str) -> None:
    """This period's tasks of the party, one form pre-filled from the last report, and the Excel template."""
    ps = period_status(engine, period, sel.plan, lg, lang)
    mine = ps.tasks[ps.tasks["reporting_party"] == party].reset_index(drop=True)
    st.subheader(tr("ui.report_mine", lang, party=party_name, period=period))
    st.caption(tr("ui.report_mine_note", lang, deadline=ps.deadline.isoformat(), day=due))
    st.dataframe(
        pd.DataFrame(
            {
                # The status before the title: on a phone the title is what scrolls out of view.
                tr("col.task_id", lang): mine["task_id"],
                tr("col.period_status_label", lang): mine["status_label"],
                tr("col.title", lang): mine["title"],
            }
        ),
        hide_index=True,
        key="report-mine",
        height=min(38 + 35 * max(len(mine), 1), 320),
    )
    crafted = st.query_params.get("task")  # a link to one task; the desk decides whether it may be reported
    order = sorted(mine["task_id"], key=lambda t: (mine.set_index("task_id").at[t, "status"] == "approved", t))
    if crafted:
        task_id = str(crafted).strip()
    elif order:
        task_id = st.selectbox(
            tr("ui.report_task", lang),
            order,
            format_func=lambda t: f"{t} {mine.set_index('task_id').at[t, 'title']}",
            key=f"report-task-{sel.plan}",
        )
    else:
        st.info(tr("ui.report_nothing_due", lang, period=period), icon=":material/event_available:")
        return
    form(task_id)
    history(task_id)
    excel(party)


def form(task_id: str) -> None:
    """The report form for one task, pre-filled from its last report."""
    last = last_reports([task_id], engine, lg).get(task_id, {})
    returned = lg.frame[(lg.frame["task_id"] == task_id) & (lg.frame["period"] == period)].tail(1)
    if len(returned) and returned["review_state"].iloc[0] == "returned":
        st.warning(tr("ui.report_was_returned", lang, reviewer=returned["reviewer"].iloc[0]), icon=":material/undo:")
        st.text(str(returned["comment"].iloc[0]))
    key = f"report-{task_id}-{version[1]}-{version[2]}"
    with st.form(key):
        st.caption(tr("ui.report_form_for", lang, task=task_id, period=period))
        c1, c2, c3 = st.columns(3)
        progress = c1.number_input(
            tr("col.progress_pct", lang),
            min_value=0,
            max_value=100,
            step=1,
            value=int(str(last.get("progress_pct", 0))),
        )
        state = c2.selectbox(
            tr("col.state_label", lang),
            STATES,
            index=STATES.index(str(last.get("state") or "on_track")),
            format_func=lambda s: state_label(s, lang),
        )
        finished = last.get("completed_on")
        completed_on = c3.date_input(
            tr("ui.report_completed_on", lang), value=finished if isinstance(finished, date) else today(engine)
        )
        note = st.text_area(tr("col.progress_note", lang), value=str(last.get("draft_note", "")), max_chars=2000)
        issues = st.text_area(tr("col.issues", lang), value=str(last.get("draft_issues", "")), max_chars=2000)
        steps = st.text_area(tr("col.next_steps", lang), value=str(last.get("draft_next", "")), max_chars=2000)
        evidence = st.text_area(
            tr("col.evidence", lang),
            value=str(last.get("draft_evidence", "")),
            help=tr("ui.report_evidence_help", lang),
        )
        submitted = st.form_submit_button(tr("ui.report_submit", lang), type="primary")
    if not submitted:
        return
    draft = Draft(
        task_id=task_id,
        period=period,
        progress_pct=int(progress),
        state=str(state),
        completed_on=completed_on if state == "completed" and isinstance(completed_on, date) else None,
        progress_note=note,
        issues=issues,
        next_steps=steps,
        evidence=links(evidence),
    )
    try:
        stored = desk.submit(user, draft, source="dashboard")
    except Refused as e:
        st.error(e.text(lang), icon=":material/block:")
        return
    done(tr("ui.report_stored", lang, task=stored.task_id, period=stored.period, version=stored.version))


def excel(party: str) -> None:
    """The party's template to download, and a filled-in one to upload (all rows or none)."""
    with st.expander(tr("ui.report_excel", lang), icon=":material/table_view:"):
        st.caption(tr("ui.report_excel_note", lang))
        st.download_button(
            tr("ui.report_template", lang),
            data=lambda: template_bytes(engine, party, lang, sel.plan, lg),
            file_name=template_name(engine, party),
            mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            key="report-template",
            icon=":material/download:",
        )
        upload = st.file_uploader(tr("ui.report_upload", lang), type=["xlsx", "csv"], key=f"report-upload-{version[1]}")
        if upload is not None and st.button(
            tr("ui.report_upload_button", lang), key="report-upload-go", type="primary"
        ):
            result = upload_reports(desk, user, upload.getvalue(), upload.name, lang)
            if result.ok:
                done(tr("ui.report_uploaded", lang, n=len(result.stored), skipped=result.skipped))
            st.error(tr("ui.report_upload_refused", lang, n=len(result.problems)), icon=":material/block:")
            st.dataframe(result.problems_frame(), hide_index=True, key="report-upload-problems")


def reviewer_view() -> None:
    """Reports awaiting review, each beside the report before it, with approve and return."""
    st.subheader(tr("ui.review_queue", lang, period=period))
    status_table(engine, sel, period_status(engine, period, sel.plan, lg, lang), key="review-status")
    queue = review_queue(engine, sel.plan, lg, lang)
    if queue.empty:
        st.success(tr("ui.review_none", lang), icon=":material/inbox:")
        return
    for r in queue.to_dict("records"):
        ident = f"{r['task_id']}-{r['period']}-{r['version']}"
        with st.container(border=True, key=f"review-{ident}"):
            st.text(
                tr(
                    "ui.review_item",
                    lang,
                    task=r["task_id"],
                    title=r["title"],
                    party=r["reporting"],
                    period=r["period"],
                    version=r["version"],
                )
            )
            new, old = st.columns(2)
            with new:
                st.caption(tr("ui.review_new", lang, reporter=r["reporter"]))
                st.text(f"{r['progress_pct']}% · {state_label(r['state'], lang)}")
                show_notes(r)
            with old:
                if r["prev_period"] is None:
                    st.caption(tr("ui.review_no_previous", lang))
                else:
                    st.caption(tr("ui.review_previous", lang, period=r["prev_period"], version=r["prev_version"]))
                    st.text(f"{r['prev_progress_pct']}% · {state_label(r['prev_state'], lang)}")
                    if r["prev_progress_note"]:
                        st.caption(tr("col.progress_note", lang))
                        st.text(r["prev_progress_note"])
            comment = st.text_input(tr("col.review_comment", lang), key=f"review-comment-{ident}", max_chars=2000)
            a, b = st.columns(2)
            approve = a.button(tr("ui.review_approve", lang), key=f"review-approve-{ident}", type="primary")
            back = b.button(tr("ui.review_return", lang), key=f"review-return-{ident}")
            if approve or back:
                decision = "approved" if approve else "returned"
                try:
                    desk.review(user, r["task_id"], r["period"], decision, comment)
                except Refused as e:
                    st.error(e.text(lang), icon=":material/block:")
                    continue
                key = "ui.review_done_approved" if approve else "ui.review_done_returned"
                done(tr(key, lang, task=r["task_id"], period=r["period"]))


if party and reviewer:
    mine_tab, queue_tab = st.tabs([tr("ui.report_tab_mine", lang), tr("ui.report_tab_queue", lang)])
    with mine_tab:
        reporter_view(party)
    with queue_tab:
        reviewer_view()
elif party:
    reporter_view(party)
else:
    reviewer_view()
