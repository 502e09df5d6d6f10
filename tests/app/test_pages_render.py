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


RELATIVE_RUN = """
from streamlit.testing.v1 import AppTest
at = AppTest.from_file("app/streamlit_app.py", default_timeout=60)
at.run()
assert not at.exception, [e.value for e in at.exception]
at.switch_page("views/mappa.py").run()
assert not at.exception, [e.value for e in at.exception]
print(at.title[0].value)
"""


def test_entrypoint_runs_from_a_relative_path_as_the_streamlit_docs_show():
    """``AppTest.from_file("app/streamlit_app.py")`` called from the repository root (a relative
    path, resolved against the caller) finds every page."""
    import subprocess
    import sys
    from pathlib import Path

    repo_root = Path(__file__).resolve().parents[2]
    done = subprocess.run(
        [sys.executable, "-c", RELATIVE_RUN],
        cwd=repo_root,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == translate("it", "mappa.title")
