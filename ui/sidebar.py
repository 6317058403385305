"""The shared sidebar: language, period (a preset or a month range), comparison, province, city, synced with the URL.

Every page calls sidebar(). Under AppTest a rerun can skip the entrypoint (pages/ + st.navigation), so the
widgets live here, not in app.py. The chosen values are mirrored into a plain session_state key (STATE) that
survives page switches, and into the query parameters (lang, period or from/to, compare, province, city) so a
link can be shared.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

import streamlit as st

from metrics import Engine, Filters
from metrics.comparisons import comparison_name
from metrics.i18n import LANGS, norm_lang, tr
from metrics.periods import month_str
from metrics.plans import default_plan, plans
from metrics.presets import CUSTOM, DEFAULT_DASHBOARD, PRESETS, month_options, preset_months
from metrics.provenance import data_as_of

from . import data
from .lang import STATE

LANG_LABELS = {"zh": "中文", "en": "English"}  # each language named in itself, whatever the current one
ALL = "all"
PAGE_PARAMS = ("task",)  # URL parameters that belong to a page, not to the sidebar
COMPARISONS = ("yoy", "previous")  # 同比 first: how official reports state a change
FilterKey = tuple[str | None, str | None, str | None, str | None]
W_LANG, W_PRESET, W_PERIOD, W_COMPARE, W_PROVINCE, W_CITY, W_PLAN = (
    "w_lang",
    "w_preset",
    "w_period",
    "w_compare",
    "w_province",
    "w_city",
    "w_plan",
)


@dataclass(frozen=True)
class Selection:
    """What the user chose in the sidebar."""

    start: str
    end: str
    province: str | None = None
    city: str | None = None
    lang: str = "zh"
    preset: str = DEFAULT_DASHBOARD  # a preset id, or "custom" for a month range chosen on the slider
    compare: str = "yoy"
    plan: str | None = None  # the plan of the task views (None: config.yaml's default, the agreement)

    @property
    def key(self) -> FilterKey:
        """The filters as a plain tuple: the cache key of everything built for them."""
        return (self.start, self.end, self.province, self.city)

    @property
    def filters(self) -> Filters:
        """The filters for the metrics library."""
        return Filters(self.start, self.end, self.province, self.city)

    @property
    def period_label(self) -> str:
        """'2021-01 – 2023-08'."""
        return f"{self.start} – {self.end}"


def with_preset(engine: Engine, sel: Selection, preset: str) -> Selection:
    """The selection with a preset's months (which end at the data's last month)."""
    start, end = preset_months(engine, preset)
    return replace(sel, preset=preset, start=month_str(start), end=month_str(end))


def default_selection(engine: Engine) -> Selection:
    """This year to date (so the first screen has 同比 to show), both provinces, Chinese."""
    return with_preset(engine, Selection("", ""), DEFAULT_DASHBOARD)


def _one(params: Mapping[str, object], name: str) -> str | None:
    # A repeated parameter arrives as a list; take the last one, like st.query_params does.
    v = params.get(name)
    if isinstance(v, list | tuple):
        v = v[-1] if v else None
    return v.strip() if isinstance(v, str) and v.strip() else None


def from_params(engine: Engine, params: Mapping[str, object]) -> Selection:
    """A selection from URL parameters; anything invalid falls back to the default, never raises."""
    sel = default_selection(engine)
    months = month_options(engine)
    lang = _one(params, "lang")
    if lang in LANGS:
        sel = replace(sel, lang=str(lang))
    compare = _one(params, "compare")
    if compare in COMPARISONS:
        sel = replace(sel, compare=str(compare))
    preset = _one(params, "period")
    start, end = _one(params, "from"), _one(params, "to")
    if preset in PRESETS:
        sel = with_preset(engine, sel, str(preset))
    elif start in months or end in months:
        # A custom range; a month the data do not cover (after the as-of month) is not offered, so it is dropped.
        start = start if start in months else months[0]
        end = end if end in months else months[-1]
        if start <= end:
            sel = replace(sel, preset=CUSTOM, start=start, end=end)
    province = _one(params, "province")
    if province in engine.config.provinces:
        sel = replace(sel, province=province)
    city = _one(params, "city")
    if city:
        home = engine.city_province(city)
        if home and sel.province in (None, home):
            sel = replace(sel, province=home, city=city)
    plan = _one(params, "plan")
    if plan in plan_ids(engine) and plan != default_plan(engine):
        sel = replace(sel, plan=plan)
    return sel


def plan_ids(engine: Engine) -> list[str]:
    """Every plan id, the default first."""
    return [p.id for p in plans(engine)]


def to_params(sel: Selection) -> dict[str, str]:
    """The URL parameters that reproduce a selection."""
    out = {"lang": sel.lang}
    if sel.preset == CUSTOM:
        out.update({"from": sel.start, "to": sel.end})
    else:
        out["period"] = sel.preset
    if sel.compare != "yoy":
        out["compare"] = sel.compare
    if sel.province:
        out["province"] = sel.province
    if sel.city:
        out["city"] = sel.city
    if sel.plan:
        out["plan"] = sel.plan
    return out


def merge(engine: Engine, sel: Selection, widget: str, value: object) -> Selection:
    """The selection after the user moved one widget; a value that is not a valid choice is ignored.

    Only the widget that moved is read: the others may still hold what an earlier run gave them (after a new
    data version, the slider's old range must not turn 本年累计 into a custom range).
    """
    if widget == W_LANG and value in LANGS:
        return replace(sel, lang=str(value))
    if widget == W_COMPARE and value in COMPARISONS:
        return replace(sel, compare=str(value))
    if widget == W_PRESET and value in PRESETS:
        return with_preset(engine, sel, str(value))
    if widget == W_PRESET and value == CUSTOM:
        return replace(sel, preset=CUSTOM)
    months = month_options(engine)
    if widget == W_PERIOD and isinstance(value, tuple | list) and len(value) == 2 and all(p in months for p in value):
        return replace(sel, preset=CUSTOM, start=min(value), end=max(value))
    if widget == W_PROVINCE and (value == ALL or value in engine.config.provinces):
        chosen = None if value == ALL else str(value)
        return sel if chosen == sel.province else replace(sel, province=chosen, city=None)
    if widget == W_PLAN and value in plan_ids(engine):
        return replace(sel, plan=None if value == default_plan(engine) else str(value))
    if widget == W_CITY and isinstance(value, str) and sel.province is not None:
        city = None if value == ALL else value
        if city is None or engine.city_province(city) == sel.province:
            return replace(sel, city=city)
    return sel


def refresh(engine: Engine, sel: Selection) -> Selection:
    """A preset follows the data: when a new month arrives, 本年累计 ends at it."""
    return sel if sel.preset == CUSTOM else with_preset(engine, sel, sel.preset)


# The filters are drawn twice: in the sidebar (desktop) and in the filter bar at the top of every page, whose label
# is the one-line summary of the active filters (on a phone, where the sidebar starts collapsed, it is the way to
# change them). Each place has its own widget keys; both write the one mirror.
PLACES = {"sidebar": "w_", "bar": "b_"}
FILTER_BAR = "filter-bar"  # the popover's key: closed again after a choice


def _on_change(widget: str, prefix: str = "w_") -> None:
    # Runs before the script, when the widget's new value is known: copy it into the mirror.
    ss = st.session_state
    ss[STATE] = merge(data.engine(), ss[STATE], widget, ss.get(prefix + widget.removeprefix("w_")))
    if prefix != "w_":
        ss[FILTER_BAR] = False  # a choice in the filter bar closes it, as a phone user expects


def _mirror(engine: Engine) -> Selection:
    # First run of a session: the URL decides. Later runs: the mirror, kept current by _on_change.
    if STATE not in st.session_state:
        st.session_state[STATE] = from_params(engine, st.query_params.to_dict())
    st.session_state[STATE] = refresh(engine, st.session_state[STATE])
    return st.session_state[STATE]


def _seed_widgets(sel: Selection) -> None:
    # Re-seed the widget keys from the mirror every run: this keeps the choice when the page changes
    # (widget state is per page) and avoids passing a default as well as a session_state value. The period
    # slider is the exception: it is a range only when given a pair as `value`, so it gets the mirror that way.
    for prefix in PLACES.values():
        st.session_state[prefix + "lang"] = sel.lang
        st.session_state[prefix + "preset"] = sel.preset
        st.session_state[prefix + "compare"] = sel.compare
        st.session_state[prefix + "province"] = sel.province or ALL
        st.session_state[prefix + "city"] = sel.city or ALL
        st.session_state[prefix + "plan"] = sel.plan or default_plan(data.engine())


def summary(engine: Engine, sel: Selection) -> str:
    """The active filters in one line: '重庆 · 渝中区 · 本年累计 2023-01–2023-08 · 同比'."""
    lang = sel.lang
    place = engine.config.provinces[sel.province].text("name", lang) if sel.province else tr("word.both", lang)
    parts = [place]
    if sel.city:
        parts.append(city_labels(engine, str(sel.province), lang).get(sel.city, sel.city))
    period = f"{sel.start}–{sel.end}" if sel.start != sel.end else sel.start
    parts.append(period if sel.preset == CUSTOM else f"{tr(f'preset.{sel.preset}', lang)} {period}")
    parts.append(comparison_name(sel.compare, lang))
    return " · ".join(parts)


def _filters(engine: Engine, sel: Selection, prefix: str) -> None:
    """The filter widgets (period preset and months, comparison, province, city), with keys under prefix."""
    lang = sel.lang

    presets = {p: tr(f"preset.{p}", lang) for p in (*PRESETS, CUSTOM)}
    st.selectbox(
        tr("ui.period", lang),
        list(presets),
        key=prefix + "preset",
        format_func=presets.__getitem__,
        on_change=_on_change,
        args=(W_PRESET, prefix),
    )
    st.select_slider(
        tr("ui.months", lang),
        options=month_options(engine),
        value=(sel.start, sel.end),
        key=prefix + "period",
        label_visibility="collapsed",
        on_change=_on_change,
        args=(W_PERIOD, prefix),
    )
    names = {c: comparison_name(c, lang) for c in COMPARISONS}
    st.segmented_control(
        tr("ui.compare", lang),
        COMPARISONS,
        key=prefix + "compare",
        format_func=names.__getitem__,
        required=True,
        on_change=_on_change,
        args=(W_COMPARE, prefix),
    )
    places = {ALL: tr("word.both", lang), **{k: p.text("name", lang) for k, p in engine.config.provinces.items()}}
    st.segmented_control(
        tr("word.province", lang),
        list(places),
        key=prefix + "province",
        format_func=places.__getitem__,
        required=True,
        on_change=_on_change,
        args=(W_PROVINCE, prefix),
    )
    if sel.province is not None:
        labels = {ALL: tr("word.all", lang), **city_labels(engine, sel.province, lang)}
        st.selectbox(
            tr("word.city", lang),
            list(labels),
            key=prefix + "city",
            format_func=labels.__getitem__,
            on_change=_on_change,
            args=(W_CITY, prefix),
        )
    all_plans = plans(engine)
    if len(all_plans) > 1:
        plan_names = {p.id: p.name(lang) for p in all_plans}
        st.selectbox(
            tr("ui.plan", lang),
            list(plan_names),
            key=prefix + "plan",
            format_func=plan_names.__getitem__,
            on_change=_on_change,
            args=(W_PLAN, prefix),
            help=tr("ui.plan_help", lang),
        )


def _draw(engine: Engine, sel: Selection) -> None:
    lang = sel.lang
    with st.sidebar:
        st.segmented_control(
            tr("ui.language", lang),
            LANGS,
            key=W_LANG,
            format_func=lambda code: LANG_LABELS[code],  # every option has a label
            required=True,
            on_change=_on_change,
            args=(W_LANG,),
        )
        st.subheader(tr("ui.filters", lang), divider="gray")
        _filters(engine, sel, PLACES["sidebar"])
        st.caption(f"{tr('word.as_of', lang)} **{data_as_of(engine).label()}**")
        st.caption(tr("ui.share_hint", lang))


def filter_bar(engine: Engine, sel: Selection) -> None:
    """The one-line summary of the active filters at the top of the page; open it to change them."""
    bar = st.popover(
        summary(engine, sel),
        icon=":material/filter_list:",
        key=FILTER_BAR,
        on_change="rerun",
        help=tr("ui.filter_bar_help", sel.lang),
    )
    if not bar.open:  # drawn once opened: a second set of filter widgets on every run was 9 % of a burst (py-spy)
        return
    with bar:
        _filters(engine, sel, PLACES["bar"])
        st.segmented_control(
            tr("ui.language", sel.lang),
            LANGS,
            key=PLACES["bar"] + "lang",
            format_func=lambda code: LANG_LABELS[code],
            required=True,
            on_change=_on_change,
            args=(W_LANG, PLACES["bar"]),
        )


def city_labels(engine: Engine, province: str, lang: str) -> dict[str, str]:
    """The cities (districts) of a province: id -> name in lang, in the reference data's order."""
    c = engine.cities(province)
    return dict(zip(c["city_id"].astype(str), c[f"name_{norm_lang(lang)}"].astype(str), strict=True))


def _sync_url(sel: Selection) -> None:
    # Parameters a page reads for itself (the report page's ?task=) stay in the address.
    kept = {k: v for k, v in st.query_params.to_dict().items() if k in PAGE_PARAMS}
    wanted = {**to_params(sel), **kept}
    if st.query_params.to_dict() != wanted:
        st.query_params.from_dict(wanted)


def sidebar() -> Selection:
    """Draw the shared sidebar and return the current selection (also kept in session_state and the URL)."""
    engine = data.engine()
    sel = _mirror(engine)
    _seed_widgets(sel)
    _draw(engine, sel)
    _sync_url(sel)
    return sel
