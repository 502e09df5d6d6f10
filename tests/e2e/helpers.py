"""Helpers for driving the app in headless Chromium."""

from __future__ import annotations

import weakref

from playwright.sync_api import Page, WebSocket, expect
from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

EXCEPTION_BOX = '[data-testid="stException"]'


#: Generous: a busy 2-core machine is slow, never wrong. Speed is measured in benchmarks/.
TIMEOUT_MS = 60_000

# Streamlit marks its root with the script's state ("initial", "running", "notRunning", …) and
# every element left from the previous run with data-stale="true" until the run replaces it.
_SETTLED = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    return !!app
        && app.getAttribute('data-test-script-state') === 'notRunning'
        && app.getAttribute('data-test-connection-state') === 'CONNECTED'
        && document.querySelectorAll('[data-stale="true"]').length === 0;
}"""


class RunCounter:
    """Counts the script runs the server reports finished to one page, from the websocket.

    Streamlit ends every run with a ``script_finished`` ForwardMsg: the app's own signal, read
    from the protocol rather than from the DOM (a quick run can start and end between two paints,
    and a DOM attribute then never changes).
    """

    def __init__(self, page: Page):
        self.finished = 0
        page.on("websocket", self._attach)

    def _attach(self, websocket: WebSocket) -> None:
        if "/_stcore/stream" in websocket.url:
            websocket.on("framereceived", self._frame)

    def _frame(self, payload) -> None:
        if not isinstance(payload, bytes | bytearray):
            return
        message = ForwardMsg()
        try:
            message.ParseFromString(bytes(payload))
        except Exception:  # noqa: BLE001 - not a ForwardMsg: not a run's end either
            return
        if (
            message.WhichOneof("type") == "script_finished"
            and message.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN
        ):
            self.finished += 1


_COUNTERS: weakref.WeakKeyDictionary[Page, RunCounter] = weakref.WeakKeyDictionary()


def run_counter(page: Page) -> RunCounter:
    """The page's run counter, created on first use (before the page opens its websocket)."""
    if page not in _COUNTERS:
        _COUNTERS[page] = RunCounter(page)
    return _COUNTERS[page]


def wait_for_runs(page: Page, counter: RunCounter, above: int, timeout_ms: int) -> None:
    """Wait until ``counter`` has seen more than ``above`` finished runs (events are delivered
    while Playwright waits, so the loop waits in small steps)."""
    waited = 0
    while counter.finished <= above:
        if waited >= timeout_ms:
            raise TimeoutError(f"no script run finished within {timeout_ms / 1000:.0f} s")
        page.wait_for_timeout(50)
        waited += 50


def wait_for_app(page: Page, timeout_ms: int = TIMEOUT_MS) -> None:
    """Wait until Streamlit has finished its run and replaced every stale element.

    The state must hold for two consecutive checks 250 ms apart: a widget's value can start a
    second run right after the first ends (query parameters written back, a rerun requested).
    """
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    for _ in range(2):
        page.wait_for_function(_SETTLED, timeout=timeout_ms, polling=100)
        page.wait_for_timeout(250)
    page.wait_for_function(_SETTLED, timeout=timeout_ms, polling=100)


def rerun(page: Page, action, timeout_ms: int = TIMEOUT_MS) -> None:
    """Do ``action()`` (a click, a key press) and wait for the run it starts to finish.

    Waiting for "not running" alone races with the run's start: right after the action the state
    still reads "notRunning" from the run before. So the finished runs are counted from before
    the action, on the websocket (:class:`RunCounter`).
    """
    counter = run_counter(page)
    before = counter.finished
    action()
    wait_for_runs(page, counter, before, timeout_ms)
    wait_for_app(page, timeout_ms)


def open_page(page: Page, url: str, heading: str, timeout_ms: int = TIMEOUT_MS) -> None:
    """Open ``url``, wait for the main heading ``heading`` and for the run to end."""
    counter = run_counter(page)
    before = counter.finished
    page.goto(url)
    wait_for_runs(page, counter, before, timeout_ms)
    expect(page.get_by_role("heading", level=1).filter(has_text=heading).first).to_be_visible(
        timeout=timeout_ms
    )
    wait_for_app(page, timeout_ms)
    assert page.locator(EXCEPTION_BOX).count() == 0, page.locator(EXCEPTION_BOX).first.inner_text()
    assert page.get_by_text("Page not found").count() == 0, f"{url}: Streamlit says page not found"


def page_url(base: str, page_name: str, query: str = "") -> str:
    """URL of one of the app's pages (Home is the root)."""
    path = "" if page_name == "home" else page_name
    return f"{base}/{path}{'?' + query if query else ''}"


def full_screenshot(page: Page, path, max_height: int = 6000) -> None:
    """Screenshot the whole page: Streamlit scrolls inside its main block, so grow the viewport."""
    size = page.viewport_size or {"width": 1280, "height": 900}
    height = page.evaluate(
        """() => {
            const block = document.querySelector('[data-testid="stMainBlockContainer"]');
            return block ? block.scrollHeight + 160 : document.body.scrollHeight;
        }"""
    )
    page.set_viewport_size({"width": size["width"], "height": min(max(height, 600), max_height)})
    page.wait_for_timeout(400)
    page.screenshot(path=str(path))
    page.set_viewport_size(size)
