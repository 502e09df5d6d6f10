"""Hourly CSV files with a timestamp column: honoured, checked against the settlement calendar.

The files are written to disk with the standard library's ``zoneinfo`` (not with the pandas code
under test), one per way a meter or a spreadsheet writes time: Italian local time with the 23-hour
March day and the 25-hour October day, ISO 8601 with the local offset, UTC ``Z``, winter time all
year (+01:00), and the Italian ``DD/MM/YYYY HH:MM`` form with ``;`` and decimal commas. Each value
encodes its own UTC hour, so a value landing one hour off is seen.
"""

from __future__ import annotations

import datetime as dt
import random
from zoneinfo import ZoneInfo

import numpy as np
import pytest

from cer_core.calendar import year_index
from cer_core.errors import InputError
from cer_core.prices import prices_from_csv
from cer_core.profiles import hourly_from_csv
from cer_core.timestamps import CODES

ROME = ZoneInfo("Europe/Rome")
UTC = dt.UTC
WINTER = dt.timezone(dt.timedelta(hours=1))


def utc_hours(year: int) -> list[dt.datetime]:
    """The UTC starts of the local hours of ``year`` (Europe/Rome)."""
    start = dt.datetime(year, 1, 1, tzinfo=ROME).astimezone(UTC)
    end = dt.datetime(year + 1, 1, 1, tzinfo=ROME).astimezone(UTC)
    hours = int((end - start).total_seconds() // 3600)
    return [start + dt.timedelta(hours=h) for h in range(hours)]


def value_of(instant: dt.datetime) -> float:
    """A value that names its hour: UTC hours since 2020 / 1000 (kWh)."""
    base = dt.datetime(2020, 1, 1, tzinfo=UTC)
    return round((instant - base).total_seconds() / 3600 / 1000, 3)


def expected(year: int) -> np.ndarray:
    index = year_index(year).tz_convert("UTC")
    return np.array([value_of(t.to_pydatetime()) for t in index])


def write(tmp_path, name, rows, header="timestamp,kwh", sep=","):
    path = tmp_path / name
    lines = [header] if header else []
    lines += [f"{stamp}{sep}{value}" for stamp, value in rows]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def local_naive(instant, fmt="%Y-%m-%d %H:%M"):
    return instant.astimezone(ROME).strftime(fmt)


FORMS = {
    "local time, 23- and 25-hour days": lambda t: local_naive(t),
    "local time with the offset": lambda t: t.astimezone(ROME).isoformat(timespec="minutes"),
    "UTC with Z": lambda t: t.strftime("%Y-%m-%dT%H:%M:%SZ"),
    "winter time all year with +01:00": lambda t: t.astimezone(WINTER).isoformat(),
}


def test_the_real_dst_days_have_23_and_25_rows():
    days = [local_naive(t, "%Y-%m-%d") for t in utc_hours(2025)]
    assert days.count("2025-03-30") == 23
    assert days.count("2025-10-26") == 25
    assert len(days) == 8760


@pytest.mark.parametrize("form", list(FORMS))
def test_every_form_lands_on_the_right_local_hour(tmp_path, form):
    rows = [(FORMS[form](t), value_of(t)) for t in utc_hours(2025)]
    path = write(tmp_path, "load.csv", rows)
    got = hourly_from_csv(path, "members[0].consumption_csv", 2025)
    np.testing.assert_array_equal(got, expected(2025))
    # noon local on 1 July is 10:00 UTC: the value of that instant, not of the hour after
    noon = int(np.flatnonzero(year_index(2025) == "2025-07-01 12:00:00+02:00")[0])
    assert got[noon] == value_of(dt.datetime(2025, 7, 1, 10, tzinfo=UTC))


def test_italian_spreadsheet_form_and_a_leap_year(tmp_path):
    rows = [
        (local_naive(t, "%d/%m/%Y %H:%M"), str(value_of(t)).replace(".", ","))
        for t in utc_hours(2024)
    ]
    path = write(tmp_path, "carico.csv", rows, header="data e ora;kWh", sep=";")
    got = hourly_from_csv(path, "carico", 2024)
    assert len(got) == 8784
    np.testing.assert_array_equal(got, expected(2024))


def test_rows_in_any_order_when_the_instant_is_explicit(tmp_path):
    rows = [(FORMS["UTC with Z"](t), value_of(t)) for t in utc_hours(2025)]
    random.Random(12).shuffle(rows)
    got = hourly_from_csv(write(tmp_path, "shuffled.csv", rows), "f", 2025)
    np.testing.assert_array_equal(got, expected(2025))


def test_without_a_year_the_file_names_its_year(tmp_path):
    rows = [(local_naive(t), value_of(t)) for t in utc_hours(2023)]
    np.testing.assert_array_equal(hourly_from_csv(write(tmp_path, "a.csv", rows)), expected(2023))


def test_prices_honour_timestamps_too(tmp_path):
    rows = [(FORMS["local time with the offset"](t), 100 + value_of(t)) for t in utc_hours(2025)]
    got = prices_from_csv(write(tmp_path, "prezzi.csv", rows), "prices.csv", 2025)
    np.testing.assert_allclose(got, 100 + expected(2025))


def refusal(path, year=2025, field="members[0].consumption_csv") -> str:
    with pytest.raises(InputError) as info:
        hourly_from_csv(path, field, year)
    assert info.value.field == field
    assert info.value.code in CODES + ("csv_no_timestamp",)
    return info.value.message


def test_winter_time_all_year_without_offsets_is_refused_at_the_march_gap(tmp_path):
    # 8,760 rows of 24 hours a day: a fixed-CET logger or spreadsheet, taken as local time
    start = dt.datetime(2025, 1, 1)
    rows = [((start + dt.timedelta(hours=h)).strftime("%Y-%m-%d %H:%M"), 0.5) for h in range(8760)]
    message = refusal(write(tmp_path, "cet.csv", rows))
    assert "30/03/2025 02:00 does not exist" in message
    assert f"line {2 + 31 * 24 + 28 * 24 + 29 * 24 + 2}" in message  # header + 88 days + 2 h
    assert "offset" in message


def test_the_october_hour_given_once_is_refused(tmp_path):
    rows, seen = [], set()
    for t in utc_hours(2025):
        stamp = local_naive(t)
        if stamp == "2025-10-26 02:00" and stamp in seen:
            continue  # the repeated hour dropped: a 24-hour October day
        seen.add(stamp)
        rows.append((stamp, 0.5))
    message = refusal(write(tmp_path, "october.csv", rows))
    assert "26/10/2025 02:00 is ambiguous" in message
    assert "25 hours" in message


def test_another_year_is_refused_not_shifted(tmp_path):
    rows = [(local_naive(t), 0.5) for t in utc_hours(2024)]
    message = refusal(write(tmp_path, "2024.csv", rows), year=2025)
    assert "line 2" in message
    assert "is in 2024, but the settlement year is 2025" in message


def test_a_missing_hour_is_named(tmp_path):
    hours = utc_hours(2025)
    rows = [
        (FORMS["UTC with Z"](t), 0.5) for t in hours if t != dt.datetime(2025, 6, 1, 10, tzinfo=UTC)
    ]
    message = refusal(write(tmp_path, "gap.csv", rows))
    assert "1 hour(s) of 2025 missing, the first 2025-06-01 12:00 +0200" in message


def test_an_hour_given_twice_is_named(tmp_path):
    hours = utc_hours(2025)
    rows = [(FORMS["local time with the offset"](t), 0.5) for t in hours]
    rows[100] = rows[99]
    message = refusal(write(tmp_path, "twice.csv", rows))
    assert "line 102" in message
    assert "already on line 101" in message


def test_hour_ending_times_get_a_hint(tmp_path):
    rows = [
        ((t + dt.timedelta(hours=1)).astimezone(ROME).isoformat(), 0.5) for t in utc_hours(2025)
    ]
    message = refusal(write(tmp_path, "ending.csv", rows))
    assert "subtract one hour" in message


def test_quarter_hours_and_bad_dates_are_refused(tmp_path):
    rows = [(FORMS["UTC with Z"](t), 0.5) for t in utc_hours(2025)]
    rows[5] = ("2025-01-01T04:15:00Z", 0.5)
    assert "not the start of an hour" in refusal(write(tmp_path, "q.csv", rows))
    rows[5] = ("2025-02-30T04:00:00Z", 0.5)
    assert "line 7" in refusal(write(tmp_path, "bad.csv", rows))
    mixed = [(local_naive(t), 0.5) for t in utc_hours(2025)]
    mixed[3] = (FORMS["UTC with Z"](utc_hours(2025)[3]), 0.5)
    assert "some timestamps carry a UTC offset" in refusal(write(tmp_path, "mixed.csv", mixed))


def test_an_index_column_is_not_a_timestamp(tmp_path):
    rows = [(str(h + 1), 0.25) for h in range(8760)]
    got = hourly_from_csv(write(tmp_path, "index.csv", rows, header="ora,kwh"), "f", 2025)
    assert got.sum() == pytest.approx(2190)
