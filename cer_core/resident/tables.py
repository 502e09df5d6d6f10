"""The estimate's two downloadable tables and their columns' units (the data dictionary).

Two tables come out of a resident estimate (:func:`cer_core.resident.estimate`): the **hourly**
energies of the year with the zonal price, and the **yearly** cash flows of the plant (or, for a
consumer, the year-1 totals). :mod:`cer_core.resident.export` writes each of them twice, for
programs and for Italian spreadsheets, from these frames, so both files hold the same numbers,
rounded the same way (4 decimals for the hourly table, 2 for the yearly one).
"""

from __future__ import annotations

from collections.abc import Mapping

import pandas as pd

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
