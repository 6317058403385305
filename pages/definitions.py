"""指标说明与数据 Definitions & data: every indicator and dataset, generated from config.yaml."""

import streamlit as st

from metrics.views import dataset_columns, indicator_groups, lang_pick
from ui import data
from ui.components import show_table, table
from ui.page import start
from ui.sections import definition_card
from ui.strings import s

engine, sel = start("definitions")
lang = sel.lang
st.caption(s("def_intro", lang))
ind_tab, ds_tab = st.tabs([s("def_indicators", lang), s("def_datasets", lang)])

with ind_tab:
    indicators = table(engine, ("definitions",), lambda: data.definitions(lang), lang, [
        "indicator_id", "name_zh", "name_en", "area", "unit", "kind", "dimensions", "by_province", "target",
        "source_date", "as_of"])
    show_table(engine, indicators, name="indicator-definitions", filters=sel.filters, lang=lang,
               indicator_ids=None, key="def-indicators")
    for area_id, area_name in indicator_groups(engine.config, lang):
        st.markdown(f"**{area_name}**")
        for ind in (i for i in engine.config.indicators if i.area == area_id):
            definition_card(engine, ind, lang)

with ds_tab:
    contracts = table(engine, ("contracts",), lambda: data.contracts(lang), lang, [
        "dataset", "title", "file", "primary_key", "as_of_column", "as_of", "illustrative"])
    show_table(engine, contracts, name="dataset-contracts", filters=sel.filters, lang=lang,
               indicator_ids=None, key="def-datasets")
    for name, ds in engine.config.datasets.items():
        with st.expander(f"{lang_pick(ds.title_zh, ds.title_en, lang)} · `{ds.file}`"):
            st.write(lang_pick(ds.description_zh, ds.description_en, lang))
            st.caption(lang_pick(ds.illustrative_zh, ds.illustrative_en, lang))
            columns = table(engine, ("contract", name), lambda name=name: dataset_columns(engine.config, name, lang),
                            lang)
            show_table(engine, columns, name=f"contract-{name}", filters=sel.filters, lang=lang,
                       indicator_ids=None, key=f"def-columns-{name}")
