"""Streamlit building blocks: KPI cards, the one chart wrapper, the one table wrapper, notes and messages."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Hashable, Mapping
from dataclasses import dataclass
from functools import partial
from typing import Any, Literal

import pandas as pd
import plotly.graph_objects as go
import pyarrow as pa
import streamlit as st

from metrics import Engine, Filters
from metrics.catalog import illustrative_notes
from metrics.charts import Chart
from metrics.columns import column_label, single_unit
from metrics.comparisons import change_text
from metrics.config import Indicator
from metrics.engine import Comparison
from metrics.figures.fit import on_screen
from metrics.figures.style import title_html
from metrics.formatting import format_exact, format_number
from metrics.i18n import paren, tr
from metrics.overview import Card
from metrics.periods import month_str
from metrics.provenance import indicator_as_of, scope_of, source_text
from metrics.status import status_label
from metrics.tables import kind_label

from . import chart_element, data
from .downloads import chart_downloads, table_downloads

# Figures carry their own template (theme=None); the modebar keeps its PNG download, without the logo.
PLOTLY_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "modeBarButtonsToRemove": ["lasso2d", "select2d", "autoScale2d"],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def plotly_config(filename: str) -> dict[str, Any]:
    """The plotly config of a chart on screen: PLOTLY_CONFIG, with the PNG download named after the chart."""
    return {**PLOTLY_CONFIG, "toImageButtonOptions": {**PLOTLY_CONFIG["toImageButtonOptions"], "filename": filename}}


# A table's height as st.dataframe takes it: pixels, or one of its sizing words.
TableHeight = int | Literal["auto", "stretch", "content"]


def sample_note(engine: Engine, lang: str) -> None:
    """The visible note that the shipped data is a sample: which figures are published, which are illustrative."""
    p = engine.config.project
    if p.sample_data:
        st.caption(f":material/science: {p.text('sample_note', lang)}")


def dataset_note(engine: Engine, dataset: str, lang: str) -> None:
    """What is published and what is illustrative in one dataset (only for the shipped sample)."""
    if engine.config.project.sample_data:
        st.caption(engine.config.datasets[dataset].text("illustrative", lang))


def empty_state(engine: Engine, lang: str, period: str) -> None:
    """The message for a selection without data, with the months the data covers."""
    st.info(
        tr(
            "ui.empty_period",
            lang,
            period=period,
            first=month_str(engine.first_month),
            last=month_str(engine.last_month),
        ),
        icon=":material/event_busy:",
    )


@dataclass(frozen=True)
class ScreenChart:
    """A chart built once per filter set and language, shared by every session, with its on-screen copy."""

    chart: Chart
    screen: go.Figure  # tidied for a dashboard column (the chart's own figure goes to downloads)
    short_title: str | None = None
    payload: bytes | None = None  # the screen figure for the chart element; None: st.plotly_chart draws it


def chart(
    engine: Engine, key: tuple[Hashable, ...], build: Callable[[], Chart], short_title: str | None = None
) -> ScreenChart:
    """The chart for key (chart name, indicator, filters, lang…), built by build() once and then reused."""

    def make() -> ScreenChart:
        c = build()
        # An empty chart is never drawn (show_chart says so instead), so it needs no on-screen copy.
        if c.empty:
            return ScreenChart(c, c.figure, short_title)
        screen = _wrap_title(on_screen(c.figure, c.text, short_title), c, short_title)
        element = chart_element.payload(screen, plotly_config(c.name)) if chart_element.drawable(screen) else None
        return ScreenChart(c, screen, short_title, element)

    return data.shared(engine, ("chart", *key, short_title), make)


TITLE_COLUMNS = 34  # display columns of an 18 px title that fit a phone's column (a CJK character counts two)
_TOKEN = re.compile(r"[\w'’()&%./,:-]+\s*|\S\s*|\s+")  # a Latin word with its space, or one character


def _columns(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def title_lines(title: str, unit: str, width: int = TITLE_COLUMNS) -> list[str]:
    """A chart title broken into lines that fit a phone, between words (or CJK characters); the unit, in
    smaller type, counts two-thirds."""
    lines = [""]
    room = width - (2 * _columns(unit) + 2) // 3
    for token in _TOKEN.findall(title):
        if lines[-1].strip() and _columns(lines[-1] + token.rstrip()) > room:
            lines.append("")
        lines[-1] += token
    return [line.strip() for line in lines]


def _wrap_title(fig: go.Figure, c: Chart, short_title: str | None) -> go.Figure:
    # Plotly never wraps a title: SVG text runs past the chart's edge and is cut, as on a phone. Break it.
    lines = title_lines(short_title or c.text.title, paren(c.text.unit, c.text.lang) if c.text.unit else "")
    if len(lines) < 2:
        return fig
    extra = 24 * (len(lines) - 1)
    top = fig.layout.margin.t or fig.layout.template.layout.margin.t or 64
    fig.update_layout(title_text=title_html("<br>".join(lines), c.text.unit, c.text.lang), margin_t=top + extra)
    if fig.layout.height:
        fig.update_layout(height=fig.layout.height + extra)  # the plot keeps its height
    return fig


def show_chart(
    engine: Engine, sc: ScreenChart, *, filters: Filters, lang: str, key: str, note: str | None = None
) -> None:
    """Draw a shared chart with its provenance line and a compact download popover (or the empty message).

    The short title replaces the title on screen only (the page already names the indicator); downloads keep
    the full title.
    """
    c = sc.chart
    if c.empty:
        st.info(f"**{sc.short_title or c.text.title}** · {tr('ui.empty_chart', lang)}", icon=":material/bar_chart_off:")
        return
    if sc.payload is not None:
        chart_element.draw(sc.payload, key)
    else:
        st.plotly_chart(sc.screen, theme=None, key=key, config=plotly_config(c.name))
    _footer(
        c.text.footnote(),
        note,
        lang,
        lambda: chart_downloads(engine, c, lang=lang, filters=filters, key=f"{key}-dl"),
        key,
    )


@dataclass(frozen=True)
class Table:
    """A table ready to draw, shared by every session: the tidy frame for downloads and the on-screen copy."""

    data: pd.DataFrame  # tidy ids as headers, for CSV/XLSX
    shown: pa.Table | pd.DataFrame  # localised headers, converted to Arrow once rather than on every rerun
    column_config: dict[str, Any]


def table(
    engine: Engine,
    key: tuple[Hashable, ...],
    build: Callable[[], pd.DataFrame],
    lang: str,
    columns: list[str] | None = None,
    column_config: Mapping[str, Any] | None = None,
) -> Table:
    """The table for key (with lang), built once by build() and shared by every session."""

    def make() -> Table:
        df = build()
        tidy = df[columns] if columns else df
        unit = single_unit(df)
        labels = {c: column_label(engine.config, str(c), lang, unit) for c in tidy.columns}
        shown = tidy.rename(columns=labels)
        try:
            arrow: pa.Table | pd.DataFrame = pa.Table.from_pandas(shown, preserve_index=False)
        except (pa.ArrowException, TypeError, ValueError):
            arrow = shown  # mixed-type columns: Streamlit's own conversion copes with them
        config = {labels.get(k, k): v for k, v in (column_config or {}).items()}
        return Table(tidy, arrow, config)

    return data.shared(engine, ("table", *key, lang, tuple(columns or ())), make)


def show_table(
    engine: Engine,
    tbl: Table,
    *,
    name: str,
    filters: Filters,
    lang: str,
    indicator_ids: list[str] | None,
    key: str,
    caption: str | None = None,
    height: TableHeight = "auto",
) -> None:
    """Draw a table with localised headers and a compact download popover; downloads get the tidy frame."""
    st.dataframe(
        tbl.shown, hide_index=True, column_config=dict(tbl.column_config), key=key, height=height, placeholder="—"
    )  # a missing value (a task not yet completed) reads as a dash, not "None"
    _footer(
        caption,
        None,
        lang,
        lambda: table_downloads(
            engine, tbl.data, name=name, lang=lang, filters=filters, indicator_ids=indicator_ids, key=f"{key}-dl"
        ),
        key,
    )


def _footer(caption: str | None, note: str | None, lang: str, downloads: Callable[[], None], key: str) -> None:
    # Provenance on the left, a compact download popover on the right, on one row; as few elements as that
    # takes, since every element is a message to the browser on every run of every session.
    with st.container(horizontal=True, vertical_alignment="top", gap="small"):
        with st.container(width="stretch", gap=None):  # a container shrinks beside the popover; a caption wraps
            if text := "  \n".join(t for t in (caption, note) if t):
                st.caption(text)
        lazy_popover(tr("ui.downloads", lang), ":material/download:", f"{key}-pop", downloads)


def lazy_popover(label: str, icon: str, key: str, body: Callable[[], None]) -> None:
    """A popover whose body is drawn only while it is open (opening it reruns the page)."""
    # Every chart and table has one: drawing their buttons on every run was a large share of a page's
    # cost when twenty sessions start at once (py-spy), and nobody sees them until the popover opens.
    # Not a fragment: a fragment copies the page's container stack on every run (a tenth of the CPU of a
    # burst of fifty, py-spy), while opening a popover is rare and a page run is a fraction of a second.
    pop = st.popover(label, icon=icon, width="content", key=key, on_change="rerun")
    if pop.open:
        with pop:
            body()


# -- KPI cards ------------------------------------------------------------------------------------------
def card_help(engine: Engine, card: Card, lang: str) -> str:
    """The tooltip of a KPI card: description, source, quote, period, exact value, kind and as-of date."""
    ind, v = card.indicator, card.value
    lines = [
        f"**{ind.text('name', lang)}**",
        ind.text("description", lang),
        tr("ui.help_source", lang, source=source_text(ind, lang)),
        tr("ui.help_quote", lang, quote=ind.source.quote_zh),
        tr("ui.help_period", lang, period=v.period.label()),
        tr(
            "ui.help_exact",
            lang,
            exact=format_exact(v.value, ind.format),
            unit="" if ind.format == "percent" else ind.text("unit", lang),
        ),
        tr("ui.help_kind", lang, kind=kind_label(ind.kind, lang)),
        tr("ui.help_as_of", lang, as_of=indicator_as_of(engine, ind).label()),
        *illustrative_notes(engine.config, ind, lang),
    ]
    return "\n\n".join(lines)


def card_label(ind: Indicator, lang: str) -> str:
    """An indicator's short name with its unit, e.g. '社保卡持卡人数(人)' (the full name is in the tooltip)."""
    name = ind.short_name(lang)
    return name if ind.format == "percent" else name + paren(ind.text("unit", lang), lang)


