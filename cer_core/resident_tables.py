"""The calculator's downloadable tables, for programs and for Italian spreadsheets.

Two tables come out of a resident estimate (:func:`cer_core.resident.estimate`): the **hourly**
energies of the year with the zonal price, and the **yearly** cash flows of the plant (or, for a
consumer, the year-1 totals). Each is offered twice:

* machine-readable (``,``, decimal point, ISO timestamps with their UTC offset, the column names
  of :data:`UNITS`): :func:`cer_core.resident.hourly_csv` and :func:`cer_core.resident.yearly_csv`;
* for Italian spreadsheets (:func:`hourly_italian_csv`, :func:`yearly_italian_csv`): ``;``,
  decimal comma, UTF-8 with BOM, Italian headers (given by the caller), the hour written
  ``gg/mm/aaaa hh:mm`` with the UTC offset in a column of its own (so the autumn hour that
  repeats is still told apart), through :func:`cer_core.spreadsheet.italian_csv`.

Both forms hold the same numbers, rounded the same way (4 decimals for hourly kWh, 2 for the
yearly table); :func:`dictionary_rows` describes every column (header, machine name, unit).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

from cer_core.spreadsheet import dictionary_csv, italian_csv

#: Decimals kept in each table (the machine CSV rounds the same way).
HOURLY_DECIMALS = 4
YEARLY_DECIMALS = 2

#: Columns of the Italian hourly table that replace the machine ``hour`` column.
LOCAL_TIME = "local_time"
UTC_OFFSET = "utc_offset"

#: Unit of every column either table may hold ("" = none).
UNITS = {
    "hour": "ISO 8601",
    LOCAL_TIME: "gg/mm/aaaa hh:mm",
    UTC_OFFSET: "UTC±hh:mm",
    "consumption_kwh": "kWh",
    "production_kwh": "kWh",
    "self_consumption_kwh": "kWh",
    "injection_kwh": "kWh",
    "withdrawal_kwh": "kWh",
    "my_plant_shared_kwh": "kWh",
    "sold_not_shared_kwh": "kWh",
    "shared_thanks_to_me_kwh": "kWh",
    "price_eur_per_mwh": "€/MWh",
    "year": "",
    "capex_eur": "€",
    "revenue_eur": "€",
    "opex_eur": "€",
    "tax_deduction_eur": "€",
    "net_eur": "€",
    "cumulative_eur": "€",
    "delta_net_incentives_eur": "€",
    "solidarity_eur": "€",
    "my_total_eur": "€",
}


def hourly_table(est) -> pd.DataFrame:
    """The hourly table: ``hour`` (ISO, local time with its UTC offset), then one column per
    energy [kWh] and the zonal price [€/MWh], rounded to :data:`HOURLY_DECIMALS`."""
    frame = est.hourly.round(HOURLY_DECIMALS).reset_index(drop=True)
    frame.insert(0, "hour", [ts.isoformat() for ts in est.hourly.index])
    return frame


def yearly_table(est) -> pd.DataFrame:
    """The yearly table: the plant's cash flows year by year [€] with its production [kWh]; for a
    consumer (no plant) one row of year-1 totals. Rounded to :data:`YEARLY_DECIMALS`."""
    if len(est.cash_flows):
        return est.cash_flows.round(YEARLY_DECIMALS).reset_index(drop=True)
    totals = pd.DataFrame(
        [
            {
                "year": est.inputs.year,
                "consumption_kwh": est.consumption_kwh,
                "shared_thanks_to_me_kwh": est.shared_thanks_to_me_kwh,
                "delta_net_incentives_eur": est.delta_net_incentives_eur,
                "solidarity_eur": est.solidarity_eur,
                "my_total_eur": est.my_total_eur,
            }
        ]
    )
    return totals.round(YEARLY_DECIMALS)


def _utc_offset(ts: pd.Timestamp) -> str:
    """``UTC+01:00``: a bare ``+01:00`` would read as a formula in a spreadsheet."""
    raw = ts.strftime("%z")  # "+0100"
    return f"UTC{raw[:3]}:{raw[3:]}"


def hourly_italian_csv(est, headers: Mapping[str, str]) -> bytes:
    """The hourly table for Italian spreadsheets (``headers``: machine column → Italian header,
    including :data:`LOCAL_TIME` and :data:`UTC_OFFSET`)."""
    frame = hourly_table(est).drop(columns="hour")
    index = est.hourly.index
    frame.insert(0, LOCAL_TIME, index.strftime("%d/%m/%Y %H:%M"))
    frame.insert(1, UTC_OFFSET, [_utc_offset(ts) for ts in index])
    return italian_csv(frame, headers)


def yearly_italian_csv(est, headers: Mapping[str, str]) -> bytes:
    """The yearly table for Italian spreadsheets (``headers``: machine column → Italian header)."""
    return italian_csv(yearly_table(est), headers)


def dictionary_rows(
    headers: Mapping[str, str], descriptions: Mapping[str, str]
) -> list[dict[str, str]]:
    """One row per column of either table: Italian header, machine name, unit, description."""
    return [
        {
            "label": headers.get(column, column),
            "column": column,
            "unit": unit,
            "description": descriptions.get(column, ""),
        }
        for column, unit in UNITS.items()
    ]


def dictionary_italian_csv(
    headers: Mapping[str, str],
    descriptions: Mapping[str, str],
    field_titles: Mapping[str, str],
) -> bytes:
    """The data dictionary of the calculator's tables as an Italian-spreadsheet CSV.

    ``field_titles`` gives the titles of its four columns (``label``, ``column``, ``unit``,
    ``description``).
    """
    return dictionary_csv(dictionary_rows(headers, descriptions), field_titles)
