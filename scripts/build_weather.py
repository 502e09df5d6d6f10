"""Build ``data/weather/`` from the PVGIS TMY in ``../shared/data/weather/``.

Reads the raw PVGIS API JSON response for 45.000 N 8.000 E (SARAH3/ERA5, 2005-2023), keeps the
five variables the engine uses (pvlib names ``ghi, dni, dhi, temp_air, wind_speed``, UTC) and writes

* ``data/weather/pvgis_tmy_45.000_8.000.csv.gz`` — 8,760 hourly rows, UTC;
* ``data/weather/pvgis_tmy_45.000_8.000.json`` — location, irradiance time offset, months selected.

Data: PVGIS © European Union, JRC (free reuse with acknowledgement).

Usage: ``python scripts/build_weather.py [SHARED_DATA_DIR]`` (default ``../shared/data``).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pvlib

REPO = Path(__file__).resolve().parents[1]
NAME = "pvgis_tmy_45.000_8.000"
COLUMNS = ["ghi", "dni", "dhi", "temp_air", "wind_speed"]


def main(shared: Path) -> None:
    source = shared / "weather" / "tmy_45.000_8.000_2005_2023.json"
    data, meta = pvlib.iotools.read_pvgis_tmy(str(source), map_variables=True)
    table = data[COLUMNS].copy()
    table.index = table.index.strftime("%Y-%m-%dT%H:%MZ")
    table.index.name = "time_utc"
    out = REPO / "data" / "weather"
    out.mkdir(parents=True, exist_ok=True)
    table.to_csv(
        out / f"{NAME}.csv.gz", float_format="%.2f", compression={"method": "gzip", "mtime": 0}
    )
    location = meta["inputs"]["location"]
    sidecar = {
        "latitude": location["latitude"],
        "longitude": location["longitude"],
        "elevation_m": location["elevation"],
        "irradiance_time_offset_h": location.get("irradiance_time_offset"),
        "meteo_data": meta["inputs"].get("meteo_data", {}),
        "months_selected": meta.get("months_selected"),
        "source": "PVGIS © European Union, JRC — TMY via the PVGIS API (api/v5_3/tmy)",
        "raw_file": source.name,
    }
    (out / f"{NAME}.json").write_text(json.dumps(sidecar, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {out / NAME}.csv.gz ({len(table)} rows) and .json")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
