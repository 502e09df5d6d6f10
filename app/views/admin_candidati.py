"""Admin: the Municipi's candidate producers (Fase 1) — import, edit, audit log.

Registered by the router only when authentication is configured; the page checks again (logged
in, and in ``[transparency] admins`` when that list exists). An upload is first checked (every bad
row listed, nothing written); "Import" writes it in one transaction with an audit-log row.
Editing the table and saving goes through the same checks and the same log. This page is the only
place where addresses and private notes are shown.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from app.components import transparency_data as data
from app.components.admin_access import auth_configured, require_admin
from app.components.numbers import number
from app.components.planning_data import planning_engine
from app.components.text import escape_markdown
from app.i18n import t
from cer_core.paths import data_file
from cer_core.planning import candidates as cand
from cer_core.planning.tables import MAX_BYTES, TableError
from cer_core.transparency.store import to_csv_bytes


def guarded(function, *args, **kwargs):
    """``function(*args, **kwargs)``; when the database cannot be reached, say so and stop."""
    try:
        return function(*args, **kwargs)
    except data.DB_ERRORS:
        st.error(t("admin_candidati.db_unavailable"), icon=":material/cloud_off:")
        st.stop()


def show_problems(err: TableError) -> None:
    st.error(t("admin_candidati.refused", count=len(err.problems)), icon=":material/error:")
    rows = [
        {
            t("admin_candidati.col_line"): "–" if p.line is None else p.line,
            t("admin_candidati.col_column"): p.column or "–",
            t("admin_candidati.col_detail"): p.message,
        }
        for p in err.problems
    ]
    st.dataframe(pd.DataFrame(rows), hide_index=True, width="stretch", key="cand_problems")


def write(payload: bytes, file_name: str, actor: str) -> None:
    try:
        summary = guarded(cand.import_candidates, planning_engine(), payload, file_name, actor)
    except TableError as err:
        show_problems(err)
        return
    st.success(
        t("admin_candidati.imported", inserted=summary.inserted, updated=summary.updated),
        icon=":material/check_circle:",
    )


st.title(t("admin_candidati.title"))
if not auth_configured():
    st.error(t("admin_candidati.no_auth"), icon=":material/lock:")
    st.stop()
# the same gate as the transparency import: a listed admin with a verified e-mail
email = require_admin("admin_candidati")
st.caption(t("admin_candidati.logged_in_as", email=escape_markdown(email)))
st.markdown(t("admin_candidati.lead", limit=number(MAX_BYTES / 1e6), rows=number(cand.MAX_ROWS)))
st.warning(t("admin_candidati.privacy"), icon=":material/privacy_tip:")
template = data_file("planning", "templates", "candidates_template.csv")
st.download_button(
    t("admin_candidati.template"),
    data=template.read_bytes(),
    file_name=template.name,
    mime="text/csv",
    icon=":material/download:",
    key="cand_template",
    on_click="ignore",  # no rerun: it could drop the file being built
)

upload = st.file_uploader(t("admin_candidati.upload"), type=["csv"], key="cand_upload")
if upload is not None:
    payload = upload.getvalue()
    try:
        checked = cand.check_candidates(payload)
    except TableError as err:
        show_problems(err)
    else:
        st.cache_data.clear()  # the public page must not show a stale list after an import
        st.info(t("admin_candidati.checked", rows=len(checked)), icon=":material/fact_check:")
        st.dataframe(pd.DataFrame(checked), hide_index=True, width="stretch", key="cand_preview")
        if st.button(t("admin_candidati.import"), icon=":material/upload:", key="cand_import"):
            write(payload, upload.name, email)

current = guarded(cand.admin_candidates, planning_engine())
st.subheader(t("admin_candidati.current"))
if current.empty:
    st.caption(t("admin_candidati.none"))
else:
    edited = st.data_editor(
        current[["candidate_id", *cand.EDITABLE, "area_code"]],
        disabled=["candidate_id", "area_code"],
        hide_index=True,
        width="stretch",
        key="cand_editor",
    )
    if st.button(t("admin_candidati.save"), icon=":material/save:", key="cand_save"):
        write(cand.edited_to_csv(edited), "edit (admin page)", email)
    st.download_button(
        t("admin_candidati.download"),
        data=to_csv_bytes(current),
        file_name="candidati-municipi.csv",
        mime="text/csv",
        icon=":material/download:",
        key="cand_download",
        on_click="ignore",  # no rerun: it could drop the file being built
    )
st.subheader(t("admin_candidati.log"))
st.dataframe(guarded(cand.import_log, planning_engine()), hide_index=True, width="stretch")
