"""Speed of the money engine (not a test): prints medians.

Run: ``.venv/bin/python benchmarks/bench_engine.py``. Targets (issue 3, 2-core machine, after the
weather, PV per geometry and profiles are cached): 20 households + one 50 kWp plant, one year
hourly, incentives and 20-year economics < 20 ms; 10,000 members in 10 groups + 50 plants
< 200 ms and < 500 MB peak; marginal effect of one member < 10 ms.
"""

from __future__ import annotations

import datetime as dt
import resource
import statistics
import time
import tracemalloc

from cer_core.scenario import MemberGroup, Plant, Scenario, marginal_effect, simulate


def median_ms(fn, repeat: int) -> float:
    fn()  # warm-up (fills caches: weather, PV per geometry, profiles, prices)
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def small() -> Scenario:
    return Scenario(
        plants=(Plant("roof", 50.0, dt.date(2025, 3, 1)),),
        members=(MemberGroup("households", 20, "household", 2700.0),),
        year=2025,
        cer_constitution_date=dt.date(2024, 10, 14),
    )


def large() -> Scenario:
    kinds = [
        ("h1", "0-1.5", 1500.0, 2000),
        ("h2", "1.5-3", 2200.0, 3000),
        ("h3", "1.5-3", 2700.0, 2000),
        ("h4", "3-4.5", 3500.0, 1200),
        ("h5", "4.5-6", 4500.0, 800),
        ("h6", ">6", 6000.0, 500),
        ("offices", "office", 40_000.0, 200),
        ("shops", "shop", 15_000.0, 200),
        ("schools", "school", 80_000.0, 50),
        ("firms", "small_business", 60_000.0, 50),
    ]
    members = tuple(
        MemberGroup(
            name,
            count,
            profile,
            annual,
            holder_type="impresa" if annual > 9000 else "persona_fisica",
            customer="business" if annual > 9000 else "domestic",
        )
        for name, profile, annual, count in kinds
    )
    geometries = [(30, 180), (10, 180), (20, 90), (20, 270), (15, 200)]
    plants = tuple(
        Plant(
            f"plant {i}",
            kwp=20.0 + 19.0 * i,
            commissioning_date=dt.date(2025, 1 + i % 12, 1 + i % 27),
            surface_tilt=geometries[i % 5][0],
            surface_azimuth=geometries[i % 5][1],
            grant_share=0.2 if i % 7 == 0 else 0.0,
        )
        for i in range(50)
    )
    return Scenario(plants=plants, members=members, year=2025)


def main() -> None:
    s1 = small()
    start = time.perf_counter()
    simulate(s1)
    cold_small = (time.perf_counter() - start) * 1000
    s2 = large()
    start = time.perf_counter()
    simulate(s2)
    cold_large = (time.perf_counter() - start) * 1000
    t_small = median_ms(lambda: simulate(s1), 50)
    base = simulate(s1)
    newcomer = MemberGroup("newcomer", 1, "household", 3000.0)
    t_marg = median_ms(lambda: marginal_effect(base, add_member=newcomer), 100)
    pv = Plant("new roof", 20.0, dt.date(2025, 6, 1))
    t_marg_plant = median_ms(lambda: marginal_effect(base, add_plant=pv), 50)

    t_large = median_ms(lambda: simulate(s2), 15)
    tracemalloc.start()
    simulate(s2)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    members = sum(m.count for m in s2.members)
    print(
        f"first runs (load weather, PV per geometry, profiles, prices): small {cold_small:.0f} ms,"
        f" large {cold_large:.0f} ms"
    )
    print(f"20 households + 1×50 kWp, year + 20-yr economics: median {t_small:7.2f} ms (< 20)")
    print(f"marginal effect of one member:                 median {t_marg:7.2f} ms (< 10)")
    print(f"marginal effect of one plant (cached geometry): median {t_marg_plant:7.2f} ms")
    print(
        f"{members:,} members in {len(s2.members)} groups + {len(s2.plants)} plants:    "
        f"median {t_large:7.2f} ms (< 200); traced peak {peak / 2**20:.1f} MB, "
        f"process max RSS {rss_mb:.0f} MB (< 500)"
    )


if __name__ == "__main__":
    main()
