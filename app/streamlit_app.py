"""CER Milano — entrypoint and router.

Run with ``streamlit run app/streamlit_app.py`` (or ``make run``). This file is the frame around
every page: page config, language switch, navigation. Pages live in ``app/views/`` (not
``pages/``: that name would switch on Streamlit's old automatic page discovery).
"""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from app.components.admin_access import auth_configured
from app.components.page_loading import loading_notice
from app.i18n import language_switch, set_document_language, t
from app.warm_up import warm_up_in_background
from cer_core.paths import DataFileError

PAGES_DIR = Path(__file__).resolve().parent / "views"  # absolute: AppTest may pass a relative path

st.set_page_config(page_title="CER Milano", page_icon="☀️", layout="wide")
warm_up_in_background()  # every page's engine and data, once per process
if language_switch():
    st.warning(t("nav.bad_lang"), icon=":material/link_off:")
set_document_language()  # first, so screen readers get the language before the page's content
loading_notice(t("nav.loading"))  # shown only while a page has drawn nothing yet

pages = [
    st.Page(PAGES_DIR / "home.py", title=t("nav.home"), icon=":material/home:", default=True),
    st.Page(PAGES_DIR / "mappa.py", title=t("nav.mappa"), icon=":material/map:", url_path="mappa"),
    st.Page(
        PAGES_DIR / "calcolatore.py",
        title=t("nav.calcolatore"),
        icon=":material/calculate:",
        url_path="calcolatore",
    ),
    st.Page(
        PAGES_DIR / "trasparenza.py",
        title=t("nav.trasparenza"),
        icon=":material/volunteer_activism:",
        url_path="trasparenza",
    ),
    st.Page(
        PAGES_DIR / "pianificazione.py",
        title=t("pianificazione.nav"),
        icon=":material/insights:",
        url_path="pianificazione",
    ),
]
if auth_configured():  # the import page exists only with st.login configured ([auth] secrets)
    pages.append(
        st.Page(PAGES_DIR / "admin.py", title=t("admin.nav"), icon=":material/upload_file:")
    )
    pages.append(
        st.Page(
            PAGES_DIR / "admin_candidati.py",
            title=t("admin_candidati.nav"),
            icon=":material/person_search:",
            url_path="candidati",
        )
    )
try:
    st.navigation(pages).run()
except DataFileError as error:
    # A broken or missing embedded file: say which one, never a traceback.
    st.error(
        t("nav.data_error", file=error.path.name, path=str(error.path)), icon=":material/error:"
    )
st.sidebar.caption(t("nav.footer"))
