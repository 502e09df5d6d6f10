"""What the first visit of each page pays: time to the page's frame, and to its finished run.

    .venv/bin/python benchmarks/bench_first_load.py [--pages home mappa ...] [--width 390]

For each page, starts its own ``streamlit run`` (so the **cold** visit is the first request the
process serves, straight to that page, as from a shared link; with ``--after-home S`` the
first visitor reads Home for S seconds first, the common path, while the server warms up) and Debian's headless Chromium
(Playwright, no browser download). Then a **warm** visit: a new browser context (a new session)
on the same server. For each visit it records, from ``page.goto``:

* ``shell_s``: the sidebar's page list is visible (Streamlit's client is up and the entrypoint,
  shared by every page, has run);
* ``frame_s``: the page's main heading is visible (the resident sees the page, not a blank one);
* ``progress_s``: the heading, a spinner or the app's "loading the page" line is visible
  (Streamlit's own "running" icon in the corner does not count: residents do not notice it);
* ``done_s``: the server reports the first run finished (``script_finished`` on the websocket,
  polled every 50 ms).

Prints one line per page and visit; results also go to ``artifacts/bench_first_load.json``.
Hold the machine-wide lock: ``flock /tmp/cer-heavy.lock nice -n 5 <command>``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from app.i18n import translate  # noqa: E402
from deploy.programs import program_path  # noqa: E402
from deploy.stack import free_port, start_streamlit, stop_process  # noqa: E402
from tests.conftest import CHROMIUM_ARGS  # noqa: E402
from tests.e2e.helpers import page_url, run_counter, wait_for_app, wait_for_runs  # noqa: E402

PAGES = {
    "home": "home.title",
    "mappa": "mappa.title",
    "calcolatore": "calcolatore.title",
    "trasparenza": "trasparenza.title",
    "pianificazione": "pianificazione.title",
}
#: The page's own heading, a spinner, or the app's "loading the page" line (a CSS ``::before`` of
#: the main block, see app/components/page_loading.py) once it has faded in.
PROGRESS_JS = """() => {
    if (document.querySelector('h1, [data-testid="stSpinner"]')) return true;
    const main = document.querySelector('[data-testid="stMainBlockContainer"]');
    if (!main) return false;
    const before = getComputedStyle(main, '::before');
    return before.content !== 'none' && before.content !== '' && Number(before.opacity) > 0.5;
}"""
TIMEOUT_MS = 120_000


def visit(browser, url: str, heading: str, width: int) -> dict:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    counter = run_counter(page)
    start = time.perf_counter()
    page.goto(url)
    page.locator('[data-testid="stSidebarNav"]').first.wait_for(state="visible", timeout=TIMEOUT_MS)
    shell_s = time.perf_counter() - start
    title = page.get_by_role("heading", level=1).filter(has_text=heading).first
    page.wait_for_function(PROGRESS_JS, timeout=TIMEOUT_MS, polling=50)
    progress_s = time.perf_counter() - start
    title.wait_for(state="visible", timeout=TIMEOUT_MS)
    frame_s = time.perf_counter() - start
    wait_for_runs(page, counter, 0, TIMEOUT_MS)  # polls every 50 ms
    done_s = time.perf_counter() - start
    wait_for_app(page, TIMEOUT_MS)  # any rerun the first one asked for (not timed)
    context.close()
    return {
        "shell_s": round(shell_s, 3),
        "progress_s": round(progress_s, 3),
        "frame_s": round(frame_s, 3),
        "done_s": round(done_s, 3),
    }


def visit_after_home(browser, base: str, url: str, heading: str, width: int, read_s: float):
    """A resident who reads Home for ``read_s`` seconds, then opens the page (same session)."""
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(base)
    page.get_by_role("heading", level=1).first.wait_for(state="visible", timeout=TIMEOUT_MS)
    page.wait_for_timeout(read_s * 1000)
    context.close()
    return visit(browser, url, heading, width)


def measure(pages: list[str], width: int, lang: str, after_home_s: float | None = None) -> dict:
    from playwright.sync_api import sync_playwright

    results: dict[str, dict] = {}
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=program_path("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        for name in pages:
            port = free_port()
            started = time.perf_counter()
            server = start_streamlit(port)
            server_s = time.perf_counter() - started
            try:
                url = page_url(f"http://127.0.0.1:{port}", name, f"lang={lang}")
                heading = translate(lang, PAGES[name])
                if after_home_s is None:
                    cold = visit(browser, url, heading, width)
                else:
                    base = f"http://127.0.0.1:{port}/?lang={lang}"
                    cold = visit_after_home(browser, base, url, heading, width, after_home_s)
                warm = visit(browser, url, heading, width)
            finally:
                stop_process(server)
            results[name] = {"server_start_s": round(server_s, 3), "cold": cold, "warm": warm}
            for kind in ("cold", "warm"):
                r = results[name][kind]
                print(
                    f"{name:15} {kind}: shell {r['shell_s']:.2f} s, progress "
                    f"{r['progress_s']:.2f} s, frame "
                    f"{r['frame_s']:.2f} s, done {r['done_s']:.2f} s ({width} px)",
                    flush=True,
                )
        browser.close()
    return results


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", nargs="+", choices=list(PAGES), default=list(PAGES))
    parser.add_argument("--width", type=int, default=1280, help="viewport width [px]")
    parser.add_argument("--lang", choices=("it", "en"), default="it")
    parser.add_argument(
        "--after-home",
        type=float,
        metavar="SECONDS",
        help="the first visit comes after reading Home for SECONDS on the fresh server",
    )
    args = parser.parse_args(argv)
    result = measure(args.pages, args.width, args.lang, args.after_home)
    suffix = "" if args.after_home is None else f"_after_home_{args.after_home:g}s"
    out = REPO_ROOT / "artifacts" / f"bench_first_load_{args.width}{suffix}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