def _metric_delta(c: Comparison, fmt: str, lang: str) -> str | None:
    if c.delta is None:
        return None
    text = change_text(c, lang, fmt)
    # st.metric reads a leading ASCII minus as "down"; the formatter writes the typographic one.
    return "-" + text[1:] if text.startswith("−") else text


# st.badge's colour names for each status; the label always says it in words too.
BadgeColor = Literal["green", "orange", "red", "gray"]
BADGE_COLORS: dict[str, BadgeColor] = {"green": "green", "amber": "orange", "red": "red", "none": "gray"}


@dataclass(frozen=True)
class CardView:
    """Everything a KPI card draws, worked out once per indicator, filter set, comparison and language."""

    label: str
    value: str
    delta: str | None
    help: str
    spark: list[float] | None
    no_change: str | None  # why there is no change to show, in words
    target: tuple[float, str] | None  # progress bar share and text (progress against 序时进度)
    status: tuple[BadgeColor, str] | None  # (badge colour, label)
    note: str | None  # the scope caption
    source_label: str  # the button that shows the tooltip's text on a tap (touch screens have no hover)


def card_view(engine: Engine, card: Card, filters: Filters, lang: str, compare: str = "yoy") -> CardView:
    """What a KPI card shows: value (万/亿 in zh), 同比 (or 环比), sparkline, target against 序时进度, status."""
    ind, v = card.indicator, card.value
    c = v.comparison(compare)
    delta = _metric_delta(c, ind.format, lang)
    spark = card.sparkline
    values = spark["value"].tolist() if len(spark) > 1 and v.value is not None else None
    no_change = None if delta is not None or v.value is None else change_text(c, lang, ind.format)
    progress = card.target
    status = (
        None
        if progress is None or progress.status == "none"
        else (BADGE_COLORS[progress.status], status_label(progress.status, lang))
    )
    return CardView(
        card_label(ind, lang),
        format_number(v.value, lang, ind.format),
        delta,
        card_help(engine, card, lang),
        values,
        no_change,
        _card_target(card, lang),
        status,
        _card_note(engine, card, filters, lang),
        tr("ui.card_source", lang),
    )


