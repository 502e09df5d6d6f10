"""Build the Pianificazione tables in ``data/planning/`` from public files.

Writes (CSV, UTF-8):

* ``gse_areas.csv`` — the GSE *aree convenzionali* around Milan (code, distributor, centre
  point, market zone, the pilot configuration the code very probably belongs to);
* ``areas_population.csv`` — per GSE area: residents and households apportioned from the NIL
  figures by the register's residential civic numbers, one-person households, summer heat
  exposure (see :func:`apportion_nil_to_areas`);
* ``public_roofs_schools.csv`` — the state schools inside Milan (cleaned), a starting layer of
  public roofs, licence **unverified**;
* ``rse_municipal_hourly.csv``, ``rse_municipal_weekly_factors.csv`` — four more RSE municipal
  load profiles (gym, library, high school, cinema) for the Comune's supply points.

The civic numbers are given an area by :func:`assign_area` — for now the nearest GSE area
centre, a provisional estimate wrong near borders (the official area estimate will replace it).

Usage::

    python scripts/build_planning.py \
        --centroids  PATH/grid/gse_area_centroids_milano.csv \
        --population PATH/milano-nil/nil_population_2021.csv \
        --heat       PATH/milano-nil/nil_heat_green_jul2024.csv \
        --civici     PATH/milano-civici/civici_20200302_wgs84_nil.csv.gz \
        --schools    PATH/milano-municipi/scuole_citta_metropolitana_2022.csv.gz \
        --rse-profiles PATH/load-profiles \
        [--out data/planning]

Each input is optional; only the tables whose inputs are given are (re)built.
"""

from __future__ import annotations

import argparse
import sys
import tomllib
from pathlib import Path

import numpy as np
import pandas as pd

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cer_core.planning.area_table import MILAN_DISTRIBUTOR, nearest_area_code  # noqa: E402

MARKET_ZONE_MILAN = "NORD"
"""Market zone of every area in and around Milan (Lombardy is in zone NORD, docs/rules.md §1)."""

AREA_CODES_NOTE = (
    "GSE aree convenzionali (layer AC_Comuni) as centre points via nicolavaligi/sunpro; "
    "GSE areas as redistributed by ondata are CC BY-NC-SA 3.0"
)


def pilot_by_code() -> dict[str, tuple[str, bool]]:
    """GSE code → (pilot configuration id, inferred?).

    A configuration's ``gse_area_code`` is used when the Comune has filled it in; otherwise the
    code is **inferred** from the Comune's "cabina primaria N" numbering: Unareti's area codes
    are ``AC012E000NN`` and the pilots are "cabina primaria 2, 9, 10, 12, 17" (numbering and
    positions agree, not confirmed).
    """
    with (REPO / "data" / "configurations.toml").open("rb") as handle:
        raw = tomllib.load(handle)
    out = {}
    for item in raw["configuration"]:
        given = str(item.get("gse_area_code") or "").strip()
        code = given or f"AC012E{int(item['cp_number']):05d}"
        out[code] = (item["id"], not given)
    return out


def build_gse_areas(centroids_csv: Path) -> pd.DataFrame:
    """The area table: one row per GSE area code with its centre and market zone."""
    raw = pd.read_csv(centroids_csv, dtype={"codice_ac": str})
    pilots = pilot_by_code()
    table = pd.DataFrame(
        {
            "area_code": raw["codice_ac"].str.strip(),
            "distributor": raw["operator"].str.strip(),
            "centre_lat": raw["lat"].round(5),
            "centre_lon": raw["lng"].round(5),
            "centre_in_milan": raw["in_comune_milano"].astype(str).str.lower() == "true",
            "market_zone": MARKET_ZONE_MILAN,
        }
    )
    table["configuration"] = table["area_code"].map(lambda c: pilots.get(c, ("", False))[0])
    table["configuration_inferred"] = table["area_code"].map(
        lambda c: pilots.get(c, ("", False))[1]
    )
    table["source"] = AREA_CODES_NOTE
    if table["area_code"].duplicated().any():
        raise SystemExit("duplicate area codes in the centroid file")
    return table.sort_values("area_code").reset_index(drop=True)


def assign_area(lat, lon, areas: pd.DataFrame) -> np.ndarray:
    """Area code of each point [deg]: :func:`cer_core.planning.area_table.nearest_area_code`
    (nearest GSE area centre, provisional). Swap the rule there, not here."""
    return nearest_area_code(lat, lon, areas)


SOLD = "Soppresso"
"""Register status of a suppressed civic number (not counted)."""


