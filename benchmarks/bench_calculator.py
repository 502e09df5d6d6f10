"""Speed and memory of the resident's estimate (cer_core.resident.estimate), not a test.

"cold" = first estimate of a process (weather, PV per geometry, profiles, prices loaded and the
three base runs of the configuration simulated); "warm" = an estimate after one input changed,
with the base runs reused from a :class:`cer_core.resident.ReferenceRuns` (as the Calcolatore
does, one per server process). Goal (issue 12): warm ≤ 5 ms. "kept per cached estimate" = the
memory an estimate holds once built (what the page's estimate cache keeps per entry), measured
with tracemalloc over 30 distinct inputs.

"page faults" = minor page faults per warm estimate. Where an estimate frees more than glibc's
trim threshold at the top of the heap, the memory goes back to the OS and every next estimate
faults it in again (about 460 faults, 1-3 ms on the project's VM, for "pv + join" before the
incentivised energy was kept row by row): a new (plants × hours) temporary shows up here first.

Run: ``.venv/bin/python benchmarks/bench_calculator.py``
"""

from __future__ import annotations

import resource
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cer_core import resident  # noqa: E402


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


CASES = {
    "consumer": {"option": "consumer"},
    "pv only 4.5 kWp": {"option": "pv", "pv_kwp": 4.5},
    "pv + join 4.5 kWp": {"option": "pv_join", "pv_kwp": 4.5},
    "producer 40 kWp": {"option": "producer", "pv_kwp": 40.0},
}


def kept_per_estimate_mb(runs: resident.ReferenceRuns, kwargs: dict, n: int = 30) -> float:
    """Memory an estimate keeps after it is built [MB] (mean over ``n`` distinct inputs)."""
    resident.estimate(resident.ResidentInputs(configuration_id="citta-studi", **kwargs), runs)
    tracemalloc.start()
    before, _ = tracemalloc.get_traced_memory()
    kept = [
        resident.estimate(
            resident.ResidentInputs(
                configuration_id="citta-studi", annual_kwh=2100.0 + k, **kwargs
            ),
            runs,
        )
        for k in range(n)
    ]
    after, _ = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    return (after - before) / n / 2**20


def main() -> None:
    runs = resident.ReferenceRuns()
    start = time.perf_counter()
    resident.estimate(resident.ResidentInputs(configuration_id="citta-studi"), runs)
    print(
        f"cold first estimate (consumer, Città Studi): {1000 * (time.perf_counter() - start):.0f} ms"
    )
    for name, kwargs in CASES.items():
        resident.estimate(resident.ResidentInputs(configuration_id="citta-studi", **kwargs), runs)
        counter = iter(range(10**6))

        def run(kwargs=kwargs, counter=counter):
            # a new annual consumption each time: nothing is reused but the base runs and the
            # engine's caches
            annual = 2000.0 + next(counter)
            inputs = resident.ResidentInputs(
                configuration_id="citta-studi", annual_kwh=annual, **kwargs
            )
            resident.estimate(inputs, runs)

        faults = resource.getrusage(resource.RUSAGE_SELF).ru_minflt
        ms = median_ms(run, 30)
        faults = (resource.getrusage(resource.RUSAGE_SELF).ru_minflt - faults) / 30
        print(
            f"warm estimate, {name}: {ms:.1f} ms (median of 30; goal ≤ 5), "
            f"{faults:.0f} page faults per estimate"
        )
    geometry = iter(range(0, 90, 5))

    def new_tilt():
        inputs = resident.ResidentInputs(
            configuration_id="citta-studi", option="pv_join", surface_tilt=next(geometry)
        )
        resident.estimate(inputs, runs)

    print(f"estimate with a new panel tilt (pvlib run): {median_ms(new_tilt, 9):.0f} ms")
    for name in ("consumer", "pv + join 4.5 kWp"):
        mb = kept_per_estimate_mb(runs, CASES[name])
        print(f"kept per cached estimate, {name}: {mb:.2f} MB")


if __name__ == "__main__":
    main()
