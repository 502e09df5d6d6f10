"""Speed of the map lookup: address → area (gazetteer + point-in-polygon), warm and cold.

Quality bar (issue 4): p95 under 50 ms warm. Queries: every row of
``tests/data/addresses_milano.csv`` (438 real addresses in several spellings) plus bad input
(typos, gibberish, other towns). Also times the index build (once per process) and a map click.

Run: ``.venv/bin/python benchmarks/bench_geo.py``
"""

from __future__ import annotations

import csv
import statistics
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.geo import LocationNotFound, locate, locate_point  # noqa: E402
from cer_core.geo.areas import default_index  # noqa: E402
from cer_core.geo.geocode import default_gazetteer  # noqa: E402

BAD = ["asdf", "Via del Corso 1, Roma", "x" * 2000, "<b>hi</b>", "via giuseppe la masa 34"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q / 100 * (len(ordered) - 1)))]


def main() -> dict[str, float]:
    start = time.perf_counter()
    default_index()
    default_gazetteer()
    build_ms = (time.perf_counter() - start) * 1000
    with (REPO / "tests" / "data" / "addresses_milano.csv").open(encoding="utf-8") as handle:
        queries = [row["query"] for row in csv.DictReader(handle)] + BAD
    times = []
    for _ in range(3):
        for query in queries:
            t0 = time.perf_counter()
            try:
                locate(query)
            except LocationNotFound:
                pass
            times.append((time.perf_counter() - t0) * 1000)
    clicks = []
    for i in range(500):
        t0 = time.perf_counter()
        try:
            locate_point(45.40 + (i % 25) * 0.005, 9.08 + (i // 25) * 0.009)
        except LocationNotFound:
            pass
        clicks.append((time.perf_counter() - t0) * 1000)
    result = {
        "index_build_ms": build_ms,
        "lookup_p50_ms": statistics.median(times),
        "lookup_p95_ms": percentile(times, 95),
        "lookup_max_ms": max(times),
        "click_p95_ms": percentile(clicks, 95),
    }
    print(f"geo: {len(times)} address lookups, {len(clicks)} clicks (warm)")
    for name, value in result.items():
        print(f"  {name:16s} {value:8.2f}")
    return result


if __name__ == "__main__":
    main()
