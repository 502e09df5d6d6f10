"""Build ``data/profiles/`` from the ARERA and RSE load profiles in ``../shared/data/``.

Writes

* ``arera_domestic_lombardia.csv`` — ARERA average hourly withdrawal of a domestic customer in
  Lombardy [kWh] by contractual-power class, month, day type and hour (5 × 12 × 3 × 24 rows),
  from ``arera-load-profiles/prelievo_orario_ARERA.csv`` (all regions) reduced to Lombardy;
* ``rse_nondomestic_hourly.csv`` — RSE typical days of the non-residential profiles the engine
  uses, summed from 15-minute to hourly energy [kWh] (profile × day type × 24 hours);
* ``rse_nondomestic_weekly_factors.csv`` — RSE week-of-year multipliers (1-53) for those profiles.

Data: ARERA (regional hourly withdrawal profiles); RSE S.p.A. CACER_Simulator (BSD-3-Clause).

Usage: ``python scripts/build_profiles.py [SHARED_DATA_DIR]`` (default ``../shared/data``).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd

REPO = Path(__file__).resolve().parents[1]

CLASS_IDS = {
    "0<P<=1.5": "0-1.5",
    "1.5<P<=3": "1.5-3",
    "3<P<=4.5": "3-4.5",
    "4.5<P<=6": "4.5-6",
    "P>6": ">6",
}
ARERA_DAY_TYPES = {"Giorno feriale": "weekday", "Sabato": "saturday", "Domenica": "holiday"}
RSE_DAY_TYPES = {"working_day": "weekday", "saturday": "saturday", "sunday": "holiday"}
# engine kind -> RSE profile (reasons in docs/engine-energy.md and cer_core/profiles.py)
RSE_PROFILES = {
    "office": "ufficio_comunale",
    "shop": "COM_>6kw_feriale",
    "school": "scuola_500_studenti",
    "small_business": "IND_micro_1turno_PIEM",
    "condominium_services": "utenza_condominiale_media",
}


def build_arera(shared: Path, out: Path) -> None:
    raw = pd.read_csv(shared / "arera-load-profiles" / "prelievo_orario_ARERA.csv")
    raw = raw[raw["Regione"] == "Lombardia"]
    table = pd.DataFrame(
        {
            "power_class": raw["Classe potenza"].map(CLASS_IDS),
            "month": raw["Mese"].astype(int),
            "day_type": raw["Working day"].map(ARERA_DAY_TYPES),
            "hour": raw["Ora"].astype(int),
            "kwh": raw["Prelievo medio Orario Regionale (kWh)"].astype(float),
        }
    )
    if table.isna().any().any() or len(table) != 5 * 12 * 3 * 24:
        raise SystemExit(f"unexpected ARERA table: {len(table)} rows, NaN: {table.isna().sum()}")
    table = table.sort_values(["power_class", "month", "day_type", "hour"])
    table.to_csv(out / "arera_domestic_lombardia.csv", index=False)
    print(f"wrote arera_domestic_lombardia.csv ({len(table)} rows)")


def build_rse(shared: Path, out: Path) -> None:
    folder = shared / "load-profiles"
    days = pd.read_csv(folder / "rse_nondomestic_typical_days_15min.csv")
    weeks = pd.read_csv(folder / "rse_nondomestic_weekly_factors.csv")
    kind_of = {profile: kind for kind, profile in RSE_PROFILES.items()}
    days = days[days["profile"].isin(kind_of)].copy()
    days["hour"] = days["time"].str.slice(0, 2).astype(int)
    hourly = days.groupby(["profile", "day_type", "hour"], as_index=False)["energy_kwh"].sum()
    hourly.insert(0, "kind", hourly["profile"].map(kind_of))
    hourly["day_type"] = hourly["day_type"].map(RSE_DAY_TYPES)
    hourly = hourly.rename(columns={"profile": "rse_profile", "energy_kwh": "kwh"})
    if len(hourly) != len(RSE_PROFILES) * 3 * 24:
        raise SystemExit(f"unexpected RSE table: {len(hourly)} rows")
    hourly.round(6).to_csv(out / "rse_nondomestic_hourly.csv", index=False)
    weeks = weeks[weeks["profile"].isin(kind_of)].copy()
    weeks.insert(0, "kind", weeks["profile"].map(kind_of))
    weeks = weeks.rename(
        columns={
            "profile": "rse_profile",
            "factor_working_day": "weekday",
            "factor_saturday": "saturday",
            "factor_sunday": "holiday",
        }
    )
    if len(weeks) != len(RSE_PROFILES) * 53:
        raise SystemExit(f"unexpected RSE weekly factors: {len(weeks)} rows")
    weeks.to_csv(out / "rse_nondomestic_weekly_factors.csv", index=False)
    print(f"wrote rse_nondomestic_hourly.csv ({len(hourly)}) and weekly factors ({len(weeks)})")


def main(shared: Path) -> None:
    out = REPO / "data" / "profiles"
    out.mkdir(parents=True, exist_ok=True)
    build_arera(shared, out)
    build_rse(shared, out)


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else REPO.parent / "shared" / "data")
