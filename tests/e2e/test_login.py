"""A real OpenID Connect login (issue 14): the app runs ``st.login`` against a local provider
(``oidc-provider-mock``) started by the test, in headless Chromium. Only a listed, verified
e-mail reaches the import page; an unknown user, an unverified e-mail and a provider that sends
no e-mail (only a display name equal to an admin's address) are refused."""

from __future__ import annotations

import re
import secrets

import pytest
from oidc_provider_mock import User, run_server_in_thread
from playwright.sync_api import expect

from app.i18n import translate
from deploy.stack import free_port, start_streamlit, stop_process
from tests.e2e.helpers import wait_for_app

ADMIN = "ufficio.energia@comune.milano.it"
USERS = [
    User(sub="admin", claims={"email": ADMIN, "email_verified": True}),
    User(sub="stranger", claims={"email": "someone@example.org", "email_verified": True}),
    User(sub="unverified", claims={"email": ADMIN, "email_verified": False}),
    User(sub="no-email", claims={"name": ADMIN}),
]


@pytest.fixture(scope="module")
def login_app(tmp_path_factory):
    """``(app_url, provider_url)``: the app with ``[auth]`` pointing at a live local provider."""
    folder = tmp_path_factory.mktemp("login")
    with run_server_in_thread(user_claims=USERS) as provider:
        provider_url = f"http://localhost:{provider.server_port}"
        port = free_port()
        app_url = f"http://localhost:{port}"
        secrets_file = folder / "secrets.toml"
        secrets_file.write_text(
            f"""
[auth]
redirect_uri = "{app_url}/oauth2callback"
cookie_secret = "{secrets.token_hex(32)}"
client_id = "cer-milano-test"
client_secret = "{secrets.token_hex(16)}"
server_metadata_url = "{provider_url}/.well-known/openid-configuration"

[transparency]
admins = ["{ADMIN}"]

[connections.cer]
url = "sqlite:///{folder / "cer.db"}"
""",
            encoding="utf-8",
        )
        process = start_streamlit(
            port,
            env={"STREAMLIT_SECRETS_FILES": str(secrets_file)},
            log_path=folder / "streamlit.log",
        )
        try:
            yield app_url, provider_url
        finally:
            stop_process(process)


def _log_in(browser, app_url: str, provider_url: str, sub: str):
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    page.goto(f"{app_url}/admin")
    wait_for_app(page)
    page.get_by_role("button", name=translate("it", "admin.login")).click()
    page.wait_for_url(re.compile(re.escape(provider_url) + r"/oauth2/authorize.*"), timeout=30_000)
    page.get_by_role("button", name=sub, exact=True).click()
    page.wait_for_url(re.compile(re.escape(app_url) + r".*"), timeout=30_000)
    wait_for_app(page)
    page.goto(f"{app_url}/admin")
    wait_for_app(page)
    return context, page


def test_listed_verified_admin_reaches_the_import_page(browser, login_app):
    context, page = _log_in(browser, *login_app, "admin")
    try:
        shown = page.get_by_text(translate("it", "admin.logged_in_as", email="").strip())
        expect(shown).to_be_visible()
        assert shown.inner_text().replace("\u2060", "").endswith(ADMIN)  # word joiner before @
        expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(1)
    finally:
        context.close()


@pytest.mark.parametrize(
    ("sub", "reason", "email"),
    [
        ("stranger", "not_allowed", "someone@example.org"),
        ("unverified", "email_not_verified", ADMIN),
        ("no-email", "no_email", ""),
    ],
)
def test_other_accounts_are_refused(browser, login_app, sub, reason, email):
    context, page = _log_in(browser, *login_app, sub)
    try:
        alert = page.locator('[data-testid="stAlert"]').first
        expect(alert).to_be_visible()
        expected = translate("it", f"admin.refused_{reason}", email="EMAIL").split("EMAIL")
        for part in expected:
            assert part.strip(" .:") in alert.inner_text().replace("\\", "")
        if email:
            assert email in alert.inner_text().replace("\\", "").replace("\u2060", "")
        expect(page.locator('[data-testid="stFileUploader"]')).to_have_count(0)
    finally:
        context.close()
