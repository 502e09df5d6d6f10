"""Load benchmark: concurrent residents in real headless Chromium against the deployed stack.

    .venv/bin/python benchmarks/load_sessions.py                      # 1, 5, 10, 20 sessions
    .venv/bin/python benchmarks/load_sessions.py --sessions 1,3 --rounds 1   # quick check
    .venv/bin/python benchmarks/load_sessions.py --url https://cer.example   # an existing deployment

Starts ``deploy/stack.py``'s loopback stack (PostgreSQL + ``--processes`` Streamlit processes +
nginx) unless ``--url`` is given. Each session is a fresh browser context (its own cookies, so
nginx spreads sessions over the processes) doing what a resident does: open the map, search an
address, open the calculator for that address, change two inputs (annual consumption, then the
choice "PV on my roof"), read the results; ``--rounds`` times. Measured: time from the input
change to the updated result (the result cards' text changed and the run ended), per change;
p50/p95 per concurrency level; RSS of the app processes before the level and with every session
of the level open, divided by the sessions. Ends with the largest level whose p95 < 2 s.

Bounded: per-step timeout, ``--max-minutes`` for the whole run (remaining levels are skipped),
loopback only. The browser runs on the same machine as the stack: its CPU use inflates the
latencies, so the numbers are pessimistic for a deployment where browsers are elsewhere.
Results: printed table and ``artifacts/load_sessions.json``.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO_ROOT))

from app.i18n import translate  # noqa: E402
from deploy.programs import program_path  # noqa: E402
from deploy.stack import Stack  # noqa: E402

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-quic",
    "--no-first-run",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ADDRESSES = (
    "Piazza Leonardo da Vinci 32",
    "Viale Monza 120",
    "Città Studi",
    "Bovisa",
    "Via Padova 100",
    "Niguarda",
)
TARGET_P95_S = 2.0
STATUS_RUNNING_JS = """() => {
    const s = document.querySelector('[data-testid="stStatusWidget"]');
    return !!s && /Running|In esecuzione/i.test(s.innerText);
}"""
RESULT_JS = """() => Array.from(document.querySelectorAll('[data-testid="stMetric"]'))
    .map(e => e.innerText).join('|')"""
WAIT_CHANGED_JS = """([before]) => {
    const s = document.querySelector('[data-testid="stStatusWidget"]');
    const running = !!s && /Running|In esecuzione/i.test(s.innerText);
    const now = Array.from(document.querySelectorAll('[data-testid="stMetric"]'))
        .map(e => e.innerText).join('|');
    return !running && now !== '' && now !== before;
}"""


@dataclass
class Level:
    sessions: int
    changes_s: list[float] = field(default_factory=list)
    search_s: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    rss_before_mb: float = 0.0
    rss_peak_mb: float = 0.0
    wall_s: float = 0.0

    def pct(self, values: list[float], q: float) -> float | None:
        if not values:
            return None
        ordered = sorted(values)
        return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]

    def summary(self) -> dict:
        per_session = (self.rss_peak_mb - self.rss_before_mb) / self.sessions
        return {
            "sessions": self.sessions,
            "changes": len(self.changes_s),
            "p50_s": self.pct(self.changes_s, 0.50),
            "p95_s": self.pct(self.changes_s, 0.95),
            "max_s": max(self.changes_s) if self.changes_s else None,
            "search_p50_s": self.pct(self.search_s, 0.50),
            "search_p95_s": self.pct(self.search_s, 0.95),
            "failures": len(self.failures),
            "rss_before_mb": round(self.rss_before_mb, 1),
            "rss_peak_mb": round(self.rss_peak_mb, 1),
            "mb_per_session": round(per_session, 1),
            "wall_s": round(self.wall_s, 1),
        }


def rss_mb(pids: list[int]) -> float:
    """Resident memory of the processes [MB] (from /proc)."""
    total_kb = 0
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total_kb += int(line.split()[1])
        except OSError:
            continue
    return total_kb / 1024


class Labels:
    """The visible texts the sessions click on, from the app's own catalogues."""

    def __init__(self, lang: str = "it"):
        self.search = translate(lang, "mappa.search_label")
        self.annual = translate(lang, "calcolatore.annual_label")
        self.option_pv = translate(lang, "calcolatore.option_pv")
        self.option_consumer = translate(lang, "calcolatore.option_consumer")


