"""Every page renders in both languages without an exception (AppTest layer)."""

from __future__ import annotations

import pytest

from app.i18n import translate
from tests.app.apptest import PAGES, run_page


@pytest.mark.parametrize("lang", ["it", "en"])
@pytest.mark.parametrize("page", PAGES)
def test_page_renders_without_exception(page, lang):
    at = run_page(page, lang)
    assert not at.exception, [e.value for e in at.exception]
    assert at.title[0].value == translate(lang, f"{page}.title")


def test_language_switch_changes_text_and_is_read_from_url():
    italian = run_page("home", "it")
    english = run_page("home", "en")
    assert italian.title[0].value != english.title[0].value
    assert english.session_state["lang"] == "en"


def test_unknown_language_in_url_falls_back_to_italian():
    at = run_page("home", "xx")
    assert not at.exception
    assert at.title[0].value == translate("it", "home.title")


def test_home_lists_the_five_pilot_configurations():
    at = run_page("home", "it")
    text = " ".join(m.value for m in at.markdown)
    for name in ("Città Studi", "Niguarda-Affori", "Chiaravalle", "Bovisa", "Campus Ghisolfa"):
        assert f"**{name}**" in text
