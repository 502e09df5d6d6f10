"""Refused input in the page's language: real engine refusals (a resident's hourly CSV, the
Pianificazione tables, the Calcolatore's inputs) read through ``engine.error.<code>``, with
numbers and dates written the page's way, and the English message for a code without one."""

from __future__ import annotations

import datetime as dt

import pytest

from app.components.engine_text import error_text, translated_error
from cer_core.errors import InputError
from cer_core.io.hourly_csv import MAX_CSV_BYTES, read_hourly_csv
from cer_core.planning.roof_files import read_roofs, read_supply_points
from cer_core.planning.tables import TableError
from cer_core.resident import ResidentInputs


def refusal(text: str, year: int = 2025) -> InputError:
    with pytest.raises(InputError) as info:
        read_hourly_csv(text.encode(), "consumption_csv", unit="kWh", year=year)
    return info.value


def local_hours(start: dt.datetime, count: int) -> list[str]:
    return [f"{start + dt.timedelta(hours=h):%Y-%m-%d %H:%M}" for h in range(count)]


def test_another_years_calendar_is_refused_in_italian_and_english():
    stamps = [f"{s}+01:00".replace(" ", "T") for s in local_hours(dt.datetime(2024, 1, 1), 8784)]
    err = refusal("\n".join(f"{s};1,5" for s in stamps))
    assert err.code == "csv_wrong_year"
    it = error_text(err, "it")
    assert it.startswith("Riga 1: «2024-01-01T00:00+01:00» è del 2024, ma l'anno di calcolo è")
    en = error_text(err, "en")
    assert en.startswith("Line 1: “2024-01-01T00:00+01:00” is in 2024, but the settlement year")
    assert it != err.message
    assert "settlement" not in it


def test_winter_time_all_year_meets_the_march_gap_with_an_italian_date():
    # 24 hours a day all year without offsets: 30 March 2025 02:00 does not exist in Italy
    rows = "\n".join(f"{s},1" for s in local_hours(dt.datetime(2025, 1, 1), 8760))
    err = refusal(rows)
    assert err.code == "csv_dst_missing_hour"
    assert "le 02:00 del 30 marzo 2025 non esistono in ora italiana" in error_text(err, "it")
    assert "02:00 on 30 March 2025 does not exist" in error_text(err, "en")


def test_a_missing_hour_and_a_repeated_hour_name_the_lines():
    hours = local_hours(dt.datetime(2025, 6, 1), 10)
    # January-May missing: the first absent hour is the year's first
    err = refusal("\n".join(f"{s},1" for s in hours))
    assert err.code == "csv_missing_hours"
    assert error_text(err, "it").startswith("Mancano 8.750 ore del 2025, la prima è 2025-01-01")
    assert error_text(err, "en").startswith("8,750 hour(s) of 2025 missing")
    err = refusal("\n".join(f"{s},1" for s in [*hours[:3], hours[1]]))
    assert err.code == "csv_repeated_hour"
    assert error_text(err, "it").startswith(
        "Riga 4: l'ora 2025-06-01 01:00 +0200 è già alla riga 2"
    )


def test_bad_numbers_and_lengths():
    err = refusal("valore\n1\nabc\n")
    assert (err.code, error_text(err, "it")) == ("csv_not_number", "Riga 3: «abc» non è un numero.")
    err = refusal("1\n-2\n")
    assert error_text(err, "it") == ("Riga 2: -2 kWh è fuori dall'intervallo ammesso, da 0 a ∞.")
    err = refusal("\n".join(["1,5"] * 8000))
    assert err.code == "csv_length"
    assert "8.000 valori" in error_text(err, "it")
    assert "8,000 values" in error_text(err, "en")


def test_a_file_too_big_gives_its_size_the_pages_way():
    err = refusal("1\n" * (MAX_CSV_BYTES // 2 + 1000))
    assert err.code == "csv_too_big"
    assert error_text(err, "it").startswith("Il file pesa 10 MB, il limite è 10 MB")


def test_planning_rows_read_in_italian():
    with pytest.raises(TableError) as info:
        read_supply_points("pod,area,kind,kwh\nIT1,AC012E00009,school,1\n")
    missing, unknown = info.value.problems
    assert error_text(missing, "it") == (
        "Mancano le colonne area_code, annual_kwh; quelle previste sono pod, area_code, kind, "
        "annual_kwh, name."
    )
    assert error_text(unknown, "it").startswith("Colonne sconosciute: area, kwh; quelle previste")
    roofs = (
        "roof_id,area_code,usable_m2,kwp,tilt_deg,azimuth_deg\n"
        "A,AC012E00009,,,10,180\n"
        "A,XX,,50,95,180\n"
        "C,AC012E00009,9000,,10,180\n"
    )
    with pytest.raises(TableError) as info:
        read_roofs(roofs)
    shown = {(p.line, p.column): error_text(p, "it") for p in info.value.problems}
    assert shown[(2, "kwp")] == "Indica i kWp oppure la superficie utile (usable_m2)."
    assert shown[(3, "roof_id")] == "A compare già alla riga 2."
    assert shown[(3, "area_code")].startswith("Area sconosciuta «XX»")
    assert shown[(3, "tilt_deg")] == "Inserisci un valore da 0 a 90°."
    assert shown[(4, "usable_m2")] == (
        "9.000 m² ospitano 1.800 kWp, oltre il limite di 1.000 kW per un impianto in una CER."
    )


def test_calculator_inputs_read_in_italian():
    with pytest.raises(InputError) as info:
        ResidentInputs(annual_kwh=250_000.0)
    assert error_text(info.value, "it") == "Inserisci un valore da 0 a 100.000 kWh."
    assert error_text(info.value, "en") == "Enter a value from 0 to 100,000 kWh."


def test_a_code_without_a_message_or_without_its_values_falls_back_to_english():
    uncoded = InputError("roofs", "no candidate roof")
    assert translated_error(uncoded, "it") is None
    assert error_text(uncoded, "it") == "no candidate roof"
    unknown = InputError("x", "some new refusal", "no_such_code", value=1)
    assert error_text(unknown, "it") == "some new refusal"
    short = InputError("x", "must be from 1 to 2", "range")  # values not given
    assert error_text(short, "it") == "must be from 1 to 2"


@pytest.mark.parametrize(
    ("lang", "expected"),
    [("it", "Inserisci un valore da 0 a 1.000 kWp."), ("en", "Enter a value from 0 to 1,000 kWp.")],
)
def test_calculator_page_shows_a_refused_power_in_its_language(lang, expected):
    """The Calcolatore (AppTest): a negative kWp typed by the resident is refused by the engine
    (code ``range``) and shown in the page's language next to the field."""
    from tests.app.apptest import run_page

    at = run_page("calcolatore", lang, query={"scelta": "pv"})
    at.number_input(key="calc_kwp").set_value(-3.0).run()
    assert not at.exception, [e.value for e in at.exception]
    assert [e.value for e in at.error] == [expected]
