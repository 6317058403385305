"""指标说明与数据 Definitions & data: every indicator and dataset, generated from config.yaml."""

from functools import partial

import streamlit as st

from metrics.catalog import indicator_groups
from metrics.definitions import dataset_columns, dataset_contracts, indicator_definitions
from metrics.i18n import tr
from metrics.status import method_text
from ui.components import show_table, table
from ui.page import start
from ui.sections import definition_card
from ui.supervision import published_reports

engine, sel = start("definitions")
lang = sel.lang
st.caption(tr("ui.def_intro", lang))
st.caption(method_text(engine.config.status, lang))  # the one stated status method, shown wherever status is
# Tabs and expanders draw their content only while open (on_change="rerun"): the page held ~300 elements, all
# sent on every run although a visitor sees one tab and a few open definitions (py-spy, fifty at once).
ind_tab, ds_tab, reports_tab = st.tabs(
    [tr("ui.def_indicators", lang), tr("ui.def_datasets", lang), tr("ui.published_reports", lang)],
    key="def-tab",
    on_change="rerun",
)


def indicators_tab() -> None:
    """The indicator table and one expander per indicator (its full definition and SQL)."""
    indicators = table(
        engine,
        ("definitions",),
        lambda: indicator_definitions(engine, lang),
        lang,
        [
            "indicator_id",
            "name_zh",
            "name_en",
            "area",
            "unit",
            "kind",
            "dimensions",
            "by_province",
            "target_text",
            "source_date",
            "as_of",
        ],
    )
    show_table(
        engine,
        indicators,
        name="indicator-definitions",
        filters=sel.filters,
        lang=lang,
        indicator_ids=None,
        key="def-indicators",
    )
    for area_id, area_name in indicator_groups(engine.config, lang):
        st.markdown(f"**{area_name}**")
        for ind in (i for i in engine.config.indicators if i.area == area_id):
            definition_card(engine, ind, lang)


def datasets_tab() -> None:
    """The dataset contracts and one expander per dataset (its columns)."""
    contracts = table(
        engine,
        ("contracts",),
        lambda: dataset_contracts(engine, lang),
        lang,
        ["dataset", "title", "file", "primary_key", "as_of_column", "as_of", "illustrative"],
    )
    show_table(
        engine,
        contracts,
        name="dataset-contracts",
        filters=sel.filters,
        lang=lang,
        indicator_ids=None,
        key="def-datasets",
    )
    for name, ds in engine.config.datasets.items():
        expander = st.expander(f"{ds.text('title', lang)} · `{ds.file}`", key=f"def-ds-{name}", on_change="rerun")
        if not expander.open:
            continue
        with expander:
            st.write(ds.text("description", lang))
            st.caption(ds.text("illustrative", lang))
            columns = table(engine, ("contract", name), partial(dataset_columns, engine.config, name, lang), lang)
            show_table(
                engine,
                columns,
                name=f"contract-{name}",
                filters=sel.filters,
                lang=lang,
                indicator_ids=None,
                key=f"def-columns-{name}",
            )


for tab, draw in (
    (ind_tab, indicators_tab),
    (ds_tab, datasets_tab),
    (reports_tab, partial(published_reports, engine, sel)),
):
    if tab.open:
        with tab:
            draw()
