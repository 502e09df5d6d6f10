"""Candidates on the Pianificazione pages (AppTest): the admin page exists only with
authentication, and the public page shows candidates without any personal data."""

from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from app.i18n import translate
from cer_core.planning import candidates as cand
from cer_core.transparency import store
from tests.app.apptest import ENTRYPOINT, run_page

ADDRESS = "Via Durando 10"
PRIVATE = "Sig.ra Bianchi citofono 4"
CSV = (
    "candidate_id,municipio,kind,address,estimated_kwp,contact_status,public_note,private_note\n"
    f"M9-001,9,sme,{ADDRESS},25,interested,Tetto piano del laboratorio,{PRIVATE}\n"
)


@pytest.fixture
def own_database(tmp_path, monkeypatch):
    """The app's store on a fresh SQLite file holding one candidate."""
    url = f"sqlite:///{tmp_path / 'store.db'}"
    monkeypatch.setenv("CER_DATABASE_URL", url)
    engine = cand.prepare(store.open_store(url, seed_demo=False))
    locator = lambda address: cand.Place(45.5035, 9.1560, 77)  # noqa: E731
    cand.import_candidates(engine, CSV, "m9.csv", "staff@comune.it", locator)
    engine.dispose()
    st.cache_resource.clear()
    st.cache_data.clear()
    yield url
    st.cache_resource.clear()
    st.cache_data.clear()


def _text(at) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    return "\n".join(parts)


@pytest.mark.parametrize("lang", ["it", "en"])
def test_public_page_shows_candidates_without_personal_data(own_database, lang):
    at = run_page("pianificazione", lang, timeout=120)
    assert not at.exception, [e.value for e in at.exception]
    status = translate(lang, "pianificazione.col_status")
    table = next(df.value for df in at.dataframe if status in df.value.columns)
    assert len(table) == 1
    assert translate(lang, "pianificazione.kind_sme") in set(table.iloc[:, 2])
    everything = table.to_csv() + _text(at) + at.dataframe[0].value.to_csv()
    assert ADDRESS not in everything
    assert PRIVATE not in everything
    assert "staff@" not in everything
    areas = at.dataframe[0].value
    assert areas[translate(lang, "pianificazione.col_candidates")].astype(int).sum() == 1


def test_admin_page_is_not_registered_without_authentication():
    at = AppTest.from_file(ENTRYPOINT, default_timeout=60)
    at.run()
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("views/admin_candidati.py")


def test_admin_page_for_a_logged_in_user(own_database):
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.query_params["lang"] = "en"
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback"}
    at.secrets["transparency"] = {"admins": ["ufficio@comune.milano.it"]}
    at.user["is_logged_in"] = True
    at.user["email"] = "ufficio@comune.milano.it"
    at.user["email_verified"] = True
    at.run()
    at.switch_page("views/admin_candidati.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate("en", "admin_candidati.title")
    assert len(at.get("file_uploader")) == 1
    log = at.dataframe[-1].value
    assert list(log["actor"]) == ["staff@comune.it"]


@pytest.mark.parametrize(
    ("admins", "claims", "refusal"),
    [
        (None, {"email": "ufficio@comune.milano.it", "email_verified": True}, "no_admins"),
        (
            ["ufficio@comune.milano.it"],
            {"email": "altro@example.org", "email_verified": True},
            "not_allowed",
        ),
        (
            ["ufficio@comune.milano.it"],
            {"email": "ufficio@comune.milano.it", "email_verified": False},
            "email_not_verified",
        ),
        (
            [
                "ufficio@comune.milano.it"
            ],  # AppTest's user has a default e-mail: None stands for a provider that sends none
            {"email": None, "name": "ufficio@comune.milano.it"},
            "no_email",
        ),
    ],
)
def test_admin_page_refuses_like_the_transparency_import(own_database, admins, claims, refusal):
    """The candidates' admin page applies the same rule as the import page: a listed admin with
    a verified e-mail claim; never a name standing in for the address."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=120)
    at.query_params["lang"] = "en"
    at.secrets["auth"] = {"redirect_uri": "http://localhost/oauth2callback"}
    if admins is not None:
        at.secrets["transparency"] = {"admins": admins}
    at.user["is_logged_in"] = True
    for claim, value in claims.items():
        at.user[claim] = value
    at.run()
    at.switch_page("views/admin_candidati.py").run()
    assert not at.exception, [e.value for e in at.exception]
    assert len(at.get("file_uploader")) == 0
    expected = translate("en", f"admin.refused_{refusal}", email="X").split("X")[0][:30]
    assert any(expected in error.value for error in at.error), [e.value for e in at.error]
