"""Build ``data/prices/`` from the official GME hourly MGP price files in ``../shared/data/``.

Reads ``zonal-prices/gme_mgp_hourly_{2023,2024}.csv`` (GME annual files, sheet Prezzi-Prices;
GME hours are local hour-ending 1..24, 23 or 25 on DST days, with their UTC start) and keeps the
UTC start of each hour, the NORD zonal price and the PUN [€/MWh]:
``data/prices/gme_mgp_hourly_{year}_nord_pun.csv.gz``.

Not the mislabelled ``hourly_zonal_prices_2023.csv`` (Nov 2023 - Oct 2024 on a fixed-CET 2023
calendar, see data/SOURCES.md). Fonte: GME.

Usage: ``python scripts/build_prices.py [SHARED_DATA_DIR]`` (default ``../shared/data``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]
YEARS = (2023, 2024)
ZONES = ("NORD", "PUN")
EXPECTED_MEAN = {(2023, "PUN"): 127.24, (2024, "PUN"): 108.52, (2023, "NORD"): 127.78,
                 (2024, "NORD"): 107.41}  # GME published annual means (data/SOURCES.md)  # fmt: skip


def main(shared: Path) -> None:
    out = REPO / "data" / "prices"
    out.mkdir(parents=True, exist_ok=True)
    for year in YEARS:
        raw = pd.read_csv(shared / "zonal-prices" / f"gme_mgp_hourly_{year}.csv")
        start = pd.to_datetime(raw["start_utc"], utc=True)
        local = start.dt.tz_convert("Europe/Rome")
        if not (local.dt.year == year).all() or start.duplicated().any():
            raise SystemExit(f"{year}: hours outside the year or duplicated")
        expected = pd.date_range(f"{year}-01-01", f"{year + 1}-01-01", freq="h",
                                 tz="Europe/Rome", inclusive="left")  # fmt: skip
        if len(start) != len(expected) or not (local.sort_values().to_numpy() == expected).all():
            raise SystemExit(f"{year}: the hours are not the local hours of the year")
        table = pd.DataFrame({"start_utc": start.dt.strftime("%Y-%m-%dT%H:%MZ")})
        for zone in ZONES:
            table[zone] = raw[zone].astype(float)
            mean = table[zone].mean()
            if abs(mean - EXPECTED_MEAN[(year, zone)]) > 0.01:
                raise SystemExit(
                    f"{year} {zone}: mean {mean:.3f} ≠ GME {EXPECTED_MEAN[(year, zone)]}"
                )
        name = f"gme_mgp_hourly_{year}_nord_pun.csv.gz"
        table.to_csv(out / name, index=False, float_format="%.5f",
                     compression={"method": "gzip", "mtime": 0})  # fmt: skip
        print(f"wrote {name} ({len(table)} rows, NORD mean {table['NORD'].mean():.2f} €/MWh)")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