def residential_civics(civici_csv: Path) -> pd.DataFrame:
    """Civic numbers flagged residential by the register and not suppressed: id_nil, lat, lon."""
    raw = pd.read_csv(
        civici_csv,
        usecols=["ID_NIL", "RESIDENZIALE", "STATOCIVICO_DESC", "LAT_WGS84", "LONG_WGS84"],
        low_memory=False,
    )
    keep = (raw["RESIDENZIALE"] == 1) & (raw["STATOCIVICO_DESC"] != SOLD) & raw["ID_NIL"].notna()
    out = raw.loc[keep, ["ID_NIL", "LAT_WGS84", "LONG_WGS84"]]
    out.columns = ["id_nil", "lat", "lon"]
    return out.astype({"id_nil": int}).reset_index(drop=True)


def apportion_nil_to_areas(
    population: pd.DataFrame, heat: pd.DataFrame, civics: pd.DataFrame, areas: pd.DataFrame
) -> pd.DataFrame:
    """Residents and households of each area, apportioned from the NIL figures.

    Each NIL's residents, households and one-person households (ds205, 2021) are split among
    areas in proportion to the NIL's **residential civic numbers** (register of March 2020) that
    :func:`assign_area` puts in each area — every residential civic number weighs the same (a
    villa and a tower block count once: the register has no dwelling counts). Heat exposure and
    heat-wave risk (ds2811, ds2812, July 2024, NIL means) become resident-weighted means per area.
    """
    unareti = areas[areas["distributor"].str.contains(MILAN_DISTRIBUTOR)]
    civics = civics.assign(area_code=assign_area(civics["lat"], civics["lon"], unareti))
    counts = civics.groupby(["id_nil", "area_code"]).size().rename("civics").reset_index()
    counts["share"] = counts["civics"] / counts.groupby("id_nil")["civics"].transform("sum")
    pop = population.rename(columns={"ID_NIL": "id_nil"})
    hot = heat.rename(columns={"ID_NIL": "id_nil"})[
        ["id_nil", "urban_heat_exposure_mean", "urban_heatwave_risk_mean"]
    ]
    missing = set(pop["id_nil"]) - set(counts["id_nil"])
    if missing:
        raise SystemExit(f"NIL without residential civic numbers: {sorted(missing)}")
    rows = counts.merge(pop, on="id_nil", how="left").merge(hot, on="id_nil", how="left")
    for column in ("residents", "households", "one_person_households"):
        rows[column] = rows[column] * rows["share"]
    rows["heat_x_res"] = rows["urban_heat_exposure_mean"] * rows["residents"]
    rows["risk_x_res"] = rows["urban_heatwave_risk_mean"] * rows["residents"]
    main_nil = (
        rows.sort_values("residents", ascending=False)
        .groupby("area_code")["id_nil"]
        .apply(lambda s: " ".join(str(int(v)) for v in s.head(6)))
        .rename("main_nil_ids")
    )
    table = rows.groupby("area_code").agg(
        residents=("residents", "sum"),
        households=("households", "sum"),
        one_person_households=("one_person_households", "sum"),
        residential_civics=("civics", "sum"),
        heat_x_res=("heat_x_res", "sum"),
        risk_x_res=("risk_x_res", "sum"),
        nil_count=("id_nil", "nunique"),
    )
    table["one_person_share"] = table["one_person_households"] / table["households"]
    table["heat_exposure_mean"] = table["heat_x_res"] / table["residents"]
    table["heatwave_risk_mean"] = table["risk_x_res"] / table["residents"]
    table = table.drop(columns=["heat_x_res", "risk_x_res"]).join(main_nil).reset_index()
    for column in ("residents", "households", "one_person_households"):
        table[column] = table[column].round().astype(int)
    for column in ("one_person_share", "heat_exposure_mean", "heatwave_risk_mean"):
        table[column] = table[column].round(4)
    return table


def _unmangle(text: str) -> str:
    """Undo UTF-8 read as Latin-1 (the copy has names like "AndrÃÂ¨"), as far as it goes."""
    for _ in range(3):
        try:
            fixed = text.encode("latin-1").decode("utf-8")
        except (UnicodeEncodeError, UnicodeDecodeError):
            break
        if fixed == text:
            break
        text = fixed
    return text


