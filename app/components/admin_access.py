"""Who may reach the admin (import) page.

The page exists only when authentication is configured: an ``[auth]`` section in
``.streamlit/secrets.toml`` (``st.login`` with an OpenID Connect provider). It works only for the
e-mail addresses listed in ``[transparency] admins = ["name@example.org", ...]``: without that
list nobody may import (a logged-in account is not enough: any account of the provider can log
in). The address must come from the provider's ``email`` claim with ``email_verified = true``;
a display name is never taken for an address. Without ``[auth]`` the app is read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import streamlit as st


def auth_configured() -> bool:
    """True when ``st.login`` has an OIDC configuration in the secrets."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False


def allowed_admins() -> list[str]:
    """E-mail addresses allowed to import, lower case (empty when the list is missing)."""
    try:
        admins = st.secrets["transparency"]["admins"]
    except (FileNotFoundError, KeyError, AttributeError, TypeError):
        return []
    if isinstance(admins, str):  # admins = "a@b.it" instead of a list
        admins = [admins]
    return [str(a).strip().lower() for a in admins if str(a).strip()]


@dataclass(frozen=True)
class Access:
    """Outcome of :func:`check_access`.

    ``reason`` is ``"ok"``, ``"not_logged_in"``, ``"no_admins"`` (the list is not configured),
    ``"no_email"``, ``"email_not_verified"`` or ``"not_allowed"``; ``email`` is the provider's
    address when it gave one (shown to the user, recorded in the audit log when allowed).
    """

    reason: str
    email: str = ""

    @property
    def allowed(self) -> bool:
        return self.reason == "ok"


def _is_true(value: object) -> bool:
    # Some providers send the claim as the string "true".
    return value is True or (isinstance(value, str) and value.strip().lower() == "true")


def check_access(user: Mapping, admins: list[str]) -> Access:
    """Decide whether the logged-in ``user`` (``st.user``) may import.

    Parameters
    ----------
    user : Mapping
        The identity provider's claims (``is_logged_in``, ``email``, ``email_verified``, …).
    admins : list of str
        Allowed addresses, lower case (:func:`allowed_admins`).
    """
    if not user.get("is_logged_in"):
        return Access("not_logged_in")
    email = str(user.get("email") or "").strip()
    if not admins:
        return Access("no_admins", email)
    if not email:
        return Access("no_email")
    if not _is_true(user.get("email_verified")):
        return Access("email_not_verified", email)
    if email.lower() not in admins:
        return Access("not_allowed", email)
    return Access("ok", email)


def require_admin(page: str) -> str:
    """Stop the page unless a listed admin with a verified e-mail is logged in; return the e-mail.

    One gate for every admin page (transparency import, planning candidates): a login button when
    nobody is logged in, the reason and a logout button when the account is refused. ``page`` is
    the page's catalogue prefix (``admin``, ``admin_candidati``): its ``login_needed`` and
    ``login`` texts are shown, and its widget keys are derived from it.
    """
    from app.components.text import escape_markdown
    from app.i18n import t

    access = check_access(st.user, allowed_admins())
    if access.reason == "not_logged_in":
        st.info(t(f"{page}.login_needed"), icon=":material/login:")
        if st.button(t(f"{page}.login"), icon=":material/login:", key=f"{page}_login"):
            st.login()
        st.stop()
    if not access.allowed:
        st.error(
            t(f"admin.refused_{access.reason}", email=escape_markdown(access.email)),
            icon=":material/block:",
        )
        if st.button(t("admin.logout"), key=f"{page}_logout_refused"):
            st.logout()
        st.stop()
    return access.email
