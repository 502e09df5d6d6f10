"""Hourly day-ahead (MGP) electricity prices on the local settlement calendar.

Embedded: the official GME annual MGP price files for 2023 and 2024, zone NORD (Milan's market
zone, the Pz of the TIP and of the Ritiro Dedicato) and the PUN, reduced by
``scripts/build_prices.py``. GME numbers hours 1..24 (23/25 on DST days) as local hour-ending;
the reduced files keep each hour's UTC start, which is converted to ``Europe/Rome`` and matched
to :func:`cer_core.calendar.year_index` hour by hour. Fonte: GME.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np
import pandas as pd

from cer_core.bounds import HOURLY_PRICE_EUR_PER_MWH
from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.io.hourly_csv import read_hourly_csv
from cer_core.paths import DataFileError, data_file
from cer_core.profiles import fit_to_year
from cer_core.validation import number

ATTRIBUTION = "Fonte: GME"
"""Credit GME requires next to its market data."""
AVAILABLE_PRICE_YEARS = (2023, 2024)
"""Years with embedded GME hourly prices."""
ZONES = ("NORD", "PUN")
"""Embedded price series: NORD zonal price and the national single price (PUN)."""


@lru_cache(maxsize=8)
def _load(year: int, zone: str) -> np.ndarray:
    path = data_file("prices", f"gme_mgp_hourly_{year}_nord_pun.csv.gz")
    try:
        table = pd.read_csv(path)
        start = pd.DatetimeIndex(pd.to_datetime(table["start_utc"], utc=True))
        series = pd.Series(table[zone].to_numpy(dtype=float), index=start.tz_convert("Europe/Rome"))
    except (KeyError, ValueError, OSError, EOFError) as exc:  # incl. a broken gzip stream
        raise DataFileError(path, f"unexpected content ({exc})") from exc
    aligned = series.reindex(year_index(year))
    if aligned.isna().any():
        missing = aligned.index[aligned.isna()][0]
        raise DataFileError(path, f"no {zone} price for {missing}")
    values = aligned.to_numpy()
    values.flags.writeable = False
    return values


def load_zonal_prices(year: int = 2023, zone: str = "NORD") -> np.ndarray:
    """Hourly GME day-ahead prices of an embedded year.

    Parameters
    ----------
    year : int
        One of :data:`AVAILABLE_PRICE_YEARS`.
    zone : str
        ``"NORD"`` (zonal price Pz for Milan) or ``"PUN"``.

    Returns
    -------
    numpy.ndarray
        Price per local hour of ``year_index(year)`` [€/MWh] (a new array).
    """
    try:
        known = not isinstance(year, bool) and year in AVAILABLE_PRICE_YEARS
    except (TypeError, ArithmeticError):  # e.g. Decimal("sNaN") refuses comparison
        known = False
    if not known:
        years = ", ".join(map(str, AVAILABLE_PRICE_YEARS))
        raise InputError("price_year", f"embedded prices exist for {years}, not {year!r}")
    if zone not in ZONES:
        raise InputError("zone", f"must be one of {', '.join(ZONES)}, not {zone!r}")
    return _load(int(year), zone).copy()


def scale_to_mean(prices, mean_eur_per_mwh: float) -> np.ndarray:
    """Scale a price series to another annual mean, keeping its hour-by-hour shape.

    Multiplicative: every hour is multiplied by ``mean_eur_per_mwh / mean(prices)``, so relative
    spreads (e.g. midday solar dips) are kept. Used for low/central/high price scenarios.

    Parameters
    ----------
    prices : array_like
        Hourly prices [€/MWh] with a positive mean.
    mean_eur_per_mwh : float
        Target annual mean [€/MWh], more than 0 up to 1,000.

    Returns
    -------
    numpy.ndarray
        Scaled prices [€/MWh].
    """
    target = number("mean_eur_per_mwh", mean_eur_per_mwh, 0, 1000, low_open=True, unit=" €/MWh")
    try:
        values = np.asarray(prices, dtype=float)
    except (TypeError, ValueError, OverflowError):
        raise InputError("prices", "must be a series of numbers [€/MWh]") from None
    if values.ndim != 1:
        raise InputError("prices", "must be a one-dimensional hourly series [€/MWh]")
    current = values.mean() if values.size else np.nan
    if not np.isfinite(current) or current <= 0:
        raise InputError("prices", "the series must have a positive finite mean to be scaled")
    return values * (target / current)


def prices_from_csv(path_or_buffer, field: str = "prices_csv", year: int | None = None):
    """Read a user's hourly price series from CSV.

    Parameters
    ----------
    path_or_buffer : str, pathlib.Path, bytes or file-like
        8,760 (or 8,784) prices [€/MWh], one per line, with or without a header and a timestamp
        column (honoured, see :mod:`cer_core.io.hourly_csv`); without one, in local-hour order.
    field : str
        Input name used in error messages.
    year : int, optional
        Settlement year: timestamps must cover its local hours; a series without timestamps is
        laid on ``year_index(year)`` (29 February added or dropped).

    Returns
    -------
    numpy.ndarray
        Hourly prices [€/MWh].

    Raises
    ------
    InputError
        Wrong length, NaN, text, or a price outside -500 to 4,000 €/MWh; names ``field``.
    """
    bound = HOURLY_PRICE_EUR_PER_MWH
    values = read_hourly_csv(
        path_or_buffer, field, low=bound.low, high=bound.high, unit="€/MWh", year=year
    )
    return values if year is None else fit_to_year(values, year, field)
