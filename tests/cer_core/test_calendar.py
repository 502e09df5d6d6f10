"""The settlement calendar: local hours, DST, ARERA day types and F1/F2/F3 bands."""

from __future__ import annotations

import pandas as pd
import pytest

from cer_core.calendar import arera_bands, day_types, year_index
from cer_core.errors import InputError


def test_year_index_has_the_real_local_hours():
    index = year_index(2023)
    assert len(index) == 8760
    assert len(year_index(2024)) == 8784
    assert str(index.tz) == "Europe/Rome"
    assert index[0] == pd.Timestamp("2023-01-01 00:00", tz="Europe/Rome")
    assert index[-1] == pd.Timestamp("2023-12-31 23:00", tz="Europe/Rome")
    per_day = pd.Series(1, index=index).groupby(index.date).sum()
    assert per_day[pd.Timestamp("2023-03-26").date()] == 23
    assert per_day[pd.Timestamp("2023-10-29").date()] == 25
    assert set(per_day.drop([pd.Timestamp(d).date() for d in ("2023-03-26", "2023-10-29")])) == {24}
    # consecutive entries are exactly one hour apart in absolute time
    assert (index.tz_convert("UTC").to_series().diff().dropna() == pd.Timedelta("1h")).all()


@pytest.mark.parametrize("bad", [1999, 2101, 2023.5, "year", None])
def test_year_index_rejects_bad_years(bad):
    with pytest.raises(InputError) as info:
        year_index(bad)
    assert info.value.field == "year"


def _at(index, stamp):
    return index.get_loc(pd.Timestamp(stamp, tz="Europe/Rome"))


def test_day_types_know_italian_holidays():
    index = year_index(2023)
    kinds = day_types(index)
    assert kinds[_at(index, "2023-04-25 12:00")] == "holiday"  # Liberation day, a Tuesday
    assert kinds[_at(index, "2023-04-10 12:00")] == "holiday"  # Easter Monday
    assert kinds[_at(index, "2023-12-26 12:00")] == "holiday"  # Santo Stefano
    assert kinds[_at(index, "2023-04-09 12:00")] == "holiday"  # Sunday
    assert kinds[_at(index, "2023-04-08 12:00")] == "saturday"
    assert kinds[_at(index, "2023-04-11 12:00")] == "weekday"
    assert kinds[_at(index, "2023-12-07 12:00")] == "weekday"  # Sant'Ambrogio is Milan-only
    assert set(kinds) == {"weekday", "saturday", "holiday"}


def test_arera_bands():
    index = year_index(2023)
    bands = arera_bands(index)
    assert bands[_at(index, "2023-05-08 10:00")] == 1  # Monday 10:00
    assert bands[_at(index, "2023-05-08 07:00")] == 2  # Monday 07:00
    assert bands[_at(index, "2023-05-08 19:00")] == 2
    assert bands[_at(index, "2023-05-08 23:00")] == 3
    assert bands[_at(index, "2023-05-08 06:00")] == 3
    assert bands[_at(index, "2023-05-13 10:00")] == 2  # Saturday 10:00
    assert bands[_at(index, "2023-05-13 06:00")] == 3
    assert bands[_at(index, "2023-05-14 10:00")] == 3  # Sunday
    assert bands[_at(index, "2023-04-25 10:00")] == 3  # a weekday holiday is all F3
    assert set(bands) == {1, 2, 3}
    # F1 is 11 hours on each working weekday
    f1_days = pd.Series(bands == 1, index=index).groupby(index.date).sum()
    assert set(f1_days) == {0, 11}


def test_utc_index_is_read_in_local_time():
    local = year_index(2023)
    assert (arera_bands(local.tz_convert("UTC")) == arera_bands(local)).all()
