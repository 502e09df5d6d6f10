"""Who may reach the admin (import) page.

The page exists only when authentication is configured: an ``[auth]`` section in
``.streamlit/secrets.toml`` (``st.login`` with an OIDC provider). Optionally
``[transparency] admins = ["name@example.org", ...]`` restricts it to those e-mail addresses.
Without ``[auth]`` the app is read-only.
"""

from __future__ import annotations

import streamlit as st


def auth_configured() -> bool:
    """True when ``st.login`` has an OIDC configuration in the secrets."""
    try:
        return "auth" in st.secrets
    except (FileNotFoundError, KeyError, AttributeError):
        return False


def allowed_admins() -> list[str] | None:
    """E-mail addresses allowed to import (``None`` = any logged-in user)."""
    try:
        admins = st.secrets["transparency"]["admins"]
    except (FileNotFoundError, KeyError, AttributeError):
        return None
    return [str(a).strip().lower() for a in admins]