def clean_schools(schools_csv: Path, areas: pd.DataFrame) -> pd.DataFrame:
    """State schools inside the Comune di Milano: one row per school code, points inside a NIL.

    Drops schools whose point lies outside Milan's NIL (one Milan school sits 25 km away in the
    copy), mends doubly-encoded names, keeps the MIUR code, type, name, address, coordinates.
    """
    from cer_core.geo.areas import AreaIndex
    from cer_core.geo.layers import load_areas, load_labelled_points, load_nil

    raw = pd.read_csv(schools_csv, dtype=str)
    milan = raw[raw["Comune"].str.strip().str.upper() == "MILANO"].copy()
    milan["lat"] = pd.to_numeric(milan["coorY"], errors="coerce")
    milan["lon"] = pd.to_numeric(milan["coorX"], errors="coerce")
    milan = milan.dropna(subset=["lat", "lon"]).drop_duplicates("Codice")
    index = AreaIndex(load_nil(), load_areas(), load_labelled_points())
    hits = [index.at(la, lo) for la, lo in zip(milan["lat"], milan["lon"], strict=True)]
    milan["id_nil"] = [h.id_nil for h in hits]
    milan = milan[milan["id_nil"].notna()].copy()
    unareti = areas[areas["distributor"].str.contains(MILAN_DISTRIBUTOR)]
    out = pd.DataFrame(
        {
            "code": milan["Codice"].str.strip(),
            "name": milan["Denominazione"].map(_unmangle).str.strip(),
            "school_type": milan["Tipologia"].str.strip(),
            "address": (
                milan["Indirizzo"].fillna("").map(_unmangle).str.strip()
                + " "
                + milan["Civico"].fillna("").str.strip()
            ).str.strip(),
            "lat": milan["lat"].round(6),
            "lon": milan["lon"].round(6),
            "id_nil": milan["id_nil"].astype(int),
            "area_code": assign_area(milan["lat"], milan["lon"], unareti),
            "licence": "unverified (Città Metropolitana di Milano open data, copy of 2022)",
        }
    )
    return out.sort_values("code").reset_index(drop=True)


RSE_MUNICIPAL = {
    "gym": "palestra_comunale",
    "library": "biblioteca_comunale",
    "high_school": "liceo",
    "cinema": "cinema_comunale",
}
"""Planning kind → RSE profile (the engine's five kinds are in data/profiles already)."""
RSE_DAY_TYPES = {"working_day": "weekday", "saturday": "saturday", "sunday": "holiday"}


def build_municipal_profiles(folder: Path, out: Path) -> None:
    """Hourly typical days [kWh] and week-of-year factors of :data:`RSE_MUNICIPAL`, from the RSE
    15-minute typical days (summed per hour), as ``scripts/build_profiles.py`` does."""
    days = pd.read_csv(folder / "rse_nondomestic_typical_days_15min.csv")
    weeks = pd.read_csv(folder / "rse_nondomestic_weekly_factors.csv")
    kind_of = {profile: kind for kind, profile in RSE_MUNICIPAL.items()}
    days = days[days["profile"].isin(kind_of)].copy()
    days["hour"] = days["time"].str.slice(0, 2).astype(int)
    hourly = days.groupby(["profile", "day_type", "hour"], as_index=False)["energy_kwh"].sum()
    hourly.insert(0, "kind", hourly["profile"].map(kind_of))
    hourly["day_type"] = hourly["day_type"].map(RSE_DAY_TYPES)
    hourly = hourly.rename(columns={"profile": "rse_profile", "energy_kwh": "kwh"})
    if len(hourly) != len(RSE_MUNICIPAL) * 3 * 24:
        raise SystemExit(f"unexpected RSE table: {len(hourly)} rows")
    hourly.round(6).to_csv(out / "rse_municipal_hourly.csv", index=False)
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
    if len(weeks) != len(RSE_MUNICIPAL) * 53:
        raise SystemExit(f"unexpected RSE weekly factors: {len(weeks)} rows")
    weeks.to_csv(out / "rse_municipal_weekly_factors.csv", index=False)
    print(f"rse_municipal_hourly.csv ({len(hourly)} rows), weekly factors ({len(weeks)} rows)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--centroids", type=Path, required=True)
    parser.add_argument("--population", type=Path)
    parser.add_argument("--heat", type=Path)
    parser.add_argument("--civici", type=Path)
    parser.add_argument("--schools", type=Path)
    parser.add_argument("--rse-profiles", type=Path, help="folder load-profiles/ of RSE files")
    parser.add_argument("--out", type=Path, default=REPO / "data" / "planning")
    args = parser.parse_args(argv)
    args.out.mkdir(parents=True, exist_ok=True)
    areas = build_gse_areas(args.centroids)
    areas.to_csv(args.out / "gse_areas.csv", index=False)
    print(f"gse_areas.csv: {len(areas)} areas")
    if args.rse_profiles:
        build_municipal_profiles(args.rse_profiles, args.out)
    schools = None
    if args.schools:
        schools = clean_schools(args.schools, areas)
        schools.to_csv(args.out / "public_roofs_schools.csv", index=False)
        print(f"public_roofs_schools.csv: {len(schools)} schools inside Milan")
    if args.population and args.heat and args.civici:
        civics = residential_civics(args.civici)
        table = apportion_nil_to_areas(
            pd.read_csv(args.population), pd.read_csv(args.heat), civics, areas
        )
        if schools is not None:
            table = table.merge(
                schools.groupby("area_code").size().rename("schools").reset_index(),
                on="area_code",
                how="left",
            )
            table["schools"] = table["schools"].fillna(0).astype(int)
        table = table.merge(areas[["area_code", "configuration"]], on="area_code", how="left")
        table.to_csv(args.out / "areas_population.csv", index=False)
        print(
            f"areas_population.csv: {len(table)} areas, {table['residents'].sum():,} residents, "
            f"{len(civics):,} residential civic numbers"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
