"""The Sportello Energia contact box: the resident's next step, on every page that needs it.

Reads ``data/sportello.toml`` (edited by the Comune) and shows only the filled fields. Values are
validated by :mod:`cer_core.sportello` (https links, e-mail, phone digits) and the free text is
escaped, so an edit to the file cannot inject markup.
"""

from __future__ import annotations

import streamlit as st

from app.components.text import escape_markdown
from app.data_access import sportello
from app.i18n import current_language, t
from cer_core import formatting as fmt
from cer_core.paths import DataFileError


def contact_lines(lang: str | None = None) -> list[tuple[str, str, str]]:
    """``(label key, shown text, link)`` of each filled contact field, in display order."""
    contact = sportello()
    lang = lang or current_language()
    lines = []
    if contact.phone:
        lines.append(("phone", contact.phone, contact.phone_uri))
    if contact.email:
        lines.append(("email", contact.email, f"mailto:{contact.email}"))
    if contact.website:
        shown = contact.website.removeprefix("https://").rstrip("/")
        lines.append(("website", shown, contact.website))
    if contact.address:
        lines.append(("address", contact.address, ""))
    hours = contact.text("hours", lang)
    if hours:
        lines.append(("hours", hours, ""))
    return lines


def sportello_box(compact: bool = False, key: str = "sportello") -> None:
    """Draw the contact in a bordered box (``compact``: no description, for result cards).

    A broken ``sportello.toml`` hides the box and says which file to fix, never a traceback.
    """
    try:
        contact = sportello()
    except DataFileError as error:
        st.error(
            t("nav.data_error", file=error.path.name, path=str(error.path)), icon=":material/error:"
        )
        return
    lang = current_language()
    with st.container(border=True, key=key):
        st.markdown(
            f"**:material/support_agent: {escape_markdown(contact.text('name', lang), 120)}**"
        )
        if not compact:
            description = contact.text("description", lang)
            if description:
                st.markdown(escape_markdown(description, None))
        lines = []
        for label, shown, link in contact_lines(lang):
            text = escape_markdown(shown, 200)
            lines.append(f"{t('sportello.' + label)}: " + (f"[{text}]({link})" if link else text))
        if lines:
            st.markdown("  \n".join(lines))
        if contact.operator:
            st.caption(t("sportello.operator", operator=escape_markdown(contact.operator, 120)))
        if contact.join_url and not compact:  # result cards have their own join button
            st.link_button(t("sportello.join"), contact.join_url, icon=":material/group_add:")
        if not compact and contact.as_of:
            st.caption(t("sportello.as_of", date=fmt.date(contact.as_of, lang)))
