"""The CER's constitution date and plants commissioned during the settlement year
(docs/rules.md §3.4, §9; cer_core.commissioning)."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import numpy as np
import pytest

from cer_core import commissioning
from cer_core.calendar import year_index
from cer_core.parameters import load_parameters

HOURS = year_index(2025)
FLAT = np.ones(len(HOURS))


def plant(name, when):
    return SimpleNamespace(name=name, commissioning_date=dt.date.fromisoformat(when))


def test_constitution_date_defaults_to_the_parameter_and_says_so():
    p = load_parameters(2025)
    assert p["community.constitution_date"] == "2024-10-14"
    when, notes = commissioning.constitution_date(None, True, p)
    assert when == dt.date(2024, 10, 14)
    assert [n.code for n in notes] == ["cer_constitution_from_parameter"]
    assert "2024-10-14" in notes[0]
    given = dt.date(2023, 6, 1)
    assert commissioning.constitution_date(given, True, p) == (given, [])
    off, notes = commissioning.constitution_date(given, False, p)
    assert off is None
    assert [n.code for n in notes] == ["cer_constitution_check_off"]


def test_operating_hours_start_at_local_midnight_of_the_day():
    running = commissioning.operating_hours(dt.date(2025, 3, 30), HOURS)  # the 23-hour day
    first = int(np.argmax(running))
    assert HOURS[first].isoformat() == "2025-03-30T00:00:00+01:00"
    assert running[:first].sum() == 0
    assert running[first:].all()
    assert running.sum() == len(HOURS) - (31 + 28 + 29) * 24


def test_share_before_the_date_is_of_production_not_of_hours():
    solar = np.where(HOURS.month >= 7, 2.0, 1.0)  # more output in the second half
    share = commissioning.before_share(solar, dt.date(2025, 7, 1), HOURS)
    first_half = float(solar[HOURS.month < 7].sum())
    assert share == pytest.approx(first_half / solar.sum())
    assert commissioning.before_share(np.zeros(len(HOURS)), dt.date(2025, 7, 1), HOURS) == 0


def test_first_year_warns_by_default_and_keeps_the_full_year():
    plants = [plant("old", "2024-05-01"), plant("jan1", "2025-01-01"), plant("sept", "2025-09-15"),
              plant("next", "2026-02-01")]  # fmt: skip
    production = np.vstack([FLAT] * 4)
    out, notes = commissioning.first_year(plants, production, HOURS, 2025, prorate=False)
    assert out is production
    assert [n.code for n in notes] == ["commissioned_during_year", "commissioned_after_year"]
    sept = notes[0]
    assert sept.values["plant"] == "sept"
    before = (HOURS < HOURS[HOURS.month == 9][14 * 24]).sum() / len(HOURS)
    assert sept.values["before_share"] == pytest.approx(before)
    assert "70%" in sept
    assert "prorate_first_year" in sept


def test_first_year_prorated_counts_only_the_hours_from_the_date():
    plants = [plant("old", "2024-05-01"), plant("sept", "2025-09-15"), plant("next", "2026-02-01")]
    production = np.vstack([FLAT] * 3)
    out, notes = commissioning.first_year(plants, production, HOURS, 2025, prorate=True)
    assert out is not production
    assert production.sum() == 3 * len(HOURS)
    assert out[0].sum() == len(HOURS)
    start = int(np.flatnonzero(HOURS.strftime("%Y-%m-%d %H") == "2025-09-15 00")[0])
    assert out[1][:start].sum() == 0
    assert out[1][start:].sum() == len(HOURS) - start
    assert out[2].sum() == 0  # not yet running in 2025
    assert [n.code for n in notes] == ["first_year_prorated", "first_year_prorated"]
    assert notes[1].values["before_share"] == pytest.approx(1.0)
