"""Shared test fixtures and options.

- ``--remote-data``: run the few tests that need the internet (never in CI), pvlib style.
- ``app_server``: a real ``streamlit run`` of the app on a free loopback port, for e2e tests.
- ``browser``: Debian's Chromium driven by Playwright (never a downloaded browser).
- Every program the suite starts must be in the PROGRAMS list of ``scripts/system_deps.sh`` (``programs_audit``); a
  listed program that is missing FAILS the test naming the Debian package (never a skip).
- Playwright's ``expect`` waits up to 30 s: the suite must pass on a busy 2-core machine, and speed
  is measured in ``benchmarks/``, not here.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import settings

from deploy.programs import MissingProgram, program_path
from deploy.stack import free_port, start_streamlit, stop_process
from tests import programs_audit

# CI explores the same examples on every run (no red build from a new random draw); local runs
# keep exploring new ones. No deadline: this 2-core machine is shared and noisy.
settings.register_profile("ci", derandomize=True, deadline=None, print_blob=True)
settings.register_profile("dev", deadline=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")

REPO_ROOT = Path(__file__).resolve().parents[1]
TESTS_DATA_DIR = Path(__file__).parent / "data"
SCREENSHOTS_DIR = REPO_ROOT / "artifacts" / "screenshots"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
]


#: How long a browser assertion may wait for the app (busy machines are slow, never wrong).
EXPECT_TIMEOUT_MS = 30_000


def pytest_configure(config):
    programs_audit.install()
    # One cache folder (downloads, the default SQLite transparency database) per test process:
    # parallel workers (pytest-xdist) and the app servers they start never share one, and the
    # user's own ~/.cache/cer-milano is never touched. Inherited by every process a test starts.
    if "CER_CACHE_DIR" not in os.environ:
        config._cer_cache_dir = tempfile.mkdtemp(prefix="cer-test-cache-")
        os.environ["CER_CACHE_DIR"] = config._cer_cache_dir
    try:
        from playwright.sync_api import expect
    except ImportError:  # the unit tests run without the browser tools
        return
    expect.set_options(timeout=EXPECT_TIMEOUT_MS)


def pytest_unconfigure(config):
    programs_audit.uninstall()
    made = getattr(config, "_cer_cache_dir", None)
    if made:
        os.environ.pop("CER_CACHE_DIR", None)
        shutil.rmtree(made, ignore_errors=True)


def _missing_program_fails():
    """Hook wrapper body: a listed program absent from the machine fails the test (never a
    skip), with the Debian package to install."""
    try:
        return (yield)
    except MissingProgram as missing:
        pytest.fail(str(missing), pytrace=False)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_setup(item):
    return (yield from _missing_program_fails())


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item):
    return (yield from _missing_program_fails())


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
    from playwright.sync_api import sync_playwright

    executable = program_path("chromium")  # MissingProgram fails the test, naming the package
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=executable, headless=True, args=CHROMIUM_ARGS
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