async def wait_idle(page, timeout_ms: int) -> None:
    await page.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    await page.wait_for_timeout(200)
    await page.wait_for_function(f"() => !({STATUS_RUNNING_JS})()", timeout=timeout_ms)


async def timed_change(page, action, timeout_ms: int) -> float:
    """Seconds from ``action`` (an input change) to updated result cards."""
    before = await page.evaluate(RESULT_JS)
    start = time.perf_counter()
    await action()
    await page.wait_for_function(WAIT_CHANGED_JS, arg=[before], timeout=timeout_ms, polling=50)
    return time.perf_counter() - start


async def resident(
    number: int, browser, base: str, labels: Labels, rounds: int, level: Level, timeout_ms: int
):
    rng = random.Random(number)
    context = await browser.new_context(viewport={"width": 1280, "height": 1000}, locale="it-IT")
    page = await context.new_page()
    try:
        address = ADDRESSES[number % len(ADDRESSES)]
        await page.goto(f"{base}/mappa", timeout=timeout_ms)
        await wait_idle(page, timeout_ms)
        box = page.get_by_label(labels.search)
        await box.fill(address)
        start = time.perf_counter()
        await box.press("Enter")
        await page.locator(".st-key-mappa_result").wait_for(timeout=timeout_ms)
        level.search_s.append(time.perf_counter() - start)

        await page.goto(f"{base}/calcolatore?indirizzo={address}", timeout=timeout_ms)
        await wait_idle(page, timeout_ms)
        await page.locator('[data-testid="stMetric"]').first.wait_for(timeout=timeout_ms)
        annual = page.get_by_role("spinbutton", name=labels.annual)
        for _ in range(rounds):
            kwh = rng.randrange(1500, 6000, 50)

            async def change_consumption(kwh=kwh):
                await annual.fill(str(kwh))
                await annual.press("Enter")

            level.changes_s.append(await timed_change(page, change_consumption, timeout_ms))
            option = page.locator('[data-testid="stRadio"] label').filter(has_text=labels.option_pv)
            level.changes_s.append(await timed_change(page, option.first.click, timeout_ms))
            await page.evaluate(RESULT_JS)  # read the results
            back = page.locator('[data-testid="stRadio"] label').filter(
                has_text=labels.option_consumer
            )
            await timed_change(page, back.first.click, timeout_ms)  # reset, not measured
    except Exception as exc:  # noqa: BLE001 - a failed session is counted, the run goes on
        level.failures.append(f"session {number}: {type(exc).__name__}: {str(exc)[:200]}")
    return context


async def run_level(
    browser, base: str, sessions: int, rounds: int, pids: list[int], timeout_ms: int
) -> Level:
    level = Level(sessions)
    labels = Labels()
    level.rss_before_mb = rss_mb(pids)
    start = time.perf_counter()
    contexts = await asyncio.gather(
        *(resident(n, browser, base, labels, rounds, level, timeout_ms) for n in range(sessions))
    )
    level.wall_s = time.perf_counter() - start
    await asyncio.sleep(1)  # every session is still open (websockets connected)
    level.rss_peak_mb = rss_mb(pids)
    for context in contexts:
        await context.close()
    await asyncio.sleep(3)  # let the server drop the closed sessions
    return level


