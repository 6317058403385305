"""Streamlit building blocks: KPI cards, the one chart wrapper, the one table wrapper, notes and messages."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Hashable, Mapping

import pandas as pd
import pyarrow as pa
import plotly.graph_objects as go
import streamlit as st

from metrics import Engine, Filters, IndicatorValue
from metrics.config import Indicator
from metrics.dashboard_figures import on_screen
from metrics.exports.tabular import header_label
from metrics.figures import ChartText
from metrics.formatting import format_delta, format_exact, format_number
from metrics.periods import month_str
from metrics.tables import kind_label
from metrics.views import illustrative_notes, indicator_as_of, lang_pick

from . import data
from .downloads import chart_downloads, table_downloads
from .strings import header, s

# Figures carry their own template (theme=None); the modebar keeps its PNG download, without the logo.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


# One height for every KPI card, so a row of cards lines up whether or not a card has a target bar.
CARD_HEIGHT = 262


def sample_note(engine: Engine, lang: str) -> None:
    """The visible note that the shipped data is a sample: which figures are published, which are illustrative."""
    p = engine.config.project
    if p.sample_data:
        st.info(lang_pick(p.sample_note_zh, p.sample_note_en, lang), icon=":material/science:")


def dataset_note(engine: Engine, dataset: str, lang: str) -> None:
    """What is published and what is illustrative in one dataset (only for the shipped sample)."""
    if engine.config.project.sample_data:
        ds = engine.config.datasets[dataset]
        st.caption(lang_pick(ds.illustrative_zh, ds.illustrative_en, lang))


def empty_state(engine: Engine, lang: str, period: str) -> None:
    """The message for a selection without data, with the months the data covers."""
    st.info(s("empty_period", lang, period=period, first=month_str(engine.first_month),
              last=month_str(engine.last_month)), icon=":material/event_busy:")


def chart_text(engine: Engine, ind: Indicator, lang: str, period: str, title: str | None = None) -> ChartText:
    """Title, unit and provenance of a chart of one indicator, in lang."""
    unit = "" if ind.format == "percent" else ind.unit(lang)
    return ChartText(title=title or ind.name(lang), unit=unit, period=period,
                     source=f"{lang_pick(ind.source.title_zh, ind.source.title_en, lang)} "
                            f"({ind.source.date.isoformat()})",
                     as_of=indicator_as_of(engine, ind), lang=lang)


@dataclass(frozen=True)
class Chart:
    """A chart built once per filter set and language, shared by every session: data, figures and text."""

    data: pd.DataFrame
    figure: go.Figure  # for downloads (full title, export template)
    screen: go.Figure  # tidied for a dashboard column
    text: ChartText
    short_title: str | None = None


ChartParts = tuple[pd.DataFrame, go.Figure, ChartText]


def chart(key: tuple[Hashable, ...], build: Callable[[], ChartParts], short_title: str | None = None) -> Chart:
    """The chart for key (chart name, indicator, filters, lang…), built by build() once and then reused."""
    def make() -> Chart:
        df, fig, text = build()
        # An empty chart is never drawn (show_chart says so instead), so it needs no on-screen copy.
        screen = fig if df is None or df.empty else on_screen(fig, text, short_title)
        return Chart(df, fig, screen, text, short_title)
    return data.shared(("chart", *key, short_title), make)


def show_chart(engine: Engine, c: Chart, *, name: str, filters: Filters, lang: str,
               indicator_ids: list[str] | None, key: str, note: str | None = None) -> None:
    """Draw a cached chart with its provenance line and a compact download popover (or the empty message).

    The chart's short_title replaces the title on screen only (the page already names the indicator);
    downloads keep the full title from its text.
    """
    text = c.text
    if c.data is None or c.data.empty:
        st.info(f"**{c.short_title or text.title}** · {s('empty_chart', lang)}", icon=":material/bar_chart_off:")
        return
    st.plotly_chart(c.screen, theme=None, key=key, config={
        **PLOTLY_CONFIG, "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": name}})
    _footer(engine, text.footnote(), note, lang,
            lambda: chart_downloads(engine, c.figure, c.data, text=text, name=name, lang=lang, filters=filters,
                                    indicator_ids=indicator_ids, key=f"{key}-dl"), key)


@dataclass(frozen=True)
class Table:
    """A table ready to draw, shared by every session: the tidy frame for downloads and the on-screen copy."""

    data: pd.DataFrame  # tidy ids as headers, for CSV/XLSX
    shown: pa.Table | pd.DataFrame  # localised headers, converted to Arrow once rather than on every rerun
    column_config: dict[str, Any]


def table(engine: Engine, key: tuple[Hashable, ...], build: Callable[[], pd.DataFrame], lang: str,
          columns: list[str] | None = None, column_config: Mapping[str, Any] | None = None) -> Table:
    """The table for key (with lang), built once by build() and shared by every session."""
    def make() -> Table:
        df = build()
        tidy = df[columns] if columns else df
        labels = {c: display_header(engine, c, lang) for c in tidy.columns}
        shown = tidy.rename(columns=labels)
        try:
            arrow: pa.Table | pd.DataFrame = pa.Table.from_pandas(shown, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError):
            arrow = shown  # mixed-type columns: Streamlit's own conversion copes with them
        config = {labels.get(k, k): v for k, v in (column_config or {}).items()}
        return Table(tidy, arrow, config)
    return data.shared(("table", *key, lang, tuple(columns or ())), make)


def show_table(engine: Engine, tbl: Table, *, name: str, filters: Filters, lang: str,
               indicator_ids: list[str] | None, key: str, caption: str | None = None,
               height: int | str = "auto") -> None:
    """Draw a table with localised headers and a compact download popover; downloads get the tidy frame."""
    st.dataframe(tbl.shown, hide_index=True, column_config=dict(tbl.column_config), key=key, height=height,
                 placeholder="—")  # a missing value (a task not yet completed) reads as a dash, not "None"
    _footer(engine, caption, None, lang,
            lambda: table_downloads(engine, tbl.data, name=name, lang=lang, filters=filters,
                                    indicator_ids=indicator_ids, key=f"{key}-dl"), key)


def display_header(engine: Engine, column: str, lang: str) -> str:
    """A column header as people read it: the exports' label, else the dashboard's, else the id."""
    label = header_label(engine, column, lang)
    return header(column, lang) if label == column else label


def _footer(engine: Engine, caption: str | None, note: str | None, lang: str, downloads: Callable[[], None],
            key: str) -> None:
    # Provenance on the left, a compact download popover on the right, on one row.
    with st.container(horizontal=True, vertical_alignment="top", gap="small"):
        with st.container(width="stretch", gap=None):
            if caption:
                st.caption(caption)
            if note:
                st.caption(note)
        lazy_popover(s("downloads", lang), ":material/download:", f"{key}-pop", downloads)


@st.fragment
def lazy_popover(label: str, icon: str, key: str, body: Callable[[], None]) -> None:
    """A popover whose body is drawn only while it is open; opening it reruns this fragment, not the page."""
    # Every chart and table has one: drawing their buttons on every run was a large share of a page's
    # cost when twenty sessions start at once (py-spy), and nobody sees them until the popover opens.
    pop = st.popover(label, icon=icon, width="content", key=key, on_change="rerun")
    if pop.open:
        with pop:
            body()


def card_help(engine: Engine, ind: Indicator, v: IndicatorValue, lang: str) -> str:
    """The tooltip of a KPI card: description, source, quote, period, exact value, kind and as-of date."""
    lines = [
        ind.description(lang),
        s("help_source", lang, source=lang_pick(ind.source.title_zh, ind.source.title_en, lang),
          date=ind.source.date.isoformat()),
        s("help_quote", lang, quote=ind.source.quote_zh),
        s("help_period", lang, period=v.period.label()),
        s("help_exact", lang, exact=format_exact(v.value, ind.format), unit="" if ind.format == "percent"
          else ind.unit(lang)),
        s("help_kind", lang, kind=kind_label(ind.kind, lang)),
        s("help_as_of", lang, as_of=indicator_as_of(engine, ind)),
        *illustrative_notes(engine.config, ind, lang),
    ]
    return "\n\n".join(lines)


def card_label(ind: Indicator, lang: str) -> str:
    """An indicator's name with its unit, e.g. '社会保障卡持卡人数(人)'."""
    if ind.format == "percent":
        return ind.name(lang)
    return f"{ind.name(lang)}({ind.unit(lang)})" if lang == "zh" else f"{ind.name(lang)} ({ind.unit(lang)})"


