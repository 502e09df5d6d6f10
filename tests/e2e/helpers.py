"""Helpers for driving the app in headless Chromium."""

from __future__ import annotations

from playwright.sync_api import Page, expect

EXCEPTION_BOX = '[data-testid="stException"]'


def wait_for_app(page: Page, timeout_ms: int = 30_000) -> None:
    """Wait until Streamlit has finished running the script and drawn what it sent."""
    page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    page.wait_for_selector(
        '[data-testid="stApp"][data-test-script-state="notRunning"]', timeout=timeout_ms
    )
    # The script state flips a moment before the last elements are painted.
    page.wait_for_timeout(500)


def open_page(page: Page, url: str, heading: str, timeout_ms: int = 30_000) -> None:
    """Open ``url``, wait for the main heading ``heading`` and for the run to end."""
    page.goto(url)
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