async def benchmark(args, base: str, pids: list[int]) -> list[Level]:
    from playwright.async_api import async_playwright

    deadline = time.monotonic() + args.max_minutes * 60
    results: list[Level] = []
    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(
            executable_path=program_path("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        # warm-up: every process loads its data once (st.cache_resource), not measured
        # (3 sessions per process: with random cookies every process gets some, most likely)
        await run_level(browser, base, 3 * max(1, len(pids)), 1, pids, args.timeout * 1000)
        queue = list(args.sessions)
        extra = 0
        while queue:
            sessions = queue.pop(0)
            if time.monotonic() > deadline:
                print(f"skipping {sessions} sessions: --max-minutes reached", flush=True)
                continue
            level = await run_level(browser, base, sessions, args.rounds, pids, args.timeout * 1000)
            results.append(level)
            print(json.dumps(level.summary()), flush=True)
            for failure in level.failures[:5]:
                print(f"  {failure}", flush=True)
            if not queue and extra < args.bisect:
                # narrow down the largest level that meets the target between two measured ones
                ok = [lv.sessions for lv in results if meets_target(lv)]
                low = max(ok, default=0)
                high = min((lv.sessions for lv in results if lv.sessions > low), default=None)
                if high is not None and high - low > 1:
                    queue.append((low + high) // 2 if low else max(1, high // 2))
                    extra += 1
                elif high is None and low:  # every level met the target: try more
                    queue.append(low * 3 // 2)
                    extra += 1
        await browser.close()
    return results


def meets_target(level: Level) -> bool:
    p95 = level.summary()["p95_s"]
    return p95 is not None and p95 < TARGET_P95_S and not level.failures


def table(results: list[Level], processes: int) -> str:
    lines = [
        f"| sessions | changes | p50 [s] | p95 [s] | max [s] | search p50 [s] | failures | "
        f"app RSS before → peak [MB] ({processes} proc.) | MB per session |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]

    def f(x):
        return "–" if x is None else f"{x:.2f}"

    for level in results:
        s = level.summary()
        lines.append(
            f"| {s['sessions']} | {s['changes']} | {f(s['p50_s'])} | {f(s['p95_s'])} | "
            f"{f(s['max_s'])} | {f(s['search_p50_s'])} | {s['failures']} | "
            f"{s['rss_before_mb']:.0f} → {s['rss_peak_mb']:.0f} | {s['mb_per_session']:.1f} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", default="1,5,10,20", help="levels, comma-separated")
    parser.add_argument("--rounds", type=int, default=3, help="input-change rounds per session")
    parser.add_argument("--processes", type=int, default=2, help="app processes in the stack")
    parser.add_argument("--url", help="benchmark this deployment instead of starting a stack")
    parser.add_argument("--timeout", type=float, default=60, help="per-step timeout [s]")
    parser.add_argument("--max-minutes", type=float, default=15, help="stop starting new levels")
    parser.add_argument(
        "--bisect", type=int, default=2, help="extra levels to narrow the p95 < 2 s limit"
    )
    parser.add_argument(
        "--output", type=Path, default=REPO_ROOT / "artifacts" / "load_sessions.json"
    )
    args = parser.parse_args(argv)
    args.sessions = [int(x) for x in args.sessions.split(",") if x.strip()]

    stack = None
    if args.url:
        base, pids = args.url.rstrip("/"), []
    else:
        # production-like: no demo reseeding surprises, caches in the stack's folder
        stack = Stack(processes=args.processes).start()
        base, pids = stack.url, [p.pid for p in stack.apps]
        print(f"stack on {base}: {args.processes} app processes {stack.app_ports}", flush=True)
    try:
        results = asyncio.run(benchmark(args, base, pids))
    finally:
        if stack is not None:
            stack.stop()

    good = [lv.sessions for lv in results if meets_target(lv)]
    results.sort(key=lambda lv: lv.sessions)
    print()
    print(table(results, args.processes))
    print(
        f"\nlargest level with p95 < {TARGET_P95_S:.0f} s and no failure: "
        f"{max(good) if good else 'none'} sessions ({os.cpu_count()} CPU cores)"
    )
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(
        json.dumps(
            {
                "processes": args.processes,
                "rounds": args.rounds,
                "largest_level_meeting_target": max(good) if good else None,
                "cpu_count": os.cpu_count(),
                "levels": [lv.summary() | {"failures_text": lv.failures} for lv in results],
            },
            indent=2,
        )
    )
    print(f"wrote {args.output}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
