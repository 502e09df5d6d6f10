"""Home: the address box first (the one question every resident has), then what each page does,
what a CER is, the five Milan configurations and how to reach the Sportello Energia."""

from __future__ import annotations

import streamlit as st

from app.components.sportello import sportello_box
from app.data_access import configurations
from app.i18n import current_language, t

lang = current_language()
st.title(t("home.title"))
st.markdown(t("home.lead"))

# The resident's first question, answered on the Mappa page (which keeps the address in the URL).
with st.form("home_address", border=True, enter_to_submit=True):
    address = st.text_input(
        t("home.address_label"), placeholder=t("home.address_placeholder"), max_chars=200
    )
    go_map = st.form_submit_button(
        t("home.address_button"), icon=":material/search:", type="primary"
    )
if go_map and address.strip():
    query = {"indirizzo": address.strip()} | ({"lang": lang} if lang != "it" else {})
    st.switch_page("views/mappa.py", query_params=query)
elif go_map:
    st.warning(t("home.address_empty"), icon=":material/edit:")

cards = st.columns(3)
for card, page in zip(cards, ("mappa", "calcolatore", "trasparenza"), strict=True):
    with card.container(border=True):
        st.markdown(f"**{t('nav.' + page)}**")
        st.markdown(t(f"home.page_{page}"))
        st.page_link(
            f"views/{page}.py",
            label=t("home.open_page", page=t("nav." + page)),
            query_params={"lang": lang} if lang != "it" else None,
        )

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

st.header(t("home.sportello_title"))
sportello_box(key="home_sportello")