def draw_card(view: CardView, key: str, compact: bool = False) -> None:
    """A bordered KPI tile from its view, as tall as its content (a row's tiles stretch to the tallest); a
    compact tile (a phone's) leaves out the sparkline and the target's bar, keeping the status."""
    with st.container(border=True, key=key):
        spark = None if compact else view.spark
        st.metric(view.label, view.value, view.delta, help=view.help, chart_data=spark, chart_type="area")
        if view.no_change is not None:
            st.caption(view.no_change)
        if view.target is not None and not compact:
            st.progress(view.target[0], text=view.target[1])
        if view.note is not None:
            st.caption(view.note)
        with st.container(horizontal=True, vertical_alignment="center", gap="small"):
            if view.status is not None:
                st.badge(view.status[1], color=view.status[0])
            # A tap opens what the tooltip says; shown only on touch screens (ui/page.py's style), drawn when opened.
            lazy_popover(view.source_label, ":material/info:", f"{key}-src", partial(_markdown, view.help))


def _markdown(text: str) -> None:
    st.markdown(text)


def _card_target(card: Card, lang: str) -> tuple[float, str] | None:
    progress, ind = card.target, card.indicator
    if progress is None or progress.share is None:
        return None
    target = f"{format_number(progress.target.value, lang, ind.format)} {ind.text('unit', lang)}".strip()
    text = tr(
        "ui.target_line",
        lang,
        target=target,
        due=progress.target.due.isoformat(),
        pct=f"{progress.share:.0%}",
        elapsed=f"{progress.elapsed:.0%}",
    )
    if progress.target.illustrative:
        text += tr("ui.target_illustrative", lang)
    return min(max(progress.share, 0.0), 1.0), text


def _card_note(engine: Engine, card: Card, filters: Filters, lang: str) -> str | None:
    if card.value.value is None:
        return tr("ui.scope_no_data", lang)
    scope = scope_of(engine, card.indicator, filters, lang)
    return None if scope.as_chosen else scope.label
