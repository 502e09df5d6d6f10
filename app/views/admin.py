"""Admin: import the CER's figures (CSV/XLSX templates) into the transparency store.

Registered by the router only when authentication is configured; the page checks again and
refuses to work for anyone not logged in with a verified e-mail listed in
``[transparency] admins`` (see :mod:`app.components.admin_access`). Every upload is first checked (preview, per-row errors); "Import" commits it in one
transaction, recorded in the audit log with the user's e-mail.
"""

from __future__ import annotations

import streamlit as st

from app.components import transparency_data as data
from app.components.admin_access import auth_configured, require_admin
from app.components.numbers import number
from app.components.text import escape_markdown
from app.i18n import t
from cer_core.paths import data_dir
from cer_core.transparency.ingest import MAX_FILE_BYTES, import_file
from cer_core.transparency.models import TEMPLATES
from cer_core.transparency.store import audit_log, to_csv_bytes


def guarded(function, *args, **kwargs):
    """``function(*args, **kwargs)``; when the database cannot be reached, say so and stop."""
    try:
        return function(*args, **kwargs)
    except data.DB_ERRORS:
        st.error(t("admin.db_unavailable"), icon=":material/cloud_off:")
        st.stop()


st.title(t("admin.title"))

if not auth_configured():
    st.error(t("admin.no_auth"), icon=":material/lock:")
    st.stop()
email = require_admin("admin")

st.caption(t("admin.logged_in_as", email=escape_markdown(email)))
if st.button(t("admin.logout"), icon=":material/logout:", key="admin_logout"):
    st.logout()
st.markdown(t("admin.lead", limit=number(MAX_FILE_BYTES / 1e6, 1)))

with st.expander(t("admin.templates_title"), icon=":material/table_view:"):
    st.markdown(t("admin.templates_body"))
    folder = data_dir() / "transparency" / "templates"
    columns = st.columns(4)
    for index, name in enumerate(TEMPLATES):
        path = folder / f"{name}.csv"
        if path.is_file():
            columns[index % 4].download_button(
                f"{name}.csv",
                data=path.read_bytes(),
                file_name=f"{name}.csv",
                mime="text/csv",
                icon=":material/download:",
                key=f"template_{name}",
                on_click="ignore",  # no rerun: it could drop the file being built
            )

upload = st.file_uploader(t("admin.upload"), type=["csv", "xlsx"], key="admin_upload")
engine = guarded(data.engine)
if upload is not None:
    content = upload.getvalue()
    check = guarded(import_file, engine, content, file_name=upload.name, actor=email, dry_run=True)
    st.subheader(t("admin.preview_title"))
    st.caption(
        t(
            "admin.file_info",
            name=escape_markdown(check.file_name),
            size=number(check.size_bytes),
            sha=check.sha256[:16],
            encoding=check.encoding or "-",
        )
    )
    for template, frame in check.preview.items():
        st.markdown(f"**{template}** — {t('admin.rows', n=len(frame))}")
        st.dataframe(frame.head(20), hide_index=True, key=f"preview_{template}")
    if check.errors:
        st.error(t("admin.errors", n=len(check.errors)), icon=":material/error:")
        errors = check.errors_frame()
        st.dataframe(errors, hide_index=True, key="admin_errors")
        st.download_button(
            t("admin.download_errors"),
            data=to_csv_bytes(errors),
            file_name=f"errors-{upload.name}.csv",
            mime="text/csv",
            key="admin_errors_download",
            on_click="ignore",  # no rerun: it could drop the file being built
        )
    else:
        if check.demo_removed:
            st.warning(t("admin.demo_removed", n=check.demo_removed), icon=":material/science:")
        st.success(
            t(
                "admin.valid",
                inserted=check.inserted,
                updated=check.updated,
                unchanged=check.unchanged,
            ),
            icon=":material/check_circle:",
        )
        if st.button(
            t("admin.import"),
            type="primary",
            icon=":material/upload:",
            key="admin_import",
            disabled=check.inserted + check.updated + check.demo_removed == 0,
        ):
            done = guarded(import_file, engine, content, file_name=upload.name, actor=email)
            if done.errors:
                st.error("; ".join(escape_markdown(e, 300) for e in done.errors[:10]))
            elif done.committed:
                data.clear_caches()
                st.success(t("admin.imported", id=done.import_id), icon=":material/task_alt:")
            else:
                st.info(t("admin.nothing"))

st.subheader(t("admin.audit_title"))
st.dataframe(guarded(audit_log, engine), hide_index=True, key="admin_audit")
