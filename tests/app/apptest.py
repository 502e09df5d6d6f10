"""AppTest helpers: run the real entrypoint and switch to a page, in a chosen language."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

ENTRYPOINT = str(Path(__file__).resolve().parents[2] / "app" / "streamlit_app.py")
PAGES = ("home", "mappa", "calcolatore", "trasparenza", "pianificazione")


def run_page(
    page: str, lang: str = "it", query: dict[str, str] | None = None, timeout: float = 60
) -> AppTest:
    """Run the app's ``page`` in ``lang`` (through ``?lang=``) and return the finished AppTest."""
    at = AppTest.from_file(ENTRYPOINT, default_timeout=timeout)
    at.query_params["lang"] = lang
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    if page != "home":
        at.switch_page(f"views/{page}.py").run()
    return at


def open_tab(at: AppTest, key: str, label: str) -> AppTest:
    """Select the tab ``label`` of the tabs ``key`` (tabs that build only the open one) and
    rerun, as a click on the tab does."""
    at.session_state[key] = label
    return at.run()
