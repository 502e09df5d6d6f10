"""GME hourly prices on the local calendar; scaling; user CSV."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest

from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.prices import (
    AVAILABLE_PRICE_YEARS,
    load_zonal_prices,
    prices_from_csv,
    scale_to_mean,
)


@pytest.mark.parametrize(
    ("year", "zone", "mean"),
    [(2023, "NORD", 127.78), (2023, "PUN", 127.24), (2024, "NORD", 107.41), (2024, "PUN", 108.52)],
)
def test_annual_means_equal_gme_published_values(year, zone, mean):
    prices = load_zonal_prices(year, zone)
    assert len(prices) == len(year_index(year))
    assert prices.mean() == pytest.approx(mean, abs=0.01)


def test_prices_are_aligned_on_local_hours():
    index = year_index(2023)
    nord = pd.Series(load_zonal_prices(2023, "NORD"), index=index)
    # GME 2023-01-01 hour 1 (00:00-01:00 local) = 195.90 €/MWh
    assert nord.iloc[0] == pytest.approx(195.90)
    # October DST day: 25 local hours, GME hours 3 and 4 are the two 02:00 hours
    october = nord["2023-10-29"]
    assert len(october) == 25
    assert october.iloc[2] == pytest.approx(110.00)
    assert october.iloc[3] == pytest.approx(113.00)
    assert len(nord["2023-03-26"]) == 23
    # solar hours are cheaper than the evening peak on average in 2024
    nord24 = pd.Series(load_zonal_prices(2024), index=year_index(2024))
    by_hour = nord24.groupby(nord24.index.hour).mean()
    assert by_hour[13] < by_hour[19]


def test_returned_arrays_are_independent():
    a = load_zonal_prices(2023)
    a[:] = 0
    assert load_zonal_prices(2023).mean() > 100


def test_scale_to_mean_keeps_the_shape():
    prices = load_zonal_prices(2023)
    high = scale_to_mean(prices, 200.0)
    assert high.mean() == pytest.approx(200.0)
    np.testing.assert_allclose(high / prices, high[0] / prices[0])
    with pytest.raises(InputError, match="mean_eur_per_mwh"):
        scale_to_mean(prices, -5)
    with pytest.raises(InputError, match="prices"):
        scale_to_mean(np.zeros(8760), 100)


@pytest.mark.parametrize(
    ("year", "zone", "field"), [(2019, "NORD", "price_year"), (2023, "SUD", "zone")]
)
def test_unknown_year_or_zone(year, zone, field):
    with pytest.raises(InputError) as info:
        load_zonal_prices(year, zone)
    assert info.value.field == field
    assert str(AVAILABLE_PRICE_YEARS[0]) in info.value.message or "NORD" in info.value.message


def test_prices_csv_allows_negative_but_bounded_values():
    values = ["-12.5"] + ["100"] * 8759
    assert prices_from_csv(io.StringIO("\n".join(values)))[0] == -12.5
    with pytest.raises(InputError) as info:
        prices_from_csv(io.StringIO("\n".join(["5000"] + ["100"] * 8759)), field="prices")
    assert info.value.field == "prices"
    assert "4000" in info.value.message
    with pytest.raises(InputError, match="8,759 values"):
        prices_from_csv(io.StringIO("\n".join(["100"] * 8759)))
