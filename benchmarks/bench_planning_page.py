"""First view of the Pianificazione page, cold and warm, in AppTest (not a test): prints seconds.

Run: ``.venv/bin/python benchmarks/bench_planning_page.py``. Target (issue 17): < 2 s on a warm
server. "Warm" = a new session (new AppTest) in a process whose caches (``st.cache_data``, PV per
geometry, profiles, prices) were filled by an earlier session, as on a running server. AppTest
runs the script in-process without the browser: network and rendering time are not included.
"""

from __future__ import annotations

import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

ENTRYPOINT = str(Path(__file__).resolve().parents[1] / "app" / "streamlit_app.py")


def first_view() -> float:
    start = time.perf_counter()
    at = AppTest.from_file(ENTRYPOINT, default_timeout=300)
    at.run()
    at.switch_page("views/pianificazione.py").run()
    elapsed = time.perf_counter() - start
    assert not at.exception, [e.value for e in at.exception]
    return elapsed


def main() -> None:
    cold = first_view()
    warm = statistics.median(first_view() for _ in range(3))
    print(f"Pianificazione first view, cold process: {cold:5.2f} s")
    print(f"Pianificazione first view, warm (target < 2 s): {warm:5.2f} s")


if __name__ == "__main__":
    main()
