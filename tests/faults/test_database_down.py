"""PostgreSQL stopped while the app runs, then started again (one app process behind nginx).

Expected: the transparency page says plainly that the data cannot be read (and keeps showing what
it had already read), the other pages are unaffected, and everything recovers by itself when the
database is back. The import killed with SIGKILL halfway (all or nothing, re-run idempotent) is
tested on SQLite and on a real PostgreSQL by
``tests/transparency/test_ingest.py::test_import_killed_halfway_leaves_all_or_nothing_and_rerun_is_idempotent``.
"""

from __future__ import annotations

import pytest

from deploy.stack import Stack
from tests.e2e.helpers import EXCEPTION_BOX, open_page

pytestmark = pytest.mark.e2e

ALERT = '[data-testid="stAlert"]'
METRIC = '[data-testid="stMetric"]'


@pytest.fixture(scope="module")
def stack():
    with Stack(processes=1) as running:
        yield running


def alerts(page) -> list[str]:
    return [text.strip() for text in page.locator(ALERT).all_inner_texts()]


def visit(browser, url: str, heading: str):
    """A new browser session on ``url`` (fresh websocket, fresh Streamlit session)."""
    context = browser.new_context(viewport={"width": 1280, "height": 1400}, locale="it-IT")
    page = context.new_page()
    open_page(page, url, heading)  # fails on an exception box
    page.wait_for_timeout(300)
    return context, page


def test_database_down_then_back(stack, browser, screenshots_dir):
    base = stack.url
    context, page = visit(browser, f"{base}/trasparenza", "Trasparenza")
    before = alerts(page)  # e.g. the demo-data banner
    assert page.locator(METRIC).count() >= 6
    context.close()

    stack.postgres.stop()
    try:
        # a period never read before: the page must say the data cannot be read
        context, page = visit(browser, f"{base}/trasparenza?anno=tutti", "Trasparenza")
        page.screenshot(path=str(screenshots_dir / "faults-db-down-trasparenza.png"))
        new = [text for text in alerts(page) if text not in before]
        assert new, "no message says the database cannot be read"
        context.close()

        # what was already read is still shown (cached), without an exception
        context, page = visit(browser, f"{base}/trasparenza", "Trasparenza")
        assert page.locator(METRIC).count() >= 6
        context.close()

        # the other pages do not use the database
        context, page = visit(browser, f"{base}/mappa?indirizzo=Bovisa", "Mappa")
        assert page.get_by_text("Municipio 9").count() >= 1
        context.close()
        context, page = visit(browser, f"{base}/", "CER Milano")
        assert page.get_by_text("Bovisa").count() >= 1
        context.close()
    finally:
        stack.postgres.resume()

    # back by itself: no restart of the app
    context, page = visit(browser, f"{base}/trasparenza?anno=tutti", "Trasparenza")
    assert page.locator(EXCEPTION_BOX).count() == 0
    assert page.locator(METRIC).count() >= 6
    assert [text for text in alerts(page) if text not in before] == []
    context.close()