def _metric_delta(ind: Indicator, v: IndicatorValue, lang: str) -> str | None:
    if v.value is None or v.delta is None:
        return None
    text = format_delta(v.delta, v.delta_pct, lang, ind.format)
    # st.metric reads a leading ASCII minus as "down"; the formatter writes the typographic one.
    return "-" + text[1:] if text.startswith("−") else text


@dataclass(frozen=True)
class CardView:
    """Everything a KPI card draws, worked out once per indicator, filter set and language."""

    label: str
    value: str
    delta: str | None
    help: str
    spark: list[float] | None
    delta_description: str | None
    target: tuple[float, str] | None  # progress bar share and text
    note: str | None  # the scope caption


def card_view(engine: Engine, ind: Indicator, v: IndicatorValue, spark: pd.DataFrame | None,
              province: str | None, lang: str, city: str | None = None) -> CardView:
    """What a KPI card shows: value (万/亿 in zh), change vs the previous period, sparkline, target, scope."""
    delta = _metric_delta(ind, v, lang)
    values = spark["value"].tolist() if spark is not None and len(spark) > 1 and v.value is not None else None
    return CardView(card_label(ind, lang), format_number(v.value, lang, ind.format), delta,
                    card_help(engine, ind, v, lang), values, s("delta_vs", lang) if delta else None,
                    _card_target(ind, v, lang), _card_note(ind, v, province, city, lang))


