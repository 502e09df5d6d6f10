"""Speed of the resident's estimate (cer_core.resident.estimate), not a test: prints medians.

"cold" = first estimate of a process (weather, PV per geometry, profiles, prices loaded);
"warm" = a repeated estimate after one input changed, with the reference configuration's base run
given (as the Calcolatore page does with ``st.cache_resource``). Target: warm well below the
page's 1 s browser budget (the e2e test measures the browser side).

Run: ``.venv/bin/python benchmarks/bench_calculator.py``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cer_core import resident  # noqa: E402
from cer_core.scenario import simulate  # noqa: E402


def median_ms(function, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> None:
    start = time.perf_counter()
    resident.estimate(resident.ResidentInputs(configuration_id="citta-studi"))
    print(
        f"cold first estimate (consumer, Città Studi): {1000 * (time.perf_counter() - start):.0f} ms"
    )
    base = simulate(resident.reference_scenario("citta-studi", 2026, "central"))
    cases = {
        "consumer": {"option": "consumer"},
        "pv only 4.5 kWp": {"option": "pv", "pv_kwp": 4.5},
        "pv + join 4.5 kWp": {"option": "pv_join", "pv_kwp": 4.5},
        "producer 40 kWp": {"option": "producer", "pv_kwp": 40.0},
    }
    for name, kwargs in cases.items():
        counter = iter(range(10**6))

        def run(kwargs=kwargs, counter=counter):
            # a new annual consumption each time: nothing is reused but the engine's caches
            annual = 2000.0 + next(counter)
            inputs = resident.ResidentInputs(
                configuration_id="citta-studi", annual_kwh=annual, **kwargs
            )
            resident.estimate(inputs, base=base)

        print(f"warm estimate, {name}: {median_ms(run, 15):.1f} ms (median of 15)")
    geometry = iter(range(0, 90, 5))

    def new_tilt():
        inputs = resident.ResidentInputs(
            configuration_id="citta-studi", option="pv_join", surface_tilt=next(geometry)
        )
        resident.estimate(inputs, base=base)

    print(f"estimate with a new panel tilt (pvlib run): {median_ms(new_tilt, 9):.0f} ms")


if __name__ == "__main__":
    main()
