"""The data admin page's widgets: setup help, admin sign-in, contract, upload, report, versions, audit log."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from metrics import Engine
from metrics.auth import AccessSettings
from metrics.i18n import catalogue, norm_lang, tr
from metrics.ingest import MAX_UPLOAD_BYTES, MODES, DatasetEntry, Report
from webserver.uploads import REGISTRY as UPLOADS

from . import access, admin_ops
from .access import Who
from .admin_ops import Outcome

RESULT = "admin_result"  # session_state: the last Outcome, shown until the next action
ROUND = "admin_round"  # session_state: bumped after each action, so confirmations start unticked again
UPLOAD_TYPES = ["csv", "xlsx"]
ENCODING_CHOICES = ["auto", "utf-8", "utf-8-sig", "gb18030", "gbk"]


def draw(engine: Engine, lang: str) -> None:
    """The whole page below its title."""
    cfg = access.settings()
    st.caption(tr("ui.admin_intro", lang))
    if cfg.admin_mode == "none":
        _uploads(allowed=False)
        setup_help(cfg, lang)
        return
    who = sign_in(cfg, lang)
    if who is None:
        _uploads(allowed=False)
        return
    account_bar(cfg, who, lang)
    access.show_details(cfg, lang)
    entries = admin_ops.catalog(engine)
    entry = choose_dataset(entries, lang)
    ingest_tab, versions_tab, audit_tab = st.tabs(
        [tr("ui.tab_ingest", lang), tr("ui.tab_versions", lang), tr("ui.tab_audit", lang)]
    )
    with ingest_tab:
        contract(engine, entry, lang)
        upload(engine, entry["name"], who, lang)
    with versions_tab:
        versions(engine, entry["name"], who, lang)
    with audit_tab:
        audit(engine, lang)


def setup_help(cfg: AccessSettings, lang: str) -> None:
    """No admin configured: say how to configure one, and offer nothing else."""
    st.info(tr("ui.admin_none", lang), icon=":material/admin_panel_settings:")
    access.show_problems(cfg, lang)
    st.code(cfg.setup_help(lang), language=None, wrap_lines=True)


def sign_in(cfg: AccessSettings, lang: str) -> Who | None:
    """The signed-in admin, or None after drawing the way to sign in."""
    who = access.signed_in(cfg)
    if who is not None and who.is_admin:
        return who
    st.subheader(tr("ui.admin_login_title", lang))
    access.show_problems(cfg, lang)
    if cfg.admin_mode == "oidc":
        email = access.oidc_email()
        if email:
            st.error(tr("ui.oidc_not_admin", lang, email=email), icon=":material/block:")
            access.sign_out(cfg, lang, key="admin-sign-out")
        else:
            access.oidc_button(cfg, lang, key="admin-oidc")
        return None
    if who is not None:
        st.info(tr("ui.need_admin", lang, user=who.name), icon=":material/info:")
    access.login_form(cfg, lang, role="admin", key="admin-login")
    return None


def account_bar(cfg: AccessSettings, who: Who, lang: str) -> None:
    """Who is signed in, with the sign-out button."""
    with st.container(horizontal=True, vertical_alignment="center"):
        st.markdown(f":material/verified_user: {tr('ui.signed_in_admin', lang, user=who.name)}")
        access.sign_out(cfg, lang, key="admin-sign-out")


def choice(widget: Callable[..., Any], label: str, options: list, key: str, lang: str, **kw: Any) -> Any:
    """A selectbox or radio whose choice survives a language switch.

    Streamlit keeps such a widget's value as its formatted label, so a label that changes with the language would
    no longer match any option. The widget's key therefore carries the language, and the choice is mirrored under
    the plain key to seed the widget of the other language.
    """
    kept = st.session_state.get(key)
    value = widget(label, options, index=options.index(kept) if kept in options else 0, key=f"{key}-{lang}", **kw)
    st.session_state[key] = value
    return value


def choose_dataset(entries: list[DatasetEntry], lang: str) -> DatasetEntry:
    """The dataset to work on, by its title in lang and its id."""
    by_name = {e["name"]: e for e in entries}
    name = choice(
        st.selectbox,
        tr("ui.dataset_choose", lang),
        list(by_name),
        "admin-dataset",
        lang,
        # .get: a TypedDict reads a key built from lang only through .get (the key is always there).
        format_func=lambda n: f"{by_name[n].get(f'title_{norm_lang(lang)}')} · {n}",
    )
    return by_name[name]


def contract(engine: Engine, entry: DatasetEntry, lang: str) -> None:
    """What the file must contain: the dataset's description and its column contract, with an empty template."""
    st.subheader(tr("ui.contract_title", lang))
    st.write(entry.get(f"description_{norm_lang(lang)}"))  # .get: a key built from lang
    st.caption(
        tr(
            "ui.contract_caption",
            lang,
            file=entry["file"],
            pk=", ".join(entry["primary_key"]),
            as_of=engine.datasets_as_of.get(entry["name"]) or "—",
        )
    )
    st.dataframe(
        admin_ops.contract_frame(entry, lang),
        hide_index=True,
        key=f"admin-contract-{entry['name']}",
        column_config={tr("col.type", lang): st.column_config.TextColumn(width="medium")},
    )
    st.download_button(
        tr("ui.template_download", lang),
        admin_ops.template_csv(entry),
        file_name=f"{entry['name']}.csv",
        mime="text/csv",
        icon=":material/download:",
        key="admin-template",
    )


