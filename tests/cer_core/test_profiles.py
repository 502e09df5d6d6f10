"""Consumption profiles: ARERA households, RSE non-residential, F-band reshaping, CSV input."""

from __future__ import annotations

import io

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cer_core.calendar import arera_bands, day_types, year_index
from cer_core.errors import InputError
from cer_core.profiles import (
    NONRESIDENTIAL_KINDS,
    NONRESIDENTIAL_SOURCES,
    POWER_CLASSES,
    fit_to_year,
    hourly_from_csv,
    household_profile_kwh,
    nonresidential_profile_kwh,
    profile_kwh,
)


@pytest.mark.parametrize("power_class", POWER_CLASSES)
@pytest.mark.parametrize("year", [2023, 2024])
def test_household_profiles_sum_to_annual(power_class, year):
    profile = household_profile_kwh(2700, power_class, year)
    assert len(profile) == len(year_index(year))
    assert profile.sum() == pytest.approx(2700, abs=1e-6)
    assert (profile > 0).all()


def test_household_shape_follows_arera_and_the_calendar():
    index = year_index(2023)
    series = pd.Series(household_profile_kwh(2700, "1.5-3", 2023), index=index)
    by_hour = series.groupby(index.hour).mean()
    assert by_hour.idxmax() in (19, 20, 21)  # evening peak
    assert by_hour.idxmin() in (3, 4, 5)  # night minimum
    # ENEA's typical household F1 share is 33.4 % (docs/rules.md §7.3)
    bands = arera_bands(index)
    assert 0.28 < series[bands == 1].sum() / 2700 < 0.38
    # a holiday weekday (25 April) follows the Sunday shape, not the weekday one
    kinds = day_types(index)
    tuesday_holiday = series["2023-04-25"].to_numpy()
    sunday = series["2023-04-23"].to_numpy()
    weekday = series["2023-04-18"].to_numpy()
    assert kinds[index.get_loc(pd.Timestamp("2023-04-25 10:00", tz="Europe/Rome"))] == "holiday"
    np.testing.assert_allclose(tuesday_holiday, sunday)
    assert not np.allclose(tuesday_holiday, weekday)


def test_bigger_power_class_uses_more_in_the_evening_share():
    small = household_profile_kwh(1000, "0-1.5")
    large = household_profile_kwh(1000, ">6")
    assert not np.allclose(small, large)


def test_f_bands_reshape_matches_each_band_to_the_cent():
    f_bands = (812.37, 745.10, 1142.53)
    for kind in ("1.5-3", "office"):
        profile = profile_kwh(kind, None, 2023, f_bands_kwh=f_bands)
        bands = arera_bands(year_index(2023))
        for band, target in zip((1, 2, 3), f_bands, strict=True):
            assert round(profile[bands == band].sum(), 2) == target
        assert profile.sum() == pytest.approx(sum(f_bands), abs=1e-6)
    # the shape inside a band is kept
    base = household_profile_kwh(2700, year=2023)
    reshaped = household_profile_kwh(2700, year=2023, f_bands_kwh=f_bands)
    f1 = arera_bands(year_index(2023)) == 1
    ratio = reshaped[f1] / base[f1]
    assert np.allclose(ratio, ratio[0])


@pytest.mark.parametrize("kind", NONRESIDENTIAL_KINDS)
def test_nonresidential_profiles(kind):
    profile = nonresidential_profile_kwh(kind, 25_000, 2023)
    assert len(profile) == 8760
    assert profile.sum() == pytest.approx(25_000)
    assert (profile >= 0).all()
    assert "RSE" in NONRESIDENTIAL_SOURCES[kind]


def test_school_is_closed_in_august_and_office_works_on_weekdays():
    index = year_index(2023)
    school = pd.Series(nonresidential_profile_kwh("school", 10_000), index=index)
    assert school["2023-08"].mean() < 0.3 * school["2023-03"].mean()
    office = pd.Series(nonresidential_profile_kwh("office", 10_000), index=index)
    assert office["2023-05-10 10:00"] > 2 * office["2023-05-14 10:00"]


def test_dispatcher():
    np.testing.assert_allclose(profile_kwh("household", 2000, 2023), household_profile_kwh(2000))
    np.testing.assert_allclose(
        profile_kwh("3-4.5", 2000, 2023), household_profile_kwh(2000, "3-4.5")
    )
    np.testing.assert_allclose(
        profile_kwh("shop", 9000, 2023), nonresidential_profile_kwh("shop", 9000)
    )


