"""Home: what a CER is, the five Milan configurations, what each page does."""

from __future__ import annotations

import streamlit as st

from app.data_access import configurations
from app.i18n import current_language, t

st.title(t("home.title"))
st.markdown(t("home.lead"))

left, right = st.columns(2, gap="large")
with left:
    st.subheader(t("home.what_title"))
    st.markdown(t("home.what_body"))
    st.subheader(t("home.cabina_title"))
    st.markdown(t("home.cabina_body"))
with right:
    st.subheader(t("home.shared_title"))
    st.markdown(t("home.shared_body"))
    st.subheader(t("home.solidarity_title"))
    st.markdown(t("home.solidarity_body"))

st.header(t("home.configs_title"))
st.caption(t("home.configs_caption"))
lang = current_language()
columns = st.columns(5)
for column, config in zip(columns, configurations(), strict=False):
    with column.container(border=True):
        st.markdown(f"**{config.name}**")
        st.caption(t("home.config_cp", cp=config.cp_number, cer=config.cer))
        status = t(f"home.status_{config.status}")
        st.markdown(status)
        municipi = ", ".join(str(m) for m in config.municipi)
        st.caption(t("home.config_municipio", municipi=municipi))
        st.caption(config.plants_note_it if lang == "it" else config.plants_note_en)

st.header(t("home.pages_title"))
cards = st.columns(3)
for card, page in zip(cards, ("mappa", "calcolatore", "trasparenza"), strict=True):
    with card.container(border=True):
        st.markdown(f"**{t('nav.' + page)}**")
        st.markdown(t(f"home.page_{page}"))
        st.page_link(f"views/{page}.py", label=t("home.open_page", page=t("nav." + page)))

st.divider()
st.markdown(t("home.sportello"))