def _round() -> int:
    return int(st.session_state.get(ROUND, 0))


def _uploads(allowed: bool) -> None:
    """Let this session send files while it shows the uploader to a signed-in admin, and only then.

    The server refuses every other session's upload before reading it (webserver.uploads); each run that draws
    the uploader renews the permission for a while.
    """
    ctx = get_script_run_ctx()
    if ctx is None:
        return
    if allowed:
        UPLOADS.allow(ctx.session_id)
    else:
        UPLOADS.revoke(ctx.session_id)


def upload(engine: Engine, dataset: str, who: Who, lang: str) -> None:
    """The uploader, the mode and reading options, the validate and ingest buttons, and the last report."""
    st.divider()
    _uploads(allowed=True)
    file = st.file_uploader(
        tr("ui.upload_label", lang, mb=MAX_UPLOAD_BYTES // 2**20),
        type=UPLOAD_TYPES,
        max_upload_size=MAX_UPLOAD_BYTES // 2**20,
        key="admin-file",
    )
    mode_col, read_col = st.columns([3, 2])
    with mode_col:
        mode = choice(
            st.radio,
            tr("ui.mode_label", lang),
            list(MODES),
            "admin-mode",
            lang,
            horizontal=True,
            format_func=lambda m: tr(f"ui.mode_{m}", lang),
            captions=[tr(f"ui.mode_help_{m}", lang) for m in MODES],
        )
    with read_col:
        sheet, encoding = _reading_options(file.name if file else "", lang)
    confirmed = mode != "replace" or st.checkbox(tr("ui.replace_confirm", lang), key=f"admin-replace-{_round()}")
    with st.container(horizontal=True):
        check = st.button(
            tr("ui.validate_button", lang), key="admin-validate", disabled=file is None, icon=":material/fact_check:"
        )
        go = st.button(
            tr("ui.ingest_button", lang),
            key="admin-ingest",
            type="primary",
            disabled=file is None or not confirmed,
            icon=":material/upload:",
        )
    if file is not None and (check or go):
        with progress_bar(lang) as show:
            outcome = admin_ops.run_ingest(
                engine,
                file.getvalue(),
                file.name,
                dataset,
                who.name,
                mode=mode,
                dry_run=not go,
                sheet=sheet,
                encoding=encoding,
                lang=lang,
                progress=show,
            )
        _keep(outcome)
    show_outcome(dataset, "ingest", lang)


@contextmanager
def progress_bar(lang: str) -> Iterator[Callable[[float, str], None]]:
    """A progress bar fed by the worker process (read, validate, merge, check, write); removed at the end."""
    bar = st.progress(0.0, text=tr("ui.worker_started", lang))

    def show(fraction: float, step: str) -> None:
        words = tr(f"ui.step_{step}", lang) if f"ui.step_{step}" in catalogue() else step
        bar.progress(min(max(fraction, 0.0), 1.0), text=tr("ui.worker_progress", lang, step=words))

    try:
        yield show
    finally:
        bar.empty()


def _reading_options(file_name: str, lang: str) -> tuple[str | None, str | None]:
    """The sheet for a workbook, the encoding for a CSV (None: the library's defaults)."""
    if file_name.lower().endswith(".xlsx"):
        sheet = st.text_input(tr("ui.sheet_label", lang), key="admin-sheet").strip()
        return sheet or None, None
    if file_name.lower().endswith(".csv"):
        enc = choice(
            st.selectbox,
            tr("ui.encoding_label", lang),
            ENCODING_CHOICES,
            "admin-encoding",
            lang,
            format_func=lambda e: tr("ui.encoding_auto", lang) if e == "auto" else e.upper(),
        )
        return None, None if enc == "auto" else enc
    return None, None


def _keep(outcome: Outcome) -> None:
    """Remember the outcome for the next run; after a change, rerun so the sidebar shows the new as-of date."""
    st.session_state[RESULT] = outcome
    st.session_state[ROUND] = _round() + 1
    if outcome.report.changed:
        st.rerun()


def show_outcome(dataset: str, action: str, lang: str) -> None:
    """The last ingest or rollback of this dataset: headline, counts, problems with a CSV download."""
    outcome = st.session_state.get(RESULT)
    if not isinstance(outcome, Outcome) or outcome.report.action != action:
        return
    r = outcome.report
    if r.dataset not in (None, dataset):
        return
    _headline(outcome, lang)
    st.caption(tr("ui.result_detail", lang, text=r.summary()))
    if r.ok and (r.rows_in_file or r.rows_before or r.rows_after):  # a refusal's counts would read as facts
        _counts(r, lang)
    if r.problems:
        st.markdown(f"**{tr('ui.problems_title', lang)}**")
        st.dataframe(admin_ops.problems_frame(r, lang), hide_index=True, key="admin-problems")
        st.download_button(
            tr("ui.problems_download", lang),
            r.problems_csv(),
            file_name=f"problems-{dataset}.csv",
            mime="text/csv",
            icon=":material/download:",
            key="admin-problems-csv",
        )


def _headline(outcome: Outcome, lang: str) -> None:
    r = outcome.report
    if r.changed and r.action == "rollback":
        st.success(
            tr("ui.result_rolled_back", lang, source=r.restored_from, version=r.version, as_of=outcome.as_of),
            icon=":material/history:",
        )
    elif r.changed:
        st.success(
            tr("ui.result_ingested", lang, version=r.version, as_of=outcome.as_of), icon=":material/check_circle:"
        )
    elif r.ok and r.dry_run:
        st.success(tr("ui.result_valid", lang), icon=":material/fact_check:")
    elif r.ok:
        st.info(r.summary(), icon=":material/info:")
    else:
        st.error(tr("ui.result_refused", lang, n=max(len(r.problems), 1)), icon=":material/block:")


def _counts(r: Report, lang: str) -> None:
    values: list[tuple[str, int | str]] = (
        [(tr("ui.rows_in_file", lang), r.rows_in_file)] if r.action == "ingest" else []
    )
    values += [
        (tr("ui.rows_added", lang), r.rows_added),
        (tr("ui.rows_replaced", lang), r.rows_replaced),
        (tr("ui.rows_removed", lang), r.rows_removed),
        (tr("ui.rows_total", lang), f"{r.rows_before:,} → {r.rows_after:,}"),
    ]
    for col, (label, value) in zip(st.columns(len(values)), values, strict=True):
        col.metric(label, value if isinstance(value, str) else f"{value:,}")


def versions(engine: Engine, dataset: str, who: Who, lang: str) -> None:
    """The dataset's kept versions, and putting one back in use (with a confirmation)."""
    kept = admin_ops.versions(engine, dataset)
    if not kept:
        st.info(tr("ui.versions_none", lang), icon=":material/history:")
    else:
        st.dataframe(admin_ops.version_frame(kept, lang), hide_index=True, key=f"admin-versions-{dataset}")
        older = [v for v in kept if not v.current]
        if not older:
            st.caption(tr("ui.rollback_none", lang))
        else:
            labels = {v.id: f"{v.id} · {v.created} · {tr('col.rows', lang)} {v.rows:,}" for v in older}
            chosen = choice(
                st.selectbox,
                tr("ui.rollback_choose", lang),
                list(labels),
                f"admin-rollback-{dataset}",
                lang,
                format_func=labels.get,
            )
            sure = st.checkbox(tr("ui.rollback_confirm", lang), key=f"admin-rollback-confirm-{_round()}")
            if st.button(
                tr("ui.rollback_button", lang), key="admin-rollback", disabled=not sure, icon=":material/history:"
            ):
                with progress_bar(lang) as show:
                    _keep(admin_ops.run_rollback(engine, chosen, who.name, lang, progress=show))
    show_outcome(dataset, "rollback", lang)


def audit(engine: Engine, lang: str) -> None:
    """The audit log, latest first, a warning when either hash chain is broken, and the latest sign-ins."""
    problems = admin_ops.audit_problems(engine)
    if problems:
        st.warning(
            tr("ui.audit_chain_broken", lang) + "\n\n" + "\n".join(f"- {p}" for p in problems),
            icon=":material/gpp_bad:",
        )
    events = admin_ops.audit_events(engine)
    if not events:
        st.info(tr("ui.audit_none", lang), icon=":material/receipt_long:")
    else:
        st.dataframe(admin_ops.audit_frame(events, lang), hide_index=True, key="admin-audit")
    sign_ins = admin_ops.sign_in_events(engine)
    if sign_ins:
        st.markdown(f"**{tr('ui.sign_ins_title', lang)}**")
        st.dataframe(admin_ops.sign_in_frame(sign_ins, lang), hide_index=True, key="admin-sign-ins")
