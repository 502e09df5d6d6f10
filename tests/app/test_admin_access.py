"""The admin page's access rule: a listed, verified e-mail from the identity provider — nothing
else (issue 14: no list meant any account; a missing e-mail fell back to the display name)."""

from __future__ import annotations

import pytest

from app.components.admin_access import check_access

ADMINS = ["ufficio@comune.milano.it"]


@pytest.mark.parametrize(
    ("user", "admins", "reason"),
    [
        ({}, ADMINS, "not_logged_in"),
        (
            {"is_logged_in": False, "email": ADMINS[0], "email_verified": True},
            ADMINS,
            "not_logged_in",
        ),
        ({"is_logged_in": True, "email": ADMINS[0], "email_verified": True}, [], "no_admins"),
        ({"is_logged_in": True, "name": ADMINS[0], "email_verified": True}, ADMINS, "no_email"),
        ({"is_logged_in": True, "email": "", "email_verified": True}, ADMINS, "no_email"),
        ({"is_logged_in": True, "email": ADMINS[0]}, ADMINS, "email_not_verified"),
        (
            {"is_logged_in": True, "email": ADMINS[0], "email_verified": False},
            ADMINS,
            "email_not_verified",
        ),
        (
            {"is_logged_in": True, "email": ADMINS[0], "email_verified": "false"},
            ADMINS,
            "email_not_verified",
        ),
        (
            {"is_logged_in": True, "email": "x@example.org", "email_verified": True},
            ADMINS,
            "not_allowed",
        ),
        (
            {"is_logged_in": True, "email": "Ufficio@Comune.Milano.IT", "email_verified": True},
            ADMINS,
            "ok",
        ),
        ({"is_logged_in": True, "email": ADMINS[0], "email_verified": "true"}, ADMINS, "ok"),
    ],
)
def test_access_rule(user, admins, reason):
    access = check_access(user, admins)
    assert access.reason == reason
    assert access.allowed == (reason == "ok")
