"""Load profiles of the Comune's own supply points: the engine's five RSE kinds plus four more
municipal ones from the same RSE workbook (gym, library, high school, cinema).

The extra kinds live in ``data/planning/`` (built by ``scripts/build_planning.py`` from RSE
S.p.A.'s CACER_Simulator, BSD-3-Clause) and are laid on the calendar exactly as
:mod:`cer_core.profiles` lays its non-residential kinds: typical day by day type (weekday,
Saturday, Sunday or holiday) × week-of-year factor, normalised to the annual kWh.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from cer_core.bounds import ANNUAL_KWH
from cer_core.calendar import day_types, year_index
from cer_core.errors import InputError
from cer_core.paths import DataFileError, data_file
from cer_core.profiles import NONRESIDENTIAL_KINDS, nonresidential_profile_kwh

MUNICIPAL_SOURCES = {
    "gym": "RSE 'palestra_comunale' — municipal gym: weekday afternoons and evenings, Sunday "
    "mornings, almost closed on Saturdays; lower in summer.",
    "library": "RSE 'biblioteca_comunale' — municipal library: opening hours on weekdays and "
    "Saturdays, low on Sundays.",
    "high_school": "RSE 'liceo' — upper secondary school: mornings on weekdays and Saturdays, "
    "closed in the school holidays via the weekly factors.",
    "cinema": "RSE 'cinema_comunale' — municipal cinema: afternoons and evenings, more at weekends.",
}
MUNICIPAL_KINDS = tuple(MUNICIPAL_SOURCES)
ALL_KINDS = (*NONRESIDENTIAL_KINDS, *MUNICIPAL_KINDS)
"""Every kind a supply point may have."""
_DAY_ORDER = ("weekday", "saturday", "holiday")


@lru_cache(maxsize=1)
def _tables() -> tuple[dict, dict]:
    hourly_path = data_file("planning", "rse_municipal_hourly.csv")
    weekly_path = data_file("planning", "rse_municipal_weekly_factors.csv")
    try:
        hourly, weekly = pd.read_csv(hourly_path), pd.read_csv(weekly_path)
        days, weeks = {}, {}
        for kind in MUNICIPAL_KINDS:
            rows = hourly[hourly["kind"] == kind].set_index(["day_type", "hour"])["kwh"]
            days[kind] = np.array([[rows[(d, h)] for h in range(24)] for d in _DAY_ORDER])
            factors = weekly[weekly["kind"] == kind].sort_values("week")
            weeks[kind] = factors[list(_DAY_ORDER)].to_numpy().T
            if weeks[kind].shape != (3, 53):
                raise ValueError(f"{kind}: {weeks[kind].shape[1]} weeks, need 53")
    except (KeyError, ValueError) as exc:
        raise DataFileError(hourly_path, f"unexpected content ({exc})") from exc
    return days, weeks


@lru_cache(maxsize=32)
def _shape(kind: str, year: int) -> np.ndarray:
    index = year_index(year)
    kinds = day_types(index)
    day_type = np.select([kinds == "weekday", kinds == "saturday"], [0, 1], 2)
    week = np.minimum((index.day_of_year.to_numpy() - 1) // 7, 52)
    days, weeks = _tables()
    values = days[kind][day_type, index.hour.to_numpy()] * weeks[kind][day_type, week]
    shape = values / values.sum()
    shape.flags.writeable = False
    return shape


def municipal_profile_kwh(kind: str, annual_kwh, year: int = 2024) -> np.ndarray:
    """Hourly withdrawal of one of the Comune's supply points [kWh] on ``year_index(year)``.

    Parameters
    ----------
    kind : str
        One of :data:`ALL_KINDS`.
    annual_kwh : float
        Annual consumption [kWh], 0-10,000,000.
    year : int
        Calendar year.
    """
    if kind in NONRESIDENTIAL_KINDS:
        return nonresidential_profile_kwh(kind, annual_kwh, year)
    if kind not in MUNICIPAL_KINDS:
        raise InputError("kind", f"must be one of {', '.join(ALL_KINDS)}", "choice")
    kwh = ANNUAL_KWH["nonresidential"].check(annual_kwh)
    return _shape(kind, int(year)) * kwh
