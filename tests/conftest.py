"""Shared test fixtures and options.

- ``--remote-data``: run the few tests that need the internet (never in CI), pvlib style.
- ``app_server``: a real ``streamlit run`` of the app on a free loopback port, for e2e tests.
- ``browser``: Debian's Chromium driven by Playwright (never a downloaded browser).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import settings

from deploy.stack import free_port, start_streamlit, stop_process

# CI explores the same examples on every run (no red build from a new random draw); local runs
# keep exploring new ones. No deadline: this 2-core machine is shared and noisy.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO_ROOT = Path(__file__).resolve().parents[1]
TESTS_DATA_DIR = Path(__file__).parent / "data"
SCREENSHOTS_DIR = REPO_ROOT / "artifacts" / "screenshots"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


def pytest_addoption(parser):
    parser.addoption("--remote-data", action="store_true", help="run tests that need the internet")


def pytest_collection_modifyitems(config, items):
    if config.getoption("--remote-data"):
        return
    skip = pytest.mark.skip(reason="needs --remote-data (internet)")
    for item in items:
        if "remote_data" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(scope="session")
def app_server():
    """Base URL of a live app server shared by the e2e tests."""
    port = free_port()
    process = start_streamlit(port)
    yield f"http://127.0.0.1:{port}"
    stop_process(process)


@pytest.fixture(scope="session")
def browser():
    """Headless Debian Chromium through Playwright."""
    playwright_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} missing: run `make system-deps` (apt-get install chromium)")
    with playwright_api.sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    """A fresh desktop-sized browser page (1280 × 900)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="it-IT")
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture(scope="session")
def screenshots_dir() -> Path:
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS_DIR