def draw_card(view: CardView) -> None:
    """A bordered KPI card from its view."""
    with st.container(border=True, height=CARD_HEIGHT):
        st.metric(view.label, view.value, view.delta, help=view.help, chart_data=view.spark, chart_type="area",
                  delta_description=view.delta_description)
        if view.target is not None:
            st.progress(view.target[0], text=view.target[1])
        if view.note is not None:
            st.caption(view.note)


def kpi_card(engine: Engine, ind: Indicator, v: IndicatorValue, spark: pd.DataFrame | None,
             province: str | None, lang: str, city: str | None = None) -> None:
    """A bordered KPI card: value (万/亿 in zh), change vs the previous period, sparkline, target progress."""
    draw_card(card_view(engine, ind, v, spark, province, lang, city))


def _card_target(ind: Indicator, v: IndicatorValue, lang: str) -> tuple[float, str] | None:
    if ind.target is None or v.value is None or not ind.target.value:
        return None
    share = v.value / ind.target.value
    target = f"{format_number(ind.target.value, lang, ind.format)} {ind.unit(lang)}".strip()
    return min(max(share, 0.0), 1.0), s("target_line", lang, target=target, due=ind.target.due.isoformat(),
                                         pct=f"{share:.0%}")


def _card_note(ind: Indicator, v: IndicatorValue, province: str | None, city: str | None,
               lang: str) -> str | None:
    if v.value is None:
        return s("scope_no_data", lang)
    if province is not None and not ind.by_province:
        return s("scope_not_split", lang)
    if city is not None and not v.city_applied:
        return s("scope_no_city", lang)
    return None