@pytest.mark.parametrize(
    ("call", "field"),
    [
        (lambda: household_profile_kwh(-5), "annual_kwh"),
        (lambda: household_profile_kwh("lots"), "annual_kwh"),
        (lambda: household_profile_kwh(float("nan")), "annual_kwh"),
        (lambda: household_profile_kwh(2700, "2-3"), "power_class"),
        (lambda: household_profile_kwh(2700, f_bands_kwh=(1, 2)), "f_bands_kwh"),
        (lambda: household_profile_kwh(2700, f_bands_kwh=(1, -2, 3)), "f_bands_kwh"),
        (lambda: nonresidential_profile_kwh("factory", 10), "kind"),
        (lambda: profile_kwh("castle", 10, 2023), "profile"),
        (lambda: household_profile_kwh(2700, year=1850), "year"),
    ],
)
def test_bad_inputs_name_the_field(call, field):
    with pytest.raises(InputError) as info:
        call()
    assert info.value.field == field


def _csv(lines):
    return io.StringIO("\n".join(lines) + "\n")


def test_csv_with_and_without_timestamps():
    values = np.round(household_profile_kwh(2700), 6)
    plain = hourly_from_csv(_csv([f"{v}" for v in values]))
    np.testing.assert_allclose(plain, values)
    stamps = year_index(2023).strftime("%Y-%m-%d %H:%M")
    with_header = _csv(
        ["timestamp,kwh", *[f"{s},{v}" for s, v in zip(stamps, values, strict=True)]]
    )
    np.testing.assert_allclose(hourly_from_csv(with_header), values)
    italian = _csv(
        [
            "ora;kWh",
            *[f"{s};{str(v).replace('.', ',')}" for s, v in zip(stamps, values, strict=True)],
        ]
    )
    np.testing.assert_allclose(hourly_from_csv(italian), values)
    assert len(hourly_from_csv(_csv(["1"] * 8784))) == 8784
    as_bytes = ("\n".join(["0.5"] * 8760)).encode()
    assert hourly_from_csv(io.BytesIO(as_bytes)).sum() == pytest.approx(4380)


@pytest.mark.parametrize(
    ("lines", "fragment"),
    [
        (["0.3"] * 8759, "8,759 values"),
        (["0.3"] * 100 + ["nan"] + ["0.3"] * 8659, "line 101"),
        (["0.3"] * 10 + ["abc"] + ["0.3"] * 8749, "'abc' is not a number"),
        (["0.3"] * 10 + ["-1"] + ["0.3"] * 8749, "outside the allowed"),
        ([], "empty"),
    ],
)
def test_bad_csv_names_the_field(lines, fragment):
    with pytest.raises(InputError) as info:
        hourly_from_csv(_csv(lines), field="withdrawal_csv")
    assert info.value.field == "withdrawal_csv"
    assert fragment in info.value.message
    assert (
        "8,760" in info.value.message
        or "line" in info.value.message
        or "empty" in info.value.message
    )


def test_fit_to_year():
    common = np.arange(8760.0)
    leap = fit_to_year(common, 2024)
    assert len(leap) == 8784
    np.testing.assert_array_equal(leap[59 * 24 : 60 * 24], common[58 * 24 : 59 * 24])
    np.testing.assert_array_equal(fit_to_year(leap, 2023), common)
    assert len(hourly_from_csv(_csv(["1"] * 8760), year=2024)) == 8784


@settings(max_examples=40, deadline=None)
@given(
    f_bands=st.tuples(*[st.floats(0, 50_000, allow_nan=False)] * 3),
    power_class=st.sampled_from(POWER_CLASSES),
)
def test_band_totals_always_match(f_bands, power_class):
    profile = household_profile_kwh(None, power_class, 2024, f_bands_kwh=f_bands)
    bands = arera_bands(year_index(2024))
    assert (profile >= 0).all()
    for band, target in zip((1, 2, 3), f_bands, strict=True):
        assert profile[bands == band].sum() == pytest.approx(target, abs=0.005)


@settings(max_examples=40, deadline=None)
@given(
    annual=st.floats(0, 100_000, allow_nan=False, exclude_min=True),
    kind=st.sampled_from(NONRESIDENTIAL_KINDS),
)
def test_profiles_sum_to_any_annual_total(annual, kind):
    assert household_profile_kwh(annual).sum() == pytest.approx(annual, abs=1e-6)
    assert nonresidential_profile_kwh(kind, annual).sum() == pytest.approx(annual, abs=1e-6)
