"""Speed of the energy side of the engine: weather, PV production, profiles, prices.

Prints the median of repeated runs in milliseconds. "cold" clears the engine's caches before each
run (first call of a process for that geometry); "warm" is a repeat call, as on a slider move.

Run: ``.venv/bin/python benchmarks/bench_energy.py``
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cer_core import (  # noqa: E402
    calendar,
    profiles,
    pv,
    weather,
)
from cer_core.io import pvgis  # noqa: E402
from cer_core.prices import _load, load_zonal_prices  # noqa: E402
from cer_core.profiles import (  # noqa: E402
    household_profile_kwh,
    nonresidential_profile_kwh,
)

YEAR = 2023


def median_ms(function, repeat: int, setup=None) -> float:
    times = []
    for _ in range(repeat):
        if setup:
            setup()
        start = time.perf_counter()
        function()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def clear_pv() -> None:
    for cached in (pv._tmy_rows, pv._sun, pv._plane_of_array, pv._ac_per_kwp):
        cached.cache_clear()


def clear_weather() -> None:
    weather._embedded.cache_clear()
    pvgis.read_embedded_tmy.cache_clear()


def clear_profiles() -> None:
    for cached in (profiles._household_shape, profiles._calendar_keys, profiles._arera_table):
        cached.cache_clear()
    calendar._day_types_cached.cache_clear()


def main() -> None:
    rows = []
    rows.append(
        (
            "load_weather (cold: read data/weather)",
            median_ms(weather.load_weather, 5, clear_weather),
        )
    )
    rows.append(("load_weather (warm)", median_ms(weather.load_weather, 200)))
    site = weather.load_weather()
    spec = pv.PVSystemSpec(kwp=50.0)
    rows.append(
        ("hourly_production_kwh 50 kWp (cold: new geometry)",
         median_ms(lambda: pv.hourly_production_kwh(spec, site, YEAR), 5, clear_pv))
    )  # fmt: skip
    pv.hourly_production_kwh(spec, site, YEAR)
    rows.append(
        ("hourly_production_kwh 50 kWp (warm)",
         median_ms(lambda: pv.hourly_production_kwh(pv.PVSystemSpec(kwp=50.0), site, YEAR), 500))
    )  # fmt: skip
    rows.append(
        ("hourly_production_kwh new losses, same geometry",
         median_ms(lambda: pv.hourly_production_kwh(pv.PVSystemSpec(kwp=50.0, losses_pct=13.9),
                                                   site, YEAR), 5, pv._ac_per_kwp.cache_clear))
    )  # fmt: skip
    tilts = iter(range(1, 1000))
    rows.append(
        ("hourly_production_kwh new tilt (sun position cached)",
         median_ms(lambda: pv.hourly_production_kwh(
             pv.PVSystemSpec(kwp=50.0, surface_tilt=next(tilts) / 20), site, YEAR), 15))
    )  # fmt: skip
    rows.append(
        ("household_profile_kwh (cold: read table, calendar)",
         median_ms(lambda: household_profile_kwh(2700, "1.5-3", YEAR), 5,
                   clear_profiles))
    )  # fmt: skip
    rows.append(
        ("household_profile_kwh (warm)", median_ms(lambda: household_profile_kwh(2700), 500))
    )
    rows.append(
        ("household_profile_kwh with F1/F2/F3 (warm)",
         median_ms(lambda: household_profile_kwh(None, f_bands_kwh=(900, 800, 1000)), 500))
    )  # fmt: skip
    rows.append(
        ("nonresidential_profile_kwh office (warm)",
         median_ms(lambda: nonresidential_profile_kwh("office", 30_000), 500))
    )  # fmt: skip
    rows.append(("load_zonal_prices (cold)", median_ms(load_zonal_prices, 5, _load.cache_clear)))
    rows.append(("load_zonal_prices (warm)", median_ms(load_zonal_prices, 500)))

    def twenty_households_and_a_plant():
        production = pv.hourly_production_kwh(pv.PVSystemSpec(kwp=50.0), site, YEAR)
        withdrawal = sum(household_profile_kwh(2700) for _ in range(20))
        return production, withdrawal

    rows.append(
        (
            "energy inputs of 20 households + 50 kWp (warm)",
            median_ms(twenty_households_and_a_plant, 200),
        )
    )
    width = max(len(name) for name, _ in rows)
    print(f"{'benchmark (median)':<{width}}  ms")
    for name, value in rows:
        print(f"{name:<{width}}  {value:8.3f}")


if __name__ == "__main__":
    main()
