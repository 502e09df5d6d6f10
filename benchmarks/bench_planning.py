"""Speed of the municipal-roofs planner (not a test): prints medians.

Run: ``.venv/bin/python benchmarks/bench_planning.py``. Target (issue 17): ranking 50 candidate
roofs against 200 supply points < 2 s warm — after the PV per geometry, profiles and prices are
cached, i.e. a second run of the same ranking in the same process (as the page and a long-lived
CLI session see it). Also reported: the cold first run (pvlib for 50 geometries) and the greedy
alone on ready hourly arrays, unlimited budget (50 steps) and a 1 MWp cap.
"""

from __future__ import annotations

import os
import statistics
import time

import numpy as np

from cer_core.parameters import load_parameters
from cer_core.planning.roof_files import Roof, SupplyPoint, build_inputs
from cer_core.planning.roofs import plan_roofs

AREAS = [f"AC012E{n:05d}" for n in (1, 2, 5, 7, 9, 10, 12, 13, 17, 18)]
KINDS = ("office", "school", "shop", "small_business", "condominium_services")


def case(seed: int = 1):
    rng = np.random.default_rng(seed)
    points = [
        SupplyPoint(f"IT{j:06d}", AREAS[j % len(AREAS)], KINDS[j % len(KINDS)],
                    float(rng.uniform(10_000, 300_000)))
        for j in range(200)
    ]  # fmt: skip
    roofs = []
    for i in range(50):
        host = points[int(rng.integers(0, 200))] if rng.random() < 0.5 else None
        area = host.area_code if host else AREAS[i % len(AREAS)]
        roofs.append(
            Roof(f"R{i:02d}", area, float(rng.uniform(20, 300)),
                 float(rng.choice([10, 20, 30])), float(rng.choice([90, 135, 180, 225, 270])),
                 float(rng.integers(0, 15)), host_pod=host.pod if host else "")
        )  # fmt: skip
    return roofs, points


def timed(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def cpu(fn) -> float:
    """CPU seconds of this process (steadier than wall time when the machine is shared)."""
    start = time.process_time()
    fn()
    return time.process_time() - start


def main() -> None:
    params = load_parameters(2026)
    roofs, points = case()

    def full(budget=None):
        return plan_roofs(
            build_inputs(roofs, points, params=params), budget_kwp=budget, params=params
        )

    cold = timed(full)
    warm = statistics.median(timed(full) for _ in range(3))
    warm_cpu = statistics.median(cpu(full) for _ in range(3))
    inputs = build_inputs(roofs, points, params=params)
    greedy = statistics.median(timed(lambda: plan_roofs(inputs, params=params)) for _ in range(3))
    capped = statistics.median(
        timed(lambda: plan_roofs(inputs, budget_kwp=1000, params=params)) for _ in range(3)
    )
    plan = plan_roofs(inputs, params=params)
    load = os.getloadavg()[0]
    print(f"50 roofs x 200 supply points, {inputs.production_kwh.shape[1]} hours, load {load:.1f}")
    print(f"  cold first ranking (pvlib for 50 geometries): {cold:6.2f} s")
    print(f"  warm ranking, files-to-plan (target < 2 s):    {warm:6.2f} s")
    print(f"  same, CPU time of the process:                 {warm_cpu:6.2f} s")
    print(f"  greedy only, no budget ({len(plan.steps)} steps):        {greedy:6.2f} s")
    print(f"  greedy only, 1 MWp cap:                        {capped:6.2f} s")


if __name__ == "__main__":
    main()
